// Package appointment holds the rules of appointments (预约服务): 己方案 「开通“预约服务、提前
// 介入、即到即办、帮办代办”审批绿色通道」. A unit publishes slots for on-site acceptance and for
// its counter; an enterprise books one (for its application, when it has one), or the unit
// proposes a time that the enterprise accepts; either side may change it, and a missed or
// changed appointment is recorded.
package appointment

import (
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/list"
	"fugong/internal/policy"
)

// Service is what an appointment is for.
type Service string

const (
	Acceptance Service = "acceptance" // 现场验收
	Counter    Service = "counter"    // 窗口办理 (帮办代办)
)

// Services lists every service.
var Services = []Service{Acceptance, Counter}

var serviceNames = map[Service][2]string{Acceptance: {"现场验收", "On-site acceptance"}, Counter: {"窗口办理", "Counter service"}}

// Name is the service in Chinese and English.
func (s Service) Name() (zh, en string) { n := serviceNames[s]; return n[0], n[1] }

// Status is where an appointment stands.
type Status string

const (
	Proposed  Status = "proposed"  // the unit proposed a time; the enterprise has not accepted it
	Booked    Status = "booked"    // agreed
	Done      Status = "done"      // held
	Missed    Status = "missed"    // the enterprise did not come (or was not there)
	Cancelled Status = "cancelled" // called off by either side
)

// Statuses lists every status.
var Statuses = []Status{Proposed, Booked, Done, Missed, Cancelled}

var statusNames = map[Status][2]string{Proposed: {"待企业确认", "Proposed"}, Booked: {"已预约", "Booked"}, Done: {"已办结", "Done"},
	Missed: {"失约", "Missed"}, Cancelled: {"已取消", "Cancelled"}}

// Name is the status in Chinese and English.
func (s Status) Name() (zh, en string) { n := statusNames[s]; return n[0], n[1] }

// Side is who acts: the unit or the enterprise.
type Side int

const (
	Unit Side = iota + 1
	Firm
)

// Action is what is done to an appointment.
type Action string

const (
	Accept Action = "accept" // the enterprise accepts a proposed time
	Change Action = "change" // either side moves it to another time (with a reason)
	Cancel Action = "cancel" // either side calls it off (with a reason)
	Hold   Action = "done"   // the unit records it as held
	Miss   Action = "missed" // the unit records that it was missed
)

// Actions lists every action.
var Actions = []Action{Accept, Change, Cancel, Hold, Miss}

var actionNames = map[Action][2]string{Accept: {"确认预约", "Accept"}, Change: {"改约", "Change the time"}, Cancel: {"取消预约", "Cancel"},
	Hold: {"已办结", "Held"}, Miss: {"登记失约", "Record as missed"}}

// Name is the action in Chinese and English.
func (a Action) Name() (zh, en string) { n := actionNames[a]; return n[0], n[1] }

var moves = map[Action]struct {
	sides []Side
	from  []Status
	to    Status
	text  bool // needs a reason
}{
	Accept: {[]Side{Firm}, []Status{Proposed}, Booked, false},
	Change: {[]Side{Unit, Firm}, []Status{Proposed, Booked}, Booked, true},
	Cancel: {[]Side{Unit, Firm}, []Status{Proposed, Booked}, Cancelled, true},
	Hold:   {[]Side{Unit}, []Status{Booked}, Done, false},
	Miss:   {[]Side{Unit}, []Status{Booked}, Missed, false},
}

// Slot is a time a unit offers.
type Slot struct {
	ID         int64     `json:"id"`
	Unit       string    `json:"unit"`
	RegionCode string    `json:"region_code"`
	Service    Service   `json:"service"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Capacity   int       `json:"capacity"`
	Booked     int       `json:"booked"`
	Place      string    `json:"place"`
}

// Free reports whether the slot can still be booked at now.
func (s Slot) Free(now time.Time) bool { return s.StartsAt.After(now) && s.Booked < s.Capacity }

// Appointment is one appointment.
type Appointment struct {
	ID             int64     `json:"id"`
	SlotID         int64     `json:"slot_id,omitempty"`
	EnterpriseID   int64     `json:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name"`
	ApplicationID  int64     `json:"application_id,omitempty"`
	Unit           string    `json:"unit"`
	RegionCode     string    `json:"region_code"`
	Service        Service   `json:"service"`
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
	Place          string    `json:"place"`
	Status         Status    `json:"status"`
	Changes        int       `json:"changes"` // times it was moved
	Note           string    `json:"note"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Version        int       `json:"version"`
	Actions        []Action  `json:"actions"`
}

// Filter selects slots and appointments.
type Filter struct {
	Status     string
	Enterprise int64
	Page       list.Page
}

// CheckSlot validates a slot to publish at now.
func CheckSlot(s *Slot, now time.Time) error {
	s.Place = strings.TrimSpace(s.Place)
	var ps apperr.Problems
	if _, ok := serviceNames[s.Service]; !ok {
		ps.Add("service", "请选择服务类别", "Choose the service")
	}
	if !s.StartsAt.After(now) {
		ps.Add("starts_at", "开始时间须晚于现在", "The start must be in the future")
	}
	if !s.EndsAt.After(s.StartsAt) {
		ps.Add("ends_at", "结束时间须晚于开始时间", "The end must come after the start")
	} else if s.EndsAt.Sub(s.StartsAt) > 12*time.Hour {
		ps.Add("ends_at", "一个时段最长 12 小时", "A slot lasts at most 12 hours")
	}
	if s.Capacity < 1 || s.Capacity > 50 {
		ps.Add("capacity", "可预约数须为 1–50", "Capacity from 1 to 50")
	}
	if utf8.RuneCountInString(s.Place) > 200 {
		ps.Add("place", "地点最多 200 字", "At most 200 characters")
	}
	return ps.Err()
}

// OfferedUnits are the units of the policy (units) a manager offers slots and proposes
// times for: those it acts for (acting, policy.UnitsOf: a department its own, a town's
// official its town's units), every one for the administrator of everything (all).
func OfferedUnits(units []policy.Unit, acting []string, all bool) []policy.Unit {
	if all {
		return units
	}
	var out []policy.Unit
	for _, u := range units {
		if contains(acting, u.Code) {
			out = append(out, u)
		}
	}
	return out
}

// CheckUnit refuses a unit that is not among the units a manager offers for (offered,
// OfferedUnits); a manager offering for none is told so.
func CheckUnit(unit string, offered []policy.Unit) error {
	for _, u := range offered {
		if u.Code == unit {
			return nil
		}
	}
	switch {
	case len(offered) == 0:
		return apperr.NewInvalid("unit", "您的账号不代表任何单位,不能提供预约服务", "Your account acts for no unit: it cannot offer appointments")
	case unit == "":
		return apperr.NewInvalid("unit", "请选择提供服务的单位", "Choose the unit that offers it")
	}
	return apperr.NewInvalid("unit", "只能为本人所代表的单位提供预约服务", "Appointments can be offered only for a unit you act for")
}

// CanBook refuses a slot that is past or full.
func CanBook(s Slot, now time.Time) error {
	switch {
	case !s.StartsAt.After(now):
		return apperr.NewConflict("该时段已过,请另选", "The slot is past; choose another")
	case s.Booked >= s.Capacity:
		return apperr.NewConflict("该时段已约满,请另选", "The slot is full; choose another")
	}
	return nil
}

// Apply checks an action by side on a and gives the status it leads to. starts and ends
// are the new time of a change.
func Apply(a Appointment, side Side, act Action, reason string, starts, ends time.Time, now time.Time) (Status, error) {
	m, ok := moves[act]
	if !ok {
		return a.Status, apperr.NewInvalid("action", "未知的操作", "Unknown action")
	}
	if !contains(m.sides, side) {
		return a.Status, apperr.NewForbidden()
	}
	if !contains(m.from, a.Status) {
		zh, en := act.Name()
		szh, sen := a.Status.Name()
		return a.Status, apperr.NewConflict("预约当前状态为“"+szh+"”,不能"+zh, "The appointment is "+strings.ToLower(sen)+": it cannot be given the action "+en)
	}
	var ps apperr.Problems
	if m.text && strings.TrimSpace(reason) == "" {
		ps.Add("comment", "请写明理由,对方将看到它", "Give the reason; the other side reads it")
	}
	if act == Change {
		if !starts.After(now) {
			ps.Add("starts_at", "新的时间须晚于现在", "The new time must be in the future")
		}
		if !ends.After(starts) {
			ps.Add("ends_at", "结束时间须晚于开始时间", "The end must come after the start")
		}
	}
	if (act == Hold || act == Miss) && now.Before(a.StartsAt) {
		ps.Add("action", "预约时间未到", "The appointment has not begun")
	}
	if err := ps.Err(); err != nil {
		return a.Status, err
	}
	return m.to, nil
}

// Allowed lists the actions side may take on a.
func Allowed(a Appointment, side Side) []Action {
	var out []Action
	for _, act := range Actions {
		if m := moves[act]; contains(m.sides, side) && contains(m.from, a.Status) {
			out = append(out, act)
		}
	}
	return out
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
