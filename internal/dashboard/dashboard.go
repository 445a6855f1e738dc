// Package dashboard holds the command's picture: what each figure of the dashboard means,
// how the figures of one level are grouped by region, park, category and reviewing unit,
// how the daily reports roll up from village to town to county, the layout of the seed's
// statistics tables and the trend charts. Pure functions over plain structs: the store
// counts, this package says what the counts mean.
package dashboard

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/enterprise"
	"fugong/internal/input"
	"fugong/internal/policy"
	"fugong/internal/region"
)

// Filter narrows the dashboard; every field is optional. Region is a region code inside
// the caller's scope (the level drilled into); Day is YYYY-MM-DD in the policy's zone,
// today when empty.
type Filter struct {
	Region   string `json:"region,omitempty"`
	ParkID   int64  `json:"park,omitempty"`
	Category string `json:"category,omitempty"`
	Unit     string `json:"unit,omitempty"`
	Day      string `json:"day,omitempty"`
}

// Check refuses filter values that name nothing: a malformed region code, a category or
// unit the policy does not have, a day that is not a date or lies in the future.
func (f Filter) Check(pol *policy.Policy, today string) error {
	var ps apperr.Problems
	if f.Region != "" {
		if err := region.Validate(f.Region); err != nil {
			ps.Add("region", "行政区划代码无效:"+f.Region, "Not a region code: "+f.Region)
		}
	}
	cats := make([]string, 0, len(pol.Categories))
	for _, c := range pol.Categories {
		cats = append(cats, c.Code)
	}
	units := make([]string, 0, len(pol.Units))
	for _, u := range pol.Units {
		units = append(units, u.Code)
	}
	for _, p := range []*apperr.Problem{input.OneOf("category", f.Category, cats), input.OneOf("unit", f.Unit, units)} {
		if p != nil {
			ps = append(ps, *p)
		}
	}
	if f.Day != "" {
		d, err := time.Parse("2006-01-02", f.Day)
		if err != nil || d.Format("2006-01-02") != f.Day {
			ps.Add("day", "日期格式应为 YYYY-MM-DD", "The day is written YYYY-MM-DD")
		} else if today != "" && f.Day > today {
			ps.Add("day", "不能查看未来的日期", "The day is still to come")
		}
	}
	return ps.Err()
}

// Rate is a share, n out of d.
type Rate struct {
	N int `json:"n"`
	D int `json:"d"`
}

// Percent is the share in per cent, or -1 when there is nothing to share (d = 0).
func (r Rate) Percent() float64 {
	if r.D <= 0 {
		return -1
	}
	return float64(r.N) * 100 / float64(r.D)
}

// String is the share with one decimal ("62.5%"), "—" when there is nothing to share.
func (r Rate) String() string {
	p := r.Percent()
	if p < 0 {
		return "—"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", p), ".0") + "%"
}

// Phases are the staff by where they stand on the quarantine clock (roster.Phase), not
// counting people who have left.
type Phases struct {
	Isolating  int `json:"isolating"`
	Monitoring int `json:"monitoring"`
	Cleared    int `json:"cleared"`
	NotBack    int `json:"not_back"` // not returned yet, or advised not to return
}

// Back is everyone who has returned: isolating, monitoring or cleared.
func (p Phases) Back() int { return p.Isolating + p.Monitoring + p.Cleared }

// Figures are the dashboard of one level on one day.
type Figures struct {
	Day        string         `json:"day"`
	Registered int            `json:"registered"`             // enterprises registered
	ByStatus   map[string]int `json:"by_status"`              // enterprises by status (enterprise.Status)
	WithNotice int            `json:"with_notice"`            // enterprises holding a notice in force at the day's end
	Staff      int            `json:"staff"`                  // employees registered (not left)
	OnSite     int            `json:"on_site"`                // employees admitted at a gate on the day
	Phases     Phases         `json:"phases"`                 // staff by phase
	Readings   int            `json:"readings"`               // temperature readings taken on the day
	Owed       int            `json:"readings_owed"`          // readings owed on the day (see ReadingsOwed)
	Fevers     int            `json:"fevers"`                 // people with a fever or symptom on the day
	Followups  int            `json:"open_followups"`         // fever follow-ups not closed
	Passes     map[string]int `json:"passes"`                 // entry passes by status (requested, active, suspended)
	Apps       map[string]int `json:"applications"`           // applications by status or stage
	Overdue    int            `json:"overdue_reviews"`        // applications under review past their due time
	Reports    int            `json:"reports_confirmed"`      // daily reports confirmed for the day
	ReportsDue int            `json:"reports_due"`            // enterprises asked for a report (see Owes)
	LowCover   int            `json:"supplies_below_reserve"` // confirmed reports whose masks last less than the reserve days
	// Sections are the figures other features add (supervision, responsibility): each
	// feature fills its own section; the page and the API show them as they are.
	Sections []Section `json:"sections,omitempty"`
}

// Section is a group of figures a feature adds to the dashboard.
type Section struct {
	Key     string `json:"key"` // e.g. "supervision", "responsibility"
	Title   string `json:"title"`
	TitleEN string `json:"title_en"`
	Items   []Item `json:"items"`
}

// Item is one figure of a Section; Link is the filtered list behind it.
type Item struct {
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	Value   int    `json:"value"`
	Link    string `json:"link,omitempty"`
	Warn    bool   `json:"warn,omitempty"` // shown as needing attention when not zero
}

// ByEnterprises is the resumption rate by enterprises: those holding a notice in force
// out of those registered.
func (f Figures) ByEnterprises() Rate { return Rate{f.WithNotice, f.Registered} }

// ByWorkers is the resumption rate by workers: those on site on the day out of those
// registered.
func (f Figures) ByWorkers() Rate { return Rate{f.OnSite, f.Staff} }

// ReportsMissing is the number of enterprises asked for a report that have not confirmed it.
func (f Figures) ReportsMissing() int {
	if n := f.ReportsDue - f.Reports; n > 0 {
		return n
	}
	return 0
}

// ReadingsOwed is what the day's checks owe: every person back at work (isolating,
// monitoring or cleared) is checked the policy's number of times a day.
func ReadingsOwed(pol *policy.Policy, p Phases) int {
	return p.Back() * pol.Health.ChecksPerDay
}

// Owes reports whether an enterprise in a status is asked for a daily report: only those
// allowed to produce (a notice in force) report; an enterprise that may not resume is not
// asked for a report on work it may not do.
func Owes(status string) bool { return status == "resumed" }

// PhaseRule says which phase the employees of an origin class are in, by return date:
// back on or after Since (YYYY-MM-DD) they are in Phase; back earlier, cleared.
// Since empty: the class has no measure, everyone back is cleared.
type PhaseRule struct {
	Origin string
	Phase  string // "isolating" or "monitoring"
	Since  string
}

// PhaseRules turns the policy's origin classes into the cut-off dates the store counts
// with on day (YYYY-MM-DD): the same answer as roster.Clock for each person, counted by
// a GROUP BY instead of a clock per person. The last rule (Origin "") is for classes the
// policy no longer has, isolated for the policy's isolation days, as roster.Clock does.
func PhaseRules(pol *policy.Policy, day time.Time) []PhaseRule {
	since := func(days int) string { return day.AddDate(0, 0, -days).Format("2006-01-02") }
	var out []PhaseRule
	for _, oc := range pol.OriginClasses {
		r := PhaseRule{Origin: oc.Code}
		switch oc.Measure {
		case policy.MeasureMonitor:
			r.Phase = "monitoring"
		case policy.MeasureIsolate, policy.MeasureAdviseNotReturn:
			r.Phase = "isolating"
		}
		if r.Phase != "" && oc.Days > 0 {
			r.Since = since(oc.Days)
		} else {
			r.Phase = ""
		}
		out = append(out, r)
	}
	return append(out, PhaseRule{Phase: "isolating", Since: since(pol.Health.IsolationDays)})
}

// Dimensions the dashboard groups by.
const (
	ByRegion   = "region"
	ByPark     = "park"
	ByCategory = "category"
	ByUnit     = "unit"
)

// Dimensions lists them in the order of the page.
var Dimensions = []string{ByRegion, ByPark, ByCategory, ByUnit}

// ChildLen is the length of the codes one level below a region (to group enterprises by
// SUBSTR(region_code, 1, n)), with the suffix that makes the prefix a full code: a
// province's cities ("3304" + "00"), a city's counties (6), a county's towns (9), a
// town's villages (12). A village has no level below it: 0.
func ChildLen(code string) (n int, suffix string) {
	switch p := region.Prefix(code); {
	case code == "":
		return 2, "0000"
	case len(p) == 2:
		return 4, "00"
	case len(p) == 4:
		return 6, ""
	case len(code) == 6:
		return 9, ""
	case len(code) == 9:
		return 12, ""
	}
	return 0, ""
}

// Row is one line of a breakdown: a region, park, category or unit with its figures.
type Row struct {
	Key        string `json:"key"`
	Name       string `json:"name"`
	Registered int    `json:"registered"`
	Resumed    int    `json:"resumed"`
	WithNotice int    `json:"with_notice"`
	Staff      int    `json:"staff"`
	OnSite     int    `json:"on_site"`
	Fevers     int    `json:"fevers"`
	Reports    int    `json:"reports_confirmed"`
	ReportsDue int    `json:"reports_due"`
}

// ByEnterprises and ByWorkers are the row's rates.
func (r Row) ByEnterprises() Rate { return Rate{r.WithNotice, r.Registered} }
func (r Row) ByWorkers() Rate     { return Rate{r.OnSite, r.Staff} }

// ReportsMissing is the row's enterprises asked for a report that have not confirmed it.
func (r Row) ReportsMissing() int {
	if n := r.ReportsDue - r.Reports; n > 0 {
		return n
	}
	return 0
}

// Add adds another row's figures.
func (r *Row) Add(o Row) {
	r.Registered += o.Registered
	r.Resumed += o.Resumed
	r.WithNotice += o.WithNotice
	r.Staff += o.Staff
	r.OnSite += o.OnSite
	r.Fevers += o.Fevers
	r.Reports += o.Reports
	r.ReportsDue += o.ReportsDue
}

// Total adds rows up.
func Total(rows []Row) Row {
	var t Row
	for _, r := range rows {
		t.Add(r)
	}
	return t
}

// RouteGroup is the part of an enterprise its reviewing unit depends on.
type RouteGroup struct {
	Category string
	InPark   bool
	Key      bool
}

// UnitOf is the reviewing unit of a group under the policy's routing.
func UnitOf(pol *policy.Policy, g RouteGroup) string {
	e := enterprise.Enterprise{Category: g.Category, KeyEnterprise: g.Key}
	if g.InPark {
		e.ParkID = 1 // any park: routing asks only whether there is one
	}
	return application.RouteFor(pol, e).Unit
}

// UnitGroups lists the route groups a unit reviews: every category of the policy, in a
// park or not, key or not, whose route names the unit. The store filters by unit with them.
func UnitGroups(pol *policy.Policy, unit string) []RouteGroup {
	var out []RouteGroup
	for _, c := range pol.Categories {
		for _, inPark := range []bool{false, true} {
			for _, key := range []bool{false, true} {
				g := RouteGroup{Category: c.Code, InPark: inPark, Key: key}
				if UnitOf(pol, g) == unit {
					out = append(out, g)
				}
			}
		}
	}
	return out
}

// GroupRow is a row counted per route group, before the groups are merged into units.
type GroupRow struct {
	Group RouteGroup
	Row   Row
}

// UnitRows merges rows counted per route group into one row per reviewing unit, in the
// order of the policy's units, named in lang ("en" or Chinese).
func UnitRows(pol *policy.Policy, groups []GroupRow, lang string) []Row {
	byUnit := map[string]*Row{}
	for _, g := range groups {
		u := UnitOf(pol, g.Group)
		r := byUnit[u]
		if r == nil {
			r = &Row{Key: u, Name: u}
			byUnit[u] = r
		}
		r.Add(g.Row)
	}
	var out []Row
	for _, u := range pol.Units {
		if r := byUnit[u.Code]; r != nil {
			r.Name = u.Name
			if lang == "en" && u.NameEN != "" {
				r.Name = u.NameEN
			}
			out = append(out, *r)
			delete(byUnit, u.Code)
		}
	}
	rest := make([]string, 0, len(byUnit))
	for k := range byUnit {
		rest = append(rest, k)
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, *byUnit[k])
	}
	return out
}

func parseDay(s string) (time.Time, error) { return time.Parse("2006-01-02", s) }

// Sections gives the figures other features add to the dashboard (Figures.Sections).
type Sections func(ctx context.Context) ([]Section, error)

// Board is everything the dashboard shows, as counted at a time.
type Board struct {
	Figures Figures
	By      map[string][]Row // the breakdowns by dimension
	Trend   []Row            // the days of the trend, oldest first
	At      time.Time        // when it was counted
}

// Clone copies b with its maps and slices, which a caller may then change without
// changing a board kept for others.
func (b Board) Clone() Board {
	out := b
	out.Figures.ByStatus = maps.Clone(b.Figures.ByStatus)
	out.Figures.Passes = maps.Clone(b.Figures.Passes)
	out.Figures.Apps = maps.Clone(b.Figures.Apps)
	out.Figures.Sections = slices.Clone(b.Figures.Sections)
	out.By = map[string][]Row{}
	for k, v := range b.By {
		out.By[k] = slices.Clone(v)
	}
	out.Trend = slices.Clone(b.Trend)
	return out
}
