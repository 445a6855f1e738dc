package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/internal/alert"
	"fugong/internal/assign"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/health"
	"fugong/internal/notice"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/web"
)

// The access matrix by scope: the world's principals and administrators of regions,
// departments and parks of both towns, against the objects of three parts of the world —
// A (enterprise A in park A of town A, with an approved application, its notice, a pass
// and a follow-up), B (enterprise B in park B of town B) and C (an enterprise of town A
// outside park A). Every route answers each principal without a server error; a
// principal whose scope does not reach a part gets 404 or 403 for that part's objects,
// and no answer to it ever holds that part's data.

// scopePart is one part of the world: its objects, and text only its data holds.
type scopePart struct {
	name    string
	objs    matrixObjects
	region  string // a region of the part only (its objects' region), "" when none
	token   string // the token of a pass of the part, "" when none
	markers []string
}

// scopePrincipal is a caller of the scope matrix.
type scopePrincipal struct {
	name   string
	p      auth.Principal
	token  string
	c      *http.Client
	covers string // the parts its scope reaches
}

// callScoped calls a route as sp: the API with sp's token and a JSON body, a page with
// sp's session and a form.
func (w *world) callScoped(t *testing.T, sp scopePrincipal, rt web.Route, path string, body map[string]any) reply {
	t.Helper()
	if !rt.API() {
		c := sp.c
		switch {
		case rt.Method == http.MethodPost && rt.Path == "/logout":
			c = w.loginAs(sp.p.Username, testPassword).c // keep the session of the matrix
		case rt.Method == http.MethodPost && rt.Path == "/login":
			return w.callPage(t, noRedirects(), rt.Method, path, url.Values{"username": {sp.p.Username}, "password": {testPassword}})
		}
		form := url.Values{}
		for k, v := range body {
			switch v := v.(type) {
			case []int64:
				for _, id := range v {
					form.Add(k, itoa(id))
				}
			default:
				form.Set(k, strings.Trim(strings.ReplaceAll(jsonText(v), `"`, ""), "[]"))
			}
		}
		return w.callPage(t, c, rt.Method, path, form)
	}
	h := http.Header{"Authorization": {"Bearer " + sp.token}}
	text := ""
	if rt.Method == http.MethodPost || rt.Method == http.MethodPatch || rt.Method == http.MethodPut {
		h.Set("Content-Type", "application/json")
		text = "{}" // no body to send: an empty object (a JSON null is refused as such)
		if body != nil {
			text = jsonText(body)
		}
	}
	return w.send(t, noRedirects(), rt.Method, path, h, text)
}

func jsonText(v any) string {
	if v == nil {
		return "{}"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// answerText is the text of an answer: the body, or the files of an .xlsx workbook.
func answerText(body string) string {
	if !strings.HasPrefix(body, "PK\x03\x04") {
		return body
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		return body
	}
	var sb strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		sb.Write(b)
	}
	return sb.String()
}

// objectPaths are the paths of a route filled with the part's objects: the change
// history route once per kind of object.
func (w *world) objectPaths(t *testing.T, rt web.Route, part scopePart) []string {
	if rt.Path != "/audit/{type}/{id}" {
		return []string{w.concretePath(t, rt, part.objs)}
	}
	o := part.objs
	paths := []string{"/audit/enterprise/" + itoa(o.enterprise), "/audit/application/" + itoa(o.application),
		"/audit/park/" + itoa(o.park), "/audit/department/" + itoa(o.department), "/audit/user/" + itoa(o.user)}
	if part.region != "" {
		paths = append(paths, "/audit/region/"+part.region)
	}
	return paths
}

// foreignBodies are, for the routes that take objects in the body rather than the path,
// a body naming the part's objects: given objects outside the caller's scope, these must
// not succeed (a gate scan answers, refusing the pass).
func foreignBodies(t *testing.T, part scopePart) map[string]map[string]any {
	o := part.objs
	visitor := map[string]any{"enterprise_id": o.enterprise, "kind": "visitor", "name": "访客", "temperature": 36.5}
	closing := map[string]any{"isolation": "居家隔离观察", "referral": "县人民医院发热门诊", "outcome": "排除"}
	bodies := map[string]map[string]any{
		// Routes with the object in the path: a valid body, so that only the scope refuses.
		"POST /api/v1/health-followups/{id}/close": closing,
		"POST /health/followups/{id}":              closing,
		"POST /api/v1/employees/{id}/account":      {"user_id": nil},
		"PATCH /api/v1/inspections/{id}":           {"inspectors": "越权"},
		// Routes with the objects in the body.
		"POST /api/v1/passes":                    {"employee_ids": []int64{o.employee}},
		"POST /api/v1/passes/approve":            {"ids": []int64{o.pass}},
		"POST /api/v1/health-checks":             {"employee_id": o.employee, "temperature": 36.5},
		"POST /api/v1/gate/entries":              visitor,
		"POST /api/v1/employees":                 {"enterprise_id": o.enterprise, "name": "外域新员工", "id_number": personID(t, 90), "origin": "local", "return_date": "2020-02-10"},
		"POST /api/v1/applications":              {"enterprise_id": o.enterprise},
		"POST /api/v1/assignments":               {"assignments": []map[string]any{{"enterprise_id": o.enterprise, "duty": "liaison", "name": "越权"}}},
		"POST /assignments":                      {"enterprise_id": o.enterprise, "duty": "liaison", "name": "越权"},
		"POST /api/v1/visits":                    {"enterprise_id": o.enterprise, "kind": "onsite", "found": "越权"},
		"POST /visits":                           {"enterprise_id": o.enterprise, "kind": "onsite", "found": "越权"},
		"POST /api/v1/requests":                  {"enterprise_id": o.enterprise, "kind": "other", "description": "越权提出的诉求"},
		"POST /requests":                         {"enterprise_id": o.enterprise, "kind": "other", "description": "越权提出的诉求"},
		"POST /api/v1/buses":                     {"enterprise_id": o.enterprise, "plate": "浙F22222", "route": "城区—厂区", "seats": 10, "driver": "赵师傅"},
		"POST /api/v1/ledgers/{kind}":            {"enterprise_id": o.enterprise, "at": today(), "area": "车间", "agent": "84消毒液", "person": "张三"},
		"POST /api/v1/reports/daily/confirm":     {"enterprise_id": o.enterprise},
		"POST /api/v1/enterprises/{id}/entrance": {"entrance": "东门"},
		"POST /api/v1/users/{id}/tokens":         {"name": "越权"},
		"POST /passes":                           {"employee_id": []int64{o.employee}},
		"POST /passes/approve":                   {"id": []int64{o.pass}},
		"POST /health":                           {"person": o.employee, "temperature": 36.5},
		"POST /api/v1/inspections":               {"enterprise_id": o.enterprise, "unit": "town_gov", "kind": "spot", "planned_on": "2020-03-02", "inspectors": "越权"},
		"POST /api/v1/hazards":                   {"enterprise_id": o.enterprise, "sector": "fire", "grade": "general", "description": "越权"},
		"POST /supervision":                      {"enterprise_id": o.enterprise, "unit": "town_gov", "kind": "spot", "planned_on": "2020-03-02", "inspectors": "越权"},
	}
	if part.token != "" {
		bodies["POST /api/v1/gate/scan"] = map[string]any{"token": part.token}
		bodies["POST /gate"] = map[string]any{"token": part.token}
	}
	return bodies
}

func TestAccessScopes(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		sys, pol := auth.System, policy.Default()
		cat := pol.Categories[0].Code

		// Part A.
		walk := w.appApproved(t)
		ent := w.users[auth.Enterprise].Principal()
		busA, err := w.db.Buses().Add(w.ctx, ent, notice.Bus{EnterpriseID: w.entA, Plate: "浙F12345", Route: "城区—厂区", Seats: 30, Driver: "王师傅"})
		if err != nil {
			t.Fatal(err)
		}
		empA := w.employee(t, "甲方矩阵员工", 1)
		passA := w.issuedPasses(t, "甲方持证人")[0]
		fever := func(p auth.Principal, emp int64) int64 {
			t.Helper()
			res, err := w.db.Health().Record(w.ctx, p, []health.Reading{{EmployeeID: emp, Temperature: 38.5}})
			if err != nil || len(res) != 1 || res[0].FollowUpID == 0 {
				t.Fatalf("fever: %+v %v", res, err)
			}
			return res[0].FollowUpID
		}
		tipA, receiptA := w.tip(t, w.entA, "甲方举报:宿舍住了八个人")
		tipB, receiptB := w.tip(t, w.entB, "乙方举报:店里没人测温")
		reqA, reqB := w.request(t, w.entA, "甲方诉求:货车进不来"), w.request(t, w.entB, "乙方诉求:缺少口罩")
		guideA, guideB := w.guidance(t, w.townA, "甲方须知"), w.guidance(t, w.townB, "乙方须知")
		a := scopePart{name: "A", region: "330402001001", token: passA.Token,
			objs: matrixObjects{enterprise: w.entA, user: w.matrixUser(t), application: walk.ID, sha: walk.SHA, notice: walk.Notice, bus: busA.ID,
				employee: empA, pass: passA.ID, followUp: fever(ent, empA), park: w.parkA, department: w.deptA, tip: tipA, receipt: receiptA, request: reqA, guidance: guideA, appointment: w.appointment(t)},
			markers: []string{"甲镇精密机械有限公司", uscc(t, 1), "甲镇工业园", "甲镇经贸办", "matrix-target", "甲方矩阵员工", "甲方持证人", "甲方举报", "甲方诉求", "甲方须知"}}
		a.objs.inspection, a.objs.order = w.inspected(t)
		a.objs.hazard = w.hazardOf(t, w.users[auth.Town].Principal(), w.entA)

		// Part B: enterprise B moves into a park of town B, with a department there.
		pkB, err := w.db.SavePark(w.ctx, sys, region.Park{Name: "乙街道物流园", RegionCode: w.townB, Operator: "乙园物业"})
		if err != nil {
			t.Fatal(err)
		}
		deptB, err := w.db.SaveDepartment(w.ctx, sys, region.Department{Name: "乙街道商务办", RegionCode: w.townB}, nil)
		if err != nil {
			t.Fatal(err)
		}
		eb, err := w.db.GetEnterprise(w.ctx, sys, w.entB)
		if err != nil {
			t.Fatal(err)
		}
		eb.ParkID = pkB.ID
		if _, err := w.db.UpdateEnterprise(w.ctx, sys, eb, 0, nil); err != nil {
			t.Fatal(err)
		}
		// makePart gives an enterprise a roster, a draft application with an attachment, a
		// bus and a follow-up, as its own enterprise account.
		makePart := func(name string, entID int64, account scoped, n int, plate string) scopePart {
			t.Helper()
			p := account.Principal()
			var emp employeeAnswer
			if st := w.appAPI(account.token, "POST", "/api/v1/employees", map[string]any{"name": name + "矩阵员工", "id_number": personID(t, n), "origin": "local",
				"return_date": "2020-02-10"}, &emp); st != http.StatusCreated {
				t.Fatalf("employee of part %s: %d", name, st)
			}
			app, err := w.db.Applications().Create(w.ctx, p, appComplete(pol, entID, w.appPlanned()))
			if err != nil {
				t.Fatal(err)
			}
			st, body := w.appUpload(account.token, app.ID, "application", "申请报告.png", appPNG(t))
			var at struct {
				SHA256 string `json:"sha256"`
			}
			if st != http.StatusCreated || json.Unmarshal(body, &at) != nil || at.SHA256 == "" {
				t.Fatalf("attachment of part %s: %d %s", name, st, body)
			}
			bus, err := w.db.Buses().Add(w.ctx, p, notice.Bus{EnterpriseID: entID, Plate: plate, Route: "城区—厂区", Seats: 20, Driver: "李师傅"})
			if err != nil {
				t.Fatal(err)
			}
			return scopePart{name: name, objs: matrixObjects{enterprise: entID, application: app.ID, sha: at.SHA256, bus: bus.ID, employee: emp.ID,
				followUp: fever(p, emp.ID), park: missingJob, department: missingJob}, markers: []string{name + "矩阵员工"}}
		}
		entB := w.scopedUser(t, "enterprise-b", auth.Enterprise, "enterprise:"+itoa(w.entB))
		b := makePart("乙方", w.entB, entB, 61, "浙F54321")
		b.name, b.region, b.objs.park, b.objs.department = "B", w.townB, pkB.ID, deptB.ID
		b.objs.tip, b.objs.receipt, b.objs.request, b.objs.guidance = tipB, receiptB, reqB, guideB
		b.markers = append(b.markers, "乙方举报", "乙方诉求", "乙方须知")
		b.objs.user = w.scopedUser(t, "town-b-user", auth.Town, "region:"+w.townB).ID
		b.markers = append(b.markers, "乙街道便民超市", uscc(t, 2), "乙街道物流园", "乙街道商务办", "town-b-user")
		b.objs.inspection, b.objs.order = w.inspectedOf(t, sys, w.entB)
		b.objs.hazard = w.hazardOf(t, sys, w.entB)

		// Part C: an enterprise of town A outside park A.
		ec, err := w.db.CreateEnterprise(w.ctx, sys, enterprise.Enterprise{Name: "甲镇丙号五金厂", USCC: uscc(t, 3), Category: cat, RegionCode: w.townA}, nil)
		if err != nil {
			t.Fatal(err)
		}
		entC := w.scopedUser(t, "enterprise-c", auth.Enterprise, "enterprise:"+itoa(ec.ID))
		c := makePart("丙方", ec.ID, entC, 62, "浙F67890")
		c.name, c.objs.user = "C", entC.ID
		c.markers = append(c.markers, "甲镇丙号五金厂", uscc(t, 3), "enterprise-c")
		// 包保: an assignment and a visit of parts A and B.
		town := w.users[auth.Town].Principal()
		responsibility := func(part *scopePart, entID int64, official assign.Assignment, visitor auth.Principal, found string) {
			t.Helper()
			official.EnterpriseID, official.Duty = entID, "town_leader"
			as, err := w.db.Assignments().Add(w.ctx, sys, []assign.Assignment{official})
			if err != nil {
				t.Fatal(err)
			}
			v, err := w.db.Assignments().LogVisit(w.ctx, visitor, assign.Visit{EnterpriseID: entID, Kind: assign.OnSite, Found: found})
			if err != nil {
				t.Fatal(err)
			}
			part.objs.assignment, part.objs.visit = as[0].ID, v.ID
			part.markers = append(part.markers, found)
		}
		responsibility(&a, w.entA, assign.Assignment{UserID: town.UserID}, town, "甲方走访发现")
		responsibility(&b, w.entB, assign.Assignment{Name: "乙方包保联系人"}, sys, "乙方走访发现")
		b.markers = append(b.markers, "乙方包保联系人")
		// The fever of part A alerted the town: its alert is part A's object.
		if as, _, err := w.db.Alerts().List(w.ctx, town, alert.Filter{}); err != nil || len(as) == 0 {
			t.Fatalf("alert of part A: %+v %v", as, err)
		} else {
			a.objs.alert = as[0].ID
		}
		parts := []scopePart{a, b, c}

		// The principals, with the parts their scopes reach.
		covers := map[auth.Role]string{auth.Admin: "ABC", auth.Command: "ABC", auth.Reviewer: "AC", auth.Town: "AC", auth.Grid: "A",
			auth.Park: "A", auth.Enterprise: "A", auth.Staff: "A", auth.Guard: "A"}
		var principals []scopePrincipal
		for _, role := range auth.Roles {
			principals = append(principals, scopePrincipal{name: string(role), p: w.users[role].Principal(), token: w.tokens[role], c: w.login(role).c, covers: covers[role]})
		}
		for _, n := range []struct {
			name   string
			role   auth.Role
			scope  string
			covers string
		}{
			{"admin-a", auth.Admin, "region:" + w.townA, "AC"},
			{"admin-village", auth.Admin, "region:330402001001", "A"},
			{"admin-b", auth.Admin, "region:" + w.townB, "B"},
			{"reviewer-b", auth.Reviewer, "dept:" + itoa(deptB.ID), "B"},
			{"park-b", auth.Park, "park:" + itoa(pkB.ID), "B"},
			{"guard-b", auth.Guard, "enterprise:" + itoa(w.entB), "B"},
		} {
			u := w.scopedUser(t, n.name, n.role, n.scope)
			principals = append(principals, scopePrincipal{name: n.name, p: u.Principal(), token: u.token, c: u.c, covers: n.covers})
		}
		principals = append(principals, scopePrincipal{name: "enterprise-b", p: entB.Principal(), token: entB.token, c: entB.c, covers: "B"})

		// 1. Every route, as each principal over a part its scope reaches: what the
		// permission says, and never a server error.
		for _, sp := range principals {
			var own scopePart
			for _, part := range parts {
				if strings.Contains(sp.covers, part.name) {
					own = part
					break
				}
			}
			for _, rt := range w.srv.Routes() {
				path := w.concretePath(t, rt, own.objs)
				got := w.callScoped(t, sp, rt, path, nil)
				switch {
				case !sp.p.Can(rt.Perm):
					if got.status != http.StatusForbidden {
						t.Errorf("%s %s as %s (lacks %s): %s; want 403", rt.Method, path, sp.name, rt.Perm, got)
					}
				case workflowRefuses(rt, sp.p.Role):
					if got.status != http.StatusForbidden {
						t.Errorf("%s %s as %s (the workflow refuses the role): %s; want 403", rt.Method, path, sp.name, got)
					}
				case got.status == http.StatusUnauthorized || got.status == http.StatusForbidden || got.status >= 500:
					t.Errorf("%s %s as %s (holds %s, part %s): %s; want neither 401/403 nor 5xx", rt.Method, path, sp.name, rt.Perm, own.name, got)
				}
			}
		}

		// 2. Every route, as each principal over each part its scope does not reach.
		foreign, refused := 0, 0
		for _, sp := range principals {
			for _, part := range parts {
				if strings.Contains(sp.covers, part.name) {
					continue
				}
				o := part.objs
				bodies := foreignBodies(t, part)
				filter := "?" + url.Values{"enterprise": {itoa(o.enterprise)}, "park": {itoa(o.park)}, "region": {part.region},
					"parent": {part.region}, "employee": {itoa(o.employee)}}.Encode()
				for _, rt := range w.srv.Routes() {
					if rt.Path == "/logout" || rt.Path == "/login" {
						continue // no objects; the first pass signs in and out
					}
					objects := strings.Contains(rt.Path, "{id}") || strings.Contains(rt.Path, "{type}")
					paths := w.objectPaths(t, rt, part)
					if !objects && rt.Method == http.MethodGet {
						paths[0] += filter
					}
					for _, path := range paths {
						body, named := bodies[rt.Method+" "+rt.Path]
						if _, scan := body["token"]; scan && o.pass != 0 {
							// The pass's current code: re-activating a pass (which the walk
							// may have done) issues it a new one.
							if cur, err := w.db.Passes().Get(w.ctx, auth.System, o.pass); err == nil && cur.Token != "" {
								body = map[string]any{"token": cur.Token}
							}
						}
						got := w.callScoped(t, sp, rt, path, body)
						foreign++
						who := sp.name + " (part " + part.name + ")"
						switch {
						case got.status >= 500:
							t.Errorf("%s %s as %s: %s; a server error", rt.Method, path, who, got)
						case objects && rt.Path != "/imports/{id}" && rt.Path != "/api/v1/imports/{id}":
							if got.status != http.StatusNotFound && got.status != http.StatusForbidden {
								t.Errorf("%s %s as %s, an object outside the scope: %s; want 404 or 403", rt.Method, path, who, got)
							} else {
								refused++
							}
						case named && rt.Path != "/api/v1/gate/scan" && rt.Path != "/gate" && got.status < 400:
							// An enterprise's own account may leave the enterprise out: the
							// server fills in its own, never the one named.
							var ans struct {
								EnterpriseID int64 `json:"enterprise_id"`
							}
							if !rt.API() || json.Unmarshal([]byte(got.body), &ans) != nil || ans.EnterpriseID == 0 || ans.EnterpriseID == o.enterprise {
								t.Errorf("%s %s as %s with objects outside the scope in the body: %s; want a refusal", rt.Method, path, who, got)
							}
						}
						if named && rt.Path == "/api/v1/gate/scan" && got.status == http.StatusOK {
							var r scanAnswer
							if json.Unmarshal([]byte(got.body), &r) != nil || r.Allow || r.Code != "other_enterprise" {
								t.Errorf("%s %s as %s, a pass outside the scope: %s; want other_enterprise", rt.Method, path, who, got)
							}
						}
						if rt.Method == http.MethodPost && rt.Path == "/gate" && strings.Contains(got.body, "准予通行") {
							t.Errorf("%s %s as %s, a pass outside the scope: let in", rt.Method, path, who)
						}
						text := answerText(got.body) + got.location
						for _, m := range part.markers {
							if strings.Contains(text, m) {
								t.Errorf("%s %s as %s: the answer (%d) holds %q of part %s", rt.Method, path, who, got.status, m, part.name)
							}
						}
					}
				}
			}
		}
		if foreign == 0 || refused == 0 {
			t.Fatalf("the foreign pass made %d calls, %d refused", foreign, refused)
		}
		for _, part := range parts {
			reached := 0
			for _, sp := range principals {
				if strings.Contains(sp.covers, part.name) {
					reached++
				}
			}
			if reached == 0 || reached == len(principals) {
				t.Errorf("part %s is reached by %d of %d principals: want some, not all", part.name, reached, len(principals))
			}
		}
	})
}
