package application

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
)

// Action is something an actor does to an application.
type Action string

const (
	Submit   Action = "submit"   // the enterprise files (or refiles) the application
	Withdraw Action = "withdraw" // the enterprise takes it back before any review action
	Accept   Action = "accept"   // a review stage agrees; on to the next stage
	Return   Action = "return"   // sent back to the enterprise to correct
	Reject   Action = "reject"   // refused for good
	Pass     Action = "pass"     // on-site acceptance (a checklist stage) passed
	Fail     Action = "fail"     // on-site acceptance failed: back to the enterprise with the list
	Issue    Action = "issue"    // a stage that issues a document other than the notice (the bus letter) agrees
	Approve  Action = "approve"  // the final stage approves; the notice is issued
	Revoke   Action = "revoke"   // the approval is revoked after resumption
)

// Actions lists every action in display order.
var Actions = []Action{Submit, Withdraw, Accept, Pass, Issue, Approve, Return, Fail, Reject, Revoke}

// ActionNames are the actions' Chinese and English names (button labels).
var ActionNames = map[Action][2]string{
	Submit:   {"提交申请", "Submit"},
	Withdraw: {"撤回申请", "Withdraw"},
	Accept:   {"审核通过", "Accept"},
	Return:   {"退回修改", "Return for correction"},
	Reject:   {"不予通过", "Reject"},
	Pass:     {"验收合格", "Pass on-site acceptance"},
	Fail:     {"验收不合格", "Fail on-site acceptance"},
	Issue:    {"同意并出具", "Agree and issue"},
	Approve:  {"批准复工", "Approve"},
	Revoke:   {"撤销批准", "Revoke"},
}

// Actor is who acts: a role, the policy unit code the person acts for, and the user.
type Actor struct {
	Role   string `json:"role"`
	Unit   string `json:"unit"`
	UserID int64  `json:"user_id"`
}

// Transition is one action possible from the application's current status.
type Transition struct {
	Action Action   `json:"action"`
	From   string   `json:"from"`
	To     string   `json:"to"`
	Stage  string   `json:"stage,omitempty"` // the stage the action completes (for revoke: the one that approved)
	Roles  []string `json:"roles"`           // roles that may act
	Unit   string   `json:"unit,omitempty"`  // the unit the actor must act for; "" when any unit of the role may
	// Issues is the document the server issues when this transition happens: "notice" or
	// "bus_letter" (from the stage's issues), or "".
	Issues    string `json:"issues,omitempty"`
	Checklist bool   `json:"checklist,omitempty"` // the stage fills in the acceptance checklist
	Photos    bool   `json:"photos,omitempty"`    // the stage must keep photos or video
}

// Permits reports whether the actor may make the transition.
func (t Transition) Permits(a Actor) bool {
	return slices.Contains(t.Roles, a.Role) && (t.Unit == "" || t.Unit == a.Unit)
}

// pending returns the stage that waits for its actor when the application's status is the
// stage code status: the next stage after it (in the policy's order) that applies given the
// flags, and whether that stage is the last one that applies.
func pending(pol *policy.Policy, flags map[string]bool, status string) (policy.Stage, bool, error) {
	i := slices.IndexFunc(pol.Stages, func(s policy.Stage) bool { return s.Code == status })
	if i < 0 {
		return policy.Stage{}, false, apperr.NewConflict(
			fmt.Sprintf("申请所处环节「%s」不在现行政策的流程中, 请联系管理员", status),
			fmt.Sprintf("The application's stage %q is not in the workflow of the policy in force; contact an administrator", status))
	}
	for j := i + 1; j < len(pol.Stages); j++ {
		if !pol.Stages[j].Applies(flags) {
			continue
		}
		last := !slices.ContainsFunc(pol.Stages[j+1:], func(s policy.Stage) bool { return s.Applies(flags) })
		return pol.Stages[j], last, nil
	}
	return policy.Stage{}, false, apperr.NewConflict(
		fmt.Sprintf("申请所处环节「%s」之后没有待办环节, 请联系管理员", status),
		fmt.Sprintf("No stage follows the application's stage %q; contact an administrator", status))
}

func noStages() error {
	return apperr.NewConflict("现行政策没有定义审批流程", "The policy in force defines no workflow stages")
}

// StageOf returns the stage that waits for its actor now: the first (enterprise) stage while
// the application is a draft or returned, the next stage after the one its status names while
// under review. It returns false when the application is decided or its status is unknown.
func StageOf(pol *policy.Policy, e enterprise.Enterprise, a Application) (policy.Stage, bool) {
	flags := Flags(e, a, pol)
	switch {
	case a.Status == "" || Editable(a.Status):
		stages := pol.StagesFor(flags)
		if len(stages) == 0 {
			return policy.Stage{}, false
		}
		return stages[0], true
	case IsFixedStatus(a.Status):
		return policy.Stage{}, false
	}
	s, _, err := pending(pol, flags, a.Status)
	return s, err == nil
}

// Transitions lists the transitions possible from the application's current status, with
// who may make each. The error (Conflict) says the status is not in the policy's workflow.
func Transitions(pol *policy.Policy, e enterprise.Enterprise, a Application) ([]Transition, error) {
	flags := Flags(e, a, pol)
	route := RouteFor(pol, e)
	stages := pol.StagesFor(flags)
	if len(stages) == 0 {
		return nil, noStages()
	}
	from := cmp.Or(a.Status, StatusDraft)
	first := stages[0]
	firstRole, firstUnit := pol.StageActor(first, route)
	filers := []string{firstRole}
	if a.OnBehalf {
		for _, r := range onBehalfRoles {
			filers = append(filers, string(r))
		}
	}
	withdraw := Transition{Action: Withdraw, From: from, To: StatusWithdrawn, Roles: filers}

	switch from {
	case StatusDraft, StatusReturned:
		return []Transition{
			{Action: Submit, From: from, To: first.Code, Stage: first.Code, Roles: filers, Unit: firstUnit, Issues: first.Issues},
			withdraw,
		}, nil
	case StatusApproved:
		last := stages[len(stages)-1]
		role, unit := pol.StageActor(last, route)
		return []Transition{{Action: Revoke, From: from, To: StatusRevoked, Stage: last.Code, Roles: []string{role}, Unit: unit}}, nil
	case StatusRejected, StatusWithdrawn, StatusRevoked:
		return nil, nil
	}

	next, last, err := pending(pol, flags, from)
	if err != nil {
		return nil, err
	}
	role, unit := pol.StageActor(next, route)
	step := func(act Action, to string) Transition {
		return Transition{Action: act, From: from, To: to, Stage: next.Code, Roles: []string{role}, Unit: unit,
			Checklist: next.Checklist, Photos: next.Photos}
	}
	var forward, back Transition
	switch {
	case last:
		forward = step(Approve, StatusApproved)
	case next.Issues == "bus_letter":
		forward = step(Issue, next.Code)
	case next.Checklist:
		forward = step(Pass, next.Code)
	default:
		forward = step(Accept, next.Code)
	}
	forward.Issues = next.Issues
	if next.Checklist {
		back = step(Fail, StatusReturned)
	} else {
		back = step(Return, StatusReturned)
	}
	ts := []Transition{forward, back, step(Reject, StatusRejected)}
	if from == first.Code { // nobody has acted on it yet
		ts = append(ts, withdraw)
	}
	return ts, nil
}

// ActionsFor lists the actions the actor may take now (the buttons to show).
func ActionsFor(pol *policy.Policy, e enterprise.Enterprise, a Application, actor Actor) []Action {
	ts, err := Transitions(pol, e, a)
	if err != nil {
		return nil
	}
	var acts []Action
	for _, t := range ts {
		if t.Permits(actor) {
			acts = append(acts, t.Action)
		}
	}
	return acts
}

// Step checks that the actor may take the action now and returns the transition. An action
// the status does not allow is a Conflict error; the wrong role or unit is Forbidden; an
// unknown action is Invalid.
func Step(pol *policy.Policy, e enterprise.Enterprise, a Application, act Action, actor Actor) (Transition, error) {
	if _, ok := ActionNames[act]; !ok {
		return Transition{}, apperr.NewInvalid("action", "未知操作: "+string(act), "Unknown action "+string(act))
	}
	ts, err := Transitions(pol, e, a)
	if err != nil {
		return Transition{}, err
	}
	i := slices.IndexFunc(ts, func(t Transition) bool { return t.Action == act })
	if i < 0 {
		zh, en := StatusName(pol, e, a)
		var can, canEN []string
		for _, t := range ts {
			can = append(can, ActionNames[t.Action][0])
			canEN = append(canEN, ActionNames[t.Action][1])
		}
		msg := fmt.Sprintf("申请当前为「%s」, 不能%s", zh, ActionNames[act][0])
		msgEN := fmt.Sprintf("The application is %q; it cannot be %s now", en, strings.ToLower(ActionNames[act][1]))
		if len(can) > 0 {
			msg += "; 现在可以: " + strings.Join(can, "、")
			msgEN += "; possible now: " + strings.Join(canEN, ", ")
		}
		return Transition{}, apperr.NewConflict(msg, msgEN)
	}
	t := ts[i]
	if !t.Permits(actor) {
		return Transition{}, forbidden(pol, t)
	}
	return t, nil
}

// Next returns the status the action leads to (see Step for the errors).
func Next(pol *policy.Policy, e enterprise.Enterprise, a Application, act Action, actor Actor) (string, error) {
	t, err := Step(pol, e, a, act, actor)
	if err != nil {
		return "", err
	}
	return t.To, nil
}

func forbidden(pol *policy.Policy, t Transition) error {
	var who, whoEN []string
	for _, r := range t.Roles {
		n := auth.RoleNames[auth.Role(r)]
		who = append(who, cmp.Or(n[0], r))
		whoEN = append(whoEN, cmp.Or(n[1], r))
	}
	by, byEN := strings.Join(who, "或"), strings.Join(whoEN, " or ")
	if t.Unit != "" {
		u, ok := pol.Unit(t.Unit)
		name, nameEN := t.Unit, t.Unit
		if ok {
			name, nameEN = u.Name, cmp.Or(u.NameEN, u.Name)
		}
		by, byEN = name+"的"+by, byEN+" of "+nameEN
	}
	stage := string(t.Action)
	stageEN := stage
	if s, ok := stageByCode(pol, t.Stage); ok {
		stage, stageEN = s.Name, cmp.Or(s.NameEN, s.Name)
	}
	return &apperr.Error{Kind: apperr.Forbidden,
		Message:   fmt.Sprintf("「%s」须由%s办理, 您无权%s", stage, by, ActionNames[t.Action][0]),
		MessageEN: fmt.Sprintf("%q is done by the %s; you may not %s", stageEN, byEN, strings.ToLower(ActionNames[t.Action][1]))}
}

func stageByCode(pol *policy.Policy, code string) (policy.Stage, bool) {
	for _, s := range pol.Stages {
		if s.Code == code {
			return s, true
		}
	}
	return policy.Stage{}, false
}

// StatusName describes the application's status: the fixed statuses by name, and under
// review "待" + the stage that waits ("Awaiting: …").
func StatusName(pol *policy.Policy, e enterprise.Enterprise, a Application) (zh, en string) {
	switch cmp.Or(a.Status, StatusDraft) {
	case StatusDraft:
		return "草稿", "Draft"
	case StatusReturned:
		return "已退回, 待企业修改后重新提交", "Returned for correction"
	case StatusRejected:
		return "不予通过", "Rejected"
	case StatusWithdrawn:
		return "已撤回", "Withdrawn"
	case StatusApproved:
		return "已批准复工", "Approved"
	case StatusRevoked:
		return "已撤销批准", "Approval revoked"
	}
	s, ok := StageOf(pol, e, a)
	if !ok {
		return a.Status, a.Status
	}
	return "待" + s.Name, "Awaiting: " + cmp.Or(s.NameEN, s.Name)
}
