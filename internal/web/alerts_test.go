package web_test

import (
	"net/http"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/region"
)

type alertAnswer struct {
	ID    int64  `json:"id"`
	Kind  string `json:"kind"`
	Unit  string `json:"unit"`
	Facts struct {
		Persons     []string `json:"persons"`
		Temperature float64  `json:"temperature"`
	} `json:"facts"`
	AckedAt *string `json:"acked_at"`
}

// A fever alerts the town and the health bureau (the default policy), the bureau with the
// name masked; each acknowledges from its home page or the API, once.
// Returners from another province are reported to the village (community); the alert
// names where they come from in the page's language.
func TestReturnersAlertNamesOrigins(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		for i, origin := range []string{"other_province", "province_other_city"} {
			if st := w.api(auth.Enterprise, "POST", "/api/v1/employees", map[string]any{"name": "返岗" + itoa(int64(i)), "id_number": personID(t, 40+i),
				"origin": origin, "return_date": "2020-02-10"}, nil); st != http.StatusCreated {
				t.Fatalf("add a returner from %s: %d", origin, st)
			}
		}
		br := w.login(auth.Grid)
		if st, page := br.get("/alerts"); st != http.StatusOK || !strings.Contains(page, "省外、省内市外") {
			t.Fatalf("alerts page: %d", st)
		}
		if st, page := br.get("/alerts?lang=en"); st != http.StatusOK || !strings.Contains(page, "Other province, Same province, other city") || strings.Contains(page, "省外") {
			t.Fatalf("alerts page in English: %d", st)
		}
	})
}

func TestFeverAlertsUpward(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		d, err := w.db.SaveDepartment(w.ctx, auth.System, region.Department{Name: "县卫健局", UnitCode: "county_health", RegionCode: "330402"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		bureau := w.scopedUser(t, "health-bureau", auth.Reviewer, "dept:"+itoa(d.ID))
		emp := w.employee(t, "王发热", 1)
		if st := w.api(auth.Enterprise, "POST", "/api/v1/health-checks", map[string]any{"employee_id": emp, "temperature": 38.6}, nil); st != http.StatusCreated {
			t.Fatalf("reading: %d", st)
		}
		var list struct {
			Total int           `json:"total"`
			Items []alertAnswer `json:"items"`
		}
		if st := w.api(auth.Town, "GET", "/api/v1/alerts?open=1", nil, &list); st != http.StatusOK || list.Total != 1 || list.Items[0].Kind != "fever" ||
			list.Items[0].Unit != "town_gov" || list.Items[0].Facts.Persons[0] != "王发热" || list.Items[0].Facts.Temperature != 38.6 {
			t.Fatalf("town: %d %+v", st, list)
		}
		id := list.Items[0].ID
		if st := w.appAPI(bureau.token, "GET", "/api/v1/alerts", nil, &list); st != http.StatusOK || list.Total != 1 || list.Items[0].Facts.Persons[0] != "王**" {
			t.Fatalf("health bureau: %d %+v", st, list)
		}
		// Nobody else hears of it: the village grid, the enterprise's reviewer without a unit,
		// the enterprise itself.
		for _, role := range []auth.Role{auth.Grid, auth.Reviewer, auth.Park, auth.Admin} {
			if st := w.api(role, "GET", "/api/v1/alerts", nil, &list); st != http.StatusOK || list.Total != 0 {
				t.Errorf("%s receives %d alerts (%d)", role, list.Total, st)
			}
		}
		if st := w.api(auth.Enterprise, "GET", "/api/v1/alerts", nil, nil); st != http.StatusForbidden {
			t.Errorf("enterprise reads alerts: %d", st)
		}
		// The town's home page holds it until acknowledged.
		br := w.login(auth.Town)
		if st, page := br.get("/"); st != http.StatusOK || !strings.Contains(page, "open-alerts") || !strings.Contains(page, "王发热") {
			t.Fatalf("home page without the alert: %d", st)
		}
		if st, _ := br.post("/alerts/"+itoa(id)+"/ack", nil); st != http.StatusSeeOther {
			t.Fatalf("acknowledge: %d", st)
		}
		if st, page := br.get("/"); st != http.StatusOK || strings.Contains(page, "open-alerts") {
			t.Fatalf("home page keeps an acknowledged alert: %d", st)
		}
		if st := w.api(auth.Town, "POST", "/api/v1/alerts/"+itoa(id)+"/ack", nil, nil); st != http.StatusConflict {
			t.Fatalf("acknowledged twice: %d", st)
		}
		// The bureau's stays open until it acknowledges through the API.
		var acked []alertAnswer
		if st := w.appAPI(bureau.token, "POST", "/api/v1/alerts/"+itoa(id)+"/ack", nil, &acked); st != http.StatusOK || len(acked) != 1 || acked[0].AckedAt == nil {
			t.Fatalf("bureau acknowledges: %d %+v", st, acked)
		}
		if st, page := br.get("/alerts"); st != http.StatusOK || !strings.Contains(page, "发热/症状预警") {
			t.Fatalf("alerts page: %d", st)
		} else if !strings.Contains(page, `<th class="hide-sm">发送至</th>`) || strings.Contains(page, "截止日期") {
			t.Errorf("alerts page: the column of the unit an alert was sent to is not headed 发送至")
		}
		// Its export (预警签收台账) holds the alert, acknowledged by the town.
		rows := exported(t, br, "/alerts/export?kind=fever", "预警类别", "企业名称", "签收")
		if len(rows) != 1 || rows[0]["预警类别"] != "发热/症状预警" || rows[0]["企业名称"] == "" || rows[0]["签收"] == "" {
			t.Errorf("the alerts' export: %v", rows)
		}
	})
}
