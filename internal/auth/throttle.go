package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"fugong/internal/apperr"
)

// Login throttling follows OWASP ASVS V2.2.1: it slows a guesser down without letting a
// stranger lock a real user out. Three counters of failed logins judge an attempt:
//
//   - the name's, over every client: a success clears it. It never refuses anyone; when
//     others have failed on the name at least NameFree times, a client failing on it has
//     no free attempts left.
//   - the pair's (the name from one client): after NameFree failures, or at once on a
//     name that others are guessing at, each failure makes that client wait 1 s, 2 s,
//     4 s … (at most MaxWait) before its next attempt on the name. A success clears it.
//   - the client's (its address, over all names): after ClientFree failures each failure
//     makes it wait in the same way before any further attempt. A success gives back
//     only its own attempt, so an account of one's own cannot wipe the slate.
//
// A right password from a client that is not itself waiting therefore always gets in,
// whatever strangers did on the name. An attempt is counted as a failure when it begins
// (Begin) and given back when the password proves right (Succeed), so that many
// attempts sent at once are all counted before any is answered.
const (
	NameFree   = 5                // failures on a name from one client before its waits begin
	ClientFree = 20               // failures from one client, on any names, before its waits begin
	MaxWait    = 15 * time.Minute // the longest wait
	Forget     = time.Hour        // a counter without failures for this long starts again
)

// SessionTTL is how long a login lasts.
const SessionTTL = 12 * time.Hour

// ErrBadLogin answers a wrong user name or password alike.
var ErrBadLogin = &apperr.Error{Kind: apperr.Unauthorized,
	Message: "用户名或密码错误", MessageEN: "Wrong user name or password"}

// Wait is how long a throttled client must wait; it is the cause of the TooMany error
// that refuses it.
type Wait time.Duration

func (w Wait) Error() string { return fmt.Sprintf("retry after %d s", w.Seconds()) }

// Seconds is the wait in whole seconds, rounded up (at least 1).
func (w Wait) Seconds() int {
	s := int((time.Duration(w) + time.Second - 1) / time.Second)
	return max(s, 1)
}

// RetryAfter is the wait, in whole seconds, that err asks the client to keep.
func RetryAfter(err error) (int, bool) {
	var w Wait
	if errors.As(err, &w) {
		return w.Seconds(), true
	}
	return 0, false
}

// waitWords is the wait in Chinese and English: seconds below two minutes, otherwise
// minutes, rounded up.
func waitWords(w Wait) (zh, en string) {
	s := w.Seconds()
	switch {
	case s == 1:
		return "1 秒", "1 second"
	case s < 120:
		return fmt.Sprintf("%d 秒", s), fmt.Sprintf("%d seconds", s)
	default:
		m := (s + 59) / 60
		return fmt.Sprintf("%d 分钟", m), fmt.Sprintf("%d minutes", m)
	}
}

// tooSoon refuses an attempt made while its client must still wait.
func tooSoon(w Wait) error {
	zh, en := waitWords(w)
	return &apperr.Error{Kind: apperr.TooMany, Err: w,
		Message:   "登录失败次数过多,请 " + zh + "后再试",
		MessageEN: "Too many failed logins; try again in " + en}
}

// badLoginWait answers a wrong password after which the client must wait.
func badLoginWait(w Wait) error {
	zh, en := waitWords(w)
	return &apperr.Error{Kind: apperr.TooMany, Err: w,
		Message:   "用户名或密码错误;登录失败次数过多,请 " + zh + "后再试",
		MessageEN: "Wrong user name or password; too many failed logins, try again in " + en}
}

// ThrottleKeys name the three counters of an attempt.
type ThrottleKeys struct {
	Name, Pair, Client string
}

// All lists the keys.
func (k ThrottleKeys) All() []string { return []string{k.Name, k.Pair, k.Client} }

// KeysFor are the counters of a login with username from client (an address as
// ClientAddr gives it). Names are counted without case or surrounding space; a name too
// long to be an account is counted by its digest. IPv6 clients are counted by their /64,
// the block one subscriber usually holds.
func KeysFor(username, client string) ThrottleKeys {
	name := strings.ToLower(strings.TrimSpace(username))
	if len(name) > 64 {
		sum := sha256.Sum256([]byte(name))
		name = "#" + hex.EncodeToString(sum[:16])
	}
	c := client
	if a, err := netip.ParseAddr(client); err == nil {
		a = a.Unmap().WithZone("")
		c = a.String()
		if a.Is6() {
			c = netip.PrefixFrom(a, 64).Masked().String()
		}
	}
	return ThrottleKeys{Name: "user:" + name, Pair: "pair:" + c + " " + name, Client: "addr:" + c}
}

// Counter is one counter of failed logins.
type Counter struct {
	Failures int
	Last     time.Time // the last failure
	Until    time.Time // no attempt is heard before this (zero: none)
}

// Zero reports whether the counter holds nothing (its row can go).
func (c Counter) Zero() bool { return c.Failures <= 0 }

// live is the counter as it stands at now: one quiet for Forget starts again (its wait,
// never longer than MaxWait, is over by then).
func (c Counter) live(now time.Time) Counter {
	if c.Failures > 0 && now.Sub(c.Last) < Forget {
		return c
	}
	return Counter{}
}

// failed is the counter after one more failure at now, waiting as excess failures over
// the free ones demand.
func (c Counter) failed(now time.Time, excess func(failures int) int) Counter {
	c = c.live(now)
	c.Failures++
	c.Last = now
	c.Until = time.Time{}
	if w := waitFor(excess(c.Failures)); w > 0 {
		c.Until = now.Add(w)
	}
	return c
}

// waitFor is the wait after the k-th failure beyond the free ones: 1 s, 2 s, 4 s …,
// at most MaxWait; none for k ≤ 0.
func waitFor(k int) time.Duration {
	if k <= 0 {
		return 0
	}
	if k > 30 {
		return MaxWait
	}
	return min(time.Second<<(k-1), MaxWait)
}

// Stale is the time before which a counter's last failure makes it worthless at now.
func Stale(now time.Time) time.Time { return now.Add(-Forget) }

// Throttle is the counters an attempt is judged by.
type Throttle struct {
	Name, Pair, Client Counter
}

// Admit refuses an attempt while its client must wait, for the name (the pair's counter)
// or for any name (the client's); the name's own counter never refuses anyone.
func (t Throttle) Admit(now time.Time) error {
	until := t.Pair.Until
	if t.Client.Until.After(until) {
		until = t.Client.Until
	}
	if until.After(now) {
		return tooSoon(Wait(until.Sub(now)))
	}
	return nil
}

// Begin admits an attempt and counts it as a failure in advance. It returns the counters
// to keep and the answer to give should the password prove wrong (ErrBadLogin, or a
// TooMany error with the wait that failure starts); err refuses the attempt unheard.
func (t Throttle) Begin(now time.Time) (next Throttle, ifWrong error, err error) {
	if err := t.Admit(now); err != nil {
		return t, nil, err
	}
	name, pair := t.Name.live(now), t.Pair.live(now)
	others := name.Failures - pair.Failures // failures on the name from other clients
	next.Name = name
	next.Name.Failures++
	next.Name.Last = now
	next.Pair = pair.failed(now, func(n int) int {
		if others >= NameFree {
			return n // the name is being guessed at: no free attempts
		}
		return n - NameFree
	})
	next.Client = t.Client.failed(now, func(n int) int { return n - ClientFree })
	wait := next.Pair.Until
	if next.Client.Until.After(wait) {
		wait = next.Client.Until
	}
	if wait.After(now) {
		return next, badLoginWait(Wait(wait.Sub(now))), nil
	}
	return next, ErrBadLogin, nil
}

// Succeed is the counters after the password of an attempt begun at begun proved right:
// the name's and the pair's are cleared; the client's gives that one attempt back, and
// with it a wait that no failure counted now calls for: the client's own attempt's, or
// any while its failures are back within the free ones.
func (t Throttle) Succeed(now, begun time.Time) Throttle {
	c := t.Client.live(now)
	if c.Failures > 0 {
		c.Failures--
		if c.Failures <= ClientFree || c.Last.Equal(begun) {
			c.Until = time.Time{}
		}
	}
	if c.Failures == 0 {
		c = Counter{}
	}
	return Throttle{Client: c}
}
