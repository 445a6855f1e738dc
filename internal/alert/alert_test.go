package alert

import (
	"slices"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/policy"
)

func TestFor(t *testing.T) {
	f := Facts{Persons: []string{"张三丰", "李四"}, Temperature: 38.1}
	for _, c := range []struct {
		role auth.Role
		want []string
	}{
		{auth.Town, []string{"张三丰", "李四"}},
		{auth.Grid, []string{"张三丰", "李四"}},
		{auth.Command, []string{"张三丰", "李四"}},
		{auth.Reviewer, []string{"张**", "李*"}},
	} {
		got := For(c.role, f)
		if !slices.Equal(got.Persons, c.want) || got.Temperature != 38.1 {
			t.Errorf("%s sees %+v, want %v", c.role, got, c.want)
		}
	}
	if f.Persons[0] != "张三丰" {
		t.Error("For changed the facts it was given")
	}
}

// The policy names the recipients of each kind; returners go to the origin classes'
// report_to first.
func TestAlertUnitsOfThePolicy(t *testing.T) {
	p := policy.Default()
	if got := p.AlertUnits(policy.AlertFever); !slices.Equal(got, []string{"town_gov", "town_command", "county_health"}) {
		t.Errorf("fever → %v", got)
	}
	if got := p.AlertUnits(policy.AlertReturners); !slices.Equal(got, []string{"county_health", "community"}) {
		t.Errorf("returners → %v", got)
	}
}

// The inbox item of an alert names the kind, the enterprise and a count, never a person.
func TestInbox(t *testing.T) {
	cases := []struct {
		kind  string
		facts Facts
		title string
		body  string
	}{
		{policy.AlertReturners, Facts{Persons: []string{"张三", "李四"}, Count: 2, Origin: "外省"}, "预警:市外返岗人员报备——甲厂", "2人,来自外省,请签收。"},
		{policy.AlertFever, Facts{Persons: []string{"张三"}, Count: 1, Temperature: 38.2}, "预警:发热/症状预警——甲厂", "涉及1人(项),请签收。"},
		{policy.AlertMajorHazard, Facts{Text: "配电房积水"}, "预警:重大隐患——甲厂", "请签收。"},
		{"unknown", Facts{}, "预警:unknown——甲厂", "请签收。"},
	}
	for _, c := range cases {
		title, body := Inbox(c.kind, "甲厂", c.facts)
		if title != c.title || body != c.body {
			t.Errorf("%s: %q %q, want %q %q", c.kind, title, body, c.title, c.body)
		}
		for _, p := range c.facts.Persons {
			if strings.Contains(title+body, p) {
				t.Errorf("%s: the inbox item names %s", c.kind, p)
			}
		}
	}
	if got := InboxLink(7, "town_gov"); got != "/alerts#alert-7-town_gov" {
		t.Errorf("link %q", got)
	}
}

// Returners entered one by one join the day's open alert; other kinds raise their own.
func TestJoin(t *testing.T) {
	for _, c := range []struct {
		kind string
		want bool
	}{{policy.AlertReturners, true}, {policy.AlertFever, false}, {policy.AlertNoticeSuspended, false}, {policy.AlertMajorHazard, false}} {
		if got := Joins(c.kind); got != c.want {
			t.Errorf("Joins(%s) = %t", c.kind, got)
		}
	}
	open := Facts{Persons: []string{"张三"}, Count: 1, Origin: "外省", Link: "/roster"}
	cases := []struct {
		more   Facts
		want   Facts
		reason string
	}{
		{Facts{Persons: []string{"李四"}, Count: 1, Origin: "外省"}, Facts{Persons: []string{"张三", "李四"}, Count: 2, Origin: "外省", Link: "/roster"}, "same origin named once"},
		{Facts{Persons: []string{"王五", "赵六"}, Count: 2, Origin: "省内市外、外省"}, Facts{Persons: []string{"张三", "王五", "赵六"}, Count: 3, Origin: "外省、省内市外", Link: "/roster"}, "a new origin added"},
		{Facts{}, open, "nothing added"},
	}
	for _, c := range cases {
		got := open.Join(c.more)
		if !slices.Equal(got.Persons, c.want.Persons) || got.Count != c.want.Count || got.Origin != c.want.Origin || got.Link != c.want.Link {
			t.Errorf("%s: %+v, want %+v", c.reason, got, c.want)
		}
	}
	if len(open.Persons) != 1 {
		t.Errorf("Join changed the open alert's facts: %+v", open)
	}
	if got := (Facts{}).Join(Facts{Persons: []string{"李四"}, Count: 1, Origin: "外省"}); got.Origin != "外省" {
		t.Errorf("joined onto no origin: %q", got.Origin)
	}
}
