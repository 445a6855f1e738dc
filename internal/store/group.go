package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

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

var (
	savepoint  = hot(`SAVEPOINT grouped`)
	rollbackTo = hot(`ROLLBACK TO SAVEPOINT grouped`)
	release    = hot(`RELEASE SAVEPOINT grouped`)
)

type groupReq struct {
	ctx  context.Context
	fn   func(*Tx) error
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

// groupComing announces a grouped write that follows shortly: its caller is still reading
// what it needs. The committer waits a moment for announced writes rather than commit a
// group without them and pay a disk flush again right after. Call the returned func
// before WriteGrouped, and on any way out (it does nothing the second time).
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
func (db *DB) WriteGrouped(ctx context.Context, fn func(*Tx) error) error {
	g := &db.group
	g.once.Do(func() {
		g.reqs, g.quit = make(chan groupReq, maxGroup), make(chan struct{})
		// SQLite has one writer; PostgreSQL commits several groups side by side.
		loops := 1
		if db.Engine == Postgres {
			loops = 4
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
		err := db.writeTx(context.Background(), func(tx *Tx) error { return runGroup(tx, batch, errs, false) })
		if errors.Is(err, errGroupRetry) {
			err = db.writeTx(context.Background(), func(tx *Tx) error { return runGroup(tx, batch, errs, true) })
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

// runGroup applies the changes of batch in tx, recording each one's error in errs.
func runGroup(tx *Tx, batch []groupReq, errs []error, savepoints bool) error {
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
		if _, err := tx.Exec(savepoint); err != nil {
			return err
		}
		if errs[i] = r.fn(tx); errs[i] != nil {
			if _, err := tx.Exec(rollbackTo); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(release); err != nil {
			return err
		}
	}
	return nil
}
