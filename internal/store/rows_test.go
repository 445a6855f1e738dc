package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/health"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// Readings recorded concurrently share groups (on PostgreSQL their rows are sent together
// at the end of each group): every row holds exactly what was recorded, under the id its
// answer gave, and a fever in the middle of a group still opens its follow-up.
func TestGroupedRowsHoldWhatWasSent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		_, _, ea, _ := seed(t, db)
		pol := policy.Default()
		st := store.New(db, store.Config{Policy: pol})
		entA := auth.Principal{Username: "ea", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
		const n = 80
		ids := make([]int64, n)
		for i := range ids {
			e, err := st.Roster().Create(ctx, entA, roster.Employee{Name: "员工" + itoaTest(i), IDNumber: personID(t, 300+i), Origin: "local",
				ReturnDate: rosterDay(t, pol, "2020-02-10")})
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = e.ID
		}
		guard := auth.Principal{UserID: 0, Username: "g", Role: auth.Guard, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
		reading := func(i int) health.Reading {
			r := health.Reading{EmployeeID: ids[i], Temperature: 36.0 + float64(i%9)/10, Checkpoint: fmt.Sprintf("东门 %d 'quoted' \\ {x,y}", i)}
			if i%7 == 0 {
				r.Symptoms = []string{"cough"}
			}
			if i == n/2 {
				r.Temperature = 38.4 // a fever among the others
			}
			return r
		}
		results := make([]health.CheckResult, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				out, err := st.Health().Record(ctx, guard, []health.Reading{reading(i)})
				errs[i] = err
				if err == nil {
					results[i] = out[0]
				}
			})
		}
		wg.Wait()
		seen := map[int64]bool{}
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("reading %d: %v", i, errs[i])
			}
			res, want := results[i], reading(i)
			if res.ID == 0 || seen[res.ID] {
				t.Fatalf("reading %d: id %d (duplicate or none)", i, res.ID)
			}
			seen[res.ID] = true
			var (
				emp                    int64
				temp                   float64
				symptoms, checkpoint   string
				source, day            string
				fever                  bool
				takenAt                time.Time
				followUps, operatorSet int
			)
			err := store.ScanRowForTest(ctx, db, `SELECT employee_id, temperature, symptoms, checkpoint, source, day, fever, taken_at,
				(SELECT COUNT(*) FROM health_followups f WHERE f.check_id = h.id), CASE WHEN operator_id IS NULL THEN 0 ELSE 1 END
				FROM health_checks h WHERE id = ?`, []any{res.ID},
				&emp, &temp, &symptoms, &checkpoint, &source, &day, &fever, &takenAt, &followUps, &operatorSet)
			if err != nil {
				t.Fatalf("reading %d (id %d): %v", i, res.ID, err)
			}
			wantFever := want.Temperature >= 37.3 || len(want.Symptoms) > 0
			if emp != want.EmployeeID || temp != want.Temperature || symptoms != strings.Join(want.Symptoms, ",") || checkpoint != want.Checkpoint ||
				source != health.SourceCheckpoint || fever != wantFever || fever != res.Fever || operatorSet != 0 ||
				day != roster.FormatDate(res.At, pol.Location()) || !takenAt.Equal(res.At.Truncate(time.Microsecond)) {
				t.Errorf("reading %d: stored %d %v %q %q %s %s %v %v, sent %+v, answered %+v", i, emp, temp, symptoms, checkpoint, source, day, fever, takenAt, want, res)
			}
			if (followUps == 1) != (res.FollowUpID != 0 && fever) {
				t.Errorf("reading %d: %d follow-ups for check %d, answer %+v", i, followUps, res.ID, res)
			}
		}
		got, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM health_checks`)
		if err != nil || got != n {
			t.Fatalf("%d readings stored, want %d (%v)", got, n, err)
		}
	})
}

// A queued row's values reach PostgreSQL as text its columns read back unchanged.
func TestPgText(t *testing.T) {
	type code string
	at := time.Date(2020, 2, 20, 9, 30, 15, 123456789, time.FixedZone("CST", 8*3600))
	for _, c := range []struct {
		in   any
		want string
		null bool
	}{
		{nil, "", true},
		{"东门 'a' \\ {b}", "东门 'a' \\ {b}", false},
		{int64(-42), "-42", false},
		{7, "7", false},
		{36.6, "36.6", false},
		{1.0 / 3, "0.3333333333333333", false},
		{true, "true", false},
		{at, "2020-02-20T01:30:15.123456Z", false},
		{code("fever"), "fever", false},
	} {
		got, err := store.PgTextForTest(c.in)
		if err != nil || (got == nil) != c.null || (got != nil && *got != c.want) {
			t.Errorf("pgText(%#v) = %v, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := store.PgTextForTest([]int{1}); err == nil {
		t.Error("a slice was sent as text")
	}
}
