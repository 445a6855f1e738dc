package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/policy"
)

// TestInputHygiene: the text rules and the answers to bad bodies, queries and filters of
// the API and the pages, on one world per engine.
func TestInputHygiene(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		t.Run("names", func(t *testing.T) { hygieneOfNames(t, w) })
		t.Run("bodies", func(t *testing.T) { answersToBadBodies(t, w) })
		t.Run("enterprise_id", func(t *testing.T) { createNeedsEnterprise(t, w) })
		t.Run("filters", func(t *testing.T) { unknownFilterValues(t, w) })
		t.Run("queries", func(t *testing.T) { badQueryValues(t, w) })
	})
}

// apiRaw sends body as it is (no JSON encoding) with a content type, as role.
func (w *world) apiRaw(t *testing.T, role auth.Role, method, path, contentType, body string) reply {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + w.tokens[role]}}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return w.send(t, noRedirects(), method, path, h, body)
}

// problemsOf reads the problems of an API error answer, field → English message.
func problemsOf(t *testing.T, got reply) map[string]string {
	t.Helper()
	var e struct {
		Error struct {
			Problems []struct {
				Field     string `json:"field"`
				MessageEN string `json:"message_en"`
			} `json:"problems"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(got.body), &e); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	out := map[string]string{}
	for _, p := range e.Error.Problems {
		out[p.Field] = p.MessageEN
	}
	return out
}

// A NUL in a name answered 500 on PostgreSQL (invalid byte sequence for encoding UTF8);
// a text-direction override or a lone surrogate was stored on SQLite, invalid UTF-8
// replaced, and a megabyte stored. Each is now refused with a problem on its field, on
// both engines, and nothing is written.
func hygieneOfNames(t *testing.T, w *world) {
	b := w.login(auth.Admin)
	before := w.written(t)
	creates := []struct{ path, body string }{
		{"/api/v1/departments", `{"name": %s, "region_code": "330402001"}`},
		{"/api/v1/parks", `{"name": %s, "region_code": "330402001"}`},
		{"/api/v1/enterprises", `{"name": %s, "uscc": "` + uscc(t, 77) + `", "category": "` + policy.Default().Categories[0].Code + `", "region_code": "330402001"}`},
	}
	for _, c := range creates {
		for _, bad := range []struct{ what, value, field string }{
			{"NUL", `"甲\u0000乙"`, "name"},
			{"a right-to-left override", `"\u202e司公限有"`, "name"},
			{"a lone surrogate", `"\ud800甲"`, "name"},
			{"invalid UTF-8", "\"\xc3\x28\"", "name"},
			{"a megabyte", `"` + strings.Repeat("甲", 1<<18) + `"`, "name"},
		} {
			got := w.apiRaw(t, auth.Admin, "POST", c.path, "application/json", strings.Replace(c.body, "%s", bad.value, 1))
			if got.status != http.StatusUnprocessableEntity {
				t.Errorf("POST %s with %s: %s; want 422", c.path, bad.what, got)
				continue
			}
			if _, ok := problemsOf(t, got)[bad.field]; !ok {
				t.Errorf("POST %s with %s: %s; want a problem on %s", c.path, bad.what, got, bad.field)
			}
		}
	}
	// The same in a form.
	for _, path := range []string{"/departments", "/parks", "/enterprises"} {
		if st, body := b.post(path, url.Values{"name": {"甲\x00乙"}, "region_code": {"330402001"}}); st != http.StatusUnprocessableEntity {
			t.Errorf("POST %s with NUL: %d %.200s; want 422", path, st, body)
		}
	}
	if after := w.written(t); after != before {
		t.Errorf("refused names wrote: %v → %v", before, after)
	}
	// Multi-line fields take line breaks (as a browser sends them); one-line fields do not.
	got := w.apiRaw(t, auth.Admin, "POST", "/api/v1/parks", "application/json", `{"name": "甲\n园", "region_code": "330402001"}`)
	if got.status != http.StatusUnprocessableEntity || !strings.Contains(problemsOf(t, got)["name"], "single line") {
		t.Errorf("a park name with a line break: %s; want 422 on name", got)
	}
	emp := w.employee(t, "换行员工", 3)
	got = w.apiRaw(t, auth.Admin, "PATCH", "/api/v1/employees/"+itoa(emp), "application/json", `{"trajectory": "2月1日 武汉\r\n2月3日 返回\ttab"}`)
	if got.status != http.StatusOK {
		t.Errorf("a trajectory of two lines: %s; want 200", got)
	}
}

// The small wrong answers of the API.
func answersToBadBodies(t *testing.T, w *world) {
	emp := w.employee(t, "补丁员工", 4)
	patches := []struct {
		path      string
		versioned bool // the object has a version that guards against concurrent edits
	}{{"/api/v1/parks/" + itoa(w.parkA), false}, {"/api/v1/departments/" + itoa(w.deptA), false},
		{"/api/v1/enterprises/" + itoa(w.entA), true}, {"/api/v1/employees/" + itoa(emp), true}}
	for _, pt := range patches {
		path := pt.path
		// A PATCH must change something.
		bodies := []string{`null`, `{}`, ` { } `}
		if pt.versioned {
			bodies = append(bodies, `{"version": 1}`, `{"version": null}`)
		}
		for _, body := range bodies {
			got := w.apiRaw(t, auth.Admin, "PATCH", path, "application/json", body)
			if got.status != http.StatusUnprocessableEntity {
				t.Errorf("PATCH %s %s: %s; want 422", path, body, got)
			} else if _, ok := problemsOf(t, got)["body"]; !ok {
				t.Errorf("PATCH %s %s: %s; want a problem on body", path, body, got)
			}
		}
		// A version sent is at least 1.
		for _, v := range []string{"0", "-1"} {
			got := w.apiRaw(t, auth.Admin, "PATCH", path, "application/json", `{"version": `+v+`, "name": "新名称"}`)
			if got.status != http.StatusUnprocessableEntity {
				t.Errorf("PATCH %s with version %s: %s; want 422", path, v, got)
			} else if _, ok := problemsOf(t, got)["version"]; !ok {
				t.Errorf("PATCH %s with version %s: %s; want a problem on version", path, v, got)
			}
		}
		// Only UTF-8.
		got := w.apiRaw(t, auth.Admin, "PATCH", path, "application/json; charset=gbk", `{"name": "新名称"}`)
		if got.status != http.StatusUnsupportedMediaType || !strings.Contains(got.body, `"code":"unsupported_media_type"`) || !strings.Contains(got.body, `"message_en"`) {
			t.Errorf("PATCH %s in GBK: %s; want 415 in the error shape", path, got)
		}
	}
	// UTF-8, however spelt, is read.
	for _, ct := range []string{"application/json; charset=utf-8", "application/json; charset=UTF-8", "application/json;charset=utf8"} {
		got := w.apiRaw(t, auth.Admin, "PATCH", "/api/v1/parks/"+itoa(w.parkA), ct, `{"operator": "甲园物业管理"}`)
		if got.status != http.StatusOK {
			t.Errorf("PATCH a park as %s: %s; want 200", ct, got)
		}
	}
	// A version absent means no check; the current one passes.
	var ent struct {
		Version int `json:"version"`
	}
	if st := w.api(auth.Admin, "PATCH", "/api/v1/enterprises/"+itoa(w.entA), map[string]any{"legal_rep": "王经理"}, &ent); st != http.StatusOK || ent.Version < 1 {
		t.Fatalf("PATCH without version: %d %+v", st, ent)
	}
	if st := w.api(auth.Admin, "PATCH", "/api/v1/enterprises/"+itoa(w.entA), map[string]any{"legal_rep": "李经理", "version": ent.Version}, nil); st != http.StatusOK {
		t.Errorf("PATCH with the current version: %d", st)
	}
	// A version of 0 in a workflow action is refused too, not ignored.
	got := w.apiRaw(t, auth.Reviewer, "POST", "/api/v1/buses/999999/decision", "application/json", `{"approve": true, "version": 0}`)
	if got.status != http.StatusUnprocessableEntity {
		t.Errorf("a bus decision with version 0: %s; want 422", got)
	}
	// A route that takes no body acts on nothing but an empty one.
	got = w.apiRaw(t, auth.Admin, "POST", "/api/v1/employees/"+itoa(emp)+"/leave", "application/json", `{"reason": "x"}`)
	if got.status != http.StatusUnprocessableEntity {
		t.Errorf("leave with a body: %s; want 422", got)
	}
}

// A create route that needs an enterprise answers 422 on enterprise_id when none is
// given (it answered 404 for buses), as a role that must name one.
func createNeedsEnterprise(t *testing.T, w *world) {
	for _, c := range []struct {
		role       auth.Role
		path, body string
	}{
		{auth.Town, "/api/v1/buses", `{"plate": "浙F11111", "route": "城区—厂区", "seats": 30, "driver": "王师傅"}`},
		{auth.Town, "/api/v1/buses", `{"enterprise_id": -3, "plate": "浙F11111", "route": "城区—厂区", "seats": 30, "driver": "王师傅"}`},
		{auth.Town, "/api/v1/applications", `{}`},
		{auth.Admin, "/api/v1/employees", `{"name": "张三", "origin": "local", "return_date": "2020-02-10"}`},
		{auth.Admin, "/api/v1/ledgers/disinfection", `{"area": "车间", "agent": "84消毒液", "person": "李四"}`},
		{auth.Admin, "/api/v1/reports/daily/confirm", `{"date": "2020-02-10"}`},
		{auth.Admin, "/api/v1/gate/entries", `{"kind": "visitor", "name": "王五", "phone": "13800000000", "purpose": "送货", "host": "李四"}`},
	} {
		got := w.apiRaw(t, c.role, "POST", c.path, "application/json", c.body)
		if got.status != http.StatusUnprocessableEntity {
			t.Errorf("POST %s %s as %s: %s; want 422", c.path, c.body, c.role, got)
		} else if _, ok := problemsOf(t, got)["enterprise_id"]; !ok {
			t.Errorf("POST %s %s as %s: %s; want a problem on enterprise_id", c.path, c.body, c.role, got)
		}
	}
	b := w.login(auth.Town)
	if st, body := b.post("/buses", url.Values{"plate": {"浙F11111"}, "route": {"城区—厂区"}, "seats": {"30"}, "driver": {"王师傅"}}); st != http.StatusUnprocessableEntity {
		t.Errorf("the bus form without an enterprise: %d %.200s; want 422", st, body)
	}
}

// An unknown value of an enumerated filter answers 422 naming the parameter and the
// allowed values; it answered 200 with an empty list.
func unknownFilterValues(t *testing.T, w *world) {
	for _, c := range []struct {
		path, param, allowed string // allowed: one of the values the message must list
	}{
		{"/api/v1/employees?phase=bogus", "phase", "isolating"},
		{"/api/v1/employees?certificate=yes", "certificate", "missing"},
		{"/api/v1/employees/export?phase=bogus", "phase", "monitoring"},
		{"/api/v1/employees/export?full=maybe", "full", "true"},
		{"/api/v1/applications?status=bogus", "status", "draft"},
		{"/api/v1/applications?unit=bogus", "unit", ""},
		{"/api/v1/applications?mine=perhaps", "mine", "true"},
		{"/api/v1/enterprises?status=bogus", "status", "not_resumed"},
		{"/api/v1/enterprises?category=bogus", "category", ""},
		{"/api/v1/enterprises/export?status=bogus", "status", "resumed"},
		{"/api/v1/buses?status=bogus", "status", "letter_issued"},
		{"/api/v1/users?role=root", "role", "admin"},
		{"/api/v1/passes?status=bogus", "status", "suspended"},
		{"/api/v1/health-followups?open=sometimes", "open", "true"},
	} {
		got := w.apiRaw(t, auth.Admin, "GET", c.path, "", "")
		if got.status != http.StatusUnprocessableEntity {
			t.Errorf("GET %s: %s; want 422", c.path, got)
			continue
		}
		msg, ok := problemsOf(t, got)[c.param]
		if !ok || !strings.Contains(msg, c.allowed) {
			t.Errorf("GET %s: %s; want a problem on %s listing %q", c.path, got, c.param, c.allowed)
		}
	}
	// Known values still filter.
	for _, path := range []string{"/api/v1/employees?phase=isolating&certificate=missing", "/api/v1/applications?status=open&mine=1",
		"/api/v1/applications?status=approved&mine=false", "/api/v1/enterprises?status=resumed&key=1", "/api/v1/buses?status=pending",
		"/api/v1/users?role=guard", "/api/v1/health-followups?open=true", "/api/v1/employees/export?full=1"} {
		if got := w.apiRaw(t, auth.Admin, "GET", path, "", ""); got.status != http.StatusOK {
			t.Errorf("GET %s: %s; want 200", path, got)
		}
	}
	// A page answers the same, as a page.
	b := w.login(auth.Admin)
	if st, _ := b.get("/roster?phase=bogus"); st != http.StatusUnprocessableEntity {
		t.Errorf("GET /roster?phase=bogus: %d; want 422", st)
	}
	if st, _ := b.get("/roster?phase=cleared"); st != http.StatusOK {
		t.Errorf("GET /roster?phase=cleared: %d; want 200", st)
	}
}

// The hygiene of query and path values: a NUL, a text-direction override or invalid UTF-8
// in a filter is refused with a problem naming the parameter, never passed to the database.
func badQueryValues(t *testing.T, w *world) {
	for _, tc := range []struct{ path, field string }{
		{"/api/v1/enterprises?q=a%00b", "q"},
		{"/api/v1/enterprises?region=%E2%80%AE", "region"},
		{"/api/v1/regions?q=%FF", "q"},
		{"/api/v1/employees?q=" + url.QueryEscape(strings.Repeat("张", 501)), "q"},
		{"/api/v1/audit?object_type=a%00", "object_type"},
		{"/api/v1/ledgers/disinfection%00", "kind"},
	} {
		got := w.send(t, noRedirects(), "GET", tc.path, http.Header{"Authorization": {"Bearer " + w.tokens[auth.Admin]}}, "")
		if got.status != http.StatusUnprocessableEntity {
			t.Errorf("GET %s: %s; want 422", tc.path, got)
		}
		checkErrorShape(t, "GET "+tc.path, got, tc.field)
	}
	// A page answers the same, as a page.
	b := w.login(auth.Admin)
	if st, body := b.get("/enterprises?q=a%00b"); st != http.StatusUnprocessableEntity {
		t.Errorf("GET /enterprises?q=a%%00b: %d %.200s; want 422", st, body)
	}
}
