package appointment

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/policy"
)

var t0 = time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)

func TestCheckSlot(t *testing.T) {
	ok := Slot{Service: Acceptance, StartsAt: t0.Add(24 * time.Hour), EndsAt: t0.Add(26 * time.Hour), Capacity: 2, Place: "企业现场"}
	if err := CheckSlot(&ok, t0); err != nil {
		t.Fatal(err)
	}
	bad := Slot{Service: "party", StartsAt: t0.Add(-time.Hour), EndsAt: t0.Add(-2 * time.Hour)}
	e, isErr := apperr.As(CheckSlot(&bad, t0))
	if !isErr || len(e.Problems) != 4 {
		t.Fatalf("problems: %v", e)
	}
	if err := CanBook(Slot{StartsAt: t0.Add(time.Hour), Capacity: 1, Booked: 1}, t0); apperr.KindOf(err) != apperr.Conflict {
		t.Error("a full slot is booked")
	}
	if err := CanBook(Slot{StartsAt: t0.Add(-time.Hour), Capacity: 3}, t0); apperr.KindOf(err) != apperr.Conflict {
		t.Error("a past slot is booked")
	}
	if err := CanBook(Slot{StartsAt: t0.Add(time.Hour), Capacity: 3, Booked: 2}, t0); err != nil {
		t.Error(err)
	}
}

func TestApply(t *testing.T) {
	booked := Appointment{Status: Booked, StartsAt: t0.Add(time.Hour)}
	proposed := Appointment{Status: Proposed, StartsAt: t0.Add(time.Hour)}
	later, end := t0.Add(48*time.Hour), t0.Add(50*time.Hour)
	cases := []struct {
		name   string
		a      Appointment
		side   Side
		act    Action
		reason string
		at     time.Time
		want   Status
		kind   apperr.Kind
	}{
		{"the enterprise accepts a proposal", proposed, Firm, Accept, "", t0, Booked, 0},
		{"the unit accepts its own proposal", proposed, Unit, Accept, "", t0, Proposed, apperr.Forbidden},
		{"change with a reason", booked, Firm, Change, "设备未到", t0, Booked, 0},
		{"change without a reason", booked, Unit, Change, "", t0, Booked, apperr.Invalid},
		{"cancel", booked, Unit, Cancel, "验收组人员调整", t0, Cancelled, 0},
		{"missed after the start", booked, Unit, Miss, "", t0.Add(2 * time.Hour), Missed, 0},
		{"missed before the start", booked, Unit, Miss, "", t0, Booked, apperr.Invalid},
		{"the enterprise records itself missed", booked, Firm, Miss, "", t0.Add(2 * time.Hour), Booked, apperr.Forbidden},
		{"held", booked, Unit, Hold, "", t0.Add(2 * time.Hour), Done, 0},
		{"accept a booked one", booked, Firm, Accept, "", t0, Booked, apperr.Conflict},
		{"change a missed one", Appointment{Status: Missed}, Firm, Change, "x", t0, Missed, apperr.Conflict},
	}
	for _, c := range cases {
		got, err := Apply(c.a, c.side, c.act, c.reason, later, end, c.at)
		if c.kind == 0 && (err != nil || got != c.want) {
			t.Errorf("%s: %s %v", c.name, got, err)
		}
		if c.kind != 0 && apperr.KindOf(err) != c.kind {
			t.Errorf("%s: %v, want kind %v", c.name, err, c.kind)
		}
	}
	if _, err := Apply(booked, Firm, Change, "x", t0.Add(-time.Hour), t0, t0); apperr.KindOf(err) != apperr.Invalid {
		t.Error("a change into the past")
	}
	if got := Allowed(proposed, Firm); len(got) != 3 {
		t.Errorf("the enterprise on a proposal: %v", got)
	}
	if got := Allowed(booked, Unit); len(got) != 4 {
		t.Errorf("the unit on a booking: %v", got)
	}
}

// A manager offers appointments for the units it acts for; the administrator of
// everything for any; an account acting for no unit for none.
func TestOfferedUnitsAndCheckUnit(t *testing.T) {
	units := []policy.Unit{{Code: "county_command"}, {Code: "town_gov"}, {Code: "town_safety"}}
	codes := func(us []policy.Unit) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.Code)
		}
		return out
	}
	town := OfferedUnits(units, []string{"town_gov", "town_safety", "not_in_policy"}, false)
	if got := codes(town); !slices.Equal(got, []string{"town_gov", "town_safety"}) {
		t.Errorf("a town's official offers for %v", got)
	}
	if got := codes(OfferedUnits(units, nil, true)); !slices.Equal(got, codes(units)) {
		t.Errorf("the administrator offers for %v", got)
	}
	if got := OfferedUnits(units, nil, false); len(got) != 0 {
		t.Errorf("an account acting for no unit offers for %v", got)
	}
	cases := []struct {
		unit    string
		offered []policy.Unit
		ok      bool
		msg     string
	}{
		{"town_gov", town, true, ""},
		{"county_command", town, false, "只能为本人所代表的单位"},
		{"nowhere", town, false, "只能为本人所代表的单位"},
		{"", town, false, "请选择提供服务的单位"},
		{"town_gov", nil, false, "不代表任何单位"},
	}
	for _, c := range cases {
		err := CheckUnit(c.unit, c.offered)
		if (err == nil) != c.ok {
			t.Errorf("CheckUnit(%q) = %v, want ok %t", c.unit, err, c.ok)
			continue
		}
		if err != nil {
			if e, isProblem := apperr.As(err); !isProblem || e.Problems[0].Field != "unit" || !strings.Contains(e.Problems[0].Message, c.msg) {
				t.Errorf("CheckUnit(%q): %v, want a problem of the unit saying %q", c.unit, err, c.msg)
			}
		}
	}
}
