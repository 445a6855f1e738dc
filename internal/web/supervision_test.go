package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/hazard"
	"fugong/internal/inspection"
	"fugong/internal/policy"
	"fugong/internal/rectify"
)

// inspectedOf plans an inspection of an enterprise as p for the first unit of its split
// and records it with one failed item: the inspection and the order it opened.
func (w *world) inspectedOf(t testing.TB, p auth.Principal, entID int64) (int64, int64) {
	t.Helper()
	_, split, err := w.db.Inspections().Split(w.ctx, p, entID)
	if err != nil {
		t.Fatal(err)
	}
	in, err := w.db.Inspections().Plan(w.ctx, p, inspection.Inspection{EnterpriseID: entID, Unit: split[0].Unit, Kind: policy.KindSpot,
		PlannedOn: "2020-03-02", Inspectors: "矩阵检查员"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.db.Inspections().Checklist(w.ctx, p, in)
	if err != nil {
		t.Fatal(err)
	}
	done := inspection.Completion{Signature: "矩阵检查员"}
	for i, it := range c.Items {
		r := inspection.ItemResult{Code: it.Code, Result: inspection.Pass}
		if i == 0 {
			r.Result, r.Note, r.Severity = inspection.Fail, "消杀记录缺失", inspection.General
		}
		done.Items = append(done.Items, r)
	}
	_, orders, err := w.db.Inspections().Complete(w.ctx, p, in.ID, done)
	if err != nil || len(orders) != 1 {
		t.Fatalf("complete: %v %v", orders, err)
	}
	return in.ID, orders[0].ID
}

// inspected is inspectedOf enterprise A by the town.
func (w *world) inspected(t testing.TB) (int64, int64) {
	return w.inspectedOf(t, w.users[auth.Town].Principal(), w.entA)
}

// The API of supervision: the split's unit plans, an unannounced visit stays hidden from
// the enterprise, the phone checklist shows the facts, a failed item becomes a numbered
// order, the enterprise answers, the unit verifies; every answer fits the document.
func TestSupervisionAPI(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		// Enterprise A is above-scale industry in park A: the park operator supervises it.
		var planned inspection.Inspection
		if st := w.api(auth.Park, "POST", "/api/v1/inspections", map[string]any{"enterprise_id": w.entA, "kind": "unannounced",
			"planned_on": "2020-03-02", "inspectors": "园区检查员"}, &planned); st != http.StatusCreated || planned.Unit != "park_operator" {
			t.Fatalf("plan: %d %+v", st, planned)
		}
		if st := w.api(auth.Park, "POST", "/api/v1/inspections", map[string]any{"enterprise_id": w.entA}, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("plan without a date: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", "/api/v1/inspections", map[string]any{"enterprise_id": w.entA}, nil); st != http.StatusForbidden {
			t.Fatalf("the enterprise plans: %d", st)
		}
		// Hidden from the enterprise until recorded; the grid (another unit) does not see it.
		var list struct {
			Items []inspection.Inspection `json:"items"`
			Total int                     `json:"total"`
		}
		if st := w.api(auth.Enterprise, "GET", "/api/v1/inspections", nil, &list); st != http.StatusOK || list.Total != 0 {
			t.Fatalf("enterprise lists %d (%d)", list.Total, st)
		}
		path := fmt.Sprintf("/api/v1/inspections/%d", planned.ID)
		for _, role := range []auth.Role{auth.Enterprise, auth.Grid, auth.Reviewer} {
			if st := w.api(role, "GET", path, nil, nil); st != http.StatusNotFound {
				t.Errorf("%s reads the plan: %d", role, st)
			}
		}
		var det struct {
			inspection.Inspection
			Checklist []struct {
				Code     string `json:"code"`
				Fact     string `json:"fact"`
				FactText string `json:"fact_text"`
			} `json:"checklist"`
		}
		if st := w.api(auth.Park, "GET", path, nil, &det); st != http.StatusOK || len(det.Checklist) == 0 {
			t.Fatalf("detail: %d %+v", st, det)
		}
		facts := 0
		for _, c := range det.Checklist {
			if c.Fact != "" && c.FactText != "" {
				facts++
			}
		}
		if facts == 0 {
			t.Error("no item shows the facts Fugong holds")
		}
		var patched inspection.Inspection
		if st := w.api(auth.Park, "PATCH", path, map[string]any{"planned_on": "2020-03-03"}, &patched); st != http.StatusOK || patched.PlannedOn != "2020-03-03" {
			t.Fatalf("reschedule: %d %+v", st, patched)
		}
		items := []map[string]any{}
		for i, c := range det.Checklist {
			it := map[string]any{"code": c.Code, "result": "pass"}
			if i == 1 {
				it = map[string]any{"code": c.Code, "result": "fail", "note": "物资不足7天", "severity": "serious"}
			}
			items = append(items, it)
		}
		var done struct {
			Inspection inspection.Inspection `json:"inspection"`
			Orders     []rectify.Order       `json:"orders"`
		}
		if st := w.api(auth.Park, "POST", path+"/complete", map[string]any{"items": items[:1], "signature": "园区检查员"}, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("incomplete checklist: %d", st)
		}
		if st := w.api(auth.Park, "POST", path+"/complete", map[string]any{"items": items, "signature": "园区检查员"}, &done); st != http.StatusOK ||
			done.Inspection.Result != "fail" || len(done.Orders) != 1 || !strings.Contains(done.Orders[0].Serial, "整改") {
			t.Fatalf("complete: %d %+v", st, done)
		}
		if st := w.api(auth.Enterprise, "GET", path, nil, nil); st != http.StatusOK {
			t.Fatalf("the enterprise reads the recorded visit: %d", st)
		}
		// The record shows what was found, not the facts of today beside it.
		if got := w.callPage(t, w.login(auth.Park).c, "GET", "/supervision/"+itoa(planned.ID), nil); got.status != http.StatusOK || !strings.Contains(got.body, "物资不足7天") ||
			strings.Contains(got.body, "台账中尚无物资库存记录") || strings.Contains(got.body, "物资台账:") {
			t.Errorf("the recorded inspection: %d, or shows today's facts", got.status)
		}
		order := fmt.Sprintf("/api/v1/rectifications/%d", done.Orders[0].ID)
		var o rectify.Order
		if st := w.api(auth.Enterprise, "POST", order+"/transitions", map[string]any{"action": "verify"}, nil); st != http.StatusForbidden {
			t.Fatalf("the enterprise verifies: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", order+"/transitions", map[string]any{"action": "respond", "text": "已补足口罩"}, &o); st != http.StatusOK || o.Status != "answered" {
			t.Fatalf("respond: %d %+v", st, o)
		}
		if st := w.api(auth.Park, "POST", order+"/transitions", map[string]any{"action": "escalate"}, nil); st != http.StatusConflict {
			t.Fatalf("escalate before the deadline: %d", st)
		}
		if st := w.api(auth.Park, "POST", order+"/transitions", map[string]any{"action": "verify"}, &o); st != http.StatusOK || o.Status != "closed" {
			t.Fatalf("verify: %d %+v", st, o)
		}
		// Pages: the lists, the order, the printable notice, the exports.
		for role, paths := range map[auth.Role][]string{
			auth.Park:       {"/supervision", "/supervision/" + itoa(planned.ID), "/rectifications?status=closed", "/supervision/export", "/rectifications/export"},
			auth.Enterprise: {"/rectifications", "/rectifications/" + itoa(o.ID), "/rectifications/" + itoa(o.ID) + "/notice"},
		} {
			b := w.login(role)
			for _, p := range paths {
				if got := w.callPage(t, b.c, "GET", p, nil); got.status != http.StatusOK {
					t.Errorf("GET %s as %s: %s", p, role, got)
				}
			}
		}
		if got := w.callPage(t, w.login(auth.Enterprise).c, "GET", "/rectifications/"+itoa(o.ID)+"/notice", nil); !strings.Contains(got.body, o.Serial) || !strings.Contains(got.body, "整改通知书") {
			t.Errorf("the printed notice lacks its number: %s", got)
		}
		// In English the hazard form names the sectors and their items in English, and sends
		// the policy's own item.
		en := w.login(auth.Enterprise)
		if st, _ := en.post("/lang", url.Values{"lang": {"en"}, "next": {"/hazards"}}); st != http.StatusSeeOther {
			t.Fatalf("switch to English: %d", st)
		}
		if _, page := en.get("/hazards"); !strings.Contains(page, `<optgroup label="Hazardous chemicals">`) ||
			!strings.Contains(page, `<option value="紧急停车系统是否正常投用" >Emergency shutdown systems in normal service</option>`) {
			t.Errorf("the English hazard form does not name the items in English")
		}
		// and the register names a recorded hazard's item in English too.
		hz := w.hazardOf(t, w.users[auth.Town].Principal(), w.entA)
		if _, page := en.get("/hazards"); !strings.Contains(page, "<b>Fire lanes kept clear</b>") || strings.Contains(page, "<b>消防通道畅通</b>") {
			t.Errorf("the English hazard register does not name the item in English")
		}
		// The enterprise's home lists its hazards to rectify; once it has rectified one, the
		// town's home counts it to accept.
		if _, home := w.login(auth.Enterprise).get("/"); !strings.Contains(home, `data-block="hazards"`) || !strings.Contains(home, "待整改的隐患") || !strings.Contains(home, "消防通道畅通") {
			t.Errorf("the enterprise's home does not list its hazard to rectify")
		}
		var h struct{ Version int }
		if st := w.api(auth.Town, "GET", "/api/v1/hazards/"+itoa(hz), nil, &h); st != http.StatusOK {
			t.Fatalf("the hazard: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", "/api/v1/hazards/"+itoa(hz)+"/transitions", map[string]any{"action": "rectify", "text": "已清理通道", "version": h.Version}, nil); st != http.StatusOK {
			t.Fatalf("rectify: %d", st)
		}
		if _, home := w.login(auth.Town).get("/"); !strings.Contains(home, `data-block="hazards"`) || !strings.Contains(home, "待验收") || !strings.Contains(home, `href="/hazards?status=rectified"`) {
			t.Errorf("the town's home does not count the hazard to accept")
		}
		if _, page := w.login(auth.Town).get("/hazards?status=rectified"); !strings.Contains(page, `<option value="rectified" selected>`) {
			t.Errorf("the register's filter does not show the status it lists")
		}
	})
}

// The answers of the supervision routes fit the OpenAPI document.
func TestSupervisionOpenAPIConform(t *testing.T) {
	w, doc := openAPIWorld(t)
	insp, order := w.inspected(t)
	hz := w.hazardOf(t, w.users[auth.Town].Principal(), w.entA)
	for _, c := range []struct {
		role       auth.Role
		method     string
		path, op   string
		body       string
		wantStatus int
	}{
		{auth.Town, "GET", "/api/v1/inspections", "/api/v1/inspections", "", 200},
		{auth.Town, "GET", "/api/v1/inspections/" + itoa(insp), "/api/v1/inspections/{id}", "", 200},
		{auth.Town, "GET", "/api/v1/inspections/due", "/api/v1/inspections/due", "", 200},
		{auth.Town, "GET", "/api/v1/rectifications", "/api/v1/rectifications", "", 200},
		{auth.Town, "GET", "/api/v1/rectifications/" + itoa(order), "/api/v1/rectifications/{id}", "", 200},
		{auth.Town, "POST", "/api/v1/inspections", "/api/v1/inspections", fmt.Sprintf(`{"enterprise_id":%d,"planned_on":"2020-03-09","inspectors":"甲"}`, w.entA), 201},
		{auth.Town, "POST", "/api/v1/inspections", "/api/v1/inspections", `{}`, 422},
		{auth.Enterprise, "POST", "/api/v1/rectifications/" + itoa(order) + "/transitions", "/api/v1/rectifications/{id}/transitions", `{"action":"respond","text":"已整改"}`, 200},
		{auth.Enterprise, "POST", "/api/v1/rectifications/" + itoa(order) + "/transitions", "/api/v1/rectifications/{id}/transitions", `{"action":"respond","text":"again"}`, 409},
		{auth.Town, "POST", "/api/v1/inspections/" + itoa(insp) + "/complete", "/api/v1/inspections/{id}/complete", `{"items":[],"signature":"x"}`, 409},
		{auth.Town, "GET", "/api/v1/hazards?status=open", "/api/v1/hazards", "", 200},
		{auth.Park, "GET", "/api/v1/hazards/" + itoa(hz), "/api/v1/hazards/{id}", "", 200},
		{auth.Enterprise, "POST", "/api/v1/hazards", "/api/v1/hazards", `{"sector":"hazchem","grade":"general","item":"紧急停车系统是否正常投用","description":"紧急停车按钮被遮挡"}`, 201},
		{auth.Enterprise, "POST", "/api/v1/hazards", "/api/v1/hazards", `{"sector":"nowhere"}`, 422},
		{auth.Enterprise, "POST", "/api/v1/hazards/" + itoa(hz) + "/transitions", "/api/v1/hazards/{id}/transitions", `{"action":"rectify","text":"已清理通道"}`, 200},
		{auth.Enterprise, "POST", "/api/v1/hazards/" + itoa(hz) + "/transitions", "/api/v1/hazards/{id}/transitions", `{"action":"accept"}`, 403},
		{auth.Town, "POST", "/api/v1/hazards/" + itoa(hz) + "/transitions", "/api/v1/hazards/{id}/transitions", `{"action":"accept"}`, 200},
	} {
		h := http.Header{"Authorization": {"Bearer " + w.tokens[c.role]}}
		if c.body != "" {
			h.Set("Content-Type", "application/json")
		}
		got := w.send(t, noRedirects(), c.method, c.path, h, c.body)
		if got.status != c.wantStatus {
			t.Errorf("%s %s as %s: %s; want %d", c.method, c.path, c.role, got, c.wantStatus)
			continue
		}
		for _, p := range conformAnswer(t, doc, c.op, c.method, got) {
			t.Errorf("%s %s: %s", c.method, c.path, p)
		}
	}
}

// conformAnswer checks an answer against the document's response of the operation.
func conformAnswer(t *testing.T, doc map[string]any, op, method string, got reply) []string {
	t.Helper()
	resp := at(doc, "paths", op, strings.ToLower(method), "responses", fmt.Sprint(got.status))
	if r, ok := at(resp, "$ref").(string); ok {
		resp, _ = resolve(doc, r)
	}
	schema, _ := at(resp, "content", "application/json", "schema").(map[string]any)
	if schema == nil {
		return []string{fmt.Sprintf("answered %d, which the document does not list", got.status)}
	}
	var v any
	if err := json.Unmarshal([]byte(got.body), &v); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	return conform(doc, schema, v, "body")
}

// hazardOf registers a major fire hazard of an enterprise as p: its id.
func (w *world) hazardOf(t testing.TB, p auth.Principal, entID int64) int64 {
	t.Helper()
	h, err := w.db.Hazards().Register(w.ctx, p, hazard.Hazard{EnterpriseID: entID, Sector: "fire", Grade: hazard.Major, Item: "消防通道畅通",
		Description: "消防通道堆放货物"})
	if err != nil {
		t.Fatal(err)
	}
	return h.ID
}
