package store

import (
	"sync"
	"sync/atomic"
	"time"

	"fugong/internal/auth"
)

// The callers of every busy route present an API token or a session cookie, and finding
// whose it is costs a read that, on SQLite, may go to disk after each commit. The answer
// is kept for a short while, and forgotten at once by any change this process writes
// (Write, not the grouped readings and scans, which never touch accounts): a disabled
// account, a revoked token or an ended session is refused at once by the instance that
// made the change, and within AuthCacheTTL by other instances sharing a PostgreSQL
// database.

// AuthCacheTTL is how long a token's or session's user is remembered.
const AuthCacheTTL = 5 * time.Second

const maxAuthCache = 1 << 14

type authCache struct {
	gen atomic.Uint64 // counts committed writes
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]authEntry
}

type authEntry struct {
	user    auth.User
	gen     uint64
	until   time.Time // wall clock (monotonic) after which the entry is stale
	expires time.Time // the session's expiry in the store's clock; zero for tokens
}

// lookup returns the remembered user for key, if still good at now (the store's clock).
func (c *authCache) lookup(key string, now time.Time) (auth.User, bool) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if !ok || e.gen != c.gen.Load() || time.Now().After(e.until) || !e.expires.IsZero() && !now.Before(e.expires) {
		return auth.User{}, false
	}
	return e.user, true
}

// remember keeps u for key; gen is the write count read before the user was looked up.
func (c *authCache) remember(key string, u auth.User, gen uint64, expires time.Time) {
	ttl := c.ttl
	if ttl == 0 {
		ttl = AuthCacheTTL
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxAuthCache {
		c.m = make(map[string]authEntry)
	}
	c.m[key] = authEntry{user: u, gen: gen, until: time.Now().Add(ttl), expires: expires}
}

// changed forgets every remembered user; Write calls it after each commit.
func (c *authCache) changed() { c.gen.Add(1) }
