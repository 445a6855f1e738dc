package web

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/dashboard"
	"fugong/internal/enterprise"
	"fugong/internal/region"
	"fugong/internal/xlsx"
)

// dashCard is one headline figure with the list behind it.
type dashCard struct {
	Label string // catalogue key
	Value string
	Sub   string // e.g. "3 / 8"
	Link  string
	Warn  bool
}

// dashTable is one breakdown as the page shows it.
type dashTable struct {
	Dim    string
	Title  string // catalogue key
	Rows   []dashRowView
	Total  dashboard.Row
	Export string
}

type dashRowView struct {
	dashboard.Row
	Drill string // the dashboard narrowed to this row
	List  string // the enterprises (or applications) behind it
}

type dashCrumb struct{ Name, Link string }

type dashPageData struct {
	Report     dashReport
	Day, Today string
	Counted    string // when the figures were counted (hh:mm:ss), kept up to 30 s
	Cards      []dashCard
	Phases     []dashCard
	Tables     []dashTable
	Charts     []template.HTML
	Crumbs     []dashCrumb
	Categories []dashOption
	Units      []dashOption
	Export     string
	API        string
	Filtered   bool
}

type dashOption struct{ Code, Name string }

func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request) error {
	lang := langOf(r)
	f, err := dashFilter(r)
	var rep dashReport
	if err == nil {
		rep, err = s.dashLoad(r, f, lang, true)
	}
	status := http.StatusOK
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		status = http.StatusUnprocessableEntity
		f = dashboard.Filter{}
		var e2 error
		if rep, e2 = s.dashLoad(r, f, lang, true); e2 != nil {
			return e2
		}
	}
	d := s.dashView(r, rep)
	return s.render(w, r, status, "dashboard", "Dashboard", d, err)
}

// dashView turns the counts into the page: cards with their links, tables with drill-down
// and export links, the trend charts, the breadcrumb of regions.
func (s *Server) dashView(r *http.Request, rep dashReport) dashPageData {
	lang := langOf(r)
	f, fig := rep.Filter, rep.Figures
	today := s.db.Today()
	day := fig.Day
	d := dashPageData{Report: rep, Day: day, Today: today, Counted: rep.At.In(s.pol.Location()).Format("15:04:05"), API: "/api/v1/dashboard?" + dashValues(f).Encode(),
		Filtered: f.Region != "" || f.ParkID != 0 || f.Category != "" || f.Unit != ""}
	n := strconv.Itoa
	rate := func(label string, rt dashboard.Rate, href string) dashCard {
		return dashCard{Label: label, Value: rt.String(), Sub: n(rt.N) + " / " + n(rt.D), Link: href}
	}
	reports := "/reports/summary?" + dashValues(dashboard.Filter{Region: f.Region, Day: f.Day}).Encode()
	d.Cards = []dashCard{
		rate("Resumption rate by enterprises", rep.Rates.ByEnterprises, link("/enterprises", f, "status", "resumed", "unit", "")),
		rate("Resumption rate by workers", rep.Rates.ByWorkers, "/reports/daily?date="+urlEscape(day)),
		{Label: "Enterprises registered", Value: n(fig.Registered), Link: link("/enterprises", f, "unit", "")},
		{Label: "Fevers today", Value: n(fig.Fevers), Link: "/followups", Warn: fig.Fevers > 0},
		{Label: "Open follow-ups", Value: n(fig.Followups), Link: "/followups", Warn: fig.Followups > 0},
		{Label: "Readings today", Value: n(fig.Readings), Sub: translate(lang, "owed") + " " + n(fig.Owed), Link: "/reports/daily?date=" + urlEscape(day),
			Warn: fig.Readings < fig.Owed},
		{Label: "Overdue reviews", Value: n(fig.Overdue), Link: link("/applications", f, "overdue", "1", "park", "", "category", "", "unit", ""), Warn: fig.Overdue > 0},
		{Label: "Daily reports missing", Value: n(fig.ReportsMissing()), Sub: n(fig.Reports) + " / " + n(fig.ReportsDue), Link: reports, Warn: fig.ReportsMissing() > 0},
		{Label: "Supplies below the reserve days", Value: n(fig.LowCover), Link: "/reports/daily?date=" + urlEscape(day), Warn: fig.LowCover > 0},
		{Label: "Passes active", Value: n(fig.Passes["active"]), Link: "/passes?status=active"},
		{Label: "Passes suspended", Value: n(fig.Passes["suspended"]), Link: "/passes?status=suspended", Warn: fig.Passes["suspended"] > 0},
	}
	for _, st := range enterprise.Statuses {
		d.Phases = append(d.Phases, dashCard{Label: pickLang(lang, enterprise.StatusNames[st][0], enterprise.StatusNames[st][1]),
			Value: n(fig.ByStatus[string(st)]), Link: link("/enterprises", f, "status", string(st), "unit", "")})
	}
	for i := range d.Cards {
		d.Cards[i].Label = translate(lang, d.Cards[i].Label)
		if !s.mayOpen(principal(r), d.Cards[i].Link) {
			d.Cards[i].Link = ""
		}
	}
	d.Phases = append(d.Phases,
		dashCard{Label: "Isolating", Value: n(fig.Phases.Isolating)}, dashCard{Label: "Monitoring", Value: n(fig.Phases.Monitoring)},
		dashCard{Label: "Cleared", Value: n(fig.Phases.Cleared)}, dashCard{Label: "Not returned", Value: n(fig.Phases.NotBack)},
		dashCard{Label: "Staff registered", Value: n(fig.Staff)}, dashCard{Label: "On site today", Value: n(fig.OnSite)})
	for i := len(enterprise.Statuses); i < len(d.Phases); i++ {
		d.Phases[i].Label = translate(lang, d.Phases[i].Label)
	}
	titles := map[string]string{dashboard.ByRegion: "By region", dashboard.ByPark: "By park", dashboard.ByCategory: "By category", dashboard.ByUnit: "By reviewing unit"}
	// The region of the caller's scope: the rows break down the region asked for, or else
	// this one (a village's rows are its enterprises), as the store counted them; the
	// breadcrumb starts below it.
	p := principal(r)
	top := s.db.Dashboard().ScopeRegion(r.Context(), p)
	base := cmp.Or(f.Region, top)
	for _, dim := range dashboard.Dimensions {
		t := dashTable{Dim: dim, Title: titles[dim], Total: dashboard.Total(rep.By[dim]), Export: "/dashboard/export?" + withBy(dashValues(f), dim)}
		below, _ := dashboard.ChildLen(base)
		for _, row := range rep.By[dim] {
			v := dashRowView{Row: row}
			switch dim {
			case dashboard.ByRegion:
				if below == 0 && base != "" { // rows are enterprises
					v.List = "/enterprises/" + row.Key
				} else {
					v.Drill = link("/dashboard", f, "region", row.Key)
					v.List = link("/enterprises", f, "region", row.Key, "unit", "")
				}
			case dashboard.ByPark:
				if row.Key != "0" {
					v.Drill = link("/dashboard", f, "park", row.Key)
					v.List = link("/enterprises", f, "park", row.Key, "unit", "")
				}
			case dashboard.ByCategory:
				v.Drill = link("/dashboard", f, "category", row.Key)
				v.List = link("/enterprises", f, "category", row.Key, "unit", "")
			case dashboard.ByUnit:
				v.Drill = link("/dashboard", f, "unit", row.Key)
				v.List = link("/applications", dashboard.Filter{Region: f.Region}, "unit", row.Key)
			}
			t.Rows = append(t.Rows, v)
		}
		d.Tables = append(d.Tables, t)
	}
	if len(rep.Trend) > 0 {
		var ent, wk dashboard.Series
		ent.Name, wk.Name = translate(lang, "Resumption rate by enterprises"), translate(lang, "Resumption rate by workers")
		ent.Class, wk.Class = "s1", "s2"
		for _, t := range rep.Trend {
			ent.Points = append(ent.Points, dashboard.Point{Day: t.Day, Rate: t.ByEnterprises})
			wk.Points = append(wk.Points, dashboard.Point{Day: t.Day, Rate: t.ByWorkers})
		}
		title := fmt.Sprintf(translate(lang, "Resumption rates over the last %d days"), len(rep.Trend))
		d.Charts = []template.HTML{template.HTML(dashboard.Chart(title, []dashboard.Series{ent, wk}))} //nolint:gosec // Chart escapes its text
	}
	// The breadcrumb: the regions from the caller's own down to the one drilled into.
	d.Crumbs = []dashCrumb{{Name: translate(lang, "Whole scope"), Link: link("/dashboard", f, "region", "")}}
	if f.Region != "" {
		chain := region.Ancestors(f.Region)
		slices.Reverse(chain)
		for _, code := range append(chain, f.Region) {
			if len(code) <= len(top) {
				continue
			}
			name := code
			if reg, err := s.db.GetRegion(r.Context(), p, code); err == nil {
				name = reg.Name
			}
			d.Crumbs = append(d.Crumbs, dashCrumb{Name: name, Link: link("/dashboard", f, "region", code)})
		}
	}
	for _, c := range s.pol.Categories {
		d.Categories = append(d.Categories, dashOption{c.Code, pickLang(lang, c.Name, c.NameEN)})
	}
	for _, u := range s.pol.Units {
		d.Units = append(d.Units, dashOption{u.Code, pickLang(lang, u.Name, u.NameEN)})
	}
	d.Export = "/dashboard/export?" + withBy(dashValues(f), dashboard.ByRegion)
	return d
}

func pickLang(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}

func withBy(v url.Values, by string) string {
	v.Set("by", by)
	return v.Encode()
}

// dashColumns are the columns of a breakdown's export.
var dashColumns = []xlsx.Column{{Key: "name", Header: "名称", Width: 24}, {Key: "registered", Header: "登记企业数", Width: 12},
	{Key: "resumed", Header: "已复工企业数", Width: 12}, {Key: "notice", Header: "持有效通知书企业数", Width: 16}, {Key: "rate_e", Header: "复工率(按企业)", Width: 14},
	{Key: "staff", Header: "在册员工数", Width: 12}, {Key: "on_site", Header: "当日到岗人数", Width: 12}, {Key: "rate_w", Header: "复工率(按人员)", Width: 14},
	{Key: "fevers", Header: "发热/有症状人数", Width: 14}, {Key: "reports", Header: "日报已确认", Width: 12}, {Key: "due", Header: "应报企业数", Width: 12}}

var dashDimNames = map[string]string{dashboard.ByRegion: "按区域", dashboard.ByPark: "按园区", dashboard.ByCategory: "按类别", dashboard.ByUnit: "按审核单位"}

// dashboardExport writes one breakdown of the dashboard, as on screen, to .xlsx.
func (s *Server) dashboardExport(w http.ResponseWriter, r *http.Request) error {
	f, err := dashFilter(r)
	if err != nil {
		return err
	}
	by := r.URL.Query().Get("by")
	if by == "" {
		by = dashboard.ByRegion
	}
	if _, ok := dashDimNames[by]; !ok {
		return apperr.NewInvalid("by", "分组应为 region、park、category 或 unit", "by is one of region, park, category, unit")
	}
	rep, err := s.dashLoad(r, f, "zh", false)
	if err != nil {
		return err
	}
	rows := append(rep.By[by], dashboard.Total(rep.By[by]))
	rows[len(rows)-1].Name = dashboard.TotalName
	name := "复工情况" + dashDimNames[by] + "-" + rep.Figures.Day + ".xlsx"
	xlsxDownload(w, "dashboard.xlsx", name)
	return xlsx.Write(w, dashDimNames[by], dashColumns, func(yield func([]any) error) error {
		for _, x := range rows {
			if err := yield([]any{x.Name, x.Registered, x.Resumed, x.WithNotice, x.ByEnterprises().String(), x.Staff, x.OnSite,
				x.ByWorkers().String(), x.Fevers, x.Reports, x.ReportsDue}); err != nil {
				return err
			}
		}
		return nil
	})
}

// mayOpen reports whether p may open the page a link leads to (a GET route of the table
// without path values), so that no card leads to a 403.
func (s *Server) mayOpen(p auth.Principal, href string) bool {
	path, _, _ := strings.Cut(href, "?")
	for _, rt := range s.routes {
		if rt.Method == http.MethodGet && rt.Path == path {
			return p.Can(rt.Perm)
		}
	}
	return true
}
