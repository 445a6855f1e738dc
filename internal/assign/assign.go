// Package assign holds the rules of 包保 (responsibility): officials assigned to enterprises
// in the duties of the policy, when an assignment is in force, which duties an enterprise
// must have someone in and which it lacks (「不漏一户、不落一企」), and the visits
// (走访记录) officials log.
package assign

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/roster"
)

// Assignment is one official answerable for one enterprise in one duty, from StartsOn to
// EndsOn (both days included; EndsOn empty: open).
type Assignment struct {
	ID             int64     `json:"id"`
	EnterpriseID   int64     `json:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name,omitempty"`
	USCC           string    `json:"uscc,omitempty"` // the enterprise's credit code: names it in an import
	RegionCode     string    `json:"region_code,omitempty"`
	RegionName     string    `json:"region_name,omitempty"`
	Duty           string    `json:"duty"`
	UserID         int64     `json:"user_id,omitempty"`  // the official's account, 0 for a contact without one
	Username       string    `json:"username,omitempty"` // the account's login name
	Name           string    `json:"name"`
	Phone          string    `json:"phone,omitempty"`
	Unit           string    `json:"unit,omitempty"` // the official's own unit or post
	StartsOn       string    `json:"starts_on"`      // YYYY-MM-DD
	EndsOn         string    `json:"ends_on,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

// DateLayout is how days are written.
const DateLayout = "2006-01-02"

// Active reports whether the assignment is in force on day (YYYY-MM-DD).
func (a Assignment) Active(day string) bool {
	return a.StartsOn <= day && (a.EndsOn == "" || day <= a.EndsOn)
}

// Filter selects assignments; every field is optional.
type Filter struct {
	Q          string // enterprise, official or phone
	Region     string // region subtree of the enterprise
	Enterprise int64
	Duty       string
	UserID     int64
	Current    bool // only those in force today
	Page       list.Page
}

// Officials are the roles an account must have to be assigned: government people, not
// the enterprise's own.
var Officials = []auth.Role{auth.Admin, auth.Command, auth.Reviewer, auth.Town, auth.Grid}

// MayManage reports whether a role may assign and withdraw officials.
func MayManage(r auth.Role) bool {
	return r == auth.Admin || r == auth.Command || r == auth.Town
}

// MaxBatch is how many enterprises one batch assignment (批量安排) may reach: a larger
// selection is narrowed first, so that no single click writes a city's worth of rows.
const MaxBatch = 5000

// CheckBatch refuses a batch assignment of n enterprises: none, or over MaxBatch.
func CheckBatch(n int) error {
	switch {
	case n == 0:
		return apperr.NewInvalid("filter", "没有符合条件的企业", "No enterprise matches")
	case n > MaxBatch:
		return apperr.NewInvalid("filter", fmt.Sprintf("一次最多批量安排 %d 家企业,符合条件的有 %d 家;请缩小范围", MaxBatch, n),
			fmt.Sprintf("At most %d enterprises at a time; %d match; narrow the selection", MaxBatch, n))
	}
	return nil
}

// Normalize trims the text fields and writes the days in DateLayout.
func (a *Assignment) Normalize(loc *time.Location) {
	for _, f := range []*string{&a.Duty, &a.Name, &a.Phone, &a.Unit, &a.StartsOn, &a.EndsOn} {
		*f = strings.TrimSpace(*f)
	}
	for _, f := range []*string{&a.StartsOn, &a.EndsOn} {
		if t, ok := roster.ParseDate(*f, loc); ok && !t.IsZero() {
			*f = t.Format(DateLayout)
		}
	}
}

// Validate normalises the assignment and lists every field problem against the policy's
// duties. today fills an empty start.
func (a *Assignment) Validate(duties []policy.Duty, today string, loc *time.Location) apperr.Problems {
	a.Normalize(loc)
	var ps apperr.Problems
	if a.EnterpriseID <= 0 && a.USCC == "" {
		ps.Add("enterprise_id", "请选择企业", "Choose the enterprise")
	}
	if a.Duty == "" {
		ps.Add("duty", "请选择包保职责", "Choose the duty")
	} else if !slices.ContainsFunc(duties, func(d policy.Duty) bool { return d.Code == a.Duty }) {
		ps.Add("duty", "当前政策中没有这个包保职责:"+a.Duty, "The policy in force has no duty "+a.Duty)
	}
	switch n := utf8.RuneCountInString(a.Name); {
	case n == 0 && a.UserID == 0 && a.Username == "":
		ps.Add("name", "请选择账号或填写包保人员姓名", "Choose an account or enter the official's name")
	case n > 32:
		ps.Add("name", "姓名最多 32 个字", "A name can have at most 32 characters")
	}
	if a.Phone != "" && !auth.PhoneRE.MatchString(a.Phone) {
		ps.Add("phone", "电话号码格式不正确,例如 13800000000 或 0573-88888888", "The phone number is not valid, e.g. 13800000000 or 0573-88888888")
	}
	if utf8.RuneCountInString(a.Unit) > 64 {
		ps.Add("unit", "单位/职务最多 64 个字", "The unit or post can have at most 64 characters")
	}
	if a.StartsOn == "" {
		a.StartsOn = today
	}
	okStart := validDay(a.StartsOn)
	if !okStart {
		ps.Add("starts_on", "开始日期无法识别,请写成 2020-02-10", "The start date cannot be read; write it as 2020-02-10")
	}
	switch {
	case a.EndsOn == "":
	case !validDay(a.EndsOn):
		ps.Add("ends_on", "结束日期无法识别,请写成 2020-03-31", "The end date cannot be read; write it as 2020-03-31")
	case okStart && a.EndsOn < a.StartsOn:
		ps.Add("ends_on", "结束日期早于开始日期", "The end date is before the start date")
	}
	return ps
}

func validDay(s string) bool {
	_, err := time.Parse(DateLayout, s)
	return err == nil
}

// Flags are the policy's conditions (policy.Flags) an enterprise meets, for the duties'
// when: in a park, above designated size, key enterprise, canteen, dormitory, buses.
func Flags(e enterprise.Enterprise) map[string]bool {
	return map[string]bool{
		policy.FlagInPark:        e.ParkID != 0,
		policy.FlagAboveScale:    application.AboveScale(e),
		policy.FlagKeyEnterprise: e.KeyEnterprise,
		policy.FlagCanteen:       e.HasCanteen,
		policy.FlagDormitory:     e.HasDormitory,
		policy.FlagCommuterBus:   e.HasBus,
	}
}

// Required lists the duties the policy requires of the enterprise, in the policy's order.
func Required(duties []policy.Duty, e enterprise.Enterprise) []policy.Duty {
	flags := Flags(e)
	var out []policy.Duty
	for _, d := range duties {
		if d.Required && d.Applies(e.Category, flags) {
			out = append(out, d)
		}
	}
	return out
}

// Missing lists the codes of the duties the policy requires of the enterprise that nobody
// holds: held are the duties of its assignments in force.
func Missing(duties []policy.Duty, e enterprise.Enterprise, held []string) []string {
	var out []string
	for _, d := range Required(duties, e) {
		if !slices.Contains(held, d.Code) {
			out = append(out, d.Code)
		}
	}
	return out
}
