package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/pgtest"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

var ctx = context.Background()

func anyCategory(string) bool { return true }

// uscc makes a valid credit code from a serial number.
func uscc(t testing.TB, n int) string {
	t.Helper()
	first := fmt.Sprintf("91330402MA%07d", n)
	c, err := enterprise.USCCCheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

// seed makes a county with two towns, a park in town A and one enterprise in each town.
func seed(t *testing.T, db *store.DB) (townA, townB auth.Principal, ea, eb enterprise.Enterprise) {
	t.Helper()
	_, _, err := db.SaveRegions(ctx, auth.System, []region.Region{
		{Code: "330402001", Name: "甲镇"}, {Code: "330402", Name: "示范县"}, {Code: "330402002", Name: "乙街道"},
		{Code: "330402001001", Name: "一村"},
	})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name, code string, n int) enterprise.Enterprise {
		e, err := db.CreateEnterprise(ctx, auth.System, enterprise.Enterprise{Name: name, USCC: uscc(t, n), Category: "above_scale", RegionCode: code}, anyCategory)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	ea, eb = mk("甲厂", "330402001001", 1), mk("乙店", "330402002", 2)
	townA = auth.Principal{Username: "a", Role: auth.Town, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: "330402001"}}
	townB = auth.Principal{Username: "b", Role: auth.Town, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: "330402002"}}
	return
}

func TestRegionsTree(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		seed(t, db)
		roots, _, err := db.ListRegions(ctx, auth.System, region.Filter{})
		if err != nil || len(roots) != 1 || roots[0].Code != "330402" || roots[0].Children != 2 {
			t.Fatalf("roots = %+v, %v", roots, err)
		}
		path, err := db.RegionPath(ctx, "330402001001")
		if err != nil || len(path) != 3 || path[0].Code != "330402" || path[1].Code != "330402001" {
			t.Fatalf("path = %+v, %v", path, err)
		}
		// A town official's topmost region is the town itself.
		townB := auth.Principal{Role: auth.Town, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: "330402002"}}
		roots, _, err = db.ListRegions(ctx, townB, region.Filter{})
		if err != nil || len(roots) != 1 || roots[0].Code != "330402002" {
			t.Fatalf("town roots = %+v, %v", roots, err)
		}
		if _, err := db.GetRegion(ctx, townB, "330402001"); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("foreign region: %v", err)
		}
		// Invalid codes are reported per row and nothing is written.
		_, _, err = db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402003", Name: "丙镇"}, {Code: "33040", Name: "坏"}})
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.Invalid || len(e.Problems) != 1 || e.Problems[0].Field != "regions[1].code" {
			t.Fatalf("bad code: %v", err)
		}
		if _, err := db.GetRegion(ctx, auth.System, "330402003"); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("half-written import: %v", err)
		}
	})
}

func TestEnterpriseScope(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		townA, townB, ea, eb := seed(t, db)
		list, total, err := db.ListEnterprises(ctx, townA, enterprise.Filter{})
		if err != nil || total != 1 || list[0].ID != ea.ID || list[0].RegionName != "一村" {
			t.Fatalf("town A sees %+v (%d), %v", list, total, err)
		}
		if _, err := db.GetEnterprise(ctx, townA, eb.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("town A reads town B's enterprise: %v", err)
		}
		eb.Headcount = 99
		if _, err := db.UpdateEnterprise(ctx, townA, eb, 0, anyCategory); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("town A edits town B's enterprise: %v", err)
		}
		// Town A cannot register an enterprise in town B.
		_, err = db.CreateEnterprise(ctx, townA, enterprise.Enterprise{Name: "越界", USCC: uscc(t, 3), Category: "x", RegionCode: "330402002"}, anyCategory)
		if e, ok := apperr.As(err); !ok || e.Problems[0].Field != "region_code" {
			t.Fatalf("foreign region create: %v", err)
		}
		own := auth.Principal{Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: eb.ID}}
		list, _, err = db.ListEnterprises(ctx, own, enterprise.Filter{})
		if err != nil || len(list) != 1 || list[0].ID != eb.ID {
			t.Fatalf("enterprise sees %+v, %v", list, err)
		}
		// Search, filter and count.
		list, total, _ = db.ListEnterprises(ctx, auth.System, enterprise.Filter{Q: "乙"})
		if total != 1 || list[0].ID != eb.ID {
			t.Fatalf("search: %+v", list)
		}
		_, total, _ = db.ListEnterprises(ctx, townB, enterprise.Filter{Region: "330402001"})
		if total != 0 {
			t.Fatalf("filter outside scope widened it: %d", total)
		}
		// Enterprises by id: those asked for, within the scope.
		list, total, _ = db.ListEnterprises(ctx, auth.System, enterprise.Filter{IDs: []int64{ea.ID, eb.ID}})
		if total != 2 || len(list) != 2 {
			t.Fatalf("by ids: %+v", list)
		}
		list, total, _ = db.ListEnterprises(ctx, townA, enterprise.Filter{IDs: []int64{eb.ID, ea.ID}})
		if total != 1 || list[0].ID != ea.ID {
			t.Fatalf("by ids, out of scope: %+v", list)
		}
		counts, all, err := db.CountEnterprises(ctx, auth.System)
		if err != nil || all != 2 || counts[enterprise.NotResumed] != 2 {
			t.Fatalf("counts %v %d %v", counts, all, err)
		}
	})
}

func TestEnterpriseUpdate(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		townA, _, ea, _ := seed(t, db)
		ea.Headcount, ea.HasCanteen = 120, true
		got, err := db.UpdateEnterprise(ctx, townA, ea, ea.Version, anyCategory)
		if err != nil || got.Headcount != 120 || !got.HasCanteen || got.Version != 2 {
			t.Fatalf("update: %+v %v", got, err)
		}
		// A stale version is a conflict.
		ea.Headcount = 5
		if _, err := db.UpdateEnterprise(ctx, townA, ea, 1, anyCategory); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("stale update: %v", err)
		}
		// An enterprise admin may change its contacts but not its category.
		own := auth.Principal{Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
		got.PreventionLead, got.Category = "张三", "other"
		_, err = db.UpdateEnterprise(ctx, own, got, 0, anyCategory)
		if e, ok := apperr.As(err); !ok || len(e.Problems) != 1 || e.Problems[0].Field != "category" {
			t.Fatalf("restricted field: %v", err)
		}
		entries, n, err := db.ListAudit(ctx, audit.Filter{ObjectType: "enterprise", ObjectID: fmt.Sprint(ea.ID)})
		if err != nil || n != 2 || entries[0].Action != "enterprise.update" {
			t.Fatalf("audit %+v %d %v", entries, n, err)
		}
	})
}

func TestConcurrentUpdatesOneWins(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		_, _, ea, _ := seed(t, db)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				e := ea
				e.Headcount = 10 + i
				_, errs[i] = db.UpdateEnterprise(ctx, auth.System, e, ea.Version, anyCategory)
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case apperr.KindOf(err) != apperr.Conflict:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d concurrent updates won, want 1", ok)
		}
		if n, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit after concurrency (%d rows): %v", n, err)
		}
	})
}

func TestImportAllOrNothing(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		townA, _, ea, _ := seed(t, db)
		rows := []enterprise.ImportRow{
			{Num: 2, E: enterprise.Enterprise{Name: "新厂", USCC: uscc(t, 10), Category: "above_scale", RegionCode: "330402001"}},
			{Num: 3, E: enterprise.Enterprise{Name: "坏码", USCC: "123", Category: "above_scale", RegionCode: "330402001"}},
			{Num: 4, E: enterprise.Enterprise{Name: "越界", USCC: uscc(t, 11), Category: "above_scale", RegionCode: "330402002"}},
			{Num: 5, E: enterprise.Enterprise{Name: "甲厂改名", USCC: ea.USCC, Category: "above_scale", RegionCode: "330402001001", Headcount: 7}},
		}
		res, err := db.ImportEnterpriseRows(ctx, townA, storetest.Rows(rows), len(rows), anyCategory, false, nil)
		if err != nil || res.Written || res.BadRows != 2 || len(res.Errors) != 2 || res.Errors[0].Row != 3 || res.Errors[1].Row != 4 {
			t.Fatalf("strict import: %+v %v", res, err)
		}
		if _, total, _ := db.ListEnterprises(ctx, auth.System, enterprise.Filter{}); total != 2 {
			t.Fatalf("strict import wrote rows: %d enterprises", total)
		}
		res, err = db.ImportEnterpriseRows(ctx, townA, storetest.Rows(rows), len(rows), anyCategory, true, nil)
		if err != nil || !res.Written || res.Created != 1 || res.Updated != 1 || res.Skipped != 2 {
			t.Fatalf("valid-rows import: %+v %v", res, err)
		}
		got, _ := db.GetEnterprise(ctx, townA, ea.ID)
		if got.Name != "甲厂改名" || got.Headcount != 7 {
			t.Fatalf("update by credit code: %+v", got)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestImportManyRows(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		seed(t, db)
		rows := make([]enterprise.ImportRow, 3000)
		for i := range rows {
			rows[i] = enterprise.ImportRow{Num: i + 2, E: enterprise.Enterprise{Name: fmt.Sprintf("企业%d", i), USCC: uscc(t, 100+i), Category: "other", RegionCode: "330402002"}}
		}
		var last int
		res, err := db.ImportEnterpriseRows(ctx, auth.System, storetest.Rows(rows), len(rows), anyCategory, false, func(done, total int) { last = done })
		if err != nil || res.Created != 3000 || last != 3000 {
			t.Fatalf("%+v %v (progress %d)", res, err, last)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n < 3000 {
			t.Fatalf("audit %d %v", n, err)
		}
	})
}

func TestUsersAndLogin(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		seed(t, db)
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: "town-a", DisplayName: "王镇长", Role: auth.Town, ScopeText: "region:330402001"}, "correct horse")
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateUser(ctx, auth.System, auth.User{Username: "town-a", Role: auth.Town, ScopeText: "region:330402001"}, "correct horse")
		if e, ok := apperr.As(err); !ok || e.Problems[0].Field != "username" {
			t.Fatalf("duplicate user: %v", err)
		}
		_, err = db.CreateUser(ctx, auth.System, auth.User{Username: "x1", Role: auth.Town, ScopeText: "region:999999"}, "correct horse")
		if e, ok := apperr.As(err); !ok || e.Problems[0].Field != "scope" {
			t.Fatalf("scope to nothing: %v", err)
		}
		_, err = db.CreateUser(ctx, auth.System, auth.User{Username: "x2", Role: auth.Reviewer, ScopeText: "region:330402"}, "correct horse")
		if e, ok := apperr.As(err); !ok || e.Problems[0].Field != "scope" {
			t.Fatalf("scope kind for role: %v", err)
		}
		got, err := db.Authenticate(ctx, "town-a", "correct horse", "127.0.0.1")
		if err != nil || got.ID != u.ID {
			t.Fatalf("login: %v", err)
		}
		secret, err := db.CreateSession(ctx, got, "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		if s, err := db.SessionUser(ctx, secret); err != nil || s.ID != u.ID {
			t.Fatalf("session: %v", err)
		}
		if err := db.DeleteSession(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionUser(ctx, secret); apperr.KindOf(err) != apperr.Unauthorized {
			t.Fatalf("after logout: %v", err)
		}
		tok, err := storetest.Token(ctx, db, auth.System, u.ID, "ci")
		if err != nil {
			t.Fatal(err)
		}
		if s, err := db.TokenUser(ctx, tok); err != nil || s.ID != u.ID {
			t.Fatalf("token: %v", err)
		}
		// Throttling: after NameFree wrong passwords the client that made them waits, even
		// with the right password; the right password from another client gets in.
		clock := db.Now
		fixed := clock()
		db.Now = func() time.Time { return fixed }
		for i := 0; i < auth.NameFree; i++ {
			if _, err := db.Authenticate(ctx, "town-a", "wrong", "10.0.0.1"); !errors.Is(err, auth.ErrBadLogin) {
				t.Fatalf("wrong password %d: %v", i, err)
			}
		}
		if _, err := db.Authenticate(ctx, "town-a", "wrong", "10.0.0.1"); apperr.KindOf(err) != apperr.TooMany {
			t.Fatalf("wrong password %d: %v", auth.NameFree+1, err)
		}
		if _, err := db.Authenticate(ctx, "town-a", "correct horse", "10.0.0.1"); apperr.KindOf(err) != apperr.TooMany {
			t.Fatalf("the waiting client's right password: %v", err)
		}
		if got, err := db.Authenticate(ctx, "town-a", "correct horse", "10.0.0.2"); err != nil || got.ID != u.ID {
			t.Fatalf("after %d failures elsewhere, the right password: %v", auth.NameFree+1, err)
		}
		db.Now = clock
		// Disabling a user ends their login.
		u.Disabled = true
		if _, err := db.UpdateUser(ctx, auth.System, u); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TokenUser(ctx, tok); apperr.KindOf(err) != apperr.Unauthorized {
			t.Fatalf("disabled user's token: %v", err)
		}
		// Enabling the account again does not revive its old tokens.
		u.Disabled = false
		if _, err := db.UpdateUser(ctx, auth.System, u); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TokenUser(ctx, tok); apperr.KindOf(err) != apperr.Unauthorized {
			t.Fatalf("re-enabled user's old token: %v", err)
		}
		// An administrator of town B sees only accounts scoped inside town B.
		if _, err := db.CreateUser(ctx, auth.System, auth.User{Username: "town-b", Role: auth.Town, ScopeText: "region:330402002"}, "correct horse"); err != nil {
			t.Fatal(err)
		}
		adminB := auth.Principal{Role: auth.Admin, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: "330402002"}}
		users, n, err := db.ListUsers(ctx, adminB, auth.UserFilter{})
		if err != nil || n != 1 || users[0].Username != "town-b" {
			t.Fatalf("town B admin lists %+v (%d), %v", users, n, err)
		}
		if _, n, _ := db.ListUsers(ctx, auth.System, auth.UserFilter{}); n != 2 {
			t.Fatalf("system lists %d users", n)
		}
	})
}

func TestAuditTamper(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		seed(t, db)
		n, err := db.VerifyAudit(ctx)
		if err != nil || n < 6 {
			t.Fatalf("verify clean: %d %v", n, err)
		}
		for _, c := range []struct {
			name, sql string
			bad       int64
		}{
			{"altered", `UPDATE audit_log SET summary = '{"name":"forged"}' WHERE seq = 3`, 3},
			{"removed", `DELETE FROM audit_log WHERE seq = 2`, 2},
		} {
			t.Run(c.name, func(t *testing.T) {
				db := storetest.Open(t, db.Engine)
				seed(t, db)
				if err := store.ExecForTest(ctx, db, c.sql); err != nil {
					t.Fatal(err)
				}
				_, err := db.VerifyAudit(ctx)
				var p *audit.Problem
				if !errors.As(err, &p) || p.Seq != c.bad {
					t.Fatalf("verify after %s: %v, want problem at row %d", c.name, err, c.bad)
				}
			})
		}
		t.Run("reordered", func(t *testing.T) {
			db := storetest.Open(t, db.Engine)
			seed(t, db)
			for _, q := range []string{`UPDATE audit_log SET seq = 1000 WHERE seq = 2`, `UPDATE audit_log SET seq = 2 WHERE seq = 3`, `UPDATE audit_log SET seq = 3 WHERE seq = 1000`} {
				if err := store.ExecForTest(ctx, db, q); err != nil {
					t.Fatal(err)
				}
			}
			_, err := db.VerifyAudit(ctx)
			var p *audit.Problem
			if !errors.As(err, &p) || p.Seq != 2 {
				t.Fatalf("verify after reorder: %v", err)
			}
		})
	})
}
