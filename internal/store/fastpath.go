package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// The fast path: what keeps the busy requests (a temperature reading, a gate scan, the
// API token or session of every request) cheap, in one place. Business methods use it
// through these calls only:
//
//   - db.grouped(ctx, read, write): read what the change needs, then run write in a
//     transaction shared with other concurrent changes (group commit);
//   - remember(db, key, lookup): an answer kept briefly, forgotten by any change (memo);
//   - the statements declared in hotsql.go, prepared once (hot statements);
//   - tx.insertRow(h, values…): a row of a hot insert, sent with the group's others on
//     PostgreSQL (rows sent together), its id drawn ahead from its table's sequence.
//
// tx.forgetMemo() marks a grouped change that alters what the memo keeps.

// ---- Group commit ----

// Group commit: high-volume writes (temperature readings, gate scans) wait on one shared
// transaction instead of paying a disk flush each. A writer queues its change; one
// goroutine takes everything queued, applies the changes, commits once, and only then
// answers every writer. A 2xx still means the data is on disk.
//
// Changes nearly always succeed (their input was checked before they were queued), so a
// group first runs without savepoints. If a change fails, the transaction is rolled back
// and the group runs again with each change inside its own SAVEPOINT, so that the failing
// change alone is undone.

const maxGroup = 256

type groupReq struct {
	ctx  context.Context
	fn   func(*txn) error
	done chan error
}

type grouper struct {
	once sync.Once
	reqs chan groupReq
	quit chan struct{}

	commits, changes atomic.Uint64 // for the metrics: changes per commit
	coming           atomic.Int64  // grouped writes announced and not queued yet
}

// maxLinger bounds how long a committer waits for announced writes.
const maxLinger = 500 * time.Microsecond

// grouped runs read, then write in a transaction shared with other concurrent grouped
// changes, and returns the first error. read gathers what the change needs from
// committed data (outside the transaction, keeping it short); while it runs, the change
// is announced, so that the committer waits a moment for it rather than commit a group
// without it and pay a disk flush again right after. write must not keep state across
// calls: it may be rolled back to its savepoint and run again.
func (db *DB) grouped(ctx context.Context, read func() error, write func(*txn) error) error {
	arrived := db.groupComing()
	err := read()
	arrived()
	if err != nil {
		return err
	}
	return db.writeGrouped(ctx, write)
}

// groupComing announces a grouped write that follows shortly; call the returned func
// once the writer is queued or gives up.
func (db *DB) groupComing() (arrived func()) {
	db.group.coming.Add(1)
	done := false
	return func() {
		if !done {
			done = true
			db.group.coming.Add(-1)
		}
	}
}

// GroupStats returns how many grouped transactions committed and how many changes they
// carried, since the store opened.
func (db *DB) GroupStats() (commits, changes uint64) {
	return db.group.commits.Load(), db.group.changes.Load()
}

// WriteGrouped runs fn in a transaction shared with other concurrent WriteGrouped calls
// and returns fn's error, or the commit's. fn must not keep state across calls: it may be
// rolled back to its savepoint while the others commit.
func (db *DB) writeGrouped(ctx context.Context, fn func(*txn) error) error {
	g := &db.group
	g.once.Do(func() {
		g.reqs, g.quit = make(chan groupReq, maxGroup), make(chan struct{})
		// SQLite has one writer. PostgreSQL commits two groups side by side, one filling
		// while the other commits: more would split the writes into smaller groups, each
		// a commit the server pays for, and instances sharing the database split them
		// further (BenchmarkDailyLoopTwoInstances).
		loops := 1
		if db.Engine == Postgres {
			loops = 2
		}
		for range loops {
			go db.groupLoop()
		}
	})
	req := groupReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.reqs <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.quit:
		return errClosed
	}
	select {
	case err := <-req.done:
		return err
	case <-g.quit:
		return errClosed
	}
}

func (db *DB) groupLoop() {
	g := &db.group
	linger := time.NewTimer(maxLinger)
	linger.Stop()
	for {
		var first groupReq
		select {
		case first = <-g.reqs:
		case <-g.quit:
			return
		}
		batch := []groupReq{first}
	drain:
		for len(batch) < maxGroup {
			select {
			case r := <-g.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		if g.coming.Load() > 0 {
			linger.Reset(maxLinger)
		wait:
			for len(batch) < maxGroup && g.coming.Load() > 0 {
				select {
				case r := <-g.reqs:
					batch = append(batch, r)
				case <-linger.C:
					break wait
				}
			}
			linger.Stop()
		}
		errs := make([]error, len(batch))
		err := db.writeTx(context.Background(), func(tx *txn) error { return runGroup(tx, batch, errs, false) })
		if errors.Is(err, errGroupRetry) {
			err = db.writeTx(context.Background(), func(tx *txn) error { return runGroup(tx, batch, errs, true) })
		}
		if err == nil {
			g.commits.Add(1)
			g.changes.Add(uint64(len(batch)))
		}
		for i, r := range batch {
			if err != nil {
				r.done <- err
			} else {
				r.done <- errs[i]
			}
		}
	}
}

// errGroupRetry rolls back a group run without savepoints in which a change failed.
var errGroupRetry = errors.New("store: a grouped change failed; retrying with savepoints")

// runGroup applies the changes of batch in tx, recording each one's error in errs. Run
// without savepoints on PostgreSQL, the rows of hot inserts are queued and sent together
// (see rowQueue); a failure to send them fails the group, which then runs row by row.
func runGroup(tx *txn, batch []groupReq, errs []error, savepoints bool) error {
	if !savepoints && tx.db.Engine == Postgres {
		tx.rows = newRowQueue()
		defer func() { tx.rows = nil }()
	}
	if err := runChanges(tx, batch, errs, savepoints); err != nil {
		return err
	}
	if err := tx.rows.send(tx); err != nil {
		if len(batch) == 1 {
			errs[0] = err
			return err
		}
		return errGroupRetry
	}
	return nil
}

// runChanges runs each change of batch, inside its own savepoint if savepoints is set.
func runChanges(tx *txn, batch []groupReq, errs []error, savepoints bool) error {
	for i, r := range batch {
		if errs[i] = r.ctx.Err(); errs[i] != nil {
			continue
		}
		if !savepoints {
			if errs[i] = r.fn(tx); errs[i] != nil {
				if len(batch) == 1 {
					return errs[i] // alone, its error rolls back the lot
				}
				return errGroupRetry
			}
			continue
		}
		if _, err := tx.exec(savepoint); err != nil {
			return err
		}
		if errs[i] = r.fn(tx); errs[i] != nil {
			if _, err := tx.exec(rollbackTo); err != nil {
				return err
			}
		}
		if _, err := tx.exec(release); err != nil {
			return err
		}
	}
	return nil
}

// ---- Hot statements ----

// Hot statements: the few statements every busy request runs (authentication, a
// temperature reading, a gate scan). Parsing and planning SQL costs more than running
// such a statement, and the SQLite driver keeps nothing between calls, so on SQLite a
// statement marked with hot is prepared once per connection and kept. PostgreSQL's
// driver already caches its prepared statements; there hot changes nothing.
//
// Mark only statements whose text comes from a small fixed set: each distinct text stays
// prepared for the life of the process.

var hotQueries sync.Map // statement text → struct{}

// hot marks q as a hot statement and returns it.
func hot(q string) string {
	if _, ok := hotQueries.Load(q); !ok { // Load does not allocate; Store does
		hotQueries.Store(q, struct{}{})
	}
	return q
}

func isHot(q string) bool {
	_, ok := hotQueries.Load(q)
	return ok
}

// stmtCache holds the prepared hot statements of one pool.
type stmtCache struct {
	mu      sync.Mutex
	ready   map[string]*sql.Stmt
	pending map[string]bool // first used inside a write transaction; prepared before the next one
}

func (c *stmtCache) get(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ready[q]
}

func (c *stmtCache) put(q string, st *sql.Stmt) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.ready[q]; old != nil {
		st.Close()
		return old
	}
	if c.ready == nil {
		c.ready = map[string]*sql.Stmt{}
	}
	c.ready[q] = st
	delete(c.pending, q)
	return st
}

// readStmt returns the reader pool's prepared statement for a hot q, preparing it on
// first use, or nil when q is not hot (or on PostgreSQL).
func (db *DB) readStmt(ctx context.Context, q string) *sql.Stmt {
	if db.Engine != SQLite || !isHot(q) {
		return nil
	}
	if st := db.readStmts.get(q); st != nil {
		return st
	}
	st, err := db.reader.PrepareContext(ctx, q)
	if err != nil {
		return nil // the plain call reports the error
	}
	return db.readStmts.put(q, st)
}

// txStmt returns the prepared form of a hot q bound to tx, or nil. The writer pool has
// one connection, held by tx: a statement not prepared yet cannot be prepared on the pool
// now, so it is queued and prepared before the next write transaction begins.
func (tx *txn) txStmt(q string) *sql.Stmt {
	db := tx.db
	if db.Engine != SQLite || !isHot(q) {
		return nil
	}
	st := db.writeStmts.get(q)
	if st == nil {
		db.writeStmts.mu.Lock()
		if db.writeStmts.pending == nil {
			db.writeStmts.pending = map[string]bool{}
		}
		db.writeStmts.pending[q] = true
		db.writeStmts.mu.Unlock()
		return nil
	}
	if ts := tx.stmts[q]; ts != nil {
		return ts // a group runs the same statements for each of its changes
	}
	ts := tx.tx.StmtContext(tx.ctx, st)
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[q] = ts
	return ts
}

// preparePending prepares the hot statements queued by earlier transactions, while the
// writer connection is free.
func (db *DB) preparePending(ctx context.Context) {
	c := &db.writeStmts
	c.mu.Lock()
	if len(c.pending) == 0 {
		c.mu.Unlock()
		return
	}
	var qs []string
	for q := range c.pending {
		qs = append(qs, q)
	}
	c.mu.Unlock()
	for _, q := range qs {
		st, err := db.writer.PrepareContext(ctx, q)
		if err != nil {
			c.mu.Lock()
			delete(c.pending, q) // a statement that does not prepare runs unprepared
			c.mu.Unlock()
			continue
		}
		c.put(q, st)
	}
}

// closeStmts releases the prepared statements of both pools.
func (db *DB) closeStmts() {
	for _, c := range []*stmtCache{&db.readStmts, &db.writeStmts} {
		c.mu.Lock()
		for _, st := range c.ready {
			st.Close()
		}
		c.ready = nil
		c.mu.Unlock()
	}
}

// ---- Memo ----

// Busy routes look up the same few things on every request: whose API token or session
// cookie it is, who the person of a reading is. On SQLite such a read may go to disk after
// each commit. The answers are kept for a short while, and forgotten at once by any change
// this process writes (Write, not the grouped readings and scans, which change neither
// accounts nor person files): a disabled account, a revoked token, an ended session or a
// changed person file is seen at once by the instance that made the change, and within
// memoTTL by other instances sharing a PostgreSQL database.

// memoTTL is how long a looked-up answer is kept.
const memoTTL = 5 * time.Second

const maxMemo = 1 << 17 // a city's people, passes and tokens of a day; tens of MB at most

type memo struct {
	gen atomic.Uint64 // counts committed writes
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]memoEntry
}

type memoEntry struct {
	v     any
	gen   uint64
	until time.Time // wall clock (monotonic) after which the entry is stale
}

// get returns the value kept for key, if no write came after it and it is fresh.
func (c *memo) get(key string) (any, bool) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if !ok || e.gen != c.gen.Load() || time.Now().After(e.until) {
		return nil, false
	}
	return e.v, true
}

// put keeps v for key; gen is the write count read before v was looked up, so that a
// write racing with the lookup leaves nothing stale behind.
func (c *memo) put(key string, v any, gen uint64) {
	ttl := c.ttl
	if ttl == 0 {
		ttl = memoTTL
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxMemo {
		c.m = make(map[string]memoEntry)
	}
	c.m[key] = memoEntry{v: v, gen: gen, until: time.Now().Add(ttl)}
}

// changed forgets everything kept; Write calls it after each commit.
func (c *memo) changed() { c.gen.Add(1) }

// remember returns the answer kept for key, or looks it up and keeps it when found. An
// answer is kept for memoTTL at most and forgotten by any change this process commits
// (Write, or a grouped change that calls forgetMemo).
func remember[T any](db *DB, key string, lookup func() (T, bool, error)) (T, bool, error) {
	if v, ok := db.memo.get(key); ok {
		return v.(T), true, nil
	}
	gen := db.memo.gen.Load() // before the lookup: a write racing with it leaves nothing stale
	v, found, err := lookup()
	if err == nil && found {
		db.memo.put(key, v, gen)
	}
	return v, found, err
}

// forgetMemo makes the memo forget what it keeps once tx commits: a grouped change that
// alters what it keeps (a fever suspending passes) calls it; Write always does.
func (tx *txn) forgetMemo() { tx.forget = true }

// ---- Rows sent together (PostgreSQL) ----

// A busy request writes one or two rows (a reading; a gate scan and its reading). On
// SQLite each is one prepared INSERT in the same process. On PostgreSQL each statement is
// a round trip to the server, so inside a group the rows of such inserts are queued and
// sent as one statement, an INSERT per table joined in a WITH: a group of 200 scans costs
// one round trip instead of 400. A queued row's id is known at once: ids are drawn from
// the table's sequence a block at a time and kept between groups (a sequence never hands
// out an id twice, whether or not the transaction that drew it commits). Any other
// statement of the transaction sends the queue first, so it sees every row written before
// it; the end of the group sends what is left.

// idBlock is how many ids of a table are drawn from its sequence at a time.
const idBlock = 1024

// hotRow is an insert that busy requests run: its table, its columns, and its statements.
type hotRow struct {
	table string
	cols  []string
	types []string // each column's type, PostgreSQL's
	one   string   // INSERT INTO t (cols) VALUES (?, …): one row (hot)
	ids   string   // n new ids from the table's sequence
}

// hotInsert declares a hot insert into table; each column is "name type", the type
// being PostgreSQL's.
func hotInsert(table string, cols ...string) *hotRow {
	h := &hotRow{table: table}
	for _, c := range cols {
		name, typ, _ := strings.Cut(c, " ")
		h.cols = append(h.cols, name)
		h.types = append(h.types, typ)
	}
	h.one = hot(`INSERT INTO ` + table + ` (` + strings.Join(h.cols, ", ") + `) VALUES (` + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + `)`)
	h.ids = `SELECT nextval(pg_get_serial_sequence('` + table + `', 'id')) FROM generate_series(1, $1)`
	return h
}

// many is the insert of h's queued rows, its arrays numbered from $first: the ids, then
// an array per column of the column's type.
func (h *hotRow) many(first int) string {
	arrays := []string{fmt.Sprintf("$%d::bigint[]", first)}
	for i, typ := range h.types {
		arrays = append(arrays, fmt.Sprintf("$%d::%s[]", first+1+i, typ))
	}
	list := strings.Join(h.cols, ", ")
	return `INSERT INTO ` + h.table + ` (id, ` + list + `) SELECT * FROM unnest(` + strings.Join(arrays, ", ") + `)`
}

// sendSQLs keeps the text of sendSQL for each list of tables.
var sendSQLs sync.Map // table names joined by spaces → statement

// sendSQL is the one statement that inserts the queued rows of tables hs, in that order:
// a lone INSERT, or one INSERT per table joined in a WITH. Its text depends only on the
// tables, so there are few of them, each made once.
func sendSQL(hs []*hotRow) string {
	var key strings.Builder
	for _, h := range hs {
		key.WriteString(h.table + " ")
	}
	if q, ok := sendSQLs.Load(key.String()); ok {
		return q.(string)
	}
	q := makeSendSQL(hs)
	sendSQLs.Store(key.String(), q)
	return q
}

func makeSendSQL(hs []*hotRow) string {
	if len(hs) == 1 {
		return hs[0].many(1)
	}
	var b strings.Builder
	b.WriteString("WITH ")
	n := 1
	for i, h := range hs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "t%d AS (%s)", i, h.many(n))
		n += len(h.cols) + 1
	}
	b.WriteString(" SELECT 1")
	return b.String()
}

// insertRow writes a row of a hot insert and returns its id: queued inside a group on
// PostgreSQL, at once otherwise.
func (tx *txn) insertRow(h *hotRow, args ...any) (int64, error) {
	if tx.rows == nil {
		return tx.insertID(h.one, args...)
	}
	return tx.rows.add(tx, h, args)
}

// rowQueue holds a group's queued rows.
type rowQueue struct {
	rows  map[*hotRow][][]any // queued rows, each id first
	order []*hotRow           // tables in the order of their first row
	err   error               // the first failure to send; the group is rolled back
}

func newRowQueue() *rowQueue {
	return &rowQueue{rows: map[*hotRow][][]any{}}
}

func (q *rowQueue) add(tx *txn, h *hotRow, args []any) (int64, error) {
	if len(args) != len(h.cols) {
		return 0, fmt.Errorf("insert into %s: %d values for %d columns", h.table, len(args), len(h.cols))
	}
	id, err := tx.newID(h)
	if err != nil {
		return 0, err
	}
	if _, ok := q.rows[h]; !ok {
		q.order = append(q.order, h)
	}
	q.rows[h] = append(q.rows[h], append([]any{id}, args...))
	return id, nil
}

// idPool keeps the ids drawn from each hot table's sequence and not used yet.
type idPool struct {
	mu   sync.Mutex
	free map[*hotRow][]int64
}

// newID takes an id for a row of h, drawing a block from the table's sequence when none
// is left.
func (tx *txn) newID(h *hotRow) (int64, error) {
	p := &tx.db.ids
	p.mu.Lock()
	if ids := p.free[h]; len(ids) > 0 {
		p.free[h] = ids[1:]
		p.mu.Unlock()
		return ids[0], nil
	}
	p.mu.Unlock()
	ids, err := tx.drawIDs(h, idBlock)
	if err != nil {
		return 0, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.free == nil {
		p.free = map[*hotRow][]int64{}
	}
	p.free[h] = append(p.free[h], ids[1:]...)
	return ids[0], nil
}

// drawIDs takes n new ids from the sequence of h's table.
func (tx *txn) drawIDs(h *hotRow, n int) ([]int64, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, h.ids, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no ids drawn for %s", h.table)
	}
	return ids, nil
}

// pending tells whether rows wait to be sent.
func (q *rowQueue) pending() bool {
	if q == nil {
		return false
	}
	for _, rows := range q.rows {
		if len(rows) > 0 {
			return true
		}
	}
	return false
}

// send writes the queued rows in one statement and empties the queue. After a failure it
// keeps failing: the group is rolled back and runs again row by row.
func (q *rowQueue) send(tx *txn) error {
	if q == nil {
		return nil
	}
	if q.err != nil {
		return q.err
	}
	var hs []*hotRow
	var args []any
	for _, h := range q.order {
		rows := q.rows[h]
		if len(rows) == 0 {
			continue
		}
		hs = append(hs, h)
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r[0].(int64)
		}
		args = append(args, ids)
		for c, typ := range h.types {
			col, err := pgColumn(typ, rows, c+1)
			if err != nil {
				q.err = fmt.Errorf("insert into %s, %s: %w", h.table, h.cols[c], err)
				return q.err
			}
			args = append(args, col)
		}
	}
	if len(hs) == 0 {
		return nil
	}
	if _, err := tx.tx.ExecContext(tx.ctx, sendSQL(hs), args...); err != nil {
		q.err = fmt.Errorf("insert of the grouped rows: %w", err)
		return q.err
	}
	for _, h := range hs {
		q.rows[h] = q.rows[h][:0]
	}
	return nil
}

// pgColumn gathers value c of each row into an array of the column's type (typ, as
// hotInsert declares it), which the driver sends in binary: no text is made of any value.
// A nil value is NULL; a named type of the domain (a reason code) goes as its kind.
func pgColumn(typ string, rows [][]any, c int) (any, error) {
	switch typ {
	case "bigint":
		return pgValues(rows, c, func(v any) (pgtype.Int8, bool) {
			switch v := v.(type) {
			case int64:
				return pgtype.Int8{Int64: v, Valid: true}, true
			case int:
				return pgtype.Int8{Int64: int64(v), Valid: true}, true
			}
			if r := reflect.ValueOf(v); r.CanInt() {
				return pgtype.Int8{Int64: r.Int(), Valid: true}, true
			}
			return pgtype.Int8{}, false
		})
	case "text":
		return pgValues(rows, c, func(v any) (pgtype.Text, bool) {
			if s, ok := v.(string); ok {
				return pgtype.Text{String: s, Valid: true}, true
			}
			r := reflect.ValueOf(v)
			return pgtype.Text{String: r.String(), Valid: true}, r.Kind() == reflect.String
		})
	case "double precision":
		return pgValues(rows, c, func(v any) (pgtype.Float8, bool) {
			f, ok := v.(float64)
			return pgtype.Float8{Float64: f, Valid: true}, ok
		})
	case "boolean":
		return pgValues(rows, c, func(v any) (pgtype.Bool, bool) {
			b, ok := v.(bool)
			return pgtype.Bool{Bool: b, Valid: true}, ok
		})
	case "timestamptz":
		return pgValues(rows, c, func(v any) (pgtype.Timestamptz, bool) {
			t, ok := v.(time.Time)
			return pgtype.Timestamptz{Time: t, Valid: true}, ok
		})
	}
	return nil, fmt.Errorf("no array for a column of type %s", typ)
}

// pgValues makes the array of value c of each row with one, which also tells whether
// the column can hold the value.
func pgValues[T any](rows [][]any, c int, one func(any) (T, bool)) ([]T, error) {
	out := make([]T, len(rows))
	for i, r := range rows {
		if r[c] == nil {
			continue // the zero value is NULL
		}
		v, ok := one(r[c])
		if !ok {
			return nil, fmt.Errorf("a value of type %T", r[c])
		}
		out[i] = v
	}
	return out, nil
}
