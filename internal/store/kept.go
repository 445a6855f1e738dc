package store

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Counts kept briefly. A county's or a city's page adds up hundreds of thousands of rows
// (the people by phase, the passes, the applications by status, a day's readings, the
// enterprises due for inspection); sixteen officials opening it together would each add
// them up again. keep counts a key once while the others asking for it wait (single
// flight), and keeps the answer for a few seconds. Any change this process commits with
// Write forgets every kept answer at once (the memo's write count), so a change is seen
// by the next page; what grouped writes add (readings, gate scans) shows within the time
// kept. Each instance keeps its own (DESIGN §7: a cache that tolerates being
// per-instance).

// countTTL is how long a count is kept: what another instance, or the day's readings
// and gate scans, changed shows within it.
const countTTL = memoTTL

var errCountFailed = errors.New("store: the count failed")

// kept holds answers by key.
type kept struct {
	sync.Mutex
	m     map[string]*keptEntry
	swept time.Time // when the stale entries were last removed
}

type keptEntry struct {
	done  chan struct{} // closed once counted
	v     any
	err   error
	keep  bool      // the answer may be kept
	gen   uint64    // the memo's write count before the count began
	until time.Time // after which it is counted again
}

// keep returns the answer kept under key in k, or counts it with count (which says
// whether its answer may be kept: a small count is cheap and better exact) and keeps it
// for ttl. Callers asking for a key being counted wait for that count. The answer is
// shared: a caller that changes it must copy it first.
func keep[T any](ctx context.Context, db *DB, k *kept, key string, ttl time.Duration, count func(ctx context.Context) (T, bool, error)) (T, error) {
	gen := db.memo.gen.Load()
	k.Lock()
	if k.m == nil {
		k.m = map[string]*keptEntry{}
	}
	e := k.m[key]
	if e != nil {
		select {
		case <-e.done:
			if e.err != nil || !e.keep || e.gen != gen || time.Now().After(e.until) {
				e = nil
			}
		default: // being counted: wait for it
		}
	}
	if e == nil {
		e = &keptEntry{done: make(chan struct{}), gen: gen}
		// Stale entries are removed once per ttl at most, not on every count: a city's
		// thousands of enterprise accounts each keep their own.
		if now := time.Now(); now.Sub(k.swept) > ttl {
			k.swept = now
			for key, old := range k.m {
				select {
				case <-old.done:
					if now.After(old.until) || old.gen != gen || !old.keep {
						delete(k.m, key)
					}
				default:
				}
			}
		}
		k.m[key] = e
		k.Unlock()
		func() {
			defer close(e.done)
			e.err = errCountFailed // until count returns: a panic leaves no waiter hanging
			// The count serves whoever waits for it: a caller that goes away does not cut it short.
			v, keep, err := count(context.WithoutCancel(ctx))
			e.v, e.keep, e.err, e.until = v, keep, err, time.Now().Add(ttl)
		}()
	} else {
		k.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
	if e.err != nil {
		var zero T
		return zero, e.err
	}
	return e.v.(T), nil
}
