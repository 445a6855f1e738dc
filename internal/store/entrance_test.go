package store_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/gate"
	"fugong/internal/policy"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

func TestAtEntrance(t *testing.T) {
	for _, tt := range []struct {
		entrance, checkpoint string
		want                 bool
	}{
		{"", "北门", true},      // nothing registered yet
		{"东门", "", true},      // no checkpoint named: taken to be the entrance
		{"东门", "东门", true},    //
		{"东 门", " 东门 ", true}, // spaces do not count
		{"Gate A", "gate a", true},
		{"东门", "北门", false},
		{"东门", "东门2", false},
	} {
		if got := gate.AtEntrance(tt.entrance, tt.checkpoint); got != tt.want {
			t.Errorf("AtEntrance(%q, %q) = %v, want %v", tt.entrance, tt.checkpoint, got, tt.want)
		}
	}
}

// The enterprise registers its entrance (audited, in scope, validated); with the policy's
// single entrance, a visitor registered at another checkpoint is refused and logged, and
// a change of the entrance is seen at once.
func TestSingleEntrance(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		townA, townB, ea, _ := seed(t, db)
		pol := policy.Default()
		if !pol.Gate.SingleEntrance {
			t.Fatal("the default policy should ask for a single entrance")
		}
		db.Now = func() time.Time { return time.Date(2020, 2, 20, 2, 0, 0, 0, time.UTC) }
		st := store.New(db, store.Config{Policy: pol})
		admin := auth.Principal{UserID: 0, Username: "ea", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
		guard := auth.Principal{Username: "g", Role: auth.Guard, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}

		e, err := st.Gate().Entrance(ctx, guard, 0)
		if err != nil || e.Name != "" || !e.SingleEntrance || e.EnterpriseID != ea.ID {
			t.Fatalf("entrance before registration: %+v %v", e, err)
		}
		visitor := func(checkpoint string) gate.Entry {
			t.Helper()
			temp := 36.5
			g, err := st.Gate().Register(ctx, guard, gate.Entry{Kind: "visitor", Name: "访客", Temperature: &temp, Checkpoint: checkpoint}, "")
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		// Nothing registered: every checkpoint works.
		if g := visitor("北门"); !g.Allow {
			t.Fatalf("before registration: %+v", g)
		}

		// Who may set it, and what.
		if _, err := st.Gate().SetEntrance(ctx, guard, 0, "东门"); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("guard sets the entrance: %v, want forbidden", err)
		}
		if _, err := st.Gate().SetEntrance(ctx, townB, ea.ID, "东门"); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("another town sets the entrance: %v, want not found", err)
		}
		if _, err := st.Gate().SetEntrance(ctx, townA, 0, "东门"); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("no enterprise: %v, want invalid", err)
		}
		if _, err := st.Gate().SetEntrance(ctx, admin, 0, strings.Repeat("门", gate.MaxEntranceLen+1)); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("too long: %v, want invalid", err)
		}
		if _, err := st.Gate().SetEntrance(ctx, admin, 0, "东\x00门"); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("control character: %v, want invalid", err)
		}
		if e, err = st.Gate().SetEntrance(ctx, admin, 0, "  东门  "); err != nil || e.Name != "东门" {
			t.Fatalf("set: %+v %v", e, err)
		}
		if e, err = st.Gate().Entrance(ctx, townA, ea.ID); err != nil || e.Name != "东门" {
			t.Fatalf("entrance seen by the town: %+v %v", e, err)
		}
		if _, err = st.Gate().SetEntrance(ctx, admin, 0, "东门"); err != nil { // unchanged: no audit row
			t.Fatal(err)
		}
		trail, _, err := db.ListAudit(ctx, audit.Filter{ObjectType: "enterprise", ObjectID: strconv.FormatInt(ea.ID, 10), Action: "enterprise.entrance"})
		if err != nil || len(trail) != 1 || !strings.Contains(string(trail[0].Summary), "东门") {
			t.Fatalf("audit: %+v %v", trail, err)
		}

		// At the entrance (or naming none) it works; elsewhere it is refused and logged.
		if g := visitor("东门"); !g.Allow {
			t.Fatalf("at the entrance: %+v", g)
		}
		if g := visitor(""); !g.Allow {
			t.Fatalf("no checkpoint named: %+v", g)
		}
		// Moving the entrance is seen at once.
		if g := visitor("北门"); g.Allow || g.Reason != "wrong_entrance" {
			t.Fatalf("at another checkpoint: %+v", g)
		}
		if _, err := st.Gate().SetEntrance(ctx, townA, ea.ID, "北门"); err != nil {
			t.Fatal(err)
		}
		if g := visitor("北门"); !g.Allow {
			t.Fatalf("after moving the entrance: %+v", g)
		}
		if g := visitor("东门"); g.Allow || g.Reason != "wrong_entrance" {
			t.Fatalf("at the old entrance: %+v", g)
		}
		log, err := st.Gate().Entries(ctx, guard, 0)
		if err != nil {
			t.Fatal(err)
		}
		refused := 0
		for _, g := range log {
			if !g.Allow && g.Reason == "wrong_entrance" {
				refused++
			}
		}
		if len(log) != 6 || refused != 2 {
			t.Fatalf("gate log: %d entries, %d refused at a wrong entrance; want 6 and 2", len(log), refused)
		}

		// A policy without a single entrance ignores the registered one.
		loose := *pol
		loose.Gate.SingleEntrance = false
		st2 := store.New(db, store.Config{Policy: &loose})
		temp := 36.5
		if g, err := st2.Gate().Register(ctx, guard, gate.Entry{Kind: "visitor", Name: "访客", Temperature: &temp, Checkpoint: "西门"}, ""); err != nil || !g.Allow {
			t.Fatalf("without single_entrance: %+v %v", g, err)
		}
		// Clearing it lifts the restriction.
		if e, err = st.Gate().SetEntrance(ctx, admin, 0, ""); err != nil || e.Name != "" {
			t.Fatalf("clear: %+v %v", e, err)
		}
		if g := visitor("西门"); !g.Allow {
			t.Fatalf("after clearing: %+v", g)
		}
		if n, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit chain broken at %d: %v", n, err)
		}
	})
}
