package web

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/files"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/xlsx"
)

// Resumption applications (复工复产申请): the list and the review queue, the form, the
// detail page with the policy's checks and the actions the user may take, uploads, the
// export, and the JSON API over the same use cases.

// --- shared helpers ---

// appPick returns en for English pages (when there is one), zh otherwise.
func appPick(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}

// appUnitName is the policy unit's name in lang ("" for no unit).
func (s *Server) appUnitName(code, lang string) string {
	if code == "" {
		return ""
	}
	if u, ok := s.pol.Unit(code); ok {
		return appPick(lang, u.Name, u.NameEN)
	}
	return code
}

// appStageName is the name of a stage of the policy's workflow.
func (s *Server) appStageName(code, lang string) string {
	for _, st := range s.pol.Stages {
		if st.Code == code {
			return appPick(lang, st.Name, st.NameEN)
		}
	}
	return code
}

func appActionLabel(act application.Action, lang string) string {
	n, ok := application.ActionNames[act]
	if !ok {
		return string(act)
	}
	return appPick(lang, n[0], n[1])
}

func appRoleLabel(role, lang string) string {
	if n, ok := auth.RoleNames[auth.Role(role)]; ok {
		return appPick(lang, n[0], n[1])
	}
	return role
}

// appFilesOnBehalf reports whether the role files for enterprises (帮办代办): the store then
// lets it submit and withdraw as the enterprise (store.Transition).
func appFilesOnBehalf(r auth.Role) bool {
	switch r {
	case auth.Park, auth.Town, auth.Reviewer, auth.Command, auth.Grid, auth.Admin:
		return true
	}
	return false
}

// appCommentRequired reports whether the store refuses the action without a reason.
func appCommentRequired(act application.Action) bool {
	return act == application.Return || act == application.Reject || act == application.Revoke || act == application.Fail
}

// appActions lists the transitions the principal may make now, each permitted for the
// actor the store would build for it.
func (s *Server) appActions(ctx context.Context, p auth.Principal, e enterprise.Enterprise, a application.Application) ([]application.Transition, error) {
	ts, err := application.Transitions(s.pol, e, a)
	if err != nil {
		return nil, nil // a status outside the workflow: nobody can act; the page says so
	}
	var out []application.Transition
	for _, t := range ts {
		actor, err := s.db.Actor(ctx, s.pol, p, t.Unit)
		if err != nil {
			return nil, err
		}
		if (t.Action == application.Submit || t.Action == application.Withdraw) && appFilesOnBehalf(p.Role) {
			actor.Role = string(auth.Enterprise)
		}
		if t.Permits(actor) {
			out = append(out, t)
		}
	}
	return out, nil
}

// appChecks evaluates the policy against the application: live for drafts, as of the
// filing time for submitted ones (application.Check measures the lead time from it).
func (s *Server) appChecks(e enterprise.Enterprise, a application.Application) []application.Outcome {
	return application.Check(s.pol, e, a, s.db.Now())
}

// appFilterOf reads the list filter from the query.
func appFilterOf(r *http.Request) store.AppFilter {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(strings.TrimSpace(q.Get("enterprise")), 10, 64)
	mine := q.Get("mine")
	return store.AppFilter{Status: strings.TrimSpace(q.Get("status")), Unit: strings.TrimSpace(q.Get("unit")),
		Region: strings.TrimSpace(q.Get("region")), Q: q.Get("q"), Enterprise: ent, Mine: mine == "1" || mine == "true", Page: pageOf(r)}
}

// appRow is an application as the list and the export show it.
type appRow struct {
	store.AppView
	USCC       string
	StatusText string
	UnitName   string
	Returning  int
	Due        time.Time
	Overdue    bool
	NoticeID   int64
	Serial     string
}

// appRows adds what the list shows: the enterprise's credit code, the status in words,
// the reviewing unit, the due date, and the notice of approved applications.
func (s *Server) appRows(ctx context.Context, p auth.Principal, items []store.AppView, lang string, ents map[int64]enterprise.Enterprise) ([]appRow, error) {
	now := s.db.Now()
	rows := make([]appRow, 0, len(items))
	for _, v := range items {
		e, ok := ents[v.EnterpriseID]
		if !ok {
			var err error
			if e, err = s.db.GetEnterprise(ctx, p, v.EnterpriseID); err != nil {
				return nil, err
			}
			ents[v.EnterpriseID] = e
		}
		zh, en := application.StatusName(s.pol, e, v.Application)
		row := appRow{AppView: v, USCC: e.USCC, StatusText: appPick(lang, zh, en), UnitName: s.appUnitName(v.RouteUnit, lang),
			Returning: v.Returning.Total(), Overdue: v.Overdue(now)}
		if v.DueAt != nil && application.InReview(v.Status) {
			row.Due = *v.DueAt
		}
		if v.Status == application.StatusApproved || v.Status == application.StatusRevoked {
			n, err := s.db.NoticeOfApplication(ctx, v.ID)
			if err != nil {
				return nil, err
			}
			if n != nil {
				row.NoticeID, row.Serial = n.ID, n.Serial
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// --- the list ---

type appOption struct{ Value, Label string }

type appTab struct {
	Label, Link string
	N           int
	On          bool
}

type appListData struct {
	Filter   store.AppFilter
	Rows     []appRow
	Pager    pager
	Export   string
	NewLink  string
	Tabs     []appTab
	Statuses []appOption
	Units    []appOption
	Regions  []region.Region
}

// appStatusOptions are the status filter's choices: undecided, the fixed statuses and the
// stages an application can have completed.
func (s *Server) appStatusOptions(lang string) []appOption {
	opts := []appOption{{"open", translate(lang, "Under review (all stages)")}}
	for _, st := range application.FixedStatuses {
		opts = append(opts, appOption{st, translate(lang, appStatusKey[st])})
	}
	for _, st := range s.pol.Stages {
		opts = append(opts, appOption{st.Code, translate(lang, "Stage done") + ": " + appPick(lang, st.Name, st.NameEN)})
	}
	return opts
}

// appStatusKey are the English catalog keys of the fixed statuses.
var appStatusKey = map[string]string{
	application.StatusDraft: "Draft", application.StatusReturned: "Returned", application.StatusRejected: "Rejected",
	application.StatusWithdrawn: "Withdrawn", application.StatusApproved: "Approved", application.StatusRevoked: "Revoked",
}

func (s *Server) applicationsPage(w http.ResponseWriter, r *http.Request) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	f := appFilterOf(r)
	items, total, err := s.db.ListApplications(ctx, s.pol, p, f)
	if err != nil {
		return err
	}
	rows, err := s.appRows(ctx, p, items, lang, map[int64]enterprise.Enterprise{})
	if err != nil {
		return err
	}
	counts, err := s.db.CountApplications(ctx, p)
	if err != nil {
		return err
	}
	_, mine, err := s.db.ListApplications(ctx, s.pol, p, store.AppFilter{Mine: true, Page: store.Page{Size: 1}})
	if err != nil {
		return err
	}
	all, open := 0, 0
	for st, n := range counts {
		all += n
		if application.InReview(st) {
			open += n
		}
	}
	tab := func(key, link string, n int, on bool) appTab {
		return appTab{Label: translate(lang, key), Link: link, N: n, On: on}
	}
	plain := f.Q == "" && f.Unit == "" && f.Region == "" && f.Enterprise == 0
	d := appListData{Filter: f, Rows: rows, Pager: newPager(r, f.Page, total), Statuses: s.appStatusOptions(lang),
		Tabs: []appTab{
			tab("All", "/applications", all, plain && !f.Mine && f.Status == ""),
			tab("Waiting for me", "/applications?mine=1", mine, f.Mine),
			tab("Under review", "/applications?status=open", open, !f.Mine && f.Status == "open"),
		}}
	for _, st := range application.FixedStatuses {
		d.Tabs = append(d.Tabs, tab(appStatusKey[st], "/applications?status="+st, counts[st], !f.Mine && f.Status == st))
	}
	for _, u := range s.pol.Units {
		if u.Role == string(auth.Enterprise) {
			continue
		}
		d.Units = append(d.Units, appOption{u.Code, appPick(lang, u.Name, u.NameEN)})
	}
	if p.Role != auth.Enterprise {
		if d.Regions, err = s.db.AllRegions(ctx, p); err != nil {
			return err
		}
	}
	if auth.Can(p.Role, auth.AppsFile) {
		d.NewLink = "/applications/new"
		if f.Enterprise != 0 {
			d.NewLink += "?enterprise=" + strconv.FormatInt(f.Enterprise, 10)
		}
	}
	q := r.URL.Query()
	q.Del("page")
	q.Del("size")
	d.Export = "/applications/export"
	if len(q) > 0 {
		d.Export += "?" + q.Encode()
	}
	return s.render(w, r, http.StatusOK, "applications", "Resumption applications", d, nil)
}

// appColumns are the export's columns.
var appColumns = []xlsx.Column{
	{Key: "enterprise", Header: "企业名称", Width: 32}, {Key: "uscc", Header: "信用代码", Width: 22, Text: true},
	{Key: "region", Header: "区域", Width: 14}, {Key: "unit", Header: "审核单位", Width: 26}, {Key: "status", Header: "状态", Width: 26},
	{Key: "planned_at", Header: "计划复工时间", Width: 18}, {Key: "returning", Header: "返岗人数", Width: 10},
	{Key: "submitted_at", Header: "提交时间", Width: 18}, {Key: "due_at", Header: "办理时限", Width: 18},
	{Key: "notice", Header: "通知书编号", Width: 24},
}

// applicationsExport writes every application of the filter (all pages, in the list's
// order) as .xlsx with Chinese headers.
func (s *Server) applicationsExport(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	f := appFilterOf(r)
	loc := s.pol.Location()
	name := fmt.Sprintf("复工申请-%s.xlsx", time.Now().In(loc).Format("20060102-1504"))
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\"applications.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	inLoc := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.In(loc)
	}
	ents := map[int64]enterprise.Enterprise{}
	return xlsx.Write(w, "复工申请", appColumns, func(yield func([]any) error) error {
		for page := 1; ; page++ {
			f.Page = store.Page{Number: page, Size: store.MaxPageSize}
			items, total, err := s.db.ListApplications(ctx, s.pol, p, f)
			if err != nil {
				return err
			}
			rows, err := s.appRows(ctx, p, items, "zh", ents)
			if err != nil {
				return err
			}
			for _, v := range rows {
				if err := yield([]any{v.EnterpriseName, v.USCC, v.RegionName, v.UnitName, v.StatusText, inLoc(v.PlannedAt),
					v.Returning, inLoc(v.SubmittedAt), inLoc(v.Due), v.Serial}); err != nil {
					return err
				}
			}
			if len(items) == 0 || page*store.MaxPageSize >= total {
				return nil
			}
		}
	})
}

// --- the form ---

const (
	appDateTime = "2006-01-02T15:04" // <input type=datetime-local>
	appDate     = "2006-01-02"       // <input type=date>
)

type appOrigin struct{ Field, Name string }
type appSupply struct{ Field, Item, Name, Unit string }
type appDormRow struct{ Name, Beds, Assigned string }
type appMaterialOpt struct {
	policy.Material
	Label, PartOfName string
	Checked           bool
	Files             int
}
type appCheckOpt struct {
	Code, Label string
	Checked     bool
}

type appFormData struct {
	A         store.AppView
	E         enterprise.Enterprise
	New       bool
	Existing  int64             // the enterprise's open application, when a new one is refused
	V         map[string]string // the values of the text and number inputs
	Origins   []appOrigin
	Supplies  []appSupply
	ShowDorm  bool
	Dorm      []appDormRow
	MaxRoom   int
	Materials []appMaterialOpt
	Checklist []appCheckOpt
	TimeZone  string
}

// appDormRows is how many dormitory rows the form shows for n rooms.
func appDormRows(n int) int { return max(6, n+2) }

// appFormValues are the form's text values for the application.
func (s *Server) appFormValues(a application.Application) map[string]string {
	loc := s.pol.Location()
	v := map[string]string{"note": a.Note, "commitment.signed_by": a.Commitment.SignedBy}
	if !a.PlannedAt.IsZero() {
		v["planned_at"] = a.PlannedAt.In(loc).Format(appDateTime)
	}
	if !a.Commitment.SignedAt.IsZero() {
		v["commitment.signed_at"] = a.Commitment.SignedAt.In(loc).Format(appDate)
	}
	for _, c := range application.OriginClasses {
		v["returning."+c] = strconv.Itoa(a.Returning.Of(c))
	}
	for _, it := range application.SupplyItems {
		q, _ := a.Stock(it)
		v["supplies."+it] = strconv.Itoa(q)
	}
	v["isolation_rooms"] = strconv.Itoa(a.IsolationRooms)
	return v
}

// appForm renders the form for the application v of enterprise e. vals overrides the text
// of inputs (what the user typed, when it was not accepted).
func (s *Server) appForm(w http.ResponseWriter, r *http.Request, status int, v store.AppView, e enterprise.Enterprise, isNew bool, vals map[string]string, err error) error {
	lang := langOf(r)
	d := appFormData{A: v, E: e, New: isNew, V: s.appFormValues(v.Application), MaxRoom: s.pol.Dormitory.MaxPerRoom, TimeZone: s.pol.Location().String()}
	for k, x := range vals {
		d.V[k] = x
	}
	for _, c := range application.OriginClasses {
		name := c
		if o, ok := s.pol.OriginClass(c); ok {
			name = appPick(lang, o.Name, o.NameEN)
		}
		d.Origins = append(d.Origins, appOrigin{Field: "returning." + c, Name: name})
	}
	for _, it := range application.SupplyItems {
		n := application.SupplyNames[it]
		_, unit := v.Stock(it)
		d.Supplies = append(d.Supplies, appSupply{Field: "supplies." + it, Item: it, Name: appPick(lang, n[0], n[1]), Unit: unit})
	}
	d.ShowDorm = e.HasDormitory || len(v.Dormitory) > 0
	if d.ShowDorm {
		for i := range appDormRows(len(v.Dormitory)) {
			row := appDormRow{}
			if i < len(v.Dormitory) {
				dr := v.Dormitory[i]
				row = appDormRow{dr.Name, strconv.Itoa(dr.Beds), strconv.Itoa(dr.Assigned)}
			}
			for key, dst := range map[string]*string{"name": &row.Name, "beds": &row.Beds, "assigned": &row.Assigned} {
				if x, ok := vals[fmt.Sprintf("dormitory[%d].%s", i, key)]; ok {
					*dst = x
				}
			}
			d.Dorm = append(d.Dorm, row)
		}
	}
	flags := application.Flags(e, v.Application, s.pol)
	mats := s.pol.MaterialsFor(e.Category, flags)
	for _, m := range mats {
		opt := appMaterialOpt{Material: m, Label: appPick(lang, m.Name, m.NameEN), Checked: v.Parts[m.Code]}
		for _, p := range mats {
			if p.Code == m.PartOf {
				opt.PartOfName = appPick(lang, p.Name, p.NameEN)
			}
		}
		for _, at := range v.Attachments {
			if at.Material == m.Code {
				opt.Files++
			}
		}
		d.Materials = append(d.Materials, opt)
	}
	for _, c := range s.pol.ChecklistFor(flags) {
		d.Checklist = append(d.Checklist, appCheckOpt{Code: c.Code, Label: appPick(lang, c.Name, c.NameEN), Checked: v.SelfCheck[c.Code]})
	}
	if isNew && apperr.KindOf(err) == apperr.Conflict {
		d.Existing = s.appOpenFor(r.Context(), principal(r), e.ID)
	}
	title := "Edit application"
	if isNew {
		title = "New application"
	}
	return s.render(w, r, status, "application_form", title, d, err)
}

// appOpenFor returns the enterprise's application that is not final (0 if none).
func (s *Server) appOpenFor(ctx context.Context, p auth.Principal, entID int64) int64 {
	items, _, err := s.db.ListApplications(ctx, s.pol, p, store.AppFilter{Enterprise: entID, Page: store.Page{Size: store.MaxPageSize}})
	if err != nil {
		return 0
	}
	for _, v := range items {
		if !application.Terminal(v.Status) {
			return v.ID
		}
	}
	return 0
}

// parseAppForm reads the form over base. It returns the application, the version the form
// was based on, the text the user typed, and every problem — parsing and field validation
// (application.Validate), with the field names of the form. Policy checks are not run: a
// draft can always be saved.
func (s *Server) parseAppForm(r *http.Request, base application.Application) (application.Application, int, map[string]string, apperr.Problems) {
	var ps apperr.Problems
	vals := map[string]string{}
	if err := r.ParseForm(); err != nil {
		ps.Add("form", "表单无法读取", "The form could not be read")
		return base, 0, vals, ps
	}
	f := r.PostForm
	loc := s.pol.Location()
	a := base
	text := func(key string) string {
		v := strings.TrimSpace(f.Get(key))
		vals[key] = v
		return v
	}
	num := func(key string) int {
		v := text(key)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			ps.Add(key, "请填写整数", "Enter a whole number")
		}
		return n
	}
	if v := text("planned_at"); v == "" {
		a.PlannedAt = time.Time{}
	} else if t, err := appParseLocalTime(v, loc); err != nil {
		ps.Add("planned_at", "请按“年-月-日 时:分”填写计划复工时间", "Enter the planned time as year-month-day hour:minute")
	} else {
		a.PlannedAt = t.UTC()
	}
	a.EarlyResumption = f.Get("early_resumption") != ""
	a.GreenChannel = f.Get("green_channel") != ""
	a.Returning = application.Returning{Local: num("returning.local"), CityOtherDistrict: num("returning.city_other_district"),
		ProvinceOtherCity: num("returning.province_other_city"), OtherProvince: num("returning.other_province")}
	a.Supplies = nil
	for _, it := range application.SupplyItems {
		_, unit := base.Stock(it)
		if unit == application.SupplyNames[it][2] {
			unit = ""
		}
		a.Supplies = append(a.Supplies, application.SupplyItem{Item: it, Quantity: num("supplies." + it), Unit: unit})
	}
	a.IsolationRooms = num("isolation_rooms")
	var dormRow []int // dormitory index → form row
	if f.Get("dormitory") != "" {
		a.Dormitory = nil
		for i := range appDormRows(len(base.Dormitory)) {
			key := func(k string) string { return fmt.Sprintf("dormitory[%d].%s", i, k) }
			name, beds, assigned := text(key("name")), text(key("beds")), text(key("assigned"))
			if name == "" && beds == "" && assigned == "" {
				continue
			}
			a.Dormitory = append(a.Dormitory, application.DormRoom{Name: name, Beds: num(key("beds")), Assigned: num(key("assigned"))})
			dormRow = append(dormRow, i)
		}
	}
	a.Parts = map[string]bool{}
	for _, code := range f["parts"] {
		a.Parts[code] = true
	}
	a.SelfCheck = map[string]bool{}
	for _, code := range f["self_check"] {
		a.SelfCheck[code] = true
	}
	a.Commitment.SignedBy = text("commitment.signed_by")
	if v := text("commitment.signed_at"); v == "" {
		a.Commitment.SignedAt = time.Time{}
	} else if t, err := time.ParseInLocation(appDate, v, loc); err != nil {
		ps.Add("commitment.signed_at", "请按“年-月-日”填写签署日期", "Enter the date as year-month-day")
	} else {
		a.Commitment.SignedAt = t.UTC()
	}
	a.Note = text("note")
	version, _ := strconv.Atoi(f.Get("version"))
	for _, p := range a.Validate(s.pol) {
		// Name the inputs of the form: supplies by item, dormitory rooms by form row.
		if i, rest, ok := appIndexed(p.Field, "supplies["); ok && i < len(a.Supplies) {
			p.Field = "supplies." + a.Supplies[i].Item
			if rest != ".quantity" {
				p.Field += rest
			}
		} else if i, rest, ok := appIndexed(p.Field, "dormitory["); ok && i < len(dormRow) {
			p.Field = fmt.Sprintf("dormitory[%d]%s", dormRow[i], rest)
		}
		ps = append(ps, p)
	}
	return a, version, vals, ps
}

// appIndexed splits "prefix" + "N]rest".
func appIndexed(field, prefix string) (int, string, bool) {
	rest, ok := strings.CutPrefix(field, prefix)
	if !ok {
		return 0, "", false
	}
	n, rest, ok := strings.Cut(rest, "]")
	if !ok {
		return 0, "", false
	}
	i, err := strconv.Atoi(n)
	return i, rest, err == nil
}

// appParseLocalTime reads a datetime-local value (or a date and time with a space) in loc.
func appParseLocalTime(v string, loc *time.Location) (time.Time, error) {
	var err error
	for _, layout := range []string{appDateTime, "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05"} {
		var t time.Time
		if t, err = time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

type appChooseData struct {
	Q     string
	Items []enterprise.Enterprise
	Pager pager
}

// appChooser lets an official pick the enterprise to file for.
func (s *Server) appChooser(w http.ResponseWriter, r *http.Request, status int, err error) error {
	q := r.URL.Query().Get("q")
	page := pageOf(r)
	items, total, lerr := s.db.ListEnterprises(r.Context(), principal(r), store.EnterpriseFilter{Q: q, Page: page})
	if lerr != nil {
		return lerr
	}
	return s.render(w, r, status, "application_choose", "New application", appChooseData{Q: q, Items: items, Pager: newPager(r, page, total)}, err)
}

func (s *Server) applicationNewPage(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	eid, _ := strconv.ParseInt(r.URL.Query().Get("enterprise"), 10, 64)
	if eid == 0 && p.Scope.Kind == auth.ScopeEnterprise {
		eid = p.Scope.ID
	}
	if eid == 0 {
		return s.appChooser(w, r, http.StatusOK, nil)
	}
	e, err := s.db.GetEnterprise(ctx, p, eid)
	if err != nil {
		return err
	}
	if id := s.appOpenFor(ctx, p, e.ID); id != 0 {
		flash(w, translate(langOf(r), "The enterprise already has an application in progress or approved; continue with it."))
		http.Redirect(w, r, fmt.Sprintf("/applications/%d", id), http.StatusSeeOther)
		return nil
	}
	v := store.AppView{Application: application.Application{EnterpriseID: e.ID, Status: application.StatusDraft}, EnterpriseName: e.Name}
	return s.appForm(w, r, http.StatusOK, v, e, true, nil, nil)
}

func (s *Server) applicationCreate(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	eid, _ := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("enterprise_id")), 10, 64)
	if eid == 0 && p.Scope.Kind == auth.ScopeEnterprise {
		eid = p.Scope.ID
	}
	if eid == 0 {
		return s.appChooser(w, r, http.StatusUnprocessableEntity,
			apperr.NewInvalid("enterprise_id", "请选择要申请复工的企业", "Choose the enterprise the application is for"))
	}
	e, err := s.db.GetEnterprise(ctx, p, eid)
	if err != nil {
		return err
	}
	a, _, vals, ps := s.parseAppForm(r, application.Application{EnterpriseID: e.ID, Status: application.StatusDraft})
	v := store.AppView{Application: a, EnterpriseName: e.Name}
	if len(ps) > 0 {
		return s.appForm(w, r, http.StatusUnprocessableEntity, v, e, true, vals, ps.Err())
	}
	created, err := s.db.CreateApplication(ctx, s.pol, p, a)
	switch apperr.KindOf(err) {
	case apperr.Invalid:
		return s.appForm(w, r, http.StatusUnprocessableEntity, v, e, true, vals, err)
	case apperr.Conflict:
		return s.appForm(w, r, http.StatusConflict, v, e, true, vals, err)
	}
	if err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Draft saved. Attach the materials below, then submit."))
	http.Redirect(w, r, fmt.Sprintf("/applications/%d", created.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) applicationEditPage(w http.ResponseWriter, r *http.Request) error {
	v, e, err := s.appByPath(r)
	if err != nil {
		return err
	}
	if !application.Editable(v.Status) {
		flash(w, translate(langOf(r), "The application has been submitted and can no longer be changed."))
		http.Redirect(w, r, fmt.Sprintf("/applications/%d", v.ID), http.StatusSeeOther)
		return nil
	}
	return s.appForm(w, r, http.StatusOK, v, e, false, nil, nil)
}

func (s *Server) applicationUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	old, e, err := s.appByPath(r)
	if err != nil {
		return err
	}
	id := old.ID
	a, version, vals, ps := s.parseAppForm(r, old.Application)
	v := old
	v.Application = a
	if len(ps) > 0 {
		return s.appForm(w, r, http.StatusUnprocessableEntity, v, e, false, vals, ps.Err())
	}
	_, err = s.db.UpdateApplication(ctx, s.pol, p, a, version)
	switch apperr.KindOf(err) {
	case apperr.Invalid:
		return s.appForm(w, r, http.StatusUnprocessableEntity, v, e, false, vals, err)
	case apperr.Conflict:
		// Someone changed it meanwhile, or it is no longer editable: show the fresh record.
		fresh, gerr := s.db.GetApplication(ctx, p, id)
		if gerr != nil {
			return gerr
		}
		if !application.Editable(fresh.Status) {
			return s.appDetailPage(w, r, http.StatusConflict, fresh, err, "", "")
		}
		return s.appForm(w, r, http.StatusConflict, fresh, e, false, nil, err)
	}
	if err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Changes saved"))
	http.Redirect(w, r, fmt.Sprintf("/applications/%d", id), http.StatusSeeOther)
	return nil
}

// --- the detail page ---

type appWaiting struct{ Stage, Role, Unit string }

type appMaterialView struct {
	Code, Name, PartOf, Clause string
	Required, Part, Has        bool
	Files                      []application.Attachment
}

type appEventView struct {
	store.Event
	ActionText, RoleText, FromText, ToText string
}

type appInspectionView struct {
	store.Inspection
	StageText string
	Failed    []appFailedItem
}

type appFailedItem struct{ Name, Note string }

type appActionView struct {
	Action, Label, Confirm string
	Primary, Danger        bool
	NeedComment, Inspect   bool
}

type appDetailData struct {
	A            store.AppView
	E            enterprise.Enterprise
	StatusText   string
	Waiting      *appWaiting
	RouteUnit    string
	FirstReview  string
	Checks       []application.Outcome
	Failed       int
	Blocking     int
	Materials    []appMaterialView
	Other        []application.Attachment
	Events       []appEventView
	Inspections  []appInspectionView
	Notice       *store.Notice
	Actions      []appActionView
	CanEdit      bool
	CanUpload    bool
	Accept       string
	MaxMB        int
	Due          time.Time
	Overdue      bool
	Posted       string // the action whose form was posted, when the page shows its error
	Comment      string
	TimeZone     string
	EarlyBlocked bool
}

func (s *Server) applicationPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	v, err := s.db.GetApplication(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return s.appDetailPage(w, r, http.StatusOK, v, nil, "", "")
}

// appUploadAccept is the accept attribute of the file inputs.
func appUploadAccept() string {
	exts := make([]string, 0, len(files.Allowed))
	for ext := range files.Allowed {
		exts = append(exts, ext)
	}
	sort.Strings(exts)
	return strings.Join(exts, ",")
}

// appDetailPage renders the detail page of v; err (with the posted action and comment)
// is shown when an action or upload was refused.
func (s *Server) appDetailPage(w http.ResponseWriter, r *http.Request, status int, v store.AppView, err error, posted, comment string) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	e, gerr := s.db.GetEnterprise(ctx, p, v.EnterpriseID)
	if gerr != nil {
		return gerr
	}
	zh, en := application.StatusName(s.pol, e, v.Application)
	now := s.db.Now()
	d := appDetailData{A: v, E: e, StatusText: appPick(lang, zh, en), RouteUnit: s.appUnitName(v.RouteUnit, lang),
		FirstReview: s.appUnitName(v.FirstReview, lang), Accept: appUploadAccept(), MaxMB: files.MaxSize >> 20,
		Overdue: v.Overdue(now), Posted: posted, Comment: comment, TimeZone: s.pol.Location().String()}
	if v.DueAt != nil && application.InReview(v.Status) {
		d.Due = *v.DueAt
	}
	if st, ok := application.StageOf(s.pol, e, v.Application); ok {
		role, unit := s.pol.StageActor(st, application.RouteFor(s.pol, e))
		d.Waiting = &appWaiting{Stage: appPick(lang, st.Name, st.NameEN), Role: appRoleLabel(role, lang), Unit: s.appUnitName(unit, lang)}
	}
	d.Checks = s.appChecks(e, v.Application)
	for _, o := range d.Checks {
		if !o.Passed {
			d.Failed++
			if o.Blocking {
				d.Blocking++
			}
		}
	}
	editable := application.Editable(v.Status)
	d.CanEdit = editable && auth.Can(p.Role, auth.AppsFile)
	d.CanUpload = editable
	flags := application.Flags(e, v.Application, s.pol)
	shown := map[string]bool{}
	mats := s.pol.MaterialsFor(e.Category, flags)
	for _, m := range mats {
		mv := appMaterialView{Code: m.Code, Name: appPick(lang, m.Name, m.NameEN), Clause: m.Clause, Required: m.Required,
			Part: v.Parts[m.Code], Has: v.Has(m.Code)}
		for _, parent := range mats {
			if parent.Code == m.PartOf {
				mv.PartOf = appPick(lang, parent.Name, parent.NameEN)
			}
		}
		for _, at := range v.Attachments {
			if at.Material == m.Code {
				mv.Files = append(mv.Files, at)
			}
		}
		shown[m.Code] = true
		d.Materials = append(d.Materials, mv)
	}
	for _, at := range v.Attachments {
		if !shown[at.Material] {
			d.Other = append(d.Other, at)
		}
	}
	events, gerr := s.db.Events(ctx, v.ID)
	if gerr != nil {
		return gerr
	}
	statusText := func(st string) string {
		if k, ok := appStatusKey[st]; ok {
			return translate(lang, k)
		}
		return s.appStageName(st, lang)
	}
	for _, ev := range events {
		d.Events = append(d.Events, appEventView{Event: ev, ActionText: appActionLabel(application.Action(ev.Action), lang),
			RoleText: appRoleLabel(ev.ActorRole, lang), FromText: statusText(ev.From), ToText: statusText(ev.To)})
	}
	ins, gerr := s.db.Inspections(ctx, v.ID)
	if gerr != nil {
		return gerr
	}
	names := map[string]string{}
	for _, c := range s.pol.Checklist {
		names[c.Code] = appPick(lang, c.Name, c.NameEN)
	}
	for _, in := range ins {
		iv := appInspectionView{Inspection: in, StageText: s.appStageName(in.Stage, lang)}
		for _, it := range in.Items {
			if it.Result == "fail" {
				iv.Failed = append(iv.Failed, appFailedItem{Name: cmp.Or(names[it.Code], it.Code), Note: it.Note})
			}
		}
		d.Inspections = append(d.Inspections, iv)
	}
	if d.Notice, gerr = s.db.NoticeOfApplication(ctx, v.ID); gerr != nil {
		return gerr
	}
	ts, gerr := s.appActions(ctx, p, e, v.Application)
	if gerr != nil {
		return gerr
	}
	for _, t := range ts {
		av := appActionView{Action: string(t.Action), Label: appActionLabel(t.Action, lang), NeedComment: appCommentRequired(t.Action),
			Inspect: t.Checklist && (t.Action == application.Pass || t.Action == application.Fail)}
		switch t.Action {
		case application.Submit, application.Accept, application.Pass, application.Issue, application.Approve:
			av.Primary = true
		case application.Reject, application.Revoke, application.Withdraw:
			av.Danger = true
			av.Confirm = translate(lang, appConfirmKey[t.Action])
		}
		d.Actions = append(d.Actions, av)
	}
	title := v.EnterpriseName + " · " + translate(lang, "Resumption application")
	return s.render(w, r, status, "application", title, d, err)
}

var appConfirmKey = map[application.Action]string{
	application.Reject:   "Reject the application? This is final.",
	application.Revoke:   "Revoke the approval? The enterprise must stop production and its notice becomes invalid.",
	application.Withdraw: "Withdraw the application? A withdrawn application cannot be resumed; a new one must be filed.",
}

// applicationTransition applies an action posted from the detail page.
func (s *Server) applicationTransition(w http.ResponseWriter, r *http.Request) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	act := application.Action(strings.TrimSpace(r.PostForm.Get("action")))
	comment := r.PostForm.Get("comment")
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	res, err := s.db.Transition(ctx, s.pol, s.signer, p, id, store.TransitionRequest{Action: act, Comment: comment, Version: version})
	if err == nil {
		msg := fmt.Sprintf(translate(lang, "Done: %s."), appActionLabel(act, lang))
		if res.Notice != nil {
			msg += " " + fmt.Sprintf(translate(lang, "Resumption notice %s issued."), res.Notice.Serial)
		}
		flash(w, msg)
		http.Redirect(w, r, fmt.Sprintf("/applications/%d", id), http.StatusSeeOther)
		return nil
	}
	switch k := apperr.KindOf(err); k {
	case apperr.Invalid, apperr.Conflict, apperr.Forbidden:
		v, gerr := s.db.GetApplication(ctx, p, id)
		if gerr != nil {
			return gerr
		}
		return s.appDetailPage(w, r, statusOf[k], v, err, string(act), comment)
	}
	return err
}

// --- attachments ---

// appAttach checks the material, stores the file and records it on the application.
func (s *Server) appAttach(ctx context.Context, p auth.Principal, v store.AppView, material, name string, data []byte) (application.Attachment, error) {
	material = strings.TrimSpace(material)
	var ps apperr.Problems
	item, inspection := strings.CutPrefix(material, "inspection:")
	switch {
	case material == "":
		ps.Add("material", "请选择这份文件对应的材料", "Choose the material this file stands for")
	case inspection:
		if !slices.ContainsFunc(s.pol.Checklist, func(c policy.CheckItem) bool { return c.Code == item }) {
			ps.Add("material", "现行政策的验收清单中没有这一项: "+item, "The policy's checklist has no item "+item)
		}
	default:
		if !slices.ContainsFunc(s.pol.Materials, func(m policy.Material) bool { return m.Code == material }) {
			ps.Add("material", "当前政策中没有这项材料: "+material, "The policy in force has no material "+material)
		}
	}
	if err := ps.Err(); err != nil {
		return application.Attachment{}, err
	}
	st, err := s.files.Put(name, bytes.NewReader(data))
	if err != nil {
		return application.Attachment{}, err
	}
	at := application.Attachment{Material: material, Name: name, SHA256: st.SHA256, Size: st.Size, ContentType: st.ContentType}
	if err := s.db.AddAttachment(ctx, p, v.ID, at); err != nil {
		return application.Attachment{}, err
	}
	return at, nil
}

func (s *Server) applicationAttach(w http.ResponseWriter, r *http.Request) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	v, err := s.db.GetApplication(ctx, p, id)
	if err != nil {
		return err
	}
	data, name, err := uploadedFile(r)
	if err == nil {
		_, err = s.appAttach(ctx, p, v, r.FormValue("material"), name, data)
	}
	if err == nil {
		flash(w, fmt.Sprintf(translate(lang, "File %s uploaded."), name))
		http.Redirect(w, r, fmt.Sprintf("/applications/%d#materials", id), http.StatusSeeOther)
		return nil
	}
	switch k := apperr.KindOf(err); k {
	case apperr.Invalid, apperr.Conflict:
		return s.appDetailPage(w, r, statusOf[k], v, err, "", "")
	}
	return err
}

// applicationFile sends an attachment: images and PDF are shown in the browser, other
// files are downloaded.
func (s *Server) applicationFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	at, err := s.db.AttachmentFile(r.Context(), principal(r), id, strings.ToLower(r.PathValue("sha")))
	if err != nil {
		return err
	}
	f, err := s.files.Open(at.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	disposition := "attachment"
	if strings.HasPrefix(at.ContentType, "image/") || at.ContentType == "application/pdf" {
		disposition = "inline"
	}
	ext := strings.ToLower(path.Ext(at.Name))
	if _, ok := files.Allowed[ext]; !ok {
		ext = ""
	}
	w.Header().Set("Content-Type", at.ContentType)
	w.Header().Set("Content-Disposition", disposition+"; filename=\"file"+ext+"\"; filename*=UTF-8''"+url.PathEscape(at.Name))
	w.Header().Set("Cache-Control", "private, max-age=3600")
	http.ServeContent(w, r, "", time.Time{}, f)
	return nil
}

// --- JSON API ---

func (s *Server) apiApplications(w http.ResponseWriter, r *http.Request) error {
	f := appFilterOf(r)
	items, total, err := s.db.ListApplications(r.Context(), s.pol, principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// appPatchInput is the API's body for the editable fields; pointers tell which were sent.
type appPatchInput struct {
	EnterpriseID    *int64                    `json:"enterprise_id"`
	PlannedAt       *time.Time                `json:"planned_at"`
	EarlyResumption *bool                     `json:"early_resumption"`
	GreenChannel    *bool                     `json:"green_channel"`
	Returning       *application.Returning    `json:"returning"`
	Supplies        *[]application.SupplyItem `json:"supplies"`
	IsolationRooms  *int                      `json:"isolation_rooms"`
	Dormitory       *[]application.DormRoom   `json:"dormitory"`
	Parts           *map[string]bool          `json:"parts"`
	Commitment      *application.Commitment   `json:"commitment"`
	SelfCheck       *map[string]bool          `json:"self_check"`
	Note            *string                   `json:"note"`
	Version         int                       `json:"version,omitempty"`
}

func (in appPatchInput) apply(a *application.Application) {
	if in.PlannedAt != nil {
		a.PlannedAt = in.PlannedAt.UTC()
	}
	setIf(&a.EarlyResumption, in.EarlyResumption)
	setIf(&a.GreenChannel, in.GreenChannel)
	setIf(&a.Returning, in.Returning)
	setIf(&a.Supplies, in.Supplies)
	setIf(&a.IsolationRooms, in.IsolationRooms)
	setIf(&a.Dormitory, in.Dormitory)
	setIf(&a.Parts, in.Parts)
	setIf(&a.Commitment, in.Commitment)
	setIf(&a.SelfCheck, in.SelfCheck)
	setIf(&a.Note, in.Note)
}

// appReadOnly are fields of the Application JSON that the server sets.
var appReadOnly = []string{"id", "status", "policy_version", "filed_by", "on_behalf", "attachments", "created_at", "updated_at",
	"submitted_at", "decided_at", "enterprise_name", "region_code", "region_name", "route_unit", "first_review_unit",
	"stage_role", "stage_unit", "priority", "due_at"}

// decodeAppJSON decodes an application body, saying which fields are read-only.
func decodeAppJSON(r *http.Request, dst any) error {
	err := decodeJSON(r, dst)
	if e, ok := apperr.As(err); ok && len(e.Problems) == 1 && slices.Contains(appReadOnly, e.Problems[0].Field) {
		f := e.Problems[0].Field
		hint, hintEN := "", ""
		if f == "status" {
			hint, hintEN = ";状态请用 /submit 或 /transitions 改变", "; change the status with /submit or /transitions"
		}
		return apperr.NewInvalid(f, "字段 "+f+" 由系统填写,不能修改"+hint, "The field "+f+" is set by the server and cannot be changed"+hintEN)
	}
	return err
}

func (s *Server) apiApplicationCreate(w http.ResponseWriter, r *http.Request) error {
	var in appPatchInput
	if err := decodeAppJSON(r, &in); err != nil {
		return err
	}
	if in.EnterpriseID == nil || *in.EnterpriseID <= 0 {
		return apperr.NewInvalid("enterprise_id", "请给出企业编号 enterprise_id", "Give the enterprise's id in enterprise_id")
	}
	a := application.Application{EnterpriseID: *in.EnterpriseID}
	in.apply(&a)
	v, err := s.db.CreateApplication(r.Context(), s.pol, principal(r), a)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/applications/%d", v.ID))
	writeJSON(w, http.StatusCreated, v)
	return nil
}

// appWaitingJSON is the stage that waits for its actor.
type appWaitingJSON struct {
	Stage     string `json:"stage"`
	StageName string `json:"stage_name"`
	Role      string `json:"role"`
	Unit      string `json:"unit,omitempty"`
	UnitName  string `json:"unit_name,omitempty"`
}

// appActionJSON is an action the caller may take now.
type appActionJSON struct {
	Action          application.Action `json:"action"`
	Label           string             `json:"label"`
	LabelEN         string             `json:"label_en"`
	To              string             `json:"to"`
	CommentRequired bool               `json:"comment_required"`
	Checklist       bool               `json:"checklist"`
}

// appDetailJSON is an application with its checks, the caller's actions and its history.
type appDetailJSON struct {
	store.AppView
	StatusName   string                `json:"status_name"`
	StatusNameEN string                `json:"status_name_en"`
	Waiting      *appWaitingJSON       `json:"waiting,omitempty"`
	Checks       []application.Outcome `json:"checks"`
	Blocked      bool                  `json:"blocked"`
	Actions      []appActionJSON       `json:"actions"`
	Events       []store.Event         `json:"events"`
	Inspections  []store.Inspection    `json:"inspections"`
	Notice       *store.Notice         `json:"notice"`
}

func (s *Server) apiApplication(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	v, e, err := s.appByPath(r)
	if err != nil {
		return err
	}
	id := v.ID
	d := appDetailJSON{AppView: v, Checks: s.appChecks(e, v.Application), Actions: []appActionJSON{}}
	d.StatusName, d.StatusNameEN = application.StatusName(s.pol, e, v.Application)
	d.Blocked = application.Blocked(d.Checks)
	if st, ok := application.StageOf(s.pol, e, v.Application); ok {
		role, unit := s.pol.StageActor(st, application.RouteFor(s.pol, e))
		d.Waiting = &appWaitingJSON{Stage: st.Code, StageName: st.Name, Role: role, Unit: unit, UnitName: s.appUnitName(unit, "zh")}
	}
	ts, err := s.appActions(ctx, p, e, v.Application)
	if err != nil {
		return err
	}
	for _, t := range ts {
		n := application.ActionNames[t.Action]
		d.Actions = append(d.Actions, appActionJSON{Action: t.Action, Label: n[0], LabelEN: n[1], To: t.To,
			CommentRequired: appCommentRequired(t.Action), Checklist: t.Checklist})
	}
	if d.Events, err = s.db.Events(ctx, id); err != nil {
		return err
	}
	if d.Inspections, err = s.db.Inspections(ctx, id); err != nil {
		return err
	}
	if d.Notice, err = s.db.NoticeOfApplication(ctx, id); err != nil {
		return err
	}
	if d.Checks == nil {
		d.Checks = []application.Outcome{}
	}
	if d.Events == nil {
		d.Events = []store.Event{}
	}
	if d.Inspections == nil {
		d.Inspections = []store.Inspection{}
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiApplicationPatch(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	v, err := s.db.GetApplication(ctx, p, id)
	if err != nil {
		return err
	}
	var in appPatchInput
	if err := decodeAppJSON(r, &in); err != nil {
		return err
	}
	if in.EnterpriseID != nil && *in.EnterpriseID != v.EnterpriseID {
		return apperr.NewInvalid("enterprise_id", "申请的企业不能更改", "The enterprise of an application cannot be changed")
	}
	a := v.Application
	in.apply(&a)
	updated, err := s.db.UpdateApplication(ctx, s.pol, p, a, in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, updated)
	return nil
}

// appCheckProblem is one failed rule in the answer to a refused submission.
type appCheckProblem struct {
	Rule      string `json:"rule"`
	Field     string `json:"field"` // the rule again, for clients that read the standard problems
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
	Clause    string `json:"clause"`
}

func (s *Server) apiApplicationSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	var in struct {
		Version int `json:"version"`
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
	}
	_, err = s.db.Transition(ctx, s.pol, s.signer, p, id, store.TransitionRequest{Action: application.Submit, Version: in.Version})
	if apperr.KindOf(err) == apperr.Invalid {
		// The policy's checks: answer every failed blocking rule with its clause.
		v, gerr := s.db.GetApplication(ctx, p, id)
		if gerr != nil {
			return gerr
		}
		e, gerr := s.db.GetEnterprise(ctx, p, v.EnterpriseID)
		if gerr != nil {
			return gerr
		}
		outs := s.appChecks(e, v.Application)
		if application.Blocked(outs) {
			e, _ := apperr.As(err)
			var ps []appCheckProblem
			for _, o := range outs {
				if o.Blocking && !o.Passed {
					ps = append(ps, appCheckProblem{Rule: o.Rule, Field: o.Rule, Message: o.Message, MessageEN: o.MessageEN, Clause: o.Clause})
				}
			}
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": map[string]any{
				"code": kindName[apperr.Invalid], "message": e.Message, "message_en": e.MessageEN, "problems": ps}})
			return nil
		}
	}
	if err != nil {
		return err
	}
	v, err := s.db.GetApplication(ctx, p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// appTransitionInput is the API's body for an action.
type appTransitionInput struct {
	Action     application.Action `json:"action"`
	Comment    string             `json:"comment"`
	Version    int                `json:"version"`
	Inspection *struct {
		Items     []store.CheckItemResult `json:"items"`
		Opinion   string                  `json:"opinion"`
		Signature string                  `json:"signature"`
	} `json:"inspection"`
}

// appTransitionResult is the answer to an action.
type appTransitionResult struct {
	From   string        `json:"from"`
	To     string        `json:"to"`
	Notice *store.Notice `json:"notice"`
}

func (s *Server) apiApplicationTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	var in appTransitionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	req := store.TransitionRequest{Action: in.Action, Comment: in.Comment, Version: in.Version}
	if in.Inspection != nil {
		req.Inspection = &store.Inspection{Items: in.Inspection.Items, Opinion: in.Inspection.Opinion, Signature: in.Inspection.Signature}
	}
	res, err := s.db.Transition(r.Context(), s.pol, s.signer, principal(r), id, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, appTransitionResult{From: res.From, To: res.To, Notice: res.Notice})
	return nil
}

func (s *Server) apiApplicationAttach(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	v, err := s.db.GetApplication(ctx, p, id)
	if err != nil {
		return err
	}
	data, name, err := uploadedFile(r)
	if err != nil {
		return err
	}
	at, err := s.appAttach(ctx, p, v, r.FormValue("material"), name, data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, at)
	return nil
}

// --- OpenAPI ---

// applicationSchemas are the OpenAPI schemas of the application routes.
func applicationSchemas() obj {
	dateTime := func(desc string) obj { return obj{"type": "string", "format": "date-time", "description": desc} }
	count := func(desc string) obj {
		return obj{"type": "integer", "minimum": 0, "maximum": 1_000_000, "description": desc}
	}
	actions := make([]string, 0, len(application.Actions))
	for _, a := range application.Actions {
		actions = append(actions, string(a))
	}
	props := obj{
		"enterprise_id":    id64("The enterprise; required when creating, cannot change"),
		"planned_at":       dateTime("Planned date and time of resumption (RFC 3339; pages show it in the policy's time zone)"),
		"early_resumption": boolean("Asks to resume before the policy's earliest resumption (needs the county's approval)"),
		"green_channel":    boolean("绿色通道: handled first"),
		"returning": object("Returning headcount by origin class (the policy's origin class codes)",
			[]string{"local", "city_other_district", "province_other_city", "other_province"}, obj{
				"local": count("本地"), "city_other_district": count("市内区外"),
				"province_other_city": count("省内市外"), "other_province": count("省外"),
			}),
		"supplies": obj{"type": []string{"array", "null"}, "description": "Supplies in stock; masks are counted one by one",
			"items": object("", []string{"item", "quantity"}, obj{
				"item":     obj{"type": "string", "enum": application.SupplyItems},
				"quantity": obj{"type": "integer", "minimum": 0, "maximum": 100_000_000},
				"unit":     str("For display; the item's usual unit when empty"),
			})},
		"isolation_rooms": obj{"type": "integer", "minimum": 0, "maximum": 10_000, "description": "Single rooms set aside for isolation and observation"},
		"dormitory": obj{"type": "array", "description": "Dormitory rooms (at most the policy's people per room)",
			"items": object("", []string{"name", "beds", "assigned"}, obj{
				"name": str("Room name or number"), "beds": integer(""), "assigned": integer("People housed"),
			})},
		"parts": obj{"type": "object", "additionalProperties": obj{"type": "boolean"},
			"description": "Material code → declared present inside another document (no separate file)"},
		"commitment": object("The commitment letter 承诺书", []string{"signed_by"}, obj{
			"signed_by": str("Name of the signer"), "signed_at": dateTime("Date signed"),
		}),
		"self_check": obj{"type": "object", "additionalProperties": obj{"type": "boolean"},
			"description": "Checklist item code → the enterprise checked it and it holds"},
		"note":    str("At most 2,000 characters"),
		"version": integer("Incremented by every change; send it back to guard against concurrent edits (409 when stale)"),
		// Set by the server.
		"id":                readOnly(id64("")),
		"status":            readOnly(str("draft, returned, rejected, withdrawn, approved, revoked, or while under review the code of the last stage completed")),
		"policy_version":    readOnly(str("Version of the policy in force when it was last submitted")),
		"filed_by":          readOnly(id64("User who filed it")),
		"on_behalf":         readOnly(boolean("帮办代办: filed by an official or the park operator")),
		"attachments":       readOnly(obj{"type": "array", "items": ref("Attachment")}),
		"created_at":        timestamp(),
		"updated_at":        timestamp(),
		"submitted_at":      timestamp(),
		"decided_at":        timestamp(),
		"enterprise_name":   readOnly(str("")),
		"region_code":       readOnly(str("")),
		"region_name":       readOnly(str("")),
		"route_unit":        readOnly(str("Reviewing unit (policy unit code)")),
		"first_review_unit": readOnly(str("Unit that reviews first, when there is one")),
		"stage_role":        readOnly(str("Role that must act now")),
		"stage_unit":        readOnly(str("Unit that must act now")),
		"priority":          readOnly(obj{"type": "number", "description": "Place in the review queue: higher goes first"}),
		"due_at":            readOnly(obj{"type": "string", "format": "date-time", "description": "When a decision is due"}),
	}
	detail := obj{}
	for k, v := range props {
		detail[k] = v
	}
	detail["status_name"] = readOnly(str("The status in words (Chinese)"))
	detail["status_name_en"] = readOnly(str("The status in words (English)"))
	detail["waiting"] = object("The stage that waits for its actor", []string{"stage", "stage_name", "role"}, obj{
		"stage": str("Stage code"), "stage_name": str(""), "role": str("Role that acts"),
		"unit": str("Unit that acts, when one is named"), "unit_name": str(""),
	})
	detail["checks"] = obj{"type": "array", "items": ref("CheckOutcome"), "description": "Every rule of the policy evaluated: live for drafts, as of filing once submitted"}
	detail["blocked"] = boolean("A blocking rule fails: submitting is refused")
	detail["actions"] = obj{"type": "array", "items": ref("ApplicationAction"), "description": "What the caller may do now"}
	detail["events"] = obj{"type": "array", "items": ref("ApplicationEvent")}
	detail["inspections"] = obj{"type": "array", "items": ref("ApplicationInspection")}
	detail["notice"] = obj{"oneOf": []obj{ref("ApplicationNotice"), {"type": "null"}}, "description": "The resumption notice, once issued"}

	return obj{
		"Application": object("A resumption application 复工复产申请. Create: enterprise_id and any editable fields. PATCH: any editable fields (the others keep their value) and version; read-only fields are refused.",
			[]string{"id", "enterprise_id", "status", "version"}, props),
		"ApplicationList":   list("Application"),
		"ApplicationDetail": object("An application with its checks, the caller's actions and its history", []string{"id", "enterprise_id", "status", "version", "checks", "actions", "events", "notice"}, detail),
		"CheckOutcome": object("One rule of the policy evaluated against the application", []string{"rule", "clause", "blocking", "passed", "message", "message_en"}, obj{
			"rule":       str("Rule code, e.g. supplies_masks"),
			"clause":     str("The clause of the policy or the seed the rule enforces"),
			"blocking":   boolean("A failed blocking rule stops the submission; an advisory one only warns"),
			"passed":     boolean(""),
			"message":    str("Chinese, with the figures"),
			"message_en": str("English"),
		}),
		"CheckProblem": object("A failed rule in the 422 answer of POST /api/v1/applications/{id}/submit (error.problems)", []string{"rule", "field", "message", "message_en", "clause"}, obj{
			"rule": str("Rule code"), "field": str("The rule code again"), "message": str(""), "message_en": str(""), "clause": str(""),
		}),
		"ApplicationAction": object("An action the caller may take now", []string{"action", "label", "label_en", "to", "comment_required", "checklist"}, obj{
			"action":           obj{"type": "string", "enum": actions},
			"label":            str("Button label (Chinese)"),
			"label_en":         str("Button label (English)"),
			"to":               str("Status it leads to"),
			"comment_required": boolean("A reason must be given"),
			"checklist":        boolean("Needs the on-site checklist (inspection)"),
		}),
		"ApplicationEvent": object("A recorded transition", []string{"action", "from", "to", "actor_name", "actor_role", "comment", "policy_version", "at"}, obj{
			"action": str(""), "from": str(""), "to": str(""), "actor_name": str(""), "actor_role": str(""),
			"comment": str(""), "policy_version": str("Policy the decision applied"), "at": obj{"type": "string", "format": "date-time"},
		}),
		"ApplicationInspection": object("An on-site acceptance record 验收登记表", []string{"id", "stage", "inspector_name", "items", "opinion", "signature", "passed", "created_at"}, obj{
			"id": id64(""), "stage": str(""), "inspector_name": str(""),
			"items":   obj{"type": []string{"array", "null"}, "items": ref("CheckItemResult")},
			"opinion": str(""), "signature": str(""), "passed": boolean(""), "created_at": obj{"type": "string", "format": "date-time"},
		}),
		"CheckItemResult": object("One checklist item as the inspector found it", []string{"code", "result"}, obj{
			"code": str("Checklist item code"), "result": obj{"type": "string", "enum": []string{"pass", "fail", "na"}},
			"note": str("What must be fixed (required when failed)"),
		}),
		"ApplicationNotice": object("A resumption notice 复工复产通知书", []string{"id", "application_id", "enterprise_id", "serial", "token", "issued_at"}, obj{
			"id": id64(""), "application_id": id64(""), "enterprise_id": id64(""), "enterprise_name": str(""), "uscc": str(""),
			"issuer_unit": str("Policy unit code of the issuer"), "year": integer(""), "seq": integer("Gapless per issuer and year"),
			"serial": str("Serial number"), "token": str("Signed token (verify with /api/v1/verify)"),
			"issued_at": obj{"type": "string", "format": "date-time"}, "revoked_at": obj{"type": "string", "format": "date-time"},
			"revoke_reason": str(""),
		}),
		"Attachment": object("A file that stands for a material", []string{"material", "name", "sha256", "size", "content_type"}, obj{
			"material":     str("Material code of the policy, or inspection:<checklist item code> for on-site photos"),
			"name":         str("File name"),
			"sha256":       str("Content digest; download at /applications/{id}/files/{sha256}"),
			"size":         integer("Bytes"),
			"content_type": str(""),
		}),
		"TransitionRequest": object("An action on an application", []string{"action"}, obj{
			"action":  obj{"type": "string", "enum": actions},
			"comment": str("The reason; required for return, fail, reject and revoke (the enterprise reads it)"),
			"version": integer("The version the actor saw; 409 when someone acted meanwhile"),
			"inspection": object("The on-site checklist, for pass and fail at a checklist stage", []string{"items", "opinion", "signature"}, obj{
				"items":     obj{"type": "array", "items": ref("CheckItemResult")},
				"opinion":   str("The inspector's opinion"),
				"signature": str("The inspector's name"),
			}),
		}),
		"TransitionResult": object("What an action did", []string{"from", "to", "notice"}, obj{
			"from":   str("Status before"),
			"to":     str("Status after"),
			"notice": obj{"oneOf": []obj{ref("ApplicationNotice"), {"type": "null"}}, "description": "The notice issued by this action, if any"},
		}),
	}
}

// appByPath loads the application named by the {id} path value, and its enterprise, in
// the caller's scope.
func (s *Server) appByPath(r *http.Request) (store.AppView, enterprise.Enterprise, error) {
	id, err := pathID(r, "申请")
	if err != nil {
		return store.AppView{}, enterprise.Enterprise{}, err
	}
	p := principal(r)
	v, err := s.db.GetApplication(r.Context(), p, id)
	if err != nil {
		return v, enterprise.Enterprise{}, err
	}
	e, err := s.db.GetEnterprise(r.Context(), p, v.EnterpriseID)
	return v, e, err
}
