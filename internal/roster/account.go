package roster

import "fugong/internal/auth"

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
