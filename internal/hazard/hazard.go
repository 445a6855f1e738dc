// Package hazard holds the rules of the safety-production hazard register (安全生产隐患排查
// 治理) of plan E: the key sectors and their items come from the policy; a hazard is found
// by an inspection or by the enterprise's own check (企业自查), graded general or major
// (一般 / 重大隐患), and goes through 排查 → 登记 → 整改 → 验收 → 销号 with a deadline by
// grade. A major hazard is reported at once to the levels the policy names
// (hazard_report_to, the emergency management bureau) and stays on their list until it
// is closed.
package hazard

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/list"
	"fugong/internal/policy"
)

// Grades.
const (
	General = "general" // 一般隐患
	Major   = "major"   // 重大隐患
)

// Grades lists them.
var Grades = []string{General, Major}

// Sources of a hazard.
const (
	FromInspection = "inspection" // found by an inspection
	FromSelfCheck  = "self"       // the enterprise's own check (企业自查)
)

// Statuses: 登记 → 整改 → 验收 → 销号.
const (
	Registered = "registered" // registered, to rectify
	Rectified  = "rectified"  // rectified, waiting for acceptance
	Accepted   = "accepted"   // accepted on site, waiting to be closed
	Closed     = "closed"     // closed (销号)
)

// Statuses lists them in order.
var Statuses = []string{Registered, Rectified, Accepted, Closed}

// Actions on a hazard.
const (
	Rectify = "rectify" // the enterprise (or the unit) reports it rectified
	Accept  = "accept"  // the unit accepts the rectification on site
	Return  = "return"  // the unit finds it not rectified
	Close   = "close"   // the unit closes it (销号)
)

// Actions lists them.
var Actions = []string{Rectify, Accept, Return, Close}

// Hazard is one entry of the register.
type Hazard struct {
	ID             int64      `json:"id"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name,omitempty"`
	Sector         string     `json:"sector"`
	Grade          string     `json:"grade"`
	Source         string     `json:"source"`
	InspectionID   int64      `json:"inspection_id,omitempty"`
	Unit           string     `json:"unit"`
	Item           string     `json:"item,omitempty"` // the sector's item it concerns
	Description    string     `json:"description"`
	Measures       string     `json:"measures,omitempty"` // what was done (on rectify) and the unit's words
	Deadline       time.Time  `json:"deadline"`
	Status         string     `json:"status"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
}

// Check normalises a hazard being registered and lists its problems.
func Check(pol *policy.Policy, h *Hazard) error {
	h.Description, h.Item = strings.TrimSpace(h.Description), strings.TrimSpace(h.Item)
	var ps apperr.Problems
	if h.EnterpriseID <= 0 {
		ps.Add("enterprise_id", "请选择企业", "Choose the enterprise")
	}
	sector, ok := pol.HazardSector(h.Sector)
	if !ok {
		ps.Add("sector", "请选择重点行业领域", "Choose the key sector")
	}
	if !slices.Contains(Grades, h.Grade) {
		ps.Add("grade", "请选择隐患等级(一般 / 重大)", "Choose the grade (general or major)")
	}
	if h.Source != FromInspection && h.Source != FromSelfCheck {
		ps.Add("source", "请注明来源(检查发现 / 企业自查)", "Say where it was found (inspection or self-check)")
	}
	if h.Item != "" && ok && len(sector.Items) > 0 && !slices.Contains(sector.Items, h.Item) {
		ps.Add("item", "不是该行业领域的排查项目", "Not an item of that sector")
	}
	if h.Description == "" || utf8.RuneCountInString(h.Description) > 500 {
		ps.Add("description", "请描述隐患(最多 500 字)", "Describe the hazard (at most 500 characters)")
	}
	return ps.Err()
}

// Deadline is when a hazard registered at from must be rectified: the end of the day
// (policy time zone) the grade's days later.
func Deadline(pol *policy.Policy, grade string, from time.Time) time.Time {
	days := pol.Supervision.HazardGeneralDays
	if grade == Major {
		days = pol.Supervision.HazardMajorDays
	}
	t := from.In(pol.Location())
	return time.Date(t.Year(), t.Month(), t.Day()+days, 23, 59, 59, 0, t.Location())
}

// ReportTo is who is told of a hazard when it is registered: the supervising unit, and
// for a major hazard at once the levels the policy names (the emergency management
// bureau). It is the one answer to "who hears of this hazard".
func ReportTo(pol *policy.Policy, h Hazard) []string {
	out := []string{h.Unit}
	if h.Grade == Major {
		for _, u := range pol.Supervision.HazardReportTo {
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	return out
}

// Overdue reports whether a hazard not yet rectified is past its deadline.
func Overdue(h Hazard, now time.Time) bool {
	return h.Status == Registered && now.After(h.Deadline)
}

// Actor is who acts on a hazard.
type Actor struct {
	Enterprise bool // the enterprise of the hazard
	Unit       bool // the supervising unit, a level it is reported to, or an overseer
}

// Step is the status an action leaves: the enterprise or the unit reports a registered
// hazard rectified (saying what was done); the unit accepts it or returns it, and closes
// an accepted one (销号).
func Step(h Hazard, a Actor, action, text string) (string, error) {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > 1000 {
		return "", apperr.NewInvalid("text", "说明最多 1000 字", "The text takes at most 1000 characters")
	}
	if h.Status == Closed {
		return "", apperr.NewConflict("该隐患已销号", "The hazard is closed")
	}
	from := map[string]string{Rectify: Registered, Accept: Rectified, Return: Rectified, Close: Accepted}
	want, ok := from[action]
	if !ok {
		return "", apperr.NewInvalid("action", "未知操作,可用: "+strings.Join(Actions, ", "), "Unknown action; use one of: "+strings.Join(Actions, ", "))
	}
	if !a.Unit && !(a.Enterprise && action == Rectify) {
		return "", apperr.NewForbidden()
	}
	if h.Status != want {
		zh, en := StatusName(h.Status)
		return "", apperr.NewConflict("隐患当前为「"+zh+"」,不能进行此操作", "The hazard is "+en+": the action does not apply")
	}
	switch action {
	case Rectify:
		if text == "" {
			return "", apperr.NewInvalid("text", "请写明整改措施", "Say what was done")
		}
		return Rectified, nil
	case Return:
		if text == "" {
			return "", apperr.NewInvalid("text", "退回须写明仍需整改的内容", "Say what is still to be done")
		}
		return Registered, nil
	case Accept:
		return Accepted, nil
	}
	return Closed, nil
}

// StatusName is a status's Chinese and English name.
func StatusName(s string) (zh, en string) {
	switch s {
	case Registered:
		return "已登记,待整改", "Registered, to rectify"
	case Rectified:
		return "已整改,待验收", "Rectified, to accept"
	case Accepted:
		return "已验收,待销号", "Accepted, to close"
	case Closed:
		return "已销号", "Closed"
	}
	return s, s
}

// GradeName is a grade's Chinese and English name.
func GradeName(g string) (zh, en string) {
	if g == Major {
		return "重大隐患", "Major"
	}
	return "一般隐患", "General"
}

// Filter narrows a list of hazards; a field left empty narrows nothing.
type Filter struct {
	Status       string // a status, "open" (not closed) or ""
	Grade        string
	Sector       string
	EnterpriseID int64
	Q            string
	Page         list.Page
}
