package web

import (
	"net/http"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/files"
	"fugong/internal/guidance"
	"fugong/internal/policy"
	"fugong/internal/region"
)

type guidanceListData struct {
	Items      []guidanceRow
	Pager      pager
	Filter     guidance.Filter
	Kinds      []tipOption
	Public     bool // the public's list (no account)
	CanPublish bool
	Regions    []region.Region
	Categories []policy.Category
	Form       guidanceInput
}

func (s *Server) guidancePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderGuidance(w, r, http.StatusOK, guidanceInput{}, nil)
}

func (s *Server) renderGuidance(w http.ResponseWriter, r *http.Request, status int, form guidanceInput, ferr error) error {
	f, err := guidanceFilter(r)
	if err != nil {
		return err
	}
	d := guidanceListData{Filter: f, Form: form, Categories: s.pol.Categories}
	var items []guidance.Item
	var total int
	if u := user(r); u != nil {
		p := u.Principal()
		items, total, err = s.db.Guidance().List(r.Context(), p, f)
		if p.Can(auth.GuidancePublish) {
			d.CanPublish = true
			if d.Regions, err = s.db.AllRegions(r.Context(), p); err != nil {
				return err
			}
		}
	} else {
		d.Public = true
		items, total, err = s.db.Guidance().PublicList(r.Context(), f)
	}
	if err != nil {
		return err
	}
	d.Pager = newPager(r, f.Page, total)
	for _, it := range items {
		d.Items = append(d.Items, s.guidanceRow(r, it))
	}
	for _, k := range guidance.Kinds {
		zh, en := k.Name()
		d.Kinds = append(d.Kinds, tipOption{string(k), pickLang(langOf(r), zh, en)})
	}
	return s.render(w, r, status, "guidance_list", "Guidance", d, ferr)
}

func (s *Server) guidancePublish(w http.ResponseWriter, r *http.Request) error {
	park, _ := strconv.ParseInt(r.FormValue("park_id"), 10, 64)
	in := guidanceInput{Kind: guidance.Kind(r.FormValue("kind")), Title: r.FormValue("title"), Body: r.FormValue("body"),
		Regions: r.Form["regions"], Categories: r.Form["categories"], ParkID: park, Public: r.FormValue("public") != "",
		AskConfirm: r.FormValue("ask_confirm") != "", PublishAt: r.FormValue("publish_at"), EndAt: r.FormValue("end_at")}
	it, err := s.guidanceItem(in)
	if err == nil {
		it, err = s.db.Guidance().Publish(r.Context(), principal(r), it, s.knownCategory)
	}
	if k := apperr.KindOf(err); k == apperr.Invalid {
		return s.renderGuidance(w, r, statusOf[k], in, err)
	}
	if err != nil {
		return err
	}
	flash(w, translate(langOf(r), "The guidance is published"))
	http.Redirect(w, r, "/guidance/"+strconv.FormatInt(it.ID, 10), http.StatusSeeOther)
	return nil
}

// guidanceFor is an item as the request may read it: signed in, what its scope sees (or
// the public's); without an account, the public's.
func (s *Server) guidanceFor(r *http.Request, id int64) (guidance.Item, error) {
	if u := user(r); u != nil {
		it, err := s.db.Guidance().Get(r.Context(), u.Principal(), id)
		if apperr.KindOf(err) != apperr.NotFound {
			return it, err
		}
	}
	return s.db.Guidance().PublicGet(r.Context(), id)
}

type guidanceItemData struct {
	guidanceRow
	CanConfirm bool
	Public     bool
}

func (s *Server) guidanceItemPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "公告")
	if err != nil {
		return err
	}
	it, err := s.guidanceFor(r, id)
	if err != nil {
		return err
	}
	p := principal(r)
	d := guidanceItemData{guidanceRow: s.guidanceRow(r, it), Public: user(r) == nil,
		CanConfirm: it.AskConfirm && !it.Confirmed && p.Role == auth.Enterprise && p.Scope.Kind == auth.ScopeEnterprise}
	return s.render(w, r, http.StatusOK, "guidance_item", strings.TrimSpace(it.Title), d, nil)
}

func (s *Server) guidanceRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "公告")
	if err != nil {
		return err
	}
	if _, err := s.db.Guidance().Confirm(r.Context(), principal(r), id); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Reading confirmed"))
	http.Redirect(w, r, "/guidance/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// guidanceAttach keeps a file sent from the item's page by one who publishes guidance.
func (s *Server) guidanceAttach(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "公告")
	if err != nil {
		return err
	}
	p := principal(r)
	if _, err := s.db.Guidance().Get(r.Context(), p, id); err != nil {
		return err
	}
	if err := s.attachUploaded(r, func(name string, st files.Stored) error {
		_, err := s.db.Guidance().Attach(r.Context(), p, id, guidance.File{Name: name, SHA256: st.SHA256, ContentType: st.ContentType, Size: st.Size})
		return err
	}); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "The file is attached"))
	http.Redirect(w, r, "/guidance/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// guidanceFile sends a file of an item to whoever may read the item (the public, for a
// public item in force).
func (s *Server) guidanceFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "公告")
	if err != nil {
		return err
	}
	it, err := s.guidanceFor(r, id)
	if err != nil {
		return err
	}
	sha := strings.ToLower(r.PathValue("sha"))
	for _, f := range it.Attachments {
		if f.SHA256 == sha {
			return s.serveStored(w, r, f.Name, f.SHA256, f.ContentType)
		}
	}
	return apperr.NewNotFound("附件")
}
