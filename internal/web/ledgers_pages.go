package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/ledger"
	"fugong/internal/xlsx"
)

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
func (h ledgerHelp) Unit(item string) string { return application.SupplyUnit(item, "", h.lang) }
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
	Enterprises  *entPicker // to pick from, when none is chosen
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
		ents, err := s.enterprisePicker(r, "enterprise", "eq", "", 0)
		if err != nil {
			return err
		}
		d.Enterprises = ents
		return s.render(w, r, status, "ledgers", title, d, ferr)
	}
	name, err := s.db.Ledgers().EnterpriseName(r.Context(), principal(r), f.EnterpriseID)
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
	items, total, err := s.db.Ledgers().List(r.Context(), principal(r), f)
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
		_, err = s.db.Ledgers().Add(r.Context(), principal(r), e)
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
	name, err := s.db.Ledgers().EnterpriseName(r.Context(), p, f.EnterpriseID)
	if err != nil {
		return err
	}
	loc := s.pol.Location()
	// The running balance of the supplies starts from the stock before the first day shown.
	balance := map[string]int64{}
	if kind == ledger.Supplies && !f.From.IsZero() {
		all := map[string]int64{}
		err := s.db.Ledgers().Each(r.Context(), p, ledger.Filter{EnterpriseID: f.EnterpriseID, Kind: kind, To: f.From}, func(e ledger.Entry) error {
			all[e.Item] += e.Quantity
			return nil
		})
		if err != nil {
			return err
		}
		balance = all
	}
	file := fmt.Sprintf("%s-%s-%s.xlsx", name, ledger.Names[kind][0], s.db.Now().In(loc).Format("20060102"))
	xlsxDownload(w, "ledger.xlsx", file)
	n := 0
	return xlsx.Write(w, sheetName(name), ledgerColumns[kind], func(yield func([]any) error) error {
		return s.db.Ledgers().Each(r.Context(), p, f, func(e ledger.Entry) error {
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
