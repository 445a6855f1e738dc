package request

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/policy"
)

func load(t *testing.T, name string) *policy.Policy {
	t.Helper()
	if name == "default" {
		return policy.Default()
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "policies", name))
	if err != nil {
		t.Fatal(err)
	}
	p, problems := policy.Parse(name, b)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	return p
}

// Routing per example policy: the kind's unit in the enterprise's region cut to its level.
func TestRoute(t *testing.T) {
	cases := []struct{ policy, kind, region, unit, at string }{
		{"default", "logistics", "330402001001", "town_command", "330402001"},
		{"default", "materials", "330402001001", "county_industry", "330402"},
		{"default", "approval", "330402001001", "town_gov", "330402001"},
		{"variant-b-town.toml", "finance", "330402001", "econ_office", "330402001"},
		{"variant-c-county.toml", "logistics", "330402001001", "county_office", "330402"},
		{"variant-c-county.toml", "other", "330402001001", "town_gov", "330402001"},
		{"variant-d-street.toml", "logistics", "330402003001", "district_traffic", "330402"},
		{"variant-d-street.toml", "approval", "330402003001", "street_office", "330402003"},
	}
	for _, c := range cases {
		u, r := Route(load(t, c.policy), c.kind, c.region)
		if u != c.unit || r != c.at {
			t.Errorf("%s: Route(%s, %s) = %s, %s; want %s, %s", c.policy, c.kind, c.region, u, r, c.unit, c.at)
		}
	}
}

func TestDeadlines(t *testing.T) {
	pol := policy.Default() // 3 days, 1 when urgent
	t0 := time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)
	if d := Due(pol, t0, false); !d.Equal(t0.AddDate(0, 0, 3)) {
		t.Errorf("due %v", d)
	}
	urgent := Due(pol, t0, true)
	if !urgent.Equal(t0.AddDate(0, 0, 1)) {
		t.Errorf("urgent due %v", urgent)
	}
	cases := []struct {
		s    Status
		at   time.Time
		want bool
	}{
		{Open, t0.Add(23 * time.Hour), false},
		{Open, t0.Add(25 * time.Hour), true},
		{Answered, t0.Add(48 * time.Hour), false},
		{Solved, t0.AddDate(0, 1, 0), false},
	}
	for _, c := range cases {
		if got := Overdue(c.s, urgent, c.at); got != c.want {
			t.Errorf("Overdue(%s, +%v) = %v", c.s, c.at.Sub(t0), got)
		}
	}
}

func TestApply(t *testing.T) {
	pol := policy.Default() // escalates to county_command
	open := Request{Status: Open, Unit: "town_command"}
	answered := Request{Status: Answered, Unit: "town_command"}
	cases := []struct {
		name string
		r    Request
		side Side
		c    Change
		want Outcome
		kind apperr.Kind
	}{
		{"answer", open, Handler, Change{Action: Answer, Text: "已协调物流公司"}, Outcome{Status: Answered, Unit: "town_command"}, 0},
		{"answer without words", open, Handler, Change{Action: Answer}, Outcome{}, apperr.Invalid},
		{"the enterprise answers", open, Asker, Change{Action: Answer, Text: "x"}, Outcome{}, apperr.Forbidden},
		{"transfer", open, Handler, Change{Action: Transfer, Text: "属交通事项", Unit: "econ_office"}, Outcome{Status: Open, Unit: "econ_office"}, 0},
		{"transfer to itself", open, Handler, Change{Action: Transfer, Text: "x", Unit: "town_command"}, Outcome{}, apperr.Invalid},
		{"transfer to no unit", open, Handler, Change{Action: Transfer, Text: "x", Unit: "nope"}, Outcome{}, apperr.Invalid},
		{"transfer without reason", open, Handler, Change{Action: Transfer, Unit: "econ_office"}, Outcome{}, apperr.Invalid},
		{"escalate", open, Handler, Change{Action: Escalate, Text: "需县级协调"}, Outcome{Status: Open, Unit: "county_command", Escalated: true}, 0},
		{"escalate again", Request{Status: Open, Unit: "county_command", Escalated: true}, Handler, Change{Action: Escalate, Text: "x"}, Outcome{}, apperr.Invalid},
		{"answer an answered one", answered, Handler, Change{Action: Answer, Text: "x"}, Outcome{}, apperr.Conflict},
		{"confirm", answered, Asker, Change{Action: Confirm, Rating: 5}, Outcome{Status: Solved, Unit: "town_command"}, 0},
		{"confirm without a rating", answered, Asker, Change{Action: Confirm}, Outcome{}, apperr.Invalid},
		{"confirm with 6", answered, Asker, Change{Action: Confirm, Rating: 6}, Outcome{}, apperr.Invalid},
		{"the unit confirms", answered, Handler, Change{Action: Confirm, Rating: 5}, Outcome{}, apperr.Forbidden},
		{"reopen", answered, Asker, Change{Action: Reopen, Text: "车辆仍未到位"}, Outcome{Status: Open, Unit: "town_command"}, 0},
		{"reopen without reason", answered, Asker, Change{Action: Reopen}, Outcome{}, apperr.Invalid},
		{"confirm an open one", open, Asker, Change{Action: Confirm, Rating: 4}, Outcome{}, apperr.Conflict},
		{"unknown", open, Handler, Change{Action: "delete"}, Outcome{}, apperr.Invalid},
	}
	for _, c := range cases {
		got, err := Apply(pol, c.r, c.side, c.c)
		if c.kind == 0 && (err != nil || got != c.want) {
			t.Errorf("%s: %+v %v; want %+v", c.name, got, err, c.want)
		}
		if c.kind != 0 && apperr.KindOf(err) != c.kind {
			t.Errorf("%s: %v; want kind %v", c.name, err, c.kind)
		}
	}
	if a := Allowed(open, Handler); len(a) != 3 {
		t.Errorf("allowed to the unit on an open request: %v", a)
	}
	if a := Allowed(answered, Asker); len(a) != 2 || a[0] != Confirm {
		t.Errorf("allowed to the enterprise on an answered request: %v", a)
	}
	if a := Allowed(open, Asker); len(a) != 0 {
		t.Errorf("allowed to the enterprise on an open request: %v", a)
	}
}

func TestValidate(t *testing.T) {
	pol := policy.Default()
	in := Input{EnterpriseID: 1, Kind: "logistics", Description: "  原材料运不进来,需要通行证  "}
	if err := in.Validate(pol); err != nil || in.Description != "原材料运不进来,需要通行证" {
		t.Fatalf("%v %q", err, in.Description)
	}
	bad := Input{Kind: "nope", Description: "短"}
	e, ok := apperr.As(bad.Validate(pol))
	if !ok || len(e.Problems) != 3 {
		t.Fatalf("problems %v", e)
	}
}
