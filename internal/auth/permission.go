package auth

// Permission names an action a route or use case needs. Scope narrows further what
// objects the action reaches; that is enforced in the store's queries.
type Permission string

const (
	Public           Permission = "public"             // no login needed
	LoggedIn         Permission = "logged_in"          // any signed-in user
	RegionsView      Permission = "regions.view"       // see regions, parks, departments
	RegionsManage    Permission = "regions.manage"     // create/edit/import regions, parks, departments
	UsersManage      Permission = "users.manage"       // create/edit/disable users and tokens
	EnterprisesView  Permission = "enterprises.view"   // list and read enterprises in scope
	EnterprisesEdit  Permission = "enterprises.edit"   // edit an enterprise in scope
	EnterprisesAdd   Permission = "enterprises.add"    // register enterprises, import
	EnterprisesXport Permission = "enterprises.export" // export the list in scope
	AuditAll         Permission = "audit.all"          // the global audit trail
	AuditObject      Permission = "audit.object"       // an object's own trail (object in scope)
	PolicyView       Permission = "policy.view"        // read the policy in force
	AppsView         Permission = "applications.view"  // see applications in scope and act on them as the policy allows
	AppsFile         Permission = "applications.file"  // start and edit applications (own, or on an enterprise's behalf)
	NoticesView      Permission = "notices.view"       // see and print notices of enterprises in scope
	RosterView       Permission = "roster.view"        // see the rosters (花名册) of enterprises in scope, ID numbers masked
	RosterEdit       Permission = "roster.edit"        // add, edit and import employees of enterprises in scope
)

var rolePerms = map[Role][]Permission{
	Admin: {RegionsView, RegionsManage, UsersManage, EnterprisesView, EnterprisesEdit, EnterprisesAdd,
		EnterprisesXport, AuditAll, AuditObject, PolicyView, AppsView, AppsFile, NoticesView, RosterView, RosterEdit},
	Command:    {RegionsView, EnterprisesView, EnterprisesEdit, EnterprisesAdd, EnterprisesXport, AuditObject, PolicyView, AppsView, AppsFile, NoticesView, RosterView},
	Reviewer:   {RegionsView, EnterprisesView, EnterprisesXport, AuditObject, PolicyView, AppsView, AppsFile, NoticesView},
	Town:       {RegionsView, EnterprisesView, EnterprisesEdit, EnterprisesAdd, EnterprisesXport, AuditObject, PolicyView, AppsView, AppsFile, NoticesView, RosterView},
	Grid:       {RegionsView, EnterprisesView, EnterprisesXport, AuditObject, PolicyView, AppsView, AppsFile, NoticesView, RosterView},
	Park:       {EnterprisesView, EnterprisesEdit, EnterprisesAdd, EnterprisesXport, AuditObject, PolicyView, AppsView, AppsFile, NoticesView, RosterView, RosterEdit},
	Enterprise: {EnterprisesView, EnterprisesEdit, AuditObject, PolicyView, AppsView, AppsFile, NoticesView, RosterView, RosterEdit},
	Staff:      {EnterprisesView, PolicyView, NoticesView},
	Guard:      {EnterprisesView, NoticesView},
}

// Can reports whether role r holds permission p.
func Can(r Role, p Permission) bool {
	switch p {
	case Public:
		return true
	case LoggedIn:
		return r != ""
	}
	for _, q := range rolePerms[r] {
		if q == p {
			return true
		}
	}
	return false
}

// Can reports whether the principal holds permission p.
func (p Principal) Can(perm Permission) bool { return Can(p.Role, perm) }
