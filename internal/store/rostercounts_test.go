package store_test

import (
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The roster counts follow an enterprise's people (new, left) and its place: moved to
// another town, its people are counted there, and no longer in the town it left.
func TestRosterCountsFollowTheEnterprise(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		townA, townB, ea, _ := seed(t, db)
		pol := policy.Default()
		db.Now = func() time.Time { return time.Date(2020, 2, 13, 2, 0, 0, 0, time.UTC) }
		st := store.New(db, store.Config{Policy: pol})
		ent := auth.Principal{Username: "ea", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
		var ids []int64
		for i := range 5 {
			it, err := st.Roster().Create(ctx, ent, roster.Employee{Name: "迁移" + string(rune('甲'+i)), IDNumber: personID(t, 800+i),
				Origin: policy.OriginLocal, ReturnDate: rosterDay(t, pol, "2020-02-01")})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		count := func(p auth.Principal) roster.Counts {
			t.Helper()
			_, _, c, err := st.Roster().List(ctx, p, roster.Filter{Page: list.Page{Size: 1}})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		if a, b := count(townA), count(townB); a.Total != 5 || a.Cleared != 5 || b.Total != 0 {
			t.Fatalf("before the move: town A %+v, town B %+v", a, b)
		}
		if _, err := st.Roster().MarkLeft(ctx, ent, ids[0]); err != nil {
			t.Fatal(err)
		}
		if a := count(townA); a.Total != 5 {
			t.Fatalf("one left, still on the roster: %+v", a)
		}
		moved := ea
		moved.RegionCode = "330402002"
		if _, err := db.UpdateEnterprise(ctx, auth.System, moved, 0, func(string) bool { return true }); err != nil {
			t.Fatal(err)
		}
		if a, b := count(townA), count(townB); a.Total != 0 || b.Total != 5 || b.Cleared != 5 {
			t.Fatalf("after the move: town A %+v, town B %+v", a, b)
		}
	})
}
