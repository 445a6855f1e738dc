package store

import (
	"context"
	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/dashboard"
	"time"
)

// ExecForTest runs raw SQL, bypassing the store's rules, to simulate tampering.
func ExecForTest(ctx context.Context, db *DB, q string) error {
	_, err := db.writer.ExecContext(ctx, q)
	return err
}

// CountForTest runs a COUNT query on the reader.
func CountForTest(ctx context.Context, db *DB, q string) (int, error) {
	var n int
	err := db.queryRow(ctx, q).Scan(&n)
	return n, err
}

// SetMemoTTLForTest shortens how long looked-up answers are kept.
func SetMemoTTLForTest(db *DB, d time.Duration) { db.memo.ttl = d }

// PreparedForTest counts the hot statements kept prepared on the reader and the writer.
func PreparedForTest(db *DB) (read, write int) {
	db.readStmts.mu.Lock()
	read = len(db.readStmts.ready)
	db.readStmts.mu.Unlock()
	db.writeStmts.mu.Lock()
	write = len(db.writeStmts.ready)
	db.writeStmts.mu.Unlock()
	return read, write
}

// GroupComingForTest announces a grouped write, as a reading or a scan does while it
// reads what it needs.
func GroupComingForTest(db *DB) (arrived func()) { return db.groupComing() }

// Tx is the write transaction, for tests that run a change inside one.
type Tx = txn

// Exec runs a statement inside the transaction (tests).
func (tx *txn) Exec(q string, args ...any) error {
	_, err := tx.exec(q, args...)
	return err
}

// queuedForTest is a hot insert into grouped_q, a table of the group-commit tests.
var queuedForTest = hotInsert("grouped_q", "n bigint")

// CreateQueuedForTest creates grouped_q (ids from a sequence, n unique) and grouped_seen.
func CreateQueuedForTest(ctx context.Context, db *DB) error {
	if err := ExecForTest(ctx, db, db.dialect(`CREATE TABLE grouped_q (id {{ID}}, n BIGINT NOT NULL UNIQUE)`)); err != nil {
		return err
	}
	return ExecForTest(ctx, db, `CREATE TABLE grouped_seen (id BIGINT NOT NULL)`)
}

// InsertQueued writes a row of grouped_q as readings and scans write theirs: queued and
// sent with its group's others on PostgreSQL.
func (tx *txn) InsertQueued(n int64) (int64, error) { return tx.insertRow(queuedForTest, n) }

// WriteGroupedForTest runs fn in a grouped transaction.
func WriteGroupedForTest(ctx context.Context, db *DB, fn func(*Tx) error) error {
	return db.writeGrouped(ctx, fn)
}

// AuditHashAtForTest returns the hash of row seq of the trail.
func AuditHashAtForTest(ctx context.Context, db *DB, seq int64) (string, bool, error) {
	return db.auditHashAt(ctx, seq)
}

// LockPathForTest is the lock file beside a SQLite database file.
func LockPathForTest(path string) string { return lockPath(path) }

// ScanRowForTest runs a query on the reader and scans its one row.
func ScanRowForTest(ctx context.Context, db *DB, q string, args []any, dest ...any) error {
	return db.queryRow(ctx, q, args...).Scan(dest...)
}

// PgColumnForTest is how the values of a column of queued rows are sent to PostgreSQL.
func PgColumnForTest(typ string, vals ...any) (any, error) {
	rows := make([][]any, len(vals))
	for i, v := range vals {
		rows[i] = []any{int64(i + 1), v}
	}
	return pgColumn(typ, rows, 1)
}

// FileUsesForTest counts what refers to a stored file, as the purge asks before it
// removes one (no person's certificate is being purged).
func FileUsesForTest(ctx context.Context, db *DB, sum string) (int, error) {
	q, args := purgeRefs{people: "SELECT 0"}.stillUsed(sum)
	var n int
	err := db.queryRow(ctx, q, args...).Scan(&n)
	return n, err
}

// Remind runs the appointments' reminders of the daily jobs as of now.
func (h *Appointments) Remind(ctx context.Context, now time.Time) (int, error) {
	return h.remind(ctx, now)
}

// Breakdown is the breakdown of Board by one grouping (dim): the figures of the caller's
// scope narrowed by f, one row per region one level below f.Region (or the scope's own
// region), park, category or reviewing unit, named in lang.
func (h *Dashboard) Breakdown(ctx context.Context, p auth.Principal, f dashboard.Filter, dim, lang string) ([]dashboard.Row, error) {
	b, err := h.Board(ctx, p, f, []string{dim}, lang, 0, nil)
	return b.By[dim], err
}

// Figures counts the dashboard of the caller's scope narrowed by f.
func (h *Dashboard) Figures(ctx context.Context, p auth.Principal, f dashboard.Filter) (dashboard.Figures, error) {
	w, err := h.dashWhere(ctx, p, f)
	if err != nil {
		return dashboard.Figures{}, err
	}
	return h.figures(ctx, w, f)
}

// Trend is the resumption rates of the caller's scope narrowed by f over the n days up to
// f.Day (today when empty): the days before today read from the roll-up (rolled up first
// where missing), today counted live.
func (h *Dashboard) Trend(ctx context.Context, p auth.Principal, f dashboard.Filter, n int) ([]dashboard.Row, error) {
	w, err := h.dashWhere(ctx, p, f)
	if err != nil {
		return nil, err
	}
	day, _, end, err := h.dayBounds(f)
	if err != nil {
		return nil, err
	}
	var ents []dashboard.EnterpriseDay
	if day == h.s.Today() {
		if ents, err = h.dayEnterprises(ctx, w, day, end); err != nil {
			return nil, err
		}
	}
	return h.trendOf(ctx, w, day, n, ents)
}

// ChecksOn counts the readings of the employees in scope on a day (YYYY-MM-DD in the
// policy's time zone); employeeID 0 counts everybody in scope.
func (h *Health) ChecksOn(ctx context.Context, actor auth.Principal, employeeID int64, day string) (int, error) {
	s := h.s
	if !actor.Can(auth.RosterView) && !actor.Can(auth.HealthRecord) {
		return 0, apperr.NewForbidden()
	}
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return 0, err
	}
	if employeeID != 0 {
		w.add("h.employee_id = ?", employeeID)
	}
	if day != "" {
		w.add("h.day = ?", day)
	}
	var n int
	err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM health_checks h JOIN enterprises e ON e.id = h.enterprise_id`+w.sql(), w.args...).Scan(&n)
	return n, err
}
