package store_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"fugong/internal/alert"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/idnum"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// generatedRoster is a roster import of n rows made as they are read, never held: row
// i (sheet row i+2) is person first+i, from an origin that cycles through local, other
// city and other province; change, when set, may alter a row. It counts the times it is
// read.
type generatedRoster struct {
	t      testing.TB
	first  int
	n      int
	pol    *policy.Policy
	change func(i int, r *roster.ImportRow)
	reads  int
}

// genID makes a valid ID number from a serial number, as many as a large file needs: a
// thousand a birth day from 1970 on.
func genID(t testing.TB, n int) string {
	t.Helper()
	birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/1000)
	first := fmt.Sprintf("330402%s%03d", birth.Format("20060102"), n%1000)
	c, err := idnum.CheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

var generatedOrigins = []string{policy.OriginLocal, policy.OriginProvinceOtherCity, policy.OriginOtherProvince}

func (g *generatedRoster) name(i int) string {
	return fmt.Sprintf("%c员工%06d", []rune("甲乙丙丁戊己庚辛壬癸")[i%10], i)
}

func (g *generatedRoster) row(i int) roster.ImportRow {
	return roster.ImportRow{Num: i + 2, E: roster.Employee{Name: g.name(i), IDNumber: genID(g.t, g.first+i),
		Phone: "13800000000", Origin: generatedOrigins[i%len(generatedOrigins)], ReturnDate: rosterDay(g.t, g.pol, "2020-02-05")}}
}

func (g *generatedRoster) rows() store.RosterRows {
	return func(fn func(roster.ImportRow) error) error {
		g.reads++
		for i := 0; i < g.n; i++ {
			r := g.row(i)
			if g.change != nil {
				g.change(i, &r)
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// A roster import over several batches: one bad row, one number twice in the file or one
// already on the roster, and nothing at all is written; with valid rows only, every
// valid row is written with its audit row (the trail verifies), the returners are listed
// in one alert, and progress runs from the first row to the whole. A failure in the
// writing leaves nothing of the import behind.
func TestImportRosterInBatches(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		st := w.st
		d, err := db.SaveDepartment(ctx, auth.System, region.Department{Name: "县卫健局", UnitCode: "county_health", RegionCode: "330402"}, func(string) bool { return true })
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: "health", Role: auth.Reviewer, ScopeText: fmt.Sprintf("dept:%d", d.ID)}, "password-1")
		if err != nil {
			t.Fatal(err)
		}
		healthBureau := u.Principal()
		const n = 1234 // three batches of inserts
		_, err = st.Roster().Create(ctx, w.ent, roster.Employee{Name: "老员工", IDNumber: genID(t, 50_000), Origin: policy.OriginLocal})
		if err != nil {
			t.Fatal(err)
		}
		imported := func() int {
			t.Helper()
			_, total, _, err := st.Roster().List(ctx, w.ent, roster.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			return total - 1 // the one on the roster before
		}
		importAudits := func() int {
			t.Helper()
			_, total, err := db.ListAudit(ctx, audit.Filter{Action: "employee.import", Page: list.Page{Size: 1}})
			if err != nil {
				t.Fatal(err)
			}
			return total
		}

		// One bad row, last: nothing is written, and the file is read once.
		g := &generatedRoster{t: t, first: 10_000, n: n, pol: w.pol}
		g.change = func(i int, r *roster.ImportRow) {
			if i == n-1 {
				r.E.IDNumber = "33040219900101"
			}
		}
		res, err := st.Roster().Import(ctx, w.ent, 0, g.rows(), n, false, nil)
		if err != nil || res.Written || res.Rows != n || res.BadRows != 1 || len(res.Errors) != 1 || res.Created != 0 {
			t.Fatalf("a bad last row: %+v %v", res, err)
		}
		if e := res.Errors[0]; e.Row != n+1 || e.Field != "id_number" || !strings.Contains(e.Message, "身份证号码应为18位") {
			t.Fatalf("the bad row's error: %+v", e)
		}
		if g.reads != 1 || imported() != 0 || importAudits() != 0 {
			t.Fatalf("read %d times, wrote %d employees and %d audit rows", g.reads, imported(), importAudits())
		}

		// A number twice in the file, and one already on the roster.
		g.change = func(i int, r *roster.ImportRow) {
			switch i {
			case 700:
				r.E.IDNumber = genID(t, g.first+3) // as row 5
			case n - 1:
				r.E.IDNumber = genID(t, 50_000) // 老员工
			}
		}
		res, err = st.Roster().Import(ctx, w.ent, 0, g.rows(), n, false, nil)
		if err != nil || res.Written || res.BadRows != 2 || len(res.Errors) != 2 {
			t.Fatalf("duplicates: %+v %v", res, err)
		}
		if e := res.Errors[0]; e.Row != 702 || e.Field != "id_number" || e.Message != "与第 5 行的身份证号码重复" || e.MessageEN != "Same ID number as row 5" {
			t.Fatalf("a number twice in the file: %+v", e)
		}
		if e := res.Errors[1]; e.Row != n+1 || e.Field != "id_number" || e.Message != "该身份证号码已在本企业花名册中(老员工)" {
			t.Fatalf("a number already on the roster: %+v", e)
		}
		if imported() != 0 || importAudits() != 0 {
			t.Fatalf("a strict import with bad rows wrote %d employees and %d audit rows", imported(), importAudits())
		}

		// Valid rows only, with progress.
		var calls [][2]int
		res, err = st.Roster().Import(ctx, w.ent, 0, g.rows(), n, true, func(done, total int) { calls = append(calls, [2]int{done, total}) })
		if err != nil || !res.Written || res.Created != n-2 || res.Skipped != 2 || res.BadRows != 2 {
			t.Fatalf("valid rows only: %+v %v", res, err)
		}
		if imported() != n-2 || importAudits() != n-2 {
			t.Fatalf("wrote %d employees and %d audit rows, want %d", imported(), importAudits(), n-2)
		}
		if len(calls) < 4 || calls[len(calls)-1] != [2]int{n, n} {
			t.Fatalf("progress: %v", calls)
		}
		for i, c := range calls {
			if c[1] != n || c[0] < 0 || i > 0 && c[0] < calls[i-1][0] {
				t.Fatalf("progress goes back or past the whole at %d: %v", i, calls)
			}
		}
		if count, err := db.VerifyAudit(ctx); err != nil || count == 0 {
			t.Fatalf("verify audit: %d %v", count, err)
		}
		// The returners of the rows written, in the order of the file, in one alert.
		var names []string
		for i := 0; i < n; i++ {
			if i != 700 && i != n-1 && generatedOrigins[i%len(generatedOrigins)] != policy.OriginLocal {
				names = append(names, g.name(i))
			}
		}
		alerts, _, err := st.Alerts().List(ctx, healthBureau, alert.Filter{Kind: policy.AlertReturners})
		if err != nil || len(alerts) != 1 {
			t.Fatalf("returners' alerts: %+v %v", alerts, err)
		}
		f := alerts[0].Facts
		if f.Count != len(names) || len(f.Persons) != len(names) || f.Origin != "省内市外、省外" || alerts[0].EnterpriseID != w.enterprises[0].ID {
			t.Fatalf("returners: count %d, %d persons, origin %q; want %d", f.Count, len(f.Persons), f.Origin, len(names))
		}
		for i, name := range names {
			if f.Persons[i] != roster.MaskName(name) {
				t.Fatalf("returner %d: %q, want %q", i, f.Persons[i], roster.MaskName(name))
			}
		}

		// The writing fails in its third batch (the row's number is put on the roster
		// while the rows are checked, after the roster was read): nothing of the import
		// is left.
		before, audits := imported(), importAudits()
		g2 := &generatedRoster{t: t, first: 20_000, n: n, pol: w.pol}
		late := g2.row(1200)
		placed := false
		res, err = st.Roster().Import(ctx, w.ent, 0, g2.rows(), n, false, func(done, total int) {
			if !placed { // the first 1,000 rows are checked, the transaction is not open
				placed = true
				if _, err := st.Roster().Create(ctx, w.ent, late.E); err != nil {
					t.Error(err)
				}
			}
		})
		if err == nil || res.Written || !placed {
			t.Fatalf("an import whose writing fails: %+v %v", res, err)
		}
		if imported() != before+1 || importAudits() != audits {
			t.Fatalf("a failed import left %d employees and %d audit rows", imported()-before-1, importAudits()-audits)
		}
		if count, err := db.VerifyAudit(ctx); err != nil || count == 0 {
			t.Fatalf("verify audit after the failure: %d %v", count, err)
		}

		// A row source that fails stops the import, and nothing is written.
		broken := errors.New("the sheet is cut short")
		g3 := &generatedRoster{t: t, first: 30_000, n: n, pol: w.pol}
		res, err = st.Roster().Import(ctx, w.ent, 0, func(fn func(roster.ImportRow) error) error {
			if err := g3.rows()(func(r roster.ImportRow) error {
				if r.Num == 1000 {
					return broken
				}
				return fn(r)
			}); err != nil {
				return err
			}
			return nil
		}, n, true, nil)
		if !errors.Is(err, broken) || res.Written || imported() != before+1 {
			t.Fatalf("a source that fails: %+v %v", res, err)
		}
	})
}

// The memory a roster import holds does not grow with its rows beyond the index of each
// ID number (to find duplicates): the live heap, sampled while 10,000 and then 50,000
// generated rows are imported, grows by less than 500 bytes a row (about 100 are
// measured); keeping no more than a copy of each row's employee (about 570) fails it.
func TestImportRosterMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 60,000 rows")
	}
	db := storetest.Open(t, store.SQLite)
	w := workflowSeed(t, db, 2)
	peak := func(ent auth.Principal, first, n int) uint64 {
		t.Helper()
		var ms runtime.MemStats
		sample := func(p *uint64) {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			*p = max(*p, ms.HeapAlloc)
		}
		var base, top uint64
		sample(&base)
		g := &generatedRoster{t: t, first: first, n: n, pol: w.pol}
		g.change = func(i int, r *roster.ImportRow) {
			if i%5000 == 4999 {
				sample(&top)
			}
		}
		calls := 0
		res, err := w.st.Roster().Import(ctx, ent, 0, g.rows(), n, false, func(done, total int) {
			if calls++; calls%20 == 0 {
				sample(&top)
			}
		})
		if err != nil || res.Created != n {
			t.Fatalf("import of %d: %+v %v", n, res, err)
		}
		return max(top, base) - base
	}
	mk := func(name string, ent int64) auth.Principal {
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: name, Role: auth.Enterprise, ScopeText: fmt.Sprintf("enterprise:%d", ent)}, "password-1")
		if err != nil {
			t.Fatal(err)
		}
		return u.Principal()
	}
	small := peak(w.ent, 100_000, 10_000)
	large := peak(mk("ent2", w.enterprises[1].ID), 200_000, 50_000)
	t.Logf("live heap at its peak over the start: %.1f MB for 10,000 rows, %.1f MB for 50,000", float64(small)/1e6, float64(large)/1e6)
	if large > small && (large-small)/40_000 >= 500 {
		t.Fatalf("the import holds %d bytes more per row", (large-small)/40_000)
	}
}
