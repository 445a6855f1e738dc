package roster

import (
	"fmt"
	"time"

	"fugong/internal/policy"
)

// Phase is where a person stands on the clock.
type Phase string

// Phases.
const (
	Isolating        Phase = "isolating"          // isolated until Until
	Monitoring       Phase = "monitoring"         // at work, temperature checked ChecksPerDay times a day until Until
	AdvisedNotReturn Phase = "advised_not_return" // from where the policy advises not to return early, and not back yet
	Cleared          Phase = "cleared"            // no measure (any more)
	NotReturned      Phase = "not_returned"       // not back yet: no return date, or one still to come
)

// Phases lists the phases in the order of the lists.
var Phases = []Phase{Isolating, Monitoring, AdvisedNotReturn, Cleared, NotReturned}

// PhaseNames are the Chinese and English names of the phases.
var PhaseNames = map[Phase][2]string{
	Isolating:        {"隔离中", "Isolating"},
	Monitoring:       {"健康监测中", "Monitoring"},
	AdvisedNotReturn: {"劝暂缓返岗", "Advised not to return"},
	Cleared:          {"可正常上岗", "Cleared"},
	NotReturned:      {"未返岗", "Not returned"},
}

// Status is the clock of one person on one day.
type Status struct {
	Phase Phase `json:"phase"`
	// Until is the last day of the isolation or monitoring (midnight in the policy's time
	// zone); zero when no measure runs.
	Until time.Time `json:"until,omitzero"`
	// DaysLeft is the number of days from today to Until (0 on the last day).
	DaysLeft       int    `json:"days_left"`
	JourneyTooLong bool   `json:"journey_too_long"`
	Reason         string `json:"reason"`
	ReasonEN       string `json:"reason_en"`
}

// Day is the calendar day of t in loc, as midnight in loc.
func Day(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// daysBetween counts calendar days from a to b (both midnights in one zone).
func daysBetween(a, b time.Time) int {
	// Dates, not durations: immune to daylight saving and leap seconds.
	ua := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	ub := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}

func zhDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}
func enDate(t time.Time) string { return t.Format("2 January 2006") }

// plural writes a count of a noun in English: "1 day", "0 days", "3 days".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Clock computes where e stands at now under the policy. Days are counted in the policy's
// time zone from the day of return, which is day 0: with a 14-day measure, a person back
// on 30 January (at any hour of that local day) is under it up to and including
// 13 February and cleared on 14 February. Before the day of return the person is not
// back yet (or advised not to return, where the policy says so): no measure runs.
func Clock(pol *policy.Policy, e Employee, now time.Time) Status {
	st := clock(pol, e, now)
	if st.JourneyTooLong {
		max := pol.Health.JourneyMaxHours
		st.Reason += fmt.Sprintf(";途中%g小时,超过规定的%d小时", e.JourneyHours, max)
		st.ReasonEN += fmt.Sprintf("; the journey took %g hours, more than the %d allowed", e.JourneyHours, max)
		if c := pol.Clause("health.journey_max_hours"); c != "" {
			st.Reason += "(" + c + ")"
			st.ReasonEN += " (" + c + ")"
		}
	}
	return st
}

func clock(pol *policy.Policy, e Employee, now time.Time) Status {
	loc := pol.Location()
	today := Day(now, loc)
	var st Status
	if max := pol.Health.JourneyMaxHours; max > 0 && e.JourneyHours > float64(max) {
		st.JourneyTooLong = true
	}
	oc, known := pol.OriginClass(e.Origin)
	if !known {
		// A class the policy no longer has: be careful, isolate as the policy's figure says.
		oc = policy.OriginClass{Code: e.Origin, Name: e.Origin, NameEN: e.Origin, Measure: policy.MeasureIsolate,
			Days: pol.Health.IsolationDays, Clause: pol.Clause("health.isolation_days")}
	}
	clause := func() (string, string) {
		if oc.Clause == "" {
			return "", ""
		}
		return "(" + oc.Clause + ")", " (" + oc.Clause + ")"
	}
	cz, ce := clause()
	// The origin names a place ("Same province, other city"), so the English says
	// "Origin: …" rather than gluing it to a preposition.
	origin, originEN := "来自"+oc.Name, "Origin: "+oc.NameEN
	var back time.Time
	if !e.ReturnDate.IsZero() {
		back = Day(e.ReturnDate, loc)
	}
	if back.IsZero() || today.Before(back) {
		expected, expectedEN := "", ""
		if !back.IsZero() {
			expected, expectedEN = ",预计"+zhDate(back)+"返岗", "; expected back on "+enDate(back)
		}
		if oc.Measure == policy.MeasureAdviseNotReturn {
			st.Phase = AdvisedNotReturn
			st.Reason = origin + ",原则上劝其暂缓返岗" + expected + cz
			st.ReasonEN = originEN + "; advised not to return early" + expectedEN + ce
			return st
		}
		st.Phase = NotReturned
		if back.IsZero() {
			st.Reason, st.ReasonEN = "尚未填写返岗日期", "No return date yet"
			return st
		}
		st.Reason = origin + ",尚未返岗" + expected
		st.ReasonEN = originEN + "; not back yet" + expectedEN
		return st
	}
	var phase Phase
	var zhWhat, enWhat string
	switch oc.Measure {
	case policy.MeasureMonitor:
		phase, zhWhat, enWhat = Monitoring, fmt.Sprintf("每日%d次体温监测", pol.Health.ChecksPerDay), fmt.Sprintf("temperature checks %d times a day", pol.Health.ChecksPerDay)
	case policy.MeasureIsolate, policy.MeasureAdviseNotReturn:
		phase, zhWhat, enWhat = Isolating, "单独隔离", "isolation"
	default:
		st.Phase = Cleared
		st.Reason = origin + ",无需隔离或监测" + cz
		st.ReasonEN = originEN + "; no isolation or monitoring needed" + ce
		return st
	}
	until := back.AddDate(0, 0, oc.Days)
	if left := daysBetween(today, until); left >= 0 && oc.Days > 0 {
		st.Phase, st.Until, st.DaysLeft = phase, until, left
		st.Reason = fmt.Sprintf("%s,%s返岗,%s%d天至%s,还剩%d天%s", origin, zhDate(back), zhWhat, oc.Days, zhDate(until), left, cz)
		st.ReasonEN = fmt.Sprintf("%s; back on %s: %s for %d days until %s, %s left%s", originEN, enDate(back), enWhat, oc.Days, enDate(until), plural(left, "day"), ce)
		return st
	}
	st.Phase = Cleared
	st.Reason = fmt.Sprintf("%s,%s返岗,%d天%s已于%s期满%s", origin, zhDate(back), oc.Days, zhWhat, zhDate(until), cz)
	st.ReasonEN = fmt.Sprintf("%s; back on %s: %d days of %s ended on %s%s", originEN, enDate(back), oc.Days, enWhat, enDate(until), ce)
	return st
}

// ClearedOn is the first day on which the person is cleared: the day after Until. It is
// zero when no measure runs (the person is cleared already, or not back).
func (s Status) ClearedOn() time.Time {
	if s.Until.IsZero() {
		return time.Time{}
	}
	return s.Until.AddDate(0, 0, 1)
}

// ClearedOnDay reports whether the measure ends so that the person is cleared on day
// (a midnight in the policy's zone, or any instant of that day).
func (s Status) ClearedOnDay(day time.Time) bool {
	c := s.ClearedOn()
	if c.IsZero() {
		return false
	}
	d := day.In(c.Location())
	return c.Year() == d.Year() && c.Month() == d.Month() && c.Day() == d.Day()
}

// Counts are the clock's totals over a list.
type Counts struct {
	Total            int `json:"total"`
	Isolating        int `json:"isolating"`
	Monitoring       int `json:"monitoring"`
	AdvisedNotReturn int `json:"advised_not_return"`
	Cleared          int `json:"cleared"`
	NotReturned      int `json:"not_returned"`
	ClearedTomorrow  int `json:"cleared_tomorrow"`
	JourneyTooLong   int `json:"journey_too_long"`
}

// Add counts one person's status; tomorrow is the day after today in the policy's zone.
func (c *Counts) Add(s Status, tomorrow time.Time) {
	c.Total++
	switch s.Phase {
	case Isolating:
		c.Isolating++
	case Monitoring:
		c.Monitoring++
	case AdvisedNotReturn:
		c.AdvisedNotReturn++
	case Cleared:
		c.Cleared++
	case NotReturned:
		c.NotReturned++
	}
	if s.ClearedOnDay(tomorrow) {
		c.ClearedTomorrow++
	}
	if s.JourneyTooLong {
		c.JourneyTooLong++
	}
}

// Tomorrow is the day after now's day in the policy's zone.
func Tomorrow(pol *policy.Policy, now time.Time) time.Time {
	return Day(now, pol.Location()).AddDate(0, 0, 1)
}

// Stored is what the store keeps of a person's clock, so that lists count and filter by
// phase in SQL: the phase today, the day it changes next (zero when it never changes by
// itself) and whether the journey was over the policy's limit.
type Stored struct {
	Phase          Phase
	Next           time.Time
	JourneyTooLong bool
}

// Stored is the status's stored form for e (whose return day starts a phase that is
// still to come).
func (s Status) Stored(e Employee, loc *time.Location) Stored {
	st := Stored{Phase: s.Phase, JourneyTooLong: s.JourneyTooLong}
	switch s.Phase {
	case Isolating, Monitoring:
		st.Next = s.ClearedOn()
	case NotReturned, AdvisedNotReturn:
		if !e.ReturnDate.IsZero() {
			st.Next = Day(e.ReturnDate, loc)
		}
	}
	return st
}

// AddStored counts n people of one phase, of whom clearedTomorrow are under a measure
// that ends today and journeyTooLong travelled too long: the counts of a list read from
// the stored clocks (Stored) with one GROUP BY instead of a clock per person.
func (c *Counts) AddStored(p Phase, n, clearedTomorrow, journeyTooLong int) {
	c.Total += n
	switch p {
	case Isolating:
		c.Isolating += n
	case Monitoring:
		c.Monitoring += n
	case AdvisedNotReturn:
		c.AdvisedNotReturn += n
	case Cleared:
		c.Cleared += n
	case NotReturned:
		c.NotReturned += n
	}
	if p == Isolating || p == Monitoring {
		c.ClearedTomorrow += clearedTomorrow
	}
	c.JourneyTooLong += journeyTooLong
}

// Of is the number counted in phase p (Total when p is empty).
func (c Counts) Of(p Phase) int {
	switch p {
	case "":
		return c.Total
	case Isolating:
		return c.Isolating
	case Monitoring:
		return c.Monitoring
	case AdvisedNotReturn:
		return c.AdvisedNotReturn
	case Cleared:
		return c.Cleared
	case NotReturned:
		return c.NotReturned
	}
	return 0
}
