package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
)

// t0 is the fixed clock the throttle tests start from.
var t0 = time.Date(2020, 2, 10, 9, 0, 0, 0, time.UTC)

// counters keeps the counters as the store would, by key.
type counters map[string]Counter

func (cs counters) get(k ThrottleKeys) Throttle {
	return Throttle{Name: cs[k.Name], Pair: cs[k.Pair], Client: cs[k.Client]}
}

func (cs counters) put(k ThrottleKeys, t Throttle) {
	for key, c := range map[string]Counter{k.Name: t.Name, k.Pair: t.Pair, k.Client: t.Client} {
		if c.Zero() {
			delete(cs, key)
		} else {
			cs[key] = c
		}
	}
}

// try is one login attempt at now, as the store runs it: begun, then (for a right
// password) succeeded on the counters as they stand after it began.
func (cs counters) try(now time.Time, name, client string, right bool) error {
	k := KeysFor(name, client)
	next, ifWrong, err := cs.get(k).Begin(now)
	if err != nil {
		return err
	}
	cs.put(k, next)
	if !right {
		return ifWrong
	}
	cs.put(k, cs.get(k).Succeed(now, now))
	return nil
}

// outcome names an attempt's answer: "in", "wrong" (401), "wrong, wait N" (a wrong
// password after which the client waits N s) or "wait N" (refused unheard).
func outcome(err error) string {
	if err == nil {
		return "in"
	}
	if errors.Is(err, ErrBadLogin) {
		return "wrong"
	}
	e, ok := apperr.As(err)
	secs, waits := RetryAfter(err)
	if !ok || e.Kind != apperr.TooMany || !waits {
		return "unexpected: " + err.Error()
	}
	if strings.HasPrefix(e.MessageEN, "Wrong user name or password") {
		return fmt.Sprintf("wrong, wait %d", secs)
	}
	return fmt.Sprintf("wait %d", secs)
}

// step is one attempt of a story, at a time after t0.
type step struct {
	at     time.Duration
	name   string
	client string
	right  bool
	want   string
	repeat int // the step is made this many times (0: once)
}

func TestThrottleStories(t *testing.T) {
	const alice, admin = "alice", "admin"
	const home, office = "198.51.100.10", "198.51.100.20"
	s := time.Second
	for _, c := range []struct {
		name  string
		steps []step
	}{
		{"five free failures, then growing waits for that client", []step{
			{0, alice, home, false, "wrong", 5},
			{0, alice, home, false, "wrong, wait 1", 0},
			{0, alice, home, true, "wait 1", 0}, // refused unheard, even the right password
			{1 * s, alice, home, false, "wrong, wait 2", 0},
			{2 * s, alice, home, false, "wait 1", 0},
			{3 * s, alice, home, false, "wrong, wait 4", 0},
			{7 * s, alice, home, false, "wrong, wait 8", 0},
			{15 * s, alice, home, false, "wrong, wait 16", 0},
			{31 * s, alice, home, false, "wrong, wait 32", 0},
			{62 * s, alice, home, false, "wait 1", 0},
			{63 * s, alice, home, true, "in", 0},
		}},
		{"a success clears the name: the free failures are back", []step{
			{0, alice, home, false, "wrong", 5},
			{0, alice, home, false, "wrong, wait 1", 0},
			{1 * s, alice, home, false, "wrong, wait 2", 0},
			{3 * s, alice, home, true, "in", 0},
			{4 * s, alice, home, false, "wrong", 5},
			{4 * s, alice, home, false, "wrong, wait 1", 0},
		}},
		{"a right password from another client gets in at once", []step{
			{0, alice, home, false, "wrong", 5},
			{0, alice, home, false, "wrong, wait 1", 0},
			{0, alice, office, true, "in", 0},
		}},
		{"strangers' failures on admin refuse no right password", []step{
			{0, admin, "203.0.113.1", false, "wrong", 5},
			{0, admin, "203.0.113.2", false, "wrong, wait 1", 0}, // the name is being guessed at
			{0, admin, "203.0.113.3", false, "wrong, wait 1", 0},
			{0, admin, "203.0.113.4", false, "wrong, wait 1", 0},
			{0, admin, "203.0.113.1", false, "wrong, wait 1", 0},
			{0, admin, office, true, "in", 0},
		}},
		{"a typo of the real user on a name strangers guess at costs a second, not the cap", []step{
			{0, admin, "203.0.113.1", false, "wrong", 5},
			{0, admin, "203.0.113.2", false, "wrong, wait 1", 0},
			{0, admin, office, false, "wrong, wait 1", 0},
			{1 * s, admin, office, true, "in", 0},
		}},
		{"a new client on a name others guess at waits from its first failure", []step{
			{0, admin, "203.0.113.1", false, "wrong", 5},
			{0, admin, "203.0.113.9", false, "wrong, wait 1", 0},
			{1 * s, admin, "203.0.113.9", false, "wrong, wait 2", 0},
			{3 * s, admin, "203.0.113.9", false, "wrong, wait 4", 0},
		}},
		{"one client failing on many names waits for all, right password included", manyNames(office)},
		{"a quiet hour starts the counters again", []step{
			{0, alice, home, false, "wrong", 5},
			{0, alice, home, false, "wrong, wait 1", 0},
			{1 * s, alice, home, false, "wrong, wait 2", 0},
			{Forget + 2*s, alice, home, false, "wrong", 5},
			{Forget + 2*s, alice, home, false, "wrong, wait 1", 0},
		}},
		{"names are counted without case; IPv6 clients by their /64", []step{
			{0, "Alice", "2001:db8:1:2::1", false, "wrong", 2},
			{0, " alice ", "2001:db8:1:2::ff", false, "wrong", 3},
			{0, "ALICE", "2001:db8:1:2:a:b:c:d", false, "wrong, wait 1", 0},
			{0, alice, "2001:db8:1:3::1", true, "in", 0},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cs := counters{}
			for i, st := range c.steps {
				for n := 0; n < max(st.repeat, 1); n++ {
					if got := outcome(cs.try(t0.Add(st.at), st.name, st.client, st.right)); got != st.want {
						t.Fatalf("step %d (%s from %s at +%s, try %d): %s; want %s", i, st.name, st.client, st.at, n+1, got, st.want)
					}
				}
			}
		})
	}
}

// manyNames is a client failing once on each of ClientFree names, then on more: it waits
// for every name, and its own success gives back only its own attempt.
func manyNames(client string) []step {
	var steps []step
	for i := 0; i < ClientFree; i++ {
		steps = append(steps, step{0, fmt.Sprintf("user%02d", i), client, false, "wrong", 0})
	}
	s := time.Second
	return append(steps,
		step{0, "other", client, false, "wrong, wait 1", 0},
		step{0, "mine", client, true, "wait 1", 0},
		step{0, "mine", "192.0.2.99", true, "in", 0}, // the same account from elsewhere
		step{1 * s, "mine", client, true, "in", 0},
		step{1 * s, "other2", client, false, "wrong, wait 2", 0}, // the success wiped nothing
		step{3 * s, "other3", client, false, "wrong, wait 4", 0},
	)
}

func TestWaitGrowsToTheCap(t *testing.T) {
	for _, c := range []struct {
		k    int
		want time.Duration
	}{
		{-3, 0}, {0, 0}, {1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second},
		{10, 512 * time.Second}, {11, MaxWait}, {12, MaxWait}, {64, MaxWait}, {1 << 30, MaxWait},
	} {
		if got := waitFor(c.k); got != c.want {
			t.Errorf("waitFor(%d) = %s; want %s", c.k, got, c.want)
		}
	}
	// One client guessing at one name, waiting out every wait: the waits double up to
	// the cap and stay there; the message says the wait.
	cs := counters{}
	now := t0
	var waits []int
	var last error
	for i := 0; i < 20; i++ {
		last = cs.try(now, "admin", "203.0.113.5", false)
		secs, ok := RetryAfter(last)
		if !ok {
			secs = 0
		}
		waits = append(waits, secs)
		now = now.Add(time.Duration(secs) * time.Second)
	}
	want := []int{0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Fatalf("waits %v; want %v", waits, want)
	}
	e, _ := apperr.As(last)
	if !strings.Contains(e.Message, "15 分钟后再试") || !strings.Contains(e.MessageEN, "try again in 15 minutes") {
		t.Errorf("capped wait message: %q / %q", e.Message, e.MessageEN)
	}
	if got := outcome(cs.try(now.Add(-time.Second), "admin", "203.0.113.5", true)); got != "wait 1" {
		t.Errorf("a second before the wait ends: %s", got)
	}
	if got := outcome(cs.try(now.Add(-10*time.Minute), "admin", "203.0.113.5", true)); got != "wait 600" {
		t.Errorf("ten minutes before the wait ends: %s", got)
	}
	if e, _ := apperr.As(cs.try(now.Add(-10*time.Minute), "admin", "203.0.113.5", true)); e == nil || e.Message != "登录失败次数过多,请 10 分钟后再试" ||
		e.MessageEN != "Too many failed logins; try again in 10 minutes" {
		t.Errorf("refusal message: %v", e)
	}
	if got := outcome(cs.try(now, "admin", "203.0.113.5", true)); got != "in" {
		t.Errorf("after the wait, the right password: %s", got)
	}
}

// Attempts sent at once are all counted when they begin: of many begun together from one
// client on one name, only NameFree+1 are heard. A success gives back its own attempt and
// the wait it started, and no more.
func TestThrottleCountsAttemptsAsTheyBegin(t *testing.T) {
	cs := counters{}
	k := KeysFor("admin", "203.0.113.5")
	heard := 0
	for i := 0; i < 50; i++ {
		next, _, err := cs.get(k).Begin(t0)
		if err != nil {
			continue
		}
		cs.put(k, next)
		heard++
	}
	if heard != NameFree+1 {
		t.Fatalf("%d of 50 simultaneous attempts heard; want %d", heard, NameFree+1)
	}
	// A success gives back the wait its own attempt started, beyond the free ones too.
	cs = counters{}
	for i := 0; i <= ClientFree; i++ {
		cs.try(t0, fmt.Sprintf("u%d", i), "203.0.113.5", false) // the 21st waits 1 s
	}
	mine := KeysFor("mine", "203.0.113.5")
	next, _, err := cs.get(mine).Begin(t0.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	cs.put(mine, next) // the 22nd: a wait of 2 s, until the password proves right
	later := t0.Add(time.Second + 100*time.Millisecond)
	cs.put(mine, cs.get(mine).Succeed(later, t0.Add(time.Second)))
	if err := cs.get(mine).Admit(later); err != nil {
		t.Fatalf("the wait its own attempt started outlives the success: %v", err)
	}
	if c := cs[mine.Client]; c.Failures != ClientFree+1 {
		t.Fatalf("the success gave back %d failures", ClientFree+2-c.Failures)
	}
	// Many right passwords at once from one address (an office behind one router): the
	// attempts in flight beyond the free ones hold the next back, but as soon as answers
	// come back nothing waits.
	cs = counters{}
	type begun struct {
		k  ThrottleKeys
		at time.Time
	}
	var inFlight []begun
	held := 0
	for i := 0; i < 40; i++ {
		k, at := KeysFor(fmt.Sprintf("clerk%02d", i), "198.51.100.1"), t0.Add(time.Duration(i)*time.Millisecond)
		next, _, err := cs.get(k).Begin(at)
		if err != nil {
			held++
			for _, b := range inFlight[:10] { // the ten oldest prove right
				cs.put(b.k, cs.get(b.k).Succeed(at, b.at))
			}
			inFlight = inFlight[10:]
			if next, _, err = cs.get(k).Begin(at); err != nil {
				t.Fatalf("clerk %d: still refused after ten successes came back: %v", i, err)
			}
		}
		cs.put(k, next)
		inFlight = append(inFlight, begun{k, at})
	}
	if held == 0 || len(inFlight) > ClientFree+1 {
		t.Errorf("%d attempts held back, %d in flight at the end", held, len(inFlight))
	}
	for _, b := range inFlight {
		cs.put(b.k, cs.get(b.k).Succeed(t0.Add(time.Second), b.at))
	}
	if c, ok := cs[KeysFor("x", "198.51.100.1").Client]; ok {
		t.Errorf("after 40 successes the client's counter is %+v", c)
	}

	// A failure counted after a success began, beyond the free ones, keeps its wait.
	cs = counters{}
	for i := 0; i <= ClientFree; i++ {
		cs.try(t0, fmt.Sprintf("u%d", i), "203.0.113.5", false) // the 21st waits 1 s
	}
	at := t0.Add(time.Second)
	next, _, err = cs.get(mine).Begin(at) // the 22nd: a wait of 2 s until it proves right
	if err != nil {
		t.Fatal(err)
	}
	cs.put(mine, next)
	x := KeysFor("x", "203.0.113.5")
	later = at.Add(2 * time.Second) // a slow check of the password
	other, ifWrong, err := cs.get(x).Begin(later)
	if err != nil || outcome(ifWrong) != "wrong, wait 4" {
		t.Fatalf("the 23rd attempt: %v, %s", err, outcome(ifWrong))
	}
	cs.put(x, other)
	cs.put(mine, cs.get(mine).Succeed(later.Add(time.Millisecond), at))
	if got := outcome(cs.get(mine).Admit(later.Add(time.Second))); got != "wait 3" {
		t.Fatalf("after a success, with a later failure counted: %s", got)
	}
}

func TestThrottleKeys(t *testing.T) {
	for _, c := range []struct {
		name, client string
		want         ThrottleKeys
	}{
		{" Admin ", "203.0.113.5", ThrottleKeys{"user:admin", "pair:203.0.113.5 admin", "addr:203.0.113.5"}},
		{"admin", "::ffff:203.0.113.5", ThrottleKeys{"user:admin", "pair:203.0.113.5 admin", "addr:203.0.113.5"}},
		{"admin", "2001:db8:1:2:3:4:5:6", ThrottleKeys{"user:admin", "pair:2001:db8:1:2::/64 admin", "addr:2001:db8:1:2::/64"}},
		{"admin", "pipe", ThrottleKeys{"user:admin", "pair:pipe admin", "addr:pipe"}},
	} {
		if got := KeysFor(c.name, c.client); got != c.want {
			t.Errorf("KeysFor(%q, %q) = %+v; want %+v", c.name, c.client, got, c.want)
		}
	}
	long := KeysFor(strings.Repeat("a", 1<<20), "203.0.113.5")
	if len(long.Name) > 64 || len(long.Pair) > 100 || long == KeysFor(strings.Repeat("a", 1<<20-1), "203.0.113.5") {
		t.Errorf("a long name's keys: %q, %q", long.Name, long.Pair)
	}
}
