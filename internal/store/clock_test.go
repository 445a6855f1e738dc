package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The stored clock columns follow roster.Clock for every origin class and return day,
// across midnight, after the daily job and across a policy change; the roster's counts,
// phase filters and pages read from them agree with a fixture computed with roster.Clock.
func TestClockColumns(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		townA, _, ea, eb := seed(t, db)
		pol := policy.Default()
		loc := pol.Location()
		at := func(s string) time.Time {
			d, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		now := at("2020-02-13 10:00")
		db.Now = func() time.Time { return now.UTC() }
		st := store.New(db, store.Config{Policy: pol})
		all := auth.Principal{Username: "root", Role: auth.Admin, Scope: auth.Scope{Kind: auth.ScopeAll}}
		entA := auth.Principal{Username: "ea", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
		entB := auth.Principal{Username: "eb", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: eb.ID}}

		// Every origin class, not back (no date, tomorrow), back today, mid-measure, the
		// measure ending today and tomorrow, long ago; some with a long journey.
		var people []roster.Employee
		n := 0
		for _, oc := range pol.OriginClasses {
			for _, back := range []string{"", "2020-02-14", "2020-02-13", "2020-02-05", "2020-01-30", "2020-01-31", "2020-01-01"} {
				n++
				e := roster.Employee{Name: fmt.Sprint("员工", n), IDNumber: personID(t, n), Origin: oc.Code, JourneyHours: float64(n % 9)}
				if back != "" {
					e.ReturnDate = rosterDay(t, pol, back)
				}
				actor := entA
				if n%3 == 0 {
					actor = entB
				}
				it, err := st.Roster().Create(ctx, actor, e)
				if err != nil {
					t.Fatal(err)
				}
				people = append(people, it.Employee)
			}
		}

		// columns checks the stored columns of everyone against roster.Clock under p.
		columns := func(label string, p *policy.Policy) {
			t.Helper()
			for _, e := range people {
				want := roster.Clock(p, e, now).Stored(e, p.Location())
				phase, next, long, err := store.StoredClockForTest(ctx, db, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				if phase != string(want.Phase) || next != roster.FormatDate(want.Next, p.Location()) || long != want.JourneyTooLong {
					t.Fatalf("%s: %s (%s, back %s): stored %s %q %v, clock %+v", label, e.Name, e.Origin,
						roster.FormatDate(e.ReturnDate, loc), phase, next, long, want)
				}
			}
		}
		// lists checks the counts, phase filters and pages of the lists of s against the
		// clock of everyone in scope (all, town A, enterprise B).
		lists := func(label string, s *store.Store, p *policy.Policy) {
			t.Helper()
			for _, c := range []struct {
				actor auth.Principal
				in    func(roster.Employee) bool
			}{
				{all, func(roster.Employee) bool { return true }},
				{townA, func(e roster.Employee) bool { return e.EnterpriseID == ea.ID }},
				{entB, func(e roster.Employee) bool { return e.EnterpriseID == eb.ID }},
			} {
				var want roster.Counts
				byPhase := map[roster.Phase][]int64{}
				var ids []int64
				for _, e := range people {
					if !c.in(e) {
						continue
					}
					s := roster.Clock(p, e, now)
					want.Add(s, roster.Tomorrow(p, now))
					byPhase[s.Phase] = append(byPhase[s.Phase], e.ID)
					ids = append(ids, e.ID)
				}
				byPhase[""] = ids
				for _, ph := range append([]roster.Phase{""}, roster.Phases...) {
					ids := slices.Clone(byPhase[ph])
					slices.Sort(ids)
					slices.Reverse(ids)
					for page := 1; page <= 3; page++ {
						items, total, counts, err := s.Roster().List(ctx, c.actor, roster.Filter{Phase: ph, Page: list.Page{Number: page, Size: 4}})
						if err != nil {
							t.Fatal(err)
						}
						if counts != want || total != len(ids) {
							t.Fatalf("%s, %s, phase %q: counts %+v total %d, want %+v total %d", label, c.actor.Username, ph, counts, total, want, len(ids))
						}
						// Filtered on the people (nobody has a certificate), the counts are
						// those of the people themselves, not of the enterprises' sums.
						_, total2, counts2, err := s.Roster().List(ctx, c.actor, roster.Filter{Phase: ph, Certificate: roster.CertificateMissing, Page: list.Page{Number: page, Size: 4}})
						if err != nil || counts2 != want || total2 != len(ids) {
							t.Fatalf("%s, %s, phase %q, filtered on the people: counts %+v total %d (%v), want %+v", label, c.actor.Username, ph, counts2, total2, err, want)
						}
						var got []int64
						for _, it := range items {
							got = append(got, it.ID)
							if it.Status != roster.Clock(p, it.Employee, now) {
								t.Fatalf("%s: status of %s %+v", label, it.Name, it.Status)
							}
						}
						lo, hi := min((page-1)*4, len(ids)), min(page*4, len(ids))
						if !slices.Equal(got, ids[lo:hi]) {
							t.Fatalf("%s, %s, phase %q, page %d: %v, want %v", label, c.actor.Username, ph, page, got, ids[lo:hi])
						}
					}
					var each []int64
					if err := s.Roster().Each(ctx, c.actor, roster.Filter{Phase: ph}, false, func(it roster.Item) error {
						each = append(each, it.ID)
						return nil
					}); err != nil {
						t.Fatal(err)
					}
					slices.Reverse(each)
					if !slices.Equal(each, ids) {
						t.Fatalf("%s, %s, phase %q: export %v, want %v", label, c.actor.Username, ph, each, ids)
					}
				}
			}
		}

		// Written with the clock of the day.
		columns("created", pol)
		lists("created", st, pol)

		// Across midnight: the lists refresh what changed, the job not having run.
		for _, s := range []string{"2020-02-13 23:59", "2020-02-14 00:01", "2020-02-14 10:00", "2020-02-15 08:00", "2020-02-28 00:00"} {
			now = at(s)
			lists(s, st, pol)
			columns(s, pol)
		}

		// An edit stores the new clock at once.
		e := people[len(people)-1]
		e.Origin, e.ReturnDate, e.JourneyHours = policy.OriginProvinceOtherCity, rosterDay(t, pol, "2020-02-27"), 10
		if it, err := st.Roster().Update(ctx, entA, e, 0); err != nil {
			if it, err = st.Roster().Update(ctx, entB, e, 0); err != nil {
				t.Fatal(err)
			}
			people[len(people)-1] = it.Employee
		} else {
			people[len(people)-1] = it.Employee
		}
		columns("edited", pol)

		// The daily job refreshes the rows due, with no list read.
		now = at("2020-03-12 00:30")
		run, err := st.RunDailyJobs(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if run.Clocks.Full || run.Clocks.Updated == 0 {
			t.Fatalf("daily job: %+v", run.Clocks)
		}
		columns("daily job", pol)
		if run, err := st.RunDailyJobs(ctx, now); err != nil || run.Clocks.Updated != 0 {
			t.Fatalf("daily job again: %+v, %v", run.Clocks, err)
		}

		// A new policy (longer measures, monitoring turned into isolation): the columns follow.
		changed := *policy.Default()
		changed.Version = "changed-for-test"
		changed.OriginClasses = slices.Clone(changed.OriginClasses)
		for i := range changed.OriginClasses {
			oc := &changed.OriginClasses[i]
			if oc.Measure == policy.MeasureMonitor {
				oc.Measure = policy.MeasureIsolate
			}
			if oc.Days > 0 {
				oc.Days = 42
			}
		}
		now = at("2020-03-10 09:00") // and the clock went back
		st2 := store.New(db, store.Config{Policy: &changed})
		lists("new policy", st2, &changed)
		columns("new policy", &changed)

		// Rows without a stored clock (written before migration 020, or by a writer that
		// does not know the clock) are filled before a list is read.
		if err := store.ExecForTest(ctx, db, `UPDATE employees SET phase = '', phase_next = '0000-00-00', journey_too_long = FALSE WHERE id % 2 = 0`); err != nil {
			t.Fatal(err)
		}
		lists("unstored rows", st2, &changed)
		columns("unstored rows", &changed)
		if err := store.ExecForTest(ctx, db, `UPDATE employees SET phase = '', phase_next = '0000-00-00', journey_too_long = FALSE`); err != nil {
			t.Fatal(err)
		}
		if err := store.ExecForTest(ctx, db, `DELETE FROM clock_state`); err != nil {
			t.Fatal(err)
		}
		lists("before migration 020", st2, &changed)
		columns("before migration 020", &changed)
		// And back to the default policy.
		lists("default again", st, pol)
		columns("default again", pol)

		// Refreshes asked for at once after a policy change (the daily job at start-up and
		// the first lists): one recomputes the rows, the others wait for it and find
		// nothing left to do.
		again := changed
		again.Version = "changed-again-for-test"
		st3 := store.New(db, store.Config{Policy: &again})
		var wg sync.WaitGroup
		runs := make([]store.ClockRefresh, 4)
		errs := make([]error, len(runs))
		for i := range runs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				runs[i], errs[i] = st3.RefreshClocks(ctx, now)
			}()
		}
		wg.Wait()
		full := 0
		for i, r := range runs {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if r.Full {
				full++
				if r.Updated == 0 {
					t.Errorf("the full refresh updated nothing: %+v", r)
				}
			} else if r.Updated != 0 {
				t.Errorf("a second refresh recomputed %d rows: %+v", r.Updated, runs)
			}
		}
		if full != 1 {
			t.Errorf("%d full refreshes at once, want 1: %+v", full, runs)
		}
		columns("refreshed at once", &again)
	})
}
