package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"fugong/internal/alert"
	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/health"
	"fugong/internal/pass"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/sign"
)

// personOfToken resolves a pass token to its employee id (signature checked).
func personOfToken(v *sign.Verifier, token string, now time.Time) (passID, employeeID int64, err error) {
	c, err := v.Verify(token, now)
	if err != nil {
		zh, en := sign.Message(err)
		return 0, 0, apperr.NewInvalid("pass_token", zh, en)
	}
	if c.Kind != sign.PassKind {
		return 0, 0, apperr.NewInvalid("pass_token", "这不是出入证", "This is not a pass")
	}
	return c.ID, c.SubjectID, nil
}

// RecordChecks records readings in one transaction that commits before it returns. A
// reading at or above the fever line, or with a symptom, suspends the person's pass,
// opens a follow-up and alerts the enterprise's admins and the grid leaders. Readings by
// staff are declarations; the others are checkpoint readings.
func (h *Health) Record(ctx context.Context, actor auth.Principal, readings []health.Reading) ([]health.CheckResult, error) {
	s := h.s
	v := s.verify
	if !actor.Can(auth.HealthDeclare) {
		return nil, apperr.NewForbidden()
	}
	if err := health.CheckBatch(len(readings)); err != nil {
		return nil, err
	}
	source := health.SourceCheckpoint
	if !actor.Can(auth.HealthRecord) {
		source = health.SourceDeclared
	}
	var scope where
	people := make([]person, len(readings))
	out := make([]health.CheckResult, 0, len(readings))
	err := s.DB.grouped(ctx, func() error {
		// A declaration is of oneself: the person the account is linked to, or, for an account
		// not linked yet, the holder of the pass whose token is shown.
		var mine int64
		if source == health.SourceDeclared {
			e, linked, err := s.myEmployee(ctx, actor)
			if err != nil {
				return err
			}
			if linked {
				mine = e.ID
			}
		}
		now := s.DB.Now()
		for i := range readings {
			if err := health.CheckReading(i, &readings[i]); err != nil {
				return err
			}
			byToken := readings[i].EmployeeID == 0
			if byToken {
				_, emp, err := personOfToken(v, readings[i].PassToken, now)
				if err != nil {
					return err
				}
				readings[i].EmployeeID = emp
			}
			if source == health.SourceDeclared && (mine != 0 && readings[i].EmployeeID != mine || mine == 0 && !byToken) {
				return health.ErrOwnOnly(fmt.Sprintf("readings[%d].employee_id", i))
			}
		}
		if err := s.DB.enterpriseScope(ctx, actor, &scope); err != nil {
			return err
		}
		// Who each reading is of is read before the shared transaction, keeping it short.
		for i, r := range readings {
			p, err := s.personOf(ctx, scope, r.EmployeeID)
			if err != nil {
				return err
			}
			people[i] = p
		}
		return nil
	}, func(tx *txn) error {
		out = out[:0]
		for i, r := range readings {
			res, err := s.recordTx(tx, actor, scope, r, source, &people[i])
			if err != nil {
				return err
			}
			out = append(out, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// person is who a reading is of, resolved in the reader's scope.
type person struct {
	name  string
	entID int64
}

// lookupPerson finds an employee in the scope, with q running the query (the reader, or
// a transaction).
func lookupPerson(q func(string, ...any) *sql.Row, scope where, id int64) (person, error) {
	w := scope.clone()
	w.add("m.id = ?", id)
	var p person
	var left sql.NullTime
	// The text varies only with the kind of scope.
	if err := q(sqlPerson(w), w.args...).Scan(&p.name, &p.entID, &left); err != nil {
		return p, notFound(err, "员工")
	}
	return p, nil
}

// personOf is lookupPerson on the reader, its answer kept briefly: a person's name and
// enterprise change only by a Write, which forgets it.
func (s *Store) personOf(ctx context.Context, scope where, id int64) (person, error) {
	p, _, err := remember(s.DB, fmt.Sprint("person ", id, scope.sql(), scope.args), func() (person, bool, error) {
		p, err := lookupPerson(func(q string, args ...any) *sql.Row { return s.DB.queryRow(ctx, q, args...) }, scope, id)
		return p, err == nil, err
	})
	return p, err
}

// recordTx records one validated reading inside tx; who, when known, saves looking the
// person up inside the (shared) transaction.
func (s *Store) recordTx(tx *txn, actor auth.Principal, scope where, r health.Reading, source string, who *person) (health.CheckResult, error) {
	if who == nil {
		p, err := lookupPerson(tx.queryRow, scope, r.EmployeeID)
		if err != nil {
			return health.CheckResult{}, err
		}
		who = &p
	}
	name, entID := who.name, who.entID
	now := tx.now()
	at := health.ReadingTime(r.At, now)
	fever, reason := health.Fever(s.pol.Health, r.Temperature, r.Symptoms)
	res := health.CheckResult{EmployeeID: r.EmployeeID, Name: roster.MaskName(name), Temperature: r.Temperature, At: at, Source: source, Fever: fever}
	var err error
	res.ID, err = tx.insertRow(insertReading, r.EmployeeID, entID, roster.FormatDate(at, s.pol.Location()), at, r.Temperature,
		strings.Join(r.Symptoms, ","), r.Checkpoint, source, nullID(actor.UserID), fever, now)
	if err != nil {
		return res, err
	}
	if !fever {
		return res, nil
	}
	if res.Suspended, err = tx.suspendPasses(r.EmployeeID, reason); err != nil {
		return res, err
	}
	// One open follow-up per person: a second fever adds to the open one.
	err = tx.queryRow(`SELECT id FROM health_followups WHERE employee_id = ? AND closed_at IS NULL ORDER BY id LIMIT 1`, r.EmployeeID).Scan(&res.FollowUpID)
	if isNoRows(err) {
		res.FollowUpID, err = tx.insertID(`INSERT INTO health_followups (employee_id, enterprise_id, check_id, opened_at) VALUES (?, ?, ?, ?)`,
			r.EmployeeID, entID, res.ID, now)
	}
	if err != nil {
		return res, err
	}
	if err := tx.alertEnterprise(entID, "fever", "发热/症状预警", health.FeverAlert(name, r.Temperature, r.Symptoms), "/health"); err != nil {
		return res, err
	}
	if _, err := tx.raiseAlert(s.pol, policy.AlertFever, entID, alert.Facts{Persons: []string{name}, Temperature: r.Temperature, Symptoms: r.Symptoms, Link: "/health"}); err != nil {
		return res, err
	}
	return res, tx.audit(actor, "health.fever", "employee", r.EmployeeID, map[string]any{"check_id": res.ID, "follow_up_id": res.FollowUpID, "reason": reason})
}

// alertEnterprise notifies the admins (防疫专人) of an enterprise and its grid leaders;
// body follows the enterprise's name.
func (tx *txn) alertEnterprise(entID int64, kind, title, body, link string) error {
	e, err := tx.enterpriseBrief(entID)
	if err != nil {
		return err
	}
	admins, err := tx.usersActing(string(auth.Enterprise), "", e)
	if err != nil {
		return err
	}
	grid, err := tx.usersActing(string(auth.Grid), "", e)
	if err != nil {
		return err
	}
	return tx.notify(append(admins, grid...), kind, title, e.Name+" "+body, link)
}

// NotCheckedToday lists the people of an enterprise in scope holding an active pass with
// fewer checks today than the policy's checks per day; with checkpoint set, only the
// checks taken there count.
func (h *Health) Unchecked(ctx context.Context, actor auth.Principal, enterpriseID int64, checkpoint string) ([]health.Unchecked, error) {
	s := h.s
	if !actor.Can(auth.HealthRecord) {
		return nil, apperr.NewForbidden()
	}
	if enterpriseID == 0 && actor.Scope.Kind == auth.ScopeEnterprise {
		enterpriseID = actor.Scope.ID
	}
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return nil, err
	}
	if enterpriseID != 0 {
		w.add("p.enterprise_id = ?", enterpriseID)
	}
	w.add("p.status = ?", pass.Active)
	day := roster.FormatDate(s.DB.Now(), s.pol.Location())
	cp := ""
	args := []any{day}
	if checkpoint != "" {
		cp = " AND h.checkpoint = ?"
		args = append(args, checkpoint)
	}
	args = append(args, w.args...)
	args = append(args, s.pol.Health.ChecksPerDay)
	rows, err := s.DB.query(ctx, `SELECT m.id, m.name, m.department, c FROM (SELECT p.employee_id AS eid,
		(SELECT COUNT(*) FROM health_checks h WHERE h.enterprise_id = p.enterprise_id AND h.day = ? AND h.employee_id = p.employee_id`+cp+`) AS c`+passFrom+w.sql()+`) x
		JOIN employees m ON m.id = x.eid WHERE c < ? ORDER BY m.name, m.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []health.Unchecked{}
	for rows.Next() {
		var u health.Unchecked
		if err := rows.Scan(&u.EmployeeID, &u.Name, &u.Department, &u.Checks); err != nil {
			return nil, err
		}
		u.Name = roster.MaskName(u.Name)
		out = append(out, u)
	}
	return out, rows.Err()
}

// RepeatedDeclarations flags the declared readings of the last 14 days, in scope, that
// repeat the exact same value on three or more consecutive days.
func (h *Health) Repeats(ctx context.Context, actor auth.Principal, enterpriseID int64) ([]health.RepeatFlag, error) {
	s := h.s
	if !actor.Can(auth.HealthRecord) {
		return nil, apperr.NewForbidden()
	}
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return nil, err
	}
	if enterpriseID != 0 {
		w.add("h.enterprise_id = ?", enterpriseID)
	}
	loc := s.pol.Location()
	today := roster.Day(s.DB.Now(), loc)
	w.add("h.source = ?", health.SourceDeclared)
	w.add("h.day >= ?", roster.FormatDate(today.AddDate(0, 0, -health.RepeatWindow), loc))
	rows, err := s.DB.query(ctx, `SELECT m.id, m.name, h.day, h.temperature FROM health_checks h JOIN employees m ON m.id = h.employee_id
		JOIN enterprises e ON e.id = h.enterprise_id`+w.sql()+` ORDER BY m.id, h.day`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var declared []health.Declared
	for rows.Next() {
		var d health.Declared
		if err := rows.Scan(&d.EmployeeID, &d.Name, &d.Day, &d.Temperature); err != nil {
			return nil, err
		}
		declared = append(declared, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return health.Repeats(declared, loc), nil
}

// FollowUps lists a page of the follow-ups in scope (the open ones only, or all), open
// ones first and then the newest, with how many the filter selects.
func (h *Health) FollowUps(ctx context.Context, actor auth.Principal, f health.FollowUpFilter) ([]health.FollowUp, int, error) {
	s := h.s
	if !actor.Can(auth.RosterView) {
		return nil, 0, apperr.NewForbidden()
	}
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return nil, 0, err
	}
	if f.OpenOnly {
		w.add("f.closed_at IS NULL")
	}
	var total int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM health_followups f JOIN enterprises e ON e.id = f.enterprise_id`+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := s.followUps(ctx, w, ` ORDER BY CASE WHEN f.closed_at IS NULL THEN 0 ELSE 1 END, f.id DESC`+limit(f.Page))
	return out, total, err
}

// followUp is follow-up id, in actor's scope.
func (s *Store) followUp(ctx context.Context, actor auth.Principal, id int64) (health.FollowUp, error) {
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return health.FollowUp{}, err
	}
	w.add("f.id = ?", id)
	out, err := s.followUps(ctx, w, "")
	if err == nil && len(out) == 0 {
		err = apperr.NewNotFound("健康跟踪记录")
	}
	if err != nil {
		return health.FollowUp{}, err
	}
	return out[0], nil
}

// followUps reads the follow-ups matching w, in the order and page of tail, each with its
// person's masked name and the reading that opened it.
func (s *Store) followUps(ctx context.Context, w where, tail string) ([]health.FollowUp, error) {
	rows, err := s.DB.query(ctx, `SELECT f.id, f.employee_id, f.enterprise_id, e.name, m.name, COALESCE(f.check_id, 0), COALESCE(h.temperature, 0), COALESCE(h.symptoms, ''),
		f.opened_at, f.isolation, f.referral, f.outcome, f.closed_at
		FROM health_followups f JOIN employees m ON m.id = f.employee_id JOIN enterprises e ON e.id = f.enterprise_id
		LEFT JOIN health_checks h ON h.id = f.check_id`+w.sql()+tail, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []health.FollowUp{}
	for rows.Next() {
		var f health.FollowUp
		var closed sql.NullTime
		if err := rows.Scan(&f.ID, &f.EmployeeID, &f.EnterpriseID, &f.EnterpriseName, &f.Name, &f.CheckID, &f.Temperature, &f.Symptoms, &f.OpenedAt,
			&f.Isolation, &f.Referral, &f.Outcome, &closed); err != nil {
			return nil, err
		}
		f.Name = roster.MaskName(f.Name)
		f.OpenedAt = f.OpenedAt.UTC()
		if closed.Valid {
			t := closed.Time.UTC()
			f.ClosedAt = &t
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// CloseFollowUp closes an open follow-up in scope; the outcome is required. The
// enterprise's admins, the park, the grid, the town, the command and the admin may close.
func (h *Health) CloseFollowUp(ctx context.Context, actor auth.Principal, id int64, c health.FollowUpClose) (health.FollowUp, error) {
	s := h.s
	if !actor.Can(auth.RosterView) {
		return health.FollowUp{}, apperr.NewForbidden()
	}
	if err := health.CheckClose(&c); err != nil {
		return health.FollowUp{}, err
	}
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return health.FollowUp{}, err
	}
	w.add("f.id = ?", id)
	err := s.DB.write(ctx, func(tx *txn) error {
		var closed sql.NullTime
		if err := tx.queryRow(`SELECT f.closed_at FROM health_followups f JOIN enterprises e ON e.id = f.enterprise_id`+w.sql(), w.args...).Scan(&closed); err != nil {
			return notFound(err, "健康跟踪记录")
		}
		if closed.Valid {
			return health.ErrClosed
		}
		if _, err := tx.exec(`UPDATE health_followups SET isolation = ?, referral = ?, outcome = ?, closed_at = ?, closed_by = ? WHERE id = ?`,
			c.Isolation, c.Referral, c.Outcome, tx.now(), nullID(actor.UserID), id); err != nil {
			return err
		}
		return tx.audit(actor, "health.followup_close", "follow_up", id, map[string]any{"outcome": c.Outcome})
	})
	if err != nil {
		return health.FollowUp{}, err
	}
	return s.followUp(ctx, actor, id)
}
