// Package rectify holds the rules of rectification (整改) after a failed inspection: the
// deadline by severity, the state machine of an order (the enterprise responds, the unit
// verifies or returns it, an overdue one escalates), the escalation levels and who is told
// at each, and what an order of 停产整顿 (stop production for rectification) does.
package rectify

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/inspection"
	"fugong/internal/list"
	"fugong/internal/policy"
)

// Statuses of an order.
const (
	Open     = "open"     // waiting for the enterprise's answer (also after a return)
	Answered = "answered" // the enterprise answered; waiting for the unit
	Closed   = "closed"   // verified and closed (销号)
)

// Actions on an order.
const (
	Respond  = "respond"  // the enterprise says what it did
	Verify   = "verify"   // the unit checks it and closes the order
	Return   = "return"   // the unit finds it not done and returns it
	Escalate = "escalate" // the order goes one level up
)

// Actions lists every action.
var Actions = []string{Respond, Verify, Return, Escalate}

// Series is the serial series of the numbered rectification notice (整改通知书).
const Series = "rectification"

// Order is a rectification order (整改通知书).
type Order struct {
	ID             int64      `json:"id"`
	InspectionID   int64      `json:"inspection_id"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name,omitempty"`
	Unit           string     `json:"unit"`
	Item           string     `json:"item"`    // checklist item code
	Problem        string     `json:"problem"` // what is wrong
	Clause         string     `json:"clause,omitempty"`
	Severity       string     `json:"severity"`
	Responsible    string     `json:"responsible,omitempty"` // the enterprise's responsible person
	Serial         string     `json:"serial"`
	Deadline       time.Time  `json:"deadline"`
	Status         string     `json:"status"`
	Level          int        `json:"level"` // escalation level: 0 none, 1 the first unit of escalate_to, …
	Answer         string     `json:"answer,omitempty"`
	AnswerPhotos   int        `json:"answer_photos"`
	Comment        string     `json:"comment,omitempty"` // the unit's last word (on return or verification)
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
}

// Deadline is the day and hour an order opened at from must be rectified by, by severity:
// the end of the day (policy time zone) that many days later.
func Deadline(pol *policy.Policy, severity string, from time.Time) time.Time {
	days := pol.Supervision.GeneralDays
	switch severity {
	case inspection.Serious:
		days = pol.Supervision.SeriousDays
	case inspection.Suspend:
		days = pol.Supervision.SuspendDays
	}
	t := from.In(pol.Location())
	return time.Date(t.Year(), t.Month(), t.Day()+days, 23, 59, 59, 0, t.Location())
}

// Suspends reports whether an order of the severity stops production at once (停产整顿).
func Suspends(severity string) bool { return severity == inspection.Suspend }

// Overdue reports whether an order not yet closed is past its deadline.
func Overdue(o Order, now time.Time) bool { return o.Status != Closed && now.After(o.Deadline) }

// DueLevel is the escalation level an order has reached by now: 0 before its deadline,
// 1 once it has passed, one more every EscalateAfterDays, at most the number of units the
// policy escalates to. A closed order escalates no further.
func DueLevel(pol *policy.Policy, o Order, now time.Time) int {
	if !Overdue(o, now) {
		return 0
	}
	top := len(pol.Supervision.EscalateTo)
	every := time.Duration(max(pol.Supervision.EscalateAfterDays, 1)) * 24 * time.Hour
	level := 1 + int(now.Sub(o.Deadline)/every)
	return min(level, top)
}

// Told is who is told when an order reaches level: the unit that ordered it and the
// escalation units up to that level. It is the one answer to "who hears of this order".
func Told(pol *policy.Policy, o Order, level int) []string {
	out := []string{o.Unit}
	for i, u := range pol.Supervision.EscalateTo {
		if i < level && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// Actor is who acts on an order.
type Actor struct {
	Enterprise bool     // the enterprise of the order
	Units      []string // the policy units the actor acts for
	Overseer   bool     // a command or administrator, or a town over the enterprise
}

// Request is an action with what it carries.
type Request struct {
	Action  string `json:"action"`
	Text    string `json:"text,omitempty"` // the answer (respond) or the unit's comment (verify, return, escalate)
	Version int    `json:"version,omitempty"`
}

// Step checks an action on the order by the actor and returns the status and level it
// leaves. The enterprise responds to an open order; the ordering unit (or an overseer)
// verifies or returns an answered one; an order that is overdue escalates (the unit, an
// overseer or the daily clock), one level at a time up to the policy's last. An order of
// 停产整顿 is closed by a passed re-inspection only, never by verifying the evidence.
func Step(pol *policy.Policy, o Order, a Actor, req Request, now time.Time) (status string, level int, err error) {
	req.Text = strings.TrimSpace(req.Text)
	if utf8.RuneCountInString(req.Text) > 1000 {
		return "", 0, apperr.NewInvalid("text", "说明最多 1000 字", "The text takes at most 1000 characters")
	}
	if o.Status == Closed {
		return "", 0, apperr.NewConflict("该整改已销号,不能再操作", "The order is closed")
	}
	unit := a.Overseer || slices.Contains(a.Units, o.Unit)
	switch req.Action {
	case Respond:
		if !a.Enterprise {
			return "", 0, apperr.NewForbidden()
		}
		if o.Status != Open {
			return "", 0, apperr.NewConflict("整改回复已提交,等待检查单位核实", "The answer is in; the unit verifies it")
		}
		if req.Text == "" {
			return "", 0, apperr.NewInvalid("text", "请写明整改措施和完成情况", "Say what was done to rectify")
		}
		return Answered, o.Level, nil
	case Verify, Return:
		if !unit {
			return "", 0, apperr.NewForbidden()
		}
		if o.Status != Answered {
			return "", 0, apperr.NewConflict("企业尚未回复整改情况", "The enterprise has not answered yet")
		}
		if req.Action == Return {
			if req.Text == "" {
				return "", 0, apperr.NewInvalid("text", "退回须写明仍需整改的内容", "Say what is still to be done")
			}
			return Open, o.Level, nil
		}
		if Suspends(o.Severity) {
			return "", 0, apperr.NewConflict("停产整顿须经复查合格后恢复,请安排复查", "An order to stop production is lifted by a passed re-inspection: plan one")
		}
		return Closed, o.Level, nil
	case Escalate:
		if !unit {
			return "", 0, apperr.NewForbidden()
		}
		top := len(pol.Supervision.EscalateTo)
		if !Overdue(o, now) {
			return "", 0, apperr.NewConflict("整改尚未逾期,不能上报", "The order is not overdue; it cannot be escalated")
		}
		if o.Level >= top {
			return "", 0, apperr.NewConflict("已上报至最高一级", "The order is already at the highest level")
		}
		return o.Status, o.Level + 1, nil
	}
	return "", 0, apperr.NewInvalid("action", "未知操作,可用: "+strings.Join(Actions, ", "), "Unknown action; use one of: "+strings.Join(Actions, ", "))
}

// Reinstates reports whether a recorded inspection lifts a stop of production: a passed
// re-inspection does.
func Reinstates(in inspection.Inspection) bool {
	return in.Kind == policy.KindReinspection && in.Status == inspection.Done && in.Result == inspection.Pass
}

// SuspendReason is the reason recorded on the suspended notice and shown at the gate.
func SuspendReason(serial, problem string) (zh, en string) {
	return fmt.Sprintf("停产整顿(%s):%s", serial, problem), fmt.Sprintf("Production stopped for rectification (%s): %s", serial, problem)
}

// StatusName is a status's Chinese and English name.
func StatusName(s string) (zh, en string) {
	switch s {
	case Open:
		return "待整改", "To rectify"
	case Answered:
		return "待核实", "To verify"
	case Closed:
		return "已销号", "Closed"
	}
	return s, s
}

// LevelUnit is the unit at an escalation level ("" at level 0).
func LevelUnit(pol *policy.Policy, level int) string {
	if level <= 0 || level > len(pol.Supervision.EscalateTo) {
		return ""
	}
	return pol.Supervision.EscalateTo[level-1]
}

// Filter narrows a list of rectification orders; a field left empty narrows nothing.
type Filter struct {
	Status       string // open, answered, closed, "active" (not closed) or ""
	Overdue      bool
	Unit         string
	Severity     string
	EnterpriseID int64
	Q            string
	Page         list.Page
}
