package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/input"
	"fugong/internal/list"
	"fugong/internal/notice"
	"fugong/internal/roster"
)

// The OpenAPI document is generated from the route table: every /api/ route (and
// /healthz) with its method, summary, parameters, body, responses and permission. The
// component schemas are written by hand, each noun's next to its API handlers (see
// nounSchemas), and must follow the JSON tags of the Go types they describe;
// openapi_test.go compares them.

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
	schemas, err := mergeSchemas(nounSchemas)
	if err != nil {
		return nil, err
	}
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
				"Every list is paged with `page` (from 1) and `size` (at most " + fmt.Sprint(list.MaxSize) + "). " +
				"Objects outside the caller's scope answer 404, like objects that do not exist. " +
				"Errors carry a code and a message in Chinese and English, and for invalid input one problem per field. " +
				"Text is UTF-8 (a body in another charset answers 415): every string of a body, query or form is refused with a problem " +
				"naming its field (its JSON path, such as items[2].note) when it is not valid UTF-8, holds a control character " +
				"(line breaks and tabs only in multi-line fields such as note and comment) or a text-direction control, or is longer than " +
				fmt.Sprint(input.SingleLineMax) + " characters (" + fmt.Sprint(input.MultiLineMax) + " in a multi-line field).",
		},
		"paths": paths,
		"components": obj{
			"securitySchemes": obj{
				"bearer": obj{"type": "http", "scheme": "bearer", "description": "An API token of a user: the user's role and scope apply."},
			},
			"schemas": schemas,
			"responses": obj{
				"Unauthorized":         errContent("Not signed in: the bearer token is missing, wrong, revoked or its user disabled"),
				"Forbidden":            errContent("The user's role lacks the permission named in x-permission"),
				"NotFound":             errContent("No such object, or it lies outside the user's scope"),
				"Conflict":             errContent("The change clashes with the current state (for example someone else changed the object since it was read: reload and retry)"),
				"Invalid":              errContent("The input has problems: error.problems names each field and what is wrong with it"),
				"UnsupportedMediaType": errContent("The body is in a character set other than UTF-8, or its Content-Type cannot be read"),
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
	for _, name := range rt.pathParams() {
		p := obj{"name": name, "in": "path", "required": true, "schema": obj{"type": "string"}}
		if name == "id" {
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
	case rt.Upload && rt.Body != "":
		// JSON, or the same fields as a multipart form with its files (photos).
		op["requestBody"] = obj{"required": true, "content": obj{
			"application/json":    obj{"schema": obj{"$ref": schemaRef + rt.Body}},
			"multipart/form-data": obj{"schema": obj{"allOf": []obj{{"$ref": schemaRef + rt.Body}}, "properties": obj{"photos": obj{"type": "array", "items": obj{"type": "string", "contentMediaType": "image/*"}}}}},
		}}
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
		responses["422"] = obj{"description": "The policy's checks failed: error.problems lists every failed blocking rule with its rule and clause",
			"content": obj{"application/json": obj{"schema": obj{"$ref": schemaRef + "Error"}}}}
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
	if rt.Method != http.MethodGet {
		errResp("415", "UnsupportedMediaType")
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
		schema, desc = obj{"type": "integer", "minimum": 1, "maximum": list.MaxSize, "default": 20}, "Items per page"
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
			schema, desc = obj{"type": "string", "enum": notice.BusStatuses}, "Bus status"
		case strings.HasPrefix(path, "/api/v1/appointments"):
			schema, desc = obj{"type": "string", "enum": []string{"proposed", "booked", "done", "missed", "cancelled"}}, "Appointment status"
		case strings.HasPrefix(path, "/api/v1/requests"):
			schema, desc = obj{"type": "string", "enum": []string{"open", "answered", "solved"}}, "Request status"
		case strings.HasPrefix(path, "/api/v1/tips"):
			schema, desc = obj{"type": "string", "enum": []string{"received", "accepted", "declined", "investigating", "resulted", "replied"}}, "Tip status"
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
	case "phase":
		schema, desc = obj{"type": "string", "enum": roster.Phases}, "Phase of the quarantine clock"
	case "certificate":
		schema, desc = obj{"type": "string", "enum": roster.Certificates}, "Whether a home grid certificate is on file"
	case "full":
		schema, desc = obj{"type": "boolean", "default": false}, "ID numbers in full (roster.edit; audited)"
	case "open":
		schema, desc = obj{"type": "boolean", "default": false}, "Only open follow-ups"
	case "valid_only":
		schema, desc = obj{"type": "boolean", "default": false}, "Write the valid rows even when some rows are invalid (those are skipped and reported)"
	case "object_type":
		desc = "Object type (enterprise, region, park, department, user)"
	case "object_id":
		desc = "Object id (a region's code)"
	case "action":
		desc = "Action, such as enterprise.create"
	case "kind":
		desc = "Kind: of a request (the policy's request kinds), or of guidance (measures, faq, local, enterprise, staff, rent_relief, other)"
	case "overdue":
		schema, desc = obj{"type": "boolean", "default": false}, "Only what is past its deadline and not done"
	}
	p["schema"] = schema
	if desc != "" {
		p["description"] = desc
	}
	return p
}

// --- helpers of the component schemas ---

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

// stamp is a date-time that the client may send, unlike timestamp.
func stamp(desc string) obj {
	o := obj{"type": "string", "format": "date-time"}
	if desc != "" {
		o["description"] = desc
	}
	return o
}

func date(desc string) obj {
	o := obj{"type": "string", "format": "date"}
	if desc != "" {
		o["description"] = desc
	}
	return o
}

func enum(desc string, values ...string) obj {
	o := obj{"type": "string", "enum": values}
	if desc != "" {
		o["description"] = desc
	}
	return o
}

func array(items obj, desc string) obj {
	o := obj{"type": "array", "items": items}
	if desc != "" {
		o["description"] = desc
	}
	return o
}

func number(desc string) obj { return obj{"type": "number", "description": desc} }

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

func listSchema(item string) obj {
	return object("One page of "+item+" items", []string{"items", "total", "page", "size"}, obj{
		"items": obj{"type": "array", "items": ref(item)},
		"total": integer("Number of matching items on all pages"),
		"page":  integer("This page's number, from 1"),
		"size":  integer("Items per page"),
	})
}

// nounSchema names the function that makes a noun's component schemas.
type nounSchema struct {
	noun    string
	schemas func() obj
}

// nounSchemas lists the component schemas of the document: each noun's sit next to its
// API handlers, in <noun>_api.go. mergeSchemas refuses a name that two nouns define.
var nounSchemas = []nounSchema{
	{"system", systemSchemas},
	{"users", userSchemas},
	{"policy", policySchemas},
	{"regions", regionSchemas},
	{"parks", parkSchemas},
	{"departments", departmentSchemas},
	{"enterprises", enterpriseSchemas},
	{"enterprise picker", enterprisePickSchemas},
	{"imports", importSchemas},
	{"applications", applicationSchemas},
	{"buses", busSchemas},
	{"verify", verifySchemas},
	{"inbox", inboxSchemas},
	{"roster", rosterSchemas},
	{"rooms", roomSchemas},
	{"certificates", certificateSchemas},
	{"passes", passSchemas},
	{"health", healthSchemas},
	{"gate", gateSchemas},
	{"me", meSchemas},
	{"ledgers", ledgerSchemas},
	{"reports", reportSchemas},
	{"audit", auditSchemas},
	// Supervision after resumption.
	{"inspections", inspectionSchemas},
	{"rectifications", rectificationSchemas},
	{"hazards", hazardSchemas},
	{"assignments", assignmentSchemas},
	{"alerts", alertSchemas},
	{"grid", gridSchemas},
	{"dashboard", dashboardSchemas},
	{"rollup", rollupSchemas},
	{"statistics", statisticsSchemas},
	{"registers", registerSchemas},
	// The public's and the enterprises' voice.
	{"tips", tipSchemas},
	{"requests", requestSchemas},
	{"guidance", guidanceSchemas},
	{"appointments", appointmentSchemas},
}

// mergeSchemas gathers the schemas of every noun into the document's components; a name
// defined twice is an error naming both nouns.
func mergeSchemas(nouns []nounSchema) (obj, error) {
	schemas := obj{}
	by := map[string]string{}
	for _, n := range nouns {
		for name, schema := range n.schemas() {
			if first, dup := by[name]; dup {
				return nil, fmt.Errorf("openapi: schema %s is defined by both %s and %s", name, first, n.noun)
			}
			by[name] = n.noun
			schemas[name] = schema
		}
	}
	return schemas, nil
}
