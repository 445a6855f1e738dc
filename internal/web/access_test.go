package web_test

import (
	"cmp"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/notice"
	"fugong/internal/web"
)

// The access matrix: every route of the table, as every role and as an anonymous
// caller, must answer what the route's permission says — and never a server error.

// missingJob is an id no object of the world has (import jobs, and applications or notices
// when the test made none): its routes answer 404.
const missingJob = 999999

// matrixObjects are the objects the matrix puts into path parameters.
type matrixObjects struct {
	enterprise  int64  // entA for the matrix, entB for the foreign-scope pass
	user        int64  // a user of town A made for the matrix, so that no role's own account is edited
	application int64  // an approved application of entA (appApproved); 0 for one that does not exist
	sha         string // the digest of an attachment of that application
	notice      int64  // the notice issued on it; 0 for one that does not exist
	bus         int64  // a commuter bus of entA; 0 for one that does not exist
	employee    int64  // an employee of entA; 0 for one that does not exist
	pass        int64  // a pass; 0 for one that does not exist
	followUp    int64  // a health follow-up; 0 for one that does not exist
	park        int64  // a park; 0 for park A
	department  int64  // a department; 0 for department A
	token       int64  // an API token of the matrix user; 0 for one that does not exist
	inspection  int64  // a recorded inspection of entA; 0 for one that does not exist
	order       int64  // a rectification order it opened; 0 for one that does not exist
	hazard      int64  // a hazard of entA; 0 for one that does not exist
	assignment  int64  // a 包保 assignment of the enterprise; 0 for one that does not exist
	visit       int64  // a visit to the enterprise; 0 for one that does not exist
	alert       int64  // an alert about the enterprise; 0 for one that does not exist
	tip         int64  // a tip from the public; 0 for one that does not exist
	receipt     string // the receipt code of a tip; "" for one that names none
	request     int64  // an enterprise's request; 0 for one that does not exist
	guidance    int64  // published guidance; 0 for one that does not exist
	appointment int64  // an appointment; 0 for one that does not exist
}

// concretePath fills the route's path parameters with objects of the seeded world. A
// parameter the test does not know fails the test: a new route must be taught here,
// not skipped.
func (w *world) concretePath(t *testing.T, rt web.Route, o matrixObjects) string {
	t.Helper()
	p := strings.Replace(rt.Path, "{$}", "", 1)
	p = strings.Replace(p, "{type}/{id}", "enterprise/"+itoa(o.enterprise), 1)
	sha := o.sha
	if sha == "" {
		sha = strings.Repeat("0", 64)
	}
	p = strings.Replace(p, "{sha}", sha, 1)
	p = strings.Replace(p, "{kind}", "disinfection", 1)
	p = strings.Replace(p, "{token_id}", itoa(cmp.Or(o.token, missingJob)), 1)
	p = strings.Replace(p, "{receipt}", cmp.Or(o.receipt, "ABCDE-FGHJK"), 1)
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if s != "{id}" {
			continue
		}
		var id int64
		switch noun := segs[i-1]; noun {
		case "enterprises", "lists":
			id = o.enterprise
		case "parks":
			id = cmp.Or(o.park, w.parkA)
		case "departments":
			id = cmp.Or(o.department, w.deptA)
		case "users":
			id = o.user
		case "imports":
			id = missingJob
		case "applications":
			id = cmp.Or(o.application, missingJob)
		case "notices":
			id = cmp.Or(o.notice, missingJob)
		case "buses":
			id = cmp.Or(o.bus, missingJob)
		case "employees":
			id = cmp.Or(o.employee, missingJob)
		case "passes":
			id = cmp.Or(o.pass, missingJob)
		case "followups", "health-followups":
			id = cmp.Or(o.followUp, missingJob)
		case "inspections", "supervision":
			id = cmp.Or(o.inspection, missingJob)
		case "rectifications":
			id = cmp.Or(o.order, missingJob)
		case "hazards":
			id = cmp.Or(o.hazard, missingJob)
		case "photos":
			id = missingJob
		case "assignments":
			id = cmp.Or(o.assignment, missingJob)
		case "visits":
			id = cmp.Or(o.visit, missingJob)
		case "alerts":
			id = cmp.Or(o.alert, missingJob)
		case "tips":
			id = cmp.Or(o.tip, missingJob)
		case "requests":
			id = cmp.Or(o.request, missingJob)
		case "guidance":
			id = cmp.Or(o.guidance, missingJob)
		case "appointments":
			id = cmp.Or(o.appointment, missingJob)
		default:
			t.Fatalf("%s %s: the access test has no object for {id} after %q; add one", rt.Method, rt.Path, noun)
		}
		segs[i] = itoa(id)
	}
	p = strings.Join(segs, "/")
	if strings.ContainsAny(p, "{}") {
		t.Fatalf("%s %s: the access test cannot fill the path parameters of %q; add them", rt.Method, rt.Path, p)
	}
	return p
}

// matrixUser is a user in town A for the /users/{id} routes: the matrix posts empty forms
// to them, which must not touch the accounts the test signs in with.
func (w *world) matrixUser(t *testing.T) int64 {
	t.Helper()
	u, err := w.db.CreateUser(w.ctx, auth.System, auth.User{Username: "matrix-target", DisplayName: "矩阵目标", Role: auth.Grid,
		ScopeText: "region:330402001001"}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// reply is what the matrix looks at in an answer.
type reply struct {
	status   int
	location string
	body     string
}

func (r reply) String() string {
	b := r.body
	if len(b) > 300 {
		b = b[:300] + "…"
	}
	if r.location != "" {
		return strconv.Itoa(r.status) + " → " + r.location
	}
	return strconv.Itoa(r.status) + " " + strings.TrimSpace(b)
}

// send makes one request with client c (which must not follow redirects).
func (w *world) send(t *testing.T, c *http.Client, method, path string, header http.Header, body string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, w.ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(b)}
}

// noRedirects is a client without cookies that shows redirects instead of following them.
func noRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// callAPI calls an API route with role's token ("" for none), sending {} as the body of
// POST and PATCH.
func (w *world) callAPI(t *testing.T, role auth.Role, method, path string) reply {
	t.Helper()
	h := http.Header{}
	body := ""
	if method == http.MethodPost || method == http.MethodPatch {
		h.Set("Content-Type", "application/json")
		body = "{}"
	}
	if role != "" {
		h.Set("Authorization", "Bearer "+w.tokens[role])
	}
	return w.send(t, noRedirects(), method, path, h, body)
}

// callPage requests a page as browser b would: GET, or POST of form from the same origin.
func (w *world) callPage(t *testing.T, c *http.Client, method, path string, form url.Values) reply {
	t.Helper()
	if method == http.MethodGet {
		return w.send(t, c, method, path, nil, "")
	}
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("Origin", w.ts.URL)
	h.Set("Sec-Fetch-Site", "same-origin")
	return w.send(t, c, method, path, h, form.Encode())
}

// workflowRoles are routes whose handlers let fewer roles act than the route's permission
// admits: the workflow's own rules (who decides on a bus, who issues its letter) refuse the
// others with 403, which the matrix then expects.
var workflowRoles = map[string][]auth.Role{
	"POST /buses/{id}/decision":          {auth.Reviewer, auth.Town, auth.Command, auth.Admin},
	"POST /api/v1/buses/{id}/decision":   {auth.Reviewer, auth.Town, auth.Command, auth.Admin},
	"POST /buses/{id}/letter":            {auth.Town, auth.Admin},
	"POST /api/v1/buses/{id}/letter":     {auth.Town, auth.Admin},
	"POST /reports/daily/confirm":        {auth.Enterprise, auth.Admin},
	"POST /api/v1/reports/daily/confirm": {auth.Enterprise, auth.Admin},
	"POST /guidance/{id}/read":           {auth.Enterprise},
	"POST /api/v1/guidance/{id}/read":    {auth.Enterprise},
}

// workflowRefuses reports whether the workflow refuses role on the route although the
// role holds the route's permission.
func workflowRefuses(rt web.Route, role auth.Role) bool {
	acting, ok := workflowRoles[rt.Method+" "+rt.Path]
	return ok && !slices.Contains(acting, role)
}

func roleName(r auth.Role) string {
	if r == "" {
		return "anonymous"
	}
	return string(r)
}

func TestAccessMatrix(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		walk := w.appApproved(t)
		bus, err := w.db.Buses().Add(w.ctx, w.users[auth.Enterprise].Principal(), notice.Bus{EnterpriseID: w.entA, Plate: "浙F12345", Route: "城区—厂区", Seats: 30, Driver: "王师傅"})
		if err != nil {
			t.Fatal(err)
		}
		objs := matrixObjects{enterprise: w.entA, user: w.matrixUser(t), application: walk.ID, sha: walk.SHA, notice: walk.Notice, bus: bus.ID,
			employee: w.employee(t, "矩阵员工", 1)}
		objs.inspection, objs.order = w.inspected(t)
		objs.hazard = w.hazardOf(t, w.users[auth.Town].Principal(), w.entA)
		tok, _, err := w.db.IssueToken(w.ctx, auth.System, objs.user, "matrix", nil)
		if err != nil {
			t.Fatal(err)
		}
		objs.token = tok.ID
		objs.tip, objs.receipt = w.tip(t, w.entA, "矩阵举报:宿舍住了八个人")
		objs.request = w.request(t, w.entA, "矩阵诉求:货车进不来")
		objs.guidance = w.guidance(t, w.townA, "矩阵须知")
		objs.appointment = w.appointment(t)
		clients := map[auth.Role]*http.Client{"": noRedirects()}
		for _, role := range auth.Roles {
			clients[role] = w.login(role).c
		}
		principals := append([]auth.Role{""}, auth.Roles...)
		checked := 0
		for _, rt := range w.srv.Routes() {
			path := w.concretePath(t, rt, objs)
			for _, role := range principals {
				var got reply
				switch {
				case rt.API():
					got = w.callAPI(t, role, rt.Method, path)
				case rt.Method == http.MethodPost && rt.Path == "/logout":
					// Signing out ends the session the rest of the matrix uses: sign out
					// a fresh session instead, and check that it is really gone.
					c := clients[""]
					if role != "" {
						c = w.login(role).c
					}
					got = w.callPage(t, c, rt.Method, path, url.Values{})
					if role != "" && got.status == http.StatusSeeOther {
						if after := w.callPage(t, c, http.MethodGet, "/", nil); after.status != http.StatusSeeOther || !strings.HasPrefix(after.location, "/login") {
							t.Errorf("after POST /logout as %s, GET / answers %s; want a redirect to /login", role, after)
						}
					}
				case rt.Method == http.MethodPost && rt.Path == "/login":
					// An empty form is a wrong password (401 by design, and counted
					// towards locking the account): sign in for real, on a cookie-less
					// client so that no session of the matrix changes. Anonymous callers
					// use the guard's account.
					who := role
					if who == "" {
						who = auth.Guard
					}
					got = w.callPage(t, noRedirects(), rt.Method, path, url.Values{"username": {string(who)}, "password": {testPassword}})
				default:
					got = w.callPage(t, clients[role], rt.Method, path, url.Values{})
				}
				checked++
				who := roleName(role)
				switch {
				case role == "" && rt.Perm != auth.Public:
					if !rt.API() && rt.Method == http.MethodGet {
						if got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, "/login?next=") {
							t.Errorf("%s %s as %s: %s; want 303 to /login", rt.Method, path, who, got)
						}
					} else if got.status != http.StatusUnauthorized {
						t.Errorf("%s %s as %s: %s; want 401", rt.Method, path, who, got)
					}
				case !auth.Can(role, rt.Perm):
					if got.status != http.StatusForbidden {
						t.Errorf("%s %s as %s (lacks %s): %s; want 403", rt.Method, path, who, rt.Perm, got)
					}
				case workflowRefuses(rt, role):
					if got.status != http.StatusForbidden {
						t.Errorf("%s %s as %s (the workflow lets only %v act): %s; want 403", rt.Method, path, who, workflowRoles[rt.Method+" "+rt.Path], got)
					}
				default:
					if got.status == http.StatusUnauthorized || got.status == http.StatusForbidden || got.status >= 500 {
						t.Errorf("%s %s as %s (holds %s): %s; want neither 401/403 nor 5xx", rt.Method, path, who, rt.Perm, got)
					}
				}
			}
		}
		if want := len(w.srv.Routes()) * len(principals); checked != want {
			t.Fatalf("checked %d (route, principal) pairs, want %d", checked, want)
		}
	})
}

// scopeCovers reports whether a user of the seeded world reaches objects in town B: only
// a scope of everything or of a region above town B does; departments, parks and
// enterprises of the world are all in town A.
func (w *world) scopeCovers(role auth.Role) bool {
	s := w.users[role].Scope
	switch s.Kind {
	case auth.ScopeAll:
		return true
	case auth.ScopeRegion:
		return strings.HasPrefix(w.townB, s.Region)
	}
	return false
}

// foreignScopeBodies are the bodies of API routes of the foreign-scope pass that refuse {}
// as changing nothing (422, whatever the scope): each changes something.
var foreignScopeBodies = map[string]string{
	"PATCH /api/v1/enterprises/{id}":         `{"legal_rep": "张三"}`,
	"POST /api/v1/enterprises/{id}/entrance": `{"entrance": ""}`,
}

// TestAccessForeignScope: the routes that take an enterprise answer 404 for an enterprise
// outside the caller's scope (as if it did not exist), to every role that holds the
// route's permission; roles whose scope covers it (the administrator, the county command)
// reach it.
func TestAccessForeignScope(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		objs := matrixObjects{enterprise: w.entB, user: w.matrixUser(t)}
		clients := map[auth.Role]*http.Client{}
		for _, role := range auth.Roles {
			clients[role] = w.login(role).c
		}
		// These must be among the routes checked; a rename must not make the pass empty.
		want := map[string]bool{
			"GET /api/v1/enterprises/{id}": false, "PATCH /api/v1/enterprises/{id}": false, "GET /enterprises/{id}": false,
			"GET /enterprises/{id}/edit": false, "POST /enterprises/{id}": false, "GET /audit/{type}/{id}": false,
		}
		inside, covering := 0, 0
		for _, rt := range w.srv.Routes() {
			if !strings.Contains(rt.Path, "/enterprises/{id}") && rt.Path != "/audit/{type}/{id}" {
				continue
			}
			want[rt.Method+" "+rt.Path] = true
			path := w.concretePath(t, rt, objs)
			for _, role := range auth.Roles {
				if !auth.Can(role, rt.Perm) {
					continue // 403, checked by the matrix
				}
				var got reply
				if body, ok := foreignScopeBodies[rt.Method+" "+rt.Path]; ok {
					h := http.Header{"Authorization": {"Bearer " + w.tokens[role]}, "Content-Type": {"application/json"}}
					got = w.send(t, noRedirects(), rt.Method, path, h, body)
				} else if rt.API() {
					got = w.callAPI(t, role, rt.Method, path)
				} else {
					got = w.callPage(t, clients[role], rt.Method, path, url.Values{})
				}
				switch {
				case !w.scopeCovers(role):
					inside++
					if got.status != http.StatusNotFound {
						t.Errorf("%s %s (enterprise of town B) as %s scoped %s: %s; want 404", rt.Method, path, role, w.users[role].ScopeText, got)
					}
				default:
					covering++
					ok := http.StatusOK
					if rt.Method == http.MethodPost && !rt.API() {
						ok = http.StatusSeeOther // the form saves and goes to the enterprise's page
					}
					if got.status != ok {
						t.Errorf("%s %s (enterprise of town B) as %s scoped %s: %s; want %d", rt.Method, path, role, w.users[role].ScopeText, got, ok)
					}
				}
			}
		}
		for route, seen := range want {
			if !seen {
				t.Errorf("route %s is gone from the table: update the foreign-scope pass", route)
			}
		}
		if inside == 0 || covering == 0 {
			t.Fatalf("foreign-scope pass checked %d town-A-scoped and %d covering (role, route) pairs; want both", inside, covering)
		}
		if !w.scopeCovers(auth.Admin) {
			t.Fatal("the administrator's scope should cover town B")
		}
	})
}
