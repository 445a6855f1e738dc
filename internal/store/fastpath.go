package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// The fast path: what keeps the busy requests (a temperature reading, a gate scan, the
// API token or session of every request) cheap, in one place: group commit, hot
// statements and the memo here, rows sent together on PostgreSQL in fastpath_rows.go.
// Business methods use it through these calls only:
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
		// On PostgreSQL, the first run begins its transaction only if it must (transact).
		err := db.transact(context.Background(), db.Engine == Postgres, func(tx *txn) error { return runGroup(tx, batch, errs, false) })
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
