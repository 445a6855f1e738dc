package web_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
	"fugong/internal/xlsx"
)

const xlsxMedia = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// openAPIWorld is a seeded server on SQLite: the document depends on the route table
// only, not on the database engine.
func openAPIWorld(t *testing.T) (*world, map[string]any) {
	t.Helper()
	w := newWorld(t, storetest.Open(t, store.SQLite))
	got := w.send(t, noRedirects(), http.MethodGet, "/api/v1/openapi.json", nil, "")
	if got.status != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: %s", got)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(got.body), &doc); err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	return w, doc
}

// at walks a path of keys (and array indexes) into a decoded JSON value.
func at(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// resolve follows a local JSON pointer ("#/components/schemas/X").
func resolve(doc map[string]any, ref string) (any, bool) {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	var v any = doc
	for _, tok := range strings.Split(p, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return v, true
}

func TestOpenAPIDocument(t *testing.T) {
	w, doc := openAPIWorld(t)
	if v := doc["openapi"]; v != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", v)
	}
	if at(doc, "info", "title") == nil || at(doc, "info", "version") == nil {
		t.Error("info needs a title and a version")
	}
	schemas, _ := at(doc, "components", "schemas").(map[string]any)
	if len(schemas) == 0 {
		t.Fatal("no component schemas")
	}
	if at(doc, "components", "securitySchemes", "bearer", "scheme") != "bearer" {
		t.Error("no bearer security scheme")
	}
	paramRE := regexp.MustCompile(`\{([^}]+)\}`)

	documented := 0
	for _, rt := range w.srv.Routes() {
		if !rt.API() && rt.Path != "/healthz" {
			if at(doc, "paths", rt.Path) != nil {
				t.Errorf("page route %s %s is in the API document", rt.Method, rt.Path)
			}
			continue
		}
		documented++
		name := rt.Method + " " + rt.Path
		op, ok := at(doc, "paths", rt.Path, strings.ToLower(rt.Method)).(map[string]any)
		if !ok {
			t.Errorf("%s: not in the document", name)
			continue
		}
		if op["summary"] != rt.Summary || rt.Summary == "" {
			t.Errorf("%s: summary %q, want the table's %q (not empty)", name, op["summary"], rt.Summary)
		}
		if op["x-permission"] != string(rt.Perm) {
			t.Errorf("%s: x-permission %v, want %s", name, op["x-permission"], rt.Perm)
		}
		sec, _ := op["security"].([]any)
		if rt.Perm == auth.Public {
			if sec == nil || len(sec) != 0 {
				t.Errorf("%s: public, so security must be [], got %v", name, op["security"])
			}
		} else if at(sec, 0, "bearer") == nil {
			t.Errorf("%s: security %v, want bearer", name, op["security"])
		}

		// Parameters: one per {name} of the path, one per query parameter of the table.
		var wantParams, gotParams []string
		for _, m := range paramRE.FindAllStringSubmatch(rt.Path, -1) {
			wantParams = append(wantParams, "path:"+m[1])
		}
		for _, q := range rt.Query {
			wantParams = append(wantParams, "query:"+q)
		}
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			in, n := at(p, "in"), at(p, "name")
			gotParams = append(gotParams, fmt.Sprint(in, ":", n))
			if in == "path" && at(p, "required") != true {
				t.Errorf("%s: path parameter %v must be required", name, n)
			}
			if at(p, "schema", "type") == nil {
				t.Errorf("%s: parameter %v has no schema type", name, n)
			}
		}
		sort.Strings(wantParams)
		sort.Strings(gotParams)
		if !slices.Equal(wantParams, gotParams) {
			t.Errorf("%s: parameters %v, want %v", name, gotParams, wantParams)
		}

		// Request body.
		body := op["requestBody"]
		switch {
		case rt.Upload && rt.Body != "":
			// JSON, or the same fields as a multipart form with its files.
			if r := at(body, "content", "application/json", "schema", "$ref"); r != "#/components/schemas/"+rt.Body || schemas[rt.Body] == nil {
				t.Errorf("%s: body schema %v, want %s in components", name, r, rt.Body)
			}
			if at(body, "content", "multipart/form-data", "schema", "allOf", 0, "$ref") != "#/components/schemas/"+rt.Body {
				t.Errorf("%s: an upload with a body schema takes its fields as a multipart form too, got %v", name, body)
			}
		case rt.Upload:
			if at(body, "content", "multipart/form-data", "schema", "properties", "file") == nil {
				t.Errorf("%s: an upload needs a multipart/form-data body with a file field, got %v", name, body)
			}
		case rt.Body != "":
			if r := at(body, "content", "application/json", "schema", "$ref"); r != "#/components/schemas/"+rt.Body {
				t.Errorf("%s: body schema %v, want %s", name, r, rt.Body)
			}
			if schemas[rt.Body] == nil {
				t.Errorf("%s: body schema %s is not in components", name, rt.Body)
			}
		default:
			if body != nil {
				t.Errorf("%s: takes no body, but the document gives one", name)
			}
		}

		// Responses.
		responses, _ := op["responses"].(map[string]any)
		success := responses["200"]
		if success == nil {
			success = responses["201"]
		}
		if success == nil {
			t.Errorf("%s: no 200 or 201 response", name)
		}
		switch rt.Resp {
		case "":
		case "xlsx":
			if at(success, "content", xlsxMedia) == nil {
				t.Errorf("%s: response should be %s, got %v", name, xlsxMedia, success)
			}
		default:
			if r := at(success, "content", "application/json", "schema", "$ref"); r != "#/components/schemas/"+rt.Resp {
				t.Errorf("%s: response schema %v, want %s", name, r, rt.Resp)
			}
			if schemas[rt.Resp] == nil {
				t.Errorf("%s: response schema %s is not in components", name, rt.Resp)
			}
		}
		for code, want := range map[string]bool{
			"401": rt.Perm != auth.Public,
			"403": rt.Perm != auth.Public && rt.Perm != auth.LoggedIn,
			"404": strings.Contains(rt.Path, "{"),
			"422": rt.Body != "" || rt.Upload,
		} {
			if want && responses[code] == nil {
				t.Errorf("%s: no %s response", name, code)
			}
			if code != "422" && !want && responses[code] != nil {
				t.Errorf("%s: documents a %s response it cannot give", name, code)
			}
		}
	}

	// Nothing in the document that the table lacks.
	operations := 0
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		operations += len(item.(map[string]any))
	}
	if operations != documented {
		t.Errorf("the document has %d operations, the table %d API routes", operations, documented)
	}

	// Every $ref resolves.
	refs := 0
	var walk func(v any, where string)
	walk = func(v any, where string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k == "$ref" {
					refs++
					s, _ := x.(string)
					if _, ok := resolve(doc, s); !ok {
						t.Errorf("%s: $ref %v does not resolve", where, x)
					}
					continue
				}
				walk(x, where+"/"+k)
			}
		case []any:
			for i, x := range v {
				walk(x, fmt.Sprintf("%s/%d", where, i))
			}
		}
	}
	walk(doc, "#")
	if refs == 0 {
		t.Error("no $ref at all: the walk is broken")
	}
}

// jsonFields lists the JSON names of a struct's fields as encoding/json writes them.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func schemaFields(doc map[string]any, name string) []string {
	props, _ := at(doc, "components", "schemas", name, "properties").(map[string]any)
	var out []string
	for k := range props {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestOpenAPISchemasMatchTypes: the hand-written schemas name the fields the Go types
// send.
func TestOpenAPISchemasMatchTypes(t *testing.T) {
	_, doc := openAPIWorld(t)
	for name, v := range map[string]any{
		"User": auth.User{}, "Enterprise": enterprise.Enterprise{}, "Region": region.Region{}, "Park": region.Park{},
		"Department": region.Department{}, "AuditEntry": audit.Entry{}, "ImportResult": xlsx.Result{},
		"ImportJob": xlsx.Job{}, "Problem": apperr.Problem{},
	} {
		want, got := jsonFields(reflect.TypeOf(v)), schemaFields(doc, name)
		if name == "User" {
			// Creating a user answers the account and, when the server made it, the
			// password (users_api.go: userCreated).
			want = append(want, "password")
			sort.Strings(want)
		}
		if !slices.Equal(want, got) {
			t.Errorf("schema %s has fields %v; the Go type %T sends %v", name, got, v, want)
		}
	}
	// A patch takes the enterprise's editable fields and the version it read.
	ent := schemaFields(doc, "Enterprise")
	for _, f := range schemaFields(doc, "EnterprisePatch") {
		if !slices.Contains(ent, f) {
			t.Errorf("EnterprisePatch field %s is not a field of Enterprise", f)
		}
	}
	if !slices.Contains(schemaFields(doc, "EnterprisePatch"), "version") {
		t.Error("EnterprisePatch lacks version")
	}
	for _, name := range []string{"UserList", "EnterpriseList", "RegionList", "ParkList", "DepartmentList", "AuditList"} {
		if got := schemaFields(doc, name); !slices.Equal(got, []string{"items", "page", "size", "total"}) {
			t.Errorf("list schema %s has fields %v", name, got)
		}
	}
}

// conform checks a decoded JSON value against a schema of the document, following $ref,
// and returns what does not fit. It knows the few keywords the document uses.
func conform(doc map[string]any, schema map[string]any, v any, where string) []string {
	if r, ok := schema["$ref"].(string); ok {
		target, ok := resolve(doc, r)
		if !ok {
			return []string{where + ": unresolved " + r}
		}
		return conform(doc, target.(map[string]any), v, where)
	}
	if alts, ok := schema["oneOf"].([]any); ok {
		var all []string
		for _, a := range alts {
			p := conform(doc, a.(map[string]any), v, where)
			if len(p) == 0 {
				return nil
			}
			all = append(all, p...)
		}
		return append([]string{where + ": matches no alternative"}, all...)
	}
	var types []string
	switch ty := schema["type"].(type) {
	case string:
		types = []string{ty}
	case []any:
		for _, x := range ty {
			types = append(types, x.(string))
		}
	}
	kind := "null"
	switch x := v.(type) {
	case map[string]any:
		kind = "object"
	case []any:
		kind = "array"
	case string:
		kind = "string"
	case bool:
		kind = "boolean"
	case float64:
		kind = "number"
		if x == math.Trunc(x) {
			kind = "integer"
		}
	}
	if len(types) > 0 && !slices.Contains(types, kind) && !(kind == "integer" && slices.Contains(types, "number")) {
		return []string{fmt.Sprintf("%s: a %s, want %v", where, kind, types)}
	}
	var out []string
	if enum, ok := schema["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		out = append(out, fmt.Sprintf("%s: %v is not one of %v", where, v, enum))
	}
	if schema["format"] == "date-time" && kind == "string" {
		if _, err := time.Parse(time.RFC3339Nano, v.(string)); err != nil {
			out = append(out, fmt.Sprintf("%s: %q is not a date-time", where, v))
		}
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asStrings(schema["required"]) {
			if _, ok := x[r]; !ok {
				out = append(out, where+": lacks required "+r)
			}
		}
		for k, fv := range x {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if schema["additionalProperties"] == false {
					out = append(out, where+": field "+k+" is not in the schema")
				}
				continue
			}
			out = append(out, conform(doc, ps, fv, where+"."+k)...)
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, e := range x {
				out = append(out, conform(doc, items, e, fmt.Sprintf("%s[%d]", where, i))...)
			}
		}
	}
	return out
}

func asStrings(v any) []string {
	a, _ := v.([]any)
	out := make([]string, 0, len(a))
	for _, x := range a {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// TestOpenAPIResponsesConform calls the API's GET routes and a few failing calls, and
// checks each JSON answer against the schema the document gives for its status.
func TestOpenAPIResponsesConform(t *testing.T) {
	w, doc := openAPIWorld(t)
	objs := matrixObjects{enterprise: w.entA, user: w.matrixUser(t)}
	check := func(method, path string, role auth.Role, opPath string, wantStatus int, body string) {
		t.Helper()
		got := w.callAPI(t, role, method, path)
		if body != "" {
			h := http.Header{"Authorization": {"Bearer " + w.tokens[role]}, "Content-Type": {"application/json"}}
			got = w.send(t, noRedirects(), method, path, h, body)
		}
		if got.status >= 500 {
			// A handler still being written: the access matrix reports it.
			t.Logf("%s %s as %s: %s (not checked against the schema)", method, path, roleName(role), got)
			return
		}
		if wantStatus != 0 && got.status != wantStatus {
			t.Errorf("%s %s as %s: %s; want %d", method, path, roleName(role), got, wantStatus)
			return
		}
		resp := at(doc, "paths", opPath, strings.ToLower(method), "responses", fmt.Sprint(got.status))
		if r, ok := at(resp, "$ref").(string); ok {
			resp, _ = resolve(doc, r)
		}
		media := at(resp, "content")
		if media == nil {
			t.Errorf("%s %s as %s: answered %d, which the document does not list", method, path, roleName(role), got.status)
			return
		}
		if at(media, xlsxMedia) != nil {
			return
		}
		schema, _ := at(media, "application/json", "schema").(map[string]any)
		var v any
		if err := json.Unmarshal([]byte(got.body), &v); err != nil {
			t.Errorf("%s %s: not JSON: %v", method, path, err)
			return
		}
		for _, p := range conform(doc, schema, v, "body") {
			t.Errorf("%s %s as %s (%d): %s", method, path, roleName(role), got.status, p)
		}
	}
	for _, rt := range w.srv.Routes() {
		if (rt.API() || rt.Path == "/healthz") && rt.Method == http.MethodGet {
			check(rt.Method, w.concretePath(t, rt, objs), auth.Admin, rt.Path, 0, "")
		}
	}
	entA := "/api/v1/enterprises/" + itoa(w.entA)
	check("GET", "/api/v1/enterprises", "", "/api/v1/enterprises", http.StatusUnauthorized, "")
	check("GET", "/api/v1/audit", auth.Town, "/api/v1/audit", http.StatusForbidden, "")
	check("GET", "/api/v1/enterprises/"+itoa(w.entB), auth.Town, "/api/v1/enterprises/{id}", http.StatusNotFound, "")
	check("POST", "/api/v1/enterprises", auth.Town, "/api/v1/enterprises", http.StatusUnprocessableEntity, "")
	check("POST", "/api/v1/enterprises/import", auth.Town, "/api/v1/enterprises/import", http.StatusUnprocessableEntity, "")
	check("POST", "/api/v1/enterprises", auth.Town, "/api/v1/enterprises", http.StatusCreated,
		fmt.Sprintf(`{"name":"文档企业","uscc":%q,"category":"industry_above","region_code":%q,"headcount":3}`, uscc(t, 31), w.townA))
	check("PATCH", entA, auth.Town, "/api/v1/enterprises/{id}", http.StatusOK, `{"headcount":7}`)
	check("PATCH", entA, auth.Town, "/api/v1/enterprises/{id}", http.StatusConflict, `{"headcount":8,"version":99}`)
}
