package store_test

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/gate"
	"fugong/internal/health"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"

	"github.com/jackc/pgx/v5/pgtype"
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

// A column of queued rows reaches PostgreSQL as an array of the column's type, NULL for
// nil, a named type of the domain as its kind; a value the column cannot hold is refused.
func TestPgColumn(t *testing.T) {
	type code string
	type count int
	at := time.Date(2020, 2, 20, 9, 30, 15, 123456789, time.FixedZone("CST", 8*3600))
	for _, c := range []struct {
		typ  string
		in   []any
		want any
	}{
		{"text", []any{"东门 'a' \\ {b}", nil, code("fever")},
			[]pgtype.Text{{String: "东门 'a' \\ {b}", Valid: true}, {}, {String: "fever", Valid: true}}},
		{"bigint", []any{int64(-42), 7, nil, count(3)},
			[]pgtype.Int8{{Int64: -42, Valid: true}, {Int64: 7, Valid: true}, {}, {Int64: 3, Valid: true}}},
		{"double precision", []any{36.6, 1.0 / 3, nil},
			[]pgtype.Float8{{Float64: 36.6, Valid: true}, {Float64: 1.0 / 3, Valid: true}, {}}},
		{"boolean", []any{true, false, nil}, []pgtype.Bool{{Bool: true, Valid: true}, {Valid: true}, {}}},
		{"timestamptz", []any{at, nil}, []pgtype.Timestamptz{{Time: at, Valid: true}, {}}},
	} {
		got, err := store.PgColumnForTest(c.typ, c.in...)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s column of %#v = %#v, %v; want %#v", c.typ, c.in, got, err, c.want)
		}
	}
	for _, c := range []struct {
		typ string
		in  any
	}{{"bigint", "7"}, {"text", []int{1}}, {"double precision", 36}, {"boolean", "true"}, {"timestamptz", "2020-02-20"}, {"json", "{}"}} {
		if _, err := store.PgColumnForTest(c.typ, c.in); err == nil {
			t.Errorf("%#v was taken for a %s column", c.in, c.typ)
		}
	}
}

// Scans recorded concurrently write two rows each (the gate's log and a reading), which
// on PostgreSQL are sent together in one statement per group, under ids drawn ahead and
// kept between groups. Each scan's rows hold what it was, under ids used once, even when
// a failing change in a group makes the group run again row by row.
func TestGroupedScansHoldWhatWasSent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		approveFirst(t, db, w)
		st := w.st
		const n = 60
		tokens := make([]string, n)
		for i := range n {
			_, p := issuedPass(t, st, w, "扫码"+itoaTest(i), 400+i)
			tokens[i] = p.Token
		}
		guard := auth.Principal{Username: "g", Role: auth.Guard, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: w.enterprises[0].ID}}
		temp := func(i int) float64 {
			if i == n/2 {
				return 38.5 // a fever among the others: refused, its reading kept
			}
			return 36.0 + float64(i%9)/10
		}
		results := make([]gate.Result, n)
		errs := make([]error, n)
		var refused atomic.Int32
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				t := temp(i)
				results[i], errs[i] = st.Gate().Scan(ctx, guard, tokens[i], &t, "东门")
			})
			if i%20 == 10 { // a change that fails, rolling back the group it joins
				wg.Go(func() {
					if store.WriteGroupedForTest(ctx, db, func(*store.Tx) error { return fmt.Errorf("refused") }) != nil {
						refused.Add(1)
					}
				})
			}
		}
		wg.Wait()
		if refused.Load() != n/20 {
			t.Fatalf("%d failing changes refused, want %d", refused.Load(), n/20)
		}
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("scan %d: %v", i, errs[i])
			}
			if results[i].Allow != (i != n/2) {
				t.Errorf("scan %d: %+v", i, results[i])
			}
		}
		for _, c := range []struct{ q string }{
			{`SELECT COUNT(*), COUNT(DISTINCT id), COUNT(DISTINCT pass_id), SUM(CASE WHEN allow THEN 1 ELSE 0 END), SUM(temperature) FROM gate_events WHERE kind = 'employee'`},
			{`SELECT COUNT(*), COUNT(DISTINCT id), COUNT(DISTINCT employee_id), SUM(CASE WHEN fever THEN 0 ELSE 1 END), SUM(temperature) FROM health_checks WHERE source = 'gate'`},
		} {
			var rows, ids, people, ok int
			var sum float64
			if err := store.ScanRowForTest(ctx, db, c.q, nil, &rows, &ids, &people, &ok, &sum); err != nil {
				t.Fatal(err)
			}
			want := 0.0
			for i := range n {
				want += temp(i)
			}
			if rows != n || ids != n || people != n || ok != n-1 || sum < want-1e-6 || sum > want+1e-6 {
				t.Errorf("%s: %d rows, %d ids, %d people, %d allowed, sum %v; want %d, one refused, sum %v", c.q, rows, ids, people, ok, sum, n, want)
			}
		}
	})
}
