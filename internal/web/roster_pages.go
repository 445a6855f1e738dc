package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/xlsx"
)

// rosterHelp gives the roster templates the policy's names and the clock's words.
type rosterHelp struct {
	pol  *policy.Policy
	lang string
}

func (h rosterHelp) Origins() []policy.OriginClass { return h.pol.OriginClasses }
func (h rosterHelp) Phases() []roster.Phase        { return roster.Phases }
func (h rosterHelp) OriginName(code string) string { return roster.OriginName(h.pol, code, h.lang) }
func (h rosterHelp) Date(t time.Time) string       { return roster.FormatDate(t, h.pol.Location()) }
func (h rosterHelp) PhaseName(p roster.Phase) string {
	n := roster.PhaseNames[p]
	if h.lang == "en" {
		return n[1]
	}
	return n[0]
}
func (h rosterHelp) Reason(st roster.Status) string {
	if h.lang == "en" {
		return st.ReasonEN
	}
	return st.Reason
}

func (s *Server) rosterHelp(r *http.Request) rosterHelp { return rosterHelp{s.pol, langOf(r)} }

func rosterFilter(r *http.Request) store.EmployeeFilter {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	return store.EmployeeFilter{EnterpriseID: ent, Q: q.Get("q"), Phase: roster.Phase(q.Get("phase")), Certificate: q.Get("certificate"), Page: pageOf(r)}
}

// rosterEnterprises are the enterprises a user may pick in the roster's filter and form;
// an enterprise's own users have none to pick.
func (s *Server) rosterEnterprises(r *http.Request) ([]enterprise.Enterprise, error) {
	p := principal(r)
	if p.Scope.Kind == auth.ScopeEnterprise {
		return nil, nil
	}
	items, _, err := s.db.ListEnterprises(r.Context(), p, store.EnterpriseFilter{Page: store.Page{Size: store.MaxPageSize}})
	return items, err
}

type rosterListData struct {
	rosterHelp
	Filter      store.EmployeeFilter
	Items       []store.EmployeeItem
	Counts      roster.Counts
	Pager       pager
	Export      string
	ExportQuery url.Values // the filter, as hidden fields of the export form
	Enterprises []enterprise.Enterprise
}

func (s *Server) rosterPage(w http.ResponseWriter, r *http.Request) error {
	f := rosterFilter(r)
	items, total, counts, err := s.roster.List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	ents, err := s.rosterEnterprises(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	q.Del("page")
	q.Del("full")
	d := rosterListData{rosterHelp: s.rosterHelp(r), Filter: f, Items: items, Counts: counts, Pager: newPager(r, f.Page, total),
		Export: "/roster/export?" + q.Encode(), Enterprises: ents, ExportQuery: q}
	return s.render(w, r, http.StatusOK, "roster", "Roster", d, nil)
}

type employeeFormData struct {
	rosterHelp
	E           roster.Employee
	Status      roster.Status
	New         bool
	CanEdit     bool
	Enterprises []enterprise.Enterprise
	Certificate *store.Certificate // the home grid certificate on file
	CertAccept  string
	CertMaxMB   int
	Account     *store.EmployeeAccount // the linked staff account (see handlers_me.go)
}

func (s *Server) employeeForm(w http.ResponseWriter, r *http.Request, status int, it store.EmployeeItem, isNew bool, err error) error {
	ents, eerr := s.rosterEnterprises(r)
	if eerr != nil {
		return eerr
	}
	canEdit := principal(r).Can(auth.RosterEdit)
	if !canEdit {
		it.IDNumber = "" // masked for those who only view
	}
	title := "Employee"
	page := "employee"
	if canEdit {
		page = "employee_form"
	}
	if isNew {
		title = "Add an employee"
	}
	d := employeeFormData{rosterHelp: s.rosterHelp(r), E: it.Employee, Status: it.Status, New: isNew, CanEdit: canEdit, Enterprises: ents,
		CertAccept: certAccept(), CertMaxMB: certMaxSize >> 20}
	if !isNew && it.ID != 0 {
		switch c, cerr := s.roster.Certificate(r.Context(), principal(r), it.ID); apperr.KindOf(cerr) {
		case apperr.NotFound:
		default:
			if cerr != nil {
				return cerr
			}
			d.Certificate = &c
		}
	}
	if !isNew && it.ID != 0 {
		if d.Account, eerr = s.employeeAccount(r, it.ID); eerr != nil {
			return eerr
		}
	}
	return s.render(w, r, status, page, title, d, err)
}

// formEmployee reads the employee form over base; fields the form lacks keep their value.
func (s *Server) formEmployee(r *http.Request, base roster.Employee) (roster.Employee, int, error) {
	if err := r.ParseForm(); err != nil {
		return base, 0, apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	e := base
	f := r.PostForm
	for key, dst := range map[string]*string{"name": &e.Name, "id_number": &e.IDNumber, "phone": &e.Phone, "department": &e.Department,
		"origin": &e.Origin, "home_address": &e.HomeAddress, "transport": &e.Transport, "trajectory": &e.Trajectory,
		"contact_history": &e.ContactHistory, "cohabitants_health": &e.CohabitantsHealth, "dorm_room": &e.DormRoom,
		"isolation_room": &e.IsolationRoom} {
		if v, ok := f[key]; ok {
			*dst = v[0]
		}
	}
	var ps apperr.Problems
	if v, ok := f["enterprise_id"]; ok && base.ID == 0 {
		e.EnterpriseID, _ = strconv.ParseInt(strings.TrimSpace(v[0]), 10, 64)
	}
	if v, ok := f["return_date"]; ok {
		d, good := roster.ParseDate(v[0], s.pol.Location())
		if !good {
			ps.Add("return_date", "返岗日期无法识别,请填写如 2020-02-10", "Unreadable return date; write it as 2020-02-10")
		}
		e.ReturnDate = d
	}
	if v, ok := f["journey_hours"]; ok {
		h := strings.TrimSpace(v[0])
		if h == "" {
			h = "0"
		}
		n, err := strconv.ParseFloat(h, 64)
		if err != nil {
			ps.Add("journey_hours", "途中时长应为小时数", "Journey hours must be a number of hours")
		}
		e.JourneyHours = n
	}
	version, _ := strconv.Atoi(f.Get("version"))
	return e, version, ps.Err()
}

func (s *Server) employeeNewPage(w http.ResponseWriter, r *http.Request) error {
	e := roster.Employee{Origin: policy.OriginLocal}
	if p := principal(r); p.Scope.Kind == auth.ScopeEnterprise {
		e.EnterpriseID = p.Scope.ID
	}
	e.EnterpriseID = cmpOr(e.EnterpriseID, int64(intValue(r.URL.Query().Get("enterprise"))))
	return s.employeeForm(w, r, http.StatusOK, store.EmployeeItem{Employee: e}, true, nil)
}

func cmpOr(a, b int64) int64 {
	if a != 0 {
		return a
	}
	return b
}

func (s *Server) employeeCreate(w http.ResponseWriter, r *http.Request) error {
	e, _, err := s.formEmployee(r, roster.Employee{})
	if err == nil {
		var created store.EmployeeItem
		created, err = s.roster.Create(r.Context(), principal(r), e)
		if err == nil {
			flash(w, translate(langOf(r), "Employee added"))
			http.Redirect(w, r, fmt.Sprintf("/employees/%d", created.ID), http.StatusSeeOther)
			return nil
		}
	}
	if apperr.KindOf(err) != apperr.Invalid {
		return err
	}
	return s.employeeForm(w, r, http.StatusUnprocessableEntity, store.EmployeeItem{Employee: e}, true, err)
}

func (s *Server) employeePage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	it, err := s.roster.Get(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return s.employeeForm(w, r, http.StatusOK, it, false, nil)
}

func (s *Server) employeeUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	old, err := s.roster.Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	e, version, err := s.formEmployee(r, old.Employee)
	if err == nil {
		_, err = s.roster.Update(r.Context(), p, e, version)
		if err == nil {
			flash(w, translate(langOf(r), "Changes saved"))
			http.Redirect(w, r, fmt.Sprintf("/employees/%d", id), http.StatusSeeOther)
			return nil
		}
	}
	switch apperr.KindOf(err) {
	case apperr.Invalid:
		return s.employeeForm(w, r, http.StatusUnprocessableEntity, store.EmployeeItem{Employee: e, Status: old.Status}, false, err)
	case apperr.Conflict:
		fresh, gerr := s.roster.Get(r.Context(), p, id)
		if gerr != nil {
			return gerr
		}
		return s.employeeForm(w, r, http.StatusConflict, fresh, false, err)
	}
	return err
}

// --- export and import ---

// rosterExport streams the roster in scope matching the filter; ID numbers are masked,
// unless ?full=1 asks a caller with roster.edit for them in full (audited first).
func (s *Server) rosterExport(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	f := rosterFilter(r)
	full := wantsFull(r)
	if full {
		if _, err := s.roster.AuditFullExport(r.Context(), p, f); err != nil {
			return err
		}
	}
	name := fmt.Sprintf("员工花名册-%s.xlsx", time.Now().In(s.pol.Location()).Format("20060102-1504"))
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename=\"roster.xlsx\"; filename*=UTF-8''"+urlEscape(name))
	return xlsx.Write(w, "员工花名册", roster.ExportColumns, func(yield func([]any) error) error {
		return s.roster.Each(r.Context(), p, f, full, func(it store.EmployeeItem) error {
			return yield(roster.ToRow(s.pol, it.Employee, it.Status, full))
		})
	})
}

// rosterTemplate is an empty import sheet with the headers and one example row.
func (s *Server) rosterTemplate(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename=\"roster-template.xlsx\"; filename*=UTF-8''"+urlEscape("花名册导入模板.xlsx"))
	return xlsx.Write(w, "员工花名册", roster.Columns, func(yield func([]any) error) error {
		origin := ""
		if len(s.pol.OriginClasses) > 0 {
			origin = s.pol.OriginClasses[0].Name
		}
		return yield([]any{"张三", "", "13800000000", "生产部", origin, "示例路 1 号", "2020-02-10", "自驾", 2, "近14天未离开本地", "无", "健康"})
	})
}

type rosterImportData struct {
	Columns     []xlsx.Column
	Enterprises []enterprise.Enterprise
	Result      *store.ImportResult
	Field       map[string]string
}

func (s *Server) rosterImportData(r *http.Request, res *store.ImportResult) (rosterImportData, error) {
	ents, err := s.rosterEnterprises(r)
	headers := map[string]string{"enterprise_id": "企业", "dorm_room": "宿舍房间", "isolation_room": "隔离房间"}
	for _, c := range roster.Columns {
		headers[c.Key] = c.Header
	}
	return rosterImportData{Columns: roster.Columns, Enterprises: ents, Result: res, Field: headers}, err
}

func (s *Server) rosterImportPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.rosterImportData(r, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "roster_import", "Import the roster", d, nil)
}

// runRosterImport reads an uploaded sheet and imports it into an enterprise's roster.
// runRosterImport reads and imports a roster sheet; progress (when not nil) hears of it:
// the first half of the bar is reading, the second checking and writing.
func (s *Server) runRosterImport(ctx context.Context, progress func(done, total int), p auth.Principal, b []byte, enterpriseID int64, validOnly bool) (store.ImportResult, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	var rows []store.EmployeeImportRow
	err := xlsx.Read(bytes.NewReader(b), roster.Columns, func(row xlsx.Row) error {
		e, ps := roster.FromRow(s.pol, row)
		rows = append(rows, store.EmployeeImportRow{Num: row.Num, E: e, Problems: ps})
		return nil
	}, func(n int) { progress(n/2, n) })
	if err != nil {
		var he *xlsx.HeaderError
		if errors.As(err, &he) {
			return store.ImportResult{}, apperr.NewInvalid("file", he.Reason, he.ReasonEN)
		}
		if errors.Is(err, xlsx.ErrFormat) {
			return store.ImportResult{}, apperr.NewInvalid("file", "文件不是有效的 .xlsx 表格,请用 Excel 或 WPS 另存为 .xlsx 后重试", "The file is not a valid .xlsx workbook; save it as .xlsx and try again")
		}
		return store.ImportResult{}, err
	}
	if len(rows) == 0 {
		return store.ImportResult{}, apperr.NewInvalid("file", "表格中没有数据行", "The sheet has no data rows")
	}
	return s.roster.Import(ctx, p, enterpriseID, rows, validOnly, func(done, total int) { progress(total/2+done/2, total) })
}

// rosterImportUpload starts the import in the background and shows its progress.
func (s *Server) rosterImportUpload(w http.ResponseWriter, r *http.Request) error {
	ent, _ := strconv.ParseInt(r.FormValue("enterprise_id"), 10, 64)
	validOnly := r.FormValue("valid_only") == "1"
	b, name, err := uploadedFile(r)
	if err != nil {
		if apperr.KindOf(err) == apperr.Invalid || errors.As(err, new(*http.MaxBytesError)) {
			d, derr := s.rosterImportData(r, nil)
			if derr != nil {
				return derr
			}
			return s.render(w, r, http.StatusUnprocessableEntity, "roster_import", "Import the roster", d, err)
		}
		return err
	}
	p := principal(r)
	return s.startImportJob(w, r, "roster", name, func(ctx context.Context, progress func(done, total int)) (*store.ImportResult, error) {
		res, err := s.runRosterImport(ctx, progress, p, b, ent, validOnly)
		return &res, err
	})
}

// --- JSON API ---

// employeeOut is an employee as the API sends it: the return date as a day, the plain ID
// number only to those who may edit the roster.
type employeeOut struct {
	store.EmployeeItem
	ReturnDate string `json:"return_date"`
}

func (s *Server) employeeOut(p auth.Principal, it store.EmployeeItem) employeeOut {
	if !p.Can(auth.RosterEdit) {
		it.IDNumber = ""
	}
	return employeeOut{it, roster.FormatDate(it.ReturnDate, s.pol.Location())}
}

type rosterList struct {
	listResponse[employeeOut]
	Counts roster.Counts `json:"counts"`
}

func (s *Server) apiEmployees(w http.ResponseWriter, r *http.Request) error {
	f := rosterFilter(r)
	p := principal(r)
	items, total, counts, err := s.roster.List(r.Context(), p, f)
	if err != nil {
		return err
	}
	out := make([]employeeOut, len(items))
	for i, it := range items {
		out[i] = s.employeeOut(p, it)
	}
	writeJSON(w, http.StatusOK, rosterList{newList(out, total, f.Page), counts})
	return nil
}

// employeeInput is the API's body for creating and patching: pointers tell which fields
// were sent.
type employeeInput struct {
	EnterpriseID      *int64   `json:"enterprise_id"`
	Name              *string  `json:"name"`
	IDNumber          *string  `json:"id_number"`
	Phone             *string  `json:"phone"`
	Department        *string  `json:"department"`
	Origin            *string  `json:"origin"`
	HomeAddress       *string  `json:"home_address"`
	ReturnDate        *string  `json:"return_date"`
	Transport         *string  `json:"transport"`
	JourneyHours      *float64 `json:"journey_hours"`
	Trajectory        *string  `json:"trajectory"`
	ContactHistory    *string  `json:"contact_history"`
	CohabitantsHealth *string  `json:"cohabitants_health"`
	DormRoom          *string  `json:"dorm_room"`
	IsolationRoom     *string  `json:"isolation_room"`
	Version           int      `json:"version,omitempty"`
}

func (in employeeInput) apply(e *roster.Employee, loc *time.Location) error {
	if e.ID == 0 {
		setIf(&e.EnterpriseID, in.EnterpriseID)
	}
	setIf(&e.Name, in.Name)
	setIf(&e.IDNumber, in.IDNumber)
	setIf(&e.Phone, in.Phone)
	setIf(&e.Department, in.Department)
	setIf(&e.Origin, in.Origin)
	setIf(&e.HomeAddress, in.HomeAddress)
	setIf(&e.Transport, in.Transport)
	setIf(&e.JourneyHours, in.JourneyHours)
	setIf(&e.Trajectory, in.Trajectory)
	setIf(&e.ContactHistory, in.ContactHistory)
	setIf(&e.CohabitantsHealth, in.CohabitantsHealth)
	setIf(&e.DormRoom, in.DormRoom)
	setIf(&e.IsolationRoom, in.IsolationRoom)
	if in.ReturnDate != nil {
		d, ok := roster.ParseDate(*in.ReturnDate, loc)
		if !ok {
			return apperr.NewInvalid("return_date", "返岗日期无法识别,请填写如 2020-02-10", "Unreadable return date; write it as 2020-02-10")
		}
		e.ReturnDate = d
	}
	return nil
}

func (s *Server) apiEmployeeCreate(w http.ResponseWriter, r *http.Request) error {
	var in employeeInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var e roster.Employee
	if err := in.apply(&e, s.pol.Location()); err != nil {
		return err
	}
	p := principal(r)
	created, err := s.roster.Create(r.Context(), p, e)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/employees/%d", created.ID))
	writeJSON(w, http.StatusCreated, s.employeeOut(p, created))
	return nil
}

func (s *Server) apiEmployee(w http.ResponseWriter, r *http.Request) error {
	return s.apiEmployeeDo(w, r, s.roster.Get)
}

// apiEmployeeDo applies do to the employee named by the {id} path value and answers the
// result as the API shows employees.
func (s *Server) apiEmployeeDo(w http.ResponseWriter, r *http.Request, do func(context.Context, auth.Principal, int64) (store.EmployeeItem, error)) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	it, err := do(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.employeeOut(p, it))
	return nil
}

func (s *Server) apiEmployeePatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	it, err := s.roster.Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	var in employeeInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e := it.Employee
	if err := in.apply(&e, s.pol.Location()); err != nil {
		return err
	}
	updated, err := s.roster.Update(r.Context(), p, e, in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.employeeOut(p, updated))
	return nil
}

func (s *Server) apiEmployeeImport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	validOnly := q.Get("valid_only") == "true" || q.Get("valid_only") == "1"
	b, _, err := uploadedFile(r)
	if err != nil {
		return err
	}
	res, err := s.runRosterImport(r.Context(), nil, principal(r), b, ent, validOnly)
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

// rosterSchemas are the OpenAPI schemas of the roster routes.
func rosterSchemas() obj {
	date := obj{"type": "string", "format": "date"}
	stamp := obj{"type": "string", "format": "date-time"}
	fields := func(withOutput bool) obj {
		props := obj{
			"enterprise_id": id64("The enterprise (filled in for enterprise users)"), "name": str("Full name"),
			"id_number": str("Resident ID number (GB 11643); in answers only for roster.edit"), "phone": str(""),
			"department": str("Department or team"), "origin": str("Origin class code of the policy (local, city_other_district, province_other_city, other_province)"),
			"home_address": str(""), "return_date": date, "transport": str(""), "journey_hours": obj{"type": "number", "minimum": 0},
			"trajectory": str("Travel of the last 14 days"), "contact_history": str(""), "cohabitants_health": str(""),
			"dorm_room": str(""), "isolation_room": str(""), "version": obj{"type": "integer"},
		}
		if withOutput {
			props["has_certificate"] = obj{"type": "boolean", "description": "The home grid certificate (封闭期间情况证明) is on file"}
			props["id"], props["id_masked"], props["enterprise_name"] = id64(""), str("Masked ID number, e.g. 3301**********1234"), str("")
			props["created_at"], props["updated_at"], props["left_at"] = stamp, stamp, stamp
			props["status"] = ref("ClockStatus")
		}
		return props
	}
	return obj{
		"ClockStatus": object("The quarantine and monitoring clock", []string{"phase"}, obj{
			"phase": obj{"type": "string", "enum": []string{"isolating", "monitoring", "advised_not_return", "cleared", "not_returned"}},
			"until": stamp, "days_left": obj{"type": "integer"}, "journey_too_long": obj{"type": "boolean"},
			"reason": str("Why, with the policy's figure and clause"), "reason_en": str(""),
		}),
		"Employee":      object("A person file (一人一档)", []string{"id", "enterprise_id", "name", "id_masked", "status"}, fields(true)),
		"EmployeeInput": object("Fields of a person file; on PATCH only the fields sent change", nil, fields(false)),
		"EmployeeList": object("A page of the roster with the clock's counts over every match", []string{"items", "total", "counts"}, obj{
			"items": obj{"type": "array", "items": obj{"$ref": schemaRef + "Employee"}}, "total": obj{"type": "integer"},
			"page": obj{"type": "integer"}, "size": obj{"type": "integer"},
			"counts": obj{"type": "object", "additionalProperties": obj{"type": "integer"},
				"description": "total, isolating, monitoring, advised_not_return, cleared, not_returned, cleared_tomorrow, journey_too_long"},
		}),
	}
}

func (s *Server) employeeLeave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	if _, err := s.roster.MarkLeft(r.Context(), principal(r), id); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Leaving recorded; the person's entry passes are revoked"))
	http.Redirect(w, r, fmt.Sprintf("/employees/%d", id), http.StatusSeeOther)
	return nil
}

func (s *Server) apiEmployeeLeave(w http.ResponseWriter, r *http.Request) error {
	return s.apiEmployeeDo(w, r, s.roster.MarkLeft)
}
