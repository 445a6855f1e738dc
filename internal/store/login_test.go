package store_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The store keeps the throttle's counters; the rule itself is tested in package auth.
// Here: the waits survive in the database, a success clears the name, strangers never
// refuse a right password, and attempts sent at once are all counted.
func TestLoginThrottleCounters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		seed(t, db)
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: "admin2", Role: auth.Admin, ScopeText: "all"}, "correct horse")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2020, 2, 10, 9, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		db.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		try := func(password, client string) string {
			t.Helper()
			got, err := db.Authenticate(ctx, " admin2 ", password, client)
			if err == nil {
				if got.ID != u.ID {
					t.Fatalf("signed in as %+v", got)
				}
				return "in"
			}
			if errors.Is(err, auth.ErrBadLogin) {
				return "wrong"
			}
			secs, ok := auth.RetryAfter(err)
			if e, isApp := apperr.As(err); !ok || !isApp || e.Kind != apperr.TooMany {
				t.Fatalf("unexpected error: %v", err)
			}
			if strings.HasPrefix(err.Error(), "Wrong") {
				return fmt.Sprintf("wrong, wait %d", secs)
			}
			return fmt.Sprintf("wait %d", secs)
		}
		// Strangers guess at the name from many addresses; one keeps at it.
		for i := 0; i < auth.NameFree; i++ {
			if got := try("guess", "203.0.113.1"); got != "wrong" {
				t.Fatalf("stranger's guess %d: %s", i+1, got)
			}
		}
		for _, want := range []string{"wrong, wait 1", "wait 1"} {
			if got := try("guess", "203.0.113.1"); got != want {
				t.Fatalf("stranger's guess: %s; want %s", got, want)
			}
		}
		if got := try("guess", "203.0.113.2"); got != "wrong, wait 1" {
			t.Fatalf("a second stranger on a name being guessed at: %s", got)
		}
		advance(time.Second)
		if got := try("guess", "203.0.113.1"); got != "wrong, wait 2" {
			t.Fatalf("the waits grow: %s", got)
		}
		// The administrator, from its own address, gets in; the success clears the name.
		if got := try("correct horse", "198.51.100.10"); got != "in" {
			t.Fatalf("the right password after strangers' failures: %s", got)
		}
		if got := try("guess", "203.0.113.3"); got != "wrong" {
			t.Fatalf("after the success, a new client's failure: %s", got)
		}
		// The stranger still waits: the success was not his.
		if got := try("correct horse", "203.0.113.1"); got != "wait 2" {
			t.Fatalf("the waiting stranger: %s", got)
		}
		advance(2 * time.Second)
		if got := try("correct horse", "203.0.113.1"); got != "in" {
			t.Fatalf("after the wait: %s", got)
		}

		// Many attempts at once from one client on one name: every one is counted before
		// any is answered, so no more than NameFree+1 are heard.
		const n = 40
		var wg sync.WaitGroup
		answers := make(chan string, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.Authenticate(ctx, "admin2", "guess", "203.0.113.50")
				switch {
				case errors.Is(err, auth.ErrBadLogin) || (err != nil && strings.HasPrefix(err.Error(), "Wrong")):
					answers <- "heard"
				case apperr.KindOf(err) == apperr.TooMany:
					answers <- "refused"
				default:
					answers <- fmt.Sprint("unexpected: ", err)
				}
			}()
		}
		wg.Wait()
		close(answers)
		count := map[string]int{}
		for a := range answers {
			count[a]++
		}
		if count["heard"] != auth.NameFree+1 || count["refused"] != n-auth.NameFree-1 {
			t.Fatalf("%d simultaneous guesses answered %v; want %d heard", n, count, auth.NameFree+1)
		}
		// A quiet hour later the counters are gone from the table.
		advance(auth.Forget + time.Second)
		if got := try("guess", "203.0.113.60"); got != "wrong" {
			t.Fatalf("an hour later: %s", got)
		}
		if rows, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM login_failures`); err != nil || rows != 3 {
			t.Errorf("%d counters kept after the purge (%v); want the 3 of the last attempt", rows, err)
		}
	})
}
