package roster

import (
	"fugong/internal/apperr"
	"fugong/internal/auth"
)

// StaffAccount is a staff account as the enterprise sees it on an employee's page.
type StaffAccount struct {
	UserID      int64  `json:"user_id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Disabled    bool   `json:"disabled"`
	EmployeeID  int64  `json:"employee_id,omitempty"` // the employee it is linked to; 0 when none
}

// Account is the account linked to an employee and, for those who may link, the
// staff accounts of the enterprise not linked to anybody.
type Account struct {
	EmployeeID int64          `json:"employee_id"`
	Account    *StaffAccount  `json:"account"`    // null when none is linked
	Candidates []StaffAccount `json:"candidates"` // only for edit
}

// NewAccount is a staff account just opened for a person, with its generated password
// (shown this once).
type NewAccount struct {
	User     auth.User `json:"user"`
	Password string    `json:"password"`
}

// Link is what linking a staff account to a person looks at.
type Link struct {
	Person       Employee
	Found        bool   // the account exists and belongs to the person's enterprise
	Username     string // the account's
	Role         auth.Role
	Disabled     bool
	LinkedTo     int64  // the person the account is linked to; 0 when none
	PersonLinked string // the account the person is linked to; "" when none
}

// CheckLink says whether the account may be linked to the person (done is true when it
// already is, and nothing is to change): only a staff account of the person's own
// enterprise, not disabled, linked to nobody else, to a person who has not left and has
// no other account. An account of another enterprise is answered as one that does not
// exist: the answer tells nothing of other enterprises.
func CheckLink(l Link) (done bool, err error) {
	u, e := l.Username, l.Person
	switch {
	case !l.Found:
		return false, apperr.NewInvalid("user_id", "只能关联本企业的员工(staff)账号", "Only a staff account of the person's enterprise can be linked")
	case l.Role != auth.Staff:
		return false, apperr.NewInvalid("user_id", "账号 "+u+" 不是员工(staff)账号,不能关联到员工档案",
			"Account "+u+" is not a staff account; only staff accounts are linked to a person")
	case l.Disabled:
		return false, apperr.NewInvalid("user_id", "账号 "+u+" 已停用", "Account "+u+" is disabled")
	case l.LinkedTo == e.ID:
		return true, nil
	case l.LinkedTo != 0:
		return false, apperr.NewConflict("账号 "+u+" 已关联其他员工,请先在该员工页面解除关联",
			"Account "+u+" is linked to another person; unlink it there first")
	case e.LeftAt != nil:
		return false, apperr.NewInvalid("employee_id", e.Name+"已离职,不能关联账号", e.Name+" has left; no account can be linked")
	case l.PersonLinked != "":
		return false, apperr.NewConflict("该员工已关联账号 "+l.PersonLinked+",请先解除关联", "This person is linked to account "+l.PersonLinked+"; unlink it first")
	}
	return false, nil
}

// CheckNewAccount refuses opening an account for a person who has left.
func CheckNewAccount(e Employee) error {
	if e.LeftAt != nil {
		return apperr.NewInvalid("employee_id", e.Name+"已离职,不能开通账号", e.Name+" has left; no account can be opened")
	}
	return nil
}
