package application

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fugong/internal/apperr"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
)

// A transition table: status → the legal transitions, written "action>to role/unit"
// (unit empty when any unit of the role may act), separated by "; ". A status left out
// allows no action at all.
type table map[string]string

var enterpriseFiles = "submit>%s enterprise/; withdraw>withdrawn enterprise/"

// workflowCases are the example policies with the enterprises that take each path.
var workflowCases = []struct {
	name   string
	policy string
	e      enterprise.Enterprise
	early  bool // planned before the earliest resumption, early resumption requested
	stages []string
	table  table
}{
	{
		name: "B: town reviews, grid accepts, town command approves", policy: "variant-b-town.toml", e: ent("industry_above"),
		stages: []string{"submitted", "town_review", "grid_acceptance", "town_approval"},
		table: table{
			StatusDraft:       fmt.Sprintf(enterpriseFiles, "submitted"),
			StatusReturned:    fmt.Sprintf(enterpriseFiles, "submitted"),
			"submitted":       "accept>town_review town/town_gov; return>returned town/town_gov; reject>rejected town/town_gov; withdraw>withdrawn enterprise/",
			"town_review":     "pass>grid_acceptance grid/; fail>returned grid/; reject>rejected grid/",
			"grid_acceptance": "approve>approved command/town_command; return>returned command/town_command; reject>rejected command/town_command",
			StatusApproved:    "revoke>revoked command/town_command",
		},
	},
	{
		name: "B: early resumption adds the county command's approval", policy: "variant-b-town.toml", e: ent("industry_below", canteen), early: true,
		stages: []string{"submitted", "town_review", "grid_acceptance", "county_approval"},
		table: table{
			StatusDraft:       fmt.Sprintf(enterpriseFiles, "submitted"),
			StatusReturned:    fmt.Sprintf(enterpriseFiles, "submitted"),
			"submitted":       "accept>town_review town/town_gov; return>returned town/town_gov; reject>rejected town/town_gov; withdraw>withdrawn enterprise/",
			"town_review":     "pass>grid_acceptance grid/; fail>returned grid/; reject>rejected grid/",
			"grid_acceptance": "approve>approved command/county_command; return>returned command/county_command; reject>rejected command/county_command",
			// town_approval does not apply; an application left there (policy changed) goes on to the county.
			"town_approval": "approve>approved command/county_command; return>returned command/county_command; reject>rejected command/county_command",
			StatusApproved:  "revoke>revoked command/county_command",
		},
	},
	{
		name: "C: the county chain for an above-scale enterprise", policy: "variant-c-county.toml", e: ent("industry_above"),
		stages: []string{"submitted", "department_review", "deputy_sign", "office_filing", "county_acceptance", "leading_group", "notice"},
		table: table{
			StatusDraft:         fmt.Sprintf(enterpriseFiles, "submitted"),
			StatusReturned:      fmt.Sprintf(enterpriseFiles, "submitted"),
			"submitted":         "accept>department_review reviewer/county_industry; return>returned reviewer/county_industry; reject>rejected reviewer/county_industry; withdraw>withdrawn enterprise/",
			"town_first_review": "accept>department_review reviewer/county_industry; return>returned reviewer/county_industry; reject>rejected reviewer/county_industry",
			"department_review": "accept>deputy_sign command/county_gov; return>returned command/county_gov; reject>rejected command/county_gov",
			"deputy_sign":       "accept>office_filing command/county_office; return>returned command/county_office; reject>rejected command/county_office",
			"office_filing":     "pass>county_acceptance command/county_acceptance; fail>returned command/county_acceptance; reject>rejected command/county_acceptance",
			"county_acceptance": "accept>leading_group command/county_leading_group; return>returned command/county_leading_group; reject>rejected command/county_leading_group",
			"leading_group":     "approve>approved reviewer/county_industry; return>returned reviewer/county_industry; reject>rejected reviewer/county_industry",
			StatusApproved:      "revoke>revoked reviewer/county_industry",
		},
	},
	{
		name: "C: coal washing is first reviewed by the town, then the energy bureau", policy: "variant-c-county.toml", e: ent("coal"), early: true,
		stages: []string{"submitted", "town_first_review", "department_review", "deputy_sign", "office_filing", "county_acceptance", "leading_group", "notice"},
		table: table{
			StatusDraft:         fmt.Sprintf(enterpriseFiles, "submitted"),
			StatusReturned:      fmt.Sprintf(enterpriseFiles, "submitted"),
			"submitted":         "accept>town_first_review town/town_gov; return>returned town/town_gov; reject>rejected town/town_gov; withdraw>withdrawn enterprise/",
			"town_first_review": "accept>department_review reviewer/county_energy; return>returned reviewer/county_energy; reject>rejected reviewer/county_energy",
			"department_review": "accept>deputy_sign command/county_gov; return>returned command/county_gov; reject>rejected command/county_gov",
			"deputy_sign":       "accept>office_filing command/county_office; return>returned command/county_office; reject>rejected command/county_office",
			"office_filing":     "pass>county_acceptance command/county_acceptance; fail>returned command/county_acceptance; reject>rejected command/county_acceptance",
			"county_acceptance": "accept>leading_group command/county_leading_group; return>returned command/county_leading_group; reject>rejected command/county_leading_group",
			"leading_group":     "approve>approved reviewer/county_industry; return>returned reviewer/county_industry; reject>rejected reviewer/county_industry",
			StatusApproved:      "revoke>revoked reviewer/county_industry",
		},
	},
	{
		name: "D: below-scale industry, the safety office reviews and inspects", policy: "variant-d-street.toml", e: ent("industry_below", canteen, dormitory),
		stages: []string{"submitted", "unit_review", "inspection", "notice"},
		table: table{
			StatusDraft:       fmt.Sprintf(enterpriseFiles, "submitted"),
			StatusReturned:    fmt.Sprintf(enterpriseFiles, "submitted"),
			"submitted":       "accept>unit_review reviewer/safety_office; return>returned reviewer/safety_office; reject>rejected reviewer/safety_office; withdraw>withdrawn enterprise/",
			"park_review":     "accept>unit_review reviewer/safety_office; return>returned reviewer/safety_office; reject>rejected reviewer/safety_office",
			"unit_review":     "pass>inspection reviewer/safety_office; fail>returned reviewer/safety_office; reject>rejected reviewer/safety_office",
			"bus_letter":      "pass>inspection reviewer/safety_office; fail>returned reviewer/safety_office; reject>rejected reviewer/safety_office",
			"park_inspection": "pass>inspection reviewer/safety_office; fail>returned reviewer/safety_office; reject>rejected reviewer/safety_office",
			"inspection":      "approve>approved reviewer/safety_office; return>returned reviewer/safety_office; reject>rejected reviewer/safety_office",
			StatusApproved:    "revoke>revoked reviewer/safety_office",
		},
	},
	{
		name: "D: park enterprise with buses: park operator, 经贸办, bus letter, park inspection", policy: "variant-d-street.toml", e: ent("industry_above", inPark, bus),
		stages: []string{"submitted", "park_review", "unit_review", "bus_letter", "park_inspection", "notice"},
		table: table{
			StatusDraft:       fmt.Sprintf(enterpriseFiles, "submitted"),
			StatusReturned:    fmt.Sprintf(enterpriseFiles, "submitted"),
			"submitted":       "accept>park_review park/park_operator; return>returned park/park_operator; reject>rejected park/park_operator; withdraw>withdrawn enterprise/",
			"park_review":     "accept>unit_review reviewer/econ_office; return>returned reviewer/econ_office; reject>rejected reviewer/econ_office",
			"unit_review":     "issue>bus_letter reviewer/econ_office; return>returned reviewer/econ_office; reject>rejected reviewer/econ_office",
			"bus_letter":      "pass>park_inspection park/park_operator; fail>returned park/park_operator; reject>rejected park/park_operator",
			"park_inspection": "approve>approved reviewer/econ_office; return>returned reviewer/econ_office; reject>rejected reviewer/econ_office",
			"inspection":      "approve>approved reviewer/econ_office; return>returned reviewer/econ_office; reject>rejected reviewer/econ_office",
			StatusApproved:    "revoke>revoked reviewer/econ_office",
		},
	},
	{
		name: "D: street-front shop, the community (grid) reviews", policy: "variant-d-street.toml", e: ent("street_front"),
		stages: []string{"submitted", "unit_review", "inspection", "notice"},
		table: table{
			StatusDraft:       fmt.Sprintf(enterpriseFiles, "submitted"),
			StatusReturned:    fmt.Sprintf(enterpriseFiles, "submitted"),
			"submitted":       "accept>unit_review grid/community; return>returned grid/community; reject>rejected grid/community; withdraw>withdrawn enterprise/",
			"park_review":     "accept>unit_review grid/community; return>returned grid/community; reject>rejected grid/community",
			"unit_review":     "pass>inspection grid/community; fail>returned grid/community; reject>rejected grid/community",
			"bus_letter":      "pass>inspection grid/community; fail>returned grid/community; reject>rejected grid/community",
			"park_inspection": "pass>inspection grid/community; fail>returned grid/community; reject>rejected grid/community",
			"inspection":      "approve>approved grid/community; return>returned grid/community; reject>rejected grid/community",
			StatusApproved:    "revoke>revoked grid/community",
		},
	},
	{
		name: "default: above-scale industry, 工信局 reviews, grid accepts, town command approves", policy: "default", e: ent("industry_above", key),
		stages: []string{"submitted", "review", "grid_acceptance", "town_approval"},
		table: table{
			StatusDraft:       fmt.Sprintf(enterpriseFiles, "submitted"),
			StatusReturned:    fmt.Sprintf(enterpriseFiles, "submitted"),
			"submitted":       "accept>review reviewer/county_industry; return>returned reviewer/county_industry; reject>rejected reviewer/county_industry; withdraw>withdrawn enterprise/",
			"first_review":    "accept>review reviewer/county_industry; return>returned reviewer/county_industry; reject>rejected reviewer/county_industry",
			"review":          "pass>grid_acceptance grid/; fail>returned grid/; reject>rejected grid/",
			"grid_acceptance": "approve>approved command/town_command; return>returned command/town_command; reject>rejected command/town_command",
			StatusApproved:    "revoke>revoked command/town_command",
		},
	},
	{
		name: "default: park enterprise, resuming early", policy: "default", e: ent("industry_below", inPark), early: true,
		stages: []string{"submitted", "first_review", "review", "grid_acceptance", "county_approval"},
		table: table{
			StatusDraft:       fmt.Sprintf(enterpriseFiles, "submitted"),
			StatusReturned:    fmt.Sprintf(enterpriseFiles, "submitted"),
			"submitted":       "accept>first_review park/park_operator; return>returned park/park_operator; reject>rejected park/park_operator; withdraw>withdrawn enterprise/",
			"first_review":    "accept>review reviewer/county_sme; return>returned reviewer/county_sme; reject>rejected reviewer/county_sme",
			"review":          "pass>grid_acceptance grid/; fail>returned grid/; reject>rejected grid/",
			"grid_acceptance": "approve>approved command/county_command; return>returned command/county_command; reject>rejected command/county_command",
			"town_approval":   "approve>approved command/county_command; return>returned command/county_command; reject>rejected command/county_command",
			StatusApproved:    "revoke>revoked command/county_command",
		},
	},
}

type legal struct {
	to    string
	actor Actor
}

func parseTable(t *testing.T, tb table) map[string]map[Action]legal {
	t.Helper()
	out := map[string]map[Action]legal{}
	for status, s := range tb {
		out[status] = map[Action]legal{}
		for _, item := range strings.Split(s, "; ") {
			act, rest, ok1 := strings.Cut(item, ">")
			to, who, ok2 := strings.Cut(rest, " ")
			role, unit, ok3 := strings.Cut(who, "/")
			if !ok1 || !ok2 || !ok3 {
				t.Fatalf("bad table entry %q", item)
			}
			out[status][Action(act)] = legal{to, Actor{Role: role, Unit: unit, UserID: 99}}
		}
	}
	return out
}

func caseApp(pol *policy.Policy, e enterprise.Enterprise, early bool) Application {
	a := good(pol, e)
	if early {
		a.PlannedAt, a.EarlyResumption = at("2020-02-08 08:00"), true
	}
	return a
}

// wrongRole returns a role that is not r.
func wrongRole(r string) string {
	if r == "staff" {
		return "guard"
	}
	return "staff"
}

// The full transition table: every (status, action) pair of every example policy, legal
// ones with the right actor and refused with the wrong role or unit, illegal ones refused
// as conflicts whoever asks.
func TestTransitionTable(t *testing.T) {
	for _, tc := range workflowCases {
		t.Run(tc.name, func(t *testing.T) {
			pol := load(t, tc.policy)
			a := caseApp(pol, tc.e, tc.early)
			var codes []string
			for _, s := range pol.StagesFor(Flags(tc.e, a, pol)) {
				codes = append(codes, s.Code)
			}
			if !slices.Equal(codes, tc.stages) {
				t.Errorf("stages = %v; want %v", codes, tc.stages)
			}
			want := parseTable(t, tc.table)
			statuses := slices.Clone(FixedStatuses)
			for _, s := range pol.Stages {
				statuses = append(statuses, s.Code)
			}
			for _, status := range statuses {
				a := a
				a.Status = status
				for _, act := range Actions {
					l, ok := want[status][act]
					if !ok {
						for _, who := range []Actor{{Role: "enterprise"}, {Role: "command", Unit: "county_command"}, {Role: "admin"}} {
							got, err := Next(pol, tc.e, a, act, who)
							if apperr.KindOf(err) != apperr.Conflict {
								t.Errorf("%s + %s by %s: got %q, %v; want a conflict", status, act, who.Role, got, err)
							}
						}
						continue
					}
					got, err := Next(pol, tc.e, a, act, l.actor)
					if err != nil || got != l.to {
						t.Errorf("%s + %s by %s/%s: got %q, %v; want %q", status, act, l.actor.Role, l.actor.Unit, got, err, l.to)
					}
					wrong := l.actor
					wrong.Role = wrongRole(l.actor.Role)
					if _, err := Next(pol, tc.e, a, act, wrong); apperr.KindOf(err) != apperr.Forbidden {
						t.Errorf("%s + %s by the wrong role %s: %v; want forbidden", status, act, wrong.Role, err)
					}
					if l.actor.Unit != "" {
						wrong = l.actor
						wrong.Unit = "some_other_unit"
						if _, err := Next(pol, tc.e, a, act, wrong); apperr.KindOf(err) != apperr.Forbidden {
							t.Errorf("%s + %s by %s of the wrong unit: %v; want forbidden", status, act, wrong.Role, err)
						}
					}
				}
				// ActionsFor agrees with the table for each actor named in it.
				for _, l := range want[status] {
					var acts []Action
					for act, m := range want[status] {
						if m.actor.Role == l.actor.Role && m.actor.Unit == l.actor.Unit {
							acts = append(acts, act)
						}
					}
					got := ActionsFor(pol, tc.e, a, l.actor)
					slices.Sort(acts)
					slices.Sort(got)
					if !slices.Equal(got, acts) {
						t.Errorf("%s: ActionsFor(%s/%s) = %v; want %v", status, l.actor.Role, l.actor.Unit, got, acts)
					}
				}
			}
			if _, err := Next(pol, tc.e, a, Action("approve_all"), Actor{Role: "admin"}); apperr.KindOf(err) != apperr.Invalid {
				t.Errorf("unknown action: %v; want invalid", err)
			}
		})
	}
}

// Walk every example from draft to approved with the right actors, taking the forward
// action each stage offers, and check what the server must do on the way.
func TestWalkToApproved(t *testing.T) {
	for _, tc := range workflowCases {
		t.Run(tc.name, func(t *testing.T) {
			pol := load(t, tc.policy)
			want := parseTable(t, tc.table)
			a := caseApp(pol, tc.e, tc.early)
			var path []string
			for steps := 0; a.Status != StatusApproved; steps++ {
				if steps > 20 {
					t.Fatalf("no approval after %v", path)
				}
				stage, ok := StageOf(pol, tc.e, a)
				if !ok {
					t.Fatalf("%s: no stage", a.Status)
				}
				ts, err := Transitions(pol, tc.e, a)
				if err != nil {
					t.Fatal(err)
				}
				tr := ts[0] // the forward action comes first
				l := want[a.Status][tr.Action]
				if tr.Stage != stage.Code {
					t.Errorf("%s: transition completes %q; StageOf = %q", a.Status, tr.Stage, stage.Code)
				}
				step, err := Step(pol, tc.e, a, tr.Action, l.actor)
				if err != nil {
					t.Fatalf("%s + %s by %+v: %v", a.Status, tr.Action, l.actor, err)
				}
				if step.Checklist != stage.Checklist || step.Photos != stage.Photos || step.Issues != stage.Issues {
					t.Errorf("%s: transition %+v does not carry the stage's checklist/photos/issues %+v", a.Status, step, stage)
				}
				path = append(path, string(tr.Action)+">"+step.To)
				a.Status = step.To
			}
			// Every stage was passed in order, and the last one issued the notice.
			var wantPath []string
			for i, code := range tc.stages {
				switch {
				case i == 0:
					wantPath = append(wantPath, "submit>"+code)
				case i == len(tc.stages)-1:
					wantPath = append(wantPath, "approve>approved")
				default:
					wantPath = append(wantPath, fmt.Sprint(firstAction(want[tc.stages[i-1]]), ">", code))
				}
			}
			if !slices.Equal(path, wantPath) {
				t.Errorf("path %v; want %v", path, wantPath)
			}
			last := pol.StagesFor(Flags(tc.e, a, pol))
			if l := last[len(last)-1]; l.Issues != "notice" {
				t.Errorf("the final stage %s issues %q; want the notice", l.Code, l.Issues)
			}
		})
	}
}

func firstAction(m map[Action]legal) Action {
	for _, act := range []Action{Accept, Pass, Issue, Approve} {
		if _, ok := m[act]; ok {
			return act
		}
	}
	return ""
}

// Return and failed acceptance go back to the enterprise; the resubmission starts at the
// first stage again, and withdrawing is possible only until someone has acted.
func TestReturnResubmitWithdraw(t *testing.T) {
	pol := load(t, "variant-b-town.toml")
	e := ent("industry_above")
	a := good(pol, e)
	ent := Actor{Role: "enterprise", UserID: 1}
	town := Actor{Role: "town", Unit: "town_gov", UserID: 2}
	grid := Actor{Role: "grid", Unit: "village", UserID: 3}
	cmd := Actor{Role: "command", Unit: "town_command", UserID: 4}

	steps := []struct {
		act   Action
		actor Actor
		want  string
		kind  apperr.Kind // error kind when refused; want unused then
	}{
		{Submit, ent, "submitted", 0},
		{Return, town, StatusReturned, 0},
		{Accept, town, "", apperr.Conflict}, // back with the enterprise
		{Submit, ent, "submitted", 0},       // resubmitted: the first stage again
		{Accept, town, "town_review", 0},
		{Withdraw, ent, "", apperr.Conflict}, // the town has acted
		{Accept, grid, "", apperr.Conflict},  // a checklist stage passes or fails
		{Fail, grid, StatusReturned, 0},      // failed on site, back to the enterprise
		{Submit, ent, "submitted", 0},
		{Accept, town, "town_review", 0},
		{Pass, grid, "grid_acceptance", 0},
		{Approve, town, "", apperr.Forbidden}, // the town government is not the command
		{Approve, Actor{Role: "command", Unit: "county_command"}, "", apperr.Forbidden},
		{Approve, cmd, StatusApproved, 0},
		{Submit, ent, "", apperr.Conflict},
		{Revoke, ent, "", apperr.Forbidden},
		{Revoke, cmd, StatusRevoked, 0},
		{Submit, ent, "", apperr.Conflict},
	}
	for i, s := range steps {
		got, err := Next(pol, e, a, s.act, s.actor)
		if s.kind != 0 {
			if apperr.KindOf(err) != s.kind {
				t.Fatalf("step %d: %s + %s by %s: %q, %v; want kind %d", i, a.Status, s.act, s.actor.Role, got, err, s.kind)
			}
			if ae, _ := apperr.As(err); ae.Message == "" || ae.MessageEN == "" {
				t.Errorf("step %d: error without a message: %+v", i, ae)
			}
			continue
		}
		if err != nil || got != s.want {
			t.Fatalf("step %d: %s + %s by %s: %q, %v; want %q", i, a.Status, s.act, s.actor.Role, got, err, s.want)
		}
		a.Status = got
	}

	// Withdrawn before anyone acted; then final.
	a.Status = StatusDraft
	a.Status, _ = Next(pol, e, a, Submit, ent)
	if got, err := Next(pol, e, a, Withdraw, ent); err != nil || got != StatusWithdrawn {
		t.Errorf("withdraw after submit: %q, %v", got, err)
	}
	a.Status = StatusWithdrawn
	if ts, err := Transitions(pol, e, a); err != nil || len(ts) != 0 {
		t.Errorf("withdrawn: transitions %v, %v; want none", ts, err)
	}
}

// Filed on the enterprise's behalf (帮办代办), the park operator or an official may submit
// and withdraw; otherwise only the enterprise may.
func TestOnBehalf(t *testing.T) {
	pol := load(t, "variant-d-street.toml")
	e := ent("hq_park", inPark)
	a := good(pol, e)
	park := Actor{Role: "park", Unit: "park_operator"}
	if _, err := Next(pol, e, a, Submit, park); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("park operator submits the enterprise's own draft: %v; want forbidden", err)
	}
	a.OnBehalf = true
	for _, role := range []string{"enterprise", "park", "town", "reviewer", "command", "grid"} {
		if got, err := Next(pol, e, a, Submit, Actor{Role: role}); err != nil || got != "submitted" {
			t.Errorf("on behalf, %s submits: %q, %v", role, got, err)
		}
	}
	for _, role := range []string{"staff", "guard", "admin"} {
		if _, err := Next(pol, e, a, Submit, Actor{Role: role}); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("on behalf, %s submits: %v; want forbidden", role, err)
		}
	}
	a.Status = "submitted"
	if got, err := Next(pol, e, a, Withdraw, park); err != nil || got != StatusWithdrawn {
		t.Errorf("on behalf, park withdraws: %q, %v", got, err)
	}
	if got, err := Next(pol, e, a, Accept, park); err != nil || got != "park_review" {
		t.Errorf("park operator accepts: %q, %v", got, err)
	}
}

func TestStageOfAndStatusName(t *testing.T) {
	pol := load(t, "variant-b-town.toml")
	e := ent("industry_above")
	a := good(pol, e)
	tests := []struct {
		status, stage, zh, en string
	}{
		{StatusDraft, "submitted", "草稿", "Draft"},
		{"", "submitted", "草稿", "Draft"},
		{StatusReturned, "submitted", "已退回, 待企业修改后重新提交", "Returned for correction"},
		{"submitted", "town_review", "待镇政府审查", "Awaiting: Review by the town government"},
		{"town_review", "grid_acceptance", "待网格监管小组现场验收", "Awaiting: On-site acceptance by the grid supervision group"},
		{"grid_acceptance", "town_approval", "待镇指挥部批准", "Awaiting: Approval by the town command"},
		{StatusApproved, "", "已批准复工", "Approved"},
		{StatusRejected, "", "不予通过", "Rejected"},
		{"no_such_stage", "", "no_such_stage", "no_such_stage"},
	}
	for _, tt := range tests {
		a.Status = tt.status
		s, ok := StageOf(pol, e, a)
		if ok != (tt.stage != "") || s.Code != tt.stage {
			t.Errorf("StageOf(%q) = %q, %v; want %q", tt.status, s.Code, ok, tt.stage)
		}
		zh, en := StatusName(pol, e, a)
		if zh != tt.zh || en != tt.en {
			t.Errorf("StatusName(%q) = %q, %q; want %q, %q", tt.status, zh, en, tt.zh, tt.en)
		}
	}
	a.Status = "no_such_stage"
	if _, err := Transitions(pol, e, a); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("unknown stage: %v; want conflict", err)
	}
}

// Refusals explain themselves: who must act, and what can be done now.
func TestRefusalMessages(t *testing.T) {
	pol := load(t, "variant-b-town.toml")
	e := ent("industry_above")
	a := good(pol, e)
	a.Status = "submitted"
	_, err := Next(pol, e, a, Accept, Actor{Role: "grid", Unit: "village"})
	ae, _ := apperr.As(err)
	if ae == nil || ae.Kind != apperr.Forbidden || ae.Message != "「镇政府审查」须由镇政府的镇街干部办理, 您无权审核通过" {
		t.Errorf("forbidden: %+v", ae)
	}
	_, err = Next(pol, e, a, Approve, Actor{Role: "command", Unit: "town_command"})
	ae, _ = apperr.As(err)
	if ae == nil || ae.Kind != apperr.Conflict || ae.Message != "申请当前为「待镇政府审查」, 不能批准复工; 现在可以: 审核通过、退回修改、不予通过、撤回申请" {
		t.Errorf("conflict: %+v", ae)
	}
}

// No example policy has a stage code that clashes with a fixed status, and each starts with
// the enterprise's stage and ends with the notice whatever the flags.
func TestExamplePoliciesFitTheMachine(t *testing.T) {
	for _, name := range examplePolicies {
		pol := load(t, name)
		for _, s := range pol.Stages {
			if IsFixedStatus(s.Code) {
				t.Errorf("%s: stage code %q is a fixed status", name, s.Code)
			}
		}
		for mask := 0; mask < 1<<len(policy.Flags); mask++ {
			flags := map[string]bool{}
			for i, f := range policy.Flags {
				flags[f] = mask&(1<<i) != 0
			}
			stages := pol.StagesFor(flags)
			if len(stages) < 2 || stages[0].Role != "enterprise" || stages[len(stages)-1].Issues != "notice" {
				t.Errorf("%s, flags %v: stages %v", name, flags, stages)
			}
		}
	}
}
