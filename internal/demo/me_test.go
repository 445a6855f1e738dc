package demo

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/files"
	"fugong/internal/ledger"
	"fugong/internal/pass"
	"fugong/internal/policy"
	"fugong/internal/sign"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// seedForTest seeds the demo into db under pol with a fresh key, file store and ID box.
func seedForTest(t *testing.T, db *store.DB, pol *policy.Policy) (Logins, *store.Store, *files.Store) {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer := sign.NewSigner(priv)
	fs, err := files.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	box := crypt.NewRandom()
	st := store.New(db, store.Config{Policy: pol, Signer: signer, Box: box})
	logins, err := Seed(context.Background(), st, fs)
	if err != nil {
		t.Fatal(err)
	}
	return logins, st, fs
}

// The demo staff account is linked to its own person file in the demo enterprise: its My
// pass page shows the person, and once the visitor has taken the enterprise's draft to
// its notice, the enterprise asks for the pass, the grid approves it and the page is green.
func TestDemoStaffOwnPass(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pol := policy.Default()
		logins, st, fs := seedForTest(t, db, pol)
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
		emps := st
		staff := who[auth.Staff]
		me, err := emps.Passes().Mine(ctx, staff)
		if err != nil {
			t.Fatal(err)
		}
		if !me.Linked || me.Name != "顾小燕" || me.EnterpriseID != staff.Scope.ID || me.Status == nil || me.Status.Phase != "cleared" {
			t.Fatalf("the demo staff account's own record: %+v", me)
		}
		if me.State != pass.StateNoNotice || me.Pass != nil {
			t.Fatalf("before the demo enterprise's notice: %+v", me)
		}
		acc, err := emps.Roster().Account(ctx, who[auth.Enterprise], me.EmployeeID)
		if err != nil || acc.Account == nil || acc.Account.Username != "staff" {
			t.Fatalf("the employee page's account: %+v %v", acc, err)
		}

		apps, _, err := st.Applications().List(ctx, auth.System, application.Filter{Status: application.StatusDraft, Enterprise: staff.Scope.ID})
		if err != nil || len(apps) != 1 {
			t.Fatalf("the demo enterprise's draft: %v %v", apps, err)
		}
		if err := walk(ctx, st, pol, fs, people, apps[0].ID, 20); err != nil {
			t.Fatal(err)
		}
		reqs, err := emps.Passes().Request(ctx, who[auth.Enterprise], []int64{me.EmployeeID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := emps.Passes().Approve(ctx, who[auth.Grid], []int64{reqs[0].ID}); err != nil {
			t.Fatal(err)
		}
		if me, err = emps.Passes().Mine(ctx, staff); err != nil || me.State != pass.StateOK || !me.Allow || me.Pass == nil || me.Pass.Token == "" {
			t.Fatalf("after the notice and the pass: %+v %v", me, err)
		}
	})
}

// The site accounts work where passes already exist: staff2's My pass page is green, and
// guard2 lets it through but stops the pass suspended by the demo's fever.
func TestDemoSiteAccounts(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pol := policy.Default()
		logins, st, _ := seedForTest(t, db, pol)
		who := map[string]auth.Principal{}
		for _, l := range logins {
			u, err := db.GetUserByName(ctx, l.Username)
			if err != nil {
				t.Fatal(err)
			}
			who[l.Username] = u.Principal()
		}
		staff, guard, admin := who["staff2"], who["guard2"], who["enterprise2"]
		if staff.Scope.ID == 0 || staff.Scope != guard.Scope || staff.Scope != admin.Scope || staff.Scope == who["staff"].Scope {
			t.Fatalf("site accounts: %+v %+v %+v", staff, guard, admin)
		}
		emps := st
		me, err := emps.Passes().Mine(ctx, staff)
		if err != nil || !me.Linked || me.State != pass.StateOK || !me.Allow || me.Pass == nil {
			t.Fatalf("staff2's own pass: %+v %v", me, err)
		}
		if u, err := db.GetUserByName(ctx, "staff2"); err != nil || u.DisplayName != me.Name {
			t.Errorf("staff2 is called %q, its person %q (%v)", u.DisplayName, me.Name, err)
		}
		// guard2's morning: staff2 let in, the suspended pass stopped, a visitor.
		log, err := emps.Gate().Entries(ctx, guard, 0)
		if err != nil || len(log) != 3 {
			t.Fatalf("gate log: %+v %v", log, err)
		}
		allowed := 0
		for _, g := range log {
			if g.Allow {
				allowed++
			}
		}
		if allowed != 2 {
			t.Errorf("gate log: %d allowed, want 2: %+v", allowed, log)
		}
		temp := 36.5
		res, err := emps.Gate().Scan(ctx, guard, me.Pass.Token, &temp, "")
		if err != nil || !res.Allow {
			t.Fatalf("guard2 scans staff2: %+v %v", res, err)
		}
		suspended, _, err := emps.Passes().List(ctx, admin, pass.Filter{Status: pass.Suspended})
		if err != nil || len(suspended) != 1 {
			t.Fatalf("the fever's suspended pass: %+v %v", suspended, err)
		}
		if res, err := emps.Gate().Scan(ctx, guard, suspended[0].Token, nil, ""); err != nil || res.Allow || res.Code != "suspended" {
			t.Fatalf("guard2 scans the suspended pass: %+v %v", res, err)
		}
		// Today's fever counts in today's report, not in yesterday's confirmed one.
		loc := pol.Location()
		today := time.Now().In(loc)
		for _, c := range []struct {
			day       string
			suspended int
		}{{today.AddDate(0, 0, -1).Format("2006-01-02"), 0}, {today.Format("2006-01-02"), 1}} {
			reps, _, _, err := st.Ledgers().DailyReports(ctx, admin, ledger.ReportFilter{Day: c.day})
			if err != nil || len(reps) != 1 || reps[0].PassesSuspended != c.suspended {
				t.Errorf("report of %s: %+v %v; want %d passes suspended", c.day, reps, err, c.suspended)
			}
		}
	})
}
