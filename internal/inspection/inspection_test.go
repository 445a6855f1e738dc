package inspection

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/policy"
)

func load(t *testing.T, name string) *policy.Policy {
	t.Helper()
	if name == "default" {
		return policy.Default()
	}
	p, problems, err := policy.Load(filepath.Join("..", "..", "policies", name))
	if err != nil || len(problems) > 0 {
		t.Fatalf("%s: %v %v", name, err, problems)
	}
	return p
}

func units(as []Assignment) string {
	var s []string
	for _, a := range as {
		s = append(s, a.Unit+"/"+a.Kind)
	}
	return strings.Join(s, ",")
}

func TestSplit(t *testing.T) {
	canteen := map[string]bool{policy.FlagCanteen: true}
	tests := []struct {
		policy string
		in     Subject
		want   string
	}{
		// Variant D's split, clause by clause.
		{"variant-d-street.toml", Subject{Category: "industry_above", AboveScale: true}, "econ_office/spot"},
		{"variant-d-street.toml", Subject{Category: "retail_services"}, "econ_office/spot"},
		{"variant-d-street.toml", Subject{Category: "hq_park"}, "park_operator/spot"},
		{"variant-d-street.toml", Subject{Category: "industry_below", InPark: true}, "park_operator/spot"},
		{"variant-d-street.toml", Subject{Category: "industry_below"}, "safety_office/spot"},
		{"variant-d-street.toml", Subject{Category: "construction"}, "works_office/spot"},
		{"variant-d-street.toml", Subject{Category: "street_front"}, "community/routine"},
		{"variant-d-street.toml", Subject{Category: "industry_above", Flags: canteen}, "econ_office/spot,food_safety/canteen"},
		{"variant-d-street.toml", Subject{Category: "hazchem"}, "safety_office/safety"},
		{"variant-d-street.toml", Subject{Category: "other", ReviewUnit: "econ_office"}, "econ_office/spot"},
		// Variant B: the town's offices.
		{"variant-b-town.toml", Subject{Category: "industry_above", Flags: canteen}, "econ_office/routine"},
		{"variant-b-town.toml", Subject{Category: "construction"}, "works_office/routine"},
		{"variant-b-town.toml", Subject{Category: "hazchem"}, "safety_office/safety"},
		// Variant C: the town group, the emergency bureau for key sectors.
		{"variant-c-county.toml", Subject{Category: "industry_above"}, "town_group/spot"},
		{"variant-c-county.toml", Subject{Category: "coal"}, "county_emergency/safety"},
		// The default.
		{"default", Subject{Category: "hazchem", InPark: true, Flags: canteen}, "county_emergency/safety,food_safety/canteen"},
		{"default", Subject{Category: "other", ReviewUnit: "town_gov"}, "town_gov/spot"},
	}
	for _, tt := range tests {
		got := units(Split(load(t, tt.policy), tt.in))
		if got != tt.want {
			t.Errorf("%s %+v: Split = %s, want %s", tt.policy, tt.in, got, tt.want)
		}
	}
	if !Supervises(load(t, "variant-d-street.toml"), Subject{Category: "industry_above", Flags: canteen}, "food_safety") {
		t.Error("the food-safety office supervises an enterprise with a canteen")
	}
}

func codes(items []policy.SupervisionItem) []string {
	var s []string
	for _, it := range items {
		s = append(s, it.Code)
	}
	return s
}

func TestChecklists(t *testing.T) {
	for _, name := range []string{"default", "variant-b-town.toml", "variant-c-county.toml", "variant-d-street.toml"} {
		pol := load(t, name)
		none := map[string]bool{}
		all := map[string]bool{policy.FlagCanteen: true, policy.FlagCommuterBus: true, policy.FlagDormitory: true}
		// D's post-resumption content: plan vs reality (four sub-points) and items 2–6;
		// canteen, buses and dormitories only where the enterprise has them.
		spot := codes(pol.SupervisionChecklist(policy.KindSpot, none))
		want := []string{"plan_disinfection", "plan_supplies", "plan_isolation", "plan_staff", "roster", "closed", "health", "posts", "freight"}
		if !slices.Equal(spot, want) {
			t.Errorf("%s: spot check without canteen = %v, want %v", name, spot, want)
		}
		if got := codes(pol.SupervisionChecklist(policy.KindSpot, all)); len(got) != len(want)+3 || !slices.Contains(got, "bus") || !slices.Contains(got, "canteen") || !slices.Contains(got, "dorm") {
			t.Errorf("%s: spot check with canteen, bus, dormitory = %v", name, got)
		}
		// B's eleven daily items.
		if got := pol.SupervisionChecklist(policy.KindRoutine, none); len(got) != 11 {
			t.Errorf("%s: routine patrol has %d items, want B's 11", name, len(got))
		}
		// E's enterprise-level safety items.
		if got := codes(pol.SupervisionChecklist(policy.KindSafety, none)); !slices.Equal(got, []string{"safety_epidemic", "safety_resumption", "safety_hazards"}) {
			t.Errorf("%s: safety check = %v", name, got)
		}
		if got := codes(pol.SupervisionChecklist(policy.KindCanteen, all)); !slices.Equal(got, []string{"canteen", "canteen_dining"}) {
			t.Errorf("%s: canteen check = %v", name, got)
		}
		for _, it := range pol.SupervisionItems {
			if it.Clause == "" {
				t.Errorf("%s: item %s cites no clause", name, it.Code)
			}
		}
		if s, ok := pol.HazardSector("hazchem"); !ok || len(s.Items) != 4 {
			t.Errorf("%s: the hazchem sector has its four systems: %+v", name, s)
		}
	}
}

func TestCheckCompletion(t *testing.T) {
	items := policy.Default().SupervisionChecklist(policy.KindSafety, nil)
	ok := func(res ...string) Completion {
		c := Completion{Signature: "王五"}
		for i, it := range items {
			r := ItemResult{Code: it.Code, Result: res[i]}
			if res[i] == Fail {
				r.Note, r.Severity = "消防通道堵塞", Serious
			}
			c.Items = append(c.Items, r)
		}
		return c
	}
	tests := []struct {
		name   string
		in     Completion
		result string
		field  string // a field with a problem, or "" for none
	}{
		{"all pass", ok(Pass, Pass, NA), Pass, ""},
		{"one fails", ok(Pass, Fail, Pass), Fail, ""},
		{"missing item", Completion{Signature: "王五", Items: ok(Pass, Pass, Pass).Items[:2]}, "", "items.safety_hazards"},
		{"no signature", func() Completion { c := ok(Pass, Pass, Pass); c.Signature = " "; return c }(), "", "signature"},
		{"fail without note", func() Completion { c := ok(Fail, Pass, Pass); c.Items[0].Note = ""; return c }(), "", "items.safety_epidemic"},
		{"fail without severity", func() Completion { c := ok(Fail, Pass, Pass); c.Items[0].Severity = "bad"; return c }(), "", "items.safety_epidemic"},
		{"unknown item", func() Completion {
			c := ok(Pass, Pass, Pass)
			c.Items = append(c.Items, ItemResult{Code: "x", Result: Pass})
			return c
		}(), "", "items.x"},
		{"bad result", func() Completion { c := ok(Pass, Pass, Pass); c.Items[2].Result = "maybe"; return c }(), "", "items.safety_hazards"},
	}
	for _, tt := range tests {
		in := tt.in
		got, err := CheckCompletion(items, &in)
		if tt.field == "" {
			if err != nil || got != tt.result {
				t.Errorf("%s: = %q, %v; want %q", tt.name, got, err, tt.result)
			}
			continue
		}
		e, isApp := apperr.As(err)
		if !isApp || e.Kind != apperr.Invalid || !slices.ContainsFunc(e.Problems, func(p apperr.Problem) bool { return p.Field == tt.field }) {
			t.Errorf("%s: err = %v, want a problem with %s", tt.name, err, tt.field)
		}
	}
}

func TestCheckPlan(t *testing.T) {
	pol := policy.Default()
	good := Inspection{EnterpriseID: 1, Unit: "econ_office", Kind: policy.KindSpot, PlannedOn: "2020-03-02", Inspectors: "张三、李四"}
	if err := CheckPlan(pol, &good); err != nil {
		t.Fatalf("good plan: %v", err)
	}
	bad := Inspection{Unit: "nowhere", Kind: "raid", PlannedOn: "tomorrow"}
	err := CheckPlan(pol, &bad)
	e, _ := apperr.As(err)
	if e == nil || len(e.Problems) != 5 {
		t.Errorf("bad plan: %v, want five problems", err)
	}
}

func TestVisibleToEnterprise(t *testing.T) {
	tests := []struct {
		kind, status string
		want         bool
	}{
		{policy.KindUnannounced, Planned, false},
		{policy.KindUnannounced, Done, true},
		{policy.KindSpot, Planned, true},
		{policy.KindRoutine, Done, true},
	}
	for _, tt := range tests {
		if got := VisibleToEnterprise(Inspection{Kind: tt.kind, Status: tt.status}); got != tt.want {
			t.Errorf("%s/%s: visible = %v, want %v", tt.kind, tt.status, got, tt.want)
		}
	}
}

func TestNextDue(t *testing.T) {
	pol := policy.Default() // weekly
	loc := pol.Location()
	at := func(d string) time.Time { t, _ := time.ParseInLocation(time.DateOnly+" 15:04", d, loc); return t }
	tests := []struct {
		resumed, last, now string
		due                string
		overdue            bool
		days               int
	}{
		{"2020-02-20 09:00", "", "2020-02-26 10:00", "2020-02-27", false, 0},
		{"2020-02-20 09:00", "", "2020-02-27 23:00", "2020-02-27", false, 0},
		{"2020-02-20 09:00", "", "2020-03-01 08:00", "2020-02-27", true, 3},
		{"2020-02-10 09:00", "2020-02-25 16:00", "2020-03-01 08:00", "2020-03-03", false, 0},
	}
	for _, tt := range tests {
		var last time.Time
		if tt.last != "" {
			last = at(tt.last)
		}
		d, ok := NextDue(pol, at(tt.resumed), last, at(tt.now))
		if !ok || d.DueOn != tt.due || d.Overdue != tt.overdue || d.Days != tt.days {
			t.Errorf("%+v: NextDue = %+v, %v", tt, d, ok)
		}
	}
	if _, ok := NextDue(&policy.Policy{}, at("2020-02-20 09:00"), time.Time{}, at("2020-03-01 08:00")); ok {
		t.Error("a policy without supervision has no plan")
	}
}

func TestFactLine(t *testing.T) {
	f := Facts{SuppliesDays: 5.5, ReserveDays: 7, Roster: 10, PersonFiles: 10, ChecksToday: 20, ChecksPerDay: 2, Entrance: "东门", Buses: 2, BusLetters: 1, Rooms: 3, OverfullRooms: 1, MaxPerRoom: 4}
	tests := []struct {
		fact, contains string
		warn           bool
	}{
		{policy.FactSupplies, "5.5 天", true},
		{policy.FactRoster, "花名册 10 人", false},
		{policy.FactChecks, "20 次", false},
		{policy.FactEntrance, "东门", false},
		{policy.FactBusLetter, "意见函 1 辆", true},
		{policy.FactDormitory, "1 间", true},
	}
	for _, tt := range tests {
		zh, en, warn := FactLine(tt.fact, f)
		if !strings.Contains(zh, tt.contains) || en == "" || warn != tt.warn {
			t.Errorf("%s: %q %q %v", tt.fact, zh, en, warn)
		}
	}
	if _, _, warn := FactLine(policy.FactSupplies, Facts{SuppliesDays: -1}); !warn {
		t.Error("no stock recorded is a doubt")
	}
}

// The administrator, the command and the town's officials oversee every unit's
// supervision; a department's reviewer, a grid leader and a park's operator act for their
// own units only, and the enterprise's side oversees nothing.
func TestOversees(t *testing.T) {
	want := map[auth.Role]bool{auth.Admin: true, auth.Command: true, auth.Town: true, auth.Reviewer: false, auth.Grid: false, auth.Park: false,
		auth.Enterprise: false, auth.Staff: false, auth.Guard: false}
	if len(want) != len(auth.Roles) {
		t.Fatalf("the table names %d roles of %d", len(want), len(auth.Roles))
	}
	for r, w := range want {
		if got := Oversees(r); got != w {
			t.Errorf("Oversees(%s) = %t, want %t", r, got, w)
		}
	}
}
