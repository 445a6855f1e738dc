package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/health"
	"fugong/internal/pass"
	"fugong/internal/roster"
	"fugong/internal/sign"
)

const passCols = `p.id, p.employee_id, p.enterprise_id, e.name, m.name, m.department, p.status, p.reason, p.token, p.requested_at, p.issued_at, COALESCE(p.approved_by, 0)`
const passFrom = ` FROM passes p JOIN employees m ON m.id = p.employee_id JOIN enterprises e ON e.id = p.enterprise_id`

func scanPass(sc interface{ Scan(...any) error }) (Pass, error) {
	var p Pass
	var issued sql.NullTime
	err := sc.Scan(&p.ID, &p.EmployeeID, &p.EnterpriseID, &p.EnterpriseName, &p.Name, &p.Department, &p.Status, &p.Reason, &p.Token, &p.RequestedAt, &issued, &p.ApprovedBy)
	p.Name = roster.MaskName(p.Name)
	p.RequestedAt = p.RequestedAt.UTC()
	if issued.Valid {
		t := issued.Time.UTC()
		p.IssuedAt = &t
	}
	return p, err
}

// noticeValid reports whether the enterprise holds an unrevoked resumption notice.
func noticeValid(q interface {
	QueryRow(string, ...any) *sql.Row
}, enterpriseID int64) (bool, error) {
	var n int
	err := q.QueryRow(sqlNoticeValid, enterpriseID).Scan(&n)
	return n > 0, err
}

// eligible says why an employee may not hold a pass, or nil (pass.Eligible).
func (s *Employees) eligible(tx *Tx, e roster.Employee) error {
	ok, err := noticeValid(tx, e.EnterpriseID)
	if err != nil {
		return err
	}
	return pass.Eligible(pass.Holder{Name: e.Name, Left: e.LeftAt != nil, NoticeValid: ok, Clock: s.status(e, tx.Now())})
}

// employeeTx reads an employee (without the ID number) inside tx, in the actor's scope.
func (s *Employees) employeeTx(ctx context.Context, tx *Tx, actor auth.Principal, id int64) (roster.Employee, error) {
	var w where
	if err := s.db.enterpriseScope(ctx, actor, &w); err != nil {
		return roster.Employee{}, err
	}
	w.add("m.id = ?", id)
	e, err := s.scan(tx.QueryRow(`SELECT `+employeeCols+employeeFrom+w.sql(), w.args...), false)
	return e, notFound(err, "员工")
}

// RequestPass asks for a pass for an employee in scope. It is refused without a valid
// notice, for a person the clock keeps away, and when the person already has a pass that
// is not revoked.
func (s *Employees) RequestPass(ctx context.Context, actor auth.Principal, employeeID int64) (Pass, error) {
	ps, err := s.RequestPasses(ctx, actor, []int64{employeeID})
	if err != nil {
		return Pass{}, err
	}
	return ps[0], nil
}

// RequestPasses asks for passes for a list of employees in one transaction: all or none.
func (s *Employees) RequestPasses(ctx context.Context, actor auth.Principal, employeeIDs []int64) ([]Pass, error) {
	if !actor.Can(auth.RosterEdit) {
		return nil, apperr.NewForbidden()
	}
	if len(employeeIDs) == 0 {
		return nil, apperr.NewInvalid("employee_ids", "请选择员工", "Choose the employees")
	}
	var ids []int64
	err := s.db.Write(ctx, func(tx *Tx) error {
		ids = ids[:0]
		for _, employeeID := range employeeIDs {
			e, err := s.employeeTx(ctx, tx, actor, employeeID)
			if err != nil {
				return err
			}
			if err := s.eligible(tx, e); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRow(`SELECT COUNT(*) FROM passes WHERE employee_id = ? AND status <> ?`, e.ID, pass.Revoked).Scan(&n); err != nil {
				return err
			}
			if err := pass.CanRequest(e.Name, n); err != nil {
				return err
			}
			id, err := tx.InsertID(`INSERT INTO passes (employee_id, enterprise_id, status, requested_by, requested_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
				e.ID, e.EnterpriseID, pass.Requested, nullID(actor.UserID), tx.Now(), tx.Now())
			if err != nil {
				return err
			}
			if err := tx.Audit(actor, "pass.request", "pass", id, map[string]any{"employee_id": e.ID, "enterprise_id": e.EnterpriseID}); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Pass, 0, len(ids))
	for _, id := range ids {
		p, err := s.GetPass(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// passScope restricts passes (alias p, enterprises e) to the actor's scope.
func (s *Employees) passWhere(ctx context.Context, actor auth.Principal) (where, error) {
	var w where
	err := s.db.enterpriseScope(ctx, actor, &w)
	return w, err
}

// GetPass returns a pass of an enterprise in scope.
func (s *Employees) GetPass(ctx context.Context, actor auth.Principal, id int64) (Pass, error) {
	if !actor.Can(auth.RosterView) && !actor.Can(auth.HealthDeclare) {
		return Pass{}, apperr.NewForbidden()
	}
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return Pass{}, err
	}
	w.add("p.id = ?", id)
	p, err := scanPass(s.db.queryRow(ctx, `SELECT `+passCols+passFrom+w.sql(), w.args...))
	return p, notFound(err, "出入证")
}

// ListPasses lists the passes in scope, newest first, and how many match.
func (s *Employees) ListPasses(ctx context.Context, actor auth.Principal, f PassFilter) ([]Pass, int, error) {
	if !actor.Can(auth.RosterView) {
		return nil, 0, apperr.NewForbidden()
	}
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return nil, 0, err
	}
	if f.EnterpriseID != 0 {
		w.add("p.enterprise_id = ?", f.EnterpriseID)
	}
	if err := pass.CheckStatus(f.Status); err != nil {
		return nil, 0, err
	}
	if f.Status != "" {
		w.add("p.status = ?", f.Status)
	}
	var total int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*)`+passFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.query(ctx, `SELECT `+passCols+passFrom+w.sql()+` ORDER BY p.id DESC`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Pass
	for rows.Next() {
		p, err := scanPass(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// ApprovePasses approves requested passes in one transaction (all or none) and issues
// their signed tokens. The approver is a grid leader (or town, or admin) whose region
// covers the enterprise: a pass outside it is not found.
func (s *Employees) ApprovePasses(ctx context.Context, actor auth.Principal, signer *sign.Signer, ids []int64) ([]Pass, error) {
	if !actor.Can(auth.PassesApprove) {
		return nil, apperr.NewForbidden()
	}
	if len(ids) == 0 {
		return nil, apperr.NewInvalid("ids", "请选择要批准的出入证", "Choose the passes to approve")
	}
	err := s.db.Write(ctx, func(tx *Tx) error {
		for _, id := range ids {
			w, err := s.passWhere(ctx, actor)
			if err != nil {
				return err
			}
			w.add("p.id = ?", id)
			p, err := scanPass(tx.QueryRow(`SELECT `+passCols+passFrom+w.sql(), w.args...))
			if err != nil {
				return notFound(err, "出入证")
			}
			if err := pass.CanApprove(id, p.Status); err != nil {
				return err
			}
			e, err := s.employeeTx(ctx, tx, actor, p.EmployeeID)
			if err != nil {
				return err
			}
			if err := s.eligible(tx, e); err != nil {
				return err
			}
			now := tx.Now()
			tok, err := signer.Sign(sign.Claims{Kind: sign.PassKind, ID: p.ID, Subject: roster.MaskName(e.Name), SubjectID: e.ID, IssuedAt: now})
			if err != nil {
				return err
			}
			if _, err := tx.Exec(`UPDATE passes SET status = ?, token = ?, issued_at = ?, approved_by = ?, reason = '', updated_at = ? WHERE id = ?`,
				pass.Active, tok, now, nullID(actor.UserID), now, p.ID); err != nil {
				return err
			}
			if err := tx.Audit(actor, "pass.approve", "pass", p.ID, map[string]any{"employee_id": e.ID, "enterprise_id": e.EnterpriseID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Pass, 0, len(ids))
	for _, id := range ids {
		p, err := s.GetPass(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// suspendPasses suspends the active (and requested) passes of an employee for reason.
func (tx *Tx) suspendPasses(employeeID int64, reason string) (int64, error) {
	tx.forgetMemo() // the gate must see it at once
	res, err := tx.Exec(`UPDATE passes SET status = ?, reason = ?, updated_at = ? WHERE employee_id = ? AND status IN (?, ?)`,
		pass.Suspended, reason, tx.Now(), employeeID, pass.Suspendable[0], pass.Suspendable[1])
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ReactivatePass re-activates a suspended pass once no follow-up of the person is open
// and the person may still hold a pass.
func (s *Employees) ReactivatePass(ctx context.Context, actor auth.Principal, id int64) (Pass, error) {
	if !actor.Can(auth.RosterView) {
		return Pass{}, apperr.NewForbidden()
	}
	p, err := s.GetPass(ctx, actor, id)
	if err != nil {
		return Pass{}, err
	}
	err = s.db.Write(ctx, func(tx *Tx) error {
		var status string
		if err := tx.QueryRow(`SELECT status FROM passes WHERE id = ?`, id).Scan(&status); err != nil {
			return err
		}
		var open int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM health_followups WHERE employee_id = ? AND closed_at IS NULL`, p.EmployeeID).Scan(&open); err != nil {
			return err
		}
		if err := pass.CanReactivate(status, open); err != nil {
			return err
		}
		e, err := s.employeeTx(ctx, tx, actor, p.EmployeeID)
		if err != nil {
			return err
		}
		if err := s.eligible(tx, e); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE passes SET status = ?, reason = '', updated_at = ? WHERE id = ?`, pass.Active, tx.Now(), id); err != nil {
			return err
		}
		return tx.Audit(actor, "pass.reactivate", "pass", id, map[string]any{"employee_id": p.EmployeeID})
	})
	if err != nil {
		return Pass{}, err
	}
	return s.GetPass(ctx, actor, id)
}

// RevokePass revokes a pass for good (the person left, or by hand).
func (s *Employees) RevokePass(ctx context.Context, actor auth.Principal, id int64, reason string) (Pass, error) {
	if !actor.Can(auth.RosterEdit) && !actor.Can(auth.PassesApprove) {
		return Pass{}, apperr.NewForbidden()
	}
	reason, err := pass.RevokeReason(reason)
	if err != nil {
		return Pass{}, err
	}
	if _, err := s.GetPass(ctx, actor, id); err != nil {
		return Pass{}, err
	}
	err = s.db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(`UPDATE passes SET status = ?, reason = ?, updated_at = ? WHERE id = ?`, pass.Revoked, reason, tx.Now(), id); err != nil {
			return err
		}
		return tx.Audit(actor, "pass.revoke", "pass", id, map[string]any{"reason": reason})
	})
	if err != nil {
		return Pass{}, err
	}
	return s.GetPass(ctx, actor, id)
}

// RevokedPasses lists, for offline gates, the ids of the passes in scope that must not
// open the gate: suspended or revoked, held by someone who left, or of an enterprise whose
// notice is revoked (or that has none).
func (s *Employees) RevokedPasses(ctx context.Context, actor auth.Principal) ([]int64, error) {
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return nil, err
	}
	w.add(`p.status <> ?`, pass.Requested)
	w.add(`(p.status IN (?, ?) OR m.left_at IS NOT NULL OR NOT EXISTS (SELECT 1 FROM notices n WHERE n.enterprise_id = p.enterprise_id AND n.revoked_at IS NULL))`,
		pass.Suspended, pass.Revoked)
	rows, err := s.db.query(ctx, `SELECT p.id`+passFrom+w.sql()+` ORDER BY p.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SuspendMissedChecks suspends the active passes, in scope, of people with fewer than
// the policy's checks per day on day (a day in the policy's time zone), and returns how
// many were suspended (the grid leader's decision, for any day; the daily job holds
// only passes issued before the day to it).
func (s *Employees) SuspendMissedChecks(ctx context.Context, actor auth.Principal, day time.Time) (int, error) {
	if !actor.Can(auth.PassesApprove) {
		return 0, apperr.NewForbidden()
	}
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.db.Write(ctx, func(tx *Tx) error {
		n, err = s.suspendMissedTx(tx, actor, w, day, false)
		return err
	})
	return n, err
}

// suspendMissedTx is SuspendMissedChecks inside tx, over the passes scope selects; with
// wholeDay, only passes held since the day began.
func (s *Employees) suspendMissedTx(tx *Tx, actor auth.Principal, scope where, day time.Time, wholeDay bool) (int, error) {
	loc := s.pol.Location()
	d := roster.FormatDate(day, loc)
	w := where{conds: append([]string(nil), scope.conds...), args: append([]any(nil), scope.args...)}
	w.add("p.status = ?", pass.Active)
	if wholeDay {
		w.add("p.issued_at < ?", roster.Day(day, loc).UTC())
	}
	w.add(`(SELECT COUNT(*) FROM health_checks h WHERE h.enterprise_id = p.enterprise_id AND h.day = ? AND h.employee_id = p.employee_id) < ?`, d, s.pol.Health.ChecksPerDay)
	rows, err := tx.Query(`SELECT p.id, p.employee_id, p.enterprise_id`+passFrom+w.sql()+` ORDER BY p.enterprise_id, p.id`, w.args...)
	if err != nil {
		return 0, err
	}
	type hit struct{ pass, emp, ent int64 }
	var hits []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.pass, &h.emp, &h.ent); err != nil {
			rows.Close()
			return 0, err
		}
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, h := range hits {
		if _, err := tx.Exec(`UPDATE passes SET status = ?, reason = ?, updated_at = ? WHERE id = ?`, pass.Suspended, pass.ReasonMissedChecks, tx.Now(), h.pass); err != nil {
			return 0, err
		}
		if err := tx.Audit(actor, "pass.suspend", "pass", h.pass, map[string]any{"reason": pass.ReasonMissedChecks, "day": d}); err != nil {
			return 0, err
		}
	}
	// One alert per enterprise: how many, and where to see them.
	for i := 0; i < len(hits); {
		j := i
		for j < len(hits) && hits[j].ent == hits[i].ent {
			j++
		}
		body := health.MissedChecksAlert(d, j-i, s.pol.Health.ChecksPerDay)
		if err := tx.alertEnterprise(hits[i].ent, "missed_checks", "漏检暂停出入证", body, "/passes?status=suspended"); err != nil {
			return 0, err
		}
		i = j
	}
	return len(hits), nil
}

// JobMissedChecks is the daily job that suspends the passes of people who missed the
// previous day's checks (a pass issued during that day is not held to them).
const JobMissedChecks = "suspend_missed_checks"

// DailyJobsAfter is how long after midnight (policy time zone) the previous day's jobs
// run: readings taken just before midnight have arrived by then.
const DailyJobsAfter = 10 * time.Minute

// RunDailyJobs runs the jobs of the day before now once it is over (DailyJobsAfter past
// midnight): the passes of people who missed that day's checks are suspended. Of the
// instances sharing a database, the first to record the day in the same transaction
// runs it; ran is false when it was already done or it is too early. It is safe to call
// at any time, as often as wanted.
func (s *Employees) RunDailyJobs(ctx context.Context, now time.Time) (day string, ran bool, suspended int, err error) {
	loc := s.pol.Location()
	today := roster.Day(now, loc)
	yesterday := today.AddDate(0, 0, -1)
	day = roster.FormatDate(yesterday, loc)
	if now.Before(today.Add(DailyJobsAfter)) {
		return day, false, 0, nil
	}
	// Done already: say so without a write (a write would also empty the memo).
	var done int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM daily_jobs WHERE name = ? AND day = ?`, JobMissedChecks, day).Scan(&done); err != nil || done > 0 {
		return day, false, 0, err
	}
	scope, err := s.passWhere(ctx, auth.System)
	if err != nil {
		return day, false, 0, err
	}
	err = s.db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(`INSERT INTO daily_jobs (name, day, ran_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, JobMissedChecks, day, tx.Now())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // done already, by this instance or another
		}
		ran = true
		if suspended, err = s.suspendMissedTx(tx, auth.System, scope, yesterday, true); err != nil {
			return err
		}
		_, err = tx.Exec(`UPDATE daily_jobs SET result = ? WHERE name = ? AND day = ?`, fmt.Sprintf("%d passes suspended", suspended), JobMissedChecks, day)
		return err
	})
	if err != nil {
		return day, false, 0, err
	}
	return day, ran, suspended, nil
}

// enterpriseTx reads what notifications need of an enterprise.
func (tx *Tx) enterpriseBrief(id int64) (enterprise.Enterprise, error) {
	var e enterprise.Enterprise
	var park sql.NullInt64
	err := tx.QueryRow(`SELECT id, name, region_code, park_id FROM enterprises WHERE id = ?`, id).Scan(&e.ID, &e.Name, &e.RegionCode, &park)
	e.ParkID = park.Int64
	return e, err
}

// PassStatusByID looks a pass up for online verification (public: the enterprise's name
// and the pass's standing, nothing of the person). A suspended or revoked pass, or one of
// an enterprise whose notice is revoked, reports RevokedAt with the reason.
func (db *DB) PassStatusByID(ctx context.Context, id int64) (NoticeStatus, error) {
	var st NoticeStatus
	var status, reason string
	var issued sql.NullTime
	var updated time.Time
	var validNotice int
	err := db.queryRow(ctx, `SELECT e.name, p.status, p.reason, p.issued_at, p.updated_at,
		(SELECT COUNT(*) FROM notices n WHERE n.enterprise_id = p.enterprise_id AND n.revoked_at IS NULL)
		FROM passes p JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = ?`, id).
		Scan(&st.Enterprise, &status, &reason, &issued, &updated, &validNotice)
	if isNoRows(err) {
		return NoticeStatus{}, nil
	}
	if err != nil {
		return st, err
	}
	sd := pass.StandingOf(status, reason, validNotice > 0)
	if !sd.Found {
		return NoticeStatus{}, nil
	}
	st.Found, st.IssuedAt = true, issued.Time.UTC()
	if !sd.Valid {
		t := updated.UTC()
		st.RevokedAt = &t
		st.RevokeReason, _ = pass.ReasonName(sd.Reason)
	}
	return st, nil
}

// MarkLeft records that an employee has left the enterprise: the person file keeps the
// day, and every pass of the person that is not yet revoked is revoked, in one transaction.
func (s *Employees) MarkLeft(ctx context.Context, actor auth.Principal, id int64) (EmployeeItem, error) {
	if !actor.Can(auth.RosterEdit) {
		return EmployeeItem{}, apperr.NewForbidden()
	}
	err := s.db.Write(ctx, func(tx *Tx) error {
		e, err := s.employeeTx(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if e.LeftAt != nil {
			return apperr.NewConflict("该员工已登记离职", "The employee is already recorded as having left")
		}
		if _, err := tx.Exec(`UPDATE employees SET left_at = ?, version = version + 1, updated_at = ? WHERE id = ?`, tx.Now(), tx.Now(), id); err != nil {
			return err
		}
		res, err := tx.Exec(`UPDATE passes SET status = ?, reason = ?, updated_at = ? WHERE employee_id = ? AND status <> ?`,
			pass.Revoked, pass.ReasonLeft, tx.Now(), id, pass.Revoked)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		return tx.Audit(actor, "employee.leave", "employee", id, map[string]any{"name": e.Name, "passes_revoked": n})
	})
	if err != nil {
		return EmployeeItem{}, err
	}
	return s.Get(ctx, actor, id)
}
