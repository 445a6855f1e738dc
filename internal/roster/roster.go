// Package roster holds the staff of an enterprise (花名册, 一人一档) and the quarantine and
// monitoring clock that the policy's origin classes set for each returning person.
package roster

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/idnum"
	"fugong/internal/policy"
)

// Employee is one person on an enterprise's roster. IDNumber is the plain resident ID
// number; it exists only in memory (the store keeps it sealed, with a keyed index and the
// masked form). Lists read from the store leave it empty and fill IDMasked only.
type Employee struct {
	ID                int64      `json:"id"`
	EnterpriseID      int64      `json:"enterprise_id"`
	EnterpriseName    string     `json:"enterprise_name,omitempty"`
	Name              string     `json:"name"`
	IDNumber          string     `json:"id_number,omitempty"`
	IDMasked          string     `json:"id_masked"`
	Phone             string     `json:"phone"`
	Department        string     `json:"department"`
	Origin            string     `json:"origin"` // policy origin class code
	HomeAddress       string     `json:"home_address"`
	ReturnDate        time.Time  `json:"-"` // the day (any instant of it, read in the policy's zone); zero = not returned
	Transport         string     `json:"transport"`
	JourneyHours      float64    `json:"journey_hours"`
	Trajectory        string     `json:"trajectory"` // the declared travel of the last 14 days
	ContactHistory    string     `json:"contact_history"`
	CohabitantsHealth string     `json:"cohabitants_health"`
	DormRoom          string     `json:"dorm_room"`
	IsolationRoom     string     `json:"isolation_room"`
	LeftAt            *time.Time `json:"left_at,omitempty"`
	HasCertificate    bool       `json:"has_certificate"` // the home grid leader's certificate is on file (read only)
	Version           int        `json:"version"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// Normalize trims the fields and brings the ID number to canonical form.
func (e *Employee) Normalize() {
	for _, s := range []*string{&e.Name, &e.Phone, &e.Department, &e.Origin, &e.HomeAddress, &e.Transport,
		&e.Trajectory, &e.ContactHistory, &e.CohabitantsHealth, &e.DormRoom, &e.IsolationRoom} {
		*s = strings.TrimSpace(*s)
	}
	e.IDNumber = idnum.Normalize(e.IDNumber)
}

func tooLong(ps *apperr.Problems, field, zhName, enName, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		ps.Add(field, fmt.Sprintf("%s不能超过%d个字", zhName, max), fmt.Sprintf("%s must be at most %d characters", enName, max))
	}
}

// Validate reports every problem with the employee's fields against the policy.
func (e Employee) Validate(pol *policy.Policy) apperr.Problems {
	var ps apperr.Problems
	if e.Name == "" {
		ps.Add("name", "请填写姓名", "Enter the name")
	}
	tooLong(&ps, "name", "姓名", "The name", e.Name, 50)
	if err := idnum.Validate(e.IDNumber); err != nil {
		if ie, ok := err.(*idnum.Error); ok {
			ps.Add("id_number", ie.Reason, ie.ReasonEN)
		} else {
			ps.Add("id_number", "身份证号码无效", "Invalid identity number")
		}
	}
	if e.Phone != "" {
		digits := strings.TrimPrefix(strings.ReplaceAll(strings.ReplaceAll(e.Phone, "-", ""), " ", ""), "+86")
		ok := len(digits) >= 7 && len(digits) <= 12
		for _, c := range digits {
			ok = ok && c >= '0' && c <= '9'
		}
		if !ok {
			ps.Add("phone", "手机号格式不正确", "The phone number is not valid")
		}
	}
	if e.Origin == "" {
		ps.Add("origin", "请选择来源地类别", "Choose where the person comes from")
	} else if _, ok := pol.OriginClass(e.Origin); !ok {
		names := make([]string, len(pol.OriginClasses))
		for i, o := range pol.OriginClasses {
			names[i] = o.Name
		}
		ps.Add("origin", "来源地类别「"+e.Origin+"」不在政策中,可选:"+strings.Join(names, "、"), "Origin class "+e.Origin+" is not in the policy")
	}
	if e.JourneyHours < 0 || e.JourneyHours > 24*30 {
		ps.Add("journey_hours", "途中时长须为0到720之间的小时数", "Journey hours must be between 0 and 720")
	}
	if !e.ReturnDate.IsZero() && (e.ReturnDate.Year() < 2000 || e.ReturnDate.Year() > 2100) {
		ps.Add("return_date", "返岗日期不正确", "The return date is not valid")
	}
	tooLong(&ps, "department", "部门", "The department", e.Department, 100)
	tooLong(&ps, "home_address", "家庭住址", "The home address", e.HomeAddress, 200)
	tooLong(&ps, "transport", "交通方式", "The transport", e.Transport, 100)
	tooLong(&ps, "trajectory", "14天行程", "The trajectory", e.Trajectory, 2000)
	tooLong(&ps, "contact_history", "接触史", "The contact history", e.ContactHistory, 2000)
	tooLong(&ps, "cohabitants_health", "同住人健康状况", "The cohabitants' health", e.CohabitantsHealth, 500)
	tooLong(&ps, "dorm_room", "宿舍房间", "The dormitory room", e.DormRoom, 50)
	tooLong(&ps, "isolation_room", "隔离房间", "The isolation room", e.IsolationRoom, 50)
	return ps
}

// OriginName is the name of an origin class in lang ("zh" or "en").
func OriginName(pol *policy.Policy, code, lang string) string {
	if o, ok := pol.OriginClass(code); ok {
		if lang == "en" && o.NameEN != "" {
			return o.NameEN
		}
		return o.Name
	}
	return code
}

// OriginCode finds an origin class by its code, Chinese or English name.
func OriginCode(pol *policy.Policy, v string) (string, bool) {
	v = strings.TrimSpace(v)
	for _, o := range pol.OriginClasses {
		if v == o.Code || v == o.Name || strings.EqualFold(v, o.NameEN) {
			return o.Code, true
		}
	}
	return v, false
}

// MaskName keeps the first character of a name: 张三丰 → 张**. Lists, alerts and gates
// show people by it.
func MaskName(name string) string {
	n := utf8.RuneCountInString(name)
	if n <= 1 {
		return name
	}
	r, _ := utf8.DecodeRuneInString(name)
	return string(r) + strings.Repeat("*", n-1)
}
