package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/dashboard"
)

// trendDays is how many days the dashboard's trend shows.
const trendDays = 30

// dashFilter reads the dashboard's filter from the query: region, park, category, unit,
// day. A park that is not a number is refused as the other values are (by the store,
// through dashboard.Filter.Check).
func dashFilter(r *http.Request) (dashboard.Filter, error) {
	q := r.URL.Query()
	f := dashboard.Filter{Region: strings.TrimSpace(q.Get("region")), Category: strings.TrimSpace(q.Get("category")),
		Unit: strings.TrimSpace(q.Get("unit")), Day: strings.TrimSpace(q.Get("day"))}
	if v := strings.TrimSpace(q.Get("park")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, apperr.NewInvalid("park", "园区编号应为正整数", "The park is a positive number")
		}
		f.ParkID = id
	}
	return f, nil
}

// dashValues is the filter as query values (for links that keep it).
func dashValues(f dashboard.Filter) url.Values {
	v := url.Values{}
	if f.Region != "" {
		v.Set("region", f.Region)
	}
	if f.ParkID != 0 {
		v.Set("park", strconv.FormatInt(f.ParkID, 10))
	}
	if f.Category != "" {
		v.Set("category", f.Category)
	}
	if f.Unit != "" {
		v.Set("unit", f.Unit)
	}
	if f.Day != "" {
		v.Set("day", f.Day)
	}
	return v
}

// link is path with the filter's values, changed by the pairs given (an empty value drops
// the key).
func link(path string, f dashboard.Filter, pairs ...string) string {
	v := dashValues(f)
	v.Del("day")
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			v.Del(pairs[i])
		} else {
			v.Set(pairs[i], pairs[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// dashReport is what the dashboard's page, API and export all read: the figures, the four
// breakdowns and the trend.
type dashReport struct {
	Filter  dashboard.Filter           `json:"filter"`
	Figures dashboard.Figures          `json:"figures"`
	Rates   dashRates                  `json:"rates"`
	By      map[string][]dashboard.Row `json:"by"`
	Trend   []dashTrendDay             `json:"trend"`
	At      time.Time                  `json:"-"` // when counted (kept up to 30 s, store.Dashboard.Board)
}

type dashRates struct {
	ByEnterprises dashboard.Rate `json:"by_enterprises"`
	ByWorkers     dashboard.Rate `json:"by_workers"`
}

type dashTrendDay struct {
	Day           string         `json:"day"`
	ByEnterprises dashboard.Rate `json:"by_enterprises"`
	ByWorkers     dashboard.Rate `json:"by_workers"`
	Fevers        int            `json:"fevers"`
}

// dashSections are the figures other features add to the dashboard: each returns its
// section for the caller and filter, or ok false to show none (no permission, nothing to
// say).
func (s *Server) dashSections() []func(r *http.Request, p auth.Principal, f dashboard.Filter) (dashboard.Section, bool, error) {
	return []func(*http.Request, auth.Principal, dashboard.Filter) (dashboard.Section, bool, error){
		s.supervisionSection,    // inspections, rectification orders, hazards (inspections.go)
		s.responsibilitySection, // 包保 coverage and alerts (assignments.go)
	}
}

// dashLoad counts everything the dashboard shows.
func (s *Server) dashLoad(r *http.Request, f dashboard.Filter, lang string, trend bool) (dashReport, error) {
	p := principal(r)
	h := s.db.Dashboard()
	out := dashReport{Filter: f, By: map[string][]dashboard.Row{}}
	n := 0
	if trend {
		n = trendDays
	}
	// The figures, the breakdowns and the trend from one count of the day's figures of
	// each enterprise, kept briefly by this instance (store.Dashboard.Board).
	sections := func(ctx context.Context) ([]dashboard.Section, error) {
		var out []dashboard.Section
		for _, sec := range s.dashSections() {
			x, ok, err := sec(r.WithContext(ctx), p, f)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, x)
			}
		}
		return out, nil
	}
	board, err := h.Board(r.Context(), p, f, dashboard.Dimensions, lang, n, sections)
	if err != nil {
		return out, err
	}
	out.Figures, out.At = board.Figures, board.At
	by, days := board.By, board.Trend
	out.Rates = dashRates{out.Figures.ByEnterprises(), out.Figures.ByWorkers()}
	for _, dim := range dashboard.Dimensions {
		rows := by[dim]
		if rows == nil {
			rows = []dashboard.Row{}
		}
		out.By[dim] = rows
	}
	out.Trend = []dashTrendDay{}
	for _, d := range days {
		out.Trend = append(out.Trend, dashTrendDay{Day: d.Key, ByEnterprises: d.ByEnterprises(), ByWorkers: d.ByWorkers(), Fevers: d.Fevers})
	}
	return out, nil
}
