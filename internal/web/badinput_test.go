package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/notice"
	"fugong/internal/web"
)

// The bad-input sweep: every write route of the table (POST, PUT, PATCH, DELETE; JSON API
// and form posts alike, but for the upload routes, which have their own sweep) gets the
// inputs a hostile client sends — malformed JSON, wrong types, a megabyte string, NUL,
// lone surrogates, text-direction overrides, invalid UTF-8, unknown fields, null and {}
// bodies, a wrong character set — as a role that may use the route. Each answer must be a
// 4xx (never a 5xx), in the API's error shape for the API, and nothing may be written:
// neither the audit trail nor the gate log grows.

// badCase is one bad request body.
type badCase struct {
	name        string
	contentType string
	body        string
	status      int    // the status wanted; 0 for any 4xx
	field       string // for the API: a problem must name this field ("" for no check)
}

// huge is a megabyte of text: under the body limit, far over every field's.
var huge = strings.Repeat("x", 1<<20)

// jsonCases are the bad bodies of an API route: prop is a string field of its body, which
// they put bad text into; wrongType is a body with a value of the wrong type.
func jsonCases(rt web.Route, prop, wrongType string) []badCase {
	const ct = "application/json"
	in := func(v string) string { return `{"` + prop + `": ` + v + `}` }
	cs := []badCase{
		{"malformed JSON", ct, `{"` + prop + `": `, 422, "body"},
		{"trailing data", ct, `{} {}`, 422, "body"},
		{"a number for the body", ct, `42`, 422, ""},
		{"a string for the body", ct, `"text"`, 422, ""},
		{"an array of numbers for the body", ct, `[1, 2]`, 422, ""},
		{"a wrong type", ct, wrongType, 422, ""},
		{"a megabyte string", ct, in(`"` + huge + `"`), 422, prop},
		{"NUL", ct, in(`"a\u0000b"`), 422, prop},
		{"a raw control character (not JSON)", ct, in("\"a\x01b\""), 422, "body"},
		{"a lone high surrogate", ct, in(`"a\ud800b"`), 422, prop},
		{"a lone low surrogate", ct, in(`"\udc00"`), 422, prop},
		{"a right-to-left override", ct, in(`"abc\u202egpj.exe"`), 422, prop},
		{"a raw right-to-left isolate", ct, in("\"a\u2067b\""), 422, prop},
		{"invalid UTF-8", ct, in("\"a\xff\xfeb\""), 422, prop},
		{"NUL in a member name", ct, `{"a\u0000": 1}`, 422, "body"},
		{"an unknown field", ct, `{"no_such_field_at_all": 1}`, 422, "no_such_field_at_all"},
		{"null", ct, `null`, 422, "body"},
		{"version 0", ct, `{"version": 0}`, 422, ""},
		{"a negative version", ct, `{"version": -1}`, 422, ""},
		{"charset gbk", ct + "; charset=gbk", `{}`, 415, ""},
		{"charset latin1", "application/json; charset=ISO-8859-1", `{}`, 415, ""},
		{"not JSON", "text/plain", `hello`, 422, "body"},
	}
	// {} is a valid call of a route that takes no body (an action on the object of its
	// path, which the sweep's other cases must not perform). A PATCH refuses it: it
	// changes nothing. Elsewhere it is refused for the fields it lacks, or valid when
	// they all have defaults (a pass revoked for the default reason) and then writes
	// nothing on the sweep's objects.
	if rt.Body == "" {
		return cs
	}
	empty := badCase{"an empty object", ct, `{}`, 0, ""}
	if rt.Method == http.MethodPatch {
		empty.status, empty.field = 422, "body"
	}
	return append(cs, empty)
}

// formCases are the bad forms of a page route.
func formCases() []badCase {
	const ct = "application/x-www-form-urlencoded"
	return []badCase{
		{"NUL", ct, "name=a%00b&note=ok", 422, ""},
		{"NUL in a text area", ct, "note=a%00b", 422, ""},
		{"a control character", ct, "comment=a%1Bb", 422, ""},
		{"a newline in a one-line field", ct, "name=a%0Ab", 422, ""},
		{"an encoded surrogate", ct, "name=a%ED%A0%80b", 422, ""},
		{"a right-to-left override", ct, "name=abc%E2%80%AEgpj.exe", 422, ""},
		{"a left-to-right isolate", ct, "address=%E2%81%A6x", 422, ""},
		{"invalid UTF-8", ct, "name=a%FFb", 422, ""},
		{"a megabyte value", ct, "contact=" + huge, 422, ""},
		{"NUL in a field name", ct, "na%00me=x", 422, ""},
		{"bad percent-encoding", ct, "name=%zz", 422, ""},
		{"version 0", ct, "version=0", 422, ""},
		{"charset gbk", ct + "; charset=gbk", "name=%D5%C5", 415, ""},
	}
}

// multipartCase is a multipart form with NUL in a value, sent to a route that takes no
// upload.
func multipartCase(t *testing.T) badCase {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if err := mw.WriteField("name", "a\x00b"); err != nil {
		t.Fatal(err)
	}
	mw.Close()
	return badCase{"NUL in a multipart form", mw.FormDataContentType(), b.String(), 422, ""}
}

// sweepRole is a role that may use the route: the administrator when the workflow lets it
// act, else the first role of the table that may. The gate is swept as the enterprise's
// guard, whose scans land on the gate log the sweep watches (an account of no enterprise
// logs its scans on no enterprise's log).
func sweepRole(rt web.Route) (auth.Role, bool) {
	if rt.Perm == auth.Public {
		return "", true
	}
	roles := append([]auth.Role{auth.Admin}, auth.Roles...)
	if rt.Perm == auth.GateScan {
		roles = append([]auth.Role{auth.Guard}, roles...)
	}
	for _, r := range roles {
		if auth.Can(r, rt.Perm) && !workflowRefuses(rt, r) {
			return r, true
		}
	}
	return "", false
}

// schemaProps finds a writable string property of the route's body schema (for bad text)
// and one of any other type (for a wrong type), from the API's own document.
func schemaProps(t *testing.T, doc map[string]any, name string) (str, other, otherType string) {
	t.Helper()
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	s, _ := schemas[name].(map[string]any)
	for depth := 0; s != nil && depth < 4; depth++ {
		if ref, ok := s["$ref"].(string); ok {
			s, _ = schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
			continue
		}
		if alts, ok := s["oneOf"].([]any); ok && len(alts) > 0 {
			s, _ = alts[0].(map[string]any)
			continue
		}
		break
	}
	if s == nil {
		t.Fatalf("no schema %s in the API document", name)
	}
	props, _ := s["properties"].(map[string]any)
	for _, k := range slices.Sorted(mapKeys(props)) {
		p, _ := props[k].(map[string]any)
		if ro, _ := p["readOnly"].(bool); ro || k == "version" {
			continue
		}
		typ, _ := p["type"].(string)
		switch {
		case typ == "string" && str == "":
			str = k
		case typ != "string" && typ != "" && other == "":
			other, otherType = k, typ
		}
	}
	return str, other, otherType
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// written is what the sweep watches for writes: the length of the audit trail, of the
// enterprise's gate log and the number of temperature readings (scans, visitors and
// readings are not audited).
func (w *world) written(t *testing.T) [3]int {
	t.Helper()
	_, n, err := w.db.ListAudit(w.ctx, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Items []json.RawMessage `json:"items"`
	}
	if st := w.api(auth.Guard, "GET", "/api/v1/gate/entries", nil, &log); st != http.StatusOK {
		t.Fatalf("gate log: %d", st)
	}
	return [3]int{n, len(log.Items), w.readingsToday(t)}
}

// readingsToday counts today's temperature readings of every enterprise, as the
// temperature register shows them.
func (w *world) readingsToday(t *testing.T) int {
	t.Helper()
	var reg struct {
		Total int `json:"total"`
	}
	if st := w.api(auth.Admin, "GET", "/api/v1/health-checks/register", nil, &reg); st != http.StatusOK {
		t.Fatalf("temperature register: %d", st)
	}
	return reg.Total
}

func TestBadInputSweep(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		walk := w.appApproved(t)
		bus, err := w.db.Buses().Add(w.ctx, w.users[auth.Enterprise].Principal(), notice.Bus{EnterpriseID: w.entA, Plate: "浙F54321", Route: "城区—厂区", Seats: 30, Driver: "李师傅"})
		if err != nil {
			t.Fatal(err)
		}
		objs := matrixObjects{enterprise: w.entA, user: w.matrixUser(t), application: walk.ID, sha: walk.SHA, notice: walk.Notice, bus: bus.ID,
			employee: w.employee(t, "扫测员工", 1)}
		var doc map[string]any
		if st := w.api("", "GET", "/api/v1/openapi.json", nil, &doc); st != http.StatusOK {
			t.Fatalf("openapi.json: %d", st)
		}
		browsers := map[auth.Role]*http.Client{"": noRedirects()}
		browser := func(role auth.Role) *http.Client {
			if browsers[role] == nil {
				browsers[role] = w.login(role).c
			}
			return browsers[role]
		}
		mp := multipartCase(t)
		routes, requests := 0, 0
		for _, rt := range w.srv.Routes() {
			if role, ok := sweepRole(rt); ok && !rt.API() {
				browser(role) // signing in is audited: before the sweep counts
			}
		}
		before := w.written(t)
		for _, rt := range w.srv.Routes() {
			if rt.Method == http.MethodGet || rt.Upload {
				continue
			}
			role, ok := sweepRole(rt)
			if !ok {
				t.Errorf("%s %s: no role may use it", rt.Method, rt.Path)
				continue
			}
			routes++
			path := w.concretePath(t, rt, objs)
			var cases []badCase
			if rt.API() {
				// Bad text goes into a string field of the body; the wrong type is a
				// string where another type is wanted, or an object where a string is.
				str, wrongField, wrongValue := "note", "", ""
				if rt.Body != "" {
					s, o, _ := schemaProps(t, doc, rt.Body)
					if s != "" {
						str = s
					}
					if o != "" {
						wrongField, wrongValue = o, `"x"`
					}
				}
				if wrongField == "" {
					wrongField, wrongValue = str, `{"a": 1}`
				}
				cases = jsonCases(rt, str, `{"`+wrongField+`": `+wrongValue+`}`)
			} else {
				cases = append(formCases(), mp)
			}
			for _, c := range cases {
				requests++
				h := http.Header{}
				h.Set("Content-Type", c.contentType)
				client := noRedirects()
				if rt.API() {
					if role != "" {
						h.Set("Authorization", "Bearer "+w.tokens[role])
					}
				} else {
					client = browser(role)
					h.Set("Origin", w.ts.URL)
					h.Set("Sec-Fetch-Site", "same-origin")
				}
				got := w.send(t, client, rt.Method, path, h, c.body)
				what := rt.Method + " " + path + " as " + roleName(role) + ", " + c.name
				if got.status >= 500 || got.status < 400 || (c.status != 0 && got.status != c.status) {
					want := "a 4xx"
					if c.status != 0 {
						want = http.StatusText(c.status)
					}
					t.Errorf("%s: %s; want %s", what, got, want)
				}
				if rt.API() {
					checkErrorShape(t, what, got, c.field)
				}
			}
			// Once per route, to keep the sweep quick: a failure names the route, and
			// running its cases one by one finds the culprit.
			if after := w.written(t); after != before {
				t.Errorf("%s %s as %s: a bad request wrote (audit trail, gate log, readings %v → %v)", rt.Method, path, roleName(role), before, after)
				before = after
			}
		}
		if routes < 50 {
			t.Fatalf("swept %d write routes; the table has more", routes)
		}
		t.Logf("%d write routes, %d bad requests", routes, requests)
	})
}

// checkErrorShape checks an API answer against the documented error shape: error.code
// and error.message, and for invalid input problems that each name a field, one of them
// field when given.
func checkErrorShape(t *testing.T, what string, got reply, field string) {
	t.Helper()
	var e struct {
		Error struct {
			Code      string `json:"code"`
			Message   string `json:"message"`
			MessageEN string `json:"message_en"`
			Problems  []struct {
				Field, Message string
				MessageEN      string `json:"message_en"`
			} `json:"problems"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(got.body), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" || e.Error.MessageEN == "" {
		t.Errorf("%s: %s is not the API's error shape", what, got)
		return
	}
	if got.status == http.StatusUnprocessableEntity && (e.Error.Code != "invalid" || len(e.Error.Problems) == 0) {
		t.Errorf("%s: %s; want code invalid with problems", what, got)
	}
	if got.status == http.StatusUnsupportedMediaType && e.Error.Code != "unsupported_media_type" {
		t.Errorf("%s: %s; want code unsupported_media_type", what, got)
	}
	fields := []string{}
	for _, p := range e.Error.Problems {
		if p.Field == "" || p.Message == "" || p.MessageEN == "" {
			t.Errorf("%s: a problem without field or messages: %s", what, got)
		}
		fields = append(fields, p.Field)
	}
	if field != "" && !slices.Contains(fields, field) {
		t.Errorf("%s: problems on %v; want one on %s (%s)", what, fields, field, got)
	}
}
