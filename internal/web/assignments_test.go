package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/xlsx"
)

// assignmentCols are the headers of the assignment sheet, written here on purpose: the
// sheet is an interface users rely on.
var assignmentCols = []xlsx.Column{
	{Key: "uscc", Header: "统一社会信用代码", Required: true},
	{Key: "enterprise", Header: "企业名称"},
	{Key: "duty", Header: "包保职责", Required: true},
	{Key: "username", Header: "账号"},
	{Key: "name", Header: "姓名"},
	{Key: "phone", Header: "电话"},
	{Key: "unit", Header: "单位/职务"},
	{Key: "starts_on", Header: "开始日期"},
	{Key: "ends_on", Header: "结束日期"},
}

func assignmentSheet(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, "包保安排", assignmentCols, func(yield func([]any) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type coverageAnswer struct {
	By          string `json:"by"`
	Enterprises int    `json:"enterprises"`
	Covered     int    `json:"covered"`
	Nobody      int    `json:"nobody"`
	Gaps        []struct {
		EnterpriseID int64    `json:"enterprise_id"`
		Missing      []string `json:"missing"`
		Nobody       bool     `json:"nobody"`
	} `json:"gaps"`
	Groups []struct {
		Key  string `json:"key"`
		Name string `json:"name"`
	} `json:"groups"`
}

func TestAssignmentsImportCoverageAndVisits(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		a, b := uscc(t, 1), uscc(t, 2)
		// Coverage before anything: nobody answers for either enterprise.
		var cov coverageAnswer
		if st := w.api(auth.Command, "GET", "/api/v1/coverage?by=town", nil, &cov); st != http.StatusOK || cov.Enterprises != 2 || cov.Nobody != 2 {
			t.Fatalf("coverage: %d %+v", st, cov)
		}
		// A sheet with a bad row: nothing is written and the row is named; a row naming
		// an enterprise outside the town's scope is refused too.
		bad := assignmentSheet(t,
			[]any{a, "甲镇精密机械有限公司", "村书记", "", "王书记", "13800000001", "一村", "2020-02-01", ""},
			[]any{a, "", "镇长", "", "李", "", "", "", ""},
			[]any{b, "", "包保镇级领导", "", "越界", "", "", "", ""},
		)
		st, body, _ := postXLSX(t, w, http.DefaultClient, "/api/v1/assignments/import", w.tokens[auth.Town], bad)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "rows[3].duty") || !strings.Contains(body, "rows[4].uscc") {
			t.Fatalf("bad sheet: %d %s", st, body)
		}
		var list struct {
			Total int `json:"total"`
			Items []struct {
				ID       int64  `json:"id"`
				Duty     string `json:"duty"`
				UserID   int64  `json:"user_id"`
				Name     string `json:"name"`
				StartsOn string `json:"starts_on"`
			} `json:"items"`
		}
		if st := w.api(auth.Town, "GET", "/api/v1/assignments", nil, &list); st != http.StatusOK || list.Total != 0 {
			t.Fatalf("half-imported: %d %d", st, list.Total)
		}
		good := assignmentSheet(t,
			[]any{a, "甲镇精密机械有限公司", "村书记", "", "王书记", "13800000001", "一村", "2020/2/1", ""},
			[]any{a, "", "village_cadre", "", "李镇干", "", "", "", ""},
			[]any{a, "", "联系村班子成员", "", "赵委员", "", "", "", "2030-12-31"},
			[]any{a, "", "包保镇级领导", "town", "", "", "", "", ""},
		)
		st, body, _ = postXLSX(t, w, http.DefaultClient, "/api/v1/assignments/import", w.tokens[auth.Town], good)
		if st != http.StatusOK || !strings.Contains(body, `"created":4`) {
			t.Fatalf("import: %d %s", st, body)
		}
		// Enterprise A is covered; B (another town) still has nobody.
		if st := w.api(auth.Admin, "GET", "/api/v1/coverage?by=village", nil, &cov); st != http.StatusOK || cov.Covered != 1 || len(cov.Gaps) != 1 || cov.Gaps[0].EnterpriseID != w.entB {
			t.Fatalf("coverage after the import: %d %+v", st, cov)
		}
		// The town's coverage is its own town only, counted by village unless asked
		// otherwise; the county command's by town.
		if st := w.api(auth.Town, "GET", "/api/v1/coverage", nil, &cov); st != http.StatusOK || cov.Enterprises != 1 || len(cov.Gaps) != 0 || cov.By != "village" {
			t.Fatalf("town coverage: %d %+v", st, cov)
		}
		if st := w.api(auth.Command, "GET", "/api/v1/coverage", nil, &cov); st != http.StatusOK || cov.By != "town" {
			t.Fatalf("command coverage: %d %+v", st, cov)
		}
		// Bulk through the API: the command assigns a liaison to every enterprise of town B.
		var res struct {
			Created int `json:"created"`
			Skipped int `json:"skipped"`
		}
		if st := w.api(auth.Command, "POST", "/api/v1/assignments", map[string]any{"select": map[string]any{"region": w.townB},
			"template": map[string]any{"duty": "liaison", "name": "孙联络员"}}, &res); st != http.StatusCreated || res.Created != 1 {
			t.Fatalf("bulk: %d %+v", st, res)
		}
		// A grid cannot assign.
		if st := w.api(auth.Grid, "POST", "/api/v1/assignments", map[string]any{"assignments": []any{map[string]any{"enterprise_id": w.entA, "duty": "liaison", "name": "x"}}}, nil); st != http.StatusForbidden {
			t.Fatalf("grid assigns: %d", st)
		}
		// The export is the sheet the import reads, with what the filter shows.
		resp, err := http.DefaultClient.Do(authed(t, w, auth.Town, "GET", "/api/v1/assignments/export?duty=village_secretary"))
		if err != nil {
			t.Fatal(err)
		}
		sheet, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var rows []map[string]string
		if err := xlsx.Read(bytes.NewReader(sheet), assignmentCols, func(r xlsx.Row) error { rows = append(rows, r.Values); return nil }, nil); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0]["duty"] != "村书记" || rows[0]["uscc"] != a || rows[0]["starts_on"] != "2020-02-01" {
			t.Fatalf("export: %+v", rows)
		}
		// Withdraw the town leader: A has a gap again, named.
		if st := w.api(auth.Town, "GET", "/api/v1/assignments?duty=town_leader", nil, &list); st != http.StatusOK || list.Total != 1 || list.Items[0].UserID != w.users[auth.Town].ID {
			t.Fatalf("town leader: %d %+v", st, list)
		}
		if st := w.api(auth.Town, "DELETE", "/api/v1/assignments/"+itoa(list.Items[0].ID), nil, nil); st != http.StatusOK {
			t.Fatalf("withdraw: %d", st)
		}
		if st := w.api(auth.Town, "GET", "/api/v1/coverage", nil, &cov); st != http.StatusOK || len(cov.Gaps) != 1 || !slices.Equal(cov.Gaps[0].Missing, []string{"town_leader"}) {
			t.Fatalf("coverage after withdrawing: %d %+v", st, cov)
		}
		// The coverage page shows the gap and counts per group; its export answers a sheet.
		br := w.login(auth.Town)
		if st, page := br.get("/coverage?by=village"); st != http.StatusOK || !strings.Contains(page, "甲镇精密机械有限公司") || !strings.Contains(page, "包保镇级领导") || !strings.Contains(page, "一村") {
			t.Fatalf("coverage page: %d", st)
		}
		if st, _ := br.get("/coverage?by=nowhere"); st != http.StatusUnprocessableEntity && st != http.StatusBadRequest {
			t.Fatalf("unknown grouping: %d", st)
		}
		// One by one from the page, with a problem per field.
		st, page := br.post("/assignments", url.Values{"uscc": {a}, "duty": {"town_leader"}, "name": {""}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(page, "请选择账号或填写包保人员姓名") {
			t.Fatalf("empty official: %d", st)
		}
		if st, _ := br.post("/assignments", url.Values{"uscc": {a}, "duty": {"town_leader"}, "username": {"town"}}); st != http.StatusSeeOther {
			t.Fatalf("assign from the page: %d", st)
		}
		// My enterprises and a visit, through the API.
		var mine []struct {
			EnterpriseID       int64    `json:"enterprise_id"`
			Duties             []string `json:"duties"`
			OpenRectifications *int     `json:"open_rectifications"`
			LastVisit          string   `json:"last_visit"`
		}
		if st := w.api(auth.Town, "GET", "/api/v1/my-enterprises", nil, &mine); st != http.StatusOK || len(mine) != 1 || mine[0].EnterpriseID != w.entA || mine[0].LastVisit != "" {
			t.Fatalf("mine: %d %+v", st, mine)
		}
		var v struct {
			ID  int64  `json:"id"`
			Day string `json:"day"`
		}
		if st := w.api(auth.Town, "POST", "/api/v1/visits", map[string]any{"enterprise_id": w.entA, "kind": "unannounced", "found": "门岗测温正常", "problems": "台账未更新"}, &v); st != http.StatusCreated || v.ID == 0 {
			t.Fatalf("visit: %d %+v", st, v)
		}
		// Photos follow through the API, by the official who logged the visit only.
		photo := func(role auth.Role, names ...string) (int, map[string]any) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			for _, n := range names {
				fw, err := mw.CreateFormFile("photo", n)
				if err != nil {
					t.Fatal(err)
				}
				fw.Write(appPNG(t))
			}
			mw.Close()
			h := http.Header{"Authorization": {"Bearer " + w.tokens[role]}, "Content-Type": {mw.FormDataContentType()}}
			got := w.send(t, noRedirects(), "POST", "/api/v1/visits/"+itoa(v.ID)+"/photos", h, buf.String())
			var out map[string]any
			json.Unmarshal([]byte(got.body), &out)
			return got.status, out
		}
		if st, out := photo(auth.Town, "现场.png"); st != http.StatusOK || len(out["photos"].([]any)) != 1 {
			t.Fatalf("a photo of the visit: %d %v", st, out)
		}
		if st, _ := photo(auth.Grid, "别人的.png"); st != http.StatusConflict {
			t.Fatalf("a photo added by another official: %d", st)
		}
		if st, out := photo(auth.Town, "a.png", "b.png", "c.png", "d.png", "e.png", "f.png", "g.png"); st != http.StatusUnprocessableEntity {
			t.Fatalf("seven photos: %d %v", st, out)
		}
		if st, out := photo(auth.Town, "说明.txt"); st != http.StatusUnprocessableEntity {
			t.Fatalf("a text file as a photo: %d %v", st, out)
		}
		if st := w.api(auth.Town, "POST", "/api/v1/visits", map[string]any{"enterprise_id": w.entB, "kind": "phone", "found": "x"}, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("visit to another town's enterprise: %d", st)
		}
		if st := w.api(auth.Town, "GET", "/api/v1/my-enterprises", nil, &mine); st != http.StatusOK || mine[0].LastVisit != v.Day {
			t.Fatalf("last visit: %d %+v", st, mine)
		}
		var visits struct {
			Total int `json:"total"`
		}
		if st := w.api(auth.Grid, "GET", "/api/v1/visits?enterprise="+itoa(w.entA), nil, &visits); st != http.StatusOK || visits.Total != 1 {
			t.Fatalf("the grid sees the visit: %d %+v", st, visits)
		}
		if st, page := br.get("/mine"); st != http.StatusOK || !strings.Contains(page, "门岗测温正常") || !strings.Contains(page, "明察暗访") {
			t.Fatalf("mine page: %d", st)
		}
	})
}

// authed is a request to the API with role's token.
func authed(t *testing.T, w *world, role auth.Role, method, path string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, w.ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+w.tokens[role])
	return req
}
