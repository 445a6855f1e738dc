package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/gate"
	"fugong/internal/retention"
)

// jobPurge is the daily job that runs the retention purge.
const jobPurge = "retention_purge"

// purgeStep is one kind of record the purge removes: the rows of table matching cond,
// deleted, or updated with set when the rows stay (accounts).
type purgeStep struct {
	kind  retention.Kind
	table string
	cond  string
	args  []any
	set   string // "" deletes the rows
	sargs []any
}

// purgeSQL builds the steps of the purge of plan within the actor's scope, in the order
// they run (follow-ups before the readings they rest on, everything of a person before
// the person file). The conditions are the plan's tests written in SQL, kind by kind as
// retention.Rules say: a day before plan.Cutoff (Plan.DayDue), an instant before
// plan.CutoffAt (Plan.InstantDue). Every condition holds the same before and after the
// steps before it, so that counting them (a dry run) gives what deleting them removes.
func (db *DB) purgeSQL(ctx context.Context, actor auth.Principal, plan retention.Plan, at time.Time) ([]purgeStep, purgeRefs, error) {
	var w where
	if err := db.enterpriseScope(ctx, actor, &w); err != nil {
		return nil, purgeRefs{}, err
	}
	// The enterprises in scope, as a condition on a table's enterprise_id (none for the
	// whole installation: a scan of an unknown pass has no enterprise).
	inScope := func(col string) (string, []any) {
		if len(w.conds) == 0 {
			return "1 = 1", nil
		}
		return col + ` IN (SELECT e.id FROM enterprises e` + w.sql() + `)`, w.args
	}
	entCond, entArgs := inScope("m.enterprise_id")
	// The people who left before the cut-off: their files go whole.
	people := `SELECT m.id FROM employees m WHERE m.left_at IS NOT NULL AND m.left_at < ? AND ` + entCond
	peopleArgs := append([]any{plan.CutoffAt}, entArgs...)
	// A follow-up goes once closed before the cut-off, or with its person.
	fuDue := `((closed_at IS NOT NULL AND closed_at < ?) OR employee_id IN (` + people + `))`
	fuArgs := append([]any{plan.CutoffAt}, peopleArgs...)

	scoped := func(cond string, args ...any) (string, []any) {
		sc, sargs := inScope("enterprise_id")
		return sc + ` AND ` + cond, append(append([]any{}, sargs...), args...)
	}
	var steps []purgeStep
	add := func(kind retention.Kind, table, cond string, args []any) {
		steps = append(steps, purgeStep{kind: kind, table: table, cond: cond, args: args})
	}
	c, a := scoped(fuDue, fuArgs...)
	add(retention.FollowUps, "health_followups", c, a)
	// A reading goes with its day, unless a follow-up that stays rests on it.
	c, a = scoped(`((day < ? AND id NOT IN (SELECT check_id FROM health_followups WHERE check_id IS NOT NULL AND NOT `+fuDue+`))
		OR employee_id IN (`+people+`))`, append(append([]any{plan.Cutoff}, fuArgs...), peopleArgs...)...)
	add(retention.Readings, "health_checks", c, a)
	c, a = scoped(`kind = ? AND (day < ? OR employee_id IN (`+people+`))`, append([]any{gate.KindEmployee, plan.Cutoff}, peopleArgs...)...)
	add(retention.GateScans, "gate_events", c, a)
	c, a = scoped(`kind IN (?, ?) AND day < ?`, gate.KindVisitor, gate.KindVehicle, plan.Cutoff)
	add(retention.Visitors, "gate_events", c, a)
	add(retention.Passes, "passes", `employee_id IN (`+people+`)`, peopleArgs)
	steps = append(steps, purgeStep{kind: retention.Accounts, table: "users", cond: `employee_id IN (` + people + `)`, args: peopleArgs,
		set: `employee_id = NULL, disabled = ?, updated_at = ?`, sargs: []any{true, at}})
	add(retention.Certificates, "employees", `cert_sha256 <> '' AND id IN (`+people+`)`, peopleArgs)
	add(retention.PersonFiles, "employees", `id IN (`+people+`)`, peopleArgs)
	return steps, purgeRefs{people: people, args: peopleArgs}, nil
}

// purgeRefs finds the certificate files of the people whose files go, and whether any
// record other than those files still refers to one.
type purgeRefs struct {
	people string
	args   []any
}

func (r purgeRefs) certificates() (string, []any) {
	return `SELECT DISTINCT cert_sha256 FROM employees WHERE cert_sha256 <> '' AND id IN (` + r.people + `)`, r.args
}

// stillUsed counts what else refers to a stored file: every table that keeps files by
// their SHA-256 (a file's content is stored once, whoever uploaded it).
func (r purgeRefs) stillUsed(sum string) (string, []any) {
	return `SELECT (SELECT COUNT(*) FROM employees WHERE cert_sha256 = ? AND id NOT IN (` + r.people + `))
		+ (SELECT COUNT(*) FROM attachments WHERE sha256 = ?)
		+ (SELECT COUNT(*) FROM supervision_photos WHERE sha256 = ?)
		+ (SELECT COUNT(*) FROM tip_photos WHERE sha256 = ?)
		+ (SELECT COUNT(*) FROM enterprise_request_files WHERE sha256 = ?)
		+ (SELECT COUNT(*) FROM guidance_files WHERE sha256 = ?)
		+ (SELECT COUNT(*) FROM visits WHERE ',' || photos || ',' LIKE ?)`,
		append(append([]any{sum}, r.args...), sum, sum, sum, sum, sum, "%,"+sum+",%")
}

// unusedFiles are the certificate files of the people whose files go that no other
// record refers to: the files the purge removes from disk.
// It reads through query and queryRow: the reader's (a dry run) or the transaction's.
func unusedFiles(query func(string, ...any) (*sql.Rows, error), queryRow func(string, ...any) *sql.Row, refs purgeRefs) ([]string, error) {
	cq, cargs := refs.certificates()
	rows, err := query(cq, cargs...)
	if err != nil {
		return nil, err
	}
	var sums []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		sums = append(sums, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var unused []string
	for _, s := range sums {
		uq, uargs := refs.stillUsed(s)
		var n int
		if err := queryRow(uq, uargs...).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			unused = append(unused, s)
		}
	}
	return unused, nil
}

// Purge removes the personal data the policy's retention period has passed for
// (retention.Due at now) in the actor's scope: readings, follow-ups, gate scans, the
// visitor and vehicle register, and the person files of people who left with their
// passes and certificates; their staff accounts are unlinked and disabled. Confirmed
// daily reports stay. It commits in one transaction with one audit row of the counts,
// then removes the certificate files no record refers to any more (when the store has
// the file store). With dryRun it only counts, and changes nothing. Administrators only.
func (s *Store) Purge(ctx context.Context, actor auth.Principal, now time.Time, dryRun bool) (retention.Plan, retention.Counts, error) {
	if actor.Role != auth.Admin {
		return retention.Plan{}, nil, apperr.NewForbidden()
	}
	plan, ok := retention.Due(now, s.pol.Health, s.pol.Location())
	if !ok {
		return plan, retention.Counts{}, nil
	}
	if dryRun {
		counts, err := s.countDue(ctx, actor, plan)
		return plan, counts, err
	}
	var counts retention.Counts
	var unused []string
	err := s.DB.write(ctx, func(tx *txn) error {
		var err error
		counts, unused, err = s.purgeTx(ctx, tx, actor, plan)
		return err
	})
	if err != nil {
		return plan, nil, err
	}
	s.removeFiles(unused)
	return plan, counts, nil
}

// countDue counts what the purge of plan would remove.
func (s *Store) countDue(ctx context.Context, actor auth.Principal, plan retention.Plan) (retention.Counts, error) {
	steps, refs, err := s.DB.purgeSQL(ctx, actor, plan, s.DB.Now())
	if err != nil {
		return nil, err
	}
	counts := retention.Counts{}
	for _, st := range steps {
		var n int64
		if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM `+st.table+` WHERE `+st.cond, st.args...).Scan(&n); err != nil {
			return nil, fmt.Errorf("purge %s: %w", st.kind, err)
		}
		counts[st.kind] += n
	}
	unused, err := unusedFiles(func(q string, args ...any) (*sql.Rows, error) { return s.DB.query(ctx, q, args...) },
		func(q string, args ...any) *sql.Row { return s.DB.queryRow(ctx, q, args...) }, refs)
	if err != nil {
		return nil, err
	}
	if s.files != nil {
		counts[retention.Files] = int64(len(unused))
	}
	return counts, nil
}

// purgeTx runs the purge of plan in tx with its audit row, and returns the counts and the
// files to remove once it has committed.
func (s *Store) purgeTx(ctx context.Context, tx *txn, actor auth.Principal, plan retention.Plan) (retention.Counts, []string, error) {
	steps, refs, err := s.DB.purgeSQL(ctx, actor, plan, tx.now())
	if err != nil {
		return nil, nil, err
	}
	// The files first, while the person files that refer to them are still there.
	unused, err := unusedFiles(tx.query, tx.queryRow, refs)
	if err != nil {
		return nil, nil, err
	}
	if s.files == nil {
		unused = nil
	}
	counts := retention.Counts{retention.Files: int64(len(unused))}
	for _, st := range steps {
		var q string
		var args []any
		switch {
		case st.kind == retention.Certificates: // they go with the person files: count them
			var n int64
			if err := tx.queryRow(`SELECT COUNT(*) FROM `+st.table+` WHERE `+st.cond, st.args...).Scan(&n); err != nil {
				return nil, nil, fmt.Errorf("purge %s: %w", st.kind, err)
			}
			counts[st.kind] += n
			continue
		case st.set != "":
			q, args = `UPDATE `+st.table+` SET `+st.set+` WHERE `+st.cond, append(append([]any{}, st.sargs...), st.args...)
		default:
			q, args = `DELETE FROM `+st.table+` WHERE `+st.cond, st.args
		}
		res, err := tx.exec(q, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("purge %s: %w", st.kind, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, nil, err
		}
		counts[st.kind] += n
	}
	return counts, unused, tx.audit(actor, "retention.purge", "retention", plan.Cutoff, counts.Summary(plan))
}

// removeFiles removes files no record refers to any more, after the purge committed. A
// file that cannot be removed stays on disk, unreferenced; the next upload of the same
// content finds it there.
func (s *Store) removeFiles(sums []string) {
	if s.files == nil {
		return
	}
	for _, sum := range sums {
		s.files.Remove(sum)
	}
}

// purgeJob runs the retention purge once for day, like the missed-checks job: of the
// instances sharing a database, the first to record the day runs it, in the same
// transaction.
func (s *Store) purgeJob(ctx context.Context, day string, now time.Time) (ran bool, plan retention.Plan, counts retention.Counts, err error) {
	var done int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM daily_jobs WHERE name = ? AND day = ?`, jobPurge, day).Scan(&done); err != nil || done > 0 {
		return false, plan, nil, err
	}
	plan, ok := retention.Due(now, s.pol.Health, s.pol.Location())
	var unused []string
	err = s.DB.write(ctx, func(tx *txn) error {
		res, err := tx.exec(`INSERT INTO daily_jobs (name, day, ran_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, jobPurge, day, tx.now())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // done already, by this instance or another
		}
		ran = true
		result := "no retention period in the policy"
		if ok {
			if counts, unused, err = s.purgeTx(ctx, tx, auth.System, plan); err != nil {
				return err
			}
			result = fmt.Sprintf("before %s: %s", plan.Cutoff, countsLine(counts))
		}
		_, err = tx.exec(`UPDATE daily_jobs SET result = ? WHERE name = ? AND day = ?`, result, jobPurge, day)
		return err
	})
	if err != nil {
		return false, plan, nil, err
	}
	s.removeFiles(unused)
	return ran, plan, counts, nil
}

// countsLine is the counts in one line, kind=n in the order of retention.Rules.
func countsLine(c retention.Counts) string {
	var parts []string
	for _, r := range retention.Rules {
		parts = append(parts, fmt.Sprintf("%s=%d", r.Kind, c[r.Kind]))
	}
	return strings.Join(parts, " ")
}
