package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/region"
)

// --- departments ---

type departmentsData struct {
	Regions []region.Region
	Units   []unitOption
	Filter  listFilter
	Items   []region.Department
	Pager   pager
	Form    region.Department
	Editing bool
	names   map[string]string
}

type unitOption struct{ Code, Name string }

// UnitName is the name of a unit code in the page's language.
func (d departmentsData) UnitName(code string) string {
	if n, ok := d.names[code]; ok {
		return n
	}
	return code
}

func (s *Server) departmentsPage(w http.ResponseWriter, r *http.Request) error {
	var form region.Department
	if v := r.URL.Query().Get("edit"); v != "" && principal(r).Can(auth.RegionsManage) {
		id, err := formID(v, "部门")
		if err != nil {
			return err
		}
		if id > 0 {
			if form, err = s.db.GetDepartment(r.Context(), principal(r), id); err != nil {
				return err
			}
		}
	}
	return s.departmentsView(w, r, http.StatusOK, form, nil)
}

func (s *Server) departmentsView(w http.ResponseWriter, r *http.Request, status int, form region.Department, err error) error {
	ctx, p := r.Context(), principal(r)
	f := listFilterOf(r)
	items, total, lerr := s.db.ListDepartments(ctx, p, f.Region, f.Q, f.Page)
	if lerr != nil {
		return lerr
	}
	regions, rerr := s.db.AllRegions(ctx, p)
	if rerr != nil {
		return rerr
	}
	d := departmentsData{Regions: regions, Filter: f, Items: items, Pager: newPager(r, f.Page, total), Form: form, Editing: form.ID != 0,
		names: map[string]string{}}
	en := langOf(r) == "en"
	for _, u := range s.pol.Units {
		name := u.Name
		if en && u.NameEN != "" {
			name = u.NameEN
		}
		d.Units = append(d.Units, unitOption{Code: u.Code, Name: name})
		d.names[u.Code] = name
	}
	if c := strings.TrimSpace(form.UnitCode); c != "" && d.names[c] == "" {
		// A unit the policy in force no longer has stays selectable until changed.
		d.Units = append(d.Units, unitOption{Code: c, Name: c + " " + translate(langOf(r), "(not in the policy in force)")})
	}
	return s.render(w, r, status, "departments", "Departments", d, err)
}

func (s *Server) departmentSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	ctx, p := r.Context(), principal(r)
	f := r.PostForm
	id, err := formID(f.Get("id"), "部门")
	if err != nil {
		return err
	}
	var d region.Department
	if id > 0 {
		if d, err = s.db.GetDepartment(ctx, p, id); err != nil {
			return err
		}
	}
	d.Name, d.UnitCode, d.RegionCode, d.Phone = f.Get("name"), f.Get("unit_code"), normCode(f.Get("region_code")), f.Get("phone")
	saved, err := s.saveDepartment(ctx, p, d)
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.departmentsView(w, r, http.StatusUnprocessableEntity, d, err)
	}
	msg := "Department %s added"
	if id > 0 {
		msg = "Department %s saved"
	}
	flash(w, fmt.Sprintf(translate(langOf(r), msg), saved.Name))
	http.Redirect(w, r, "/departments?q="+url.QueryEscape(saved.Name), http.StatusSeeOther)
	return nil
}
