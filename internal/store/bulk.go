package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/roster"
)

// Bulk is one bulk load: many rows of several tables written in a single transaction, by
// COPY on PostgreSQL and by multi-row INSERTs on SQLite, with their audit rows. Nothing
// of it is visible until it commits, and nothing of it is kept when it fails. It is for
// filling a database (a test city), never for the use cases, which check what they write.
type Bulk struct {
	tx   *txn
	conn *sql.Conn // PostgreSQL: the connection the transaction runs on, for COPY
	// ids names the tables given explicit ids, whose sequences follow them at the end.
	ids []string
	// indexes are the definitions of the indexes dropped for the load, rebuilt before it
	// commits; then the foreign keys dropped (PostgreSQL) are added back, each checked
	// over all rows at once.
	indexes, foreign []string
}

// bulkCacheKiB is SQLite's page cache during a bulk load.
const bulkCacheKiB = 1 << 20

// BulkLoad runs fn in one write transaction and commits when it returns nil.
func (db *DB) BulkLoad(ctx context.Context, fn func(b *Bulk) error) (err error) {
	var conn *sql.Conn
	var sqlTx *sql.Tx
	if db.Engine == Postgres {
		if conn, err = db.writer.Conn(ctx); err != nil {
			return fmt.Errorf("bulk: %w", err)
		}
		defer conn.Close()
		sqlTx, err = conn.BeginTx(ctx, nil)
	} else {
		// The load's pages stay in memory until it commits instead of spilling into the
		// WAL as they change (the writer pool is one connection: the setting is its own).
		if _, err := db.writer.ExecContext(ctx, `PRAGMA cache_size = -`+fmt.Sprint(bulkCacheKiB)); err != nil {
			return fmt.Errorf("bulk: %w", err)
		}
		defer db.writer.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`) // SQLite's default
		sqlTx, err = db.writer.BeginTx(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("bulk begin: %w", err)
	}
	b := &Bulk{tx: &txn{db: db, tx: sqlTx, ctx: ctx, at: db.Now().UTC().Truncate(time.Microsecond), forget: true}, conn: conn}
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			sqlTx.Rollback()
		}
	}()
	if err = fn(b); err != nil {
		return err
	}
	if err = b.RestoreIndexes(); err != nil {
		return err
	}
	if db.Engine == Postgres {
		for _, t := range b.ids {
			// Identity columns given explicit values: the sequence continues after them.
			if _, err = b.tx.exec(`SELECT setval(pg_get_serial_sequence('` + t + `', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM ` + t + `), false)`); err != nil {
				return fmt.Errorf("bulk %s: %w", t, err)
			}
		}
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("bulk commit: %w", err)
	}
	db.memo.changed()
	return nil
}

// Now is the time of the load, the same for every row that takes it.
func (b *Bulk) Now() time.Time { return b.tx.now() }

// NextID is the first id free in table (tables with an id column).
func (b *Bulk) NextID(table string) (int64, error) {
	if !validIdent(table) {
		return 0, fmt.Errorf("bulk: bad table name %q", table)
	}
	var n int64
	err := b.tx.queryRow(`SELECT COALESCE(MAX(id), 0) FROM ` + table).Scan(&n)
	return n + 1, err
}

// Count is the number of rows of table.
func (b *Bulk) Count(table string) (int64, error) {
	if !validIdent(table) {
		return 0, fmt.Errorf("bulk: bad table name %q", table)
	}
	var n int64
	err := b.tx.queryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n)
	return n, err
}

// DeferIndexes drops the secondary indexes of table (not those of its primary key or
// constraints) until RestoreIndexes, or the end of the load, builds them again from their
// definitions: building an index once over all rows is faster than keeping it up to date
// row by row. A unique index is checked when it is built; a duplicate fails the load. On
// PostgreSQL the table's foreign keys are dropped too and added back at the end, which
// checks every row against its parent in one pass instead of one look-up per row; a row
// whose parent is missing fails the load.
func (b *Bulk) DeferIndexes(table string) error {
	if !validIdent(table) {
		return fmt.Errorf("bulk: bad table name %q", table)
	}
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`
	if b.tx.engine() == Postgres {
		q = `SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
			WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) ORDER BY i.relname`
	}
	names, defs, err := b.namedDefs(q, table)
	if err != nil {
		return fmt.Errorf("bulk indexes of %s: %w", table, err)
	}
	for i, name := range names {
		if !validIdent(name) {
			return fmt.Errorf("bulk: bad index name %q", name)
		}
		if _, err := b.tx.exec(`DROP INDEX ` + name); err != nil {
			return fmt.Errorf("bulk: drop index %s: %w", name, err)
		}
		b.indexes = append(b.indexes, defs[i])
	}
	if b.tx.engine() != Postgres {
		return nil
	}
	names, defs, err = b.namedDefs(`SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = (current_schema() || '.' || ?)::regclass AND contype = 'f' ORDER BY conname`, table)
	if err != nil {
		return fmt.Errorf("bulk foreign keys of %s: %w", table, err)
	}
	for i, name := range names {
		if !validIdent(name) {
			return fmt.Errorf("bulk: bad constraint name %q", name)
		}
		if _, err := b.tx.exec(`ALTER TABLE ` + table + ` DROP CONSTRAINT ` + name); err != nil {
			return fmt.Errorf("bulk: drop constraint %s: %w", name, err)
		}
		b.foreign = append(b.foreign, `ALTER TABLE `+table+` ADD CONSTRAINT `+name+` `+defs[i])
	}
	return nil
}

// RestoreIndexes builds again the indexes DeferIndexes dropped and adds back its foreign keys.
func (b *Bulk) RestoreIndexes() error {
	for len(b.indexes) > 0 {
		if _, err := b.tx.exec(b.indexes[0]); err != nil {
			return fmt.Errorf("bulk: rebuild index: %w", err)
		}
		b.indexes = b.indexes[1:]
	}
	for len(b.foreign) > 0 {
		if _, err := b.tx.exec(b.foreign[0]); err != nil {
			return fmt.Errorf("bulk: restore foreign key: %w", err)
		}
		b.foreign = b.foreign[1:]
	}
	return nil
}

// Audit appends an audit row in the load's transaction, as every change does.
func (b *Bulk) Audit(actor auth.Principal, action, objectType string, objectID any, summary map[string]any) error {
	return b.tx.audit(actor, action, objectType, objectID, summary)
}

// SetClockState records that the stored clocks of every person were computed under the
// policy version on day (YYYY-MM-DD in the policy's zone).
func (b *Bulk) SetClockState(policyVersion, day string) error {
	_, err := b.tx.exec(`INSERT INTO clock_state (id, policy, day) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, day = excluded.day`, policyVersion, day)
	return err
}

// Copy writes the rows next gives into table's columns until it returns a nil row, and
// returns how many it wrote. A row's values are read before next is called again, so
// next may reuse its slice. When the columns include id, the table's sequence is moved
// past the ids given when the load commits.
func (b *Bulk) Copy(table string, cols []string, next func() ([]any, error)) (int64, error) {
	if !validIdent(table) || slices.ContainsFunc(cols, func(c string) bool { return !validIdent(c) }) || len(cols) == 0 {
		return 0, fmt.Errorf("bulk: bad table %q or columns %v", table, cols)
	}
	if slices.Contains(cols, "id") && !slices.Contains(b.ids, table) {
		b.ids = append(b.ids, table)
	}
	if b.conn != nil {
		var n int64
		err := b.conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("bulk: unexpected driver connection %T", dc)
			}
			var err error
			n, err = c.Conn().CopyFrom(b.tx.ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(next))
			return err
		})
		if err != nil {
			return n, fmt.Errorf("bulk copy into %s: %w", table, err)
		}
		return n, nil
	}
	return b.insertRows(table, cols, next)
}

// insertRows is Copy for SQLite: multi-row INSERTs of up to 32,000 values each, the full
// ones through one prepared statement.
func (b *Bulk) insertRows(table string, cols []string, next func() ([]any, error)) (int64, error) {
	per := max(1, min(1000, 32000/len(cols)))
	stmtFor := func(rows int) string {
		var s strings.Builder
		s.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
		for i := range rows {
			if i > 0 {
				s.WriteString(", ")
			}
			s.WriteString(one)
		}
		return s.String()
	}
	full, err := b.tx.tx.PrepareContext(b.tx.ctx, stmtFor(per))
	if err != nil {
		return 0, fmt.Errorf("bulk insert into %s: %w", table, err)
	}
	defer full.Close()
	args := make([]any, 0, per*len(cols))
	var n int64
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		rows := len(args) / len(cols)
		var err error
		if rows == per {
			_, err = full.ExecContext(b.tx.ctx, args...)
		} else {
			_, err = b.tx.tx.ExecContext(b.tx.ctx, stmtFor(rows), args...)
		}
		if err != nil {
			return fmt.Errorf("bulk insert into %s: %w", table, err)
		}
		n += int64(rows)
		args = args[:0]
		return nil
	}
	for {
		row, err := next()
		if err != nil {
			return n, err
		}
		if row == nil {
			break
		}
		if len(row) != len(cols) {
			return n, fmt.Errorf("bulk insert into %s: a row of %d values for %d columns", table, len(row), len(cols))
		}
		args = append(args, row...)
		if len(args) == per*len(cols) {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	return n, flush()
}

// validIdent reports whether s is a plain SQL identifier (letters, digits, underscores).
func validIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// EmployeeColumns are the columns of an employee row as EmployeeRow gives them.
var EmployeeColumns = append([]string{"id"}, strings.Fields(strings.NewReplacer(",", " ").Replace(employeeInsertCols))...)

// EmployeeRow is the row of a new employee with the given id as the store writes it: the ID
// number sealed, indexed and masked with the store's box, the return date in the policy's
// zone, version 1, and the clock's stored form (phase, next change, journey flag) as of
// now. The row is checked by nothing: the caller gives valid people.
func (s *Store) EmployeeRow(id int64, e roster.Employee, now time.Time) []any {
	args := s.insertArgs(e, s.box.Index(e.IDNumber), now)
	// insertArgs leaves version to the statement: the columns name it, the values say 1.
	i := slices.Index(strings.Fields(strings.NewReplacer(",", " ").Replace(employeeInsertCols)), "version")
	args = slices.Insert(args, i, any(1))
	return append([]any{id}, args...) // the stored clock is the last three (clockArgs)
}

// SignPass is the token and expiry a pass gets when it is approved at now (passes.go).
func (s *Store) SignPass(id int64, e roster.Employee, now time.Time) (token string, expires time.Time, err error) {
	return s.signPass(id, e, now)
}

// SignNotice is the token of a resumption notice, signed with the store's key.
func (s *Store) SignNotice(id int64, serial, enterprise string, enterpriseID int64, issued time.Time) (string, error) {
	return s.signer.SignNotice(id, serial, enterprise, enterpriseID, issued)
}

// ApplicationForm is the stored form of an application (its JSON column).
func ApplicationForm(a application.Application) string { return formOf(a) }

// namedDefs reads the (name, definition) pairs the catalogue query answers for a table.
func (b *Bulk) namedDefs(q, table string) (names, defs []string, err error) {
	rows, err := b.tx.query(q, table)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	return names, defs, rows.Err()
}
