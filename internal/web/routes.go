package web

import (
	"net/http"
	"strings"

	"fugong/internal/auth"
)

// handlerFunc is a handler that returns its error to the one place that maps errors to
// responses.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one entry of the route table: the whole surface of the server, each route with
// the permission it needs. The table doubles as the access matrix the tests walk and as
// the source of the OpenAPI document.
type Route struct {
	Method  string
	Path    string
	Perm    auth.Permission
	Summary string   // one line for the API document
	Query   []string // query parameters (API)
	Body    string   // request schema name (API), "" when none
	Resp    string   // response schema name (API)
	Upload  bool     // takes a multipart file
	Created bool     // success is 201 Created
	Quiet   bool     // busy, and each success is recorded in the database: logged at debug level
	h       handlerFunc
}

// pathParams names the route's path parameters ({id} …), in order.
func (rt Route) pathParams() []string {
	var names []string
	for _, m := range pathParamRE.FindAllStringSubmatch(rt.Path, -1) {
		names = append(names, m[1])
	}
	return names
}

// API reports whether the route belongs to the JSON API.
func (rt Route) API() bool { return strings.HasPrefix(rt.Path, "/api/") }

func (s *Server) routeTable() []Route {
	P := auth.Public
	L := auth.LoggedIn
	return []Route{
		// Public.
		{Method: "GET", Path: "/healthz", Perm: P, Summary: "Liveness and database check", Resp: "Health", h: s.healthz},
		{Method: "GET", Path: "/login", Perm: P, h: s.loginPage},
		{Method: "POST", Path: "/login", Perm: P, h: s.login},
		{Method: "POST", Path: "/lang", Perm: P, h: s.setLang},
		{Method: "GET", Path: "/api/v1/openapi.json", Perm: P, Summary: "This API's OpenAPI 3 document", Resp: "object", h: s.openAPI},

		// Signed in.
		{Method: "GET", Path: "/{$}", Perm: L, h: s.home},
		{Method: "POST", Path: "/logout", Perm: L, h: s.logout},
		{Method: "GET", Path: "/api/v1/me", Perm: L, Summary: "The signed-in user", Resp: "User", h: s.apiMe},
		{Method: "GET", Path: "/policy", Perm: auth.PolicyView, h: s.policyPage},
		{Method: "GET", Path: "/api/v1/policy", Perm: auth.PolicyView, Summary: "The local policy in force, with its version", Resp: "Policy", h: s.apiPolicy},

		// Jurisdictions.
		{Method: "GET", Path: "/regions", Perm: auth.RegionsView, h: s.regionsPage},
		{Method: "POST", Path: "/regions", Perm: auth.RegionsManage, h: s.regionSave},
		{Method: "GET", Path: "/regions/import", Perm: auth.RegionsManage, h: s.regionImportPage},
		{Method: "POST", Path: "/regions/import", Perm: auth.RegionsManage, Upload: true, h: s.regionImport},
		{Method: "GET", Path: "/regions/export", Perm: auth.RegionsView, h: s.regionExport},
		{Method: "GET", Path: "/api/v1/regions", Perm: auth.RegionsView, Summary: "List regions in scope (children of parent, or search q)", Query: []string{"parent", "q", "page", "size"}, Resp: "RegionList", h: s.apiRegions},
		{Method: "POST", Path: "/api/v1/regions", Perm: auth.RegionsManage, Summary: "Create or rename regions (all or none)", Body: "RegionBatch", Resp: "SaveResult", h: s.apiRegionsSave},
		{Method: "POST", Path: "/api/v1/regions/import", Perm: auth.RegionsManage, Summary: "Import regions from an .xlsx file (代码, 名称)", Upload: true, Resp: "SaveResult", h: s.apiRegionsImport},
		{Method: "GET", Path: "/parks", Perm: auth.RegionsView, h: s.parksPage},
		{Method: "POST", Path: "/parks", Perm: auth.RegionsManage, h: s.parkSave},
		{Method: "GET", Path: "/api/v1/parks", Perm: auth.RegionsView, Summary: "List parks in scope", Query: []string{"region", "q", "page", "size"}, Resp: "ParkList", h: s.apiParks},
		{Method: "POST", Path: "/api/v1/parks", Created: true, Perm: auth.RegionsManage, Summary: "Create a park", Body: "Park", Resp: "Park", h: s.apiParkCreate},
		{Method: "PATCH", Path: "/api/v1/parks/{id}", Perm: auth.RegionsManage, Summary: "Change a park", Body: "Park", Resp: "Park", h: s.apiParkUpdate},
		{Method: "GET", Path: "/departments", Perm: auth.RegionsView, h: s.departmentsPage},
		{Method: "POST", Path: "/departments", Perm: auth.RegionsManage, h: s.departmentSave},
		{Method: "GET", Path: "/api/v1/departments", Perm: auth.RegionsView, Summary: "List departments in scope", Query: []string{"region", "q", "page", "size"}, Resp: "DepartmentList", h: s.apiDepartments},
		{Method: "POST", Path: "/api/v1/departments", Created: true, Perm: auth.RegionsManage, Summary: "Create a department", Body: "Department", Resp: "Department", h: s.apiDepartmentCreate},
		{Method: "PATCH", Path: "/api/v1/departments/{id}", Perm: auth.RegionsManage, Summary: "Change a department", Body: "Department", Resp: "Department", h: s.apiDepartmentUpdate},

		// Accounts.
		{Method: "GET", Path: "/users", Perm: auth.UsersManage, h: s.usersPage},
		{Method: "GET", Path: "/users/new", Perm: auth.UsersManage, h: s.userNewPage},
		{Method: "POST", Path: "/users", Perm: auth.UsersManage, h: s.userCreate},
		{Method: "GET", Path: "/users/{id}", Perm: auth.UsersManage, h: s.userEditPage},
		{Method: "POST", Path: "/users/{id}", Perm: auth.UsersManage, h: s.userUpdate},
		{Method: "POST", Path: "/users/{id}/password", Perm: auth.UsersManage, h: s.userPassword},
		{Method: "POST", Path: "/users/{id}/tokens", Perm: auth.UsersManage, h: s.userToken},
		{Method: "POST", Path: "/users/{id}/tokens/{token_id}/revoke", Perm: auth.UsersManage, h: s.userTokenRevoke},
		{Method: "GET", Path: "/api/v1/users", Perm: auth.UsersManage, Summary: "List users", Query: []string{"q", "role", "page", "size"}, Resp: "UserList", h: s.apiUsers},
		{Method: "POST", Path: "/api/v1/users", Created: true, Perm: auth.UsersManage, Summary: "Create a user", Body: "UserCreate", Resp: "User", h: s.apiUserCreate},
		{Method: "GET", Path: "/api/v1/users/{id}/tokens", Perm: auth.UsersManage, Summary: "The API tokens of a user in scope, newest first: name, created, last used, expiry, revoked; never the secret", Query: []string{"page", "size"}, Resp: "TokenList", h: s.apiUserTokens},
		{Method: "POST", Path: "/api/v1/users/{id}/tokens", Created: true, Perm: auth.UsersManage, Summary: "Issue an API token for a user in scope: {name, expires} (90d when not given, at most 365d, or never); the secret is answered this once", Body: "TokenCreate", Resp: "NewToken", h: s.apiUserTokenCreate},
		{Method: "DELETE", Path: "/api/v1/users/{id}/tokens/{token_id}", Perm: auth.UsersManage, Summary: "Revoke one API token of a user in scope: refused at once from then on", Resp: "Token", h: s.apiUserTokenRevoke},

		// Enterprise registry.
		{Method: "GET", Path: "/enterprises", Perm: auth.EnterprisesView, h: s.enterprisesPage},
		{Method: "GET", Path: "/enterprises/new", Perm: auth.EnterprisesAdd, h: s.enterpriseNewPage},
		{Method: "POST", Path: "/enterprises", Perm: auth.EnterprisesAdd, h: s.enterpriseCreate},
		{Method: "GET", Path: "/enterprises/export", Perm: auth.EnterprisesXport, h: s.enterpriseExport},
		{Method: "GET", Path: "/enterprises/template", Perm: auth.EnterprisesAdd, h: s.enterpriseTemplate},
		{Method: "GET", Path: "/enterprises/import", Perm: auth.EnterprisesAdd, h: s.enterpriseImportPage},
		{Method: "POST", Path: "/enterprises/import", Perm: auth.EnterprisesAdd, Upload: true, h: s.enterpriseImportUpload},
		{Method: "GET", Path: "/imports/{id}", Perm: auth.LoggedIn, h: s.importJobPage},
		{Method: "GET", Path: "/enterprises/{id}", Perm: auth.EnterprisesView, h: s.enterprisePage},
		{Method: "GET", Path: "/enterprises/{id}/edit", Perm: auth.EnterprisesEdit, h: s.enterpriseEditPage},
		{Method: "POST", Path: "/enterprises/{id}", Perm: auth.EnterprisesEdit, h: s.enterpriseUpdate},
		{Method: "GET", Path: "/api/v1/enterprises", Perm: auth.EnterprisesView, Summary: "List enterprises in scope", Query: []string{"q", "region", "park", "category", "status", "page", "size"}, Resp: "EnterpriseList", h: s.apiEnterprises},
		{Method: "POST", Path: "/api/v1/enterprises", Created: true, Perm: auth.EnterprisesAdd, Summary: "Register an enterprise", Body: "Enterprise", Resp: "Enterprise", h: s.apiEnterpriseCreate},
		{Method: "GET", Path: "/api/v1/enterprises/export", Perm: auth.EnterprisesXport, Summary: "Export the enterprises in scope matching the filter as .xlsx", Query: []string{"q", "region", "park", "category", "status"}, Resp: "xlsx", h: s.enterpriseExport},
		{Method: "POST", Path: "/api/v1/enterprises/import", Perm: auth.EnterprisesAdd, Summary: "Import enterprises from .xlsx; nothing is written while any row is invalid unless valid_only=true", Query: []string{"valid_only"}, Upload: true, Resp: "ImportResult", h: s.apiEnterpriseImport},
		{Method: "GET", Path: "/api/v1/imports/{id}", Perm: auth.LoggedIn, Summary: "Progress and report of an import the caller started from a web page", Resp: "ImportJob", h: s.apiImportJob},
		{Method: "GET", Path: "/api/v1/enterprises/pick", Perm: auth.EnterprisesView, Summary: "Pick an enterprise: those in scope whose name or credit code begins with q (the newest when q is empty), by name, 50 a page", Query: []string{"q", "page"}, Resp: "EnterprisePickList", h: s.apiEnterprisePick},
		{Method: "GET", Path: "/api/v1/enterprises/{id}", Perm: auth.EnterprisesView, Summary: "One enterprise", Resp: "Enterprise", h: s.apiEnterprise},
		{Method: "PATCH", Path: "/api/v1/enterprises/{id}", Perm: auth.EnterprisesEdit, Summary: "Change fields of an enterprise; send version to guard against concurrent edits", Body: "EnterprisePatch", Resp: "Enterprise", h: s.apiEnterprisePatch},

		// Resumption applications.
		{Method: "GET", Path: "/applications", Perm: auth.AppsView, h: s.applicationsPage},
		{Method: "GET", Path: "/applications/export", Perm: auth.AppsView, h: s.applicationsExport},
		{Method: "GET", Path: "/applications/new", Perm: auth.AppsFile, h: s.applicationNewPage},
		{Method: "POST", Path: "/applications", Perm: auth.AppsFile, h: s.applicationCreate},
		{Method: "GET", Path: "/applications/{id}", Perm: auth.AppsView, h: s.applicationPage},
		{Method: "GET", Path: "/applications/{id}/edit", Perm: auth.AppsFile, h: s.applicationEditPage},
		{Method: "POST", Path: "/applications/{id}", Perm: auth.AppsFile, h: s.applicationUpdate},
		{Method: "POST", Path: "/applications/{id}/attachments", Perm: auth.AppsView, Upload: true, h: s.applicationAttach},
		{Method: "GET", Path: "/applications/{id}/files/{sha}", Perm: auth.AppsView, h: s.applicationFile},
		{Method: "POST", Path: "/applications/{id}/transitions", Perm: auth.AppsView, h: s.applicationTransition},
		{Method: "GET", Path: "/applications/{id}/inspect", Perm: auth.AppsView, h: s.inspectPage},
		{Method: "POST", Path: "/applications/{id}/inspect", Perm: auth.AppsView, Upload: true, h: s.inspectSubmit},
		{Method: "GET", Path: "/applications/{id}/acceptance-form", Perm: auth.AppsView, h: s.acceptanceFormPage},
		{Method: "GET", Path: "/api/v1/applications", Perm: auth.AppsView, Summary: "List applications in scope; mine=true lists the caller's queue in priority order", Query: []string{"status", "unit", "region", "q", "enterprise", "mine", "overdue", "page", "size"}, Resp: "ApplicationList", h: s.apiApplications},
		{Method: "POST", Path: "/api/v1/applications", Created: true, Perm: auth.AppsFile, Summary: "Start a draft application for an enterprise", Body: "Application", Resp: "Application", h: s.apiApplicationCreate},
		{Method: "GET", Path: "/api/v1/applications/{id}", Perm: auth.AppsView, Summary: "One application with its checks, available actions and history", Resp: "ApplicationDetail", h: s.apiApplication},
		{Method: "PATCH", Path: "/api/v1/applications/{id}", Perm: auth.AppsFile, Summary: "Change a draft or returned application; send version to guard against concurrent edits", Body: "Application", Resp: "Application", h: s.apiApplicationPatch},
		{Method: "POST", Path: "/api/v1/applications/{id}/submit", Perm: auth.AppsFile, Summary: "Submit: 422 with problems [{rule, message}] when the policy's checks fail", Resp: "Application", h: s.apiApplicationSubmit},
		{Method: "POST", Path: "/api/v1/applications/{id}/transitions", Perm: auth.AppsView, Summary: "Act on an application: {action, comment, version, inspection}", Body: "TransitionRequest", Resp: "TransitionResult", h: s.apiApplicationTransition},
		{Method: "POST", Path: "/api/v1/applications/{id}/attachments", Created: true, Perm: auth.AppsView, Summary: "Attach a file (multipart: file, material)", Upload: true, Resp: "Attachment", h: s.apiApplicationAttach},

		// Commuter buses and their letters.
		{Method: "GET", Path: "/buses", Perm: auth.AppsView, h: s.busesPage},
		{Method: "POST", Path: "/buses", Perm: auth.AppsFile, h: s.busCreate},
		{Method: "GET", Path: "/buses/export", Perm: auth.AppsView, h: s.busLettersExport},
		{Method: "POST", Path: "/buses/{id}/decision", Perm: auth.AppsView, h: s.busDecide},
		{Method: "POST", Path: "/buses/{id}/letter", Perm: auth.AppsView, h: s.busIssueLetter},
		{Method: "GET", Path: "/buses/{id}/letter", Perm: auth.NoticesView, h: s.busLetterPage},
		{Method: "GET", Path: "/buses/{id}/letter/qr.png", Perm: auth.NoticesView, h: s.busLetterQR},
		{Method: "GET", Path: "/api/v1/buses", Perm: auth.AppsView, Summary: "Commuter buses of the enterprises in scope", Query: []string{"enterprise", "status", "page", "size"}, Resp: "BusList", h: s.apiBuses},
		{Method: "POST", Path: "/api/v1/buses", Created: true, Perm: auth.AppsFile, Summary: "Register a commuter bus of an enterprise", Body: "Bus", Resp: "Bus", h: s.apiBusCreate},
		{Method: "POST", Path: "/api/v1/buses/{id}/decision", Perm: auth.AppsView, Summary: "Approve or refuse a bus: {approve, comment, version}", Body: "BusDecision", Resp: "Bus", h: s.apiBusDecide},
		{Method: "POST", Path: "/api/v1/buses/{id}/letter", Created: true, Perm: auth.AppsView, Summary: "Issue the numbered commuter-bus letter of an approved bus (street/town office)", Resp: "Bus", h: s.apiBusLetter},

		// Notices, verification, inbox.
		{Method: "GET", Path: "/notices/{id}", Perm: auth.NoticesView, h: s.noticePage},
		{Method: "GET", Path: "/notices/{id}/qr.png", Perm: auth.NoticesView, h: s.noticeQR},
		{Method: "GET", Path: "/verify", Perm: auth.Public, h: s.verifyPage},
		{Method: "GET", Path: "/api/v1/verify", Perm: auth.Public, Summary: "Verify a notice's signed token offline-style and report revocation", Query: []string{"token"}, Resp: "Verification", h: s.apiVerify},
		{Method: "GET", Path: "/api/v1/public-key", Perm: auth.Public, Summary: "The Ed25519 public key that verifies notices offline", Resp: "PublicKey", h: s.apiPublicKey},
		{Method: "GET", Path: "/inbox", Perm: auth.LoggedIn, h: s.inboxPage},
		{Method: "POST", Path: "/inbox/read", Perm: auth.LoggedIn, h: s.inboxRead},
		{Method: "GET", Path: "/api/v1/notifications", Perm: auth.LoggedIn, Summary: "The caller's notifications, newest first, with the unread count", Query: []string{"page", "size"}, Resp: "NotificationList", h: s.apiNotifications},

		// Roster.
		{Method: "GET", Path: "/roster", Perm: auth.RosterView, h: s.rosterPage},
		{Method: "GET", Path: "/roster/new", Perm: auth.RosterEdit, h: s.employeeNewPage},
		{Method: "POST", Path: "/roster", Perm: auth.RosterEdit, h: s.employeeCreate},
		{Method: "GET", Path: "/roster/export", Perm: auth.RosterView, h: s.rosterExport},
		{Method: "GET", Path: "/roster/template", Perm: auth.RosterEdit, h: s.rosterTemplate},
		{Method: "GET", Path: "/roster/import", Perm: auth.RosterEdit, h: s.rosterImportPage},
		{Method: "POST", Path: "/roster/import", Perm: auth.RosterEdit, Upload: true, h: s.rosterImportUpload},
		{Method: "GET", Path: "/employees/{id}", Perm: auth.RosterView, h: s.employeePage},
		{Method: "POST", Path: "/employees/{id}", Perm: auth.RosterEdit, h: s.employeeUpdate},
		{Method: "POST", Path: "/employees/{id}/leave", Perm: auth.RosterEdit, h: s.employeeLeave},
		{Method: "POST", Path: "/api/v1/employees/{id}/leave", Perm: auth.RosterEdit, Summary: "Record that an employee has left: the person's passes are revoked", Resp: "Employee", h: s.apiEmployeeLeave},
		{Method: "GET", Path: "/api/v1/employees", Perm: auth.RosterView, Summary: "The roster in scope with each person's quarantine clock and the counts; ID numbers masked", Query: []string{"q", "enterprise", "phase", "certificate", "page", "size"}, Resp: "EmployeeList", h: s.apiEmployees},
		{Method: "POST", Path: "/api/v1/employees", Created: true, Perm: auth.RosterEdit, Summary: "Add an employee to an enterprise's roster", Body: "EmployeeInput", Resp: "Employee", h: s.apiEmployeeCreate},
		{Method: "POST", Path: "/api/v1/employees/import", Perm: auth.RosterEdit, Summary: "Import a roster from .xlsx; nothing is written while any row is invalid unless valid_only=true", Query: []string{"enterprise", "valid_only"}, Upload: true, Resp: "ImportResult", h: s.apiEmployeeImport},
		{Method: "GET", Path: "/api/v1/employees/{id}", Perm: auth.RosterView, Summary: "One employee with the quarantine clock; the ID number in full only with roster.edit", Resp: "Employee", h: s.apiEmployee},
		{Method: "PATCH", Path: "/api/v1/employees/{id}", Perm: auth.RosterEdit, Summary: "Change fields of an employee; send version to guard against concurrent edits", Body: "EmployeeInput", Resp: "Employee", h: s.apiEmployeePatch},

		// Rooms, home grid certificates and the full-number export of the roster.
		{Method: "GET", Path: "/roster/rooms", Perm: auth.RosterView, h: s.roomsPage},
		{Method: "POST", Path: "/roster/rooms", Perm: auth.RosterEdit, h: s.roomAssign},
		{Method: "GET", Path: "/employees/{id}/certificate", Perm: auth.RosterView, h: s.certificateFile},
		{Method: "POST", Path: "/employees/{id}/certificate", Perm: auth.RosterEdit, Upload: true, h: s.certificateUpload},
		{Method: "GET", Path: "/api/v1/rooms", Perm: auth.RosterView, Summary: "Dormitory and isolation rooms with their occupants and the policy's capacity; who must isolate and has no isolation room first", Query: []string{"enterprise"}, Resp: "RoomBoard", h: s.apiRooms},
		{Method: "POST", Path: "/api/v1/employees/{id}/room", Perm: auth.RosterEdit, Summary: "Assign, move or clear a person's dormitory and isolation room: {dorm_room, isolation_room}; refused when the room is full under the policy", Body: "RoomAssignment", Resp: "Employee", h: s.apiEmployeeRoom},
		{Method: "GET", Path: "/api/v1/employees/{id}/certificate", Perm: auth.RosterView, Summary: "The home grid certificate (封闭期间情况证明) of an employee: the image or PDF itself", h: s.certificateFile},
		{Method: "PUT", Path: "/api/v1/employees/{id}/certificate", Perm: auth.RosterEdit, Summary: "Upload or replace the home grid certificate (multipart: file; an image or a PDF of at most 10 MB)", Upload: true, Resp: "Certificate", h: s.apiCertificatePut},
		{Method: "GET", Path: "/api/v1/employees/export", Perm: auth.RosterView, Summary: "Export the roster in scope matching the filter as .xlsx; ID numbers masked, in full with full=1 for roster.edit (audited)", Query: []string{"q", "enterprise", "phase", "certificate", "full"}, Resp: "xlsx", h: s.rosterExport},

		// Passes, health checks, gate.
		{Method: "GET", Path: "/passes", Perm: auth.RosterView, h: s.passesPage},
		{Method: "GET", Path: "/passes/export", Perm: auth.RosterView, h: s.passesExport},
		{Method: "POST", Path: "/passes", Perm: auth.RosterEdit, h: s.passRequest},
		{Method: "POST", Path: "/passes/approve", Perm: auth.PassesApprove, h: s.passApprove},
		{Method: "POST", Path: "/passes/suspend-missed", Perm: auth.PassesApprove, h: s.passSuspendMissed},
		{Method: "GET", Path: "/passes/{id}", Perm: auth.RosterView, h: s.passPage},
		{Method: "GET", Path: "/passes/{id}/qr.png", Perm: auth.RosterView, h: s.passQR},
		{Method: "POST", Path: "/passes/{id}/reactivate", Perm: auth.RosterView, h: s.passReactivate},
		{Method: "GET", Path: "/api/v1/passes", Perm: auth.RosterView, Summary: "Entry passes in scope, newest first", Query: []string{"enterprise", "status", "page", "size"}, Resp: "PassList", h: s.apiPasses},
		{Method: "POST", Path: "/api/v1/passes", Created: true, Perm: auth.RosterEdit, Summary: "Request passes for employees (all or none); needs a valid notice and a cleared or monitored person", Body: "PassRequest", Resp: "PassItems", h: s.apiPassRequest},
		{Method: "POST", Path: "/api/v1/passes/approve", Perm: auth.PassesApprove, Summary: "Approve a batch of requested passes and issue their signed tokens (all or none)", Body: "PassApproval", Resp: "PassItems", h: s.apiPassesApprove},
		{Method: "GET", Path: "/api/v1/passes/revoked", Perm: auth.GateScan, Summary: "Ids of passes in scope that must not open the gate, for offline gates", Resp: "RevokedPasses", h: s.apiPassesRevoked},
		{Method: "POST", Path: "/api/v1/passes/suspend-missed", Perm: auth.PassesApprove, Summary: "Suspend active passes of people with fewer checks than the policy's on a day", Body: "SuspendMissedRequest", Resp: "SuspendMissedResult", h: s.apiSuspendMissed},
		{Method: "POST", Path: "/api/v1/passes/{id}/approve", Perm: auth.PassesApprove, Summary: "Approve one requested pass and issue its signed token", Resp: "Pass", h: s.apiPassApprove},
		{Method: "POST", Path: "/api/v1/passes/{id}/reactivate", Perm: auth.RosterView, Summary: "Re-activate a suspended pass once its follow-up is closed, or renew an active one past its expiry: a new token with a new expiry", Resp: "Pass", h: s.apiPassReactivate},
		{Method: "POST", Path: "/api/v1/passes/{id}/revoke", Perm: auth.RosterEdit, Summary: "Revoke a pass for good, with the reason (left, manual)", Body: "PassRevoke", Resp: "Pass", h: s.apiPassRevoke},
		{Method: "GET", Path: "/health", Perm: auth.HealthRecord, h: s.healthPage},
		{Method: "POST", Path: "/health", Perm: auth.HealthRecord, h: s.healthRecord},
		{Method: "GET", Path: "/health/declare", Perm: auth.HealthDeclare, h: s.healthDeclareOrMe}, // a linked staff account goes to /me
		{Method: "POST", Path: "/health/declare", Perm: auth.HealthDeclare, h: s.healthDeclare},
		{Method: "POST", Path: "/health/followups/{id}", Perm: auth.RosterView, h: s.followUpClose},
		{Method: "POST", Path: "/api/v1/health-checks", Created: true, Quiet: true, Perm: auth.HealthDeclare, Summary: "Record one reading, or an array of readings (all or none); committed before the answer", Body: "HealthReadings", Resp: "HealthCheckResult", h: s.apiHealthChecks},
		{Method: "GET", Path: "/api/v1/health-checks/unchecked", Perm: auth.HealthRecord, Summary: "People with an active pass not checked enough today, and repeated declarations", Query: []string{"enterprise", "checkpoint"}, Resp: "UncheckedReport", h: s.apiUnchecked},
		{Method: "GET", Path: "/api/v1/health-followups", Perm: auth.RosterView, Summary: "Follow-ups opened by fevers and symptoms, a page of them, open ones first and then the newest", Query: []string{"open", "page", "size"}, Resp: "FollowUpList", h: s.apiFollowUps},
		{Method: "POST", Path: "/api/v1/health-followups/{id}/close", Perm: auth.RosterView, Summary: "Close a follow-up with its isolation, referral and outcome", Body: "FollowUpClose", Resp: "FollowUp", h: s.apiFollowUpClose},
		{Method: "GET", Path: "/gate", Perm: auth.GateScan, h: s.gatePage},
		{Method: "POST", Path: "/gate", Perm: auth.GateScan, h: s.gateScan},
		{Method: "POST", Path: "/gate/entries", Perm: auth.GateScan, h: s.gateRegister},
		{Method: "POST", Path: "/api/v1/gate/scan", Quiet: true, Perm: auth.GateScan, Summary: "Scan a pass at the gate: allowed or refused with the reason; a temperature is recorded as a check; every scan is logged", Body: "GateScan", Resp: "ScanResult", h: s.apiGateScan},
		{Method: "POST", Path: "/api/v1/gate/entries", Created: true, Perm: auth.GateScan, Summary: "Register a visitor or a vehicle at the gate", Body: "GateRegistration", Resp: "GateEntry", h: s.apiGateRegister},
		{Method: "GET", Path: "/api/v1/gate/entries", Perm: auth.GateScan, Summary: "Today's gate log, newest first", Query: []string{"enterprise"}, Resp: "GateEntryList", h: s.apiGateEntries},
		// The single entrance and QR photos at the gate (gate_pages.go, gate_api.go).
		{Method: "POST", Path: "/enterprises/{id}/entrance", Perm: auth.EnterprisesEdit, h: s.gateEntranceSave},
		{Method: "GET", Path: "/api/v1/enterprises/{id}/entrance", Perm: auth.EnterprisesView, Summary: "The enterprise's registered single entrance (entrance, \"\" until registered) and whether the policy asks for one (single_entrance)", Resp: "Entrance", h: s.apiEnterpriseEntrance},
		{Method: "POST", Path: "/api/v1/enterprises/{id}/entrance", Perm: auth.EnterprisesEdit, Summary: "Register the enterprise's single entrance: {entrance}; \"\" clears it. With the policy's single entrance, scans and registrations at any other checkpoint are refused", Body: "EntranceInput", Resp: "Entrance", h: s.apiEnterpriseEntranceSave},
		{Method: "POST", Path: "/api/v1/gate/decode", Perm: auth.GateScan, Summary: "Read the QR code of a photographed pass (multipart file: JPEG, PNG or GIF, at most 10 MB) → {token} to scan; 422 when no QR code is found", Upload: true, Resp: "GateScan", h: s.apiGateDecode},

		// My pass (我的出入证): a staff account linked to its own employee record, and the link.
		{Method: "GET", Path: "/me", Perm: auth.OwnPass, h: s.mePage},
		{Method: "POST", Path: "/me", Perm: auth.OwnPass, h: s.meDeclare},
		{Method: "GET", Path: "/me/pass.png", Perm: auth.OwnPass, h: s.mePassQR},
		{Method: "GET", Path: "/api/v1/me/pass", Perm: auth.OwnPass, Summary: "The staff account's own person: name, quarantine clock, current pass (with its token) and what the gate answers now, today's readings; linked=false when the account is linked to nobody", Resp: "MePass", h: s.apiMePass},
		{Method: "POST", Path: "/api/v1/me/health-checks", Created: true, Perm: auth.OwnPass, Summary: "Declare the staff account's own temperature: {temperature, symptoms}; a fever or a symptom suspends the pass", Body: "Declaration", Resp: "HealthCheck", h: s.apiMeDeclare},
		{Method: "POST", Path: "/employees/{id}/account", Perm: auth.RosterEdit, h: s.employeeAccountSave},
		{Method: "GET", Path: "/api/v1/employees/{id}/account", Perm: auth.RosterView, Summary: "The staff account linked to an employee and, with roster.edit, the enterprise's staff accounts free to link", Resp: "EmployeeAccount", h: s.apiEmployeeAccountGet},
		{Method: "POST", Path: "/api/v1/employees/{id}/account", Perm: auth.RosterEdit, Summary: "Link a staff account of the employee's enterprise to the employee: {user_id}; {user_id: null} unlinks", Body: "AccountLink", Resp: "EmployeeAccount", h: s.apiEmployeeAccount},
		{Method: "POST", Path: "/api/v1/employees/{id}/account/new", Created: true, Perm: auth.RosterEdit, Summary: "Open a staff account for the employee and link it; the generated password is answered this once", Body: "AccountCreate", Resp: "NewAccount", h: s.apiEmployeeAccountCreate},

		// Ledgers and daily reports.
		{Method: "GET", Path: "/ledgers", Perm: auth.LedgersView, h: s.ledgersIndex},
		{Method: "GET", Path: "/ledgers/{kind}", Perm: auth.LedgersView, h: s.ledgerList},
		{Method: "POST", Path: "/ledgers/{kind}", Perm: auth.LedgersEdit, h: s.ledgerAdd},
		{Method: "GET", Path: "/ledgers/{kind}/export", Perm: auth.LedgersView, h: s.ledgerExport},
		{Method: "GET", Path: "/reports/daily", Perm: auth.LedgersView, h: s.dailyReportsPage},
		{Method: "POST", Path: "/reports/daily/confirm", Perm: auth.LedgersEdit, h: s.dailyReportConfirm},
		{Method: "GET", Path: "/reports/daily/export", Perm: auth.LedgersView, h: s.dailyReportsExport},
		{Method: "GET", Path: "/api/v1/ledgers/{kind}", Perm: auth.LedgersView, Summary: "A ledger (disinfection, supplies, masks, training) of an enterprise, newest first; supplies add the stock and days of cover", Query: []string{"enterprise", "from", "to", "page", "size"}, Resp: "LedgerList", h: s.apiLedger},
		{Method: "POST", Path: "/api/v1/ledgers/{kind}", Created: true, Perm: auth.LedgersEdit, Summary: "Record a ledger entry (supplies: a negative quantity takes out of stock)", Body: "LedgerEntryInput", Resp: "LedgerEntry", h: s.apiLedgerAdd},
		{Method: "GET", Path: "/api/v1/reports/daily", Perm: auth.LedgersView, Summary: "Daily reports of the enterprises in scope on a day (confirmed, or computed now)", Query: []string{"date", "enterprise", "page", "size"}, Resp: "DailyReportList", h: s.apiDailyReports},
		{Method: "POST", Path: "/api/v1/reports/daily/confirm", Perm: auth.LedgersEdit, Summary: "Confirm an enterprise's daily report of a day, once (a zero report when nothing to report)", Body: "DailyReportConfirm", Resp: "DailyReport", h: s.apiDailyConfirm},

		// 包保 (responsibility): assignments, coverage, my enterprises and visits.
		{Method: "GET", Path: "/assignments", Perm: auth.AssignView, h: s.assignmentsPage},
		{Method: "POST", Path: "/assignments", Perm: auth.AssignManage, h: s.assignmentCreate},
		{Method: "POST", Path: "/assignments/bulk", Perm: auth.AssignManage, h: s.assignmentBulk},
		{Method: "GET", Path: "/assignments/export", Perm: auth.AssignView, h: s.assignmentExport},
		{Method: "POST", Path: "/assignments/import", Perm: auth.AssignManage, Upload: true, h: s.assignmentImport},
		{Method: "POST", Path: "/assignments/{id}/remove", Perm: auth.AssignManage, h: s.assignmentRemove},
		{Method: "GET", Path: "/coverage", Perm: auth.AssignView, h: s.coveragePage},
		{Method: "GET", Path: "/coverage/export", Perm: auth.AssignView, h: s.coverageExport},
		{Method: "GET", Path: "/mine", Perm: auth.VisitsLog, h: s.minePage},
		{Method: "POST", Path: "/visits", Perm: auth.VisitsLog, Upload: true, h: s.visitCreate},
		{Method: "GET", Path: "/visits/{id}/photos/{sha}", Perm: auth.VisitsLog, h: s.visitPhoto},
		{Method: "GET", Path: "/api/v1/assignments", Perm: auth.AssignView, Summary: "包保 assignments of enterprises in scope and the caller's own; current=true keeps those in force today", Query: []string{"q", "region", "enterprise", "duty", "user", "current", "page", "size"}, Resp: "AssignmentList", h: s.apiAssignments},
		{Method: "POST", Path: "/api/v1/assignments", Created: true, Perm: auth.AssignManage, Summary: "Assign officials to enterprises in scope (all or none), or one official in one duty to every enterprise of a selection", Body: "AssignmentBatch", Resp: "AssignmentResult", h: s.apiAssignmentsCreate},
		{Method: "GET", Path: "/api/v1/assignments/export", Perm: auth.AssignView, Summary: "Export the assignments matching the filter as .xlsx, the sheet the import reads", Query: []string{"q", "region", "enterprise", "duty", "user", "current"}, Resp: "xlsx", h: s.assignmentExport},
		{Method: "POST", Path: "/api/v1/assignments/import", Perm: auth.AssignManage, Summary: "Import assignments from .xlsx (统一社会信用代码, 包保职责, 账号 or 姓名, 电话, 单位/职务, 开始日期, 结束日期); nothing is written while any row is invalid: 422 with the problems per row", Upload: true, Resp: "SaveResult", h: s.apiAssignmentsImport},
		{Method: "DELETE", Path: "/api/v1/assignments/{id}", Perm: auth.AssignManage, Summary: "Withdraw an assignment of an enterprise in scope (kept for the record)", Resp: "Assignment", h: s.apiAssignmentDelete},
		{Method: "GET", Path: "/api/v1/coverage", Perm: auth.AssignView, Summary: "不漏一户、不落一企: enterprises in scope missing a duty the policy requires, counted by town, village, park or category (by default one level below the region looked at: by town for a county, by village for a town, by category for a village or a park)", Query: []string{"by", "q", "region", "park", "category", "status", "key"}, Resp: "Coverage", h: s.apiCoverage},
		{Method: "GET", Path: "/api/v1/my-enterprises", Perm: auth.VisitsLog, Summary: "The enterprises the caller is assigned to today, with status, notice, fevers and suspended passes today, the daily report and the last visit", Resp: "MyEnterpriseList", h: s.apiMyEnterprises},
		{Method: "GET", Path: "/api/v1/visits", Perm: auth.VisitsLog, Summary: "Visits to the enterprises the caller answers for, newest first; mine=true keeps the caller's own", Query: []string{"enterprise", "kind", "mine", "page", "size"}, Resp: "VisitList", h: s.apiVisits},
		{Method: "POST", Path: "/api/v1/visits", Created: true, Perm: auth.VisitsLog, Summary: "Log a visit to an enterprise the caller answers for (in scope or assigned)", Body: "Visit", Resp: "Visit", h: s.apiVisitCreate},
		{Method: "POST", Path: "/api/v1/visits/{id}/photos", Perm: auth.VisitsLog, Upload: true, Summary: "Add photos to a visit the caller logged (multipart: photo, one or more images of at most 10 MB; 6 a visit at most)", Resp: "Visit", h: s.apiVisitPhotos},

		// Alerts upward (预警): each recipient unit acknowledges.
		{Method: "GET", Path: "/alerts", Perm: auth.AlertsView, h: s.alertsPage},
		{Method: "GET", Path: "/alerts/export", Perm: auth.AlertsView, h: s.alertsExport},
		{Method: "POST", Path: "/alerts/{id}/ack", Perm: auth.AlertsView, h: s.alertAck},
		{Method: "GET", Path: "/api/v1/alerts", Perm: auth.AlertsView, Summary: "Alerts sent to the units of the policy the caller acts for, about enterprises in scope, newest first; open=true keeps those not acknowledged; names masked for roles that may not read rosters", Query: []string{"open", "kind", "page", "size"}, Resp: "AlertList", h: s.apiAlerts},
		{Method: "POST", Path: "/api/v1/alerts/{id}/ack", Perm: auth.AlertsView, Summary: "Acknowledge an alert for the caller's units that received it (once; 409 when already done)", Resp: "AlertItems", h: s.apiAlertAck},

		// The grid chain (网格审批): passes approved level by level where the policy says so.
		{Method: "GET", Path: "/grid", Perm: auth.GridDecide, h: s.gridPage},
		{Method: "POST", Path: "/grid/passes/{id}", Perm: auth.GridDecide, h: s.gridDecide},
		{Method: "POST", Path: "/grid/lists/{id}", Perm: auth.GridDecide, h: s.gridDecideList},
		{Method: "GET", Path: "/api/v1/grid", Perm: auth.GridDecide, Summary: "The policy's grid chains, the levels the caller holds and the requested passes waiting for them", Resp: "Grid", h: s.apiGrid},
		{Method: "POST", Path: "/api/v1/grid/passes/{id}", Perm: auth.GridDecide, Summary: "Decide on a requested pass as the caller's level of the grid chain: {approve, reason}; the levels decide from the lowest up, none for another; a refusal stops the pass; the last approval issues it", Body: "GridDecisionInput", Resp: "GridPass", h: s.apiGridDecide},
		{Method: "POST", Path: "/api/v1/grid/lists/{id}", Perm: auth.GridDecide, Summary: "Decide on an enterprise's returning staff list (返岗人员名单) as the caller's level: every requested pass of the enterprise {id} waiting for that level, approved or refused together ({approve, reason}); all or none", Body: "GridDecisionInput", Resp: "GridPasses", h: s.apiGridDecideList},

		// Audit trail.
		{Method: "GET", Path: "/audit", Perm: auth.AuditAll, h: s.auditPage},
		{Method: "GET", Path: "/audit/{type}/{id}", Perm: auth.AuditObject, h: s.auditObjectPage},
		{Method: "GET", Path: "/api/v1/audit", Perm: auth.AuditAll, Summary: "The global audit trail, newest first; for administrators whose scope is the whole installation (403 for a region's administrator)", Query: []string{"object_type", "object_id", "action", "page", "size"}, Resp: "AuditList", h: s.apiAudit},

		// Supervision after resumption: inspections and rectification orders
		// (inspections_*.go, rectifications_*.go).
		{Method: "GET", Path: "/supervision", Perm: auth.SupervisionView, h: s.inspectionsPage},
		{Method: "POST", Path: "/supervision", Perm: auth.SupervisionInspect, h: s.inspectionCreate},
		{Method: "GET", Path: "/supervision/export", Perm: auth.SupervisionView, h: s.inspectionsExport},
		{Method: "GET", Path: "/supervision/{id}", Perm: auth.SupervisionView, h: s.inspectionPage},
		{Method: "POST", Path: "/supervision/{id}/complete", Perm: auth.SupervisionInspect, Upload: true, h: s.inspectionComplete},
		{Method: "GET", Path: "/supervision/photos/{id}", Perm: auth.SupervisionView, h: s.supervisionPhoto},
		{Method: "GET", Path: "/rectifications", Perm: auth.SupervisionView, h: s.rectificationsPage},
		{Method: "GET", Path: "/rectifications/export", Perm: auth.SupervisionView, h: s.rectificationsExport},
		{Method: "GET", Path: "/rectifications/{id}", Perm: auth.SupervisionView, h: s.rectificationPage},
		{Method: "GET", Path: "/rectifications/{id}/notice", Perm: auth.SupervisionView, h: s.rectificationNotice},
		{Method: "POST", Path: "/rectifications/{id}/transitions", Perm: auth.SupervisionView, Upload: true, h: s.rectificationTransition},
		{Method: "GET", Path: "/api/v1/inspections", Perm: auth.SupervisionView, Summary: "Supervision inspections in scope (an enterprise never sees an unannounced visit before it is recorded)", Query: []string{"status", "kind", "unit", "result", "enterprise", "q", "page", "size"}, Resp: "InspectionList", h: s.apiInspections},
		{Method: "POST", Path: "/api/v1/inspections", Created: true, Perm: auth.SupervisionInspect, Summary: "Plan an inspection of an enterprise by a unit of its supervision split", Body: "InspectionPlan", Resp: "Inspection", h: s.apiInspectionCreate},
		{Method: "GET", Path: "/api/v1/inspections/due", Perm: auth.SupervisionInspect, Summary: "Resumed enterprises in the inspection plan, the overdue first", Query: []string{"overdue"}, Resp: "InspectionDueList", h: s.apiInspectionsDue},
		{Method: "GET", Path: "/api/v1/inspections/{id}", Perm: auth.SupervisionView, Summary: "An inspection with its checklist and the facts Fugong holds next to each item", Resp: "InspectionDetail", h: s.apiInspection},
		{Method: "PATCH", Path: "/api/v1/inspections/{id}", Perm: auth.SupervisionInspect, Summary: "Reschedule a planned inspection", Body: "InspectionPatch", Resp: "Inspection", h: s.apiInspectionPatch},
		{Method: "POST", Path: "/api/v1/inspections/{id}/complete", Perm: auth.SupervisionInspect, Summary: "Record the inspection; each failed item opens a numbered rectification order, 停产整顿 suspends the enterprise's notice", Body: "InspectionCompletion", Resp: "InspectionCompleted", h: s.apiInspectionComplete},
		{Method: "GET", Path: "/api/v1/rectifications", Perm: auth.SupervisionView, Summary: "Rectification orders in scope, the overdue first", Query: []string{"status", "overdue", "unit", "severity", "enterprise", "q", "page", "size"}, Resp: "RectificationList", h: s.apiRectifications},
		{Method: "GET", Path: "/api/v1/rectifications/{id}", Perm: auth.SupervisionView, Summary: "A rectification order", Resp: "Rectification", h: s.apiRectification},
		{Method: "POST", Path: "/api/v1/rectifications/{id}/transitions", Perm: auth.SupervisionView, Summary: "Respond (the enterprise), verify, return or escalate (the unit) an order", Body: "RectificationTransition", Resp: "Rectification", h: s.apiRectificationTransition},
		// The hazard register (hazards_*.go).
		{Method: "GET", Path: "/hazards", Perm: auth.SupervisionView, h: s.hazardsPage},
		{Method: "POST", Path: "/hazards", Perm: auth.SupervisionView, h: s.hazardCreate},
		{Method: "GET", Path: "/hazards/export", Perm: auth.SupervisionView, h: s.hazardsExport},
		{Method: "POST", Path: "/hazards/{id}/transitions", Perm: auth.SupervisionView, h: s.hazardTransition},
		{Method: "GET", Path: "/api/v1/hazards", Perm: auth.SupervisionView, Summary: "The hazard register in scope, open major hazards first", Query: []string{"status", "grade", "sector", "enterprise", "q", "page", "size"}, Resp: "HazardList", h: s.apiHazards},
		{Method: "POST", Path: "/api/v1/hazards", Created: true, Perm: auth.SupervisionView, Summary: "Register a hazard (a unit's inspection, or the enterprise's own check); a major one is reported at once", Body: "HazardRegistration", Resp: "Hazard", h: s.apiHazardCreate},
		{Method: "GET", Path: "/api/v1/hazards/{id}", Perm: auth.SupervisionView, Summary: "A hazard", Resp: "Hazard", h: s.apiHazard},
		{Method: "POST", Path: "/api/v1/hazards/{id}/transitions", Perm: auth.SupervisionView, Summary: "Rectify, accept, return or close a hazard", Body: "HazardTransition", Resp: "Hazard", h: s.apiHazardTransition},
		// Dashboard, statistics and the roll-up of daily reports (dashboard_pages.go, dashboard_api.go).
		{Method: "GET", Path: "/dashboard", Perm: auth.DashboardView, h: s.dashboardPage},
		{Method: "GET", Path: "/dashboard/export", Perm: auth.DashboardView, h: s.dashboardExport},
		{Method: "GET", Path: "/followups", Perm: auth.RosterView, h: s.followUpsPage},
		{Method: "GET", Path: "/followups/export", Perm: auth.RosterView, h: s.followUpsExport},
		{Method: "GET", Path: "/statistics/resumption", Perm: auth.DashboardView, h: s.statisticsPage},
		{Method: "GET", Path: "/statistics/resumption.xlsx", Perm: auth.DashboardView, h: s.writeStatistics},
		{Method: "GET", Path: "/statistics/filings.xlsx", Perm: auth.DashboardView, h: s.filingsExport},
		{Method: "GET", Path: "/api/v1/statistics/resumption", Perm: auth.DashboardView, Summary: "The 复工统计表 of a day: per region one level down and category, registered, filed, approved, resumed, workers back and on site; subtotals and the total last", Query: []string{"day", "region"}, Resp: "Statistics", h: s.apiStatistics},
		{Method: "GET", Path: "/api/v1/statistics/resumption.xlsx", Perm: auth.DashboardView, Summary: "The 复工统计表 of a day as .xlsx, as the clerk hands it in", Query: []string{"day", "region"}, Resp: "xlsx", h: s.writeStatistics},
		{Method: "GET", Path: "/registers/gate", Perm: auth.LedgersView, h: s.gateRegisterPage},
		{Method: "GET", Path: "/registers/gate/export", Perm: auth.LedgersView, h: s.gateRegisterExport},
		{Method: "GET", Path: "/registers/temperature", Perm: auth.LedgersView, h: s.temperatureRegisterPage},
		{Method: "GET", Path: "/registers/temperature/export", Perm: auth.LedgersView, h: s.temperatureRegisterExport},
		{Method: "GET", Path: "/api/v1/gate/register", Perm: auth.LedgersView, Summary: "The gate register (进出登记台账) of the enterprises in scope on a day, newest first, by checkpoint, enterprise and kind", Query: []string{"day", "checkpoint", "enterprise", "kind", "page", "size"}, Resp: "GateRegister", h: s.apiGateLog},
		{Method: "GET", Path: "/api/v1/health-checks/register", Perm: auth.LedgersView, Summary: "The temperature register (体温检测登记台账, commuter buses included) of the enterprises in scope on a day, newest first, by checkpoint and enterprise; fever=1 for fevers and symptoms only", Query: []string{"day", "checkpoint", "enterprise", "fever", "page", "size"}, Resp: "TemperatureRegister", h: s.apiTemperatureRegister},
		{Method: "GET", Path: "/reports/summary", Perm: auth.DashboardView, h: s.rollupPage},
		{Method: "POST", Path: "/reports/summary/confirm", Perm: auth.ReportsSummarize, h: s.rollupConfirm},
		{Method: "GET", Path: "/api/v1/daily-reports/summary", Perm: auth.DashboardView, Summary: "The daily reports of a level on a day rolled up (village → town → county): a line per level below, who has not reported, the level's own summary", Query: []string{"region", "day"}, Resp: "ReportRollup", h: s.apiRollup},
		{Method: "POST", Path: "/api/v1/daily-reports/summary/confirm", Perm: auth.ReportsSummarize, Summary: "Confirm the caller's own level's summary of the daily reports of a day, once (a note while some enterprise has not reported)", Body: "ReportSummaryConfirm", Resp: "ReportSummary", h: s.apiRollupConfirm},
		{Method: "GET", Path: "/api/v1/dashboard", Perm: auth.DashboardView, Summary: "The dashboard of the caller's scope: figures, resumption rates, breakdowns by region (one level down), park, category and reviewing unit, the 30-day trend; a region outside the scope answers 404", Query: []string{"region", "park", "category", "unit", "day"}, Resp: "Dashboard", h: s.apiDashboard},
		// The public's voice: tips (举报) without an account — the only anonymous routes
		// besides sign-in and verification — and their handling (tips_pages.go, tips_api.go).
		{Method: "GET", Path: "/report", Perm: P, h: s.reportPage},
		{Method: "POST", Path: "/report", Perm: P, Upload: true, h: s.reportSubmit},
		{Method: "GET", Path: "/report/receipt", Perm: P, h: s.reportReceipt},
		{Method: "GET", Path: "/api/v1/public/tips/form", Perm: P, Summary: "What sending a tip needs: a form token, the categories, the towns and the photo limits", Resp: "TipForm", h: s.apiTipForm},
		{Method: "GET", Path: "/api/v1/public/enterprises", Perm: P, Summary: "Registered enterprises by name, for a tip: at most ten, their name and town only", Query: []string{"q"}, Resp: "PublicEnterpriseList", h: s.apiPublicEnterprises},
		{Method: "POST", Path: "/api/v1/public/tips", Perm: P, Created: true, Upload: true, Summary: "Send a tip without an account (JSON, or a multipart form with photos); answers the receipt code, shown this once. 429 with Retry-After when the address, or everyone, has sent too many in an hour", Body: "TipInput", Resp: "TipReceipt", h: s.apiTipSubmit},
		{Method: "GET", Path: "/api/v1/public/tips/{receipt}", Perm: P, Summary: "What a receipt code shows: the status, the reason of a decline, the reply", Resp: "TipReceipt", h: s.apiTipReceipt},
		{Method: "GET", Path: "/tips", Perm: auth.TipsHandle, h: s.tipsPage},
		{Method: "GET", Path: "/tips/export", Perm: auth.TipsHandle, h: s.tipsExport},
		{Method: "GET", Path: "/tips/{id}", Perm: auth.TipsHandle, h: s.tipPage},
		{Method: "POST", Path: "/tips/{id}/transitions", Perm: auth.TipsHandle, h: s.tipTransition},
		{Method: "GET", Path: "/tips/{id}/photos/{sha}", Perm: auth.TipsHandle, h: s.tipPhoto},
		{Method: "GET", Path: "/api/v1/tips", Perm: auth.TipsHandle, Summary: "The tips the caller handles, open and late first, with the reporters' contacts", Query: []string{"status", "category", "q", "overdue", "page", "size"}, Resp: "TipList", h: s.apiTips},
		{Method: "GET", Path: "/api/v1/tips/{id}", Perm: auth.TipsHandle, Summary: "One tip the caller handles", Resp: "Tip", h: s.apiTip},
		{Method: "POST", Path: "/api/v1/tips/{id}/transitions", Perm: auth.TipsHandle, Summary: "Handle a tip: {action, comment, version, inspection}; its grouped duplicates follow", Body: "TipTransition", Resp: "Tip", h: s.apiTipTransition},
		{Method: "GET", Path: "/api/v1/tips/{id}/photos/{sha}", Perm: auth.TipsHandle, Summary: "A photo of a tip the caller handles: the image itself", h: s.tipPhoto},

		// The enterprises' voice: requests for help (诉求) (requests_pages.go, requests_api.go).
		{Method: "GET", Path: "/requests", Perm: auth.RequestsView, h: s.requestsPage},
		{Method: "POST", Path: "/requests", Perm: auth.RequestsRaise, h: s.requestCreate},
		{Method: "GET", Path: "/requests/export", Perm: auth.RequestsView, h: s.requestsExport},
		{Method: "GET", Path: "/requests/{id}", Perm: auth.RequestsView, h: s.requestPage},
		{Method: "POST", Path: "/requests/{id}/transitions", Perm: auth.RequestsView, h: s.requestTransition},
		{Method: "POST", Path: "/requests/{id}/attachments", Perm: auth.RequestsRaise, Upload: true, h: s.requestAttach},
		{Method: "GET", Path: "/requests/{id}/files/{sha}", Perm: auth.RequestsView, h: s.requestFile},
		{Method: "GET", Path: "/api/v1/requests", Perm: auth.RequestsView, Summary: "The requests on the caller's side: its enterprises' (raised by them or on their behalf) and those routed to its unit; open and late first", Query: []string{"status", "kind", "enterprise", "q", "overdue", "page", "size"}, Resp: "RequestList", h: s.apiRequests},
		{Method: "POST", Path: "/api/v1/requests", Created: true, Perm: auth.RequestsRaise, Summary: "Raise a request for an enterprise in scope, its own or on its behalf: routed by kind to the policy's unit, with its deadline", Body: "RequestInput", Resp: "Request", h: s.apiRequestCreate},
		{Method: "GET", Path: "/api/v1/requests/{id}", Perm: auth.RequestsView, Summary: "One request on the caller's side, with what the caller may do now", Resp: "Request", h: s.apiRequest},
		{Method: "POST", Path: "/api/v1/requests/{id}/transitions", Perm: auth.RequestsView, Summary: "Act on a request: {action, comment, unit, rating, version}: answer, transfer, escalate (the unit); confirm, reopen (the enterprise's side)", Body: "RequestTransition", Resp: "Request", h: s.apiRequestTransition},
		{Method: "POST", Path: "/api/v1/requests/{id}/attachments", Created: true, Perm: auth.RequestsRaise, Summary: "Attach a file to a request on the enterprise's side (multipart: file; at most 10 per request)", Upload: true, Resp: "Request", h: s.apiRequestAttach},

		// Published guidance (惠企政策, 十问十答, 须知), kept apart from the resumption notices
		// (guidance_pages.go, guidance_api.go). The public reads what is public.
		{Method: "GET", Path: "/guidance", Perm: P, h: s.guidancePage},
		{Method: "POST", Path: "/guidance", Perm: auth.GuidancePublish, h: s.guidancePublish},
		{Method: "GET", Path: "/guidance/{id}", Perm: P, h: s.guidanceItemPage},
		{Method: "POST", Path: "/guidance/{id}/read", Perm: L, h: s.guidanceRead},
		{Method: "POST", Path: "/guidance/{id}/files", Perm: auth.GuidancePublish, Upload: true, h: s.guidanceAttach},
		{Method: "GET", Path: "/guidance/{id}/files/{sha}", Perm: P, h: s.guidanceFile},
		{Method: "GET", Path: "/api/v1/public/guidance", Perm: P, Summary: "The public guidance in force, newest first", Query: []string{"kind", "q", "page", "size"}, Resp: "GuidanceList", h: s.apiPublicGuidance},
		{Method: "GET", Path: "/api/v1/public/guidance/{id}", Perm: P, Summary: "One public piece of guidance in force", Resp: "Guidance", h: s.apiPublicGuidanceItem},
		{Method: "GET", Path: "/api/v1/guidance", Perm: L, Summary: "The guidance the caller sees: an enterprise what concerns it and is in force; an official what touches its region", Query: []string{"kind", "q", "page", "size"}, Resp: "GuidanceList", h: s.apiGuidance},
		{Method: "POST", Path: "/api/v1/guidance", Created: true, Perm: auth.GuidancePublish, Summary: "Publish guidance for regions in scope", Body: "GuidanceInput", Resp: "Guidance", h: s.apiGuidancePublish},
		{Method: "GET", Path: "/api/v1/guidance/{id}", Perm: L, Summary: "One piece of guidance the caller sees", Resp: "Guidance", h: s.apiGuidanceItem},
		{Method: "POST", Path: "/api/v1/guidance/{id}/read", Perm: L, Summary: "Confirm, as an enterprise's account, that the enterprise has read guidance that asks it", Resp: "Guidance", h: s.apiGuidanceRead},

		// Appointments (预约服务) (appointments_pages.go, appointments_api.go).
		{Method: "GET", Path: "/appointments", Perm: auth.AppointmentsView, h: s.appointmentsPage},
		{Method: "GET", Path: "/appointments/export", Perm: auth.AppointmentsView, h: s.appointmentsExport},
		{Method: "POST", Path: "/appointments", Perm: auth.AppointmentsView, h: s.appointmentCreatePage},
		{Method: "POST", Path: "/appointments/slots", Perm: auth.AppointmentsManage, h: s.appointmentSlotCreate},
		{Method: "POST", Path: "/appointments/{id}/transitions", Perm: auth.AppointmentsView, h: s.appointmentTransitionPage},
		{Method: "GET", Path: "/api/v1/appointment-slots", Perm: auth.AppointmentsView, Summary: "The times to come offered on the caller's side: to an enterprise by the units over its region; an official's region's", Query: []string{"page", "size"}, Resp: "AppointmentSlotList", h: s.apiSlots},
		{Method: "POST", Path: "/api/v1/appointment-slots", Created: true, Perm: auth.AppointmentsManage, Summary: "Offer a time for on-site acceptance or the counter, in the caller's region", Body: "AppointmentInput", Resp: "AppointmentSlot", h: s.apiSlotCreate},
		{Method: "GET", Path: "/api/v1/appointments", Perm: auth.AppointmentsView, Summary: "The appointments on the caller's side, the latest first", Query: []string{"status", "page", "size"}, Resp: "AppointmentList", h: s.apiAppointments},
		{Method: "POST", Path: "/api/v1/appointments", Created: true, Perm: auth.AppointmentsView, Summary: "Book a slot (an enterprise's account: slot_id) or propose a time to an enterprise (a unit: enterprise_id, starts_at, ends_at)", Body: "AppointmentInput", Resp: "Appointment", h: s.apiAppointmentCreate},
		{Method: "POST", Path: "/api/v1/appointments/{id}/transitions", Perm: auth.AppointmentsView, Summary: "Act on an appointment: {action, comment, starts_at, ends_at, version}: accept, change, cancel, done, missed", Body: "AppointmentTransition", Resp: "Appointment", h: s.apiAppointmentTransition},
	}
}
