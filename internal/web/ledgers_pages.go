package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/ledger"
	"fugong/internal/store"
	"fugong/internal/xlsx"
)

// --- helpers ---

const xlsxMime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// ledgerEnterpriseID is the enterprise a ledger page or call is about: an enterprise's own
// users always get their own, others name it with ?enterprise= (or the form's enterprise_id).
func ledgerEnterpriseID(r *http.Request) int64 {
	if p := principal(r); p.Scope.Kind == auth.ScopeEnterprise {
		return p.Scope.ID
	}
	id, _ := strconv.ParseInt(strings.TrimSpace(r.URL.Query().Get("enterprise")), 10, 64)
	return id
}

func ledgerKind(r *http.Request) (ledger.Kind, error) {
	k := ledger.Kind(r.PathValue("kind"))
	if !k.Valid() {
		return k, apperr.NewNotFound("台账")
	}
	return k, nil
}

// parseWhen reads a time written 2020-02-12T08:30, 2020-02-12 08:30, RFC 3339, or a day
// 2020-02-12 (noon of it) in loc.
func parseWhen(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t.Add(12 * time.Hour), true
	}
	return time.Time{}, false
}

// ledgerFilter reads ?from=&to= (days, both included) and the page.
func (s *Server) ledgerFilter(r *http.Request, kind ledger.Kind) (store.LedgerFilter, string, string) {
	q := r.URL.Query()
	f := store.LedgerFilter{EnterpriseID: ledgerEnterpriseID(r), Kind: kind, Page: pageOf(r)}
	from, to := strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	if d, ok := store.ParseDay(from, s.pol.Location()); ok {
		f.From = d
	} else {
		from = ""
	}
	if d, ok := store.ParseDay(to, s.pol.Location()); ok {
		f.To = d.AddDate(0, 0, 1)
	} else {
		to = ""
	}
	return f, from, to
}

// sheetName makes an enterprise name fit as a sheet name (31 characters, no []:*?/\).
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	if rs := []rune(name); len(rs) > 31 {
		name = string(rs[:31])
	}
	if name == "" {
		name = "Sheet1"
	}
	return name
}

// onSite is the enterprise's on-site headcount today (the daily report's figure).
func (s *Server) onSite(r *http.Request, enterpriseID int64) (int, error) {
	reps, _, _, err := s.db.ListDailyReports(r.Context(), s.pol, principal(r), store.DailyReportFilter{EnterpriseID: enterpriseID})
	if err != nil || len(reps) == 0 {
		return 0, err
	}
	return reps[0].OnSite, nil
}

func (s *Server) stocks(r *http.Request, enterpriseID int64) ([]ledger.Stock, int, error) {
	q, err := s.db.SupplyStock(r.Context(), principal(r), enterpriseID)
	if err != nil {
		return nil, 0, err
	}
	n, err := s.onSite(r, enterpriseID)
	if err != nil {
		return nil, 0, err
	}
	return ledger.Stocks(s.pol, q, n), n, nil
}

// --- pages ---

type ledgerHelp struct{ lang string }

func (h ledgerHelp) Kinds() []ledger.Kind  { return ledger.Kinds }
func (h ledgerHelp) SupplyItems() []string { return application.SupplyItems }
func (h ledgerHelp) KindName(k ledger.Kind) string {
	if h.lang == "en" {
		return ledger.Names[k][1]
	}
	return ledger.Names[k][0]
}
func (h ledgerHelp) ItemName(item string) string {
	n := application.SupplyNames[item]
	if h.lang == "en" {
		return n[1]
	}
	return n[0]
}
func (h ledgerHelp) Unit(item string) string { return application.SupplyNames[item][2] }
func (h ledgerHelp) Days(d float64) string {
	switch {
	case d < 0:
		return "—"
	case math.IsInf(d, 1):
		return "∞"
	}
	return strconv.FormatFloat(ledger.Round1(d), 'f', 1, 64)
}
func (h ledgerHelp) StockMessage(st ledger.Stock) string {
	if h.lang == "en" {
		return st.MessageEN
	}
	return st.Message
}
func (h ledgerHelp) Abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

type ledgerPageData struct {
	ledgerHelp
	Kind         ledger.Kind
	EnterpriseID int64
	Enterprise   string
	Enterprises  []enterprise.Enterprise // to pick from, when none is chosen
	Items        []ledger.Entry
	Pager        pager
	From, To     string
	Export       string
	Stocks       []ledger.Stock
	OnSite       int
	Form         ledgerForm
	Reserve      int
}

// ledgerForm is the add form as typed, shown again with its errors.
type ledgerForm struct {
	At, Area, Agent, Person, Item, Direction, Quantity, Topic, Names, Note string
}

func (s *Server) ledgerPage(w http.ResponseWriter, r *http.Request, kind ledger.Kind, status int, form ledgerForm, ferr error) error {
	d := ledgerPageData{ledgerHelp: ledgerHelp{langOf(r)}, Kind: kind, Form: form, Reserve: s.pol.Resumption.SuppliesReserveDays}
	f, from, to := s.ledgerFilter(r, kind)
	if r.Method == http.MethodPost {
		f.EnterpriseID = cmpOr(f.EnterpriseID, ledgerFormEnterprise(r))
	}
	d.EnterpriseID, d.From, d.To = f.EnterpriseID, from, to
	if d.Form.At == "" {
		layout := "2006-01-02T15:04"
		if kind == ledger.Training {
			layout = "2006-01-02"
		}
		d.Form.At = s.db.Now().In(s.pol.Location()).Format(layout)
	}
	title := ledger.Names[kind][1]
	if kind == "" {
		title = "Ledgers"
	}
	if f.EnterpriseID == 0 {
		ents, err := s.rosterEnterprises(r)
		if err != nil {
			return err
		}
		d.Enterprises = ents
		return s.render(w, r, status, "ledgers", title, d, ferr)
	}
	name, err := s.db.LedgerEnterpriseName(r.Context(), principal(r), f.EnterpriseID)
	if err != nil {
		return err
	}
	d.Enterprise = name
	if kind == "" || kind == ledger.Supplies {
		if d.Stocks, d.OnSite, err = s.stocks(r, f.EnterpriseID); err != nil {
			return err
		}
	}
	if kind == "" {
		return s.render(w, r, status, "ledgers", title, d, ferr)
	}
	items, total, err := s.db.ListLedger(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	d.Items, d.Pager = items, newPager(r, f.Page, total)
	q := r.URL.Query()
	q.Del("page")
	q.Set("enterprise", strconv.FormatInt(f.EnterpriseID, 10))
	d.Export = fmt.Sprintf("/ledgers/%s/export?%s", kind, q.Encode())
	return s.render(w, r, status, "ledger", title, d, ferr)
}

func ledgerFormEnterprise(r *http.Request) int64 {
	id, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("enterprise_id")), 10, 64)
	return id
}

func (s *Server) ledgersIndex(w http.ResponseWriter, r *http.Request) error {
	return s.ledgerPage(w, r, "", http.StatusOK, ledgerForm{}, nil)
}

func (s *Server) ledgerList(w http.ResponseWriter, r *http.Request) error {
	kind, err := ledgerKind(r)
	if err != nil {
		return err
	}
	return s.ledgerPage(w, r, kind, http.StatusOK, ledgerForm{}, nil)
}

// entryFromForm reads the add form into an entry; problems of the typed values are
// returned with the entry.
func (s *Server) entryFromForm(r *http.Request, kind ledger.Kind) (ledger.Entry, ledgerForm, error) {
	if err := r.ParseForm(); err != nil {
		return ledger.Entry{}, ledgerForm{}, apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	v := r.PostForm
	form := ledgerForm{At: v.Get("at"), Area: v.Get("area"), Agent: v.Get("agent"), Person: v.Get("person"), Item: v.Get("item"),
		Direction: v.Get("direction"), Quantity: v.Get("quantity"), Topic: v.Get("topic"), Names: v.Get("names"), Note: v.Get("note")}
	e := ledger.Entry{Kind: kind, EnterpriseID: cmpOr(ledgerEnterpriseID(r), ledgerFormEnterprise(r)), Area: form.Area, Agent: form.Agent,
		Person: form.Person, Item: form.Item, Topic: form.Topic, Names: form.Names, Note: form.Note}
	var ps apperr.Problems
	if form.At != "" {
		t, ok := parseWhen(form.At, s.pol.Location())
		if !ok {
			ps.Add("at", "时间无法识别,请填写如 2020-02-12 08:30", "Unreadable time; write it as 2020-02-12 08:30")
		}
		e.At = t
	}
	if q := strings.TrimSpace(form.Quantity); q != "" {
		n, err := strconv.ParseInt(q, 10, 64)
		if err != nil || n < 0 {
			ps.Add("quantity", "数量应为正整数", "The quantity must be a positive whole number")
		}
		e.Quantity = n
		if kind == ledger.Supplies && form.Direction == "out" {
			e.Quantity = -n
		}
	}
	if err := ps.Err(); err != nil {
		return e, form, err
	}
	return e, form, nil
}

func (s *Server) ledgerAdd(w http.ResponseWriter, r *http.Request) error {
	kind, err := ledgerKind(r)
	if err != nil {
		return err
	}
	e, form, err := s.entryFromForm(r, kind)
	if err == nil {
		_, err = s.db.AddLedgerEntry(r.Context(), principal(r), e)
		if err == nil {
			flash(w, translate(langOf(r), "Entry recorded"))
			http.Redirect(w, r, fmt.Sprintf("/ledgers/%s?enterprise=%d", kind, e.EnterpriseID), http.StatusSeeOther)
			return nil
		}
	}
	if apperr.KindOf(err) != apperr.Invalid {
		return err
	}
	return s.ledgerPage(w, r, kind, http.StatusUnprocessableEntity, form, err)
}

// ledgerColumns are the export's columns per ledger, in the form a clerk hands in.
var ledgerColumns = map[ledger.Kind][]xlsx.Column{
	ledger.Disinfection: {{Key: "n", Header: "序号", Width: 6}, {Key: "at", Header: "消毒时间", Width: 18}, {Key: "area", Header: "消毒区域", Width: 24},
		{Key: "agent", Header: "消毒剂及浓度", Width: 22}, {Key: "person", Header: "消毒人员", Width: 12}, {Key: "note", Header: "备注", Width: 24}, {Key: "by", Header: "登记人", Width: 12}},
	ledger.Supplies: {{Key: "n", Header: "序号", Width: 6}, {Key: "at", Header: "日期时间", Width: 18}, {Key: "item", Header: "物资名称", Width: 12},
		{Key: "in", Header: "入库数量", Width: 10}, {Key: "out", Header: "出库数量", Width: 10}, {Key: "unit", Header: "单位", Width: 6},
		{Key: "balance", Header: "结存", Width: 10}, {Key: "note", Header: "备注", Width: 24}, {Key: "by", Header: "登记人", Width: 12}},
	ledger.Masks: {{Key: "n", Header: "序号", Width: 6}, {Key: "at", Header: "收集时间", Width: 18}, {Key: "quantity", Header: "废弃口罩数量(只)", Width: 16},
		{Key: "person", Header: "经手人", Width: 12}, {Key: "note", Header: "处置情况/备注", Width: 24}, {Key: "by", Header: "登记人", Width: 12}},
	ledger.Training: {{Key: "n", Header: "序号", Width: 6}, {Key: "at", Header: "日期", Width: 12}, {Key: "topic", Header: "宣传培训内容", Width: 30},
		{Key: "quantity", Header: "明白单发放人数", Width: 14}, {Key: "names", Header: "发放名单", Width: 40}, {Key: "note", Header: "备注", Width: 20}, {Key: "by", Header: "登记人", Width: 12}},
}

func (s *Server) ledgerExport(w http.ResponseWriter, r *http.Request) error {
	kind, err := ledgerKind(r)
	if err != nil {
		return err
	}
	p := principal(r)
	f, _, _ := s.ledgerFilter(r, kind)
	name, err := s.db.LedgerEnterpriseName(r.Context(), p, f.EnterpriseID)
	if err != nil {
		return err
	}
	loc := s.pol.Location()
	// The running balance of the supplies starts from the stock before the first day shown.
	balance := map[string]int64{}
	if kind == ledger.Supplies && !f.From.IsZero() {
		all := map[string]int64{}
		err := s.db.EachLedger(r.Context(), p, store.LedgerFilter{EnterpriseID: f.EnterpriseID, Kind: kind, To: f.From}, func(e ledger.Entry) error {
			all[e.Item] += e.Quantity
			return nil
		})
		if err != nil {
			return err
		}
		balance = all
	}
	file := fmt.Sprintf("%s-%s-%s.xlsx", name, ledger.Names[kind][0], s.db.Now().In(loc).Format("20060102"))
	w.Header().Set("Content-Type", xlsxMime)
	w.Header().Set("Content-Disposition", "attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''"+urlEscape(file))
	n := 0
	return xlsx.Write(w, sheetName(name), ledgerColumns[kind], func(yield func([]any) error) error {
		return s.db.EachLedger(r.Context(), p, f, func(e ledger.Entry) error {
			n++
			at := e.At.In(loc)
			switch kind {
			case ledger.Disinfection:
				return yield([]any{n, at, e.Area, e.Agent, e.Person, e.Note, e.CreatedBy})
			case ledger.Supplies:
				balance[e.Item] += e.Quantity
				var in, out any
				if e.Quantity > 0 {
					in = e.Quantity
				} else {
					out = -e.Quantity
				}
				return yield([]any{n, at, application.SupplyNames[e.Item][0], in, out, application.SupplyNames[e.Item][2], balance[e.Item], e.Note, e.CreatedBy})
			case ledger.Masks:
				return yield([]any{n, at, e.Quantity, e.Person, e.Note, e.CreatedBy})
			default:
				return yield([]any{n, at.Format("2006-01-02"), e.Topic, e.Quantity, e.Names, e.Note, e.CreatedBy})
			}
		})
	})
}

// --- daily reports ---

type reportPageData struct {
	ledgerHelp
	Day        string
	Items      []store.DailyReport
	Total      int
	Confirmed  int
	Pager      pager
	CanConfirm bool
	Export     string
}

func (s *Server) dailyReportsPage(w http.ResponseWriter, r *http.Request) error {
	return s.dailyReportsRender(w, r, http.StatusOK, nil)
}

func (s *Server) dailyReportsRender(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	p := principal(r)
	f := store.DailyReportFilter{Day: strings.TrimSpace(r.URL.Query().Get("date")), Page: pageOf(r)}
	if f.Day == "" {
		f.Day = s.db.Today(s.pol)
	}
	items, total, confirmed, err := s.db.ListDailyReports(r.Context(), s.pol, p, f)
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		f.Day = s.db.Today(s.pol)
		ferr = err
		if items, total, confirmed, err = s.db.ListDailyReports(r.Context(), s.pol, p, f); err != nil {
			return err
		}
	}
	d := reportPageData{ledgerHelp: ledgerHelp{langOf(r)}, Day: f.Day, Items: items, Total: total, Confirmed: confirmed,
		Pager: newPager(r, f.Page, total), CanConfirm: p.Role == auth.Enterprise || p.Role == auth.Admin,
		Export: "/reports/daily/export?date=" + urlEscape(f.Day)}
	return s.render(w, r, status, "report_daily", "Daily report", d, ferr)
}

func (s *Server) dailyReportConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	day := strings.TrimSpace(r.PostFormValue("date"))
	rep, err := s.db.ConfirmDailyReport(r.Context(), s.pol, principal(r), ledgerFormEnterprise(r), day, strings.TrimSpace(r.PostFormValue("note")))
	if err != nil {
		if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict {
			status := http.StatusUnprocessableEntity
			if k == apperr.Conflict {
				status = http.StatusConflict
			}
			q := r.URL.Query()
			q.Set("date", day)
			r.URL.RawQuery = q.Encode()
			return s.dailyReportsRender(w, r, status, err)
		}
		return err
	}
	msg := "Daily report confirmed"
	if rep.Zero {
		msg = "Zero report confirmed"
	}
	flash(w, translate(langOf(r), msg))
	http.Redirect(w, r, "/reports/daily?date="+urlEscape(rep.Day), http.StatusSeeOther)
	return nil
}

// dailyColumns are the columns of the daily report's export (疫情日报告表).
var dailyColumns = []xlsx.Column{{Key: "name", Header: "企业名称", Width: 28}, {Key: "date", Header: "日期", Width: 12},
	{Key: "on_site", Header: "在岗人数", Width: 10}, {Key: "isolating", Header: "隔离人数", Width: 10}, {Key: "monitoring", Header: "健康监测人数", Width: 12},
	{Key: "fevers", Header: "发热/有症状人数", Width: 14}, {Key: "suspended", Header: "暂停出入证数", Width: 12},
	{Key: "masks", Header: "口罩库存(只)", Width: 12}, {Key: "cover", Header: "口罩可用天数", Width: 12}, {Key: "warn", Header: "低于储备天数", Width: 12},
	{Key: "kind", Header: "报告类型", Width: 10}, {Key: "by", Header: "确认人", Width: 12}, {Key: "at", Header: "确认时间", Width: 18}, {Key: "note", Header: "备注", Width: 24}}

func (s *Server) dailyReportsExport(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f := store.DailyReportFilter{Day: strings.TrimSpace(q.Get("date")), EnterpriseID: ent, Page: store.Page{Number: 1, Size: store.MaxPageSize}}
	if f.Day == "" {
		f.Day = s.db.Today(s.pol)
	}
	first, total, _, err := s.db.ListDailyReports(r.Context(), s.pol, p, f)
	if err != nil {
		return err
	}
	loc := s.pol.Location()
	w.Header().Set("Content-Type", xlsxMime)
	w.Header().Set("Content-Disposition", "attachment; filename=\"daily-report.xlsx\"; filename*=UTF-8''"+urlEscape("疫情日报告表-"+f.Day+".xlsx"))
	return xlsx.Write(w, "日报"+f.Day, dailyColumns, func(yield func([]any) error) error {
		items := first
		for done := 0; ; {
			for _, rep := range items {
				kind := "未确认"
				switch {
				case rep.Confirmed && rep.Zero:
					kind = "零报告"
				case rep.Confirmed:
					kind = "日报"
				}
				var cover, at any
				if rep.CoverDays >= 0 {
					cover = rep.CoverDays
				}
				if rep.ConfirmedAt != nil {
					at = rep.ConfirmedAt.In(loc)
				}
				if err := yield([]any{rep.EnterpriseName, rep.Day, rep.OnSite, rep.Isolating, rep.Monitoring, rep.Fevers, rep.PassesSuspended,
					rep.MaskStock, cover, rep.CoverWarning, kind, rep.ConfirmedBy, at, rep.Note}); err != nil {
					return err
				}
			}
			done += len(items)
			if done >= total || len(items) == 0 {
				return nil
			}
			f.Page.Number++
			if items, _, _, err = s.db.ListDailyReports(r.Context(), s.pol, p, f); err != nil {
				return err
			}
		}
	})
}

// --- JSON API ---

type ledgerList struct {
	listResponse[ledger.Entry]
	Stock  []ledger.Stock `json:"stock,omitempty"`
	OnSite *int           `json:"on_site,omitempty"`
}

func (s *Server) apiLedger(w http.ResponseWriter, r *http.Request) error {
	kind, err := ledgerKind(r)
	if err != nil {
		return err
	}
	f, _, _ := s.ledgerFilter(r, kind)
	items, total, err := s.db.ListLedger(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	out := ledgerList{listResponse: newList(items, total, f.Page)}
	if kind == ledger.Supplies && f.EnterpriseID != 0 {
		st, n, err := s.stocks(r, f.EnterpriseID)
		if err != nil {
			return err
		}
		for i := range st {
			if math.IsInf(st[i].CoverDays, 1) {
				st[i].CoverDays = -1 // JSON has no infinity
			}
		}
		out.Stock, out.OnSite = st, &n
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// entryInput is the API's body for a ledger entry; quantity is negative for supplies out.
type entryInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	At           string `json:"at"`
	Area         string `json:"area"`
	Agent        string `json:"agent"`
	Person       string `json:"person"`
	Item         string `json:"item"`
	Quantity     int64  `json:"quantity"`
	Topic        string `json:"topic"`
	Names        string `json:"names"`
	Note         string `json:"note"`
}

func (s *Server) apiLedgerAdd(w http.ResponseWriter, r *http.Request) error {
	kind, err := ledgerKind(r)
	if err != nil {
		return err
	}
	var in entryInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e := ledger.Entry{Kind: kind, EnterpriseID: cmpOr(ledgerEnterpriseID(r), in.EnterpriseID), Area: in.Area, Agent: in.Agent, Person: in.Person,
		Item: in.Item, Quantity: in.Quantity, Topic: in.Topic, Names: in.Names, Note: in.Note}
	if in.At != "" {
		t, ok := parseWhen(in.At, s.pol.Location())
		if !ok {
			return apperr.NewInvalid("at", "时间无法识别,请填写如 2020-02-12T08:30:00+08:00", "Unreadable time; write it as 2020-02-12T08:30:00+08:00")
		}
		e.At = t
	}
	got, err := s.db.AddLedgerEntry(r.Context(), principal(r), e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, got)
	return nil
}

type dailyList struct {
	Date      string              `json:"date"`
	Items     []store.DailyReport `json:"items"`
	Total     int                 `json:"total"`
	Confirmed int                 `json:"confirmed"`
	Page      int                 `json:"page"`
	Size      int                 `json:"size"`
}

func (s *Server) apiDailyReports(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f := store.DailyReportFilter{Day: strings.TrimSpace(q.Get("date")), EnterpriseID: ent, Page: pageOf(r)}
	if f.Day == "" {
		f.Day = s.db.Today(s.pol)
	}
	items, total, confirmed, err := s.db.ListDailyReports(r.Context(), s.pol, principal(r), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []store.DailyReport{}
	}
	pg := newList(items, total, f.Page)
	writeJSON(w, http.StatusOK, dailyList{Date: f.Day, Items: items, Total: total, Confirmed: confirmed, Page: pg.Page, Size: pg.Size})
	return nil
}

type confirmInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Date         string `json:"date"`
	Note         string `json:"note"`
}

func (s *Server) apiDailyConfirm(w http.ResponseWriter, r *http.Request) error {
	var in confirmInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rep, err := s.db.ConfirmDailyReport(r.Context(), s.pol, principal(r), in.EnterpriseID, strings.TrimSpace(in.Date), strings.TrimSpace(in.Note))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
