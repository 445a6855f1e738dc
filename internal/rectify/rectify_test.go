package rectify

import (
	"slices"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/inspection"
	"fugong/internal/policy"
)

var (
	pol = policy.Default() // general 7, serious 3, suspend 15 days; escalate town_gov, county_command every 3 days
	loc = pol.Location()
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDeadline(t *testing.T) {
	from := at("2020-03-02 10:30")
	tests := []struct {
		severity, want string
	}{
		{inspection.General, "2020-03-09 23:59"},
		{inspection.Serious, "2020-03-05 23:59"},
		{inspection.Suspend, "2020-03-17 23:59"},
	}
	for _, tt := range tests {
		if got := Deadline(pol, tt.severity, from).Format("2006-01-02 15:04"); got != tt.want {
			t.Errorf("%s: deadline %s, want %s", tt.severity, got, tt.want)
		}
	}
}

func TestEscalation(t *testing.T) {
	o := Order{Unit: "econ_office", Severity: inspection.Serious, Status: Open, Deadline: Deadline(pol, inspection.Serious, at("2020-03-02 10:30"))}
	tests := []struct {
		now   string
		level int
		told  []string
	}{
		{"2020-03-05 20:00", 0, []string{"econ_office"}},
		{"2020-03-06 00:01", 1, []string{"econ_office", "town_gov"}},
		{"2020-03-08 23:00", 1, []string{"econ_office", "town_gov"}},
		{"2020-03-09 00:00", 2, []string{"econ_office", "town_gov", "county_command"}},
		{"2020-04-30 00:00", 2, []string{"econ_office", "town_gov", "county_command"}},
	}
	for _, tt := range tests {
		level := DueLevel(pol, o, at(tt.now))
		if level != tt.level {
			t.Errorf("%s: level %d, want %d", tt.now, level, tt.level)
		}
		if got := Told(pol, o, level); !slices.Equal(got, tt.told) {
			t.Errorf("%s: told %v, want %v", tt.now, got, tt.told)
		}
	}
	closed := o
	closed.Status = Closed
	if DueLevel(pol, closed, at("2020-04-30 00:00")) != 0 {
		t.Error("a closed order does not escalate")
	}
	if LevelUnit(pol, 1) != "town_gov" || LevelUnit(pol, 0) != "" || LevelUnit(pol, 3) != "" {
		t.Error("LevelUnit")
	}
}

func TestStep(t *testing.T) {
	open := Order{Unit: "econ_office", Severity: inspection.General, Status: Open, Deadline: at("2020-03-09 23:59")}
	answered := open
	answered.Status = Answered
	suspendAnswered := answered
	suspendAnswered.Severity = inspection.Suspend
	ent := Actor{Enterprise: true}
	unit := Actor{Units: []string{"econ_office"}}
	other := Actor{Units: []string{"works_office"}}
	boss := Actor{Overseer: true}
	before, after := at("2020-03-05 10:00"), at("2020-03-10 10:00")
	topped := open
	topped.Level = 2
	tests := []struct {
		name   string
		o      Order
		a      Actor
		req    Request
		now    time.Time
		status string
		level  int
		kind   apperr.Kind // when an error is expected
	}{
		{"enterprise responds", open, ent, Request{Action: Respond, Text: "已补齐物资"}, before, Answered, 0, 0},
		{"respond needs text", open, ent, Request{Action: Respond}, before, "", 0, apperr.Invalid},
		{"unit may not respond", open, unit, Request{Action: Respond, Text: "x"}, before, "", 0, apperr.Forbidden},
		{"respond twice", answered, ent, Request{Action: Respond, Text: "x"}, before, "", 0, apperr.Conflict},
		{"unit verifies", answered, unit, Request{Action: Verify}, before, Closed, 0, 0},
		{"overseer verifies", answered, boss, Request{Action: Verify}, before, Closed, 0, 0},
		{"other unit may not verify", answered, other, Request{Action: Verify}, before, "", 0, apperr.Forbidden},
		{"enterprise may not verify", answered, ent, Request{Action: Verify}, before, "", 0, apperr.Forbidden},
		{"verify before answer", open, unit, Request{Action: Verify}, before, "", 0, apperr.Conflict},
		{"return with reason", answered, unit, Request{Action: Return, Text: "照片不清楚"}, before, Open, 0, 0},
		{"return needs reason", answered, unit, Request{Action: Return}, before, "", 0, apperr.Invalid},
		{"stop of production not lifted on evidence", suspendAnswered, unit, Request{Action: Verify}, before, "", 0, apperr.Conflict},
		{"escalate overdue", open, unit, Request{Action: Escalate}, after, Open, 1, 0},
		{"escalate not overdue", open, unit, Request{Action: Escalate}, before, "", 0, apperr.Conflict},
		{"escalate past the top", topped, unit, Request{Action: Escalate}, after, "", 0, apperr.Conflict},
		{"closed", Order{Status: Closed}, unit, Request{Action: Verify}, before, "", 0, apperr.Conflict},
		{"unknown action", open, unit, Request{Action: "close"}, before, "", 0, apperr.Invalid},
	}
	for _, tt := range tests {
		status, level, err := Step(pol, tt.o, tt.a, tt.req, tt.now)
		if tt.kind != 0 {
			if apperr.KindOf(err) != tt.kind {
				t.Errorf("%s: err %v, want kind %v", tt.name, err, tt.kind)
			}
			continue
		}
		if err != nil || status != tt.status || level != tt.level {
			t.Errorf("%s: = %q %d %v; want %q %d", tt.name, status, level, err, tt.status, tt.level)
		}
	}
}

func TestReinstates(t *testing.T) {
	tests := []struct {
		in   inspection.Inspection
		want bool
	}{
		{inspection.Inspection{Kind: policy.KindReinspection, Status: inspection.Done, Result: inspection.Pass}, true},
		{inspection.Inspection{Kind: policy.KindReinspection, Status: inspection.Done, Result: inspection.Fail}, false},
		{inspection.Inspection{Kind: policy.KindReinspection, Status: inspection.Planned}, false},
		{inspection.Inspection{Kind: policy.KindSpot, Status: inspection.Done, Result: inspection.Pass}, false},
	}
	for _, tt := range tests {
		if got := Reinstates(tt.in); got != tt.want {
			t.Errorf("%+v: %v, want %v", tt.in, got, tt.want)
		}
	}
	if !Suspends(inspection.Suspend) || Suspends(inspection.Serious) {
		t.Error("Suspends")
	}
}
