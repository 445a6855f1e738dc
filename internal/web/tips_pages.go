package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/input"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/tip"
	"fugong/internal/xlsx"
)

// --- The public page (举报): no account, phone-first ---

type reportData struct {
	Form       tipForm
	In         tip.Input
	HappenedAt string // as the datetime-local field holds it
	Code       string // the receipt code typed into the lookup
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderReport(w, r, http.StatusOK, tip.Input{}, "", nil)
}

func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, status int, in tip.Input, happened string, ferr error) error {
	f, err := s.tipFormData(r)
	if err != nil {
		return err
	}
	in.FormToken = ""
	return s.render(w, r, status, "report", "Report a problem", reportData{Form: f, In: in, HappenedAt: happened}, ferr)
}

// reportSubmit takes the public form with its photos and answers the receipt code.
func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseUploadForm(r); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	happened := strings.TrimSpace(r.FormValue("happened_at"))
	in, err := tipFromForm(r, s.pol.Location())
	if err == nil {
		var code string
		code, err = s.submitTip(r.Context(), r, in, photoHeaders(r))
		if err == nil {
			rc, err := s.db.Tips().Lookup(r.Context(), code)
			if err != nil {
				return err
			}
			return s.render(w, r, http.StatusCreated, "report_receipt", "Your tip is received", receiptData{R: rc, New: true, Status: s.receiptStatus(r, rc)}, nil)
		}
	}
	switch apperr.KindOf(err) {
	case apperr.Invalid, apperr.TooMany:
		tipRetryAfter(w, err)
		return s.renderReport(w, r, statusOf[apperr.KindOf(err)], in, happened, err)
	}
	return err
}

type receiptData struct {
	Code   string
	R      tip.Receipt
	Found  bool
	New    bool   // just sent: keep the code
	Status string // the status in the page's language
}

func (s *Server) receiptStatus(r *http.Request, rc tip.Receipt) string {
	if langOf(r) == "en" {
		return rc.StatusNameEN
	}
	return rc.StatusName
}

// reportReceipt shows what a receipt code shows.
func (s *Server) reportReceipt(w http.ResponseWriter, r *http.Request) error {
	code := strings.TrimSpace(r.URL.Query().Get("code"))
	d := receiptData{Code: code}
	if code == "" {
		return s.render(w, r, http.StatusOK, "report_receipt", "Follow a tip", d, nil)
	}
	rc, err := s.db.Tips().Lookup(r.Context(), code)
	switch apperr.KindOf(err) {
	case 0:
		d.R, d.Found, d.Status = rc, true, s.receiptStatus(r, rc)
		return s.render(w, r, http.StatusOK, "report_receipt", "Follow a tip", d, nil)
	case apperr.Invalid, apperr.NotFound:
		return s.render(w, r, statusOf[apperr.KindOf(err)], "report_receipt", "Follow a tip", d, err)
	}
	return err
}

// --- The handlers' pages ---

type tipRow struct {
	tip.Tip
	CategoryName, StatusName string
}

type tipsData struct {
	Items      []tipRow
	Pager      pager
	Filter     tip.Filter
	Categories []policy.TipCategory
	Statuses   []tipOption
	Query      string
}

type tipOption struct{ Code, Name string }

func (s *Server) tipRow(r *http.Request, t tip.Tip) tipRow {
	row := tipRow{Tip: t}
	if c, ok := s.pol.TipCategory(t.Category); ok {
		row.CategoryName = c.Name
		if langOf(r) == "en" {
			row.CategoryName = c.NameEN
		}
	}
	zh, en := t.Status.Name()
	row.StatusName = zh
	if langOf(r) == "en" {
		row.StatusName = en
	}
	return row
}

func (s *Server) tipsPage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.tipFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Tips().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	d := tipsData{Pager: newPager(r, f.Page, total), Filter: f, Categories: s.pol.TipCategories, Query: r.URL.RawQuery}
	for _, t := range items {
		d.Items = append(d.Items, s.tipRow(r, t))
	}
	for _, st := range tip.Statuses {
		zh, en := st.Name()
		d.Statuses = append(d.Statuses, tipOption{string(st), pickLang(langOf(r), zh, en)})
	}
	return s.render(w, r, http.StatusOK, "tips", "Tips from the public", d, nil)
}

var tipColumns = []xlsx.Column{
	{Key: "id", Header: "编号", Width: 8}, {Key: "received", Header: "收到时间", Width: 18}, {Key: "category", Header: "举报类别", Width: 18},
	{Key: "enterprise", Header: "被举报企业", Width: 30}, {Key: "address", Header: "地址", Width: 30}, {Key: "place", Header: "地点", Width: 20},
	{Key: "description", Header: "举报内容", Width: 50}, {Key: "region", Header: "承办区域", Width: 14}, {Key: "unit", Header: "承办单位", Width: 18},
	{Key: "status", Header: "状态", Width: 14}, {Key: "reply_due", Header: "答复期限", Width: 18}, {Key: "overdue", Header: "是否超期", Width: 10},
	{Key: "result", Header: "查处结果", Width: 40}, {Key: "reply", Header: "答复内容", Width: 40},
}

// tipsExport writes the tips the filter shows as .xlsx; the reporters' contacts stay out
// of it (they are read on the tip's own page).
func (s *Server) tipsExport(w http.ResponseWriter, r *http.Request) error {
	f, err := s.tipFilter(r)
	if err != nil {
		return err
	}
	p, loc := principal(r), s.pol.Location()
	return exportPages(w, "tips.xlsx", "举报.xlsx", "举报", tipColumns, func(pg list.Page) ([]tip.Tip, error) {
		f.Page = pg
		items, _, err := s.db.Tips().List(r.Context(), p, f)
		return items, err
	}, func(t tip.Tip) []any {
		row := s.tipRow(r, t)
		zh, _ := t.Status.Name()
		return []any{t.ID, t.CreatedAt.In(loc).Format(time.DateTime), row.CategoryName, t.EnterpriseName, t.Address, t.Place,
			t.Description, t.RegionName, s.unitName("zh", t.Unit), zh, t.ReplyDue.In(loc).Format(time.DateTime), yesNo("zh", t.Overdue), t.Result, t.Reply}
	})
}

type tipData struct {
	tipRow
	UnitName string
	Actions  []tipOption
	History  []historyRow
}

func (s *Server) tipPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTip(w, r, http.StatusOK, nil)
}

func (s *Server) renderTip(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	id, err := pathID(r, "举报")
	if err != nil {
		return err
	}
	p := principal(r)
	t, err := s.db.Tips().Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	hist, err := s.db.Tips().History(r.Context(), p, id)
	if err != nil {
		return err
	}
	d := tipData{tipRow: s.tipRow(r, t), History: s.tipHistory().rows(langOf(r), hist)}
	for _, u := range s.pol.Units {
		if u.Code == t.Unit {
			d.UnitName = pickLang(langOf(r), u.Name, u.NameEN)
		}
	}
	for _, a := range t.Actions {
		zh, en := a.Name()
		d.Actions = append(d.Actions, tipOption{string(a), pickLang(langOf(r), zh, en)})
	}
	return s.render(w, r, status, "tip", "Tip", d, ferr)
}

func (s *Server) tipTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "举报")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.FormValue("version"))
	inspect, err := input.Flag("inspection", r.FormValue("inspection"))
	if err != nil {
		return err
	}
	_, err = s.db.Tips().Act(r.Context(), principal(r), id, tip.Action(r.FormValue("action")), r.FormValue("comment"), version, inspect)
	switch k := apperr.KindOf(err); k {
	case 0:
	case apperr.Invalid, apperr.Conflict:
		return s.renderTip(w, r, statusOf[k], err)
	default:
		return err
	}
	flash(w, translate(langOf(r), "The tip is updated"))
	http.Redirect(w, r, "/tips/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// tipHistory names a tip's history.
func (s *Server) tipHistory() historyNames {
	return historyNames{
		action: func(c string) (string, string) { return tip.Action(c).Name() },
		status: func(c string) (string, string) { return tip.Status(c).Name() },
		other:  map[string][2]string{"tip.receive": {"收到举报", "Tip received"}},
		more: func(lang string, sum map[string]any) string {
			if u, ok := sum["unit"].(string); ok && u != "" {
				return pickLang(lang, "分派至 ", "sent to ") + s.unitName(lang, u)
			}
			if with, ok := sum["with"].(float64); ok {
				return fmt.Sprintf(pickLang(lang, "随举报 #%d 一并办理", "handled with tip #%d"), int64(with))
			}
			if insp, ok := sum["inspection_id"].(float64); ok {
				return fmt.Sprintf(pickLang(lang, "已发起检查 #%d", "inspection #%d opened"), int64(insp))
			}
			return ""
		},
	}
}
