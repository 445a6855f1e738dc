package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/health"
	"fugong/internal/pass"
	"fugong/internal/roster"
)

// A staff account (role staff, scope its enterprise) may be linked to its own employee
// record. The account then sees its own entry pass, clock and readings on /me and
// declares its temperature without the pass token. The enterprise links and unlinks
// (roster.edit); an employee has at most one account (a partial unique index).

const staffAccountCols = `u.id, u.username, u.display_name, u.disabled, COALESCE(u.employee_id, 0)`

func scanStaffAccount(sc interface{ Scan(...any) error }) (roster.StaffAccount, error) {
	var a roster.StaffAccount
	err := sc.Scan(&a.UserID, &a.Username, &a.DisplayName, &a.Disabled, &a.EmployeeID)
	return a, err
}

// enterpriseScopeText is the scope of the accounts of an enterprise.
func enterpriseScopeText(id int64) string {
	return auth.Scope{Kind: auth.ScopeEnterprise, ID: id}.String()
}

// EmployeeAccount returns the account linked to an employee in scope; with roster.edit,
// also the staff accounts of the employee's enterprise that are free to link.
func (h *Roster) Account(ctx context.Context, actor auth.Principal, employeeID int64) (roster.Account, error) {
	s := h.s
	if !actor.Can(auth.RosterView) {
		return roster.Account{}, apperr.NewForbidden()
	}
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return roster.Account{}, err
	}
	w.add("m.id = ?", employeeID)
	var entID int64
	if err := s.DB.queryRow(ctx, `SELECT m.enterprise_id`+employeeFrom+w.sql(), w.args...).Scan(&entID); err != nil {
		return roster.Account{}, notFound(err, "员工")
	}
	out := roster.Account{EmployeeID: employeeID, Candidates: []roster.StaffAccount{}}
	a, err := scanStaffAccount(s.DB.queryRow(ctx, `SELECT `+staffAccountCols+` FROM users u WHERE u.employee_id = ?`, employeeID))
	switch {
	case err == nil:
		out.Account = &a
	case !isNoRows(err):
		return out, err
	}
	if !actor.Can(auth.RosterEdit) {
		return out, nil
	}
	rows, err := s.DB.query(ctx, `SELECT `+staffAccountCols+` FROM users u WHERE u.role = ? AND u.scope = ? AND u.employee_id IS NULL AND u.disabled = FALSE
		ORDER BY u.username`, string(auth.Staff), enterpriseScopeText(entID))
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanStaffAccount(rows)
		if err != nil {
			return out, err
		}
		out.Candidates = append(out.Candidates, c)
	}
	return out, rows.Err()
}

// LinkAccount links a staff account of the employee's enterprise to the employee: the
// account then sees the person's pass on /me. The actor needs roster.edit in scope of
// the enterprise; the person must not have left; neither may already be linked elsewhere.
// Linking the same pair again changes nothing.
func (h *Roster) LinkAccount(ctx context.Context, actor auth.Principal, employeeID, userID int64) (roster.Account, error) {
	s := h.s
	if !actor.Can(auth.RosterEdit) {
		return roster.Account{}, apperr.NewForbidden()
	}
	if userID <= 0 {
		return roster.Account{}, apperr.NewInvalid("user_id", "请选择要关联的员工账号", "Choose the staff account to link")
	}
	err := s.DB.write(ctx, func(tx *txn) error {
		e, err := s.employeeTx(ctx, tx, actor, employeeID)
		if err != nil {
			return err
		}
		return linkTx(tx, actor, e, userID)
	})
	if err != nil {
		return roster.Account{}, err
	}
	return s.Roster().Account(ctx, actor, employeeID)
}

// CreateAccount opens a staff account for an employee in scope and links it to the
// person, in one transaction, so that the enterprise gives its people their My pass page
// without the administrator. Only staff accounts of the person's own enterprise are made
// this way (roster.edit); the password is generated and returned this once.
func (h *Roster) CreateAccount(ctx context.Context, actor auth.Principal, employeeID int64, username string) (roster.NewAccount, error) {
	s := h.s
	if !actor.Can(auth.RosterEdit) {
		return roster.NewAccount{}, apperr.NewForbidden()
	}
	out := roster.NewAccount{Password: auth.NewPassword()}
	hash, err := auth.HashPassword(out.Password)
	if err != nil {
		return roster.NewAccount{}, err
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		e, err := s.employeeTx(ctx, tx, actor, employeeID)
		if err != nil {
			return err
		}
		if err := roster.CheckNewAccount(e); err != nil {
			return err
		}
		u := auth.User{Username: username, DisplayName: e.Name, Role: auth.Staff, ScopeText: enterpriseScopeText(e.EnterpriseID)}
		if auth.PhoneRE.MatchString(e.Phone) {
			u.Phone = e.Phone
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if err := tx.insertUser(actor, &u, hash); err != nil {
			return err
		}
		out.User = u
		return linkTx(tx, actor, e, u.ID)
	})
	if err != nil {
		return roster.NewAccount{}, err
	}
	return out, nil
}

// linkTx links account userID to employee e inside tx (roster.CheckLink).
func linkTx(tx *txn, actor auth.Principal, e roster.Employee, userID int64) error {
	l := roster.Link{Person: e}
	var scope string
	err := tx.queryRow(`SELECT username, role, scope, disabled, COALESCE(employee_id, 0) FROM users WHERE id = ?`, userID).
		Scan(&l.Username, &l.Role, &scope, &l.Disabled, &l.LinkedTo)
	switch {
	case isNoRows(err):
	case err != nil:
		return err
	default:
		l.Found = scope == enterpriseScopeText(e.EnterpriseID)
	}
	err = tx.queryRow(`SELECT username FROM users WHERE employee_id = ? AND id <> ?`, e.ID, userID).Scan(&l.PersonLinked)
	if err != nil && !isNoRows(err) {
		return err
	}
	if done, err := roster.CheckLink(l); done || err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE users SET employee_id = ?, updated_at = ? WHERE id = ?`, e.ID, tx.now(), userID); err != nil {
		if isUniqueViolation(err) {
			return apperr.NewConflict("该员工或账号刚被关联,请刷新后重试", "The person or the account was just linked; reload and try again")
		}
		return err
	}
	return tx.audit(actor, "employee.account_link", "employee", e.ID, map[string]any{
		"user_id": userID, "username": l.Username, "enterprise_id": e.EnterpriseID})
}

// UnlinkAccount removes the link of an employee in scope to its account (roster.edit).
// Unlinking a person without an account changes nothing.
func (h *Roster) UnlinkAccount(ctx context.Context, actor auth.Principal, employeeID int64) (roster.Account, error) {
	s := h.s
	if !actor.Can(auth.RosterEdit) {
		return roster.Account{}, apperr.NewForbidden()
	}
	err := s.DB.write(ctx, func(tx *txn) error {
		e, err := s.employeeTx(ctx, tx, actor, employeeID)
		if err != nil {
			return err
		}
		var id int64
		var username string
		err = tx.queryRow(`SELECT id, username FROM users WHERE employee_id = ?`, e.ID).Scan(&id, &username)
		switch {
		case isNoRows(err):
			return nil
		case err != nil:
			return err
		}
		if _, err := tx.exec(`UPDATE users SET employee_id = NULL, updated_at = ? WHERE id = ?`, tx.now(), id); err != nil {
			return err
		}
		return tx.audit(actor, "employee.account_unlink", "employee", e.ID, map[string]any{
			"user_id": id, "username": username, "enterprise_id": e.EnterpriseID})
	})
	if err != nil {
		return roster.Account{}, err
	}
	return s.Roster().Account(ctx, actor, employeeID)
}

// isUniqueViolation reports whether err is a unique-index violation on either engine.
func isUniqueViolation(err error) bool {
	var sc interface{ SQLState() string }
	if errors.As(err, &sc) && sc.SQLState() == "23505" {
		return true
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// myEmployee returns the employee the staff account of actor is linked to; ok is false
// when it is linked to nobody. A link that no longer fits the account (its role or
// enterprise changed since) counts as none.
func (s *Store) myEmployee(ctx context.Context, actor auth.Principal) (e roster.Employee, ok bool, err error) {
	if actor.Role != auth.Staff || actor.Scope.Kind != auth.ScopeEnterprise || actor.UserID == 0 {
		return e, false, nil
	}
	e, err = s.scan(s.DB.queryRow(ctx, `SELECT `+employeeCols+employeeFrom+` JOIN users u ON u.employee_id = m.id
		WHERE u.id = ? AND u.role = ? AND u.scope = ? AND m.enterprise_id = ?`,
		actor.UserID, string(auth.Staff), enterpriseScopeText(actor.Scope.ID), actor.Scope.ID), false)
	if isNoRows(err) {
		return e, false, nil
	}
	return e, err == nil, err
}

// Me returns what the signed-in staff account sees of itself (permission me.pass).
func (h *Passes) Mine(ctx context.Context, actor auth.Principal) (pass.Me, error) {
	s := h.s
	if !actor.Can(auth.OwnPass) {
		return pass.Me{}, apperr.NewForbidden()
	}
	loc := s.pol.Location()
	now := s.DB.Now()
	out := pass.NewMe(roster.FormatDate(now, loc), s.pol.Health)
	e, ok, err := s.myEmployee(ctx, actor)
	if err != nil || !ok {
		out.State = pass.StateNoPass
		out.Message, out.MessageEN = pass.Unlinked[0], pass.Unlinked[1]
		return out, err
	}
	st := s.status(e, now)
	out.Linked, out.EmployeeID, out.Name, out.EnterpriseID, out.EnterpriseName, out.Department, out.Status =
		true, e.ID, e.Name, e.EnterpriseID, e.EnterpriseName, e.Department, &st

	p, err := scanPass(s.DB.queryRow(ctx, `SELECT `+passCols+passFrom+` WHERE p.employee_id = ?
		ORDER BY CASE WHEN p.status = ? THEN 1 ELSE 0 END, p.id DESC LIMIT 1`, e.ID, pass.Revoked))
	switch {
	case err == nil:
		out.Pass = &p
	case !isNoRows(err):
		return out, err
	}
	var notices int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM notices WHERE enterprise_id = ? AND revoked_at IS NULL AND suspended_at IS NULL`, e.EnterpriseID).Scan(&notices); err != nil {
		return out, err
	}
	out.State, out.Message, out.MessageEN = pass.Own(out.Pass, e.LeftAt != nil, notices > 0, now, loc)
	out.Allow = out.State == pass.StateOK

	rows, err := s.DB.query(ctx, `SELECT taken_at, temperature, symptoms, source, fever FROM health_checks WHERE enterprise_id = ? AND day = ? AND employee_id = ?
		ORDER BY taken_at, id`, e.EnterpriseID, out.Day, e.ID)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var c pass.MyCheck
		var syms string
		if err := rows.Scan(&c.At, &c.Temperature, &syms, &c.Source, &c.Fever); err != nil {
			return out, err
		}
		c.At = c.At.UTC()
		c.Symptoms = []string{}
		for _, sym := range strings.Split(syms, ",") {
			if sym = strings.TrimSpace(sym); sym != "" {
				c.Symptoms = append(c.Symptoms, sym)
			}
		}
		out.Today = append(out.Today, c)
	}
	return out, rows.Err()
}

// MyPassToken returns the signed token of the staff account's own active, suspended or
// requested pass, for its QR code; not found when there is none.
func (h *Passes) MyToken(ctx context.Context, actor auth.Principal) (string, error) {
	s := h.s
	if !actor.Can(auth.OwnPass) {
		return "", apperr.NewForbidden()
	}
	e, ok, err := s.myEmployee(ctx, actor)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", apperr.NewNotFound("出入证")
	}
	var token string
	err = s.DB.queryRow(ctx, `SELECT token FROM passes WHERE employee_id = ? AND status <> ? AND token <> '' ORDER BY id DESC LIMIT 1`,
		e.ID, pass.Revoked).Scan(&token)
	if err != nil {
		return "", notFound(err, "出入证")
	}
	return token, nil
}

// DeclareMine records a declared reading for the employee the staff account is linked to,
// with the rules of every reading: a fever or a symptom suspends the pass, opens a
// follow-up and alerts the enterprise and the grid.
func (h *Health) Declare(ctx context.Context, actor auth.Principal, d health.Declaration) (health.CheckResult, error) {
	s := h.s
	if !actor.Can(auth.OwnPass) || !actor.Can(auth.HealthDeclare) {
		return health.CheckResult{}, apperr.NewForbidden()
	}
	if err := health.CheckDeclaration(d); err != nil {
		return health.CheckResult{}, err
	}
	e, ok, err := s.myEmployee(ctx, actor)
	if err != nil {
		return health.CheckResult{}, err
	}
	if !ok {
		return health.CheckResult{}, health.ErrNotLinked
	}
	res, err := s.Health().Record(ctx, actor, []health.Reading{{EmployeeID: e.ID, Temperature: d.Temperature, Symptoms: d.Symptoms}})
	if err != nil {
		return health.CheckResult{}, err
	}
	if len(res) != 1 {
		return health.CheckResult{}, fmt.Errorf("declaration: %d results", len(res))
	}
	return res[0], nil
}

// Linked reports whether the signed-in account is a staff account linked to its person.
func (h *Passes) Linked(ctx context.Context, actor auth.Principal) (bool, error) {
	s := h.s
	if !actor.Can(auth.OwnPass) {
		return false, nil
	}
	_, ok, err := s.myEmployee(ctx, actor)
	return ok, err
}
