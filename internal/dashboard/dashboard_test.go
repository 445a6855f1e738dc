package dashboard

import (
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/policy"
	"fugong/internal/roster"
)

func TestRate(t *testing.T) {
	for _, tc := range []struct {
		r    Rate
		want string
		pct  float64
	}{
		{Rate{0, 0}, "—", -1},
		{Rate{0, 4}, "0%", 0},
		{Rate{1, 3}, "33.3%", 100.0 / 3},
		{Rate{2, 5}, "40%", 40},
		{Rate{5, 5}, "100%", 100},
		{Rate{1, 8}, "12.5%", 12.5},
	} {
		if got := tc.r.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.r, got, tc.want)
		}
		if got := tc.r.Percent(); got != tc.pct {
			t.Errorf("%+v: %v%%, want %v", tc.r, got, tc.pct)
		}
	}
}

func TestFiguresDerived(t *testing.T) {
	pol := policy.Default()
	f := Figures{Registered: 4, WithNotice: 1, Staff: 10, OnSite: 6, Reports: 3, ReportsDue: 2,
		Phases: Phases{Isolating: 2, Monitoring: 1, Cleared: 4, NotBack: 3}}
	if f.ByEnterprises() != (Rate{1, 4}) || f.ByWorkers() != (Rate{6, 10}) {
		t.Errorf("rates %v %v", f.ByEnterprises(), f.ByWorkers())
	}
	if f.ReportsMissing() != 0 {
		t.Errorf("more reports than due: %d missing", f.ReportsMissing())
	}
	f.Reports = 0
	if f.ReportsMissing() != 2 {
		t.Errorf("missing %d", f.ReportsMissing())
	}
	if got := ReadingsOwed(pol, f.Phases); got != 7*pol.Health.ChecksPerDay {
		t.Errorf("owed %d", got)
	}
	for st, want := range map[string]bool{"resumed": true, "not_resumed": false, "suspended": false, "closed": false} {
		if Owes(st) != want {
			t.Errorf("owes(%s) = %v", st, !want)
		}
	}
}

func TestChildLen(t *testing.T) {
	for _, tc := range []struct {
		code   string
		n      int
		suffix string
	}{
		{"", 2, "0000"},
		{"330000", 4, "00"},
		{"330400", 6, ""},
		{"330402", 9, ""},
		{"330402001", 12, ""},
		{"330402001001", 0, ""},
	} {
		n, s := ChildLen(tc.code)
		if n != tc.n || s != tc.suffix {
			t.Errorf("%q: %d %q, want %d %q", tc.code, n, s, tc.n, tc.suffix)
		}
	}
}

// The cut-offs give, for every origin and return date, the phase roster.Clock gives the
// person: the store's GROUP BY and the person's own page agree.
func TestPhaseRulesAgreeWithClock(t *testing.T) {
	pol := policy.Default()
	loc := pol.Location()
	day, _ := roster.ParseDate("2020-02-20", loc)
	rules := PhaseRules(pol, day)
	phaseOf := func(origin, back string) string {
		if back == "" || back > "2020-02-20" {
			return "not_back"
		}
		for _, r := range rules[:len(rules)-1] {
			if r.Origin == origin {
				if r.Phase != "" && back >= r.Since {
					return r.Phase
				}
				return "cleared"
			}
		}
		if last := rules[len(rules)-1]; back >= last.Since {
			return last.Phase
		}
		return "cleared"
	}
	want := map[roster.Phase]string{roster.Isolating: "isolating", roster.Monitoring: "monitoring", roster.Cleared: "cleared",
		roster.NotReturned: "not_back", roster.AdvisedNotReturn: "not_back"}
	origins := []string{"gone_class"}
	for _, oc := range pol.OriginClasses {
		origins = append(origins, oc.Code)
	}
	for _, origin := range origins {
		for off := -20; off <= 3; off++ {
			back := day.AddDate(0, 0, off)
			e := roster.Employee{Origin: origin, ReturnDate: back}
			got := phaseOf(origin, back.Format("2006-01-02"))
			clock := roster.Clock(pol, e, day.Add(12*time.Hour)).Phase
			if got != want[clock] {
				t.Errorf("%s back %s: rules say %s, the clock %s", origin, back.Format("2006-01-02"), got, clock)
			}
		}
		if got := phaseOf(origin, ""); got != "not_back" {
			t.Errorf("%s with no return date: %s", origin, got)
		}
	}
}

func TestFilterCheck(t *testing.T) {
	pol := policy.Default()
	for _, tc := range []struct {
		name string
		f    Filter
		bad  []string
	}{
		{"nothing", Filter{}, nil},
		{"a town and a day", Filter{Region: "330402001", Day: "2020-02-15"}, nil},
		{"a category and a unit", Filter{Category: pol.Categories[0].Code, Unit: pol.Units[0].Code}, nil},
		{"bad region", Filter{Region: "33x"}, []string{"region"}},
		{"unknown category and unit", Filter{Category: "nope", Unit: "nope"}, []string{"category", "unit"}},
		{"not a day", Filter{Day: "2020-02-30"}, []string{"day"}},
		{"a day to come", Filter{Day: "2020-03-01"}, []string{"day"}},
	} {
		err := tc.f.Check(pol, "2020-02-20")
		got := problemFields(err)
		if strings.Join(got, ",") != strings.Join(tc.bad, ",") {
			t.Errorf("%s: problems %v, want %v (%v)", tc.name, got, tc.bad, err)
		}
	}
}

func TestUnitRows(t *testing.T) {
	pol := policy.Default()
	var groups []GroupRow
	want := map[string]int{}
	for i, c := range pol.Categories {
		for _, inPark := range []bool{false, true} {
			g := RouteGroup{Category: c.Code, InPark: inPark}
			groups = append(groups, GroupRow{Group: g, Row: Row{Registered: i + 1}})
			want[UnitOf(pol, g)] += i + 1
		}
	}
	rows := UnitRows(pol, groups, "zh")
	if len(rows) != len(want) {
		t.Fatalf("%d rows for %d units", len(rows), len(want))
	}
	total := 0
	for _, r := range rows {
		if r.Registered != want[r.Key] {
			t.Errorf("%s: %d, want %d", r.Key, r.Registered, want[r.Key])
		}
		if r.Name == r.Key {
			t.Errorf("%s has no name", r.Key)
		}
		total += r.Registered
	}
	if Total(rows).Registered != total {
		t.Errorf("total %d, want %d", Total(rows).Registered, total)
	}
	// The groups of a unit are what UnitOf sends to it.
	for u := range want {
		for _, g := range UnitGroups(pol, u) {
			if UnitOf(pol, g) != u {
				t.Errorf("%+v in %s routes to %s", g, u, UnitOf(pol, g))
			}
		}
	}
}

func TestChart(t *testing.T) {
	days := Days("2020-02-15", 3)
	if strings.Join(days, ",") != "2020-02-13,2020-02-14,2020-02-15" {
		t.Fatalf("days %v", days)
	}
	s := Series{Name: "按企业 <复工率>", Points: []Point{{days[0], Rate{0, 0}}, {days[1], Rate{1, 4}}, {days[2], Rate{2, 4}}}}
	svg := Chart("复工率 & 趋势", []Series{s})
	for _, want := range []string{`<svg class="chart" viewBox="0 0 640 240"`, `&lt;复工率&gt;`, `复工率 &amp; 趋势`, `>02-13<`, `>02-15<`, `>100%<`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %s", want)
		}
	}
	// The day with nothing to share is a gap: the line starts at the second day.
	if strings.Count(svg, "<circle") != 2 || !strings.Contains(svg, `d="M`) || strings.Count(svg, " L") != 1 {
		t.Errorf("points: %s", svg)
	}
	if strings.Contains(svg, "<复工率>") {
		t.Error("unescaped text")
	}
	if got := Chart("empty", nil); !strings.HasSuffix(got, "</svg>") {
		t.Errorf("empty chart: %s", got)
	}
}

func problemFields(err error) []string {
	e, ok := apperr.As(err)
	if !ok {
		return nil
	}
	var out []string
	for _, p := range e.Problems {
		out = append(out, p.Field)
	}
	return out
}

func TestCheckSummary(t *testing.T) {
	full := Rollup{Region: "330402001", Day: "2020-02-15", Total: ReportLine{Due: 3, Reported: 3, OnSite: 40, Fevers: 1}}
	part := full
	part.Total.Reported = 2
	done := full
	done.Summary = &Summary{}
	for _, tc := range []struct {
		name string
		r    Rollup
		note string
		kind apperr.Kind
		ok   bool
	}{
		{"everyone reported", full, "", 0, true},
		{"one missing, no note", part, " ", apperr.Invalid, false},
		{"one missing, with a note", part, "丙厂停电,电话报送", 0, true},
		{"confirmed already", done, "", apperr.Conflict, false},
	} {
		err := CheckSummary(tc.r, tc.note)
		if (err == nil) != tc.ok || !tc.ok && apperr.KindOf(err) != tc.kind {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if s := part.Summarize(" 说明 "); s.Due != 3 || s.Reported != 2 || s.OnSite != 40 || s.Note != "说明" || part.Total.Missing() != 1 {
		t.Errorf("summary %+v", s)
	}
}

func TestStatTable(t *testing.T) {
	rows := []StatRow{
		{Region: "330402001", RegionName: "甲镇", Category: "a", Registered: 3, Filed: 2, Approved: 1, Resumed: 1, Staff: 10, Back: 8, OnSite: 5},
		{Region: "330402001", RegionName: "甲镇", Category: "b", Registered: 1, Filed: 1, Approved: 1, Resumed: 0, Staff: 4, Back: 4, OnSite: 0},
		{Region: "330402002", RegionName: "乙镇", Category: "a", Registered: 2, Filed: 0, Staff: 3},
	}
	got := StatTable(rows)
	var names []string
	for _, r := range got {
		names = append(names, r.RegionName+"/"+r.CategoryName)
	}
	if strings.Join(names, ",") != "甲镇/,甲镇/,甲镇/小计,乙镇/,合计/" {
		t.Fatalf("layout %v", names)
	}
	sub, total := got[2], got[4]
	if sub.Registered != 4 || sub.Filed != 3 || sub.Approved != 2 || sub.Resumed != 1 || sub.Staff != 14 || sub.Back != 12 || sub.OnSite != 5 {
		t.Errorf("subtotal %+v", sub)
	}
	if total.Registered != 6 || total.Staff != 17 || total.Rate().String() != "16.7%" {
		t.Errorf("total %+v %s", total, total.Rate())
	}
	if len(StatTable(nil)) != 1 {
		t.Error("an empty table still has its total")
	}
}

// A clone of a board kept for others can be changed without changing the board.
func TestBoardClone(t *testing.T) {
	b := Board{
		Figures: Figures{ByStatus: map[string]int{"approved": 2}, Passes: map[string]int{"active": 5}, Apps: map[string]int{"review": 1},
			Sections: []Section{{Key: "supervision"}}},
		By:    map[string][]Row{"region": {{Key: "330402001"}}},
		Trend: []Row{{Key: "2020-02-20"}},
	}
	c := b.Clone()
	c.Figures.ByStatus["approved"], c.Figures.Passes["active"], c.Figures.Apps["review"] = 0, 0, 0
	c.Figures.Sections[0].Key = "x"
	c.By["region"][0].Key = "x"
	c.By["park"] = nil
	c.Trend[0].Key = "x"
	if b.Figures.ByStatus["approved"] != 2 || b.Figures.Passes["active"] != 5 || b.Figures.Apps["review"] != 1 ||
		b.Figures.Sections[0].Key != "supervision" || b.By["region"][0].Key != "330402001" || len(b.By) != 1 || b.Trend[0].Key != "2020-02-20" {
		t.Fatalf("changing the clone changed the board: %+v", b)
	}
}
