package retention

import (
	"strings"
	"testing"
	"time"

	"fugong/internal/policy"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

func TestDue(t *testing.T) {
	for _, c := range []struct {
		name     string
		now      time.Time
		days     int
		loc      *time.Location
		ok       bool
		today    string
		cutoff   string
		cutoffAt time.Time
	}{
		{"90 days", time.Date(2020, 5, 20, 9, 0, 0, 0, shanghai), 90, shanghai, true, "2020-05-20", "2020-02-20",
			time.Date(2020, 2, 19, 16, 0, 0, 0, time.UTC)},
		{"just after midnight in the policy's zone, still the day before in UTC", time.Date(2020, 5, 19, 16, 30, 0, 0, time.UTC), 90, shanghai, true,
			"2020-05-20", "2020-02-20", time.Date(2020, 2, 19, 16, 0, 0, 0, time.UTC)},
		{"just before midnight", time.Date(2020, 5, 19, 23, 59, 59, 0, shanghai), 90, shanghai, true, "2020-05-19", "2020-02-19",
			time.Date(2020, 2, 18, 16, 0, 0, 0, time.UTC)},
		{"across a leap day", time.Date(2020, 3, 1, 12, 0, 0, 0, shanghai), 1, shanghai, true, "2020-03-01", "2020-02-29",
			time.Date(2020, 2, 28, 16, 0, 0, 0, time.UTC)},
		{"across a year", time.Date(2021, 1, 10, 12, 0, 0, 0, shanghai), 14, shanghai, true, "2021-01-10", "2020-12-27",
			time.Date(2020, 12, 26, 16, 0, 0, 0, time.UTC)},
		{"the longest period", time.Date(2020, 5, 20, 12, 0, 0, 0, shanghai), 3650, shanghai, true, "2020-05-20", "2010-05-23",
			time.Date(2010, 5, 22, 16, 0, 0, 0, time.UTC)},
		{"another zone", time.Date(2020, 5, 20, 1, 0, 0, 0, time.UTC), 90, time.UTC, true, "2020-05-20", "2020-02-20",
			time.Date(2020, 2, 20, 0, 0, 0, 0, time.UTC)},
		{"no period", time.Date(2020, 5, 20, 9, 0, 0, 0, shanghai), 0, shanghai, false, "", "", time.Time{}},
	} {
		p, ok := Due(c.now, policy.Health{RetentionDays: c.days}, c.loc)
		if ok != c.ok || p.Today != c.today || p.Cutoff != c.cutoff || !p.CutoffAt.Equal(c.cutoffAt) || (ok && p.Days != c.days) {
			t.Errorf("%s: %+v %v; want today %s, cut-off %s at %s", c.name, p, ok, c.today, c.cutoff, c.cutoffAt)
		}
	}
}

func TestPlanDue(t *testing.T) {
	p, _ := Due(time.Date(2020, 5, 20, 9, 0, 0, 0, shanghai), policy.Health{RetentionDays: 90}, shanghai)
	at := func(t time.Time) *time.Time { return &t }
	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"a reading of the day before the cut-off", p.DayDue("2020-02-19"), true},
		{"a reading of long ago", p.DayDue("2020-01-01"), true},
		{"a reading of the cut-off day", p.DayDue("2020-02-20"), false},
		{"a reading of today", p.DayDue("2020-05-20"), false},
		{"left just before the cut-off day began", p.InstantDue(at(time.Date(2020, 2, 19, 23, 59, 59, 0, shanghai))), true},
		{"left as the cut-off day began", p.InstantDue(at(time.Date(2020, 2, 20, 0, 0, 0, 0, shanghai))), false},
		{"left yesterday", p.InstantDue(at(time.Date(2020, 5, 19, 9, 0, 0, 0, shanghai))), false},
		{"still employed", p.InstantDue(nil), false},
		{"a plan without a period: nothing is due", Plan{}.DayDue("2000-01-01"), false},
		{"a plan without a period: no one is due", Plan{}.InstantDue(at(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))), false},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestCounts(t *testing.T) {
	p, _ := Due(time.Date(2020, 5, 20, 9, 0, 0, 0, shanghai), policy.Health{RetentionDays: 90}, shanghai)
	c := Counts{Readings: 120, GateScans: 30, PersonFiles: 2, Passes: 2, Certificates: 1}
	if c.Total() != 155 {
		t.Errorf("total %d", c.Total())
	}
	s := c.Summary(p)
	if s["cutoff"] != "2020-02-20" || s["retention_days"] != 90 || s["readings"] != int64(120) || s["visitors"] != int64(0) || len(s) != len(Rules)+2 {
		t.Errorf("summary: %v", s)
	}
	r := c.Report(p)
	lines := strings.Split(strings.TrimSpace(r), "\n")
	if len(lines) != len(Rules)+1 || !strings.Contains(lines[0], "records of days before 2020-02-20") ||
		!strings.Contains(lines[1], "temperature readings") || !strings.Contains(lines[1], "120") || !strings.Contains(lines[1], "体温记录") {
		t.Errorf("report:\n%s", r)
	}
	for _, rule := range Rules {
		if rule.Name == "" || rule.NameEN == "" || rule.Goes == "" || rule.GoesEN == "" || (rule.Keeps == "") != (rule.KeepsEN == "") {
			t.Errorf("rule %s lacks words: %+v", rule.Kind, rule)
		}
		if got, ok := RuleOf(rule.Kind); !ok || got.Kind != rule.Kind {
			t.Errorf("RuleOf(%s)", rule.Kind)
		}
	}
}
