package web

import (
	"fmt"
	"net/http"
	"net/url"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/region"
)

// --- parks ---

type parksData struct {
	Regions []region.Region
	Filter  listFilter
	Items   []region.Park
	Pager   pager
	Form    region.Park
	Editing bool
}

func (s *Server) parksPage(w http.ResponseWriter, r *http.Request) error {
	var form region.Park
	if v := r.URL.Query().Get("edit"); v != "" && principal(r).Can(auth.RegionsManage) {
		id, err := formID(v, "园区")
		if err != nil {
			return err
		}
		if id > 0 {
			if form, err = s.db.GetPark(r.Context(), principal(r), id); err != nil {
				return err
			}
		}
	}
	return s.parksView(w, r, http.StatusOK, form, nil)
}

func (s *Server) parksView(w http.ResponseWriter, r *http.Request, status int, form region.Park, err error) error {
	ctx, p := r.Context(), principal(r)
	f := listFilterOf(r)
	items, total, lerr := s.db.ListParks(ctx, p, f.Region, f.Q, f.Page)
	if lerr != nil {
		return lerr
	}
	regions, rerr := s.db.AllRegions(ctx, p)
	if rerr != nil {
		return rerr
	}
	d := parksData{Regions: regions, Filter: f, Items: items, Pager: newPager(r, f.Page, total), Form: form, Editing: form.ID != 0}
	return s.render(w, r, status, "parks", "Parks", d, err)
}

func (s *Server) parkSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	ctx, p := r.Context(), principal(r)
	f := r.PostForm
	id, err := formID(f.Get("id"), "园区")
	if err != nil {
		return err
	}
	var pk region.Park
	if id > 0 {
		if pk, err = s.db.GetPark(ctx, p, id); err != nil {
			return err
		}
	}
	pk.Name, pk.RegionCode, pk.Operator, pk.Contact, pk.Phone = f.Get("name"), normCode(f.Get("region_code")), f.Get("operator"), f.Get("contact"), f.Get("phone")
	saved, err := s.savePark(ctx, p, pk)
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.parksView(w, r, http.StatusUnprocessableEntity, pk, err)
	}
	msg := "Park %s added"
	if id > 0 {
		msg = "Park %s saved"
	}
	flash(w, fmt.Sprintf(translate(langOf(r), msg), saved.Name))
	http.Redirect(w, r, "/parks?q="+url.QueryEscape(saved.Name), http.StatusSeeOther)
	return nil
}
