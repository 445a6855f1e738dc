package store_test

import (
	"fmt"
	"os"
	"testing"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/pass"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// Under variant C a pass of an enterprise below designated size climbs the grid: the
// village, then the town, then the county SME centre; a lower level cannot approve for a
// higher one, and a refusal at any level stops the pass, naming the level and the reason.
func TestGridChainUnderVariantC(t *testing.T) {
	b, err := os.ReadFile("../../policies/variant-c-county.toml")
	if err != nil {
		t.Fatal(err)
	}
	polC, probs := policy.Parse("variant-c-county.toml", b)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		approveFirst(t, db, w) // the notice, under the default policy
		st := store.New(db, store.Config{Policy: polC, Signer: w.signer})
		d, err := db.SaveDepartment(ctx, auth.System, region.Department{Name: "县中小企业发展促进中心", UnitCode: "county_sme", RegionCode: "330402"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: "sme", Role: auth.Reviewer, ScopeText: fmt.Sprintf("dept:%d", d.ID)}, "password-1")
		if err != nil {
			t.Fatal(err)
		}
		sme := u.Principal()
		request := func(name string, n int) int64 {
			_, id := requestedPass(t, st, w, name, n)
			return id
		}
		id := request("逐级甲", 701)
		// The one-step approval is refused: the policy has the grid decide.
		if _, err := st.Passes().Approve(ctx, w.grid, []int64{id}); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("one-step approval under the chain: %v", err)
		}
		// The town cannot go before the village.
		if _, err := st.Passes().GridDecide(ctx, w.town, id, true, ""); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("town before village: %v", err)
		}
		waiting := func(p auth.Principal) int {
			t.Helper()
			got, _, err := st.Passes().GridWaiting(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			return len(got)
		}
		if waiting(w.grid) != 1 || waiting(w.town) != 0 || waiting(sme) != 0 {
			t.Fatalf("queues: village %d town %d sme %d", waiting(w.grid), waiting(w.town), waiting(sme))
		}
		g, err := st.Passes().GridDecide(ctx, w.grid, id, true, "")
		if err != nil || g.Status != pass.Requested || g.Next != "town_gov" || len(g.Decisions) != 1 {
			t.Fatalf("village approves: %+v %v", g, err)
		}
		if waiting(w.grid) != 0 || waiting(w.town) != 1 {
			t.Fatal("the pass did not move up to the town")
		}
		if g, err = st.Passes().GridDecide(ctx, w.town, id, true, ""); err != nil || g.Next != "county_sme" {
			t.Fatalf("town approves: %+v %v", g, err)
		}
		// A lower level cannot approve for the higher one.
		for _, p := range []auth.Principal{w.grid, w.town} {
			if _, err := st.Passes().GridDecide(ctx, p, id, true, ""); apperr.KindOf(err) != apperr.Forbidden {
				t.Fatalf("%s approves for the county: %v", p.Username, err)
			}
		}
		if g, err = st.Passes().GridDecide(ctx, sme, id, true, ""); err != nil || g.Status != pass.Active || g.Token == "" || g.Next != "" {
			t.Fatalf("the county issues: %+v %v", g, err)
		}

		// A refusal at the town stops the pass, with its level and reason.
		id2 := request("逐级乙", 702)
		if _, err := st.Passes().GridDecide(ctx, w.grid, id2, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Passes().GridDecide(ctx, w.town, id2, false, ""); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("refusal without a reason: %v", err)
		}
		g, err = st.Passes().GridDecide(ctx, w.town, id2, false, "隔离期未满")
		if err != nil || g.Status != pass.Revoked || g.Reason != pass.ReasonGridRefused || g.Decisions[1].Unit != "town_gov" || g.Decisions[1].Reason != "隔离期未满" {
			t.Fatalf("refusal: %+v %v", g, err)
		}
		if _, err := st.Passes().GridDecide(ctx, sme, id2, true, ""); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("decision after a refusal: %v", err)
		}

		// A returning staff list (返岗人员名单) climbs as one: each level decides on
		// every pass of the enterprise that waits for it, all or none.
		list := []int64{request("名单甲", 704), request("名单乙", 705), request("名单丙", 706)}
		if _, err := st.Passes().GridDecideList(ctx, w.town, w.enterprises[0].ID, true, ""); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("the town decides on the list before the village: %v", err)
		}
		got, err := st.Passes().GridDecideList(ctx, w.grid, w.enterprises[0].ID, true, "")
		if err != nil || len(got) != len(list) {
			t.Fatalf("the village approves the list: %d %v", len(got), err)
		}
		for i, g := range got {
			if g.ID != list[i] || g.Status != pass.Requested || g.Next != "town_gov" {
				t.Fatalf("after the village: %+v", g)
			}
		}
		if _, err := st.Passes().GridDecideList(ctx, w.grid, w.enterprises[0].ID, true, ""); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("the village decides again, for the town: %v", err)
		}
		if _, err := st.Passes().GridDecideList(ctx, w.town, w.enterprises[0].ID, false, ""); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("a list refused without a reason: %v", err)
		}
		if waiting(w.town) != len(list) {
			t.Fatal("a refusal without a reason left part of the list decided")
		}
		if got, err = st.Passes().GridDecideList(ctx, w.town, w.enterprises[0].ID, true, ""); err != nil || len(got) != len(list) || got[0].Next != "county_sme" {
			t.Fatalf("the town approves the list: %v", err)
		}
		got, err = st.Passes().GridDecideList(ctx, sme, w.enterprises[0].ID, false, "名单中有人隔离期未满")
		if err != nil || len(got) != len(list) {
			t.Fatalf("the county refuses the list: %v", err)
		}
		for _, g := range got {
			if g.Status != pass.Revoked || g.Decisions[2].Unit != "county_sme" || g.Decisions[2].Reason != "名单中有人隔离期未满" {
				t.Fatalf("a refused list: %+v", g)
			}
		}

		// Under the default policy the grid decides nothing: one step, as before.
		def := store.New(db, store.Config{Policy: w.pol, Signer: w.signer})
		id3 := request("一步丙", 703)
		if _, err := def.Passes().GridDecide(ctx, w.grid, id3, true, ""); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("grid decision under the default policy: %v", err)
		}
		if got, err := def.Passes().Approve(ctx, w.grid, []int64{id3}); err != nil || got[0].Status != pass.Active {
			t.Fatalf("one-step approval: %+v %v", got, err)
		}
	})
}
