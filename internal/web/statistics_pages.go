package web

import (
	"net/http"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/dashboard"
	"fugong/internal/enterprise"
	"fugong/internal/xlsx"
)

type statisticsData struct {
	Day, Today string
	Rows       []statLine // laid out: subtotals and total included
	Filings    []dashboard.Filing
	Export     string
	FilingsXLS string
	Filter     dashboard.Filter
}

// statLine is a row of the 复工统计表 as the page shows it: its region and category named
// in the page's language.
type statLine struct {
	dashboard.StatRow
	RegionLabel, CategoryLabel string
}

func (s *Server) statLines(rows []dashboard.StatRow, lang string) []statLine {
	out := make([]statLine, len(rows))
	for i, r := range rows {
		l := statLine{StatRow: r, RegionLabel: r.RegionName, CategoryLabel: enterprise.CategoryName(s.pol, r.Category, lang)}
		switch {
		case r.Sum() && r.RegionName == dashboard.TotalName:
			l.RegionLabel = translate(lang, "Total")
		case r.Sum():
			l.CategoryLabel = translate(lang, "Subtotal")
		}
		out[i] = l
	}
	return out
}

// statFilter is the statistics' filter: the day and, optionally, a region inside the scope.
func statFilter(r *http.Request) dashboard.Filter {
	q := r.URL.Query()
	return dashboard.Filter{Day: strings.TrimSpace(q.Get("day")), Region: strings.TrimSpace(q.Get("region"))}
}

func (s *Server) statisticsPage(w http.ResponseWriter, r *http.Request) error {
	f := statFilter(r)
	status := http.StatusOK
	rows, err := s.db.Dashboard().Statistics(r.Context(), principal(r), f)
	var ferr error
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		ferr, status, f = err, http.StatusUnprocessableEntity, dashboard.Filter{}
		if rows, err = s.db.Dashboard().Statistics(r.Context(), principal(r), f); err != nil {
			return err
		}
	}
	filings, err := s.db.Dashboard().Filings(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	if f.Day == "" {
		f.Day = s.db.Today()
	}
	v := dashValues(f).Encode()
	d := statisticsData{Day: f.Day, Today: s.db.Today(), Rows: s.statLines(dashboard.StatTable(rows), langOf(r)), Filings: filings, Filter: f,
		Export: "/statistics/resumption.xlsx?" + v, FilingsXLS: "/statistics/filings.xlsx?" + v}
	return s.render(w, r, status, "statistics", "Statistics tables", d, ferr)
}

// statColumns are the 复工统计表's columns.
func statColumns() []xlsx.Column {
	keys := []string{"region", "category", "registered", "filed", "approved", "resumed", "rate", "staff", "back", "on_site"}
	cols := make([]xlsx.Column, len(keys))
	for i, k := range keys {
		cols[i] = xlsx.Column{Key: k, Header: dashboard.StatHeaders[i], Width: 14}
	}
	cols[0].Width, cols[1].Width = 18, 18
	return cols
}

// writeStatistics writes the 复工统计表 of the day as the clerk hands it in.
func (s *Server) writeStatistics(w http.ResponseWriter, r *http.Request) error {
	f := statFilter(r)
	rows, err := s.db.Dashboard().Statistics(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	day := f.Day
	if day == "" {
		day = s.db.Today()
	}
	xlsxDownload(w, "resumption-statistics.xlsx", "复工统计表-"+day+".xlsx")
	return xlsx.Write(w, "复工统计表"+day, statColumns(), func(yield func([]any) error) error {
		for _, x := range dashboard.StatTable(rows) {
			if err := yield([]any{x.RegionName, x.CategoryName, x.Registered, x.Filed, x.Approved, x.Resumed, x.Rate().String(), x.Staff, x.Back, x.OnSite}); err != nil {
				return err
			}
		}
		return nil
	})
}

// filingsExport writes the 复工企业备案汇总表 (附件3) of the day.
func (s *Server) filingsExport(w http.ResponseWriter, r *http.Request) error {
	f := statFilter(r)
	items, err := s.db.Dashboard().Filings(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	day := f.Day
	if day == "" {
		day = s.db.Today()
	}
	keys := []string{"no", "name", "uscc", "region", "category", "unit", "planned", "submitted", "headcount", "status", "serial"}
	cols := make([]xlsx.Column, len(keys))
	for i, k := range keys {
		cols[i] = xlsx.Column{Key: k, Header: dashboard.FilingHeaders[i]}
	}
	cols[1].Width, cols[2].Width = 28, 22
	loc := s.pol.Location()
	xlsxDownload(w, "filings.xlsx", "复工企业备案汇总表-"+day+".xlsx")
	return xlsx.Write(w, "备案汇总表"+day, cols, func(yield func([]any) error) error {
		for i, x := range items {
			planned := ""
			if x.PlannedAt != nil {
				planned = x.PlannedAt.In(loc).Format("2006-01-02")
			}
			cat, unit := x.Category, x.Unit
			for _, c := range s.pol.Categories {
				if c.Code == x.Category {
					cat = c.Name
				}
			}
			if u, ok := s.pol.Unit(x.Unit); ok {
				unit = u.Name
			}
			if err := yield([]any{i + 1, x.Name, x.USCC, x.RegionName, cat, unit, planned, x.SubmittedAt.In(loc).Format("2006-01-02 15:04"),
				x.Headcount, appStatusName(s, x.Status), x.Serial}); err != nil {
				return err
			}
		}
		return nil
	})
}

// appStatusName is an application's status in Chinese: a fixed status, or the stage it
// waits in.
func appStatusName(s *Server, status string) string {
	if k, ok := appStatusKey[status]; ok {
		return translate("zh", k)
	}
	for _, st := range s.pol.Stages {
		if st.Code == status {
			return "审核中:" + st.Name
		}
	}
	return status
}
