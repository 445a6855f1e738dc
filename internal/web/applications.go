package web

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/input"
	"fugong/internal/policy"
)

// Resumption applications (复工复产申请): the list and the review queue, the detail page
// with the policy's checks and the actions the user may take, uploads and the export
// (applications_pages.go), the form (application_form_pages.go), and the JSON API over
// the same use cases (applications_api.go). This file holds what both faces use.

// appPick returns en for English pages (when there is one), zh otherwise.
func appPick(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}

// appUnitName is the policy unit's name in lang ("" for no unit).
func (s *Server) appUnitName(code, lang string) string {
	if code == "" {
		return ""
	}
	if u, ok := s.pol.Unit(code); ok {
		return appPick(lang, u.Name, u.NameEN)
	}
	return code
}

// appActions lists the transitions the principal may make now, each permitted for the
// actor the store would build for it.
func (s *Server) appActions(ctx context.Context, p auth.Principal, e enterprise.Enterprise, a application.Application) ([]application.Transition, error) {
	units, err := s.db.Applications().Units(ctx, p)
	if err != nil {
		return nil, err
	}
	return application.Allowed(s.pol, e, a, p, units), nil
}

// appChecks evaluates the policy against the application: live for drafts, as of the
// filing time for submitted ones (application.Check measures the lead time from it).
func (s *Server) appChecks(e enterprise.Enterprise, a application.Application) []application.Outcome {
	return application.Check(s.pol, e, a, s.db.Now())
}

// appFilterOf reads the list filter from the query.
func appFilterOf(r *http.Request, pol *policy.Policy) (application.Filter, error) {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(strings.TrimSpace(q.Get("enterprise")), 10, 64)
	mine, err := input.Flag("mine", q.Get("mine"))
	overdue, err2 := input.Flag("overdue", q.Get("overdue"))
	f := application.Filter{Status: strings.TrimSpace(q.Get("status")), Unit: strings.TrimSpace(q.Get("unit")),
		Region: strings.TrimSpace(q.Get("region")), Q: q.Get("q"), Enterprise: ent, Mine: mine, Overdue: overdue, Page: pageOf(r)}
	return f, joinErrors(err, err2, f.Check(pol))
}

// --- attachments ---

// appAttach checks the material, stores the file and records it on the application.
func (s *Server) appAttach(ctx context.Context, p auth.Principal, v application.View, material, name string, data []byte) (application.Attachment, error) {
	material = strings.TrimSpace(material)
	var ps apperr.Problems
	item, inspection := application.PhotoItem(material)
	switch {
	case material == "":
		ps.Add("material", "请选择这份文件对应的材料", "Choose the material this file stands for")
	case inspection:
		if !slices.ContainsFunc(s.pol.Checklist, func(c policy.CheckItem) bool { return c.Code == item }) {
			ps.Add("material", "现行政策的验收清单中没有这一项: "+item, "The policy's checklist has no item "+item)
		}
	default:
		if !slices.ContainsFunc(s.pol.Materials, func(m policy.Material) bool { return m.Code == material }) {
			ps.Add("material", "当前政策中没有这项材料: "+material, "The policy in force has no material "+material)
		}
	}
	if err := ps.Err(); err != nil {
		return application.Attachment{}, err
	}
	st, err := s.files.Put(name, bytes.NewReader(data))
	if err != nil {
		return application.Attachment{}, err
	}
	at := application.Attachment{Material: material, Name: name, SHA256: st.SHA256, Size: st.Size, ContentType: st.ContentType}
	if err := s.db.Applications().AddAttachment(ctx, p, v.ID, at); err != nil {
		return application.Attachment{}, err
	}
	return at, nil
}

// appByPath loads the application named by the {id} path value, and its enterprise, in
// the caller's scope.
func (s *Server) appByPath(r *http.Request) (application.View, enterprise.Enterprise, error) {
	id, err := pathID(r, "申请")
	if err != nil {
		return application.View{}, enterprise.Enterprise{}, err
	}
	p := principal(r)
	v, err := s.db.Applications().Get(r.Context(), p, id)
	if err != nil {
		return v, enterprise.Enterprise{}, err
	}
	e, err := s.db.GetEnterprise(r.Context(), p, v.EnterpriseID)
	return v, e, err
}
