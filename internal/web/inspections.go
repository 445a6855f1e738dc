package web

import (
	"mime/multipart"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/dashboard"
	"fugong/internal/files"
	"fugong/internal/hazard"
	"fugong/internal/inspection"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/rectify"
)

// Supervision after resumption: what the pages and the API of inspections and
// rectification orders share.

// inspectionFilter reads the list filters: status, kind, unit, result, enterprise, q.
func inspectionFilter(r *http.Request) (inspection.Filter, error) {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f := inspection.Filter{Status: q.Get("status"), Kind: q.Get("kind"), Unit: q.Get("unit"), Result: q.Get("result"),
		EnterpriseID: ent, Q: q.Get("q"), Page: pageOf(r)}
	var ps apperr.Problems
	if f.Status != "" && f.Status != inspection.Planned && f.Status != inspection.Done {
		ps.Add("status", "状态应为 planned 或 done", "status must be planned or done")
	}
	if f.Kind != "" && !slices.Contains(policy.InspectionKinds, f.Kind) {
		ps.Add("kind", "未知的检查类型", "Unknown kind of inspection")
	}
	if f.Result != "" && f.Result != inspection.Pass && f.Result != inspection.Fail {
		ps.Add("result", "结果应为 pass 或 fail", "result must be pass or fail")
	}
	if utf8.RuneCountInString(f.Q) > 100 || utf8.RuneCountInString(f.Unit) > 64 {
		ps.Add("q", "搜索词过长", "The search is too long")
	}
	return f, ps.Err()
}

// rectificationFilter reads the list filters: status (open, answered, closed, active),
// overdue, unit, severity, enterprise, q.
func rectificationFilter(r *http.Request) (rectify.Filter, error) {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f := rectify.Filter{Status: q.Get("status"), Overdue: q.Get("overdue") == "1" || q.Get("overdue") == "true",
		Unit: q.Get("unit"), Severity: q.Get("severity"), EnterpriseID: ent, Q: q.Get("q"), Page: pageOf(r)}
	var ps apperr.Problems
	if f.Status != "" && !slices.Contains([]string{rectify.Open, rectify.Answered, rectify.Closed, "active"}, f.Status) {
		ps.Add("status", "状态应为 open、answered、closed 或 active", "status must be open, answered, closed or active")
	}
	if f.Severity != "" && !slices.Contains(inspection.Severities, f.Severity) {
		ps.Add("severity", "未知的问题程度", "Unknown severity")
	}
	if utf8.RuneCountInString(f.Q) > 100 || utf8.RuneCountInString(f.Unit) > 64 {
		ps.Add("q", "搜索词过长", "The search is too long")
	}
	return f, ps.Err()
}

// keepPhoto stores one uploaded photo and returns what the store records of it.
func (s *Server) keepPhoto(item string, fh *multipart.FileHeader) (inspection.Photo, error) {
	name := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	if filepath.Ext(name) == "" {
		name += photoExt[fh.Header.Get("Content-Type")]
	}
	for utf8.RuneCountInString(name) > 200 {
		_, size := utf8.DecodeRuneInString(name)
		name = name[size:]
	}
	if ct := files.Allowed[strings.ToLower(filepath.Ext(name))]; !strings.HasPrefix(ct, "image/") {
		return inspection.Photo{}, apperr.NewInvalid("file", "照片须为图片(jpg、png、webp)", "Photos must be images (jpg, png, webp)")
	}
	f, err := fh.Open()
	if err != nil {
		return inspection.Photo{}, err
	}
	defer f.Close()
	st, err := s.files.Put(name, f)
	if err != nil {
		return inspection.Photo{}, err
	}
	return inspection.Photo{Item: item, Name: name, SHA256: st.SHA256, Size: st.Size, ContentType: st.ContentType}, nil
}

// supervisionPhoto serves a photo of an inspection or an order the user may see.
func (s *Server) supervisionPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "照片")
	if err != nil {
		return err
	}
	name, sha, ct, err := s.db.Inspections().PhotoSHA(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return s.serveStored(w, r, name, sha, ct)
}

// unitName is a policy unit's name in the language.
func (s *Server) unitName(lang, code string) string {
	u, ok := s.pol.Unit(code)
	if !ok {
		return code
	}
	if lang == "en" && u.NameEN != "" {
		return u.NameEN
	}
	return u.Name
}

// supervisionSection is the dashboard's supervision figures over the caller's scope: the
// rectification orders open, overdue and waiting to be verified, the open major hazards and,
// for a unit that inspects, the resumed enterprises overdue for an inspection. Orders and
// hazards are not counted by region, park, category or unit, so a drilled-down dashboard
// shows none rather than the scope's whole figures.
func (s *Server) supervisionSection(r *http.Request, p auth.Principal, f dashboard.Filter) (dashboard.Section, bool, error) {
	if !p.Can(auth.SupervisionView) || f.Region != "" || f.ParkID != 0 || f.Category != "" || f.Unit != "" {
		return dashboard.Section{}, false, nil
	}
	ctx, one := r.Context(), list.Page{Size: 1}
	count := func(rf rectify.Filter) (int, error) {
		rf.Page = one
		_, n, err := s.db.Rectifications().List(ctx, p, rf)
		return n, err
	}
	open, err := count(rectify.Filter{Status: "active"})
	if err != nil {
		return dashboard.Section{}, false, err
	}
	overdue, err := count(rectify.Filter{Status: "active", Overdue: true})
	if err != nil {
		return dashboard.Section{}, false, err
	}
	toVerify, err := count(rectify.Filter{Status: rectify.Answered})
	if err != nil {
		return dashboard.Section{}, false, err
	}
	_, major, err := s.db.Hazards().List(ctx, p, hazard.Filter{Status: "open", Grade: hazard.Major, Page: one})
	if err != nil {
		return dashboard.Section{}, false, err
	}
	sec := dashboard.Section{Key: "supervision", Title: "督导检查与整改", TitleEN: "Supervision and rectification", Items: []dashboard.Item{
		{Label: "未销号的整改通知书", LabelEN: "Orders not closed", Value: open, Link: "/rectifications?status=active"},
		{Label: "逾期未整改", LabelEN: "Orders overdue", Value: overdue, Link: "/rectifications?overdue=1", Warn: true},
		{Label: "整改待核实", LabelEN: "Orders to verify", Value: toVerify, Link: "/rectifications?status=" + rectify.Answered, Warn: true},
		{Label: "未销号的重大隐患", LabelEN: "Major hazards open", Value: major, Link: "/hazards?status=open&grade=" + hazard.Major, Warn: true},
	}}
	if p.Can(auth.SupervisionInspect) {
		due, err := s.db.Inspections().Due(ctx, p, true)
		if err != nil {
			return dashboard.Section{}, false, err
		}
		sec.Items = append(sec.Items, dashboard.Item{Label: "逾期未检查的企业", LabelEN: "Enterprises overdue for an inspection", Value: len(due), Link: "/supervision", Warn: true})
	}
	return sec, true, nil
}

// supervisionLinks are an enterprise's inspections, orders and hazards on its one view.
func supervisionLinks(id string) []dashCrumb {
	return []dashCrumb{
		{Name: "Supervision inspections", Link: "/supervision?enterprise=" + id},
		{Name: "Rectification orders", Link: "/rectifications?enterprise=" + id},
		{Name: "Hazard register", Link: "/hazards?enterprise=" + id},
	}
}
