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
	"fugong/internal/notice"
	"fugong/internal/pass"
	"fugong/internal/retention"
	"fugong/internal/roster"
	"fugong/internal/sign"
)

const passCols = `p.id, p.employee_id, p.enterprise_id, e.name, m.name, m.department, p.status, p.reason, p.token, p.requested_at, p.issued_at, p.expires_at, COALESCE(p.approved_by, 0)`
const passFrom = ` FROM passes p JOIN employees m ON m.id = p.employee_id JOIN enterprises e ON e.id = p.enterprise_id`

// passListFrom are the tables of a page of Passes.List, with the person's name.
const passListFrom = ` FROM passes p JOIN enterprises e ON e.id = p.enterprise_id JOIN employees m ON m.id = p.employee_id`

func scanPass(sc interface{ Scan(...any) error }) (pass.Pass, error) {
	var p pass.Pass
	var issued, expires sql.NullTime
	err := sc.Scan(&p.ID, &p.EmployeeID, &p.EnterpriseID, &p.EnterpriseName, &p.Name, &p.Department, &p.Status, &p.Reason, &p.Token, &p.RequestedAt, &issued, &expires, &p.ApprovedBy)
	p.Name = roster.MaskName(p.Name)
	p.RequestedAt = p.RequestedAt.UTC()
	p.IssuedAt, p.ExpiresAt = utcOrNil(issued), utcOrNil(expires)
	return p, err
}

// noticeValid reports whether the enterprise holds an unrevoked resumption notice.
func noticeValid(q interface {
	queryRow(string, ...any) *sql.Row
}, enterpriseID int64) (bool, error) {
	var n int
	err := q.queryRow(sqlNoticeValid, enterpriseID).Scan(&n)
	return n > 0, err
}

// eligible says why an employee may not hold a pass, or nil (pass.Eligible).
func (s *Store) eligible(tx *txn, e roster.Employee) error {
	ok, err := noticeValid(tx, e.EnterpriseID)
	if err != nil {
		return err
	}
	return pass.Eligible(pass.Holder{Name: e.Name, Left: e.LeftAt != nil, NoticeValid: ok, Clock: s.status(e, tx.now())})
}

// employeeTx reads an employee (without the ID number) inside tx, in the actor's scope.
func (s *Store) employeeTx(ctx context.Context, tx *txn, actor auth.Principal, id int64) (roster.Employee, error) {
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return roster.Employee{}, err
	}
	w.add("m.id = ?", id)
	e, err := s.scan(tx.queryRow(`SELECT `+employeeCols+employeeFrom+w.sql(), w.args...), false)
	return e, notFound(err, "员工")
}

// Request asks for passes for a list of employees in one transaction: all or none. It is
// refused without a valid notice, for a person the clock keeps away, and when the person
// already has a pass that is not revoked.
func (h *Passes) Request(ctx context.Context, actor auth.Principal, employeeIDs []int64) ([]pass.Pass, error) {
	s := h.s
	if !actor.Can(auth.RosterEdit) {
		return nil, apperr.NewForbidden()
	}
	if len(employeeIDs) == 0 {
		return nil, apperr.NewInvalid("employee_ids", "请选择员工", "Choose the employees")
	}
	var ids []int64
	err := s.DB.write(ctx, func(tx *txn) error {
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
			if err := tx.queryRow(`SELECT COUNT(*) FROM passes WHERE employee_id = ? AND status <> ?`, e.ID, pass.Revoked).Scan(&n); err != nil {
				return err
			}
			if err := pass.CanRequest(e.Name, n); err != nil {
				return err
			}
			id, err := tx.insertID(`INSERT INTO passes (employee_id, enterprise_id, status, requested_by, requested_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
				e.ID, e.EnterpriseID, pass.Requested, nullID(actor.UserID), tx.now(), tx.now())
			if err != nil {
				return err
			}
			if err := tx.audit(actor, "pass.request", "pass", id, map[string]any{"employee_id": e.ID, "enterprise_id": e.EnterpriseID}); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]pass.Pass, 0, len(ids))
	for _, id := range ids {
		p, err := s.Passes().Get(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// passScope restricts passes (alias p, enterprises e) to the actor's scope.
func (s *Store) passWhere(ctx context.Context, actor auth.Principal) (where, error) {
	var w where
	err := s.DB.enterpriseScope(ctx, actor, &w)
	return w, err
}

// GetPass returns a pass of an enterprise in scope.
func (h *Passes) Get(ctx context.Context, actor auth.Principal, id int64) (pass.Pass, error) {
	s := h.s
	if !actor.Can(auth.RosterView) && !actor.Can(auth.HealthDeclare) {
		return pass.Pass{}, apperr.NewForbidden()
	}
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return pass.Pass{}, err
	}
	w.add("p.id = ?", id)
	p, err := scanPass(s.DB.queryRow(ctx, `SELECT `+passCols+passFrom+w.sql(), w.args...))
	return p, notFound(err, "出入证")
}

// ListPasses lists the passes in scope, newest first, and how many match.
func (h *Passes) List(ctx context.Context, actor auth.Principal, f pass.Filter) ([]pass.Pass, int, error) {
	s := h.s
	if !actor.Can(auth.RosterView) {
		return nil, 0, apperr.NewForbidden()
	}
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return nil, 0, err
	}
	if err := pass.CheckStatus(f.Status); err != nil {
		return nil, 0, err
	}
	// The count takes the scope as the enterprises' ids (enterpriseIn).
	var cw where
	if err := s.DB.enterpriseIn(ctx, actor, &cw, "p.enterprise_id"); err != nil {
		return nil, 0, err
	}
	for _, x := range []*where{&w, &cw} {
		if f.EnterpriseID != 0 {
			x.add("p.enterprise_id = ?", f.EnterpriseID)
		}
		if f.Status != "" {
			x.add("p.status = ?", f.Status)
		}
	}
	// Every pass has its person (a person's passes are purged before the person), so the
	// count reads the index passes_enterprise for each enterprise in scope, and the page
	// reads passes newest first, each checked against the scope before its person is
	// looked up.
	// Passes change by a Write, or by a fever's suspension, which forgets what is kept.
	total, err := keep(ctx, s.DB, &s.DB.counts, fmt.Sprint("passes|", cw.sql(), cw.args), countTTL, func(ctx context.Context) (int, bool, error) {
		var n int
		err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM passes p`+cw.sql(), cw.args...).Scan(&n)
		return n, true, err
	})
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.query(ctx, `SELECT `+passCols+passListFrom+w.sql()+` ORDER BY p.id DESC`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []pass.Pass
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
func (h *Passes) Approve(ctx context.Context, actor auth.Principal, ids []int64) ([]pass.Pass, error) {
	s := h.s
	if !actor.Can(auth.PassesApprove) {
		return nil, apperr.NewForbidden()
	}
	if len(ids) == 0 {
		return nil, apperr.NewInvalid("ids", "请选择要批准的出入证", "Choose the passes to approve")
	}
	err := s.DB.write(ctx, func(tx *txn) error {
		for _, id := range ids {
			w, err := s.passWhere(ctx, actor)
			if err != nil {
				return err
			}
			w.add("p.id = ?", id)
			p, err := scanPass(tx.queryRow(`SELECT `+passCols+passFrom+w.sql(), w.args...))
			if err != nil {
				return notFound(err, "出入证")
			}
			if err := pass.CanApprove(id, p.Status); err != nil {
				return err
			}
			if err := tx.inGridChain(s.pol, p.EnterpriseID); err != nil {
				return err
			}
			e, expires, err := s.issuePass(ctx, tx, actor, p)
			if err != nil {
				return err
			}
			if err := tx.audit(actor, "pass.approve", "pass", p.ID, map[string]any{"employee_id": e.ID, "enterprise_id": e.EnterpriseID, "expires_at": expires}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]pass.Pass, 0, len(ids))
	for _, id := range ids {
		p, err := s.Passes().Get(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// signPass signs the token of pass id held by e, issued at now, with the expiry the
// policy gives a pass (pass.Expiry).
// issuePass, inside tx, issues the requested pass p of a person still eligible: signs its
// token and makes it active; it answers the person and the pass's expiry.
func (s *Store) issuePass(ctx context.Context, tx *txn, actor auth.Principal, p pass.Pass) (roster.Employee, time.Time, error) {
	e, err := s.employeeTx(ctx, tx, actor, p.EmployeeID)
	if err != nil {
		return e, time.Time{}, err
	}
	if err := s.eligible(tx, e); err != nil {
		return e, time.Time{}, err
	}
	now := tx.now()
	tok, expires, err := s.signPass(p.ID, e, now)
	if err != nil {
		return e, expires, err
	}
	_, err = tx.exec(`UPDATE passes SET status = ?, token = ?, issued_at = ?, expires_at = ?, approved_by = ?, reason = '', updated_at = ? WHERE id = ?`,
		pass.Active, tok, now, expires, nullID(actor.UserID), now, p.ID)
	return e, expires, err
}

func (s *Store) signPass(id int64, e roster.Employee, now time.Time) (token string, expires time.Time, err error) {
	expires = pass.Expiry(now, s.pol.Health, s.pol.Location())
	token, err = s.signer.Sign(sign.Claims{Kind: sign.PassKind, ID: id, Subject: roster.MaskName(e.Name), SubjectID: e.ID, IssuedAt: now, ExpiresAt: expires})
	return token, expires, err
}

// suspendPasses suspends the active (and requested) passes of an employee for reason.
func (tx *txn) suspendPasses(employeeID int64, reason string) (int64, error) {
	tx.forgetMemo() // the gate must see it at once
	res, err := tx.exec(`UPDATE passes SET status = ?, reason = ?, updated_at = ? WHERE employee_id = ? AND status IN (?, ?)`,
		pass.Suspended, reason, tx.now(), employeeID, pass.Suspendable[0], pass.Suspendable[1])
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ReactivatePass re-activates a suspended pass once no follow-up of the person is open,
// or renews an active one whose token has expired, when the person may still hold a pass:
// either way the pass is re-issued with a new token and a new expiry (the old token no
// longer opens the gate).
func (h *Passes) Reactivate(ctx context.Context, actor auth.Principal, id int64) (pass.Pass, error) {
	s := h.s
	if !actor.Can(auth.RosterView) {
		return pass.Pass{}, apperr.NewForbidden()
	}
	p, err := s.Passes().Get(ctx, actor, id)
	if err != nil {
		return pass.Pass{}, err
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		cur, err := scanPass(tx.queryRow(`SELECT `+passCols+passFrom+` WHERE p.id = ?`, id))
		if err != nil {
			return err
		}
		var open int
		if err := tx.queryRow(`SELECT COUNT(*) FROM health_followups WHERE employee_id = ? AND closed_at IS NULL`, p.EmployeeID).Scan(&open); err != nil {
			return err
		}
		if err := pass.CanReactivate(cur.Status, open, cur.Expired(tx.now())); err != nil {
			return err
		}
		e, err := s.employeeTx(ctx, tx, actor, p.EmployeeID)
		if err != nil {
			return err
		}
		if err := s.eligible(tx, e); err != nil {
			return err
		}
		now := tx.now()
		tok, expires, err := s.signPass(id, e, now)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE passes SET status = ?, reason = '', token = ?, issued_at = ?, expires_at = ?, updated_at = ? WHERE id = ?`,
			pass.Active, tok, now, expires, now, id); err != nil {
			return err
		}
		return tx.audit(actor, "pass.reactivate", "pass", id, map[string]any{"employee_id": p.EmployeeID, "from": cur.Status, "expires_at": expires})
	})
	if err != nil {
		return pass.Pass{}, err
	}
	return s.Passes().Get(ctx, actor, id)
}

// RevokePass revokes a pass for good (the person left, or by hand).
func (h *Passes) Revoke(ctx context.Context, actor auth.Principal, id int64, reason string) (pass.Pass, error) {
	s := h.s
	if !actor.Can(auth.RosterEdit) && !actor.Can(auth.PassesApprove) {
		return pass.Pass{}, apperr.NewForbidden()
	}
	reason, err := pass.RevokeReason(reason)
	if err != nil {
		return pass.Pass{}, err
	}
	if _, err := s.Passes().Get(ctx, actor, id); err != nil {
		return pass.Pass{}, err
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		if _, err := tx.exec(`UPDATE passes SET status = ?, reason = ?, updated_at = ? WHERE id = ?`, pass.Revoked, reason, tx.now(), id); err != nil {
			return err
		}
		return tx.audit(actor, "pass.revoke", "pass", id, map[string]any{"reason": reason})
	})
	if err != nil {
		return pass.Pass{}, err
	}
	return s.Passes().Get(ctx, actor, id)
}

// RevokedPasses lists, for offline gates, the ids of the passes in scope that must not
// open the gate: suspended or revoked, held by someone who left, or of an enterprise whose
// notice is revoked (or that has none).
func (h *Passes) Revoked(ctx context.Context, actor auth.Principal) ([]int64, error) {
	s := h.s
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return nil, err
	}
	w.add(`p.status <> ?`, pass.Requested)
	w.add(`(p.status IN (?, ?) OR m.left_at IS NOT NULL OR NOT EXISTS (SELECT 1 FROM notices n WHERE n.enterprise_id = p.enterprise_id AND n.revoked_at IS NULL AND n.suspended_at IS NULL))`,
		pass.Suspended, pass.Revoked)
	rows, err := s.DB.query(ctx, `SELECT p.id`+passFrom+w.sql()+` ORDER BY p.id`, w.args...)
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
func (h *Passes) SuspendMissedChecks(ctx context.Context, actor auth.Principal, day time.Time) (int, error) {
	s := h.s
	if !actor.Can(auth.PassesApprove) {
		return 0, apperr.NewForbidden()
	}
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.DB.write(ctx, func(tx *txn) error {
		n, err = s.suspendMissedTx(tx, actor, w, day, false)
		return err
	})
	return n, err
}

// suspendMissedTx is SuspendMissedChecks inside tx, over the passes scope selects; with
// wholeDay, only passes held since the day began.
func (s *Store) suspendMissedTx(tx *txn, actor auth.Principal, scope where, day time.Time, wholeDay bool) (int, error) {
	loc := s.pol.Location()
	d := roster.FormatDate(day, loc)
	w := scope.clone()
	w.add("p.status = ?", pass.Active)
	if wholeDay {
		w.add("p.issued_at < ?", roster.Day(day, loc).UTC())
	}
	w.add(`(SELECT COUNT(*) FROM health_checks h WHERE h.enterprise_id = p.enterprise_id AND h.day = ? AND h.employee_id = p.employee_id) < ?`, d, s.pol.Health.ChecksPerDay)
	rows, err := tx.query(`SELECT p.id, p.employee_id, p.enterprise_id`+passFrom+w.sql()+` ORDER BY p.enterprise_id, p.id`, w.args...)
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
		if _, err := tx.exec(`UPDATE passes SET status = ?, reason = ?, updated_at = ? WHERE id = ?`, pass.Suspended, pass.ReasonMissedChecks, tx.now(), h.pass); err != nil {
			return 0, err
		}
		if err := tx.audit(actor, "pass.suspend", "pass", h.pass, map[string]any{"reason": pass.ReasonMissedChecks, "day": d}); err != nil {
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

// jobMissedChecks is the daily job that suspends the passes of people who missed the
// previous day's checks (a pass issued during that day is not held to them).
const jobMissedChecks = "suspend_missed_checks"

// DailyRun is what RunDailyJobs did.
type DailyRun struct {
	Day       string           // the day the jobs are for (the day before now)
	Ran       bool             // the missed-checks job ran in this call
	Suspended int              // the passes it suspended
	Purged    bool             // the retention purge ran in this call
	Plan      retention.Plan   // its cut-off
	Counts    retention.Counts // what it removed
	Escalated int              // rectification orders escalated for being overdue
	Reminded  int              // appointments of tomorrow whose reminder went out
	Clocks    ClockRefresh     // the stored clocks brought up to the day (clock.go)
}

// RunDailyJobs brings the stored clocks up to now's day (clock.go) and runs the jobs of
// the day before now once it is over (pass.MissedChecksDay): the passes of people who missed that day's checks are suspended, then the personal
// data past the policy's retention period is purged (purge.go), overdue rectification
// orders are escalated, tomorrow's appointments reminded and the day rolled up for the
// dashboard's trend. Of the instances sharing a
// database, the first to record a job's day (or an order's level, an appointment's
// reminder) in the same transaction runs it; Ran and Purged are false when it was already
// done or it is too early. It is safe to call at any time, as often as wanted.
func (s *Store) RunDailyJobs(ctx context.Context, now time.Time) (r DailyRun, err error) {
	loc := s.pol.Location()
	// The people whose phase changes today (the end of a measure, a return day): their
	// stored clocks first, whatever else is due.
	if r.Clocks, err = s.refreshClocksAt(ctx, now); err != nil {
		return r, err
	}
	yesterday, due := pass.MissedChecksDay(now, loc)
	r.Day = roster.FormatDate(yesterday, loc)
	if !due {
		return r, nil
	}
	if r.Ran, r.Suspended, err = s.missedChecksJob(ctx, r.Day, yesterday); err != nil {
		return r, err
	}
	if r.Purged, r.Plan, r.Counts, err = s.purgeJob(ctx, r.Day, now); err != nil {
		return r, err
	}
	if r.Escalated, err = s.rectifications.EscalateDue(ctx); err != nil {
		return r, err
	}
	if r.Reminded, err = s.appointments.remind(ctx, now); err != nil {
		return r, err
	}
	// The dashboard's roll-up of the day (dashboard.go), so that no page view counts it.
	return r, s.Dashboard().rollUpDay(ctx, r.Day)
}

// missedChecksJob suspends, once, the passes of people who missed the checks of day.
func (s *Store) missedChecksJob(ctx context.Context, day string, yesterday time.Time) (ran bool, suspended int, err error) {
	// Done already: say so without a write (a write would also empty the memo).
	var done int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM daily_jobs WHERE name = ? AND day = ?`, jobMissedChecks, day).Scan(&done); err != nil || done > 0 {
		return false, 0, err
	}
	scope, err := s.passWhere(ctx, auth.System)
	if err != nil {
		return false, 0, err
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		res, err := tx.exec(`INSERT INTO daily_jobs (name, day, ran_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, jobMissedChecks, day, tx.now())
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
		_, err = tx.exec(`UPDATE daily_jobs SET result = ? WHERE name = ? AND day = ?`, fmt.Sprintf("%d passes suspended", suspended), jobMissedChecks, day)
		return err
	})
	if err != nil {
		return false, 0, err
	}
	return ran, suspended, nil
}

// enterpriseTx reads what notifications need of an enterprise.
func (tx *txn) enterpriseBrief(id int64) (enterprise.Enterprise, error) {
	var e enterprise.Enterprise
	var park sql.NullInt64
	err := tx.queryRow(`SELECT id, name, region_code, park_id FROM enterprises WHERE id = ?`, id).Scan(&e.ID, &e.Name, &e.RegionCode, &park)
	e.ParkID = park.Int64
	return e, err
}

// passStatus looks a pass up for online verification (public: the enterprise's name
// and the pass's standing, nothing of the person). A suspended or revoked pass, or one of
// an enterprise whose notice is revoked, is not in force: neither the reason nor the day
// is read, so none can be told.
func (h *Notices) passStatus(ctx context.Context, id int64) (notice.Status, error) {
	s := h.s
	db := s.DB
	var st notice.Status
	var status string
	var issued sql.NullTime
	var validNotice int
	err := db.queryRow(ctx, `SELECT e.name, p.status, p.issued_at,
		(SELECT COUNT(*) FROM notices n WHERE n.enterprise_id = p.enterprise_id AND n.revoked_at IS NULL AND n.suspended_at IS NULL)
		FROM passes p JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = ?`, id).
		Scan(&st.Enterprise, &status, &issued, &validNotice)
	if isNoRows(err) {
		return notice.Status{}, nil
	}
	if err != nil {
		return st, err
	}
	sd := pass.StandingOf(status, validNotice > 0)
	if !sd.Found {
		return notice.Status{}, nil
	}
	st.Found, st.IssuedAt, st.NotInForce = true, issued.Time.UTC(), !sd.Valid
	return st, nil
}

// MarkLeft records that an employee has left the enterprise: the person file keeps the
// day, and every pass of the person that is not yet revoked is revoked, in one transaction.
func (h *Roster) MarkLeft(ctx context.Context, actor auth.Principal, id int64) (roster.Item, error) {
	s := h.s
	if !actor.Can(auth.RosterEdit) {
		return roster.Item{}, apperr.NewForbidden()
	}
	err := s.DB.write(ctx, func(tx *txn) error {
		e, err := s.employeeTx(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if e.LeftAt != nil {
			return apperr.NewConflict("该员工已登记离职", "The employee is already recorded as having left")
		}
		if _, err := tx.exec(`UPDATE employees SET left_at = ?, version = version + 1, updated_at = ? WHERE id = ?`, tx.now(), tx.now(), id); err != nil {
			return err
		}
		if err := tx.recountRoster(e.EnterpriseID); err != nil {
			return err
		}
		res, err := tx.exec(`UPDATE passes SET status = ?, reason = ?, updated_at = ? WHERE employee_id = ? AND status <> ?`,
			pass.Revoked, pass.ReasonLeft, tx.now(), id, pass.Revoked)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		return tx.audit(actor, "employee.leave", "employee", id, map[string]any{"name": e.Name, "passes_revoked": n})
	})
	if err != nil {
		return roster.Item{}, err
	}
	return s.Roster().Get(ctx, actor, id)
}
