package demo_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/demo"
	"fugong/internal/enterprise"
	"fugong/internal/files"
	"fugong/internal/list"
	"fugong/internal/pgtest"
	"fugong/internal/policy"
	"fugong/internal/sign"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

type counts struct {
	regions, parks, departments, enterprises, users int
	audit                                           int64
}

func count(t *testing.T, db *store.DB) counts {
	t.Helper()
	ctx := context.Background()
	sys := auth.System
	var c counts
	rs, err := db.AllRegions(ctx, sys)
	if err != nil {
		t.Fatal(err)
	}
	c.regions = len(rs)
	if _, c.parks, err = db.ListParks(ctx, sys, "", "", list.Page{}); err != nil {
		t.Fatal(err)
	}
	if _, c.departments, err = db.ListDepartments(ctx, sys, "", "", list.Page{}); err != nil {
		t.Fatal(err)
	}
	if _, c.enterprises, err = db.CountEnterprises(ctx, sys); err != nil {
		t.Fatal(err)
	}
	if _, c.users, err = db.ListUsers(ctx, auth.System, auth.UserFilter{}); err != nil {
		t.Fatal(err)
	}
	if c.audit, err = db.VerifyAudit(ctx); err != nil {
		t.Fatalf("audit trail after seeding: %v", err)
	}
	return c
}

// reviewerUnits counts the departments the demo creates for a policy: each county-level
// reviewing unit once, each town-level one in each of the three towns.
func reviewerUnits(pol *policy.Policy) int {
	n := 0
	for _, u := range pol.Units {
		if u.Role != "reviewer" {
			continue
		}
		switch u.Level {
		case "county":
			n++
		case "town":
			n += 3
		}
	}
	return n
}

func TestSeed(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pol := policy.Default()
		st := store.New(db, store.Config{Policy: pol, Signer: testSigner(t), Box: crypt.NewRandom()})
		logins, err := demo.Seed(ctx, st, testFiles(t))
		if err != nil {
			t.Fatal(err)
		}
		depts := reviewerUnits(pol)
		if depts != 17 {
			t.Errorf("the default policy gives %d departments, want 17 (5 county + 4 town units × 3 towns)", depts)
		}
		// One user per role, the town's own command, the three accounts of the first
		// enterprise with passes, and the 包保 leader baobao.
		want := counts{regions: 12, parks: 2, departments: depts, enterprises: 60, users: len(auth.Roles) + 1 + 3 + 1}
		got := count(t, db)
		if got.audit <= int64(want.regions+want.parks+want.departments+want.enterprises+want.users) {
			t.Errorf("the audit trail has %d rows: the applications are missing", got.audit)
		}
		audit := got.audit
		got.audit = 0
		if got != want {
			t.Errorf("after seeding: got %+v, want %+v", got, want)
		}
		// Applications at every stage: a draft, some under review, some approved.
		byStatus, err := st.Applications().Count(ctx, auth.System)
		if err != nil {
			t.Fatal(err)
		}
		if byStatus["draft"] < 1 || byStatus["approved"] < 1 || byStatus["returned"] != 1 || len(byStatus) < 4 {
			t.Errorf("applications by status: %v", byStatus)
		}
		// Yesterday's daily reports are summarized by the town: the county's roll-up shows it.
		day := db.Now().In(pol.Location()).AddDate(0, 0, -1).Format("2006-01-02")
		county, err := st.Dashboard().Rollup(ctx, auth.System, "", day)
		if err != nil {
			t.Fatal(err)
		}
		summarized := false
		for _, l := range county.Lines {
			summarized = summarized || l.Summarized
		}
		if county.Total.Due == 0 || !summarized {
			t.Errorf("yesterday's roll-up: %+v", county)
		}
		// Most enterprises file themselves; some are helped by their town (帮办代办).
		apps, total, err := st.Applications().List(ctx, auth.System, application.Filter{Page: list.Page{Size: list.MaxSize}})
		if err != nil {
			t.Fatal(err)
		}
		helped := 0
		for _, a := range apps {
			if a.OnBehalf {
				helped++
			}
		}
		if helped == 0 || 2*helped >= total {
			t.Errorf("%d of %d applications filed on the enterprise's behalf: want some, fewer than half", helped, total)
		}
		// An on-site acceptance keeps the inspector's one photo; no other step leaves any.
		photographed := 0
		for _, a := range apps {
			v, err := st.Applications().Get(ctx, auth.System, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, at := range v.Attachments {
				if application.IsPhoto(at.Material) {
					n++
				}
			}
			if n > 1 {
				t.Errorf("application %d keeps %d on-site photos, want one at most", a.ID, n)
			}
			photographed += n
		}
		if photographed == 0 {
			t.Error("no application keeps an on-site photo")
		}

		// One login per account, in role order, each able to sign in.
		if len(logins) != want.users {
			t.Fatalf("got %d logins, want %d", len(logins), want.users)
		}

		roles := map[auth.Role]bool{}
		defer func() {
			if len(roles) != len(auth.Roles) {
				t.Errorf("logins cover %d roles, want %d", len(roles), len(auth.Roles))
			}
		}()
		for i, l := range logins {
			roles[l.Role] = true
			if i > 0 && slices.Index(auth.Roles, l.Role) < slices.Index(auth.Roles, logins[i-1].Role) {
				t.Errorf("login %d (%s) is out of role order", i, l.Role)
			}
			if l.Description == "" {
				t.Errorf("login %s has no description", l.Username)
			}
			u, err := db.Authenticate(ctx, l.Username, demo.Password, "127.0.0.1")
			if err != nil {
				t.Errorf("sign in as %s: %v", l.Username, err)
				continue
			}
			if u.ScopeText != l.Scope {
				t.Errorf("%s: stored scope %s, login says %s", l.Username, u.ScopeText, l.Scope)
			}
		}

		// Scopes make sense: everyone sees the enterprise of the enterprise accounts.
		seen := map[string]int{}
		for _, l := range logins {
			u, err := db.GetUserByName(ctx, l.Username)
			if err != nil {
				t.Fatal(err)
			}
			_, n, err := db.CountEnterprises(ctx, u.Principal())
			if err != nil {
				t.Fatal(err)
			}
			seen[l.Username] = n
		}
		for name, n := range seen {
			if n == 0 {
				t.Errorf("%s sees no enterprise", name)
			}
		}
		for _, name := range []string{"enterprise", "staff", "guard"} {
			if seen[name] != 1 {
				t.Errorf("%s sees %d enterprises, want 1", name, seen[name])
			}
		}
		if seen["admin"] != 60 || seen["command"] != 60 {
			t.Errorf("admin sees %d, command %d; want 60 each", seen["admin"], seen["command"])
		}
		if !(seen["grid"] < seen["town"] && seen["town"] < seen["command"]) {
			t.Errorf("grid %d, town %d, command %d: want a narrowing subtree", seen["grid"], seen["town"], seen["command"])
		}

		// Categories and statuses vary.
		cats, statuses := map[string]int{}, map[enterprise.Status]int{}
		err = db.EachEnterprise(ctx, auth.System, enterprise.Filter{}, func(e enterprise.Enterprise) error {
			cats[e.Category]++
			statuses[e.Status]++
			if err := enterprise.ValidateUSCC(e.USCC); err != nil {
				t.Errorf("%s: %v", e.Name, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(cats) != len(pol.Categories) {
			t.Errorf("enterprises in %d categories, want all %d", len(cats), len(pol.Categories))
		}
		if len(statuses) != len(enterprise.Statuses) {
			t.Errorf("enterprises in %d statuses, want all %d", len(statuses), len(enterprise.Statuses))
		}

		// A second call changes nothing and returns the same logins.
		st = store.New(db, store.Config{Policy: pol, Signer: testSigner(t), Box: crypt.NewRandom()})
		again, err := demo.Seed(ctx, st, testFiles(t))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(again, logins) {
			t.Errorf("second seed returned\n%v\nwant\n%v", again, logins)
		}
		got.audit = audit
		if got2 := count(t, db); got2 != got {
			t.Errorf("second seed changed the database: %+v, was %+v", got2, got)
		}
	})
}

// The demo also seeds under the example policies, whose units and names differ.
func TestSeedExamplePolicies(t *testing.T) {
	paths, err := filepath.Glob("../../policies/*.toml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no example policies: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			pol, problems, err := policy.Load(path)
			if err != nil || len(problems) > 0 {
				t.Fatalf("load: %v %v", err, problems)
			}
			db := storetest.Open(t, store.SQLite)
			st := store.New(db, store.Config{Policy: pol, Signer: testSigner(t), Box: crypt.NewRandom()})
			logins, err := demo.Seed(context.Background(), st, testFiles(t))
			if err != nil {
				t.Fatal(err)
			}
			c := count(t, db)
			if c.enterprises != 60 || c.departments != reviewerUnits(pol) || c.users != len(logins) {
				t.Errorf("got %+v with %d logins", c, len(logins))
			}
		})
	}
}

func TestUSCC(t *testing.T) {
	seen := map[string]bool{}
	for n := 1; n <= 500; n++ {
		for _, kind := range []string{"91", "92", "52"} {
			c := demo.USCC(kind, demo.County, n)
			if err := enterprise.ValidateUSCC(c); err != nil {
				t.Fatalf("%s: %v", c, err)
			}
			if seen[c] {
				t.Fatalf("%s made twice", c)
			}
			seen[c] = true
		}
	}
}

func testSigner(t testing.TB) *sign.Signer {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return sign.NewSigner(priv)
}

func testFiles(t testing.TB) *files.Store {
	fs, err := files.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}
