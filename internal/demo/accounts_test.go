package demo

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"path/filepath"
	"testing"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/files"
	"fugong/internal/policy"
	"fugong/internal/sign"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The demo accounts alone (no clerks) can take the demo enterprise's draft to an approved
// notice under the default policy and each example policy: what a visitor does in the
// browser, signing in as each account in turn.
func TestDemoAccountsReachTheNotice(t *testing.T) {
	paths, _ := filepath.Glob("../../policies/*.toml")
	for _, path := range append([]string{""}, paths...) {
		name := "default"
		if path != "" {
			name = filepath.Base(path)
		}
		t.Run(name, func(t *testing.T) {
			pol := policy.Default()
			if path != "" {
				var problems []policy.Problem
				var err error
				if pol, problems, err = policy.Load(path); err != nil || len(problems) > 0 {
					t.Fatalf("%v %v", problems, err)
				}
			}
			ctx := context.Background()
			db := storetest.Open(t, store.SQLite)
			_, priv, _ := ed25519.GenerateKey(rand.Reader)
			fs, _ := files.New(t.TempDir())
			st := store.New(db, store.Config{Policy: pol, Signer: sign.NewSigner(priv), Box: crypt.NewRandom()})
			logins, err := Seed(ctx, st, fs)
			if err != nil {
				t.Fatal(err)
			}
			var people []auth.Principal
			for _, l := range logins {
				u, err := db.GetUserByName(ctx, l.Username)
				if err != nil {
					t.Fatal(err)
				}
				people = append(people, u.Principal())
			}
			apps, _, err := st.Applications().List(ctx, auth.System, application.Filter{Status: application.StatusDraft, Enterprise: 1})
			if err != nil || len(apps) != 1 {
				t.Fatalf("the demo enterprise's draft: %v %v", apps, err)
			}
			if err := walk(ctx, st, pol, fs, people, apps[0].ID, 20); err != nil {
				t.Fatal(err)
			}
			v, err := st.Applications().Get(ctx, auth.System, apps[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != application.StatusApproved {
				e, _ := db.GetEnterprise(ctx, auth.System, v.EnterpriseID)
				st, _ := application.StageOf(pol, e, v.Application)
				role, unit := pol.StageActor(st, application.RouteFor(pol, e))
				t.Errorf("stuck at %s: no demo account acts as %s %s", v.Status, role, unit)
			}
		})
	}
}
