package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/xlsx"
)

// Regions, parks and departments: pages and API.

// regionColumns are the headers of the region sheet, for export and import alike, so an
// export can be edited and imported again.
var regionColumns = []xlsx.Column{
	{Key: "code", Header: "行政区划代码", Required: true, Text: true, Width: 16},
	{Key: "name", Header: "名称", Required: true, Width: 28},
	{Key: "parent", Header: "上级代码", Text: true, Width: 16},
}

// maxRegionRows bounds one region import, which runs within the request: a city's
// villages fit (5,000 rows take about 1.5 s on SQLite and 3 s on PostgreSQL); a province
// is imported in several files.
const maxRegionRows = 20000

// normCode returns the canonical form of a division code, or s trimmed when it is not one.
func normCode(s string) string {
	s = strings.TrimSpace(s)
	if c, err := region.ParseCode(s); err == nil {
		return c.String()
	}
	return s
}

// regionVisible reports whether the region lies in the principal's scope.
func (s *Server) regionVisible(ctx context.Context, p auth.Principal, code string) (bool, error) {
	if _, err := s.db.GetRegion(ctx, p, code); err != nil {
		if apperr.KindOf(err) == apperr.NotFound {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// withEnterpriseCounts fills the enterprise counts of regions for users who may see
// enterprises.
func (s *Server) withEnterpriseCounts(ctx context.Context, p auth.Principal, rs []region.Region) error {
	if !p.Can(auth.EnterprisesView) || len(rs) == 0 {
		return nil
	}
	codes := make([]string, len(rs))
	for i, r := range rs {
		codes[i] = r.Code
	}
	counts, err := s.db.CountEnterprisesIn(ctx, p, codes)
	if err != nil {
		return err
	}
	for i := range rs {
		rs[i].Enterprises = counts[rs[i].Code]
	}
	return nil
}

// regionProblems renames SaveRegions' problems of the single region saved
// ("regions[0].code") to the form's fields ("code").
func regionProblems(err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		return err
	}
	out := *e
	out.Problems = make([]apperr.Problem, len(e.Problems))
	for i, p := range e.Problems {
		p.Field = regionFieldRE.ReplaceAllString(p.Field, "")
		out.Problems[i] = p
	}
	return &out
}

var regionFieldRE = regexp.MustCompile(`^regions\[\d+\]\.`)

type regionsData struct {
	Parent   *region.Region  // the region whose children are listed; nil at the top
	Path     []region.Region // breadcrumb to Parent, root first, regions in scope only
	Q        string
	Items    []region.Region
	Pager    pager
	Form     region.Region // the add-or-rename form
	Renaming bool          // the form holds an existing region
	Counts   bool          // enterprise counts are shown
}

func (s *Server) regionsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var form region.Region
	renaming := false
	if code := q.Get("code"); code != "" && principal(r).Can(auth.RegionsManage) {
		reg, err := s.db.GetRegion(r.Context(), principal(r), normCode(code))
		if err != nil {
			return err
		}
		form, renaming = reg, true
	}
	return s.regionsView(w, r, http.StatusOK, normCode(q.Get("parent")), form, renaming, nil)
}

// regionsView renders the regions page listing the children of parent, with the form
// holding form and the problems of err.
func (s *Server) regionsView(w http.ResponseWriter, r *http.Request, status int, parent string, form region.Region, renaming bool, err error) error {
	ctx, p := r.Context(), principal(r)
	d := regionsData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Form: form, Renaming: renaming, Counts: p.Can(auth.EnterprisesView)}
	if parent != "" {
		par, gerr := s.db.GetRegion(ctx, p, parent)
		if gerr != nil {
			return gerr
		}
		d.Parent = &par
		path, gerr := s.db.RegionPath(ctx, parent)
		if gerr != nil {
			return gerr
		}
		for _, a := range path {
			ok, gerr := s.regionVisible(ctx, p, a.Code)
			if gerr != nil {
				return gerr
			}
			if ok {
				d.Path = append(d.Path, a)
			}
		}
	}
	page := pageOf(r)
	items, total, lerr := s.db.ListRegions(ctx, p, store.RegionFilter{Parent: parent, Q: d.Q, Page: page})
	if lerr != nil {
		return lerr
	}
	if cerr := s.withEnterpriseCounts(ctx, p, items); cerr != nil {
		return cerr
	}
	d.Items, d.Pager = items, newPager(r, page, total)
	title := "Regions"
	if d.Parent != nil {
		title = d.Parent.Name
	}
	return s.render(w, r, status, "regions", title, d, err)
}

// regionSave adds a region or renames one (the same code).
func (s *Server) regionSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	ctx, p := r.Context(), principal(r)
	f := r.PostForm
	reg := region.Region{Code: strings.TrimSpace(f.Get("code")), Name: f.Get("name")}
	back := normCode(f.Get("parent"))
	if back != "" {
		// Only return to a list the user may see.
		if ok, err := s.regionVisible(ctx, p, back); err != nil {
			return err
		} else if !ok {
			back = ""
		}
	}
	created, updated, err := s.db.SaveRegions(ctx, p, []region.Region{reg})
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.regionsView(w, r, http.StatusUnprocessableEntity, back, reg, f.Get("renaming") == "1", regionProblems(err))
	}
	lang := langOf(r)
	code := normCode(reg.Code)
	switch {
	case created > 0:
		flash(w, fmt.Sprintf(translate(lang, "Region %s added"), code))
	case updated > 0:
		flash(w, fmt.Sprintf(translate(lang, "Region %s renamed"), code))
	default:
		flash(w, translate(lang, "Nothing changed"))
	}
	// Show the list the region is in.
	to := "/regions"
	if saved, err := s.db.GetRegion(ctx, p, code); err == nil && saved.ParentCode != "" {
		if ok, err := s.regionVisible(ctx, p, saved.ParentCode); err != nil {
			return err
		} else if ok {
			to = "/regions?parent=" + url.QueryEscape(saved.ParentCode)
		}
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// --- import and export ---

type regionImportData struct {
	Columns []xlsx.Column
	Errors  []store.RowError
	Header  map[string]string // field key → header of the sheet
}

func newRegionImportData(errs []store.RowError) regionImportData {
	h := map[string]string{}
	for _, c := range regionColumns {
		h[c.Key] = c.Header
	}
	return regionImportData{Columns: regionColumns, Errors: errs, Header: h}
}

func (s *Server) regionImportPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "region_import", "Import regions", newRegionImportData(nil), nil)
}

// readRegionSheet reads an uploaded region sheet. A file that cannot be read as a region
// sheet is an Invalid error about "file"; problems of single rows are returned as
// rowErrs, with the sheet's row number of each region in nums.
func readRegionSheet(f io.Reader) (rs []region.Region, nums []int, rowErrs []store.RowError, err error) {
	seen := map[string]int{}
	errTooMany := apperr.NewInvalid("file", fmt.Sprintf("表格行数过多:一次最多导入 %d 行,请分批导入", maxRegionRows),
		fmt.Sprintf("Too many rows: import at most %d rows at a time, in several files", maxRegionRows))
	bad := func(row int, field, zh, en string) {
		rowErrs = append(rowErrs, store.RowError{Row: row, Field: field, Message: zh, MessageEN: en})
	}
	err = xlsx.Read(f, regionColumns, func(row xlsx.Row) error {
		if len(rs)+len(rowErrs) >= maxRegionRows {
			return errTooMany
		}
		reg := region.Region{Code: row.Values["code"], Name: row.Values["name"]}
		code, cerr := region.ParseCode(reg.Code)
		if cerr == nil {
			reg.Code = code.String()
			if first, dup := seen[reg.Code]; dup {
				bad(row.Num, "code", fmt.Sprintf("代码 %s 与第 %d 行重复", reg.Code, first), fmt.Sprintf("Code %s repeats row %d", reg.Code, first))
				return nil
			}
			seen[reg.Code] = row.Num
			if pt := row.Values["parent"]; pt != "" {
				pc, perr := region.ParseCode(pt)
				if perr != nil || pc == code || !code.IsWithin(pc) {
					bad(row.Num, "parent", "上级代码与行政区划代码不符:"+pt+" 不是 "+reg.Code+" 的上级",
						"The parent code does not fit the code: "+pt+" is not above "+reg.Code)
					return nil
				}
			}
		}
		rs = append(rs, reg)
		nums = append(nums, row.Num)
		return nil
	}, nil)
	if err != nil {
		var he *xlsx.HeaderError
		switch {
		case errors.As(err, &he):
			return nil, nil, nil, apperr.NewInvalid("file", he.Reason, he.ReasonEN)
		case errors.Is(err, xlsx.ErrFormat):
			return nil, nil, nil, apperr.NewInvalid("file", "文件不是有效的 .xlsx 表格,请用 Excel 或 WPS 另存为 .xlsx 后重试", "The file is not a valid .xlsx workbook; save it as .xlsx and try again")
		}
		return nil, nil, nil, err
	}
	if len(rs)+len(rowErrs) == 0 {
		return nil, nil, nil, apperr.NewInvalid("file", "表格中没有数据行", "The sheet has no data rows")
	}
	return rs, nums, rowErrs, nil
}

var savedFieldRE = regexp.MustCompile(`^regions\[(\d+)\]\.(.+)$`)

// importRegions reads a sheet and saves its regions, all or none. Row problems come back
// as rowErrs (nothing is then written); other failures as err.
func (s *Server) importRegions(ctx context.Context, p auth.Principal, f io.Reader) (created, updated int, rowErrs []store.RowError, err error) {
	rs, nums, rowErrs, err := readRegionSheet(f)
	if err != nil {
		return 0, 0, nil, err
	}
	if len(rowErrs) == 0 {
		created, updated, err = s.db.SaveRegions(ctx, p, rs)
		if err == nil {
			return created, updated, nil, nil
		}
	} else {
		// Report the cells' own problems along with those of the sheet as a whole.
		var ps apperr.Problems
		for i := range rs {
			c := rs[i]
			if e, ok := apperr.As(c.Validate()); ok {
				for _, pr := range e.Problems {
					ps.Add(fmt.Sprintf("regions[%d].%s", i, pr.Field), pr.Message, pr.MessageEN)
				}
			}
		}
		err = ps.Err()
	}
	if err != nil {
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.Invalid {
			return 0, 0, nil, err
		}
		for _, pr := range e.Problems {
			row, field := 0, pr.Field
			if m := savedFieldRE.FindStringSubmatch(pr.Field); m != nil {
				if i, aerr := strconv.Atoi(m[1]); aerr == nil && i < len(nums) {
					row, field = nums[i], m[2]
				}
			}
			rowErrs = append(rowErrs, store.RowError{Row: row, Field: field, Message: pr.Message, MessageEN: pr.MessageEN})
		}
	}
	slices.SortStableFunc(rowErrs, func(a, b store.RowError) int { return a.Row - b.Row })
	return 0, 0, rowErrs, nil
}

func (s *Server) regionImport(w http.ResponseWriter, r *http.Request) error {
	page := func(err error, rowErrs []store.RowError) error {
		return s.render(w, r, http.StatusUnprocessableEntity, "region_import", "Import regions", newRegionImportData(rowErrs), err)
	}
	b, _, err := uploadedFile(r)
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
	created, updated, rowErrs, err := s.importRegions(r.Context(), principal(r), bytes.NewReader(b))
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
	flash(w, fmt.Sprintf(translate(langOf(r), "Regions imported: %d new, %d renamed"), created, updated))
	http.Redirect(w, r, "/regions", http.StatusSeeOther)
	return nil
}

func (s *Server) regionExport(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.db.AllRegions(r.Context(), principal(r))
	if err != nil {
		return err
	}
	name := fmt.Sprintf("区域-%s.xlsx", time.Now().In(s.pol.Location()).Format("20060102-1504"))
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename=\"regions.xlsx\"; filename*=UTF-8''"+urlEscape(name))
	return xlsx.Write(w, "区域", regionColumns, func(yield func([]any) error) error {
		for _, reg := range rs {
			if err := yield([]any{reg.Code, reg.Name, reg.ParentCode}); err != nil {
				return err
			}
		}
		return nil
	})
}

// --- regions API ---

type saveResult struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

func (s *Server) apiRegions(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.RegionFilter{Parent: normCode(q.Get("parent")), Q: q.Get("q"), Page: pageOf(r)}
	p := principal(r)
	items, total, err := s.db.ListRegions(r.Context(), p, f)
	if err != nil {
		return err
	}
	if err := s.withEnterpriseCounts(r.Context(), p, items); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

type regionBatch struct {
	Regions []struct {
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"regions"`
}

func (s *Server) apiRegionsSave(w http.ResponseWriter, r *http.Request) error {
	var in regionBatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if len(in.Regions) == 0 {
		return apperr.NewInvalid("regions", "请至少提供一个区域", "Send at least one region")
	}
	rs := make([]region.Region, len(in.Regions))
	for i, x := range in.Regions {
		rs[i] = region.Region{Code: x.Code, Name: x.Name}
	}
	created, updated, err := s.db.SaveRegions(r.Context(), principal(r), rs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saveResult{Created: created, Updated: updated})
	return nil
}

// rowsError reports the problems of an import's rows as one Invalid error whose
// problems name the sheet's row: "rows[3].code" is the code cell of row 3.
func rowsError(errs []store.RowError) error {
	ps := make([]apperr.Problem, len(errs))
	for i, e := range errs {
		ps[i] = apperr.Problem{Field: fmt.Sprintf("rows[%d].%s", e.Row, e.Field),
			Message: fmt.Sprintf("第 %d 行:%s", e.Row, e.Message), MessageEN: fmt.Sprintf("Row %d: %s", e.Row, e.MessageEN)}
	}
	return &apperr.Error{Kind: apperr.Invalid, Problems: ps,
		Message:   fmt.Sprintf("表格有 %d 处问题,未写入任何数据", len(errs)),
		MessageEN: fmt.Sprintf("The sheet has %d problems; nothing was written", len(errs))}
}

func (s *Server) apiRegionsImport(w http.ResponseWriter, r *http.Request) error {
	b, _, err := uploadedFile(r)
	if err != nil {
		return err
	}
	created, updated, rowErrs, err := s.importRegions(r.Context(), principal(r), bytes.NewReader(b))
	if err != nil {
		return err
	}
	if len(rowErrs) > 0 {
		return rowsError(rowErrs)
	}
	writeJSON(w, http.StatusOK, saveResult{Created: created, Updated: updated})
	return nil
}

// --- shared by parks and departments ---

// checkPhone records a problem with a phone number that is not empty and not valid.
func checkPhone(ps *apperr.Problems, field, phone string) {
	if phone = strings.TrimSpace(phone); phone != "" && !auth.PhoneRE.MatchString(phone) {
		ps.Add(field, "电话号码格式不正确,例如 13800000000 或 0573-88888888", "The phone number is not valid, e.g. 13800000000 or 0573-88888888")
	}
}

// mergeInvalid adds the problems of err (from a Validate) to ps and returns them as one
// Invalid error; an error of another kind is returned as is.
func mergeInvalid(ps apperr.Problems, err error) error {
	if err != nil {
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.Invalid {
			return err
		}
		ps = append(ps, e.Problems...)
	}
	return ps.Err()
}

// formID reads the optional id of an object a form edits: 0 for a new one. A malformed
// id is not found.
func formID(v, what string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" || v == "0" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NewNotFound(what)
	}
	return id, nil
}

// listFilter is the region filter, search and page of the parks and departments lists.
type listFilter struct {
	Region string
	Q      string
	Page   store.Page
}

func listFilterOf(r *http.Request) listFilter {
	q := r.URL.Query()
	return listFilter{Region: normCode(q.Get("region")), Q: strings.TrimSpace(q.Get("q")), Page: pageOf(r)}
}

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

// savePark checks what Park.Validate does not (the phone) and saves the park.
func (s *Server) savePark(ctx context.Context, p auth.Principal, pk region.Park) (region.Park, error) {
	var ps apperr.Problems
	checkPhone(&ps, "phone", pk.Phone)
	if len(ps) > 0 {
		c := pk
		return pk, mergeInvalid(ps, c.Validate())
	}
	return s.db.SavePark(ctx, p, pk)
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

func (s *Server) apiParks(w http.ResponseWriter, r *http.Request) error {
	f := listFilterOf(r)
	items, total, err := s.db.ListParks(r.Context(), principal(r), f.Region, f.Q, f.Page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// parkInput is the API's body for parks: pointers tell which fields were sent.
type parkInput struct {
	Name       *string `json:"name"`
	RegionCode *string `json:"region_code"`
	Operator   *string `json:"operator"`
	Contact    *string `json:"contact"`
	Phone      *string `json:"phone"`
}

func (in parkInput) apply(pk *region.Park) {
	setStr(&pk.Name, in.Name)
	setStr(&pk.Operator, in.Operator)
	setStr(&pk.Contact, in.Contact)
	setStr(&pk.Phone, in.Phone)
	if in.RegionCode != nil {
		pk.RegionCode = normCode(*in.RegionCode)
	}
}

func setStr(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

func (s *Server) apiParkCreate(w http.ResponseWriter, r *http.Request) error {
	var in parkInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var pk region.Park
	in.apply(&pk)
	saved, err := s.savePark(r.Context(), principal(r), pk)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, saved)
	return nil
}

func (s *Server) apiParkUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "园区")
	if err != nil {
		return err
	}
	ctx, p := r.Context(), principal(r)
	pk, err := s.db.GetPark(ctx, p, id)
	if err != nil {
		return err
	}
	var in parkInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	in.apply(&pk)
	saved, err := s.savePark(ctx, p, pk)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

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

func (s *Server) knownUnit(code string) bool { _, ok := s.pol.Unit(code); return ok }

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

// saveDepartment checks what Department.Validate does not (the phone) and saves.
func (s *Server) saveDepartment(ctx context.Context, p auth.Principal, d region.Department) (region.Department, error) {
	var ps apperr.Problems
	checkPhone(&ps, "phone", d.Phone)
	if len(ps) > 0 {
		c := d
		return d, mergeInvalid(ps, c.Validate(s.knownUnit))
	}
	return s.db.SaveDepartment(ctx, p, d, s.knownUnit)
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

func (s *Server) apiDepartments(w http.ResponseWriter, r *http.Request) error {
	f := listFilterOf(r)
	items, total, err := s.db.ListDepartments(r.Context(), principal(r), f.Region, f.Q, f.Page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// departmentInput is the API's body for departments: pointers tell which fields were sent.
type departmentInput struct {
	Name       *string `json:"name"`
	UnitCode   *string `json:"unit_code"`
	RegionCode *string `json:"region_code"`
	Phone      *string `json:"phone"`
}

func (in departmentInput) apply(d *region.Department) {
	setStr(&d.Name, in.Name)
	setStr(&d.UnitCode, in.UnitCode)
	setStr(&d.Phone, in.Phone)
	if in.RegionCode != nil {
		d.RegionCode = normCode(*in.RegionCode)
	}
}

func (s *Server) apiDepartmentCreate(w http.ResponseWriter, r *http.Request) error {
	var in departmentInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var d region.Department
	in.apply(&d)
	saved, err := s.saveDepartment(r.Context(), principal(r), d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, saved)
	return nil
}

func (s *Server) apiDepartmentUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "部门")
	if err != nil {
		return err
	}
	ctx, p := r.Context(), principal(r)
	d, err := s.db.GetDepartment(ctx, p, id)
	if err != nil {
		return err
	}
	var in departmentInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	in.apply(&d)
	saved, err := s.saveDepartment(ctx, p, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}
