// Package health holds the rules of temperature checks (体温检测): what a valid reading
// is, when a reading is a fever, how many checks a day are owed, and which declared
// readings look copied.
//
// Seed, variants C and D: temperatures twice a day; 「发热、咳嗽等症状的,禁止进入」. The fever
// line and the checks per day are the policy's (`[health] fever_line`, `checks_per_day`).
package health

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/list"
	"fugong/internal/pass"
	"fugong/internal/policy"
	"fugong/internal/roster"
)

// The range of a plausible body temperature, °C, and the most readings sent at once.
const (
	MinTemperature = 30.0
	MaxTemperature = 45.0
	MaxBatch       = 1000
)

// Sources of a reading.
const (
	SourceCheckpoint = "checkpoint" // taken at a checkpoint by someone who records
	SourceDeclared   = "declared"   // declared by the person
	SourceGate       = "gate"       // taken with a pass scan at the gate
)

// Reading is one temperature reading to record: the person by employee id or by the
// token of the pass.
type Reading struct {
	EmployeeID  int64     `json:"employee_id,omitempty"`
	PassToken   string    `json:"pass_token,omitempty"`
	Temperature float64   `json:"temperature"`
	Symptoms    []string  `json:"symptoms,omitempty"`
	At          time.Time `json:"at,omitzero"`
	Checkpoint  string    `json:"checkpoint,omitempty"`
}

// CheckResult is a recorded reading.
type CheckResult struct {
	ID          int64     `json:"id"`
	EmployeeID  int64     `json:"employee_id"`
	Name        string    `json:"name"` // masked
	Temperature float64   `json:"temperature"`
	At          time.Time `json:"at"`
	Source      string    `json:"source"`
	Fever       bool      `json:"fever"`
	Suspended   int64     `json:"passes_suspended"`
	FollowUpID  int64     `json:"follow_up_id,omitempty"`
}

// Declaration is a temperature a staff account declares for its own person.
type Declaration struct {
	Temperature float64  `json:"temperature"`
	Symptoms    []string `json:"symptoms,omitempty"`
}

// FollowUp is the record opened by a fever or symptom (isolation, referral, outcome).
type FollowUp struct {
	ID             int64      `json:"id"`
	EmployeeID     int64      `json:"employee_id"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name"`
	Name           string     `json:"name"`
	CheckID        int64      `json:"check_id"`
	Temperature    float64    `json:"temperature"`
	Symptoms       string     `json:"symptoms"`
	OpenedAt       time.Time  `json:"opened_at"`
	Isolation      string     `json:"isolation"`
	Referral       string     `json:"referral"`
	Outcome        string     `json:"outcome"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
}

// FollowUpFilter selects follow-ups: the open ones only, or all; a page of them.
type FollowUpFilter struct {
	OpenOnly bool
	Page     list.Page
}

// FollowUpClose is what closing a follow-up records.
type FollowUpClose struct {
	Isolation string `json:"isolation"`
	Referral  string `json:"referral"`
	Outcome   string `json:"outcome"`
}

// Unchecked is a person with fewer checks today than the policy asks.
type Unchecked struct {
	EmployeeID int64  `json:"employee_id"`
	Name       string `json:"name"`
	Department string `json:"department"`
	Checks     int    `json:"checks"`
}

// RepeatFlag is a person whose declared readings repeat one value on 3+ consecutive days.
type RepeatFlag struct {
	EmployeeID  int64   `json:"employee_id"`
	Name        string  `json:"name"`
	Temperature float64 `json:"temperature"`
	Days        int     `json:"days"`
	LastDay     string  `json:"last_day"`
}

// CheckTemperature refuses a temperature outside the plausible range, on field.
func CheckTemperature(field string, t float64) error {
	if math.IsNaN(t) || t < MinTemperature || t > MaxTemperature {
		return apperr.NewInvalid(field, fmt.Sprintf("体温应在 %.1f 到 %.1f ℃ 之间", MinTemperature, MaxTemperature),
			fmt.Sprintf("The temperature must be from %.1f to %.1f °C", MinTemperature, MaxTemperature))
	}
	return nil
}

// Round is a temperature to the tenth of a degree, as recorded.
func Round(t float64) float64 { return math.Round(t*10) / 10 }

// CheckReading validates reading i of a batch and normalises it: the temperature rounded,
// symptoms trimmed (their commas made full-width, as they are stored comma-separated), the
// checkpoint trimmed.
func CheckReading(i int, r *Reading) error {
	field := func(f string) string { return fmt.Sprintf("readings[%d].%s", i, f) }
	if r.EmployeeID == 0 && strings.TrimSpace(r.PassToken) == "" {
		return apperr.NewInvalid(field("employee_id"), "请填写员工或扫描出入证", "Give the employee or scan the pass")
	}
	if err := CheckTemperature(field("temperature"), r.Temperature); err != nil {
		return err
	}
	r.Temperature = Round(r.Temperature)
	var syms []string
	for _, s := range r.Symptoms {
		if s = strings.TrimSpace(s); s != "" {
			syms = append(syms, strings.ReplaceAll(s, ",", ","))
		}
	}
	r.Symptoms = syms
	r.Checkpoint = strings.TrimSpace(r.Checkpoint)
	if utf8.RuneCountInString(r.Checkpoint) > 50 {
		return apperr.NewInvalid(field("checkpoint"), "检测点名称过长", "The checkpoint name is too long")
	}
	return nil
}

// CheckBatch refuses an empty batch or one over MaxBatch.
func CheckBatch(n int) error {
	if n == 0 {
		return apperr.NewInvalid("readings", "没有体温记录", "No readings")
	}
	if n > MaxBatch {
		return apperr.NewInvalid("readings", fmt.Sprintf("一次最多 %d 条", MaxBatch), fmt.Sprintf("At most %d readings at once", MaxBatch))
	}
	return nil
}

// CheckDeclaration validates a person's own declaration.
func CheckDeclaration(d Declaration) error {
	if err := CheckTemperature("temperature", d.Temperature); err != nil {
		return err
	}
	if len(d.Symptoms) > 20 {
		return apperr.NewInvalid("symptoms", "症状过多", "Too many symptoms")
	}
	for _, sym := range d.Symptoms {
		if utf8.RuneCountInString(sym) > 50 {
			return apperr.NewInvalid("symptoms", "症状描述过长", "A symptom is too long")
		}
	}
	return nil
}

// ErrOwnOnly refuses a declaration for somebody else.
func ErrOwnOnly(field string) error {
	return apperr.NewInvalid(field, "只能申报本人体温", "You can declare only your own temperature")
}

// ErrNotLinked refuses a declaration by an account not linked to a person.
var ErrNotLinked = apperr.NewConflict("账号尚未关联员工档案,请联系企业管理员关联后再申报",
	"The account is not linked to a person; ask the enterprise admin to link it")

// Fever is the one fever rule: a temperature at or above the policy's fever line, or any
// symptom, stops entry and suspends the pass. reason says which (pass.ReasonFever or
// pass.ReasonSymptom); it is "" when the reading is normal.
func Fever(h policy.Health, t float64, symptoms []string) (fever bool, reason string) {
	switch {
	case t >= h.FeverLine:
		return true, pass.ReasonFever
	case len(symptoms) > 0:
		return true, pass.ReasonSymptom
	}
	return false, ""
}

// FeverAlert is the text of the alert a fever raises (after the enterprise's name).
func FeverAlert(name string, t float64, symptoms []string) string {
	body := fmt.Sprintf("%s:体温 %.1f℃", roster.MaskName(name), t)
	if len(symptoms) > 0 {
		body += ",症状:" + strings.Join(symptoms, "、")
	}
	return body + ";出入证已暂停,请跟踪处置"
}

// MissedChecksAlert is the text of the alert of a day's missed checks (n people).
func MissedChecksAlert(day string, n, perDay int) string {
	return fmt.Sprintf("%s 有 %d 人体温检测少于每日 %d 次,出入证已暂停;核实后可在出入证页面恢复", day, n, perDay)
}

// ReadingTime is when a reading counts as taken: at, unless it is missing or more than
// five minutes ahead of now (a device clock running fast), in which case now.
func ReadingTime(at, now time.Time) time.Time {
	if at.IsZero() || at.After(now.Add(5*time.Minute)) {
		at = now
	}
	return at.UTC().Truncate(time.Microsecond)
}

// CheckClose validates and trims the closing of a follow-up: the outcome is required.
func CheckClose(c *FollowUpClose) error {
	c.Isolation, c.Referral, c.Outcome = strings.TrimSpace(c.Isolation), strings.TrimSpace(c.Referral), strings.TrimSpace(c.Outcome)
	if c.Outcome == "" {
		return apperr.NewInvalid("outcome", "请填写处置结果", "Enter the outcome")
	}
	return nil
}

// ErrClosed refuses closing a follow-up twice.
var ErrClosed = apperr.NewConflict("该跟踪记录已结案", "This follow-up is already closed")

// RepeatWindow is how far back declared readings are compared, and RepeatDays how many
// consecutive days of the same value raise a flag.
const (
	RepeatWindow = 14
	RepeatDays   = 3
)

// Declared is one declared reading, as the repeat rule reads it.
type Declared struct {
	EmployeeID  int64
	Name        string
	Day         string // YYYY-MM-DD in the policy's time zone
	Temperature float64
}

// Repeats flags the people whose declared readings (ordered by person, then day) repeat
// the exact same value on RepeatDays or more consecutive days: a sign of a copied rather
// than a taken temperature. Each person is flagged once, with the longest run.
func Repeats(rows []Declared, loc *time.Location) []RepeatFlag {
	type key struct {
		emp int64
		t   float64
	}
	names := map[int64]string{}
	days := map[key][]string{}
	var order []key
	for _, r := range rows {
		names[r.EmployeeID] = r.Name
		k := key{r.EmployeeID, math.Round(r.Temperature * 10)}
		ds := days[k]
		if len(ds) == 0 {
			order = append(order, k)
		}
		if len(ds) == 0 || ds[len(ds)-1] != r.Day {
			days[k] = append(ds, r.Day)
		}
	}
	out := []RepeatFlag{}
	flagged := map[int64]bool{}
	for _, k := range order {
		if flagged[k.emp] {
			continue
		}
		run, best, last := 1, 1, ""
		ds := days[k]
		for i := 1; i < len(ds); i++ {
			a, ok1 := roster.ParseDate(ds[i-1], loc)
			b, ok2 := roster.ParseDate(ds[i], loc)
			if ok1 && ok2 && roster.FormatDate(a.AddDate(0, 0, 1), loc) == roster.FormatDate(b, loc) {
				run++
			} else {
				run = 1
			}
			if run >= best {
				best, last = run, ds[i]
			}
		}
		if best >= RepeatDays {
			flagged[k.emp] = true
			out = append(out, RepeatFlag{EmployeeID: k.emp, Name: roster.MaskName(names[k.emp]), Temperature: k.t / 10, Days: best, LastDay: last})
		}
	}
	return out
}
