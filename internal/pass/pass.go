// Package pass holds the rules of the entry pass (出入证): its states, the reasons it is
// suspended or revoked, who may hold one, and what its holder is told.
//
// A pass needs a valid resumption notice and a person whom the quarantine clock lets
// work (seed, variant C: 「由所属各级网格长审批后,签发出入证」; variant D §2.6). A fever or
// symptom, missed daily checks, leaving the enterprise or a revoked notice stop it.
package pass

import (
	"fmt"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/roster"
)

// Statuses of a pass.
const (
	Requested = "requested" // asked for, waiting for the grid leader
	Active    = "active"
	Suspended = "suspended" // stopped until the cause is cleared (fever, missed checks)
	Revoked   = "revoked"   // for good (left, by hand)
)

// Reasons of a suspension or revocation.
const (
	ReasonFever         = "fever"
	ReasonSymptom       = "symptom"
	ReasonMissedChecks  = "missed_checks"
	ReasonLeft          = "left"
	ReasonManual        = "manual"
	ReasonNoticeRevoked = "notice_revoked" // computed when checked, never stored
	ReasonGridRefused   = "grid_refused"   // a level of the grid chain refused it (its level and reason: internal/grid)
)

var reasonNames = map[string][2]string{
	ReasonFever:         {"体温异常(发热)", "Fever"},
	ReasonSymptom:       {"有发热、咳嗽等症状", "Symptoms reported"},
	ReasonMissedChecks:  {"未按规定完成每日体温检测", "Missed the required daily checks"},
	ReasonLeft:          {"已离职", "Has left the enterprise"},
	ReasonManual:        {"人工撤销", "Revoked by hand"},
	ReasonGridRefused:   {"网格长审批不同意", "Refused by a grid leader"},
	ReasonNoticeRevoked: {"企业复工通知书已撤销,严禁复工", "The enterprise's resumption notice is revoked: no production allowed"},
	ReasonReissued:      {"出入证已重新签发,此二维码作废,请使用新的二维码", "The pass was issued again: this QR code is void, use the new one"},
}

// ReasonName is the Chinese and English words of a reason; an unknown reason is itself.
func ReasonName(reason string) (zh, en string) {
	if n, ok := reasonNames[reason]; ok {
		return n[0], n[1]
	}
	return reason, reason
}

// Pass is an entry pass of an employee.
type Pass struct {
	ID             int64      `json:"id"`
	EmployeeID     int64      `json:"employee_id"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name"`
	Name           string     `json:"name"` // masked
	Department     string     `json:"department"`
	Status         string     `json:"status"`
	Reason         string     `json:"reason,omitempty"`
	Token          string     `json:"token,omitempty"`
	RequestedAt    time.Time  `json:"requested_at"`
	IssuedAt       *time.Time `json:"issued_at,omitempty"`  // approved, or re-issued when re-activated
	ExpiresAt      *time.Time `json:"expires_at,omitempty"` // what its token carries; absent before approval
	ApprovedBy     int64      `json:"approved_by,omitempty"`
}

// Expiry is when a pass issued at issued stops opening the gate: it is valid for the
// policy's pass_valid_days calendar days counting the day of issue, until midnight (the
// policy's time zone) at the end of the last one. A guard's shift never sees it expire
// in the middle of a day.
func Expiry(issued time.Time, h policy.Health, loc *time.Location) time.Time {
	return roster.Day(issued, loc).AddDate(0, 0, h.PassValidDays)
}

// LastDay is the last day a pass expiring at expires is valid, as midnight in loc.
func LastDay(expires time.Time, loc *time.Location) time.Time {
	return roster.Day(expires.Add(-time.Nanosecond), loc)
}

// Expired reports whether the pass's token is past its expiry at now; a pass not issued
// yet has none.
func (p Pass) Expired(now time.Time) bool {
	return p.ExpiresAt != nil && !now.Before(*p.ExpiresAt)
}

// Superseded reports whether a pass token issued at tokenIssued was replaced by a later
// issue of the same pass (re-activation, renewal), which was issued at passIssued: a token
// carries its issue time to the second.
func Superseded(tokenIssued, passIssued time.Time) bool {
	return !tokenIssued.Equal(passIssued.Truncate(time.Second))
}

// ReasonReissued is why an old token of a re-issued pass no longer counts (never stored).
const ReasonReissued = "reissued"

// ExpiredWords say that a pass expiring at expires has expired, with its last day.
func ExpiredWords(expires time.Time, loc *time.Location) (zh, en string) {
	d := LastDay(expires, loc)
	return fmt.Sprintf("出入证已过期(有效期至%d年%d月%d日)", d.Year(), int(d.Month()), d.Day()),
		"The pass has expired (it was valid until " + d.Format("2 January 2006") + ")"
}

// CheckStatus accepts a status filter: empty (any) or one of the four statuses.
func CheckStatus(s string) error {
	switch s {
	case "", Requested, Active, Suspended, Revoked:
		return nil
	}
	return apperr.NewInvalid("status", "状态应为 requested、active、suspended 或 revoked", "The status must be requested, active, suspended or revoked")
}

// RevokeReason checks the reason given for revoking a pass by hand: left or manual
// (the default).
func RevokeReason(reason string) (string, error) {
	switch reason {
	case "":
		return ReasonManual, nil
	case ReasonLeft, ReasonManual:
		return reason, nil
	}
	return "", apperr.NewInvalid("reason", "撤销原因应为 left(离职)或 manual(其他)", "The reason must be left or manual")
}

// Holder is what eligibility looks at of a person.
type Holder struct {
	Name        string
	Left        bool
	NoticeValid bool          // the enterprise holds an unrevoked resumption notice
	Clock       roster.Status // the quarantine clock today
}

// Eligible says why a person may not hold a pass, or nil.
//
// Isolating persons, persons advised not to return and persons not back yet never get
// one. Monitored persons do: variant D (§2.6) has in-city staff from another district
// "if no symptoms, take the temperature twice a day for 14 days" — they are at work while
// monitored, and the twice-daily checks are enforced by the pass itself (missed checks and
// the fever rule suspend it), so refusing them would contradict the clause.
func Eligible(h Holder) error {
	if h.Left {
		return apperr.NewInvalid("employee_id", h.Name+"已离职,不能办理出入证", h.Name+" has left; no pass")
	}
	if !h.NoticeValid {
		return apperr.NewInvalid("employee_id", "企业尚未取得有效的复工通知书,严禁复工,不能办理出入证",
			"The enterprise holds no valid resumption notice; no passes")
	}
	if p := h.Clock.Phase; p != roster.Cleared && p != roster.Monitoring {
		n := roster.PhaseNames[p]
		return apperr.NewInvalid("employee_id", h.Name+":"+n[0]+",不能办理出入证("+h.Clock.Reason+")",
			h.Name+": "+n[1]+"; no pass ("+h.Clock.ReasonEN+")")
	}
	return nil
}

// CanRequest refuses a request for a person who already holds a pass or a request that
// is not revoked (open counts them).
func CanRequest(name string, open int) error {
	if open > 0 {
		return apperr.NewConflict(name+"已有出入证或申请", name+" already has a pass or a request")
	}
	return nil
}

// CanApprove refuses approving a pass that is not waiting for approval.
func CanApprove(id int64, status string) error {
	if status != Requested {
		return apperr.NewConflict(fmt.Sprintf("出入证 %d 不是待批准状态", id), fmt.Sprintf("Pass %d is not waiting for approval", id))
	}
	return nil
}

// CanReactivate says whether a pass may be re-activated: a suspended one once its holder's
// health follow-ups are closed (openFollowUps), or an active one whose token has expired
// (renewal). Either way a new token is issued with a new expiry, after the holder's
// eligibility is checked again.
func CanReactivate(status string, openFollowUps int, expired bool) error {
	if status != Suspended && !(status == Active && expired) {
		return apperr.NewConflict("只有暂停或已过期的出入证可以恢复", "Only a suspended or expired pass can be re-activated")
	}
	if openFollowUps > 0 {
		return apperr.NewConflict("该员工的健康异常跟踪尚未结案,不能恢复出入证", "The person's health follow-up is still open; close it first")
	}
	return nil
}

// Suspendable are the statuses a fever, a symptom or missed checks suspend.
var Suspendable = [2]string{Active, Requested}

// DailyJobsAfter is how long after midnight (the policy's time zone) a day's missed
// checks are judged: readings taken just before midnight have arrived by then.
const DailyJobsAfter = 10 * time.Minute

// MissedChecksDay is the day whose missed checks are judged at now: the day before, and
// whether it is over long enough (DailyJobsAfter past midnight) to judge it.
func MissedChecksDay(now time.Time, loc *time.Location) (day time.Time, due bool) {
	today := roster.Day(now, loc)
	return today.AddDate(0, 0, -1), !now.Before(today.Add(DailyJobsAfter))
}

// Standing is what public verification says of a pass: whether it stands, and nothing
// of the person, nor why or since when it does not (a suspension's reason may be the
// holder's health: a fever).
type Standing struct {
	Found bool // a pass that was ever issued
	Valid bool // active, and the enterprise holds a valid notice
}

// StandingOf is the standing of a pass with status, of an enterprise whose notice is
// valid or not. A requested pass was never issued: not found. Suspended, revoked, and
// active under a revoked notice are one answer: not in force.
func StandingOf(status string, noticeValid bool) Standing {
	switch {
	case status == Requested:
		return Standing{}
	case status == Active && noticeValid:
		return Standing{Found: true, Valid: true}
	}
	return Standing{Found: true}
}

// NotInForce is what public verification says of a found pass that is not valid: the
// same words whatever the reason.
var NotInForce = [2]string{"无效:出入证已暂停或撤销,不得凭此通行", "Not valid: the pass is suspended or revoked and does not permit passage"}

// States of a holder's own pass: what the gate would answer now, before the temperature.
const (
	StateOK          = "ok"
	StateNoPass      = "no_pass"
	StateNotApproved = "not_approved"
	StateSuspended   = "suspended"
	StateRevoked     = "revoked"
	StateLeft        = "left"
	StateNoNotice    = "no_notice"
	StateExpired     = "expired"
)

// Own says what the gate would answer at now for the holder's current pass p (nil when
// none), in the order the gate checks (the token's expiry first), with the state in words
// (dates in loc).
func Own(p *Pass, left, noticeValid bool, now time.Time, loc *time.Location) (state, zh, en string) {
	switch {
	case p != nil && p.Status != Requested && p.Expired(now):
		zh, en := ExpiredWords(*p.ExpiresAt, loc)
		return StateExpired, zh + ",请联系企业防疫专人续办", en + "; ask the enterprise's prevention officer to renew it"
	case p == nil && left:
		zh, en := ReasonName(ReasonLeft)
		return StateLeft, zh, en
	case p == nil && !noticeValid:
		return StateNoNotice, "企业尚未取得有效的复工通知书,严禁复工,暂不能办理出入证",
			"The enterprise holds no valid resumption notice: no production allowed and no pass yet"
	case p == nil:
		return StateNoPass, "尚无出入证,请联系企业防疫专人办理", "No entry pass yet; ask the enterprise's prevention officer"
	case p.Status == Requested:
		return StateNotApproved, "出入证已申请,等待网格长批准", "The pass is requested and waits for the grid leader's approval"
	case p.Status == Suspended:
		zh, en := ReasonName(p.Reason)
		return StateSuspended, "出入证已暂停:" + zh, "The pass is suspended: " + en
	case p.Status == Revoked:
		zh, en := ReasonName(p.Reason)
		return StateRevoked, "出入证已撤销:" + zh, "The pass is revoked: " + en
	case left:
		zh, en := ReasonName(ReasonLeft)
		return StateLeft, zh, en
	case !noticeValid:
		zh, en := ReasonName(ReasonNoticeRevoked)
		return StateNoNotice, zh, en
	}
	return StateOK, "出入证有效,准予通行", "The pass is valid: entry allowed"
}

// Unlinked is what an account not linked to a person is told on its own page.
var Unlinked = [2]string{"账号尚未关联员工档案", "The account is not linked to a person"}

// MyCheck is one of a person's readings of the day, as the person sees it.
type MyCheck struct {
	At          time.Time `json:"at"`
	Temperature float64   `json:"temperature"`
	Symptoms    []string  `json:"symptoms"`
	Source      string    `json:"source"` // checkpoint, declared, gate
	Fever       bool      `json:"fever"`
}

// Me is what a staff account sees of itself: the person it is linked to, the clock, the
// current pass with what the gate would answer now, and today's readings. Linked is
// false (and the rest empty) for an account not linked to anybody.
type Me struct {
	Linked         bool           `json:"linked"`
	EmployeeID     int64          `json:"employee_id,omitempty"`
	Name           string         `json:"name,omitempty"` // the person's own name, in full
	EnterpriseID   int64          `json:"enterprise_id,omitempty"`
	EnterpriseName string         `json:"enterprise_name,omitempty"`
	Department     string         `json:"department,omitempty"`
	Status         *roster.Status `json:"status,omitempty"` // the quarantine and monitoring clock
	Pass           *Pass          `json:"pass"`             // the current pass; null when none
	State          string         `json:"state"`            // ok, no_pass, not_approved, expired, suspended, revoked, left, no_notice
	Allow          bool           `json:"allow"`            // whether the gate lets the person in now (before the temperature)
	Message        string         `json:"message"`          // the state in words
	MessageEN      string         `json:"message_en"`
	Day            string         `json:"day"` // today in the policy's time zone
	Today          []MyCheck      `json:"today"`
	ChecksPerDay   int            `json:"checks_per_day"`
	FeverLine      float64        `json:"fever_line"`
}

// NewMe is a holder's own page for day, before anything is known of the holder: the
// policy's checks per day and fever line, no readings.
func NewMe(day string, h policy.Health) Me {
	return Me{Day: day, Today: []MyCheck{}, ChecksPerDay: h.ChecksPerDay, FeverLine: h.FeverLine}
}

// Filter selects passes.
type Filter struct {
	EnterpriseID int64
	Status       string
	Page         list.Page
}
