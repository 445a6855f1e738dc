package store_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/health"
	"fugong/internal/list"
	"fugong/internal/pass"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// After a day is over, the passes of people who missed that day's checks are suspended,
// once, by whichever instance gets there first; a pass issued that day is not held to
// them.
func TestDailyJobsSuspendMissedChecks(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		approveFirst(t, db, w)
		st := store.New(db, store.Config{Policy: w.pol, Signer: w.signer})
		loc := w.pol.Location()
		at := func(day string, h, m int) time.Time {
			d, _ := roster.ParseDate(day, loc)
			return d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute).UTC()
		}
		issue := func(name string, n int, when time.Time) int64 {
			db.Now = func() time.Time { return when }
			id, _ := issuedPass(t, st, w, name, n)
			return id
		}
		missed := issue("缺检", 601, at("2020-02-14", 9, 0))
		checked := issue("足检", 602, at("2020-02-14", 9, 0))
		issue("当日领证", 603, at("2020-02-15", 17, 0)) // issued on the day: exempt
		db.Now = func() time.Time { return at("2020-02-15", 18, 0) }
		for _, h := range []int{8, 14} {
			if _, err := st.Health().Record(ctx, w.ent, []health.Reading{{EmployeeID: checked, Temperature: 36.5, At: at("2020-02-15", h, 0)}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.Health().Record(ctx, w.ent, []health.Reading{{EmployeeID: missed, Temperature: 36.5, At: at("2020-02-15", 8, 0)}}); err != nil {
			t.Fatal(err)
		}

		// Too early: readings taken just before midnight may still be coming.
		if r, err := st.RunDailyJobs(ctx, at("2020-02-16", 0, 5)); err != nil || r.Ran || r.Day != "2020-02-15" {
			t.Fatalf("at 00:05: %s %v %v", r.Day, r.Ran, err)
		}
		// Two instances at once: one runs the day.
		var wg sync.WaitGroup
		var mu sync.Mutex
		runs, total := 0, 0
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := st.RunDailyJobs(ctx, at("2020-02-16", 0, 15))
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				if r.Ran {
					runs++
				}
				total += r.Suspended
			}()
		}
		wg.Wait()
		if runs != 1 || total != 1 {
			t.Fatalf("%d runs suspended %d passes; want one run suspending the one who missed a check", runs, total)
		}
		suspended, _, err := st.Passes().List(ctx, w.ent, pass.Filter{Status: pass.Suspended})
		if err != nil || len(suspended) != 1 || suspended[0].EmployeeID != missed || suspended[0].Reason != pass.ReasonMissedChecks {
			t.Fatalf("suspended: %+v %v", suspended, err)
		}
		// The enterprise and the grid leader are told, once.
		for _, p := range []auth.Principal{w.ent, w.grid} {
			items, _, _, err := db.ListNotifications(ctx, p.UserID, list.Page{})
			n := 0
			for _, it := range items {
				if it.Kind == "missed_checks" {
					n++
					if !strings.Contains(it.Body, "1 人") {
						t.Errorf("%s's alert: %q", p.Role, it.Body)
					}
				}
			}
			if err != nil || n != 1 {
				t.Errorf("%s has %d missed-check alerts (%v), want 1", p.Role, n, err)
			}
		}
		if r, err := st.RunDailyJobs(ctx, at("2020-02-16", 9, 0)); err != nil || r.Ran {
			t.Fatalf("the same day again: %v %v", r.Ran, err)
		}
	})
}
