package store_test

import (
	"fmt"
	"testing"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The global audit trail is for administrators whose scope is the whole installation; an
// administrator of a region reaches the accounts it may manage only, and no one else's.
func TestAuditTrailScope(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		_, _, ea, eb := seed(t, db)
		pk, err := db.SavePark(ctx, auth.System, region.Park{Name: "乙园", RegionCode: "330402002", Operator: "乙园物业"})
		if err != nil {
			t.Fatal(err)
		}
		dept, err := db.SaveDepartment(ctx, auth.System, region.Department{Name: "乙街道经贸办", RegionCode: "330402002"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		user := func(name string, role auth.Role, scope string) auth.User {
			t.Helper()
			u, err := db.CreateUser(ctx, auth.System, auth.User{Username: name, Role: role, ScopeText: scope}, "password-1")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		whole := user("root", auth.Admin, "all").Principal()
		adminA := user("admin-a", auth.Admin, "region:330402001").Principal()
		county := user("county", auth.Command, "region:330402").Principal()
		mine := []auth.User{
			user("grid-a", auth.Grid, "region:330402001001"),
			user("ent-a", auth.Enterprise, fmt.Sprint("enterprise:", ea.ID)),
			user("admin-a2", auth.Admin, "region:330402001"),
		}
		foreign := []auth.User{
			user("root2", auth.Admin, "all"),
			user("county2", auth.Command, "region:330402"),
			user("town-b", auth.Town, "region:330402002"),
			user("ent-b", auth.Enterprise, fmt.Sprint("enterprise:", eb.ID)),
			user("park-b", auth.Park, fmt.Sprint("park:", pk.ID)),
			user("dept-b", auth.Reviewer, fmt.Sprint("dept:", dept.ID)),
		}

		if entries, n, err := db.AuditTrail(ctx, whole, audit.Filter{}); err != nil || n == 0 || len(entries) == 0 {
			t.Fatalf("the whole installation's administrator reads the trail: %d %v", n, err)
		}
		for _, p := range []auth.Principal{adminA, county, auth.Principal{Role: auth.Admin, Scope: auth.Scope{Kind: auth.ScopeDept, ID: dept.ID}}} {
			if _, _, err := db.AuditTrail(ctx, p, audit.Filter{}); apperr.KindOf(err) != apperr.Forbidden {
				t.Errorf("%s %s reads the global trail: %v, want forbidden", p.Role, p.Scope, err)
			}
			if _, _, err := db.AuditTrail(ctx, p, audit.Filter{ObjectType: "enterprise", ObjectID: fmt.Sprint(eb.ID)}); apperr.KindOf(err) != apperr.Forbidden {
				t.Errorf("%s %s reads the global trail with a filter: %v, want forbidden", p.Role, p.Scope, err)
			}
		}

		for _, u := range mine {
			if got, err := db.ManagedUser(ctx, adminA, u.ID); err != nil || got.ID != u.ID {
				t.Errorf("town A's administrator reaches %s (%s): %+v %v", u.Username, u.ScopeText, got, err)
			}
		}
		for _, u := range foreign {
			if _, err := db.ManagedUser(ctx, adminA, u.ID); apperr.KindOf(err) != apperr.NotFound {
				t.Errorf("town A's administrator reaches %s (%s): %v, want not found", u.Username, u.ScopeText, err)
			}
			if got, err := db.ManagedUser(ctx, whole, u.ID); err != nil || got.ID != u.ID {
				t.Errorf("the whole installation's administrator reaches %s: %v", u.Username, err)
			}
		}
		// Without users.manage no account is reached, not even one in scope.
		if _, err := db.ManagedUser(ctx, county, mine[0].ID); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("the county command reaches an account: %v, want not found", err)
		}
		if _, err := db.ManagedUser(ctx, whole, 999999); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("no such account: %v, want not found", err)
		}
	})
}
