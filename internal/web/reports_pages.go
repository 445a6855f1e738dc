package web

import (
	"net/http"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/ledger"
	"fugong/internal/list"
	"fugong/internal/xlsx"
)

// --- daily reports ---

type reportPageData struct {
	ledgerHelp
	Day        string
	Items      []ledger.DailyReport
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
	f := ledger.ReportFilter{Day: strings.TrimSpace(r.URL.Query().Get("date")), Page: pageOf(r)}
	if f.Day == "" {
		f.Day = s.db.Today()
	}
	items, total, confirmed, err := s.db.Ledgers().DailyReports(r.Context(), p, f)
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		f.Day = s.db.Today()
		ferr = err
		if items, total, confirmed, err = s.db.Ledgers().DailyReports(r.Context(), p, f); err != nil {
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
	rep, err := s.db.Ledgers().ConfirmDailyReport(r.Context(), principal(r), ledgerFormEnterprise(r), day, strings.TrimSpace(r.PostFormValue("note")))
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
	f := ledger.ReportFilter{Day: strings.TrimSpace(q.Get("date")), EnterpriseID: ent, Page: list.Page{Number: 1, Size: list.MaxSize}}
	if f.Day == "" {
		f.Day = s.db.Today()
	}
	first, total, _, err := s.db.Ledgers().DailyReports(r.Context(), p, f)
	if err != nil {
		return err
	}
	loc := s.pol.Location()
	xlsxDownload(w, "daily-report.xlsx", "疫情日报告表-"+f.Day+".xlsx")
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
			if items, _, _, err = s.db.Ledgers().DailyReports(r.Context(), p, f); err != nil {
				return err
			}
		}
	})
}
