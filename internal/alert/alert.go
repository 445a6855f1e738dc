// Package alert holds the rules of alerts upward: which units of the policy hear of what
// happens at an enterprise (a fever, out-of-city returners, a suspended notice, an
// overdue rectification, a major hazard), which units an account acts for, and what
// personal data each recipient may see.
package alert

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/roster"
)

// KindNames are the alert kinds' Chinese and English names.
var KindNames = map[string][2]string{
	policy.AlertFever:                {"发热/症状预警", "Fever or symptom"},
	policy.AlertReturners:            {"市外返岗人员报备", "Out-of-city returners reported"},
	policy.AlertNoticeSuspended:      {"停工(复工通知书撤销或停产整顿)", "Production stopped (notice revoked or suspended)"},
	policy.AlertRectificationOverdue: {"整改逾期", "Rectification overdue"},
	policy.AlertMajorHazard:          {"重大隐患", "Major hazard"},
}

// Facts are what is known of an alert's event. Persons are names: a recipient whose role
// may not read rosters sees them masked.
type Facts struct {
	Persons     []string `json:"persons,omitempty"`
	Temperature float64  `json:"temperature,omitempty"`
	Symptoms    []string `json:"symptoms,omitempty"`
	Origin      string   `json:"origin,omitempty"` // origin class of returners
	Count       int      `json:"count,omitempty"`  // how many persons or items
	Text        string   `json:"text,omitempty"`   // what else is known, in the words of whoever raised it
	Link        string   `json:"link,omitempty"`   // the page of the event
}

// Inbox is the inbox item that brings an alert to the accounts of a recipient unit: the
// kind, the enterprise and how many persons or items — never a person's name, which the
// alerts page shows only to the roles that may read it.
func Inbox(kind, enterprise string, f Facts) (title, body string) {
	name := KindNames[kind][0]
	if name == "" {
		name = kind
	}
	title = "预警:" + name + "——" + enterprise
	switch {
	case f.Count > 0 && f.Origin != "":
		body = fmt.Sprintf("%d人,来自%s,请签收。", f.Count, f.Origin)
	case f.Count > 0:
		body = fmt.Sprintf("涉及%d人(项),请签收。", f.Count)
	default:
		body = "请签收。"
	}
	return title, body
}

// Joins reports whether an alert of kind joins the open alert of its kind and enterprise
// raised earlier the same day, instead of raising one of its own: the returners an
// enterprise enters one by one make one alert a day, growing until a recipient
// acknowledges it, rather than one alert for each person.
func Joins(kind string) bool { return kind == policy.AlertReturners }

// Join is the facts of an open alert with more added to them (Joins): the persons and the
// count added, the origins named once each.
func (f Facts) Join(more Facts) Facts {
	out := f
	out.Persons = append(slices.Clip(f.Persons), more.Persons...)
	out.Count += more.Count
	out.Origin = JoinOrigins(f.Origin, more.Origin)
	return out
}

// JoinOrigins is the origins of returners named in a and in b, each once, in the order
// first named, joined by 、.
func JoinOrigins(a, b string) string {
	names := strings.Split(a, "、")
	for _, o := range strings.Split(b, "、") {
		if o != "" && !slices.Contains(names, o) {
			names = append(names, o)
		}
	}
	return strings.Trim(strings.Join(names, "、"), "、")
}

// InboxLink is the link of the inbox item of an alert for one recipient unit; it is how
// the item leaves the inbox when that unit acknowledges the alert.
func InboxLink(id int64, unit string) string {
	return fmt.Sprintf("/alerts#alert-%d-%s", id, unit)
}

// Alert is one alert as one recipient unit sees it.
type Alert struct {
	ID             int64      `json:"id"`
	Kind           string     `json:"kind"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name"`
	RegionCode     string     `json:"region_code"`
	Facts          Facts      `json:"facts"`
	Unit           string     `json:"unit"` // the recipient unit of the policy
	CreatedAt      time.Time  `json:"created_at"`
	AckedAt        *time.Time `json:"acked_at,omitempty"`
	AckedBy        string     `json:"acked_by,omitempty"`
}

// Filter selects alerts.
type Filter struct {
	Open bool // only those not yet acknowledged
	Kind string
	Page list.Page
}

// SeesNames reports whether a role may read the names of the persons in an alert: those
// who may read rosters do.
func SeesNames(r auth.Role) bool { return auth.Can(r, auth.RosterView) }

// For returns the facts as a recipient of the role may read them: names masked unless the
// role may read rosters.
func For(r auth.Role, f Facts) Facts {
	if SeesNames(r) || len(f.Persons) == 0 {
		return f
	}
	out := f
	out.Persons = make([]string, len(f.Persons))
	for i, n := range f.Persons {
		out.Persons[i] = roster.MaskName(n)
	}
	return out
}
