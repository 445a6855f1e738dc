package web

import (
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
	"fugong/internal/policy"
	"fugong/internal/roster"
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

// rosterPicker is the enterprise picker of the roster's filter, form and import; an
// enterprise's own users have none.
func (s *Server) rosterPicker(r *http.Request, field, param, form string, selected int64) (*entPicker, error) {
	if principal(r).Scope.Kind == auth.ScopeEnterprise {
		return nil, nil
	}
	return s.enterprisePicker(r, field, param, form, selected)
}

type rosterListData struct {
	rosterHelp
	Filter      roster.Filter
	Items       []roster.Item
	Counts      roster.Counts
	Pager       pager
	Export      string
	ExportQuery url.Values // the filter, as hidden fields of the export form
	Enterprises *entPicker
}

func (s *Server) rosterPage(w http.ResponseWriter, r *http.Request) error {
	f, err := rosterFilter(r)
	if err != nil {
		return err
	}
	items, total, counts, err := s.db.Roster().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	ents, err := s.rosterPicker(r, "enterprise", "eq", "", f.EnterpriseID)
	if err != nil {
		return err
	}
	if ents != nil {
		ents.All = true
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
	Enterprises *entPicker
	Certificate *roster.Certificate // the home grid certificate on file
	CertAccept  string
	CertMaxMB   int
	Account     *roster.Account // the linked staff account (see employeeAccount)
}

func (s *Server) employeeForm(w http.ResponseWriter, r *http.Request, status int, it roster.Item, isNew bool, err error) error {
	var ents *entPicker
	var eerr error
	if isNew {
		ents, eerr = s.rosterPicker(r, "enterprise_id", "q", "entpick", it.EnterpriseID)
	}
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
		switch c, cerr := s.db.Roster().Certificate(r.Context(), principal(r), it.ID); apperr.KindOf(cerr) {
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
	return s.employeeForm(w, r, http.StatusOK, roster.Item{Employee: e}, true, nil)
}

func (s *Server) employeeCreate(w http.ResponseWriter, r *http.Request) error {
	e, _, err := s.formEmployee(r, roster.Employee{})
	if err == nil {
		var created roster.Item
		created, err = s.db.Roster().Create(r.Context(), principal(r), e)
		if err == nil {
			flash(w, translate(langOf(r), "Employee added"))
			http.Redirect(w, r, fmt.Sprintf("/employees/%d", created.ID), http.StatusSeeOther)
			return nil
		}
	}
	if apperr.KindOf(err) != apperr.Invalid {
		return err
	}
	return s.employeeForm(w, r, http.StatusUnprocessableEntity, roster.Item{Employee: e}, true, err)
}

func (s *Server) employeePage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	it, err := s.db.Roster().Get(r.Context(), principal(r), id)
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
	old, err := s.db.Roster().Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	e, version, err := s.formEmployee(r, old.Employee)
	if err == nil {
		_, err = s.db.Roster().Update(r.Context(), p, e, version)
		if err == nil {
			flash(w, translate(langOf(r), "Changes saved"))
			http.Redirect(w, r, fmt.Sprintf("/employees/%d", id), http.StatusSeeOther)
			return nil
		}
	}
	switch apperr.KindOf(err) {
	case apperr.Invalid:
		return s.employeeForm(w, r, http.StatusUnprocessableEntity, roster.Item{Employee: e, Status: old.Status}, false, err)
	case apperr.Conflict:
		fresh, gerr := s.db.Roster().Get(r.Context(), p, id)
		if gerr != nil {
			return gerr
		}
		return s.employeeForm(w, r, http.StatusConflict, fresh, false, err)
	}
	return err
}

// rosterTemplate is an empty import sheet with the headers and one example row.
func (s *Server) rosterTemplate(w http.ResponseWriter, r *http.Request) error {
	xlsxDownload(w, "roster-template.xlsx", "花名册导入模板.xlsx")
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
	Enterprises *entPicker
	Result      *xlsx.Result
	Field       map[string]string
}

func (s *Server) rosterImportData(r *http.Request, res *xlsx.Result) (rosterImportData, error) {
	sel, _ := strconv.ParseInt(r.FormValue("enterprise_id"), 10, 64)
	ents, err := s.rosterPicker(r, "enterprise_id", "q", "entpick", sel)
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

// rosterImportUpload starts the import in the background and shows its progress.
func (s *Server) rosterImportUpload(w http.ResponseWriter, r *http.Request) error {
	ent, _ := strconv.ParseInt(r.FormValue("enterprise_id"), 10, 64)
	validOnly := r.FormValue("valid_only") == "1"
	b, name, err := uploadedSheet(r)
	var sh *xlsx.Sheet
	if err == nil {
		sh, err = openSheet(b) // checked at once, on the form, rather than in the background job
	}
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
	return s.startImportJob(w, r, "roster", name, func(ctx context.Context, progress func(done, total int)) (*xlsx.Result, error) {
		res, err := s.runRosterImport(ctx, progress, p, sh, ent, validOnly)
		return &res, err
	})
}

func (s *Server) employeeLeave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	if _, err := s.db.Roster().MarkLeft(r.Context(), principal(r), id); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Leaving recorded; the person's entry passes are revoked"))
	http.Redirect(w, r, fmt.Sprintf("/employees/%d", id), http.StatusSeeOther)
	return nil
}

// --- the account of an employee (on the employee's page) ---

// employeeAccount is the account section of an employee's page.
func (s *Server) employeeAccount(r *http.Request, employeeID int64) (*roster.Account, error) {
	acc, err := s.db.Roster().Account(r.Context(), principal(r), employeeID)
	if err != nil {
		return nil, err
	}
	return &acc, nil
}

// employeeAccountSave links (user_id) or unlinks (action=unlink) the employee's account
// from the employee's page.
func (s *Server) employeeAccountSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	lang := langOf(r)
	msg := "Account unlinked"
	switch r.FormValue("action") {
	case "create":
		var acc roster.NewAccount
		if acc, err = s.db.Roster().CreateAccount(r.Context(), p, id, r.FormValue("username")); err == nil {
			return s.showSecret(w, r, http.StatusCreated, secretData{U: acc.User, Password: acc.Password, Created: true, Back: fmt.Sprintf("/employees/%d", id)})
		}
	case "unlink":
		_, err = s.db.Roster().UnlinkAccount(r.Context(), p, id)
	default:
		msg = "Account linked"
		uid, perr := strconv.ParseInt(strings.TrimSpace(r.FormValue("user_id")), 10, 64)
		if perr != nil || uid <= 0 {
			uid = 0 // the store says what is missing
		}
		_, err = s.db.Roster().LinkAccount(r.Context(), p, id, uid)
	}
	if err != nil {
		k := apperr.KindOf(err)
		if k != apperr.Invalid && k != apperr.Conflict {
			return err
		}
		it, gerr := s.db.Roster().Get(r.Context(), p, id)
		if gerr != nil {
			return gerr
		}
		return s.employeeForm(w, r, statusOf[k], it, false, err)
	}
	flash(w, translate(lang, msg))
	http.Redirect(w, r, fmt.Sprintf("/employees/%d", id), http.StatusSeeOther)
	return nil
}
