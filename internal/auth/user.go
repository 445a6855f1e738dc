package auth

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/list"
)

// User is an account.
type User struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Phone       string    `json:"phone"`
	Role        Role      `json:"role"`
	Scope       Scope     `json:"-"`
	ScopeText   string    `json:"scope"`
	Disabled    bool      `json:"disabled"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Principal is the user acting.
func (u User) Principal() Principal {
	return Principal{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Role: u.Role, Scope: u.Scope}
}

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$`)

// PhoneRE accepts mainland mobile and landline numbers as people write them.
var PhoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{4,19}$`)

// Validate normalises the user and reports every field problem.
func (u *User) Validate() error {
	u.Username = strings.TrimSpace(u.Username)
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	u.Phone = strings.TrimSpace(u.Phone)
	var ps apperr.Problems
	if !usernameRE.MatchString(u.Username) {
		ps.Add("username", "用户名须为 2–64 位字母、数字或 . _ @ -,以字母或数字开头", "The user name must be 2–64 letters, digits or . _ @ -, starting with a letter or digit")
	}
	if utf8.RuneCountInString(u.DisplayName) > 64 {
		ps.Add("display_name", "姓名最多 64 个字", "The name can have at most 64 characters")
	}
	if u.Phone != "" && !PhoneRE.MatchString(u.Phone) {
		ps.Add("phone", "电话号码格式不正确,例如 13800000000 或 0573-88888888", "The phone number is not valid, e.g. 13800000000 or 0573-88888888")
	}
	r, err := ParseRole(string(u.Role))
	if err != nil {
		ps.Add("role", "未知角色", "Unknown role")
	}
	u.Role = r
	s, err := ParseScope(u.ScopeText)
	switch {
	case err != nil:
		ps.Add("scope", "范围格式不正确:应为 all、region:行政区划代码、dept:部门编号、park:园区编号 或 enterprise:企业编号", "Scope must be all, region:<code>, dept:<id>, park:<id> or enterprise:<id>")
	case r != "" && !ScopeFits(r, s):
		ps.Add("scope", "该角色不能使用此类范围:"+ScopeHint(r), "This role cannot have that kind of scope: "+ScopeHintEN(r))
	default:
		u.Scope = s
		u.ScopeText = s.String()
	}
	return ps.Err()
}

// ScopeHint says in Chinese which scope a role takes.
func ScopeHint(r Role) string {
	switch r {
	case Admin:
		return "管理员用 all 或 region:代码"
	case Command, Town, Grid:
		return "用 region:行政区划代码"
	case Reviewer:
		return "用 dept:部门编号"
	case Park:
		return "用 park:园区编号"
	default:
		return "用 enterprise:企业编号"
	}
}

// ScopeHintEN says in English which scope a role takes.
func ScopeHintEN(r Role) string {
	switch r {
	case Admin:
		return "admins take all or region:<code>"
	case Command, Town, Grid:
		return "use region:<code>"
	case Reviewer:
		return "use dept:<id>"
	case Park:
		return "use park:<id>"
	default:
		return "use enterprise:<id>"
	}
}

// UserFilter selects users.
type UserFilter struct {
	Q    string
	Role string
	Page list.Page
}
