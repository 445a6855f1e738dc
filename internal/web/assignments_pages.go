package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/assign"
	"fugong/internal/enterprise"
	"fugong/internal/region"
	"fugong/internal/xlsx"
)

// --- assignments (包保安排) ---

type codeName struct{ Code, Name string }

type assignmentRow struct {
	assign.Assignment
	DutyName string
	InForce  bool
}

type assignmentsData struct {
	Filter     assign.Filter
	Items      []assignmentRow
	Pager      pager
	Duties     []codeName
	Categories []codeName
	Regions    []region.Region
	Form       assign.Assignment
	Bulk       bulkAssignment
	Errors     []xlsx.RowError
	Columns    []xlsx.Column
	Header     map[string]string
	Query      string // the filter as a query, for the export link
}

// bulkAssignment is the form that assigns one official to every enterprise of a selection.
type bulkAssignment struct {
	Region, Category string
	Key              bool
	assign.Assignment
}

func (s *Server) dutyOptions(lang string) []codeName {
	out := make([]codeName, len(s.pol.Duties))
	for i, d := range s.pol.Duties {
		out[i] = codeName{d.Code, dutyName(s.pol, lang, d.Code)}
	}
	return out
}

func (s *Server) categoryOptions(lang string) []codeName {
	out := make([]codeName, len(s.pol.Categories))
	for i, c := range s.pol.Categories {
		n := c.Name
		if lang == "en" && c.NameEN != "" {
			n = c.NameEN
		}
		out[i] = codeName{c.Code, n}
	}
	return out
}

func (s *Server) assignmentsPage(w http.ResponseWriter, r *http.Request) error {
	return s.assignmentsView(w, r, http.StatusOK, assign.Assignment{}, bulkAssignment{}, nil, nil)
}

func (s *Server) assignmentsView(w http.ResponseWriter, r *http.Request, status int, form assign.Assignment, bulk bulkAssignment, rowErrs []xlsx.RowError, err error) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	f, ferr := assignmentFilter(r, s.pol)
	if ferr != nil {
		return ferr
	}
	items, total, lerr := s.db.Assignments().List(ctx, p, f)
	if lerr != nil {
		return lerr
	}
	regions, rerr := s.db.AllRegions(ctx, p)
	if rerr != nil {
		return rerr
	}
	today := s.today()
	d := assignmentsData{Filter: f, Pager: newPager(r, f.Page, total), Duties: s.dutyOptions(lang), Categories: s.categoryOptions(lang),
		Regions: regions, Form: form, Bulk: bulk, Errors: rowErrs, Columns: assignmentColumns, Header: map[string]string{},
		Query: r.URL.RawQuery}
	for _, c := range assignmentColumns {
		d.Header[c.Key] = c.Header
	}
	if d.Form.EnterpriseID == 0 && d.Form.USCC == "" && f.Enterprise != 0 {
		// From the coverage page's "assign": the form names the enterprise.
		if e, err := s.db.GetEnterprise(ctx, p, f.Enterprise); err == nil {
			d.Form.EnterpriseID, d.Form.EnterpriseName, d.Form.USCC = e.ID, e.Name, e.USCC
		}
	}
	for _, a := range items {
		d.Items = append(d.Items, assignmentRow{Assignment: a, DutyName: dutyName(s.pol, lang, a.Duty), InForce: a.Active(today)})
	}
	return s.render(w, r, status, "assignments", "Responsibility assignments", d, err)
}

// today is the day in the policy's time zone.
func (s *Server) today() string { return s.db.DB.Now().In(s.pol.Location()).Format(assign.DateLayout) }

// assignmentForm reads an assignment from a posted form.
func assignmentForm(f url.Values) assign.Assignment {
	ent, _ := formID(f.Get("enterprise_id"), "企业")
	return assign.Assignment{EnterpriseID: ent, USCC: f.Get("uscc"), Duty: f.Get("duty"), Username: strings.TrimSpace(f.Get("username")),
		Name: f.Get("name"), Phone: f.Get("phone"), Unit: f.Get("unit"), StartsOn: f.Get("starts_on"), EndsOn: f.Get("ends_on")}
}

func (s *Server) assignmentCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	if err := checkForm(r); err != nil {
		return err
	}
	a := assignmentForm(r.PostForm)
	saved, err := s.db.Assignments().Add(r.Context(), principal(r), []assign.Assignment{a})
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.assignmentsView(w, r, http.StatusUnprocessableEntity, a, bulkAssignment{}, nil, unindexed(err))
	}
	flash(w, fmt.Sprintf(translate(langOf(r), "%s assigned to %s"), saved[0].Name, saved[0].EnterpriseName))
	http.Redirect(w, r, "/assignments?q="+url.QueryEscape(saved[0].EnterpriseName), http.StatusSeeOther)
	return nil
}

// unindexed names the problems of a single item by their own fields (assignments[0].duty
// → duty), as its form names them.
func unindexed(err error) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	out := *e
	out.Problems = nil
	for _, p := range e.Problems {
		if i := strings.LastIndexByte(p.Field, '.'); i >= 0 {
			p.Field = p.Field[i+1:]
		}
		out.Problems = append(out.Problems, p)
	}
	return &out
}

func (s *Server) assignmentBulk(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	if err := checkForm(r); err != nil {
		return err
	}
	f := r.PostForm
	b := bulkAssignment{Region: normCode(f.Get("region")), Category: f.Get("category"), Key: f.Get("key") != "", Assignment: assignmentForm(f)}
	ef := enterprise.Filter{Region: b.Region, Category: b.Category, Key: b.Key}
	if err := ef.Check(s.pol); err != nil {
		return s.assignmentsView(w, r, http.StatusUnprocessableEntity, assign.Assignment{}, b, nil, err)
	}
	if b.Region == "" && b.Category == "" && !b.Key {
		return s.assignmentsView(w, r, http.StatusUnprocessableEntity, assign.Assignment{}, b, nil,
			apperr.NewInvalid("region", "请至少选择区域、类别或重点企业之一", "Choose a region, a category or key enterprises"))
	}
	n, skipped, err := s.db.Assignments().AssignAll(r.Context(), principal(r), ef, b.Assignment)
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.assignmentsView(w, r, http.StatusUnprocessableEntity, assign.Assignment{}, b, nil, err)
	}
	flash(w, fmt.Sprintf(translate(langOf(r), "Assigned to %d enterprises; %d already had this official in this duty"), n, skipped))
	http.Redirect(w, r, "/assignments?duty="+url.QueryEscape(b.Duty)+"&region="+url.QueryEscape(b.Region), http.StatusSeeOther)
	return nil
}

func (s *Server) assignmentRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "包保安排")
	if err != nil {
		return err
	}
	a, err := s.db.Assignments().Remove(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	flash(w, fmt.Sprintf(translate(langOf(r), "%s withdrawn from %s"), a.Name, a.EnterpriseName))
	http.Redirect(w, r, "/assignments", http.StatusSeeOther)
	return nil
}

func (s *Server) assignmentExport(w http.ResponseWriter, r *http.Request) error {
	f, err := assignmentFilter(r, s.pol)
	if err != nil {
		return err
	}
	as, err := s.db.Assignments().All(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	return s.writeAssignments(w, as)
}

func (s *Server) assignmentImport(w http.ResponseWriter, r *http.Request) error {
	page := func(err error, rowErrs []xlsx.RowError) error {
		return s.assignmentsView(w, r, http.StatusUnprocessableEntity, assign.Assignment{}, bulkAssignment{}, rowErrs, err)
	}
	b, _, err := uploadedSheet(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = apperr.NewInvalid("file", fmt.Sprintf("上传内容过大(上限 %d MB)", tooBig.Limit>>20), fmt.Sprintf("The upload is too large (limit %d MB)", tooBig.Limit>>20))
		}
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return page(err, nil)
	}
	n, rowErrs, err := s.importAssignments(r.Context(), principal(r), bytes.NewReader(b))
	switch {
	case err != nil && apperr.KindOf(err) == apperr.Invalid:
		return page(err, nil)
	case err != nil:
		return err
	case len(rowErrs) > 0:
		return page(&apperr.Error{Kind: apperr.Invalid,
			Message:   fmt.Sprintf("表格有 %d 处问题,未写入任何数据。请按下表修改后重新上传。", len(rowErrs)),
			MessageEN: fmt.Sprintf("The sheet has %d problems; nothing was written. Correct them as listed below and upload it again.", len(rowErrs))}, rowErrs)
	}
	flash(w, fmt.Sprintf(translate(langOf(r), "Assignments imported: %d"), n))
	http.Redirect(w, r, "/assignments", http.StatusSeeOther)
	return nil
}

// --- coverage (不漏一户、不落一企) ---

type coverageGap struct {
	assign.Gap
	MissingNames []string
	HeldNames    []string
}

type coverageData struct {
	By         string
	Filter     enterprise.Filter
	Groupings  []codeName
	Categories []codeName
	Regions    []region.Region
	Coverage   assign.Coverage
	Gaps       []coverageGap
	Pager      pager
	Query      string
	Required   []string // the names of the duties the policy may require
}

func (s *Server) coveragePage(w http.ResponseWriter, r *http.Request) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	by, f, err := coverageQuery(r, s.pol)
	if err != nil {
		return err
	}
	c, err := s.db.Assignments().Coverage(ctx, p, by, f)
	if err != nil {
		return err
	}
	regions, err := s.db.AllRegions(ctx, p)
	if err != nil {
		return err
	}
	d := coverageData{By: string(by), Filter: f, Categories: s.categoryOptions(lang), Regions: regions, Coverage: c, Query: r.URL.RawQuery}
	for _, g := range assign.Groupings {
		n := assign.GroupingNames[g][0]
		if lang == "en" {
			n = assign.GroupingNames[g][1]
		}
		d.Groupings = append(d.Groupings, codeName{string(g), n})
	}
	for _, du := range s.pol.Duties {
		if du.Required {
			d.Required = append(d.Required, dutyName(s.pol, lang, du.Code))
		}
	}
	page := f.Page.Norm()
	d.Pager = newPager(r, page, len(c.Gaps))
	from := min(page.Offset(), len(c.Gaps))
	to := min(from+page.Size, len(c.Gaps))
	for _, g := range c.Gaps[from:to] {
		d.Gaps = append(d.Gaps, s.gapView(lang, g))
	}
	return s.render(w, r, http.StatusOK, "coverage", "Responsibility coverage", d, nil)
}

func (s *Server) gapView(lang string, g assign.Gap) coverageGap {
	v := coverageGap{Gap: g}
	for _, c := range g.Missing {
		v.MissingNames = append(v.MissingNames, dutyName(s.pol, lang, c))
	}
	for _, c := range g.Held {
		v.HeldNames = append(v.HeldNames, dutyName(s.pol, lang, c))
	}
	return v
}

var coverageColumns = []xlsx.Column{
	{Key: "group", Header: "分组", Width: 20},
	{Key: "uscc", Header: "统一社会信用代码", Text: true, Width: 22},
	{Key: "enterprise", Header: "企业名称", Width: 28},
	{Key: "region", Header: "区域", Width: 16},
	{Key: "key", Header: "重点企业", Width: 8},
	{Key: "missing", Header: "缺少的包保职责", Width: 36},
	{Key: "held", Header: "已落实的包保职责", Width: 36},
}

func (s *Server) coverageExport(w http.ResponseWriter, r *http.Request) error {
	by, f, err := coverageQuery(r, s.pol)
	if err != nil {
		return err
	}
	c, err := s.db.Assignments().Coverage(r.Context(), principal(r), by, f)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("包保覆盖缺口-%s.xlsx", s.db.DB.Now().In(s.pol.Location()).Format("20060102-1504"))
	xlsxDownload(w, "coverage.xlsx", name)
	return xlsx.Write(w, "包保覆盖缺口", coverageColumns, func(yield func([]any) error) error {
		for _, g := range c.Gaps {
			v := s.gapView("zh", g)
			group := g.GroupName
			if group == "" {
				group = translate("zh", "Not in a park")
			}
			if err := yield([]any{group, g.USCC, g.EnterpriseName, g.RegionName, g.KeyEnterprise, strings.Join(v.MissingNames, "、"),
				strings.Join(v.HeldNames, "、")}); err != nil {
				return err
			}
		}
		return nil
	})
}
