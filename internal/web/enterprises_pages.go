package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/xlsx"
)

// choices are the options of the enterprise forms and filters.
type choices struct {
	Categories []policy.Category
	Statuses   []enterprise.Status
	Regions    []region.Region
	Parks      []region.Park
}

func (s *Server) choices(ctx context.Context, p auth.Principal) (choices, error) {
	c := choices{Categories: s.pol.Categories, Statuses: enterprise.Statuses}
	var err error
	if p.Role != auth.Enterprise && p.Role != auth.Staff && p.Role != auth.Guard {
		if c.Regions, err = s.db.AllRegions(ctx, p); err != nil {
			return c, err
		}
		if c.Parks, _, err = s.db.ListParks(ctx, p, "", "", list.Page{Size: list.MaxSize}); err != nil {
			return c, err
		}
	}
	return c, nil
}

type enterpriseListData struct {
	choices
	Filter enterprise.Filter
	Items  []enterprise.Enterprise
	Pager  pager
	Export string
}

func (s *Server) enterprisesPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	f, err := enterpriseFilter(r, s.pol)
	if err != nil {
		return err
	}
	items, total, err := s.db.ListEnterprises(r.Context(), p, f)
	if err != nil {
		return err
	}
	c, err := s.choices(r.Context(), p)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	q.Del("page")
	d := enterpriseListData{choices: c, Filter: f, Items: items, Pager: newPager(r, f.Page, total), Export: "/enterprises/export?" + q.Encode()}
	return s.render(w, r, http.StatusOK, "enterprises", "Enterprises", d, nil)
}

type enterpriseFormData struct {
	choices
	E      enterprise.Enterprise
	New    bool
	CanSet map[string]bool // fields the user may change
}

func (s *Server) enterpriseForm(w http.ResponseWriter, r *http.Request, status int, e enterprise.Enterprise, isNew bool, err error) error {
	p := principal(r)
	c, cerr := s.choices(r.Context(), p)
	if cerr != nil {
		return cerr
	}
	can := map[string]bool{}
	for _, f := range enterprise.Restricted {
		can[f] = isNew || enterprise.MayChange(p.Role, f)
	}
	title := "Edit enterprise"
	if isNew {
		title = "Register an enterprise"
	}
	return s.render(w, r, status, "enterprise_form", title, enterpriseFormData{choices: c, E: e, New: isNew, CanSet: can}, err)
}

func (s *Server) enterpriseNewPage(w http.ResponseWriter, r *http.Request) error {
	e := enterprise.Enterprise{Status: enterprise.NotResumed}
	if p := principal(r); p.Scope.Kind == auth.ScopePark {
		e.ParkID = p.Scope.ID
	}
	return s.enterpriseForm(w, r, http.StatusOK, e, true, nil)
}

// formEnterprise reads the enterprise form over base; fields the form lacks, and fields
// the user's role may not change, keep their value from base.
func formEnterprise(r *http.Request, base enterprise.Enterprise, isNew bool) (enterprise.Enterprise, int, error) {
	if err := r.ParseForm(); err != nil {
		return base, 0, apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	e := base
	f := r.PostForm
	str := func(key string, dst *string) {
		if v, ok := f[key]; ok {
			*dst = v[0]
		}
	}
	str("name", &e.Name)
	str("uscc", &e.USCC)
	str("category", &e.Category)
	str("region_code", &e.RegionCode)
	str("legal_rep", &e.LegalRep)
	str("prevention_lead", &e.PreventionLead)
	str("prevention_phone", &e.PreventionPhone)
	str("address", &e.Address)
	if v, ok := f["status"]; ok {
		e.Status = enterprise.Status(v[0])
	}
	var ps apperr.Problems
	if v, ok := f["park_id"]; ok {
		id, err := strconv.ParseInt("0"+strings.TrimSpace(v[0]), 10, 64)
		if err != nil {
			ps.Add("park_id", "园区选择无效", "Invalid park")
		}
		e.ParkID = id
	}
	if v, ok := f["headcount"]; ok {
		n, err := strconv.Atoi(strings.TrimSpace("0" + v[0]))
		if err != nil {
			ps.Add("headcount", "在册人数须为整数", "The headcount must be a whole number")
		}
		e.Headcount = n
	}
	if f.Has("flags") {
		e.HasCanteen, e.HasDormitory, e.HasBus = f.Has("has_canteen"), f.Has("has_dormitory"), f.Has("has_bus")
		e.KeyEnterprise = f.Has("key_enterprise")
	}
	if !isNew {
		// Inputs a role may not change are shown disabled and not posted: keep them.
		role := principal(r).Role
		for field, keep := range map[string]func(){
			"name": func() { e.Name = base.Name }, "uscc": func() { e.USCC = base.USCC },
			"category": func() { e.Category = base.Category }, "region_code": func() { e.RegionCode = base.RegionCode },
			"park_id": func() { e.ParkID = base.ParkID }, "status": func() { e.Status = base.Status },
			"key_enterprise": func() { e.KeyEnterprise = base.KeyEnterprise },
		} {
			if !enterprise.MayChange(role, field) {
				keep()
			}
		}
	}
	version, _ := strconv.Atoi(f.Get("version"))
	return e, version, ps.Err()
}

func (s *Server) enterpriseCreate(w http.ResponseWriter, r *http.Request) error {
	e, _, err := formEnterprise(r, enterprise.Enterprise{Status: enterprise.NotResumed}, true)
	if err == nil {
		var created enterprise.Enterprise
		created, err = s.db.CreateEnterprise(r.Context(), principal(r), e, s.knownCategory)
		if err == nil {
			flash(w, translate(langOf(r), "Enterprise registered"))
			http.Redirect(w, r, fmt.Sprintf("/enterprises/%d", created.ID), http.StatusSeeOther)
			return nil
		}
	}
	if k := apperr.KindOf(err); k != apperr.Invalid {
		return err
	}
	return s.enterpriseForm(w, r, http.StatusUnprocessableEntity, e, true, err)
}

type enterpriseData struct {
	E        enterprise.Enterprise
	Category string
	Path     []region.Region
	// The enterprise in one view (enterprise_overview.go): today's figures and the lists
	// of what it has, each a link the user may open.
	Cards []dashCard
	Links []dashCrumb
}

func (s *Server) enterprisePage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	e, err := s.db.GetEnterprise(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	path, err := s.db.RegionPath(r.Context(), e.RegionCode)
	if err != nil {
		return err
	}
	d := enterpriseData{E: e, Category: enterprise.CategoryName(s.pol, e.Category, langOf(r)), Path: path}
	if err := s.enterpriseOverview(r, &d); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "enterprise", e.Name, d, nil)
}

func (s *Server) enterpriseEditPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	e, err := s.db.GetEnterprise(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return s.enterpriseForm(w, r, http.StatusOK, e, false, nil)
}

func (s *Server) enterpriseUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	p := principal(r)
	old, err := s.db.GetEnterprise(r.Context(), p, id)
	if err != nil {
		return err
	}
	e, version, err := formEnterprise(r, old, false)
	if err == nil {
		_, err = s.db.UpdateEnterprise(r.Context(), p, e, version, s.knownCategory)
		if err == nil {
			flash(w, translate(langOf(r), "Changes saved"))
			http.Redirect(w, r, fmt.Sprintf("/enterprises/%d", id), http.StatusSeeOther)
			return nil
		}
	}
	switch apperr.KindOf(err) {
	case apperr.Invalid:
		return s.enterpriseForm(w, r, http.StatusUnprocessableEntity, e, false, err)
	case apperr.Conflict:
		fresh, gerr := s.db.GetEnterprise(r.Context(), p, id)
		if gerr != nil {
			return gerr
		}
		return s.enterpriseForm(w, r, http.StatusConflict, fresh, false, err)
	}
	return err
}

// enterpriseTemplate is an empty import sheet with the headers and one example row.
func (s *Server) enterpriseTemplate(w http.ResponseWriter, r *http.Request) error {
	xlsxDownload(w, "enterprise-template.xlsx", "企业导入模板.xlsx")
	return xlsx.Write(w, "企业名录", enterprise.Columns, func(yield func([]any) error) error {
		cat := ""
		if len(s.pol.Categories) > 0 {
			cat = s.pol.Categories[0].Name
		}
		return yield([]any{"示例制造有限公司", "91330402MA0000001P", cat, "330402001", "", "", "未复工", "是", "否", "否", "否", "张三", "李四", "13800000000", 120, "示例路 1 号"})
	})
}

func (s *Server) enterpriseImportPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "enterprise_import", "Import enterprises", enterprise.Columns, nil)
}

// enterpriseImportUpload starts an import job and shows its progress page.
func (s *Server) enterpriseImportUpload(w http.ResponseWriter, r *http.Request) error {
	b, name, err := uploadedSheet(r)
	var sh *xlsx.Sheet
	if err == nil {
		sh, err = openSheet(b) // checked at once, on the form, rather than in the background job
	}
	if err != nil {
		if apperr.KindOf(err) == apperr.Invalid || errors.As(err, new(*http.MaxBytesError)) {
			return s.render(w, r, http.StatusUnprocessableEntity, "enterprise_import", "Import enterprises", enterprise.Columns, err)
		}
		return err
	}
	p := principal(r)
	validOnly := r.FormValue("valid_only") == "1"
	return s.startImportJob(w, r, "enterprises", name, func(ctx context.Context, progress func(done, total int)) (*xlsx.Result, error) {
		return s.runEnterpriseImport(ctx, progress, p, sh, validOnly)
	})
}

// CategoryName is the name of a category code in lang, for templates.
func (c choices) CategoryName(code, lang string) string {
	for _, cat := range c.Categories {
		if cat.Code == code {
			if lang == "en" && cat.NameEN != "" {
				return cat.NameEN
			}
			return cat.Name
		}
	}
	return code
}
