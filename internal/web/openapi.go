package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/store"
)

// The OpenAPI document is generated from the route table: every /api/ route (and
// /healthz) with its method, summary, parameters, body, responses and permission. The
// component schemas below are written by hand and must follow the JSON tags of the Go
// types they describe; openapi_test.go compares them.

const (
	xlsxType    = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	schemaRef   = "#/components/schemas/"
	responseRef = "#/components/responses/"
)

// openAPIDoc is built at the first request. It depends only on the route table, which
// is the same for every Server (routeTable is a fixed list), so one copy serves them all.
var openAPIDoc struct {
	once sync.Once
	body []byte
	err  error
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	openAPIDoc.once.Do(func() {
		doc, err := openAPIDocument(s.routes)
		if err == nil {
			openAPIDoc.body, err = json.Marshal(doc)
		}
		openAPIDoc.err = err
	})
	if openAPIDoc.err != nil {
		return openAPIDoc.err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openAPIDoc.body)
	return err
}

// obj is a JSON object of the document.
type obj = map[string]any

// inDocument reports whether a route is part of the API document.
func inDocument(rt Route) bool { return rt.API() || rt.Path == "/healthz" }

var pathParamRE = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// openAPIDocument builds the OpenAPI 3.1 document for the routes. A route that names a
// schema components lacks gets a $ref that does not resolve: openapi_test.go names it.
func openAPIDocument(routes []Route) (obj, error) {
	schemas := openAPISchemas()
	paths := obj{}
	for _, rt := range routes {
		if !inDocument(rt) {
			continue
		}
		op := operation(rt)
		item, _ := paths[rt.Path].(obj)
		if item == nil {
			item = obj{}
			paths[rt.Path] = item
		}
		m := strings.ToLower(rt.Method)
		if _, dup := item[m]; dup {
			return nil, fmt.Errorf("openapi: %s %s appears twice in the route table", rt.Method, rt.Path)
		}
		item[m] = op
	}
	errContent := func(desc string) obj {
		return obj{"description": desc, "content": obj{"application/json": obj{"schema": obj{"$ref": schemaRef + "Error"}}}}
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":   "Fugong API",
			"version": "1",
			"description": "复工复产管理系统接口 — JSON API of Fugong, the resumption-of-work registry for local governments.\n\n" +
				"Authenticate with `Authorization: Bearer <token>` (tokens are issued to a user by an administrator). " +
				"Every list is paged with `page` (from 1) and `size` (at most " + fmt.Sprint(store.MaxPageSize) + "). " +
				"Objects outside the caller's scope answer 404, like objects that do not exist. " +
				"Errors carry a code and a message in Chinese and English, and for invalid input one problem per field.",
		},
		"paths": paths,
		"components": obj{
			"securitySchemes": obj{
				"bearer": obj{"type": "http", "scheme": "bearer", "description": "An API token of a user: the user's role and scope apply."},
			},
			"schemas": schemas,
			"responses": obj{
				"Unauthorized": errContent("Not signed in: the bearer token is missing, wrong, revoked or its user disabled"),
				"Forbidden":    errContent("The user's role lacks the permission named in x-permission"),
				"NotFound":     errContent("No such object, or it lies outside the user's scope"),
				"Conflict":     errContent("The change clashes with the current state (for example someone else changed the object since it was read: reload and retry)"),
				"Invalid":      errContent("The input has problems: error.problems names each field and what is wrong with it"),
			},
		},
	}, nil
}

func operation(rt Route) obj {
	op := obj{
		"operationId":  operationID(rt),
		"summary":      rt.Summary,
		"tags":         []string{tagOf(rt.Path)},
		"x-permission": string(rt.Perm),
	}
	if rt.Perm == auth.Public {
		op["security"] = []obj{}
	} else {
		op["security"] = []obj{{"bearer": []string{}}}
	}

	var params []obj
	for _, m := range pathParamRE.FindAllStringSubmatch(rt.Path, -1) {
		p := obj{"name": m[1], "in": "path", "required": true, "schema": obj{"type": "string"}}
		if m[1] == "id" {
			p["schema"] = obj{"type": "integer", "format": "int64", "minimum": 1}
		}
		params = append(params, p)
	}
	for _, q := range rt.Query {
		params = append(params, queryParam(rt.Path, q))
	}
	if len(params) > 0 {
		op["parameters"] = params
	}

	switch {
	case rt.Upload:
		op["requestBody"] = obj{"required": true, "content": obj{"multipart/form-data": obj{"schema": obj{
			"type":     "object",
			"required": []string{"file"},
			"properties": obj{"file": obj{"type": "string", "contentMediaType": xlsxType,
				"description": "The .xlsx workbook (first sheet, one header row)"}},
		}}}}
	case rt.Body != "":
		op["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": obj{"$ref": schemaRef + rt.Body}}}}
	}

	responses := obj{}
	resp := rt.Resp
	status, desc := "200", "OK"
	if rt.Created {
		status, desc = "201", "Created"
	}
	switch resp {
	case "":
		responses[status] = obj{"description": desc}
	case "xlsx":
		responses[status] = obj{"description": "An .xlsx workbook (sent as an attachment)", "content": obj{xlsxType: obj{}}}
	default:
		responses[status] = obj{"description": desc, "content": obj{"application/json": obj{"schema": obj{"$ref": schemaRef + resp}}}}
	}
	if strings.HasSuffix(rt.Path, "/submit") {
		responses["422"] = obj{"description": "The policy's checks failed: error.problems lists every failed blocking rule",
			"content": obj{"application/json": obj{"schema": obj{"type": "object", "properties": obj{"error": obj{"type": "object",
				"properties": obj{"code": str(""), "message": str(""), "message_en": str(""),
					"problems": obj{"type": "array", "items": obj{"$ref": schemaRef + "CheckProblem"}}}}}}}}}
	}
	if rt.Path == "/api/v1/verify" {
		responses["400"] = obj{"description": "The token parameter is missing", "content": obj{"application/json": obj{"schema": obj{"$ref": schemaRef + "Error"}}}}
	}
	if rt.Path == "/healthz" {
		responses["503"] = obj{"description": "The database does not answer", "content": obj{"application/json": obj{"schema": obj{"$ref": schemaRef + "Health"}}}}
	}
	errResp := func(code, name string) { responses[code] = obj{"$ref": responseRef + name} }
	if rt.Perm != auth.Public {
		errResp("401", "Unauthorized")
	}
	if rt.Perm != auth.Public && rt.Perm != auth.LoggedIn {
		errResp("403", "Forbidden")
	}
	if strings.Contains(rt.Path, "{") {
		errResp("404", "NotFound")
	}
	// A change may clash with the state of its object (edited meanwhile, already
	// approved…); a change or a query may carry invalid values.
	if rt.Method != http.MethodGet {
		errResp("409", "Conflict")
	}
	if rt.Method != http.MethodGet || len(rt.Query) > 0 {
		errResp("422", "Invalid")
	}
	if rt.Upload && resp == "ImportResult" {
		// A sheet with invalid rows is not written: the result lists every problem.
		responses["422"] = obj{"description": "The upload is not a usable sheet (Error), or rows are invalid and nothing was written (ImportResult with written=false and the errors)",
			"content": obj{"application/json": obj{"schema": obj{"oneOf": []obj{{"$ref": schemaRef + "ImportResult"}, {"$ref": schemaRef + "Error"}}}}}}
	}
	op["responses"] = responses
	return op
}

func operationID(rt Route) string {
	p := strings.TrimPrefix(rt.Path, "/api/v1/")
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	sep := true
	for _, c := range p {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			if sep {
				b.WriteByte('_')
				sep = false
			}
			b.WriteRune(c)
		} else {
			sep = true
		}
	}
	return b.String()
}

func tagOf(path string) string {
	if !strings.HasPrefix(path, "/api/") {
		return "system"
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/api/v1/"), "/")
	switch seg {
	case "openapi.json":
		return "system"
	case "me":
		return "users"
	case "imports":
		return "enterprises"
	}
	return seg
}

func queryParam(path, name string) obj {
	p := obj{"name": name, "in": "query", "required": false}
	schema := obj{"type": "string"}
	desc := ""
	switch name {
	case "page":
		schema, desc = obj{"type": "integer", "minimum": 1, "default": 1}, "Page number, from 1"
	case "size":
		schema, desc = obj{"type": "integer", "minimum": 1, "maximum": store.MaxPageSize, "default": 20}, "Items per page"
	case "q":
		desc = "Search text"
	case "parent":
		desc = "Region code whose children to list (the user's own scope when empty)"
	case "region":
		desc = "Region code: only objects in this region and below"
	case "park":
		schema, desc = obj{"type": "integer", "format": "int64"}, "Park id"
	case "category":
		desc = "Category code of the policy in force"
	case "status":
		switch {
		case strings.HasPrefix(path, "/api/v1/applications"):
			desc = "Application status: draft, open (any stage under review), returned, rejected, withdrawn, approved, revoked, or a stage code of the policy"
		case strings.HasPrefix(path, "/api/v1/buses"):
			schema, desc = obj{"type": "string", "enum": []string{"pending", "approved", "rejected", "letter_issued"}}, "Bus status"
		default:
			schema, desc = obj{"type": "string", "enum": enterprise.Statuses}, "Resumption status"
		}
	case "unit":
		desc = "Unit code of the policy: the reviewing unit, or the unit acting now"
	case "enterprise":
		schema, desc = obj{"type": "integer", "format": "int64"}, "Enterprise id"
	case "mine":
		schema, desc = obj{"type": "boolean", "default": false}, "Only what waits for the caller to act, in queue order (green channel, priority, oldest)"
	case "token":
		desc = "The signed token, or the whole verification URL from the QR code"
	case "role":
		schema, desc = obj{"type": "string", "enum": auth.Roles}, "Role"
	case "valid_only":
		schema, desc = obj{"type": "boolean", "default": false}, "Write the valid rows even when some rows are invalid (those are skipped and reported)"
	case "object_type":
		desc = "Object type (enterprise, region, park, department, user)"
	case "object_id":
		desc = "Object id (a region's code)"
	case "action":
		desc = "Action, such as enterprise.create"
	}
	p["schema"] = schema
	if desc != "" {
		p["description"] = desc
	}
	return p
}

// --- component schemas ---

func ref(name string) obj { return obj{"$ref": schemaRef + name} }

func str(desc string) obj {
	if desc == "" {
		return obj{"type": "string"}
	}
	return obj{"type": "string", "description": desc}
}

func integer(desc string) obj {
	o := obj{"type": "integer"}
	if desc != "" {
		o["description"] = desc
	}
	return o
}

func id64(desc string) obj {
	o := obj{"type": "integer", "format": "int64"}
	if desc != "" {
		o["description"] = desc
	}
	return o
}

func boolean(desc string) obj {
	o := obj{"type": "boolean"}
	if desc != "" {
		o["description"] = desc
	}
	return o
}

func timestamp() obj { return obj{"type": "string", "format": "date-time", "readOnly": true} }

func readOnly(o obj) obj {
	o["readOnly"] = true
	return o
}

func object(desc string, required []string, props obj) obj {
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if desc != "" {
		o["description"] = desc
	}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func list(item string) obj {
	return object("One page of "+item+" items", []string{"items", "total", "page", "size"}, obj{
		"items": obj{"type": "array", "items": ref(item)},
		"total": integer("Number of matching items on all pages"),
		"page":  integer("This page's number, from 1"),
		"size":  integer("Items per page"),
	})
}

func openAPISchemas() obj {
	codes := make([]string, 0, len(kindName))
	for _, c := range kindName {
		codes = append(codes, c)
	}
	slices.Sort(codes)

	enterpriseFields := func(patch bool) obj {
		props := obj{
			"name":             str("Name (at most 100 characters)"),
			"uscc":             str("Unified social credit code 统一社会信用代码 (18 characters)"),
			"category":         str("Category code of the policy in force"),
			"region_code":      str("Code of the town or village"),
			"park_id":          id64("Park, when the enterprise is in one"),
			"status":           obj{"type": "string", "enum": enterprise.Statuses, "description": "Resumption status"},
			"has_canteen":      boolean("Runs a canteen"),
			"has_dormitory":    boolean("Runs a dormitory"),
			"has_bus":          boolean("Runs a commuter bus"),
			"key_enterprise":   boolean("Key enterprise 重点企业"),
			"legal_rep":        str("Legal representative"),
			"prevention_lead":  str("Person in charge of epidemic prevention"),
			"prevention_phone": str("Phone of the prevention lead"),
			"address":          str(""),
			"headcount":        obj{"type": "integer", "minimum": 0, "maximum": 1_000_000, "description": "Registered headcount"},
		}
		if patch {
			props["version"] = integer("The version that was read; when given and no longer current the change is refused with 409")
			return props
		}
		props["version"] = integer("Incremented by every change; send it back when patching")
		props["id"] = readOnly(id64(""))
		props["created_at"] = timestamp()
		props["updated_at"] = timestamp()
		props["region_name"] = readOnly(str(""))
		props["park_name"] = readOnly(str(""))
		return props
	}
	userProps := obj{
		"username":     str("Sign-in name: 2–64 letters, digits or . _ @ -"),
		"display_name": str("Name shown (at most 64 characters)"),
		"phone":        str(""),
		"role":         obj{"type": "string", "enum": auth.Roles},
		"scope":        str("all, region:<code>, dept:<id>, park:<id> or enterprise:<id>, as the role allows"),
	}
	withUser := func(extra obj) obj {
		o := obj{}
		for k, v := range userProps {
			o[k] = v
		}
		for k, v := range extra {
			o[k] = v
		}
		return o
	}

	schemas := obj{
		"object": obj{"type": "object"},
		"Error": object("An error: code is one of a few kinds, message is for the user", []string{"error"}, obj{
			"error": object("", []string{"code", "message", "message_en"}, obj{
				"code":       obj{"type": "string", "enum": codes},
				"message":    str("Message in Chinese"),
				"message_en": str("Message in English"),
				"problems":   obj{"type": "array", "items": ref("Problem"), "description": "For invalid input: one entry per problem"},
			}),
		}),
		"Problem": object("A problem with one field of the input", []string{"field", "message", "message_en"}, obj{
			"field":      str("The field's JSON name (regions[2].code for an item of a list)"),
			"message":    str("In Chinese"),
			"message_en": str("In English"),
		}),
		"Health": object("Liveness", []string{"status", "engine", "version", "policy_version", "uptime_seconds"}, obj{
			"status":         str("ok, or database unavailable"),
			"engine":         str("sqlite or postgres"),
			"version":        str("Build version"),
			"policy_version": str("Version of the policy in force"),
			"uptime_seconds": integer(""),
		}),
		"User": object("An account", []string{"id", "username", "display_name", "phone", "role", "scope", "disabled", "created_at", "updated_at"},
			withUser(obj{"id": readOnly(id64("")), "disabled": boolean("A disabled user cannot sign in"), "created_at": timestamp(), "updated_at": timestamp(),
				"password": readOnly(str("Only in the answer to creating a user whose password the server made: shown this once"))})),
		"UserCreate": object("A new account", []string{"username", "role", "scope"},
			withUser(obj{"password": obj{"type": "string", "writeOnly": true,
				"description": "The first password, at least 8 characters; when empty or left out the server makes one and answers it once"}})),
		"UserList": list("User"),
		"Enterprise": object("A registered enterprise", []string{"id", "name", "uscc", "category", "region_code", "status", "version"},
			enterpriseFields(false)),
		"EnterprisePatch": object("Fields to change; fields not sent keep their value. Some fields only officials may change (name, uscc, category, region_code, park_id, status, key_enterprise)",
			nil, enterpriseFields(true)),
		"EnterpriseList": list("Enterprise"),
		"ImportResult": object("What an import did, or would do", []string{"rows", "created", "updated", "skipped", "errors", "written", "bad_rows", "duration"}, obj{
			"rows":    integer("Data rows read"),
			"created": integer(""),
			"updated": integer("Rows matched by credit code to an existing enterprise"),
			"skipped": integer("Invalid rows left out (valid_only)"),
			"errors": obj{"type": []string{"array", "null"}, "items": object("A problem with one row", []string{"row", "field", "message", "message_en"}, obj{
				"row":        integer("Row number in the sheet"),
				"field":      str(""),
				"message":    str(""),
				"message_en": str(""),
			})},
			"written":  boolean("Whether anything was written"),
			"bad_rows": integer("Rows with problems"),
			"duration": str("How long it took"),
		}),
		"ImportJob": object("An import started from the web page", []string{"id", "kind", "user_id", "file_name", "status", "total", "done", "message", "created_at"}, obj{
			"id":          id64(""),
			"kind":        str("What is imported (enterprises)"),
			"user_id":     id64(""),
			"file_name":   str(""),
			"status":      obj{"type": "string", "enum": []string{"running", "done", "failed"}},
			"total":       integer("Rows to process"),
			"done":        integer("Rows processed"),
			"message":     str("Why it failed"),
			"result":      ref("ImportResult"),
			"created_at":  timestamp(),
			"finished_at": timestamp(),
		}),
		"Region": object("A node of the jurisdiction tree", []string{"code", "name"}, obj{
			"code":        str("Division code: 6 digits for a county, 9 for a town, 12 for a village"),
			"name":        str("At most 64 characters"),
			"level":       readOnly(obj{"type": "integer", "enum": []int{1, 2, 3, 4, 5}, "description": "1 province, 2 city, 3 county, 4 town, 5 village (from the code)"}),
			"parent_code": readOnly(str("The nearest stored region above")),
			"created_at":  timestamp(),
			"updated_at":  timestamp(),
			"children":    readOnly(integer("Regions directly below")),
			"enterprises": readOnly(integer("Enterprises in the region and below")),
		}),
		"RegionBatch": object("Regions to create or rename, all or none; a problem with an item names it as regions[i].field", []string{"regions"}, obj{
			"regions": obj{"type": "array", "minItems": 1, "items": object("", []string{"code", "name"}, obj{
				"code": str("Division code: 6 digits for a county, 9 for a town, 12 for a village"),
				"name": str("At most 64 characters"),
			})},
		}),
		"RegionList": list("Region"),
		"SaveResult": object("How many objects were created and updated", []string{"created", "updated"}, obj{
			"created": integer(""),
			"updated": integer(""),
		}),
		"Park": object("An industrial or business park 园区", []string{"id", "name", "region_code"}, obj{
			"id":          readOnly(id64("")),
			"name":        str("At most 100 characters"),
			"region_code": str(""),
			"region_name": readOnly(str("")),
			"operator":    str("Operating company"),
			"contact":     str("Contact person"),
			"phone":       str(""),
			"created_at":  timestamp(),
			"updated_at":  timestamp(),
		}),
		"ParkList": list("Park"),
		"Department": object("A government unit 主管部门", []string{"id", "name", "region_code"}, obj{
			"id":          readOnly(id64("")),
			"name":        str("At most 100 characters"),
			"unit_code":   str("Unit code of the policy in force"),
			"region_code": str(""),
			"region_name": readOnly(str("")),
			"phone":       str(""),
			"created_at":  timestamp(),
			"updated_at":  timestamp(),
		}),
		"DepartmentList": list("Department"),
		"AuditEntry": object("A row of the hash-chained audit trail", []string{"seq", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "summary", "prev_hash", "hash"}, obj{
			"seq":         id64("Position in the chain, from 1"),
			"at":          obj{"type": "string", "format": "date-time"},
			"actor_id":    id64("0 for the system"),
			"actor_name":  str(""),
			"action":      str("Such as enterprise.update"),
			"object_type": str(""),
			"object_id":   str(""),
			"summary":     str("A JSON object describing the change"),
			"prev_hash":   str("Hash of the previous row"),
			"hash":        str("SHA-256 over prev_hash and this row's fields"),
		}),
		"AuditList": list("AuditEntry"),
		"Policy": obj{"type": "object", "additionalProperties": true,
			"description": "The local policy in force, as loaded from its file (categories, units, stages, checklist …) with its Version"},
	}
	for _, more := range []obj{applicationSchemas(), noticeSchemas(), busSchemas(), rosterSchemas(), workforceSchemas(), roomSchemas(), meSchemas()} {
		for name, schema := range more {
			schemas[name] = schema
		}
	}
	return schemas
}
