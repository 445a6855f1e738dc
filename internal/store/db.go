// Package store keeps Fugong's data in SQLite (the embedded default) or PostgreSQL.
//
// SQL is written once with `?` placeholders and rebound for PostgreSQL. Every public
// method that changes data owns its transaction, and the change, its audit row and any
// serial number commit together.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"           // SQLite driver "sqlite"
)

// Engine names the database behind a DB.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open store. For SQLite it holds a single-connection writer pool (one writer,
// transactions begin IMMEDIATE) and a pool of readers; for PostgreSQL both are one pool.
type DB struct {
	Engine Engine
	writer *sql.DB
	reader *sql.DB
	// Now is the store's clock; tests replace it.
	Now func() time.Time
	// Log is where the store reports a failure that no request answers for (a sealing of
	// the audit trail that failed and is left to the next); slog.Default() when nil. Set
	// it before the first change.
	Log *slog.Logger

	group grouper
	// Prepared hot statements of each pool (fastpath.go).
	readStmts, writeStmts stmtCache
	// Answers of frequent lookups, kept briefly (fastpath.go).
	memo memo
	// Ids drawn ahead for the rows of hot inserts on PostgreSQL (fastpath.go).
	ids idPool
	// The sealing of the audit trail's waiting rows (audit.go).
	seal sealer
	// The lock of a SQLite file held by a process that writes (OpenExclusive, lock.go).
	lock *dbLock
	// The dashboard's counts and the counts of large scopes, kept briefly (kept.go).
	boards, counts kept
}

var errClosed = errors.New("store: closed")

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a postgres:// URL, or a SQLite file path.
// It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{Now: func() time.Time { return time.Now().UTC() }}
	if IsPostgres(dsn) {
		// Two pools: the writer's statements keep PostgreSQL's cached (generic) plans, the
		// busy inserts planned once; the reader's are planned for their values each time.
		// A list's scope is a pattern or range of region codes whose selectivity only its
		// value tells (the whole city, or one village): a generic plan, made for any value,
		// read a city's 50,000 enterprises one by one for a queue of none. The reader's
		// queries run without parallel workers: a page's query is short, and starting
		// workers cost it more than they saved while other pages wait for the cores.
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		w := stdlib.OpenDB(*cfg)
		rcfg := cfg.Copy()
		rcfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
		rcfg.RuntimeParams["max_parallel_workers_per_gather"] = "0"
		r := stdlib.OpenDB(*rcfg)
		for _, p := range []*sql.DB{w, r} {
			p.SetMaxOpenConns(16)
			p.SetMaxIdleConns(16)
			p.SetConnMaxIdleTime(5 * time.Minute)
		}
		for _, p := range []*sql.DB{w, r} {
			if err := p.PingContext(ctx); err != nil {
				w.Close()
				r.Close()
				return nil, fmt.Errorf("connect to postgres: %w", err)
			}
		}
		db.Engine, db.writer, db.reader = Postgres, w, r
		return db, nil
	}
	path := SQLitePath(dsn)
	if path == "" {
		return nil, errors.New("open sqlite: empty file path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
	}
	pragmas := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "busy_timeout(10000)", "synchronous(FULL)", "mmap_size(268435456)"} {
		pragmas.Add("_pragma", p)
	}
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas.Encode()+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	pragmas.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8) // opening a connection reads the schema: keep them
	db.Engine, db.writer, db.reader = SQLite, w, r
	return db, nil
}

// SQLitePath is the file a SQLite dsn names.
func SQLitePath(dsn string) string {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

// OpenExclusive is Open for a process that writes: a SQLite file is locked for this
// process until Close (lock.go), and a second process opening it this way is refused
// with an apperr.Conflict that names the file, the process that holds it and what to
// do. PostgreSQL is opened as by Open: several instances may share it.
func OpenExclusive(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgres(dsn) {
		return Open(ctx, dsn)
	}
	path := SQLitePath(dsn)
	if path == "" {
		return nil, errors.New("open sqlite: empty file path")
	}
	l, err := lockSQLite(path)
	if err != nil {
		return nil, err
	}
	db, err := Open(ctx, dsn)
	if err != nil {
		l.release()
		return nil, err
	}
	db.lock = l
	return db, nil
}

// Close stops group commits and closes the pools.
func (db *DB) Close() error {
	db.group.once.Do(func() { db.group.quit = make(chan struct{}) })
	select {
	case <-db.group.quit:
	default:
		close(db.group.quit)
	}
	db.closeStmts()
	err := db.writer.Close()
	if db.reader != db.writer {
		if e := db.reader.Close(); err == nil {
			err = e
		}
	}
	if e := db.lock.release(); err == nil {
		err = e
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.reader.PingContext(ctx) }

// rebind turns `?` placeholders into `$1, $2…` for PostgreSQL.
func (db *DB) rebind(q string) string {
	if db.Engine != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// txn is a write transaction.
type txn struct {
	db       *DB
	tx       *sql.Tx // nil until begin, which a lazy transaction puts off (transact)
	beginErr error   // a failure to begin: the transaction fails at its commit
	ctx      context.Context
	at       time.Time
	forget   bool                 // the memo must forget what it keeps once this commits
	stmts    map[string]*sql.Stmt // hot statements bound to this transaction (fastpath.go)
	rows     *rowQueue            // rows of hot inserts waiting to be sent (fastpath.go), or nil
	// sealAfter: audit rows wait to be chained once this commits (PostgreSQL, audit.go)
	sealAfter bool
}

// Now is the time taken once for the use case the transaction carries.
func (tx *txn) now() time.Time { return tx.at }

// Engine is the engine behind the transaction.
func (tx *txn) engine() Engine { return tx.db.Engine }

// begin begins the transaction if it has not begun.
func (tx *txn) begin() error {
	if tx.tx != nil || tx.beginErr != nil {
		return tx.beginErr
	}
	t, err := tx.db.writer.BeginTx(tx.ctx, nil)
	if err != nil {
		tx.beginErr = fmt.Errorf("begin: %w", err)
		return tx.beginErr
	}
	tx.tx = t
	return nil
}

func (tx *txn) rollback() {
	if tx.tx != nil {
		tx.tx.Rollback()
	}
}

func (tx *txn) exec(q string, args ...any) (sql.Result, error) {
	if err := tx.begin(); err != nil {
		return nil, err
	}
	if tx.rows.pending() {
		if err := tx.rows.send(tx); err != nil {
			return nil, err
		}
	}
	if st := tx.txStmt(q); st != nil {
		return st.ExecContext(tx.ctx, args...)
	}
	return tx.tx.ExecContext(tx.ctx, tx.db.rebind(q), args...)
}

func (tx *txn) query(q string, args ...any) (*sql.Rows, error) {
	if err := tx.begin(); err != nil {
		return nil, err
	}
	if tx.rows.pending() {
		if err := tx.rows.send(tx); err != nil {
			return nil, err
		}
	}
	if st := tx.txStmt(q); st != nil {
		return st.QueryContext(tx.ctx, args...)
	}
	return tx.tx.QueryContext(tx.ctx, tx.db.rebind(q), args...)
}

func (tx *txn) queryRow(q string, args ...any) *sql.Row {
	if err := tx.begin(); err != nil {
		// The transaction fails at its commit; meanwhile the row is read as committed.
		return tx.db.reader.QueryRowContext(tx.ctx, tx.db.rebind(q), args...)
	}
	if tx.rows.pending() {
		tx.rows.send(tx) // a failure fails the group at its commit
	}
	if st := tx.txStmt(q); st != nil {
		return st.QueryRowContext(tx.ctx, args...)
	}
	return tx.tx.QueryRowContext(tx.ctx, tx.db.rebind(q), args...)
}

// InsertID runs an INSERT and returns the new row's id: on SQLite the last inserted
// rowid (no result rows to read back), on PostgreSQL with RETURNING id.
func (tx *txn) insertID(q string, args ...any) (int64, error) {
	if tx.db.Engine == SQLite {
		res, err := tx.exec(q, args...)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	var id int64
	err := tx.queryRow(q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// Write runs fn in one write transaction, committing when fn returns nil and rolling
// back otherwise (also on panic).
func (db *DB) write(ctx context.Context, fn func(*txn) error) error {
	return db.writeTx(ctx, func(tx *txn) error {
		tx.forget = true // any change may touch what the memo keeps
		return fn(tx)
	})
}

// writeTx is Write for grouped writes (readings and scans), which change what the memo
// keeps only when they say so (tx.forget, set when a fever suspends passes).
func (db *DB) writeTx(ctx context.Context, fn func(*txn) error) error {
	return db.transact(ctx, false, fn)
}

// transact runs fn in a write transaction, committing when fn returns nil. Begun lazily
// (lazy, a group's first run on PostgreSQL: fastpath_rows.go), the transaction begins
// with fn's first statement; a group that runs none but the final send of its queued rows
// sends them outside any transaction, as one statement that commits by itself.
func (db *DB) transact(ctx context.Context, lazy bool, fn func(*txn) error) (err error) {
	db.preparePending(ctx)
	tx := &txn{db: db, ctx: ctx, at: db.Now().UTC().Truncate(time.Microsecond)}
	if !lazy {
		if err := tx.begin(); err != nil {
			return err
		}
	}
	defer func() {
		if p := recover(); p != nil {
			tx.rollback()
			panic(p)
		}
		if err != nil {
			tx.rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if tx.beginErr != nil {
		return tx.beginErr
	}
	if tx.tx != nil {
		if err = tx.tx.Commit(); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
	}
	if tx.forget {
		db.memo.changed() // after the commit, so that nothing read before it stays kept
	}
	if tx.sealAfter {
		db.sealAudit(ctx)
	}
	return nil
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := db.readStmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.reader.QueryContext(ctx, db.rebind(q), args...)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := db.readStmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.reader.QueryRowContext(ctx, db.rebind(q), args...)
}

// likeEscape escapes LIKE wildcards in s for use with ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
