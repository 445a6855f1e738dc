package store

import (
	"sync"
	"sync/atomic"
	"time"
)

// Busy routes look up the same few things on every request: whose API token or session
// cookie it is, who the person of a reading is. On SQLite such a read may go to disk after
// each commit. The answers are kept for a short while, and forgotten at once by any change
// this process writes (Write, not the grouped readings and scans, which change neither
// accounts nor person files): a disabled account, a revoked token, an ended session or a
// changed person file is seen at once by the instance that made the change, and within
// MemoTTL by other instances sharing a PostgreSQL database.

// MemoTTL is how long a looked-up answer is kept.
const MemoTTL = 5 * time.Second

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
		ttl = MemoTTL
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
