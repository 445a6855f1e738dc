package web

import (
	"fugong/internal/ledger"
	"net/http"
	"strconv"
	"strings"
)

type dailyList struct {
	Date      string               `json:"date"`
	Items     []ledger.DailyReport `json:"items"`
	Total     int                  `json:"total"`
	Confirmed int                  `json:"confirmed"`
	Page      int                  `json:"page"`
	Size      int                  `json:"size"`
}

func (s *Server) apiDailyReports(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f := ledger.ReportFilter{Day: strings.TrimSpace(q.Get("date")), EnterpriseID: ent, Page: pageOf(r)}
	if f.Day == "" {
		f.Day = s.db.Today()
	}
	items, total, confirmed, err := s.db.Ledgers().DailyReports(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []ledger.DailyReport{}
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
	rep, err := s.db.Ledgers().ConfirmDailyReport(r.Context(), principal(r), in.EnterpriseID, strings.TrimSpace(in.Date), strings.TrimSpace(in.Note))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// reportSchemas are the OpenAPI schemas of the daily report (疫情日报告) routes. They
// follow the JSON tags of store.DailyReport and the body the handler decodes;
// openapi_workforce_test.go calls the routes and compares.
func reportSchemas() obj {
	return obj{
		"DailyReport": object("An enterprise's daily report: the figures of the day, as confirmed, or computed now while not confirmed; a confirmed report with no fever, no suspended pass and nobody isolating is a zero report",
			[]string{"enterprise_id", "enterprise_name", "date", "on_site", "isolating", "monitoring", "fevers", "passes_suspended", "mask_stock", "cover_days",
				"cover_warning", "zero_report", "confirmed"}, obj{
				"enterprise_id":    id64(""),
				"enterprise_name":  str(""),
				"date":             date("The day, in the policy's time zone"),
				"on_site":          integer("People at work (cleared and monitored by the quarantine clock)"),
				"isolating":        integer(""),
				"monitoring":       integer(""),
				"fevers":           integer("People with a fever or a symptom that day"),
				"passes_suspended": integer("Passes suspended when computed (or confirmed)"),
				"mask_stock":       obj{"type": "integer", "format": "int64", "description": "Masks in stock at the end of the day"},
				"cover_days":       number("Days the masks last for the people on site; -1 when nobody is on site"),
				"cover_warning":    boolean("Below the policy's reserve days"),
				"zero_report":      boolean("Nothing to report (零报告)"),
				"confirmed":        boolean("Confirmed by the enterprise's admin"),
				"confirmed_by":     str("Who confirmed; absent while not confirmed"),
				"confirmed_at":     stamp("Absent while not confirmed"),
				"note":             str(""),
			}),
		"DailyReportList": object("The daily reports of the enterprises in scope on a day, by enterprise name", []string{"date", "items", "total", "confirmed", "page", "size"}, obj{
			"date":      date("The day (today when not asked)"),
			"items":     array(ref("DailyReport"), ""),
			"total":     integer("Enterprises on all pages"),
			"confirmed": integer("Of those, confirmed"),
			"page":      integer("This page's number, from 1"),
			"size":      integer("Items per page"),
		}),
		"DailyReportConfirm": object("Confirm a day's report, once; enterprise_id is filled in for enterprise users", nil, obj{
			"enterprise_id": id64(""),
			"date":          date("Today or earlier; today when empty"),
			"note":          str(""),
		}),
	}
}
