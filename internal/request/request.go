// Package request holds the rules of enterprise requests (诉求): 己方案's special teams
// 「了解企业生产经营状况和政务服务需求…及时帮助解决企业复工实际问题」. An enterprise — or, on its
// behalf, its park or the officials who look after it (包保) — asks for help of a kind the
// policy names; the request goes to the unit the policy names for that kind, with a
// deadline; the unit answers, transfers it to another unit with a reason, or escalates
// it; the enterprise confirms it is solved and rates the answer, or says it is not.
package request

import (
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/policy"
)

// Status is where a request stands.
type Status string

const (
	Open     Status = "open"     // 待办理: with a unit
	Answered Status = "answered" // 已答复: waiting for the enterprise to confirm
	Solved   Status = "solved"   // 已解决: confirmed and rated
)

// Statuses lists every status.
var Statuses = []Status{Open, Answered, Solved}

var statusNames = map[Status][2]string{Open: {"办理中", "Open"}, Answered: {"已答复,待企业确认", "Answered, awaiting confirmation"}, Solved: {"已解决", "Solved"}}

// Name is the status in Chinese and English.
func (s Status) Name() (zh, en string) { n := statusNames[s]; return n[0], n[1] }

// Action is what is done to a request.
type Action string

const (
	Answer   Action = "answer"   // the unit answers (text)
	Transfer Action = "transfer" // the unit hands it to another unit (unit, reason)
	Escalate Action = "escalate" // the unit escalates it to the policy's escalation unit (reason)
	Confirm  Action = "confirm"  // the enterprise confirms it is solved (rating 1–5, optional comment)
	Reopen   Action = "reopen"   // the enterprise says it is not solved (reason)
)

// Actions lists every action.
var Actions = []Action{Answer, Transfer, Escalate, Confirm, Reopen}

var actionNames = map[Action][2]string{
	Answer: {"答复", "Answer"}, Transfer: {"转办", "Transfer"}, Escalate: {"上报", "Escalate"},
	Confirm: {"确认已解决并评价", "Confirm solved and rate"}, Reopen: {"未解决,退回", "Not solved"},
}

// Name is the action in Chinese and English.
func (a Action) Name() (zh, en string) { n := actionNames[a]; return n[0], n[1] }

// Side is who acts: the unit handling the request, or the enterprise's side.
type Side int

const (
	Handler Side = iota + 1
	Asker
)

var moves = map[Action]struct {
	side Side
	from Status
	to   Status
}{
	Answer: {Handler, Open, Answered}, Transfer: {Handler, Open, Open}, Escalate: {Handler, Open, Open},
	Confirm: {Asker, Answered, Solved}, Reopen: {Asker, Answered, Open},
}

// Request is one request.
type Request struct {
	ID             int64      `json:"id"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name"`
	Kind           string     `json:"kind"`
	Description    string     `json:"description"`
	Urgent         bool       `json:"urgent"`
	Status         Status     `json:"status"`
	Unit           string     `json:"unit"`        // the unit that handles it now
	RegionCode     string     `json:"region_code"` // where that unit acts
	Escalated      bool       `json:"escalated"`
	Answer         string     `json:"answer"`
	Rating         int        `json:"rating,omitempty"` // 1–5, once confirmed
	Feedback       string     `json:"feedback"`         // the enterprise's words on confirming, or why it is not solved
	Due            time.Time  `json:"due"`
	Overdue        bool       `json:"overdue"`
	RaisedBy       string     `json:"raised_by"`
	AnsweredAt     *time.Time `json:"answered_at,omitempty"`
	SolvedAt       *time.Time `json:"solved_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Version        int        `json:"version"`
	Attachments    []File     `json:"attachments"`
	Actions        []Action   `json:"actions"` // what the caller may do now
}

// File is an attachment of a request.
type File struct {
	Name        string `json:"name"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// Filter selects requests.
type Filter struct {
	Status     string
	Kind       string
	Enterprise int64
	Q          string
	Overdue    bool
	Page       list.Page
}

// Input is a new request.
type Input struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Kind         string `json:"kind"`
	Description  string `json:"description"`
	Urgent       bool   `json:"urgent"`
}

// Validate normalises the input and reports every problem by field.
func (in *Input) Validate(pol *policy.Policy) error {
	in.Kind, in.Description = strings.TrimSpace(in.Kind), strings.TrimSpace(in.Description)
	var ps apperr.Problems
	if in.EnterpriseID <= 0 {
		ps.Add("enterprise_id", "请选择企业", "Choose the enterprise")
	}
	if _, ok := pol.RequestKind(in.Kind); !ok {
		ps.Add("kind", "请选择诉求类别", "Choose what the request is about")
	}
	switch n := utf8.RuneCountInString(in.Description); {
	case n < 5:
		ps.Add("description", "请说明需要帮助解决的问题(至少 5 个字)", "Say what help is needed (at least 5 characters)")
	case n > 2000:
		ps.Add("description", "说明最多 2000 字", "At most 2000 characters")
	}
	return ps.Err()
}

// Route is the unit that answers a request of kind about an enterprise in region, and
// the region it acts in (the enterprise's, cut to the unit's level).
func Route(pol *policy.Policy, kind, enterpriseRegion string) (unit, region string) {
	unit = pol.Requests.Unit
	if k, ok := pol.RequestKind(kind); ok && k.Unit != "" {
		unit = k.Unit
	}
	return unit, RegionFor(pol, unit, enterpriseRegion)
}

// RegionFor is the region a unit acts in for an enterprise of region: cut to its level.
func RegionFor(pol *policy.Policy, unit, region string) string {
	n := 0
	for _, u := range pol.Units {
		if u.Code == unit {
			n = map[string]int{"county": 6, "town": 9, "village": 12}[u.Level]
		}
	}
	if n == 0 || len(region) <= n {
		return region
	}
	return region[:n]
}

// Due is when a request raised at t must be answered.
func Due(pol *policy.Policy, t time.Time, urgent bool) time.Time {
	if urgent {
		return t.AddDate(0, 0, pol.Requests.UrgentDueDays)
	}
	return t.AddDate(0, 0, pol.Requests.DueDays)
}

// Overdue reports whether a request still with its unit is past its deadline.
func Overdue(s Status, due, now time.Time) bool { return s == Open && now.After(due) }

// Change is what an action asks for.
type Change struct {
	Action Action `json:"action"`
	Text   string `json:"comment"` // the answer, the reason, or the feedback
	Unit   string `json:"unit"`    // transfer: the unit it goes to
	Rating int    `json:"rating"`  // confirm: 1–5
}

// Outcome is a request after an action.
type Outcome struct {
	Status    Status
	Unit      string
	Escalated bool
}

// Apply checks an action by side on r and gives its outcome.
func Apply(pol *policy.Policy, r Request, side Side, c Change) (Outcome, error) {
	out := Outcome{Status: r.Status, Unit: r.Unit, Escalated: r.Escalated}
	m, ok := moves[c.Action]
	if !ok {
		return out, apperr.NewInvalid("action", "未知的操作", "Unknown action")
	}
	if m.side != side {
		return out, apperr.NewForbidden()
	}
	if r.Status != m.from {
		zh, en := c.Action.Name()
		szh, sen := r.Status.Name()
		return out, apperr.NewConflict("诉求当前状态为“"+szh+"”,不能"+zh, "The request is "+strings.ToLower(sen)+": it cannot be given the action "+en)
	}
	text := strings.TrimSpace(c.Text)
	var ps apperr.Problems
	switch c.Action {
	case Answer:
		if text == "" {
			ps.Add("comment", "请写明答复内容", "Write the answer")
		}
	case Transfer:
		if text == "" {
			ps.Add("comment", "请写明转办理由", "Give the reason for transferring")
		}
		switch _, known := unitOf(pol, c.Unit); {
		case !known:
			ps.Add("unit", "请选择转办单位", "Choose the unit it goes to")
		case c.Unit == r.Unit:
			ps.Add("unit", "不能转给本单位", "It is already with that unit")
		}
		out.Unit = c.Unit
	case Escalate:
		if text == "" {
			ps.Add("comment", "请写明上报理由", "Give the reason for escalating")
		}
		if r.Unit == pol.Requests.EscalateTo {
			ps.Add("action", "已在上报单位办理,不能再上报", "It is already with the unit requests are escalated to")
		}
		out.Unit, out.Escalated = pol.Requests.EscalateTo, true
	case Confirm:
		if c.Rating < 1 || c.Rating > 5 {
			ps.Add("rating", "请给答复打分(1–5 分)", "Rate the answer from 1 to 5")
		}
	case Reopen:
		if text == "" {
			ps.Add("comment", "请说明还有什么问题没有解决", "Say what is still not solved")
		}
	}
	if err := ps.Err(); err != nil {
		return Outcome{Status: r.Status, Unit: r.Unit, Escalated: r.Escalated}, err
	}
	out.Status = m.to
	return out, nil
}

func unitOf(pol *policy.Policy, code string) (policy.Unit, bool) {
	for _, u := range pol.Units {
		if u.Code == code {
			return u, true
		}
	}
	return policy.Unit{}, false
}

// Allowed lists the actions side may take on r.
func Allowed(r Request, side Side) []Action {
	var out []Action
	for _, a := range Actions {
		if m := moves[a]; m.side == side && m.from == r.Status {
			out = append(out, a)
		}
	}
	return out
}

// MayHandle reports whether p handles requests (the units' officials).
func MayHandle(p auth.Principal) bool { return p.Can(auth.RequestsHandle) }
