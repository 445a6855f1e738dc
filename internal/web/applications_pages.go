package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
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
	"fugong/internal/list"
	"fugong/internal/notice"
	"fugong/internal/region"
	"fugong/internal/xlsx"
)

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

// appRow is an application as the list and the export show it.
type appRow struct {
	application.View
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
func (s *Server) appRows(ctx context.Context, p auth.Principal, items []application.View, lang string, ents map[int64]enterprise.Enterprise) ([]appRow, error) {
	now := s.db.Now()
	// The page's enterprises and notices are looked up at once, not row by row.
	var want, decided []int64
	for _, v := range items {
		if _, ok := ents[v.EnterpriseID]; !ok && !slices.Contains(want, v.EnterpriseID) {
			want = append(want, v.EnterpriseID)
		}
		if v.Status == application.StatusApproved || v.Status == application.StatusRevoked {
			decided = append(decided, v.ID)
		}
	}
	if len(want) > 0 {
		found, _, err := s.db.ListEnterprises(ctx, p, enterprise.Filter{IDs: want, Page: list.Page{Size: len(want)}})
		if err != nil {
			return nil, err
		}
		for _, e := range found {
			ents[e.ID] = e
		}
	}
	notices, err := s.db.Applications().Notices(ctx, decided...)
	if err != nil {
		return nil, err
	}
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
		row := appRow{View: v, USCC: e.USCC, StatusText: appPick(lang, zh, en), UnitName: s.appUnitName(v.RouteUnit, lang),
			Returning: v.Returning.Total(), Overdue: v.Overdue(now)}
		if v.DueAt != nil && application.InReview(v.Status) {
			row.Due = *v.DueAt
		}
		if n, ok := notices[v.ID]; ok {
			row.NoticeID, row.Serial = n.ID, n.Serial
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
	Filter   application.Filter
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
	f, err := appFilterOf(r, s.pol)
	if err != nil {
		return err
	}
	items, total, err := s.db.Applications().List(ctx, p, f)
	if err != nil {
		return err
	}
	rows, err := s.appRows(ctx, p, items, lang, map[int64]enterprise.Enterprise{})
	if err != nil {
		return err
	}
	counts, err := s.db.Applications().Count(ctx, p)
	if err != nil {
		return err
	}
	_, mine, err := s.db.Applications().List(ctx, p, application.Filter{Mine: true, Page: list.Page{Size: 1}})
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
	plain := f.Q == "" && f.Unit == "" && f.Region == "" && f.Enterprise == 0 && !f.Overdue
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
	f, err := appFilterOf(r, s.pol)
	if err != nil {
		return err
	}
	loc := s.pol.Location()
	inLoc := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.In(loc)
	}
	ents := map[int64]enterprise.Enterprise{}
	name := "复工申请-" + time.Now().In(loc).Format("20060102-1504") + ".xlsx"
	return exportPages(w, "applications.xlsx", name, "复工申请", appColumns, func(pg list.Page) ([]appRow, error) {
		f.Page = pg
		items, _, err := s.db.Applications().List(ctx, p, f)
		if err != nil {
			return nil, err
		}
		return s.appRows(ctx, p, items, "zh", ents)
	}, func(v appRow) []any {
		return []any{v.EnterpriseName, v.USCC, v.RegionName, v.UnitName, v.StatusText, inLoc(v.PlannedAt),
			v.Returning, inLoc(v.SubmittedAt), inLoc(v.Due), v.Serial}
	})
}

// --- the detail page ---

type appWaiting struct{ Stage, Role, Unit string }

type appMaterialView struct {
	Code, Name, PartOf, Clause string
	Required, Part, Has        bool
	Files                      []application.Attachment
}

type appEventView struct {
	application.Event
	ActionText, RoleText, FromText, ToText string
}

type appAcceptanceView struct {
	application.Acceptance
	StageText string
	Failed    []appFailedItem
}

type appFailedItem struct{ Name, Note string }

type appActionView struct {
	Action, Label, Confirm string
	Primary, Danger        bool
	NeedComment, Inspect   bool
}

// appPhotoView is an on-site photo with the name of the checklist item it shows.
type appPhotoView struct {
	application.Attachment
	Item string
}

type appDetailData struct {
	A            application.View
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
	Photos       []appPhotoView // on-site photos of the acceptance checklist
	Events       []appEventView
	Inspections  []appAcceptanceView
	Notice       *notice.Notice
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
	v, err := s.db.Applications().Get(r.Context(), principal(r), id)
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
func (s *Server) appDetailPage(w http.ResponseWriter, r *http.Request, status int, v application.View, err error, posted, comment string) error {
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
		switch code, photo := application.PhotoItem(at.Material); {
		case photo:
			ph := appPhotoView{Attachment: at, Item: code}
			for _, c := range s.pol.Checklist {
				if c.Code == code {
					ph.Item = appPick(lang, c.Name, c.NameEN)
				}
			}
			d.Photos = append(d.Photos, ph)
		case !shown[at.Material]:
			d.Other = append(d.Other, at)
		}
	}
	events, gerr := s.db.Applications().Events(ctx, v.ID)
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
	ins, gerr := s.db.Applications().Acceptances(ctx, v.ID)
	if gerr != nil {
		return gerr
	}
	names := map[string]string{}
	for _, c := range s.pol.Checklist {
		names[c.Code] = appPick(lang, c.Name, c.NameEN)
	}
	for _, in := range ins {
		iv := appAcceptanceView{Acceptance: in, StageText: s.appStageName(in.Stage, lang)}
		for _, it := range in.Items {
			if it.Result == "fail" {
				iv.Failed = append(iv.Failed, appFailedItem{Name: cmp.Or(names[it.Code], it.Code), Note: it.Note})
			}
		}
		d.Inspections = append(d.Inspections, iv)
	}
	if d.Notice, gerr = s.db.Applications().Notice(ctx, v.ID); gerr != nil {
		return gerr
	}
	ts, gerr := s.appActions(ctx, p, e, v.Application)
	if gerr != nil {
		return gerr
	}
	for _, t := range ts {
		av := appActionView{Action: string(t.Action), Label: appActionLabel(t.Action, lang), NeedComment: application.NeedsComment(t.Action),
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
	res, err := s.db.Applications().Transition(ctx, p, id, application.Request{Action: act, Comment: comment, Version: version})
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
		v, gerr := s.db.Applications().Get(ctx, p, id)
		if gerr != nil {
			return gerr
		}
		return s.appDetailPage(w, r, statusOf[k], v, err, string(act), comment)
	}
	return err
}

func (s *Server) applicationAttach(w http.ResponseWriter, r *http.Request) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	v, err := s.db.Applications().Get(ctx, p, id)
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
	at, err := s.db.Applications().Attachment(r.Context(), principal(r), id, strings.ToLower(r.PathValue("sha")))
	if err != nil {
		return err
	}
	return s.serveStored(w, r, at.Name, at.SHA256, at.ContentType)
}
