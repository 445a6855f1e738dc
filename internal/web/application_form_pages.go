package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/list"
	"fugong/internal/policy"
)

// The application form: choosing the enterprise to file for, a new application, editing a
// draft or returned one.

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
	A         application.View
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
func (s *Server) appForm(w http.ResponseWriter, r *http.Request, status int, v application.View, e enterprise.Enterprise, isNew bool, vals map[string]string, err error) error {
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
		d.Supplies = append(d.Supplies, appSupply{Field: "supplies." + it, Item: it, Name: appPick(lang, n[0], n[1]), Unit: application.SupplyUnit(it, unit, lang)})
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
	items, _, err := s.db.Applications().List(ctx, p, application.Filter{Enterprise: entID, Page: list.Page{Size: list.MaxSize}})
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
	items, total, lerr := s.db.ListEnterprises(r.Context(), principal(r), enterprise.Filter{Q: q, Page: page})
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
	v := application.View{Application: application.Application{EnterpriseID: e.ID, Status: application.StatusDraft}, EnterpriseName: e.Name}
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
	v := application.View{Application: a, EnterpriseName: e.Name}
	if len(ps) > 0 {
		return s.appForm(w, r, http.StatusUnprocessableEntity, v, e, true, vals, ps.Err())
	}
	created, err := s.db.Applications().Create(ctx, p, a)
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
	_, err = s.db.Applications().Update(ctx, p, a, version)
	switch apperr.KindOf(err) {
	case apperr.Invalid:
		return s.appForm(w, r, http.StatusUnprocessableEntity, v, e, false, vals, err)
	case apperr.Conflict:
		// Someone changed it meanwhile, or it is no longer editable: show the fresh record.
		fresh, gerr := s.db.Applications().Get(ctx, p, id)
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
