package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/idnum"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// personID makes a valid identity number from a serial number.
// atOnce calls fn(0) … fn(n-1) side by side and fails the test on the first error.
func atOnce(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() { errs <- fn(i) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func personID(t testing.TB, n int) string {
	t.Helper()
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)
	first := fmt.Sprintf("330402%s%03d", birth.Format("20060102"), n%1000)
	c, err := idnum.CheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

func rosterDay(t testing.TB, pol *policy.Policy, s string) time.Time {
	d, ok := roster.ParseDate(s, pol.Location())
	if !ok {
		t.Fatalf("date %q", s)
	}
	return d
}

func problemFields(err error) map[string]string {
	out := map[string]string{}
	if e, ok := apperr.As(err); ok {
		for _, p := range e.Problems {
			out[p.Field] = p.Message
		}
	}
	return out
}

func TestEmployees(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		townA, townB, ea, eb := seed(t, db)
		pol := policy.Default()
		// 13 February 2020, 10:00 in Shanghai.
		db.Now = func() time.Time { return time.Date(2020, 2, 13, 2, 0, 0, 0, time.UTC) }
		box := crypt.NewRandom()
		st := store.New(db, store.Config{Policy: pol, Box: box})
		entA := auth.Principal{UserID: 0, Username: "ea", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
		entB := auth.Principal{Username: "eb", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: eb.ID}}

		zhang, err := st.Roster().Create(ctx, entA, roster.Employee{Name: "张三", IDNumber: strings.ToLower(personID(t, 1)), Phone: "13800000001",
			Origin: policy.OriginProvinceOtherCity, ReturnDate: rosterDay(t, pol, "2020-01-30"), JourneyHours: 8, DormRoom: "101"})
		if err != nil {
			t.Fatal(err)
		}
		if zhang.EnterpriseID != ea.ID || zhang.IDNumber != personID(t, 1) || zhang.IDMasked != idnum.Mask(personID(t, 1)) ||
			zhang.Status.Phase != roster.Isolating || !zhang.Status.JourneyTooLong || roster.FormatDate(zhang.ReturnDate, pol.Location()) != "2020-01-30" {
			t.Fatalf("created %+v", zhang)
		}
		// An isolating person has a single room: nobody else goes into 101.
		_, err = st.Roster().Create(ctx, entA, roster.Employee{Name: "李四", IDNumber: personID(t, 2), Origin: policy.OriginLocal, DormRoom: "101"})
		if problemFields(err)["dorm_room"] == "" {
			t.Fatalf("into an isolating person's room: %v", err)
		}
		// Four in room 202, the fifth refused.
		for i := 3; i <= 6; i++ {
			if _, err := st.Roster().Create(ctx, entA, roster.Employee{Name: fmt.Sprint("工人", i), IDNumber: personID(t, i), Origin: policy.OriginLocal,
				ReturnDate: rosterDay(t, pol, "2020-02-10"), DormRoom: "202"}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = st.Roster().Create(ctx, entA, roster.Employee{Name: "第五人", IDNumber: personID(t, 7), Origin: policy.OriginLocal, DormRoom: "202"})
		if !strings.Contains(problemFields(err)["dorm_room"], "最多4人") {
			t.Fatalf("fifth bed: %v", err)
		}
		// Duplicate ID number in one enterprise; the same person may be on another's roster.
		_, err = st.Roster().Create(ctx, entA, roster.Employee{Name: "重复", IDNumber: personID(t, 1), Origin: policy.OriginLocal})
		if !strings.Contains(problemFields(err)["id_number"], "张三") {
			t.Fatalf("duplicate: %v", err)
		}
		if _, err := st.Roster().Create(ctx, entB, roster.Employee{Name: "张三", IDNumber: personID(t, 1), Origin: policy.OriginLocal}); err != nil {
			t.Fatalf("same person in another enterprise: %v", err)
		}
		// A bad check digit is explained.
		bad := personID(t, 8)
		bad = bad[:17] + map[bool]string{true: "0", false: "1"}[bad[17] != '0']
		_, err = st.Roster().Create(ctx, entA, roster.Employee{Name: "错号", IDNumber: bad, Origin: policy.OriginLocal})
		if !strings.Contains(problemFields(err)["id_number"], "校验") {
			t.Fatalf("bad check digit: %v", err)
		}
		// Another enterprise (and another town) cannot see or add.
		if _, err := st.Roster().Get(ctx, entB, zhang.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("other enterprise reads: %v", err)
		}
		if _, err := st.Roster().Get(ctx, townB, zhang.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("other town reads: %v", err)
		}
		if _, err := st.Roster().Get(ctx, townA, zhang.ID); err != nil {
			t.Fatalf("own town reads: %v", err)
		}
		if _, err := st.Roster().Create(ctx, townA, roster.Employee{EnterpriseID: ea.ID, Name: "x", IDNumber: personID(t, 9), Origin: policy.OriginLocal}); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("town adds: %v", err)
		}
		if _, err := st.Roster().Create(ctx, entB, roster.Employee{EnterpriseID: ea.ID, Name: "x", IDNumber: personID(t, 9), Origin: policy.OriginLocal}); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("enterprise B adds to A: %v", err)
		}

		// Lists: counts, phases, search by name and by exact ID number.
		items, total, counts, err := st.Roster().List(ctx, entA, roster.Filter{})
		if err != nil || total != 5 || len(items) != 5 {
			t.Fatalf("list: %d %d %v", total, len(items), err)
		}
		want := roster.Counts{Total: 5, Isolating: 1, Cleared: 4, ClearedTomorrow: 1, JourneyTooLong: 1}
		if counts != want {
			t.Fatalf("counts %+v, want %+v", counts, want)
		}
		for _, it := range items {
			if it.IDNumber != "" || it.IDMasked == "" {
				t.Fatalf("list item carries the plain ID: %+v", it.Employee)
			}
		}
		items, total, _, err = st.Roster().List(ctx, entA, roster.Filter{Phase: roster.Isolating})
		if err != nil || total != 1 || len(items) != 1 || items[0].Name != "张三" {
			t.Fatalf("isolating: %d %+v %v", total, items, err)
		}
		items, _, _, _ = st.Roster().List(ctx, entA, roster.Filter{Q: personID(t, 1)})
		if len(items) != 1 || items[0].ID != zhang.ID {
			t.Fatalf("by ID number: %+v", items)
		}
		items, _, _, _ = st.Roster().List(ctx, entA, roster.Filter{Q: "工人"})
		if len(items) != 4 {
			t.Fatalf("by name: %d", len(items))
		}
		if items, _, _, _ := st.Roster().List(ctx, townB, roster.Filter{}); len(items) != 1 {
			t.Fatalf("town B sees %d", len(items))
		}

		// Update, with optimistic locking; the audit trail has the masked number only.
		upd := zhang.Employee
		upd.Phone = "13900000000"
		upd.DormRoom = ""
		up, err := st.Roster().Update(ctx, entA, upd, zhang.Version)
		if err != nil || up.Phone != "13900000000" || up.Version != zhang.Version+1 {
			t.Fatalf("update: %+v %v", up, err)
		}
		if _, err := st.Roster().Update(ctx, entA, upd, zhang.Version); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("stale update: %v", err)
		}
		entries, _, err := db.ListAudit(ctx, audit.Filter{ObjectType: "employee"})
		if err != nil || len(entries) < 6 {
			t.Fatalf("audit: %d %v", len(entries), err)
		}
		for _, e := range entries {
			for i := 1; i <= 9; i++ {
				if strings.Contains(e.Summary, personID(t, i)) {
					t.Fatalf("audit row %d holds a plain ID number: %s", e.Seq, e.Summary)
				}
			}
		}
		if !strings.Contains(entries[0].Summary, "phone") || !strings.Contains(entries[0].Summary, idnum.Mask(personID(t, 1))) {
			t.Fatalf("update audit: %s", entries[0].Summary)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n == 0 {
			t.Fatalf("verify audit: %d %v", n, err)
		}
	})
}

func TestImportEmployees(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		_, _, ea, _ := seed(t, db)
		pol := policy.Default()
		st := store.New(db, store.Config{Policy: pol})
		entA := auth.Principal{Username: "ea", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
		if _, err := st.Roster().Create(ctx, entA, roster.Employee{Name: "老员工", IDNumber: personID(t, 1), Origin: policy.OriginLocal}); err != nil {
			t.Fatal(err)
		}
		row := func(num, n int) roster.ImportRow {
			return roster.ImportRow{Num: num, E: roster.Employee{Name: fmt.Sprint("员工", n), IDNumber: personID(t, n), Origin: policy.OriginCityOtherDistrict,
				ReturnDate: rosterDay(t, pol, "2020-02-10")}}
		}
		bad := row(4, 99)
		bad.E.IDNumber = "33040219900101"
		rows := []roster.ImportRow{row(2, 10), row(3, 11), bad, row(5, 10), row(6, 1)}
		res, err := st.Roster().Import(ctx, entA, 0, storetest.Rows(rows), len(rows), false, nil)
		if err != nil || res.Written || res.BadRows != 3 {
			t.Fatalf("import with errors: %+v %v", res, err)
		}
		byRow := map[int]string{}
		for _, e := range res.Errors {
			byRow[e.Row] += e.Field + ":" + e.Message + ";"
		}
		if !strings.Contains(byRow[4], "id_number:身份证号码应为18位") || !strings.Contains(byRow[5], "与第 2 行") || !strings.Contains(byRow[6], "老员工") {
			t.Fatalf("row errors: %v", byRow)
		}
		if _, total, _, _ := st.Roster().List(ctx, entA, roster.Filter{}); total != 1 {
			t.Fatalf("nothing should be written, have %d", total)
		}
		res, err = st.Roster().Import(ctx, entA, 0, storetest.Rows(rows), len(rows), true, nil)
		if err != nil || !res.Written || res.Created != 2 || res.Skipped != 3 {
			t.Fatalf("valid only: %+v %v", res, err)
		}

		// A large file: batched inserts and one audit row per employee.
		const n = 5000
		big := make([]roster.ImportRow, n)
		for i := range big {
			big[i] = row(i+2, 1000+i)
		}
		start := time.Now()
		res, err = st.Roster().Import(ctx, entA, 0, storetest.Rows(big), len(big), false, nil)
		if err != nil || res.Created != n {
			t.Fatalf("big import: %+v %v", res, err)
		}
		t.Logf("%d rows imported in %v", n, time.Since(start))
		items, total, counts, err := st.Roster().List(ctx, entA, roster.Filter{Q: personID(t, 1000+n-1)})
		if err != nil || total != 1 || items[0].Name != fmt.Sprint("员工", 1000+n-1) || counts.Total != 1 {
			t.Fatalf("find imported: %+v %v", items, err)
		}
		got, err := st.Roster().Get(ctx, entA, items[0].ID)
		if err != nil || got.IDNumber != personID(t, 1000+n-1) {
			t.Fatalf("imported ID opens to %q, %v", got.IDNumber, err)
		}
		entries, total, err := db.ListAudit(ctx, audit.Filter{Action: "employee.import", Page: list.Page{Size: 1}})
		if err != nil || total != n+2 || entries[0].ObjectID != fmt.Sprint(items[0].ID) {
			t.Fatalf("import audit: %d %+v %v", total, entries, err)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n == 0 {
			t.Fatalf("verify audit: %d %v", n, err)
		}
	})
}
