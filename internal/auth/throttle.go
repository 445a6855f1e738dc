package auth

import (
	"strings"
	"time"

	"fugong/internal/apperr"
)

// Login throttling: after MaxFailures failed logins for one user name (or MaxFailures×4
// from one address) within LockWindow, further attempts are refused until the lock ends.
const (
	MaxFailures = 5
	LockWindow  = 15 * time.Minute
)

// SessionTTL is how long a login lasts.
const SessionTTL = 12 * time.Hour

// ErrThrottled is returned while a login key is locked.
var ErrThrottled = &apperr.Error{Kind: apperr.TooMany,
	Message: "登录失败次数过多,请 15 分钟后再试", MessageEN: "Too many failed logins; try again in 15 minutes"}

// ErrBadLogin answers a wrong user name or password alike.
var ErrBadLogin = &apperr.Error{Kind: apperr.Unauthorized,
	Message: "用户名或密码错误", MessageEN: "Wrong user name or password"}

// ThrottleKey is one counter of failed logins and the failures that lock it.
type ThrottleKey struct {
	Key   string
	Limit int
}

// ThrottleKeys are the counters a login attempt counts against: its user name and its
// client address. The first is cleared by a successful login.
func ThrottleKeys(username, addr string) []ThrottleKey {
	return []ThrottleKey{{"user:" + strings.ToLower(strings.TrimSpace(username)), MaxFailures}, {"addr:" + addr, MaxFailures * 4}}
}

// Failure is a counter after one more failure at now, given its failures so far since
// first: a window older than LockWindow starts again; reaching the limit locks until
// lockUntil (zero when not locked).
func Failure(k ThrottleKey, failures int, first, now time.Time) (n int, since, lockUntil time.Time) {
	if now.Sub(first) > LockWindow {
		return 1, now, time.Time{}
	}
	if failures+1 >= k.Limit {
		return failures + 1, first, now.Add(LockWindow)
	}
	return failures + 1, first, time.Time{}
}
