package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/xlsx"
)

func (s *Server) knownCategory(code string) bool { _, ok := s.pol.Category(code); return ok }

// enterpriseFilter reads the list filter from the query.
func enterpriseFilter(r *http.Request) store.EnterpriseFilter {
	q := r.URL.Query()
	park, _ := strconv.ParseInt(q.Get("park"), 10, 64)
	return store.EnterpriseFilter{Q: q.Get("q"), Region: q.Get("region"), ParkID: park, Category: q.Get("category"),
		Status: q.Get("status"), Key: q.Get("key") == "1", Page: pageOf(r)}
}

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
		if c.Parks, _, err = s.db.ListParks(ctx, p, "", "", store.Page{Size: store.MaxPageSize}); err != nil {
			return c, err
		}
	}
	return c, nil
}

type enterpriseListData struct {
	choices
	Filter store.EnterpriseFilter
	Items  []enterprise.Enterprise
	Pager  pager
	Export string
}

func (s *Server) enterprisesPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	f := enterpriseFilter(r)
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

// --- export and import ---

func (s *Server) enterpriseExport(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	f := enterpriseFilter(r)
	name := fmt.Sprintf("企业名录-%s.xlsx", time.Now().In(s.pol.Location()).Format("20060102-1504"))
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename=\"enterprises.xlsx\"; filename*=UTF-8''"+urlEscape(name))
	return xlsx.Write(w, "企业名录", enterprise.Columns, func(yield func([]any) error) error {
		return s.db.EachEnterprise(r.Context(), p, f, func(e enterprise.Enterprise) error {
			return yield(enterprise.ToRow(s.pol, e))
		})
	})
}

// enterpriseTemplate is an empty import sheet with the headers and one example row.
func (s *Server) enterpriseTemplate(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename=\"enterprise-template.xlsx\"; filename*=UTF-8''"+urlEscape("企业导入模板.xlsx"))
	return xlsx.Write(w, "企业名录", enterprise.Columns, func(yield func([]any) error) error {
		cat := ""
		if len(s.pol.Categories) > 0 {
			cat = s.pol.Categories[0].Name
		}
		return yield([]any{"示例制造有限公司", "91330402MA0000001P", cat, "330402001", "", "", "未复工", "是", "否", "否", "否", "张三", "李四", "13800000000", 120, "示例路 1 号"})
	})
}

// readEnterpriseSheet parses an uploaded sheet into import rows.
func (s *Server) readEnterpriseSheet(f io.Reader, progress func(int)) ([]store.ImportRow, error) {
	var rows []store.ImportRow
	err := xlsx.Read(f, enterprise.Columns, func(row xlsx.Row) error {
		e, park, ps := enterprise.FromRow(s.pol, row)
		rows = append(rows, store.ImportRow{Num: row.Num, E: e, ParkName: park, Problems: ps})
		return nil
	}, progress)
	if err != nil {
		var he *xlsx.HeaderError
		if errors.As(err, &he) {
			return nil, apperr.NewInvalid("file", he.Reason, he.ReasonEN)
		}
		if errors.Is(err, xlsx.ErrFormat) {
			return nil, apperr.NewInvalid("file", "文件不是有效的 .xlsx 表格,请用 Excel 或 WPS 另存为 .xlsx 后重试", "The file is not a valid .xlsx workbook; save it as .xlsx and try again")
		}
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NewInvalid("file", "表格中没有数据行", "The sheet has no data rows")
	}
	return rows, nil
}

// uploadedFile reads the "file" part of a multipart form into memory, with the file's
// base name (as a Windows browser may send a whole path).
func uploadedFile(r *http.Request) ([]byte, string, error) {
	f, h, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, "", err
		}
		if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) || errors.Is(err, multipart.ErrMessageTooLarge) {
			return nil, "", apperr.NewInvalid("file", "请选择要上传的文件", "Choose a file to upload")
		}
		return nil, "", apperr.NewInvalid("file", "上传失败,请重试", "The upload failed; try again")
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, "", err
	}
	name := path.Base(strings.ReplaceAll(h.Filename, `\`, "/"))
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	return b, name, nil
}

func (s *Server) enterpriseImportPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "enterprise_import", "Import enterprises", enterprise.Columns, nil)
}

// enterpriseImportUpload starts an import job and shows its progress page.
func (s *Server) enterpriseImportUpload(w http.ResponseWriter, r *http.Request) error {
	b, name, err := uploadedFile(r)
	if err != nil {
		if apperr.KindOf(err) == apperr.Invalid || errors.As(err, new(*http.MaxBytesError)) {
			return s.render(w, r, http.StatusUnprocessableEntity, "enterprise_import", "Import enterprises", enterprise.Columns, err)
		}
		return err
	}
	p := principal(r)
	validOnly := r.FormValue("valid_only") == "1"
	return s.startImportJob(w, r, "enterprises", name, func(ctx context.Context, progress func(done, total int)) (*store.ImportResult, error) {
		return s.runEnterpriseImport(ctx, progress, p, bytes.NewReader(b), validOnly)
	})
}

// startImportJob runs an import in the background, with its progress and report kept
// in the database (so any instance can show them), and sends the browser to the job page.
func (s *Server) startImportJob(w http.ResponseWriter, r *http.Request, kind, fileName string, run func(ctx context.Context, progress func(done, total int)) (*store.ImportResult, error)) error {
	id, err := s.db.StartImportJob(r.Context(), kind, principal(r).UserID, fileName)
	if err != nil {
		return err
	}
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		ctx := context.Background()
		last := time.Now()
		progress := func(done, total int) {
			if time.Since(last) < 300*time.Millisecond {
				return
			}
			last = time.Now()
			if err := s.db.ImportProgress(ctx, id, done, total); err != nil {
				s.log.Warn("import progress", "job", id, "err", err)
			}
		}
		res, err := run(ctx, progress)
		failure := ""
		if err != nil {
			if e, ok := apperr.As(err); ok && e.Kind != apperr.Internal {
				failure = e.Message + " / " + e.MessageEN
			} else {
				s.log.Error("import failed", "job", id, "err", err)
				failure = "导入失败,请稍后重试 / The import failed; try again later"
			}
		}
		if err := s.db.FinishImportJob(ctx, id, res, failure); err != nil {
			s.log.Error("import job", "job", id, "err", err)
		}
	}()
	http.Redirect(w, r, fmt.Sprintf("/imports/%d", id), http.StatusSeeOther)
	return nil
}

// runEnterpriseImport reads and imports a sheet; progress (when not nil) hears of it:
// the first half of the bar is reading, the second checking and writing.
func (s *Server) runEnterpriseImport(ctx context.Context, progress func(done, total int), p auth.Principal, f io.Reader, validOnly bool) (*store.ImportResult, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	rows, err := s.readEnterpriseSheet(f, func(n int) { progress(n/2, n) })
	if err != nil {
		return nil, err
	}
	res, err := s.db.ImportEnterprises(ctx, p, rows, s.knownCategory, validOnly, func(done, total int) { progress(total/2+done/2, total) })
	return &res, err
}

type importJobData struct {
	Job   store.ImportJob
	Field map[string]string // field key → Chinese header
	List  string            // where the imported records are listed
	Again string            // the upload page
}

// importKinds says, per kind of import job, its columns and pages.
var importKinds = map[string]struct {
	columns     []xlsx.Column
	list, again string
}{
	"enterprises": {enterprise.Columns, "/enterprises", "/enterprises/import"},
	"roster":      {roster.Columns, "/roster", "/roster/import"},
}

func (s *Server) importJobPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "导入任务")
	if err != nil {
		return err
	}
	job, err := s.db.GetImportJob(r.Context(), principal(r).UserID, id)
	if err != nil {
		return err
	}
	kind := importKinds[job.Kind]
	headers := map[string]string{"park": "所属园区", "park_id": "所属园区"}
	for _, c := range kind.columns {
		headers[c.Key] = c.Header
	}
	return s.render(w, r, http.StatusOK, "import_job", "Import", importJobData{Job: job, Field: headers, List: kind.list, Again: kind.again}, nil)
}

func (s *Server) apiImportJob(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "导入任务")
	if err != nil {
		return err
	}
	job, err := s.db.GetImportJob(r.Context(), principal(r).UserID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, job)
	return nil
}

// --- JSON API ---

type listResponse[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	Page  int `json:"page"`
	Size  int `json:"size"`
}

func newList[T any](items []T, total int, page store.Page) listResponse[T] {
	if items == nil {
		items = []T{}
	}
	if page.Number <= 0 {
		page.Number = 1
	}
	if page.Size <= 0 {
		page.Size = 20
	}
	return listResponse[T]{Items: items, Total: total, Page: page.Number, Size: min(page.Size, store.MaxPageSize)}
}

func (s *Server) apiEnterprises(w http.ResponseWriter, r *http.Request) error {
	f := enterpriseFilter(r)
	items, total, err := s.db.ListEnterprises(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// enterpriseInput is the API's body for creating and patching: pointers tell which
// fields were sent.
type enterpriseInput struct {
	Name            *string `json:"name"`
	USCC            *string `json:"uscc"`
	Category        *string `json:"category"`
	RegionCode      *string `json:"region_code"`
	ParkID          *int64  `json:"park_id"`
	Status          *string `json:"status"`
	HasCanteen      *bool   `json:"has_canteen"`
	HasDormitory    *bool   `json:"has_dormitory"`
	HasBus          *bool   `json:"has_bus"`
	KeyEnterprise   *bool   `json:"key_enterprise"`
	LegalRep        *string `json:"legal_rep"`
	PreventionLead  *string `json:"prevention_lead"`
	PreventionPhone *string `json:"prevention_phone"`
	Address         *string `json:"address"`
	Headcount       *int    `json:"headcount"`
	Version         int     `json:"version,omitempty"`
}

func (in enterpriseInput) apply(e *enterprise.Enterprise) {
	setIf(&e.Name, in.Name)
	setIf(&e.USCC, in.USCC)
	setIf(&e.Category, in.Category)
	setIf(&e.RegionCode, in.RegionCode)
	setIf(&e.LegalRep, in.LegalRep)
	setIf(&e.PreventionLead, in.PreventionLead)
	setIf(&e.PreventionPhone, in.PreventionPhone)
	setIf(&e.Address, in.Address)
	setIf(&e.ParkID, in.ParkID)
	setIf(&e.Headcount, in.Headcount)
	setIf(&e.HasCanteen, in.HasCanteen)
	setIf(&e.HasDormitory, in.HasDormitory)
	setIf(&e.HasBus, in.HasBus)
	setIf(&e.KeyEnterprise, in.KeyEnterprise)
	if in.Status != nil {
		e.Status = enterprise.Status(*in.Status)
	}
}

func (s *Server) apiEnterpriseCreate(w http.ResponseWriter, r *http.Request) error {
	var in enterpriseInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e := enterprise.Enterprise{Status: enterprise.NotResumed}
	in.apply(&e)
	created, err := s.db.CreateEnterprise(r.Context(), principal(r), e, s.knownCategory)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/enterprises/%d", created.ID))
	writeJSON(w, http.StatusCreated, created)
	return nil
}

func (s *Server) apiEnterprise(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	e, err := s.db.GetEnterprise(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) apiEnterprisePatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	p := principal(r)
	e, err := s.db.GetEnterprise(r.Context(), p, id)
	if err != nil {
		return err
	}
	var in enterpriseInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	in.apply(&e)
	updated, err := s.db.UpdateEnterprise(r.Context(), p, e, in.Version, s.knownCategory)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, updated)
	return nil
}

func (s *Server) apiEnterpriseImport(w http.ResponseWriter, r *http.Request) error {
	b, _, err := uploadedFile(r)
	if err != nil {
		return err
	}
	validOnly := r.URL.Query().Get("valid_only") == "true" || r.URL.Query().Get("valid_only") == "1"
	res, err := s.runEnterpriseImport(r.Context(), nil, principal(r), bytes.NewReader(b), validOnly)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !res.Written {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, res)
	return nil
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
