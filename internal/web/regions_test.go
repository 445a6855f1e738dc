package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/store/storetest"
	"fugong/internal/xlsx"
)

// regionCols are the headers of the region sheet, written here on purpose rather than
// taken from the web package: the sheet is an interface users rely on.
var regionCols = []xlsx.Column{
	{Key: "code", Header: "行政区划代码", Required: true},
	{Key: "name", Header: "名称", Required: true},
	{Key: "parent", Header: "上级代码"},
}

// regionSheet builds a region sheet from rows of code, name and parent.
func regionSheet(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := xlsx.Write(&buf, "区域", regionCols, func(yield func([]any) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// postXLSX uploads file as the multipart "file" field: with a bearer token when token is
// set, else as a same-origin browser with the client's cookies.
func postXLSX(t *testing.T, w *world, c *http.Client, path, token string, file []byte) (int, string, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "区域.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", w.ts.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	} else {
		req.Header.Set("Origin", w.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// apiError is the body of a failed API call.
type apiError struct {
	Error struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		Problems []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"problems"`
	} `json:"error"`
}

func (e apiError) has(field string) bool {
	for _, p := range e.Error.Problems {
		if p.Field == field {
			return true
		}
	}
	return false
}

type regionList struct {
	Items []region.Region `json:"items"`
	Total int             `json:"total"`
	Page  int             `json:"page"`
	Size  int             `json:"size"`
}

func (w *world) regions(role auth.Role, query string) regionList {
	w.t.Helper()
	var l regionList
	if status := w.api(role, "GET", "/api/v1/regions?"+query, nil, &l); status != http.StatusOK {
		w.t.Fatalf("list regions %q as %s: %d", query, role, status)
	}
	return l
}

func (w *world) regionName(code string) string {
	w.t.Helper()
	for _, r := range w.regions(auth.Admin, "q="+code).Items {
		if r.Code == code {
			return r.Name
		}
	}
	return ""
}

func TestRegionPagesCreateRename(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		b := w.login(auth.Admin)
		status, body := b.get("/regions")
		if status != http.StatusOK || !strings.Contains(body, "示范县") || !strings.Contains(body, "/regions/import") {
			t.Fatalf("top: %d\n%s", status, body)
		}
		status, body = b.get("/regions?parent=330402")
		if status != http.StatusOK || !strings.Contains(body, "甲镇") || !strings.Contains(body, "乙街道") ||
			!strings.Contains(body, `href="/audit/region/330402001"`) || !strings.Contains(body, "全部区域") {
			t.Fatalf("children: %d\n%s", status, body)
		}
		// A village's page shows the whole path.
		status, body = b.get("/regions?parent=330402001001")
		if status != http.StatusOK || !strings.Contains(body, `href="/regions?parent=330402"`) || !strings.Contains(body, `href="/regions?parent=330402001"`) {
			t.Fatalf("breadcrumb: %d\n%s", status, body)
		}

		// Add a town.
		status, loc := b.post("/regions", url.Values{"code": {"330402003"}, "name": {"丙镇"}, "parent": {"330402"}})
		if status != http.StatusSeeOther || loc != "/regions?parent=330402" {
			t.Fatalf("add: %d %s", status, loc)
		}
		status, body = b.get(loc)
		if status != http.StatusOK || !strings.Contains(body, "丙镇") || !strings.Contains(body, "区域 330402003 已添加") {
			t.Fatalf("after add: %d\n%s", status, body)
		}
		// The rename form is filled in from the list.
		status, body = b.get("/regions?parent=330402&code=330402003")
		if status != http.StatusOK || !strings.Contains(body, `value="丙镇"`) || !strings.Contains(body, "readonly") {
			t.Fatalf("rename form: %d\n%s", status, body)
		}
		status, loc = b.post("/regions", url.Values{"code": {"330402003"}, "name": {"丙镇街道"}, "parent": {"330402"}, "renaming": {"1"}})
		if status != http.StatusSeeOther {
			t.Fatalf("rename: %d %s", status, loc)
		}
		if got := w.regionName("330402003"); got != "丙镇街道" {
			t.Fatalf("renamed to %q", got)
		}
		// Bad input: field errors next to the inputs, nothing written.
		status, body = b.post("/regions", url.Values{"code": {"12345"}, "name": {" "}, "parent": {"330402"}})
		if status != http.StatusUnprocessableEntity || strings.Count(body, `class="field-error"`) != 2 || !strings.Contains(body, "请填写名称") {
			t.Fatalf("bad add: %d\n%s", status, body)
		}
		// Its change history.
		status, body = b.get("/audit/region/330402003")
		if status != http.StatusOK || !strings.Contains(body, "region.update") || !strings.Contains(body, "region.create") {
			t.Fatalf("history: %d\n%s", status, body)
		}
		// Unknown and malformed parents are not found.
		for _, p := range []string{"330402009", "abc"} {
			if status, _ := b.get("/regions?parent=" + p); status != http.StatusNotFound {
				t.Fatalf("parent %s: %d", p, status)
			}
		}
	})
}

func TestRegionAPI(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		var res struct{ Created, Updated int }
		body := map[string]any{"regions": []map[string]string{{"code": "330402003", "name": "丙镇"}, {"code": "330402003001", "name": "丙村"}}}
		if status := w.api(auth.Admin, "POST", "/api/v1/regions", body, &res); status != http.StatusOK || res.Created != 2 || res.Updated != 0 {
			t.Fatalf("create: %d %+v", status, res)
		}
		body = map[string]any{"regions": []map[string]string{{"code": "330402003", "name": "丙镇街道"}, {"code": "330402003001", "name": "丙村"}}}
		if status := w.api(auth.Admin, "POST", "/api/v1/regions", body, &res); status != http.StatusOK || res.Created != 0 || res.Updated != 1 {
			t.Fatalf("rename: %d %+v", status, res)
		}
		l := w.regions(auth.Admin, "parent=330402003")
		if l.Total != 1 || l.Items[0].Code != "330402003001" || l.Items[0].ParentCode != "330402003" {
			t.Fatalf("children: %+v", l)
		}
		l = w.regions(auth.Admin, "parent=330402&size=2&page=2")
		if l.Total != 3 || len(l.Items) != 1 || l.Page != 2 || l.Size != 2 {
			t.Fatalf("paging: %+v", l)
		}
		l = w.regions(auth.Admin, "parent=330402001")
		if l.Total != 1 || l.Items[0].Enterprises != 1 {
			t.Fatalf("enterprise counts: %+v", l)
		}
		var e apiError
		body = map[string]any{"regions": []map[string]string{{"code": "330402004", "name": "丁镇"}, {"code": "x", "name": ""}}}
		if status := w.api(auth.Admin, "POST", "/api/v1/regions", body, &e); status != http.StatusUnprocessableEntity || !e.has("regions[1].code") || !e.has("regions[1].name") {
			t.Fatalf("invalid: %d %+v", status, e)
		}
		if w.regionName("330402004") != "" {
			t.Fatal("a batch with an invalid region was partly written")
		}
		if status := w.api(auth.Admin, "POST", "/api/v1/regions", map[string]any{"regions": []map[string]any{{"code": "330402004", "name": "丁镇", "level": 4}}}, nil); status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown field: %d", status)
		}
		if status := w.api(auth.Admin, "POST", "/api/v1/regions", map[string]any{"regions": []any{}}, nil); status != http.StatusUnprocessableEntity {
			t.Fatalf("empty batch: %d", status)
		}
		if status := w.api(auth.Town, "POST", "/api/v1/regions", body, nil); status != http.StatusForbidden {
			t.Fatalf("town saves regions: %d", status)
		}
	})
}

func TestRegionScope(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		// A town official sees its own town as the top, and nothing of the other town.
		l := w.regions(auth.Town, "")
		if l.Total != 1 || l.Items[0].Code != w.townA || l.Items[0].Children != 1 {
			t.Fatalf("town top: %+v", l)
		}
		if l := w.regions(auth.Town, "q="+url.QueryEscape("街道")); l.Total != 0 {
			t.Fatalf("town search reaches the other town: %+v", l)
		}
		if l := w.regions(auth.Town, "parent=330402"); l.Total != 1 || l.Items[0].Code != w.townA {
			t.Fatalf("town lists the county: %+v", l)
		}
		b := w.login(auth.Town)
		status, body := b.get("/regions")
		if status != http.StatusOK || !strings.Contains(body, "甲镇") || strings.Contains(body, "乙街道") || strings.Contains(body, `method="post" action="/regions"`) {
			t.Fatalf("town page: %d\n%s", status, body)
		}
		if status, _ := b.get("/regions?parent=" + w.townB); status != http.StatusNotFound {
			t.Fatalf("foreign parent: %d", status)
		}
		status, body = b.get("/regions?parent=" + w.townA)
		if status != http.StatusOK || !strings.Contains(body, "一村") || strings.Contains(body, `href="/regions?parent=330402"`) {
			t.Fatalf("town subtree: %d\n%s", status, body)
		}
		if status, _ := b.post("/regions", url.Values{"code": {"330402001002"}, "name": {"二村"}}); status != http.StatusForbidden {
			t.Fatalf("town adds a region: %d", status)
		}
		// The export holds the town's subtree only.
		rows := exportedRegions(t, w, b)
		if len(rows) != 2 || rows[0][0] != w.townA || rows[1][0] != "330402001001" {
			t.Fatalf("town export: %v", rows)
		}

		// An administrator of one town cannot touch the rest of the county.
		u, err := w.db.CreateUser(w.ctx, auth.System, auth.User{Username: "townadmin", Role: auth.Admin, ScopeText: "region:" + w.townA}, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := storetest.Token(w.ctx, w.db.DB, auth.System, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		w.tokens["townadmin"] = tok
		var e apiError
		body2 := map[string]any{"regions": []map[string]string{{"code": "330402001002", "name": "二村"}, {"code": w.townB, "name": "改名"}}}
		if status := w.api("townadmin", "POST", "/api/v1/regions", body2, &e); status != http.StatusUnprocessableEntity || !e.has("regions[1].code") || e.has("regions[0].code") {
			t.Fatalf("out of scope: %d %+v", status, e)
		}
		if w.regionName(w.townB) != "乙街道" || w.regionName("330402001002") != "" {
			t.Fatal("an out-of-scope batch was written")
		}
	})
}

// exportedRegions downloads /regions/export and reads it back.
func exportedRegions(t *testing.T, w *world, b *browser) [][3]string {
	t.Helper()
	resp, err := b.c.Get(w.ts.URL + "/regions/export")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
	}
	var out [][3]string
	err = xlsx.Read(resp.Body, regionCols, func(r xlsx.Row) error {
		out = append(out, [3]string{r.Values["code"], r.Values["name"], r.Values["parent"]})
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRegionImport(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		tok := w.tokens[auth.Admin]
		c := http.DefaultClient

		// A valid file: two new regions (one below the other, child first) and a rename.
		file := regionSheet(t, []any{"330402003001", "丙村", "330402003"}, []any{"330402003", "丙镇", ""}, []any{"330402001", "甲镇(新)", "330402"})
		status, body, _ := postXLSX(t, w, c, "/api/v1/regions/import", tok, file)
		var res struct{ Created, Updated int }
		if status != http.StatusOK || json.Unmarshal([]byte(body), &res) != nil || res.Created != 2 || res.Updated != 1 {
			t.Fatalf("valid import: %d %s", status, body)
		}
		if l := w.regions(auth.Admin, "parent=330402003"); l.Total != 1 || l.Items[0].Code != "330402003001" {
			t.Fatalf("imported tree: %+v", l)
		}

		// A bad row: nothing is written, and the row is named by its number in the sheet.
		file = regionSheet(t, []any{"330402004", "丁镇", ""}, []any{"3304020", "坏代码", ""}, []any{"330402005", "", ""},
			[]any{"330402006", "戊镇", "330403"}, []any{"330402004", "丁镇重复", ""})
		status, body, _ = postXLSX(t, w, c, "/api/v1/regions/import", tok, file)
		var e apiError
		if status != http.StatusUnprocessableEntity || json.Unmarshal([]byte(body), &e) != nil ||
			!e.has("rows[3].code") || !e.has("rows[4].name") || !e.has("rows[5].parent") || !e.has("rows[6].code") || e.has("rows[2].code") {
			t.Fatalf("bad rows: %d %s", status, body)
		}
		if !strings.Contains(body, "第 3 行") {
			t.Fatalf("row number not in the message: %s", body)
		}
		if w.regionName("330402004") != "" {
			t.Fatal("a file with a bad row was partly written")
		}

		// Not a spreadsheet at all.
		status, body, _ = postXLSX(t, w, c, "/api/v1/regions/import", tok, []byte("代码,名称\n330402007,己镇\n"))
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, ".xlsx") || !strings.Contains(body, `"field":"file"`) {
			t.Fatalf("not xlsx: %d %s", status, body)
		}
		// A sheet without the headers.
		var buf bytes.Buffer
		xlsx.Write(&buf, "x", []xlsx.Column{{Key: "a", Header: "别的"}}, func(yield func([]any) error) error { return yield([]any{"1"}) })
		status, body, _ = postXLSX(t, w, c, "/api/v1/regions/import", tok, buf.Bytes())
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "行政区划代码") {
			t.Fatalf("no headers: %d %s", status, body)
		}
		if status, _, _ := postXLSX(t, w, c, "/api/v1/regions/import", w.tokens[auth.Town], file); status != http.StatusForbidden {
			t.Fatalf("town import: %d", status)
		}

		// The page: a bad file shows the problems by row; a good one redirects with a summary.
		b := w.login(auth.Admin)
		if status, body := b.get("/regions/import"); status != http.StatusOK || !strings.Contains(body, "行政区划代码*") {
			t.Fatalf("import page: %d\n%s", status, body)
		}
		status, body, _ = postXLSX(t, w, b.c, "/regions/import", "", file)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `<td class="num">3</td><td>行政区划代码</td>`) || !strings.Contains(body, `<td class="num">5</td><td>上级代码</td>`) {
			t.Fatalf("page bad rows: %d\n%s", status, body)
		}
		status, body, _ = postXLSX(t, w, b.c, "/regions/import", "", []byte("not a workbook"))
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `class="field-error"`) || !strings.Contains(body, "另存为 .xlsx") {
			t.Fatalf("page not xlsx: %d\n%s", status, body)
		}
		status, _, loc := postXLSX(t, w, b.c, "/regions/import", "", regionSheet(t, []any{"330402004", "丁镇", "330402"}))
		if status != http.StatusSeeOther || loc != "/regions" {
			t.Fatalf("page import: %d %s", status, loc)
		}
		if _, body := b.get(loc); !strings.Contains(body, "区域导入完成:新增 1 个,改名 0 个") {
			t.Fatalf("summary missing:\n%s", body)
		}
	})
}

func TestRegionExportReimports(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		b := w.login(auth.Admin)
		rows := exportedRegions(t, w, b)
		if len(rows) != 4 || rows[0] != [3]string{"330402", "示范县", ""} || rows[2] != [3]string{"330402001001", "一村", "330402001"} || rows[3] != [3]string{"330402002", "乙街道", "330402"} {
			t.Fatalf("export: %v", rows)
		}
		resp, err := b.c.Get(w.ts.URL + "/regions/export")
		if err != nil {
			t.Fatal(err)
		}
		file, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		status, body, _ := postXLSX(t, w, http.DefaultClient, "/api/v1/regions/import", w.tokens[auth.Admin], file)
		if status != http.StatusOK || !strings.Contains(body, `"created":0`) || !strings.Contains(body, `"updated":0`) {
			t.Fatalf("re-import: %d %s", status, body)
		}
	})
}

func TestParksAndDepartments(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		// Parks through the API.
		var pk region.Park
		status := w.api(auth.Admin, "POST", "/api/v1/parks", map[string]any{"name": "乙街道商务楼宇", "region_code": w.townB, "operator": "某物业", "phone": "0573-88888888"}, &pk)
		if status != http.StatusCreated || pk.ID == 0 || pk.RegionCode != w.townB {
			t.Fatalf("create park: %d %+v", status, pk)
		}
		var e apiError
		status = w.api(auth.Admin, "POST", "/api/v1/parks", map[string]any{"name": "", "region_code": "", "phone": "call me"}, &e)
		if status != http.StatusUnprocessableEntity || !e.has("name") || !e.has("region_code") || !e.has("phone") {
			t.Fatalf("invalid park: %d %+v", status, e)
		}
		var patched region.Park
		status = w.api(auth.Admin, "PATCH", "/api/v1/parks/"+itoa(pk.ID), map[string]any{"operator": "新物业"}, &patched)
		if status != http.StatusOK || patched.Operator != "新物业" || patched.Name != "乙街道商务楼宇" || patched.Phone != "0573-88888888" {
			t.Fatalf("patch park: %d %+v", status, patched)
		}
		if status := w.api(auth.Admin, "PATCH", "/api/v1/parks/"+itoa(pk.ID), map[string]any{"id": 9}, nil); status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown field: %d", status)
		}
		if status := w.api(auth.Admin, "PATCH", "/api/v1/parks/x1", map[string]any{"name": "x"}, nil); status != http.StatusNotFound {
			t.Fatalf("malformed id: %d", status)
		}
		if status := w.api(auth.Admin, "PATCH", "/api/v1/parks/"+itoa(pk.ID), map[string]any{"region_code": "330402009"}, &e); status != http.StatusUnprocessableEntity || !e.has("region_code") {
			t.Fatalf("unknown region: %d %+v", status, e)
		}
		var parks struct {
			Items []region.Park
			Total int
		}
		if status := w.api(auth.Town, "GET", "/api/v1/parks", nil, &parks); status != http.StatusOK || parks.Total != 1 || parks.Items[0].ID != w.parkA {
			t.Fatalf("town parks: %d %+v", status, parks)
		}
		if status := w.api(auth.Admin, "GET", "/api/v1/parks?region="+w.townB, nil, &parks); status != http.StatusOK || parks.Total != 1 || parks.Items[0].ID != pk.ID {
			t.Fatalf("parks by region: %d %+v", status, parks)
		}
		if status := w.api(auth.Town, "PATCH", "/api/v1/parks/"+itoa(w.parkA), map[string]any{"name": "x"}, nil); status != http.StatusForbidden {
			t.Fatalf("town patches a park: %d", status)
		}

		// Parks through the page.
		b := w.login(auth.Admin)
		status, body := b.post("/parks", url.Values{"name": {""}, "region_code": {w.townA}, "phone": {"abc"}})
		if status != http.StatusUnprocessableEntity || strings.Count(body, `class="field-error"`) != 2 || !strings.Contains(body, "请填写园区名称") {
			t.Fatalf("bad park form: %d\n%s", status, body)
		}
		status, loc := b.post("/parks", url.Values{"name": {"甲镇创业园"}, "region_code": {w.townA}, "operator": {"创业园物业"}})
		if status != http.StatusSeeOther {
			t.Fatalf("add park: %d %s", status, loc)
		}
		if status, body := b.get(loc); status != http.StatusOK || !strings.Contains(body, "园区 甲镇创业园 已添加") {
			t.Fatalf("after add: %d\n%s", status, body)
		}
		if status, body := b.get("/parks?edit=" + itoa(w.parkA)); status != http.StatusOK || !strings.Contains(body, `value="甲园物业"`) {
			t.Fatalf("edit form: %d\n%s", status, body)
		}
		if status, _ := b.post("/parks", url.Values{"id": {itoa(w.parkA)}, "name": {"甲镇工业园区"}, "region_code": {w.townA}, "operator": {"甲园物业"}}); status != http.StatusSeeOther {
			t.Fatalf("edit park: %d", status)
		}
		if status, _ := b.post("/parks", url.Values{"id": {"abc"}, "name": {"x"}, "region_code": {w.townA}}); status != http.StatusNotFound {
			t.Fatalf("malformed park id: %d", status)
		}
		if status, _ := b.get("/parks?edit=99999"); status != http.StatusNotFound {
			t.Fatalf("missing park: %d", status)
		}

		// Departments.
		unit := policy.Default().Units[0].Code
		var d region.Department
		status = w.api(auth.Admin, "POST", "/api/v1/departments", map[string]any{"name": "县工信局", "unit_code": unit, "region_code": "330402"}, &d)
		if status != http.StatusCreated || d.ID == 0 || d.UnitCode != unit {
			t.Fatalf("create department: %d %+v", status, d)
		}
		status = w.api(auth.Admin, "POST", "/api/v1/departments", map[string]any{"name": "无名局", "unit_code": "nope", "region_code": "330402"}, &e)
		if status != http.StatusUnprocessableEntity || !e.has("unit_code") {
			t.Fatalf("bad unit: %d %+v", status, e)
		}
		var dp region.Department
		status = w.api(auth.Admin, "PATCH", "/api/v1/departments/"+itoa(d.ID), map[string]any{"phone": "0573-12345678"}, &dp)
		if status != http.StatusOK || dp.Phone != "0573-12345678" || dp.UnitCode != unit || dp.Name != "县工信局" {
			t.Fatalf("patch department: %d %+v", status, dp)
		}
		if status := w.api(auth.Admin, "PATCH", "/api/v1/departments/"+itoa(d.ID), map[string]any{"unit": "x"}, nil); status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown field: %d", status)
		}
		var depts struct {
			Items []region.Department
			Total int
		}
		if status := w.api(auth.Reviewer, "GET", "/api/v1/departments", nil, &depts); status != http.StatusOK || depts.Total != 1 || depts.Items[0].ID != w.deptA {
			t.Fatalf("reviewer departments: %d %+v", status, depts)
		}
		status, body = b.post("/departments", url.Values{"name": {"某办"}, "unit_code": {"nope"}, "region_code": {w.townA}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "政策中没有这个单位类型") || !strings.Contains(body, `class="field-error"`) {
			t.Fatalf("bad department form: %d\n%s", status, body)
		}
		status, loc = b.post("/departments", url.Values{"id": {itoa(w.deptA)}, "name": {"甲镇经贸办公室"}, "unit_code": {unit}, "region_code": {w.townA}})
		if status != http.StatusSeeOther {
			t.Fatalf("edit department: %d %s", status, loc)
		}
		if status, body := b.get(loc); status != http.StatusOK || !strings.Contains(body, "甲镇经贸办公室") {
			t.Fatalf("after edit: %d\n%s", status, body)
		}
		if status, body := b.get("/audit/department/" + itoa(w.deptA)); status != http.StatusOK || !strings.Contains(body, "department.update") {
			t.Fatalf("department history: %d\n%s", status, body)
		}
	})
}
