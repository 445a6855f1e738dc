package demo_test

import (
	"context"
	"testing"

	"fugong/internal/alert"
	"fugong/internal/assign"
	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/demo"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The demo's 包保: the coverage page has gaps, among them enterprises nobody answers for;
// baobao's "my enterprises" page is full and holds visits; under variant C the grid
// chain has passes climbing it.
func TestSeedResponsibility(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"default", "variant-c-county.toml"} {
		t.Run(name, func(t *testing.T) {
			pol := policy.Default()
			if name != "default" {
				var problems []policy.Problem
				var err error
				pol, problems, err = policy.Load("../../policies/" + name)
				if err != nil || len(problems) > 0 {
					t.Fatal(problems, err)
				}
			}
			db := storetest.Open(t, store.SQLite)
			st := store.New(db, store.Config{Policy: pol, Signer: testSigner(t), Box: crypt.NewRandom()})
			if _, err := demo.Seed(ctx, st, testFiles(t)); err != nil {
				t.Fatal(err)
			}
			cov, err := st.Assignments().Coverage(ctx, auth.System, assign.ByTown, enterprise.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if cov.Covered == 0 || len(cov.Gaps) == 0 || cov.Nobody == 0 {
				t.Errorf("coverage: %d covered, %d gaps, %d with nobody", cov.Covered, len(cov.Gaps), cov.Nobody)
			}
			u, err := db.GetUserByName(ctx, "baobao")
			if err != nil {
				t.Fatal(err)
			}
			bb := u.Principal()
			mine, err := st.Assignments().Mine(ctx, bb)
			if err != nil || len(mine) < 10 {
				t.Fatalf("baobao's enterprises: %d %v", len(mine), err)
			}
			visits, n, err := st.Assignments().Visits(ctx, bb, assign.VisitFilter{UserID: bb.UserID})
			if err != nil || n < 3 || len(visits) < 3 {
				t.Errorf("baobao's visits: %d %v", n, err)
			}
			// The demo's fever alerted the town.
			town, err := db.GetUserByName(ctx, "town")
			if err != nil {
				t.Fatal(err)
			}
			if as, _, err := st.Alerts().List(ctx, town.Principal(), alert.Filter{Kind: policy.AlertFever}); err != nil || len(as) == 0 {
				t.Errorf("the town heard of no fever: %v", err)
			}
			if len(pol.GridChains) > 0 {
				grid, err := db.GetUserByName(ctx, "grid")
				if err != nil {
					t.Fatal(err)
				}
				waiting, _, err := st.Passes().GridWaiting(ctx, grid.Principal())
				if err != nil {
					t.Fatal(err)
				}
				if len(waiting) == 0 {
					t.Error("no returning staff list waits for the village's grid leader")
				}
				for _, g := range waiting {
					if g.Next != "village" {
						t.Errorf("a pass waiting for %q on the village's page", g.Next)
					}
				}
				town, err := db.GetUserByName(ctx, "town")
				if err != nil {
					t.Fatal(err)
				}
				if waiting, _, err = st.Passes().GridWaiting(ctx, town.Principal()); err != nil || len(waiting) == 0 {
					t.Errorf("nothing waits for the town: %v", err)
				}
			}
		})
	}
}
