package web

import (
	"net/http"
	"strconv"
	"strings"

	"fugong/internal/store"
)

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
