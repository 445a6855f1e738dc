package auth

import (
	"slices"
	"testing"
)

func TestParseScope(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Scope
		ok   bool
	}{
		{"all", Scope{Kind: ScopeAll}, true},
		{"region:330402001", Scope{Kind: ScopeRegion, Region: "330402001"}, true},
		{" dept:7 ", Scope{Kind: ScopeDept, ID: 7}, true},
		{"park:12", Scope{Kind: ScopePark, ID: 12}, true},
		{"enterprise:3", Scope{Kind: ScopeEnterprise, ID: 3}, true},
		{"region:33a", Scope{}, false},
		{"region:", Scope{}, false},
		{"dept:0", Scope{}, false},
		{"park:-1", Scope{}, false},
		{"town:330402", Scope{}, false},
		{"", Scope{}, false},
	} {
		got, err := ParseScope(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseScope(%q) = %+v, %v; want %+v ok=%v", c.in, got, err, c.want, c.ok)
		}
		if c.ok {
			if back, _ := ParseScope(got.String()); back != got {
				t.Errorf("round trip of %q gives %+v", c.in, back)
			}
		}
	}
}

func TestScopeFits(t *testing.T) {
	kinds := []ScopeKind{ScopeAll, ScopeRegion, ScopeDept, ScopePark, ScopeEnterprise}
	want := map[Role][]ScopeKind{
		Admin: {ScopeAll, ScopeRegion}, Command: {ScopeRegion}, Town: {ScopeRegion}, Grid: {ScopeRegion},
		Reviewer: {ScopeDept}, Park: {ScopePark}, Enterprise: {ScopeEnterprise}, Staff: {ScopeEnterprise}, Guard: {ScopeEnterprise},
	}
	for _, r := range Roles {
		for _, k := range kinds {
			expect := false
			for _, w := range want[r] {
				expect = expect || w == k
			}
			if got := ScopeFits(r, Scope{Kind: k}); got != expect {
				t.Errorf("ScopeFits(%s, %s) = %v, want %v", r, k, got, expect)
			}
		}
	}
}

// The permission matrix, role by role: what each role may and may not do.
func TestPermissions(t *testing.T) {
	all := []Permission{RegionsView, RegionsManage, UsersManage, EnterprisesView, EnterprisesEdit, EnterprisesAdd,
		EnterprisesXport, AuditAll, AuditObject, PolicyView, AppsView, AppsFile, NoticesView, RosterView, RosterEdit,
		PassesApprove, HealthRecord, HealthDeclare, GateScan}
	officials := map[Permission]bool{AppsView: true, AppsFile: true, NoticesView: true}
	want := map[Role]map[Permission]bool{
		Admin: {RegionsView: true, RegionsManage: true, UsersManage: true, EnterprisesView: true, EnterprisesEdit: true, EnterprisesAdd: true, EnterprisesXport: true, AuditAll: true, AuditObject: true, PolicyView: true, RosterView: true, RosterEdit: true,
			PassesApprove: true, HealthRecord: true, HealthDeclare: true, GateScan: true},
		Command:    {RegionsView: true, EnterprisesView: true, EnterprisesEdit: true, EnterprisesAdd: true, EnterprisesXport: true, AuditObject: true, PolicyView: true, RosterView: true},
		Reviewer:   {RegionsView: true, EnterprisesView: true, EnterprisesXport: true, AuditObject: true, PolicyView: true},
		Town:       {RegionsView: true, EnterprisesView: true, EnterprisesEdit: true, EnterprisesAdd: true, EnterprisesXport: true, AuditObject: true, PolicyView: true, RosterView: true, PassesApprove: true},
		Grid:       {RegionsView: true, EnterprisesView: true, EnterprisesXport: true, AuditObject: true, PolicyView: true, RosterView: true, PassesApprove: true},
		Park:       {EnterprisesView: true, EnterprisesEdit: true, EnterprisesAdd: true, EnterprisesXport: true, AuditObject: true, PolicyView: true, RosterView: true, RosterEdit: true, HealthRecord: true, HealthDeclare: true},
		Enterprise: {EnterprisesView: true, EnterprisesEdit: true, AuditObject: true, PolicyView: true, RosterView: true, RosterEdit: true, HealthRecord: true, HealthDeclare: true, GateScan: true},
		Staff:      {EnterprisesView: true, PolicyView: true, NoticesView: true, HealthDeclare: true},
		Guard:      {EnterprisesView: true, NoticesView: true, HealthRecord: true, HealthDeclare: true, GateScan: true},
	}
	for _, r := range []Role{Admin, Command, Reviewer, Town, Grid, Park, Enterprise} {
		for p := range officials {
			want[r][p] = true
		}
	}
	// The system administrator sees applications but files none: enterprises file their own,
	// officials and park operators on their behalf (application.MayFile).
	want[Admin][AppsFile] = false
	ledgerView := []Role{Enterprise, Park, Town, Grid, Command, Admin, Reviewer}
	ledgerEdit := []Role{Enterprise, Park, Admin}
	for _, r := range ledgerView {
		want[r][LedgersView] = true
	}
	for _, r := range ledgerEdit {
		want[r][LedgersEdit] = true
	}
	all = append(all, LedgersView, LedgersEdit)
	want[Staff][OwnPass] = true
	all = append(all, OwnPass)
	// The dashboard: the officials and the park operator read their scope's; the village
	// (grid), the town and the command confirm their level's summary of the daily reports.
	for _, r := range []Role{Admin, Command, Reviewer, Town, Grid, Park} {
		want[r][DashboardView] = true
	}
	for _, r := range []Role{Command, Town, Grid} {
		want[r][ReportsSummarize] = true
	}
	all = append(all, DashboardView, ReportsSummarize)
	// Every permission a role holds is one of those checked here.
	for r, perms := range rolePerms {
		for _, p := range perms {
			if !slices.Contains(all, p) {
				t.Errorf("%s holds %s, which this test does not check", r, p)
			}
		}
	}
	for _, r := range Roles {
		for _, p := range all {
			if got := Can(r, p); got != want[r][p] {
				t.Errorf("Can(%s, %s) = %v, want %v", r, p, got, want[r][p])
			}
		}
		if !Can(r, LoggedIn) || !Can(r, Public) {
			t.Errorf("%s cannot do what any signed-in user can", r)
		}
	}
	if Can("", LoggedIn) || !Can("", Public) || Can("", EnterprisesView) || Can("nobody", EnterprisesView) {
		t.Error("an anonymous or unknown role holds a permission")
	}
}

func TestPasswords(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "correct horse battery") || CheckPassword(h, "correct horse batterz") {
		t.Error("password check is wrong")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2id$v=19$m=0,t=0,p=0$AAAA$AAAA", "$bcrypt$x$y$z$w"} {
		if CheckPassword(bad, "x") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
	if CheckPasswordStrength("short") == nil || CheckPasswordStrength("        ") == nil || CheckPasswordStrength("long enough") != nil {
		t.Error("password strength rules are wrong")
	}
	if a, b := NewSecret("x_", 16), NewSecret("x_", 16); a == b || len(a) < 20 {
		t.Errorf("secrets %q %q", a, b)
	}
}

func TestUserValidate(t *testing.T) {
	u := User{Username: " ok.user ", Role: Town, ScopeText: "region:330402001", Phone: "13800000000"}
	if err := u.Validate(); err != nil || u.Username != "ok.user" {
		t.Fatalf("valid user: %v", err)
	}
	for _, c := range []User{
		{Username: "x", Role: Town, ScopeText: "region:1"},
		{Username: "good", Role: "boss", ScopeText: "all"},
		{Username: "good", Role: Reviewer, ScopeText: "region:330402"},
		{Username: "good", Role: Town, ScopeText: "region:1", Phone: "call me"},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

// A principal holds what its role holds, except the permissions over the whole
// installation, which need a scope of everything.
func TestPrincipalCan(t *testing.T) {
	all, town := Scope{Kind: ScopeAll}, Scope{Kind: ScopeRegion, Region: "330402001"}
	for _, tc := range []struct {
		role  Role
		scope Scope
		perm  Permission
		want  bool
	}{
		{Admin, all, AuditAll, true},
		{Admin, town, AuditAll, false},
		{Admin, town, AuditObject, true},
		{Admin, town, UsersManage, true},
		{Admin, town, GateScan, true},
		{Command, Scope{Kind: ScopeRegion, Region: "330402"}, AuditAll, false},
		{Command, all, AuditAll, false}, // the role lacks it, whatever the scope
		{Town, town, AuditObject, true},
		{Guard, Scope{Kind: ScopeEnterprise, ID: 1}, GateScan, true},
		{Guard, Scope{Kind: ScopeEnterprise, ID: 1}, AuditAll, false},
		{Park, Scope{Kind: ScopePark, ID: 1}, RosterEdit, true},
		{Reviewer, Scope{Kind: ScopeDept, ID: 1}, AppsView, true},
		{Admin, Scope{}, AuditAll, false},
	} {
		p := Principal{Role: tc.role, Scope: tc.scope}
		if got := p.Can(tc.perm); got != tc.want {
			t.Errorf("%s scoped %s: Can(%s) = %v, want %v", tc.role, tc.scope, tc.perm, got, tc.want)
		}
	}
	// Every other permission follows the role alone.
	for _, r := range Roles {
		for _, perm := range rolePerms[r] {
			if perm == AuditAll {
				continue
			}
			if !(Principal{Role: r, Scope: town}).Can(perm) {
				t.Errorf("%s scoped %s lacks %s", r, town, perm)
			}
		}
	}
}
