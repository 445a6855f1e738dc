package store

import (
	"context"
	"database/sql"
	"sync"
)

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
	st, err := db.read.PrepareContext(ctx, q)
	if err != nil {
		return nil // the plain call reports the error
	}
	return db.readStmts.put(q, st)
}

// txStmt returns the prepared form of a hot q bound to tx, or nil. The writer pool has
// one connection, held by tx: a statement not prepared yet cannot be prepared on the pool
// now, so it is queued and prepared before the next write transaction begins.
func (tx *Tx) txStmt(q string) *sql.Stmt {
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
		st, err := db.write.PrepareContext(ctx, q)
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
