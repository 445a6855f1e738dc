package demo

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
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

// The demo staff account is linked to its own person file in the demo enterprise: its My
// pass page shows the person, and once the visitor has taken the enterprise's draft to
// its notice, the enterprise asks for the pass, the grid approves it and the page is green.
func TestDemoStaffOwnPass(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pol := policy.Default()
		_, priv, _ := ed25519.GenerateKey(rand.Reader)
		signer := sign.NewSigner(priv)
		fs, _ := files.New(t.TempDir())
		box := crypt.NewRandom()
		logins, err := Seed(ctx, db, pol, signer, fs, box)
		if err != nil {
			t.Fatal(err)
		}
		who := map[auth.Role]auth.Principal{}
		var people []auth.Principal
		for _, l := range logins {
			u, err := db.GetUserByName(ctx, l.Username)
			if err != nil {
				t.Fatal(err)
			}
			people = append(people, u.Principal())
			if _, ok := who[u.Role]; !ok {
				who[u.Role] = u.Principal()
			}
		}
		emps := db.Employees(box, pol)
		staff := who[auth.Staff]
		me, err := emps.Me(ctx, staff)
		if err != nil {
			t.Fatal(err)
		}
		if !me.Linked || me.Name != "顾小燕" || me.EnterpriseID != staff.Scope.ID || me.Status == nil || me.Status.Phase != "cleared" {
			t.Fatalf("the demo staff account's own record: %+v", me)
		}
		if me.State != store.MeNoNotice || me.Pass != nil {
			t.Fatalf("before the demo enterprise's notice: %+v", me)
		}
		acc, err := emps.EmployeeAccount(ctx, who[auth.Enterprise], me.EmployeeID)
		if err != nil || acc.Account == nil || acc.Account.Username != "staff" {
			t.Fatalf("the employee page's account: %+v %v", acc, err)
		}

		apps, _, err := db.ListApplications(ctx, pol, auth.System, store.AppFilter{Status: application.StatusDraft, Enterprise: staff.Scope.ID})
		if err != nil || len(apps) != 1 {
			t.Fatalf("the demo enterprise's draft: %v %v", apps, err)
		}
		if err := walk(ctx, db, pol, signer, fs, people, apps[0].ID, 20); err != nil {
			t.Fatal(err)
		}
		req, err := emps.RequestPass(ctx, who[auth.Enterprise], me.EmployeeID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := emps.ApprovePasses(ctx, who[auth.Grid], signer, []int64{req.ID}); err != nil {
			t.Fatal(err)
		}
		if me, err = emps.Me(ctx, staff); err != nil || me.State != store.MeOK || !me.Allow || me.Pass == nil || me.Pass.Token == "" {
			t.Fatalf("after the notice and the pass: %+v %v", me, err)
		}
	})
}
