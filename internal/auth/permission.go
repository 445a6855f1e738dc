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
	PassesApprove    Permission = "passes.approve"     // approve (and so issue) entry passes of enterprises in scope; suspend for missed checks
	HealthRecord     Permission = "health.record"      // record temperatures at a checkpoint, see who is not checked yet
	HealthDeclare    Permission = "health.declare"     // declare one's own temperature (and all who may record)
	GateScan         Permission = "gate.scan"          // scan passes at the gate, register visitors and vehicles
	LedgersView      Permission = "ledgers.view"       // see the ledgers (台账) and daily reports (日报) of enterprises in scope
	LedgersEdit      Permission = "ledgers.edit"       // add ledger entries and confirm daily reports of enterprises in scope
	OwnPass          Permission = "me.pass"            // see one's own pass (我的出入证) and declare one's own temperature, as the employee the account is linked to

	// Supervision after resumption (督导检查, 整改, 隐患).
	SupervisionView    Permission = "supervision.view"    // see inspections, rectification orders and hazards in scope (an enterprise its own, never an unannounced visit before it is recorded)
	SupervisionInspect Permission = "supervision.inspect" // plan and record inspections for one's unit; verify, return and escalate orders; register and accept hazards
	SupervisionAnswer  Permission = "supervision.answer"  // answer one's own enterprise's rectification orders; report hazards of its own check (企业自查)
	// 包保 (responsibility).
	AssignView   Permission = "assign.view"   // see the 包保 assignments and the coverage (不漏一户、不落一企) of enterprises in scope
	AssignManage Permission = "assign.manage" // assign and withdraw officials for enterprises in scope, one by one, in bulk, by import
	VisitsLog    Permission = "visits.log"    // see one's own enterprises (我的包保企业) and log visits (走访记录) to those one answers for
	AlertsView   Permission = "alerts.view"   // read and acknowledge the alerts sent to the units of the policy one acts for
	GridDecide   Permission = "grid.decide"   // decide, as one's level of the policy's grid chain, on the passes waiting for it
	// The public's and the enterprises' voice (tips, requests, appointments, guidance).
	TipsHandle         Permission = "tips.handle"         // see and handle the public's tips (举报) in scope, with the reporter's contact
	RequestsView       Permission = "requests.view"       // see the requests on one's side (its enterprises', or routed to its unit) and act on them as the request's side allows
	RequestsRaise      Permission = "requests.raise"      // raise an enterprise's requests (诉求), its own or on its behalf, see them, confirm and rate the answers
	RequestsHandle     Permission = "requests.handle"     // answer, transfer and escalate the requests routed to one's unit in scope
	GuidancePublish    Permission = "guidance.publish"    // publish guidance (惠企政策, 十问十答, 须知) for regions in scope
	AppointmentsView   Permission = "appointments.view"   // see the slots and appointments on one's side; book and accept them for one's enterprise
	AppointmentsManage Permission = "appointments.manage" // publish slots, propose appointments, record them held or missed, for one's unit in scope
)

// Dashboard and statistics (the command's picture).
const (
	DashboardView    Permission = "dashboard.view"    // the dashboard, statistics tables and daily-report roll-up of the scope
	ReportsSummarize Permission = "reports.summarize" // confirm the scope's own summary of the daily reports (village → town → county)
)

// rolePerms is the role → permission matrix, the one table of who may do what. Each line
// after the first of a role adds a feature's permissions: supervision after resumption;
// 包保, alerts and the grid chain; the dashboard and the roll-up of daily reports; tips,
// requests, guidance and appointments. No role of an enterprise or a park handles tips:
// the reporter's contact never reaches them.
var rolePerms = map[Role][]Permission{
	Admin: {RegionsView, RegionsManage, UsersManage, EnterprisesView, EnterprisesEdit, EnterprisesAdd,
		EnterprisesXport, AuditAll, AuditObject, PolicyView, AppsView, NoticesView, RosterView, RosterEdit,
		PassesApprove, HealthRecord, HealthDeclare, GateScan, LedgersView, LedgersEdit,
		SupervisionView, SupervisionInspect,
		AssignView, AssignManage, VisitsLog, AlertsView,
		DashboardView,
		TipsHandle, RequestsView, RequestsHandle, GuidancePublish, AppointmentsView, AppointmentsManage},
	Command: {RegionsView, EnterprisesView, EnterprisesEdit, EnterprisesAdd, EnterprisesXport, AuditObject, PolicyView, AppsView, AppsFile,
		NoticesView, RosterView, LedgersView,
		SupervisionView, SupervisionInspect,
		AssignView, AssignManage, VisitsLog, AlertsView, GridDecide,
		DashboardView, ReportsSummarize,
		TipsHandle, RequestsView, RequestsRaise, RequestsHandle, GuidancePublish, AppointmentsView, AppointmentsManage},
	Reviewer: {RegionsView, EnterprisesView, EnterprisesXport, AuditObject, PolicyView, AppsView, AppsFile, NoticesView, LedgersView,
		SupervisionView, SupervisionInspect,
		AssignView, VisitsLog, AlertsView, GridDecide,
		DashboardView,
		TipsHandle, RequestsView, RequestsHandle, GuidancePublish, AppointmentsView, AppointmentsManage},
	Town: {RegionsView, EnterprisesView, EnterprisesEdit, EnterprisesAdd, EnterprisesXport, AuditObject, PolicyView, AppsView, AppsFile,
		NoticesView, RosterView, PassesApprove, LedgersView,
		SupervisionView, SupervisionInspect,
		AssignView, AssignManage, VisitsLog, AlertsView, GridDecide,
		DashboardView, ReportsSummarize,
		TipsHandle, RequestsView, RequestsRaise, RequestsHandle, GuidancePublish, AppointmentsView, AppointmentsManage},
	Grid: {RegionsView, EnterprisesView, EnterprisesXport, AuditObject, PolicyView, AppsView, AppsFile, NoticesView, RosterView,
		PassesApprove, LedgersView,
		SupervisionView, SupervisionInspect,
		AssignView, VisitsLog, AlertsView, GridDecide,
		DashboardView, ReportsSummarize,
		TipsHandle, RequestsView, RequestsRaise, RequestsHandle, AppointmentsView, AppointmentsManage},
	Park: {EnterprisesView, EnterprisesEdit, EnterprisesAdd, EnterprisesXport, AuditObject, PolicyView, AppsView, AppsFile, NoticesView,
		RosterView, RosterEdit, HealthRecord, HealthDeclare, LedgersView, LedgersEdit,
		SupervisionView, SupervisionInspect,
		AlertsView,
		DashboardView,
		RequestsView, RequestsRaise},
	Enterprise: {EnterprisesView, EnterprisesEdit, AuditObject, PolicyView, AppsView, AppsFile, NoticesView, RosterView, RosterEdit,
		HealthRecord, HealthDeclare, GateScan, LedgersView, LedgersEdit,
		SupervisionView, SupervisionAnswer,
		RequestsView, RequestsRaise, AppointmentsView},
	Staff: {EnterprisesView, PolicyView, NoticesView, HealthDeclare, OwnPass},
	Guard: {EnterprisesView, NoticesView, HealthRecord, HealthDeclare, GateScan},
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

// wholeInstallation are the permissions that reach past every scope: only a principal
// whose scope is the whole installation holds them, whatever its role. The global audit
// trail is one: its rows name objects of every region, and a region's administrator
// reads the trails of the objects and accounts in its scope instead (audit.object).
var wholeInstallation = map[Permission]bool{AuditAll: true}

// Can reports whether the principal holds permission p: its role holds it and, for a
// permission over the whole installation, its scope is everything.
func (p Principal) Can(perm Permission) bool {
	return Can(p.Role, perm) && (!wholeInstallation[perm] || p.Scope.Kind == ScopeAll)
}
