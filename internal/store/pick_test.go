package store_test

import (
	"fmt"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// TestPickEnterprises: among 2,000 enterprises a town official finds one of the town by
// the start of its name or of its credit code, never one of another town, page by page,
// and each search is a range of an index.
func TestPickEnterprises(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		townA, townB, _, _ := seed(t, db)
		const n = 2000
		rows := make([]enterprise.ImportRow, n)
		for i := range rows {
			town := "330402001"
			if i%2 == 1 {
				town = "330402002"
			}
			rows[i] = enterprise.ImportRow{Num: i + 2, E: enterprise.Enterprise{Name: fmt.Sprintf("企业%04d机械", i), USCC: uscc(t, 1000+i), Category: "other", RegionCode: town}}
		}
		if res, err := db.ImportEnterpriseRows(ctx, auth.System, storetest.Rows(rows), len(rows), anyCategory, false, nil); err != nil || res.Created != n {
			t.Fatalf("import: %+v %v", res, err)
		}
		if err := store.ExecForTest(ctx, db, "ANALYZE"); err != nil {
			t.Fatal(err)
		}
		pick := func(p auth.Principal, q string, page int) ([]enterprise.Choice, bool) {
			t.Helper()
			got, more, err := db.PickEnterprises(ctx, p, enterprise.NewPick(q, page))
			if err != nil {
				t.Fatal(err)
			}
			return got, more
		}
		names := func(cs []enterprise.Choice) string {
			var s []string
			for _, c := range cs {
				s = append(s, c.Name)
			}
			return strings.Join(s, ",")
		}

		// By name: 企业1234 is in town A (even), 企业1235 in town B.
		if got, more := pick(townA, "企业1234", 1); len(got) != 1 || got[0].Name != "企业1234机械" || got[0].RegionName != "甲镇" || more {
			t.Fatalf("town A, 企业1234: %s (more %v)", names(got), more)
		}
		if got, _ := pick(townA, "企业1235", 1); len(got) != 0 {
			t.Fatalf("town A sees town B's enterprise: %s", names(got))
		}
		if got, _ := pick(townB, "企业1235", 1); len(got) != 1 {
			t.Fatalf("town B, 企业1235: %s", names(got))
		}
		// A prefix with many matches: pages of 50 in name order, scoped.
		got, more := pick(townA, " 企业1 ", 1) // 企业1000…企业1998, even: 500 of town A
		if len(got) != enterprise.PickSize || !more || got[0].Name != "企业1000机械" || got[1].Name != "企业1002机械" {
			t.Fatalf("page 1 of 企业1: %d, more %v, %s", len(got), more, names(got[:2]))
		}
		last, more := pick(townA, "企业1", 10)
		if len(last) != enterprise.PickSize || more || last[len(last)-1].Name != "企业1998机械" {
			t.Fatalf("page 10 of 企业1: %d, more %v, %s", len(last), more, names(last))
		}
		// By credit code, typed in lower case.
		code := uscc(t, 1000+1234)
		if got, _ := pick(townA, strings.ToLower(code[:17]), 1); len(got) != 1 || got[0].USCC != code {
			t.Fatalf("town A by code: %s", names(got))
		}
		if got, _ := pick(townA, uscc(t, 1000+1235)[:17], 1); len(got) != 0 {
			t.Fatalf("town A by town B's code: %s", names(got))
		}
		// Nothing typed: the newest of the scope.
		if got, more := pick(townA, "", 1); len(got) != enterprise.PickSize || !more || got[0].Name != "企业1998机械" {
			t.Fatalf("newest: %d %v %s", len(got), more, names(got[:1]))
		}
		// LIKE wildcards are plain characters; nothing of another scope kind leaks.
		if got, _ := pick(townA, "%", 1); len(got) != 0 {
			t.Fatalf("%%: %s", names(got))
		}
		if got, _ := pick(auth.Principal{Role: auth.Staff}, "企业", 1); len(got) != 0 {
			t.Fatalf("no scope: %s", names(got))
		}

		// Each search is a range of the migration's indexes, not a scan of the table.
		for _, c := range []struct{ q, index string }{
			{"企业12", "enterprises_name_bytes"},
			{code[:16], "enterprises_uscc_bytes"},
		} {
			plan, err := store.PickPlanForTest(ctx, db, townA, enterprise.NewPick(c.q, 1))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, c.index) || strings.Contains(plan, "Seq Scan on enterprises") || strings.Contains(plan, "SCAN e ") {
				t.Errorf("%q does not use %s:\n%s", c.q, c.index, plan)
			}
		}
	})
}
