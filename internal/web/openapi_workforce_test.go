package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/policy"
)

// workforcePrefixes are the API paths of entry passes, health checks, follow-ups, the
// gate, ledgers and daily reports: every route under them is called below.
var workforcePrefixes = []string{"/api/v1/passes", "/api/v1/health-checks", "/api/v1/health-followups", "/api/v1/gate/",
	"/api/v1/ledgers/", "/api/v1/reports/daily"}

func isWorkforce(path string) bool {
	return slices.ContainsFunc(workforcePrefixes, func(p string) bool { return strings.HasPrefix(path, p) })
}

// schemaDoc is the API document with what a test needs to check calls against it.
type schemaDoc struct {
	t      *testing.T
	w      *world
	doc    map[string]any
	called map[string]bool // "METHOD /path/{id}" answered with success and checked
}

// strictObjects reports the object schemas reachable from v that let undeclared fields
// through: conform only names an undeclared field when additionalProperties is false.
func (d *schemaDoc) strictObjects(v any, where string, seen map[string]bool) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		if r, ok := v["$ref"].(string); ok {
			if seen[r] {
				return nil
			}
			seen[r] = true
			target, _ := resolve(d.doc, r)
			return d.strictObjects(target, r, seen)
		}
		if _, ok := v["properties"]; ok && v["additionalProperties"] != false {
			out = append(out, where+": an object schema without additionalProperties: false")
		}
		for k, x := range v {
			out = append(out, d.strictObjects(x, where+"/"+k, seen)...)
		}
	case []any:
		for i, x := range v {
			out = append(out, d.strictObjects(x, fmt.Sprintf("%s/%d", where, i), seen)...)
		}
	}
	return out
}

// call sends body (nil for none) as role to the route opPath (method, with its
// parameters filled in path), checks the body against the documented request schema and
// the answer against the documented response of its status, and decodes the answer into
// out. It returns the status.
func (d *schemaDoc) call(role auth.Role, method, path, opPath string, body any, wantStatus int, out any) int {
	t := d.t
	t.Helper()
	name := method + " " + path
	op, ok := at(d.doc, "paths", opPath, strings.ToLower(method)).(map[string]any)
	if !ok {
		t.Fatalf("%s: %s %s is not in the document", name, method, opPath)
	}
	h := http.Header{"Authorization": {"Bearer " + d.w.tokens[role]}}
	raw := ""
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		raw = string(b)
		h.Set("Content-Type", "application/json")
		reqSchema, ok := at(op, "requestBody", "content", "application/json", "schema").(map[string]any)
		if !ok {
			t.Errorf("%s: sends a body, but the document gives the route none", name)
		} else {
			var v any
			_ = json.Unmarshal(b, &v)
			for _, p := range conform(d.doc, reqSchema, v, "request") {
				t.Errorf("%s: the body the server accepts does not fit the documented request: %s", name, p)
			}
		}
	}
	got := d.w.send(t, noRedirects(), method, path, h, raw)
	if got.status != wantStatus {
		t.Fatalf("%s as %s: %s; want %d", name, role, got, wantStatus)
	}
	resp := at(op, "responses", fmt.Sprint(got.status))
	if r, ok := at(resp, "$ref").(string); ok {
		resp, _ = resolve(d.doc, r)
	}
	schema, ok := at(resp, "content", "application/json", "schema").(map[string]any)
	if !ok {
		t.Fatalf("%s: answered %d with JSON, which the document does not describe", name, got.status)
	}
	for _, p := range d.strictObjects(schema, "response", map[string]bool{}) {
		t.Errorf("%s: %s", name, p)
	}
	var v any
	if err := json.Unmarshal([]byte(got.body), &v); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", name, err, got.body)
	}
	for _, p := range conform(d.doc, schema, v, "body") {
		t.Errorf("%s as %s (%d): %s", name, role, got.status, p)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(got.body), out); err != nil {
			t.Fatalf("%s: decode: %v", name, err)
		}
	}
	if got.status < 300 {
		d.called[method+" "+opPath] = true
	}
	return got.status
}

type wfPass struct {
	ID         int64  `json:"id"`
	EmployeeID int64  `json:"employee_id"`
	Status     string `json:"status"`
	Reason     string `json:"reason"`
	Token      string `json:"token"`
}

type wfPasses struct {
	Items []wfPass `json:"items"`
}

// TestOpenAPIWorkforceConform walks passes, health checks, follow-ups, the gate, the
// ledgers and the daily reports through the API, and checks every answer against the
// schema the document gives for it: every field it sends is declared, every required
// field is sent, types, enums and date-times fit. The bodies sent are checked against the
// documented request schemas too. Every route of those paths must be called.
func TestOpenAPIWorkforceConform(t *testing.T) {
	w, doc := openAPIWorld(t)
	d := &schemaDoc{t: t, w: w, doc: doc, called: map[string]bool{}}
	loc := policy.Default().Location()
	now := time.Now()
	day := now.In(loc).Format("2006-01-02")
	ea := itoa(w.entA)
	w.appApproved(t)

	// Passes: request, approve a batch and one, list.
	var emps []int64
	for i, n := range []string{"甲文档", "乙文档", "丙文档", "丁文档"} {
		emps = append(emps, w.employee(t, n, 70+i))
	}
	var req wfPasses
	d.call(auth.Enterprise, "POST", "/api/v1/passes", "/api/v1/passes", map[string]any{"employee_ids": emps}, http.StatusCreated, &req)
	if len(req.Items) != len(emps) {
		t.Fatalf("requested %d passes, got %+v", len(emps), req)
	}
	d.call(auth.Enterprise, "GET", "/api/v1/passes?status=requested", "/api/v1/passes", nil, http.StatusOK, nil)
	var ok wfPasses
	d.call(auth.Grid, "POST", "/api/v1/passes/approve", "/api/v1/passes/approve", map[string]any{"ids": []int64{req.Items[0].ID, req.Items[1].ID, req.Items[2].ID}}, http.StatusOK, &ok)
	var fourth wfPass
	d.call(auth.Grid, "POST", "/api/v1/passes/"+itoa(req.Items[3].ID)+"/approve", "/api/v1/passes/{id}/approve", nil, http.StatusOK, &fourth)
	if len(ok.Items) != 3 || fourth.Token == "" {
		t.Fatalf("approved: %+v %+v", ok, fourth)
	}
	p1, p2, p3, p4 := ok.Items[0], ok.Items[1], ok.Items[2], fourth
	d.call(auth.Enterprise, "GET", "/api/v1/passes?page=1&size=10", "/api/v1/passes", nil, http.StatusOK, nil)

	// The gate: a good scan, a scan with no temperature (null), a bad token.
	d.call(auth.Guard, "POST", "/api/v1/gate/scan", "/api/v1/gate/scan", map[string]any{"token": p1.Token, "temperature": 36.5, "checkpoint": "东门"}, http.StatusOK, nil)
	d.call(auth.Guard, "POST", "/api/v1/gate/scan", "/api/v1/gate/scan", map[string]any{"token": p4.Token, "temperature": nil}, http.StatusOK, nil)
	d.call(auth.Guard, "POST", "/api/v1/gate/scan", "/api/v1/gate/scan", map[string]any{"token": "not a token"}, http.StatusOK, nil)

	// Health checks: one reading, then a batch with a fever; declarations of three days
	// in a row with one value.
	d.call(auth.Guard, "POST", "/api/v1/health-checks", "/api/v1/health-checks", map[string]any{"employee_id": p1.EmployeeID, "temperature": 36.6,
		"checkpoint": "东门", "at": now.Add(-time.Minute).Format(time.RFC3339)}, http.StatusCreated, nil)
	var batch struct {
		Items []struct {
			Fever      bool  `json:"fever"`
			FollowUpID int64 `json:"follow_up_id"`
		} `json:"items"`
	}
	d.call(auth.Guard, "POST", "/api/v1/health-checks", "/api/v1/health-checks", []map[string]any{
		{"pass_token": p1.Token, "temperature": 36.4},
		{"employee_id": p2.EmployeeID, "temperature": 38.6, "symptoms": []string{"咳嗽"}, "checkpoint": "东门"},
	}, http.StatusCreated, &batch)
	if len(batch.Items) != 2 || !batch.Items[1].Fever || batch.Items[1].FollowUpID == 0 {
		t.Fatalf("batch: %+v", batch)
	}
	var days []map[string]any
	for i := 2; i >= 0; i-- {
		days = append(days, map[string]any{"pass_token": p3.Token, "temperature": 36.3, "at": now.AddDate(0, 0, -i).Format(time.RFC3339)})
	}
	d.call(auth.Staff, "POST", "/api/v1/health-checks", "/api/v1/health-checks", days, http.StatusCreated, nil)
	var un struct {
		Items    []struct{} `json:"items"`
		Repeated []struct {
			LastDay string `json:"last_day"`
		} `json:"repeated_declarations"`
	}
	d.call(auth.Guard, "GET", "/api/v1/health-checks/unchecked", "/api/v1/health-checks/unchecked", nil, http.StatusOK, &un)
	if len(un.Items) == 0 || len(un.Repeated) != 1 {
		t.Errorf("unchecked: %+v; want people not checked and one repeated declaration", un)
	} else if _, err := time.Parse("2006-01-02", un.Repeated[0].LastDay); err != nil {
		t.Errorf("last_day %q is not a date", un.Repeated[0].LastDay)
	}
	d.call(auth.Enterprise, "GET", "/api/v1/health-checks/unchecked?enterprise="+ea+"&checkpoint="+"%E4%B8%9C%E9%97%A8", "/api/v1/health-checks/unchecked", nil, http.StatusOK, nil)

	// Follow-ups: the fever's is open; close it and re-activate the pass.
	var fus struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	d.call(auth.Grid, "GET", "/api/v1/health-followups?open=true", "/api/v1/health-followups", nil, http.StatusOK, &fus)
	if len(fus.Items) != 1 {
		t.Fatalf("open follow-ups: %+v", fus)
	}
	d.call(auth.Grid, "POST", "/api/v1/health-followups/"+itoa(fus.Items[0].ID)+"/close", "/api/v1/health-followups/{id}/close",
		map[string]any{"isolation": "居家隔离观察", "referral": "县人民医院发热门诊", "outcome": "排除"}, http.StatusOK, nil)
	d.call(auth.Enterprise, "GET", "/api/v1/health-followups", "/api/v1/health-followups", nil, http.StatusOK, nil)
	var back wfPass
	d.call(auth.Enterprise, "POST", "/api/v1/passes/"+itoa(p2.ID)+"/reactivate", "/api/v1/passes/{id}/reactivate", nil, http.StatusOK, &back)
	if back.Status != "active" {
		t.Errorf("re-activated: %+v", back)
	}

	// Missed checks, revocation, the offline list.
	d.call(auth.Grid, "POST", "/api/v1/passes/suspend-missed", "/api/v1/passes/suspend-missed", map[string]any{"day": day}, http.StatusOK, nil)
	var gone wfPass
	d.call(auth.Enterprise, "POST", "/api/v1/passes/"+itoa(p1.ID)+"/revoke", "/api/v1/passes/{id}/revoke", map[string]any{"reason": "manual"}, http.StatusOK, &gone)
	if gone.Status != "revoked" || gone.Reason != "manual" {
		t.Errorf("revoked: %+v", gone)
	}
	d.call(auth.Guard, "GET", "/api/v1/passes/revoked", "/api/v1/passes/revoked", nil, http.StatusOK, nil)
	d.call(auth.Admin, "GET", "/api/v1/passes?enterprise="+ea, "/api/v1/passes", nil, http.StatusOK, nil)

	// Visitors and vehicles, then the day's log with the scans.
	d.call(auth.Guard, "POST", "/api/v1/gate/entries", "/api/v1/gate/entries", map[string]any{"kind": "visitor", "name": "访客甲", "phone": "13800001111",
		"id_number": personID(t, 79), "purpose": "送货", "host": "王经理", "temperature": 36.4, "checkpoint": "东门"}, http.StatusCreated, nil)
	d.call(auth.Guard, "POST", "/api/v1/gate/entries", "/api/v1/gate/entries", map[string]any{"kind": "vehicle", "name": "司机乙", "plate": "浙F12345",
		"temperature": 37.9, "freight_disinfected": false}, http.StatusCreated, nil)
	d.call(auth.Admin, "POST", "/api/v1/gate/entries", "/api/v1/gate/entries", map[string]any{"enterprise_id": w.entA, "kind": "vehicle", "plate": "浙F54321",
		"temperature": 36.2, "freight_disinfected": true}, http.StatusCreated, nil)
	var log struct {
		Items []struct {
			Kind string `json:"kind"`
		} `json:"items"`
	}
	d.call(auth.Guard, "GET", "/api/v1/gate/entries", "/api/v1/gate/entries", nil, http.StatusOK, &log)
	kinds := map[string]bool{}
	for _, e := range log.Items {
		kinds[e.Kind] = true
	}
	if !kinds["employee"] || !kinds["visitor"] || !kinds["vehicle"] {
		t.Errorf("gate log kinds %v", kinds)
	}
	d.call(auth.Admin, "GET", "/api/v1/gate/entries?enterprise="+ea, "/api/v1/gate/entries", nil, http.StatusOK, nil)

	// Ledgers: a line of each, a movement out of stock, the lists.
	stamp := now.Add(-time.Hour).Format(time.RFC3339)
	for kind, body := range map[string]map[string]any{
		"disinfection": {"at": stamp, "area": "一号车间", "agent": "84消毒液 1:100", "person": "王五", "note": "每日两次"},
		"supplies":     {"at": stamp, "item": "masks", "quantity": 100, "note": "采购入库"},
		"masks":        {"at": stamp, "quantity": 12, "person": "赵六"},
		"training":     {"at": day, "topic": "复工防疫知识", "names": "甲文档、乙文档"},
	} {
		d.call(auth.Enterprise, "POST", "/api/v1/ledgers/"+kind, "/api/v1/ledgers/{kind}", body, http.StatusCreated, nil)
	}
	d.call(auth.Admin, "POST", "/api/v1/ledgers/supplies", "/api/v1/ledgers/{kind}", map[string]any{"enterprise_id": w.entA, "at": now.In(loc).Format("2006-01-02 15:04"),
		"item": "masks", "quantity": -10}, http.StatusCreated, nil)
	var sup struct {
		Items  []struct{} `json:"items"`
		Stock  []struct{} `json:"stock"`
		OnSite *int       `json:"on_site"`
	}
	d.call(auth.Grid, "GET", "/api/v1/ledgers/supplies?enterprise="+ea, "/api/v1/ledgers/{kind}", nil, http.StatusOK, &sup)
	if len(sup.Items) != 2 || len(sup.Stock) == 0 || sup.OnSite == nil {
		t.Errorf("supplies ledger: %+v", sup)
	}
	for _, kind := range []string{"disinfection", "masks", "training"} {
		d.call(auth.Enterprise, "GET", "/api/v1/ledgers/"+kind+"?from="+day+"&to="+day, "/api/v1/ledgers/{kind}", nil, http.StatusOK, nil)
	}

	// Daily reports: computed, confirmed, then as the county sees them.
	var daily struct {
		Date  string `json:"date"`
		Items []struct {
			Confirmed bool `json:"confirmed"`
		} `json:"items"`
	}
	d.call(auth.Town, "GET", "/api/v1/reports/daily?enterprise="+ea, "/api/v1/reports/daily", nil, http.StatusOK, &daily)
	if daily.Date != day || len(daily.Items) != 1 || daily.Items[0].Confirmed {
		t.Errorf("daily report before confirming: %+v", daily)
	}
	d.call(auth.Enterprise, "POST", "/api/v1/reports/daily/confirm", "/api/v1/reports/daily/confirm", map[string]any{"date": day, "note": "无异常"}, http.StatusOK, nil)
	daily.Items = nil
	d.call(auth.Command, "GET", "/api/v1/reports/daily?date="+day, "/api/v1/reports/daily", nil, http.StatusOK, &daily)
	if len(daily.Items) != 2 || !slices.ContainsFunc(daily.Items, func(r struct {
		Confirmed bool `json:"confirmed"`
	}) bool {
		return r.Confirmed
	}) {
		t.Errorf("daily reports of the county: %+v", daily)
	}

	// The registers of the day: the scans at 东门, the readings.
	var gateReg, tempReg struct {
		Total int `json:"total"`
	}
	d.call(auth.Command, "GET", "/api/v1/gate/register?checkpoint="+url.QueryEscape("东门"), "/api/v1/gate/register", nil, http.StatusOK, &gateReg)
	d.call(auth.Enterprise, "GET", "/api/v1/health-checks/register", "/api/v1/health-checks/register", nil, http.StatusOK, &tempReg)
	if gateReg.Total == 0 || tempReg.Total == 0 {
		t.Errorf("registers: gate %d, temperatures %d", gateReg.Total, tempReg.Total)
	}

	// Refusals answer the documented errors.
	d.call(auth.Enterprise, "POST", "/api/v1/passes", "/api/v1/passes", map[string]any{"employee_ids": []int64{}}, http.StatusUnprocessableEntity, nil)
	d.call(auth.Guard, "POST", "/api/v1/health-checks", "/api/v1/health-checks", map[string]any{"employee_id": p4.EmployeeID, "temperature": 52}, http.StatusUnprocessableEntity, nil)
	d.call(auth.Enterprise, "POST", "/api/v1/reports/daily/confirm", "/api/v1/reports/daily/confirm", map[string]any{"date": day}, http.StatusConflict, nil)
	d.call(auth.Staff, "GET", "/api/v1/ledgers/masks", "/api/v1/ledgers/{kind}", nil, http.StatusForbidden, nil)

	// Every JSON route of those paths was called and checked (uploads take multipart).
	var missed []string
	for _, rt := range w.srv.Routes() {
		if rt.API() && isWorkforce(rt.Path) && !rt.Upload && !d.called[rt.Method+" "+rt.Path] {
			missed = append(missed, rt.Method+" "+rt.Path)
		}
	}
	sort.Strings(missed)
	if len(missed) > 0 {
		t.Errorf("routes not called with success, so not checked against the document: %v", missed)
	}
}

// TestOpenAPIWorkforceNamedSchemas: the pass, health, gate, ledger and daily report routes
// name a schema for what they answer and for the body they read, not a bare object.
func TestOpenAPIWorkforceNamedSchemas(t *testing.T) {
	w, doc := openAPIWorld(t)
	d := &schemaDoc{t: t, w: w, doc: doc}
	n := 0
	for _, rt := range w.srv.Routes() {
		if !rt.API() || !isWorkforce(rt.Path) {
			continue
		}
		n++
		name := rt.Method + " " + rt.Path
		if rt.Resp == "" || rt.Resp == "object" || rt.Body == "object" {
			t.Errorf("%s: Resp %q, Body %q; name a schema", name, rt.Resp, rt.Body)
		}
		if rt.Method == http.MethodPost && rt.Body == "" && !rt.Upload && !strings.HasSuffix(rt.Path, "/approve") && !strings.HasSuffix(rt.Path, "/reactivate") {
			t.Errorf("%s: reads a JSON body, but names no schema for it", name)
		}
		for _, s := range []string{rt.Resp, rt.Body} {
			if s == "" {
				continue
			}
			schema := at(doc, "components", "schemas", s)
			if schema == nil {
				t.Errorf("%s: schema %s is not in the document", name, s)
				continue
			}
			for _, p := range d.strictObjects(schema, s, map[string]bool{}) {
				t.Errorf("%s: %s", name, p)
			}
		}
	}
	if n < 19 {
		t.Errorf("%d workforce routes in the table; want at least 19", n)
	}
}
