package store_test

import (
	"fmt"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/health"
	"fugong/internal/pass"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// requestedPass adds a local person back since 2020-02-01 (n seeds the ID number) to the
// world's first enterprise and requests a pass for them: the person's id and the pass's.
func requestedPass(t *testing.T, st *store.Store, w workflowWorld, name string, n int) (int64, int64) {
	t.Helper()
	e, err := st.Roster().Create(ctx, w.ent, roster.Employee{Name: name, IDNumber: personID(t, n), Origin: "local", ReturnDate: rosterDay(t, w.pol, "2020-02-01")})
	if err != nil {
		t.Fatal(err)
	}
	req, err := st.Passes().Request(ctx, w.ent, []int64{e.ID})
	if err != nil {
		t.Fatal(err)
	}
	return e.ID, req[0].ID
}

// issuedPass is requestedPass with the pass approved by the grid: the person's id and
// the pass.
func issuedPass(t *testing.T, st *store.Store, w workflowWorld, name string, n int) (int64, pass.Pass) {
	t.Helper()
	person, id := requestedPass(t, st, w, name, n)
	issued, err := st.Passes().Approve(ctx, w.grid, []int64{id})
	if err != nil {
		t.Fatal(err)
	}
	return person, issued[0]
}

// approveFirst takes a complete application of the world's first enterprise to approval,
// so that it holds a valid notice and its people may hold passes.
func approveFirst(t *testing.T, db *store.DB, w workflowWorld) {
	t.Helper()
	v, err := w.st.Applications().Create(ctx, w.ent, complete(w.pol, w.enterprises[0], time.Date(2020, 2, 12, 8, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		p   auth.Principal
		act application.Action
	}{{w.ent, application.Submit}, {w.town, application.Accept}, {w.grid, application.Pass}, {w.command, application.Approve}} {
		req := application.Request{Action: s.act}
		if s.act == application.Pass {
			photo(t, w.st, w.pol, w.grid, v.ID)
			req.Acceptance = passAll(w.pol)
		}
		if _, err := w.st.Applications().Transition(ctx, s.p, v.ID, req); err != nil {
			t.Fatalf("%s by %s: %v", s.act, s.p.Role, err)
		}
	}
}

// A staff account linked to its own employee record: only the enterprise (roster.edit)
// links, only its own staff accounts, one account per person; the account then sees its
// own pass and declares without the token, and a fever suspends the pass.
func TestStaffAccountLink(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 2)
		approveFirst(t, db, w)
		entA, entB := w.enterprises[0], w.enterprises[1]
		st := store.New(db, store.Config{Policy: w.pol, Signer: w.signer})
		user := func(name string, role auth.Role, ent int64) auth.User {
			u, err := db.CreateUser(ctx, auth.System, auth.User{Username: name, DisplayName: name, Role: role, ScopeText: fmt.Sprintf("enterprise:%d", ent)}, "password-1")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		staff1, staff2 := user("staff1", auth.Staff, entA.ID), user("staff2", auth.Staff, entA.ID)
		guard := user("guardA", auth.Guard, entA.ID)
		staffB := user("staffB", auth.Staff, entB.ID)
		entBAdmin := user("entB", auth.Enterprise, entB.ID).Principal()
		emp := func(p auth.Principal, name string, n int) roster.Employee {
			e, err := st.Roster().Create(ctx, p, roster.Employee{Name: name, IDNumber: personID(t, n), Origin: "local", ReturnDate: rosterDay(t, w.pol, "2020-02-01")})
			if err != nil {
				t.Fatal(err)
			}
			return e.Employee
		}
		e1, e2 := emp(w.ent, "张自助", 501), emp(w.ent, "李同事", 502)
		eB := emp(entBAdmin, "王乙厂", 503)

		// Who may link, and what.
		kind := func(err error) apperr.Kind { return apperr.KindOf(err) }
		if _, err := st.Roster().LinkAccount(ctx, w.grid, e1.ID, staff1.ID); kind(err) != apperr.Forbidden {
			t.Fatalf("grid links: %v, want forbidden", err)
		}
		if _, err := st.Roster().LinkAccount(ctx, staff1.Principal(), e1.ID, staff1.ID); kind(err) != apperr.Forbidden {
			t.Fatalf("staff links itself: %v, want forbidden", err)
		}
		if _, err := st.Roster().LinkAccount(ctx, w.ent, e1.ID, 0); problemFields(err)["user_id"] == "" {
			t.Fatalf("no account: %v, want a user_id problem", err)
		}
		if _, err := st.Roster().LinkAccount(ctx, w.ent, e1.ID, staffB.ID); problemFields(err)["user_id"] == "" {
			t.Fatalf("another enterprise's staff account: %v, want a user_id problem", err)
		}
		if _, err := st.Roster().LinkAccount(ctx, w.ent, e1.ID, 999999); problemFields(err)["user_id"] == "" {
			t.Fatalf("no such account: %v, want a user_id problem", err)
		}
		if _, err := st.Roster().LinkAccount(ctx, w.ent, e1.ID, guard.ID); problemFields(err)["user_id"] == "" {
			t.Fatalf("a guard account: %v, want a user_id problem", err)
		}
		if _, err := st.Roster().LinkAccount(ctx, w.ent, eB.ID, staff1.ID); kind(err) != apperr.NotFound {
			t.Fatalf("an employee of another enterprise: %v, want not found", err)
		}
		if _, err := st.Roster().LinkAccount(ctx, entBAdmin, eB.ID, staff1.ID); problemFields(err)["user_id"] == "" {
			t.Fatalf("enterprise B links A's staff to its own employee: %v, want a user_id problem", err)
		}
		acc, err := st.Roster().LinkAccount(ctx, w.ent, e1.ID, staff1.ID)
		if err != nil || acc.Account == nil || acc.Account.UserID != staff1.ID || acc.Account.EmployeeID != e1.ID {
			t.Fatalf("link: %+v %v", acc, err)
		}
		if len(acc.Candidates) != 1 || acc.Candidates[0].UserID != staff2.ID {
			t.Fatalf("candidates after the link: %+v; want staff2 only", acc.Candidates)
		}
		_, links, _ := db.ListAudit(ctx, audit.Filter{Action: "employee.account_link"})
		if links != 1 {
			t.Fatalf("%d link audit entries, want 1", links)
		}
		if _, err := st.Roster().LinkAccount(ctx, w.ent, e1.ID, staff1.ID); err != nil {
			t.Fatalf("the same link again: %v", err)
		}
		if _, links, _ = db.ListAudit(ctx, audit.Filter{Action: "employee.account_link"}); links != 1 {
			t.Fatalf("a repeated link audited again: %d entries", links)
		}
		if _, err := st.Roster().LinkAccount(ctx, w.ent, e2.ID, staff1.ID); kind(err) != apperr.Conflict {
			t.Fatalf("an account linked elsewhere: %v, want conflict", err)
		}
		if _, err := st.Roster().LinkAccount(ctx, w.ent, e1.ID, staff2.ID); kind(err) != apperr.Conflict {
			t.Fatalf("a person already linked: %v, want conflict", err)
		}
		// The index holds one account per person whatever the store's checks.
		if err := store.ExecForTest(ctx, db, fmt.Sprintf(`UPDATE users SET employee_id = %d WHERE id = %d`, e1.ID, staff2.ID)); err == nil {
			t.Fatal("two accounts linked to one person through raw SQL")
		}
		// Viewers see the link, not the candidates.
		if acc, err := st.Roster().Account(ctx, w.town, e1.ID); err != nil || acc.Account == nil || len(acc.Candidates) != 0 {
			t.Fatalf("town sees the account: %+v %v", acc, err)
		}

		// The account's own page: linked, no pass yet.
		me, err := st.Passes().Mine(ctx, staff1.Principal())
		if err != nil || !me.Linked || me.Name != "张自助" || me.State != pass.StateNoPass || me.Allow || me.Status == nil || me.Status.Phase != roster.Cleared {
			t.Fatalf("me before the pass: %+v %v", me, err)
		}
		if _, err := st.Passes().Mine(ctx, w.ent); kind(err) != apperr.Forbidden {
			t.Fatalf("the enterprise admin's own page: %v, want forbidden", err)
		}
		if me, err := st.Passes().Mine(ctx, staff2.Principal()); err != nil || me.Linked || me.Pass != nil {
			t.Fatalf("an unlinked account: %+v %v", me, err)
		}
		if _, err := st.Passes().MyToken(ctx, staff1.Principal()); kind(err) != apperr.NotFound {
			t.Fatalf("QR without a pass: %v", err)
		}
		req, err := st.Passes().Request(ctx, w.ent, []int64{e1.ID, e2.ID})
		if err != nil {
			t.Fatal(err)
		}
		if me, _ := st.Passes().Mine(ctx, staff1.Principal()); me.State != pass.StateNotApproved || me.Pass == nil || me.Pass.ID != req[0].ID {
			t.Fatalf("me with a requested pass: %+v", me)
		}
		issued, err := st.Passes().Approve(ctx, w.grid, []int64{req[0].ID, req[1].ID})
		if err != nil {
			t.Fatal(err)
		}
		me, err = st.Passes().Mine(ctx, staff1.Principal())
		if err != nil || me.State != pass.StateOK || !me.Allow || me.Pass == nil || me.Pass.ID != issued[0].ID || me.Pass.Token != issued[0].Token {
			t.Fatalf("me with an active pass: %+v %v", me, err)
		}
		if tok, err := st.Passes().MyToken(ctx, staff1.Principal()); err != nil || tok != issued[0].Token {
			t.Fatalf("own token: %q %v", tok, err)
		}
		if _, err := st.Passes().MyToken(ctx, staff2.Principal()); kind(err) != apperr.NotFound {
			t.Fatalf("the unlinked account reaches a pass: %v", err)
		}

		// Declarations: validated, recorded as declared for the linked person only.
		if _, err := st.Health().Declare(ctx, staff1.Principal(), health.Declaration{Temperature: 52}); problemFields(err)["temperature"] == "" {
			t.Fatalf("a wild temperature: %v", err)
		}
		if _, err := st.Health().Declare(ctx, staff2.Principal(), health.Declaration{Temperature: 36.5}); kind(err) != apperr.Conflict {
			t.Fatalf("an unlinked account declares: %v, want conflict", err)
		}
		res, err := st.Health().Declare(ctx, staff1.Principal(), health.Declaration{Temperature: 36.54})
		if err != nil || res.EmployeeID != e1.ID || res.Source != health.SourceDeclared || res.Fever || res.Temperature != 36.5 {
			t.Fatalf("declaration: %+v %v", res, err)
		}
		res, err = st.Health().Declare(ctx, staff1.Principal(), health.Declaration{Temperature: 38.4})
		if err != nil || !res.Fever || res.Suspended != 1 || res.FollowUpID == 0 {
			t.Fatalf("a fever: %+v %v", res, err)
		}
		me, _ = st.Passes().Mine(ctx, staff1.Principal())
		if me.State != pass.StateSuspended || me.Allow || me.Pass.Reason != pass.ReasonFever || len(me.Today) != 2 || !me.Today[1].Fever || me.Today[0].Source != health.SourceDeclared {
			t.Fatalf("me after the fever: %+v", me)
		}
		// The colleague's pass is untouched.
		if p, err := st.Passes().Get(ctx, w.ent, issued[1].ID); err != nil || p.Status != pass.Active {
			t.Fatalf("the colleague's pass: %+v %v", p, err)
		}

		// Unlinking: audited, and the account sees nobody.
		if _, err := st.Roster().UnlinkAccount(ctx, w.grid, e1.ID); kind(err) != apperr.Forbidden {
			t.Fatalf("grid unlinks: %v", err)
		}
		acc, err = st.Roster().UnlinkAccount(ctx, w.ent, e1.ID)
		if err != nil || acc.Account != nil || len(acc.Candidates) != 2 {
			t.Fatalf("unlink: %+v %v", acc, err)
		}
		if _, n, _ := db.ListAudit(ctx, audit.Filter{Action: "employee.account_unlink"}); n != 1 {
			t.Fatalf("%d unlink audit entries, want 1", n)
		}
		if _, err := st.Roster().UnlinkAccount(ctx, w.ent, e1.ID); err != nil {
			t.Fatalf("unlink again: %v", err)
		}
		if me, _ := st.Passes().Mine(ctx, staff1.Principal()); me.Linked {
			t.Fatalf("me after the unlink: %+v", me)
		}

		// A link that no longer fits the account (moved to another enterprise) shows nobody.
		if _, err := st.Roster().LinkAccount(ctx, w.ent, e2.ID, staff2.ID); err != nil {
			t.Fatal(err)
		}
		moved := staff2
		moved.ScopeText = fmt.Sprintf("enterprise:%d", entB.ID)
		if moved, err = db.UpdateUser(ctx, auth.System, moved); err != nil {
			t.Fatal(err)
		}
		if me, err := st.Passes().Mine(ctx, moved.Principal()); err != nil || me.Linked {
			t.Fatalf("me of an account moved to another enterprise: %+v %v", me, err)
		}
		if n, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit (%d rows): %v", n, err)
		}
	})
}

// The enterprise opens a staff account for a person in one step: created, linked and
// audited together, or not at all.
func TestCreateStaffAccount(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 2)
		entA, entB := w.enterprises[0], w.enterprises[1]
		st := store.New(db, store.Config{Policy: w.pol, Signer: w.signer})
		mk := func(ent int64, name string, n int) roster.Employee {
			e, err := st.Roster().Create(ctx, w.ent, roster.Employee{EnterpriseID: ent, Name: name, IDNumber: personID(t, n), Phone: "13900000001", Origin: "local"})
			if err != nil {
				t.Fatal(err)
			}
			return e.Employee
		}
		p1, p2 := mk(entA.ID, "开户一", 710), mk(entA.ID, "开户二", 711)
		acc, err := st.Roster().CreateAccount(ctx, w.ent, p1.ID, "13900000001")
		if err != nil {
			t.Fatal(err)
		}
		if acc.Password == "" || acc.User.Role != auth.Staff || acc.User.ScopeText != fmt.Sprintf("enterprise:%d", entA.ID) || acc.User.DisplayName != "开户一" {
			t.Fatalf("account: %+v", acc)
		}
		if u, err := db.Authenticate(ctx, "13900000001", acc.Password, "127.0.0.1"); err != nil || u.ID != acc.User.ID {
			t.Fatalf("sign in with the generated password: %v", err)
		}
		if me, err := st.Passes().Mine(ctx, acc.User.Principal()); err != nil || !me.Linked || me.EmployeeID != p1.ID {
			t.Fatalf("the new account's own person: %+v %v", me, err)
		}
		users := func() int {
			_, n, err := db.ListUsers(ctx, auth.System, auth.UserFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := users()
		for name, c := range map[string]struct {
			actor    auth.Principal
			employee int64
			username string
			kind     apperr.Kind
		}{
			"a person already linked": {w.ent, p1.ID, "another-name", apperr.Conflict},
			"a user name taken":       {w.ent, p2.ID, "13900000001", apperr.Invalid},
			"a bad user name":         {w.ent, p2.ID, "?", apperr.Invalid},
			"without roster.edit":     {w.grid, p2.ID, "fresh-name", apperr.Forbidden},
			"another enterprise's":    {auth.Principal{Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: entB.ID}}, p2.ID, "fresh-name", apperr.NotFound},
		} {
			if _, err := st.Roster().CreateAccount(ctx, c.actor, c.employee, c.username); apperr.KindOf(err) != c.kind {
				t.Errorf("%s: %v, want %v", name, err, c.kind)
			}
		}
		if n := users(); n != before {
			t.Errorf("%d accounts after the refusals, want %d: nothing may be left half-made", n, before)
		}
		trail, _, err := db.ListAudit(ctx, audit.Filter{ObjectType: "employee", ObjectID: fmt.Sprint(p1.ID), Action: "employee.account_link"})
		if err != nil || len(trail) != 1 {
			t.Errorf("audit of the link: %+v %v", trail, err)
		}
	})
}
