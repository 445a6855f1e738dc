package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/policy"
)

type dashAnswer struct {
	Figures struct {
		Day        string         `json:"day"`
		Registered int            `json:"registered"`
		WithNotice int            `json:"with_notice"`
		ByStatus   map[string]int `json:"by_status"`
	} `json:"figures"`
	Rates struct {
		ByEnterprises struct{ N, D int } `json:"by_enterprises"`
	} `json:"rates"`
	By map[string][]struct {
		Key, Name  string
		Registered int
	} `json:"by"`
	Trend []struct {
		Day string `json:"day"`
	} `json:"trend"`
}

// The dashboard of each level: the county sees both towns, a town only its own — not
// even as a sum (another town's region answers 404); an approval moves the rate; the page
// draws the trend and links every figure; a breakdown exports to .xlsx.
func TestDashboardScopes(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		var county, town dashAnswer
		if st := w.api(auth.Command, "GET", "/api/v1/dashboard", nil, &county); st != http.StatusOK {
			t.Fatalf("county: %d", st)
		}
		if county.Figures.Registered != 2 || len(county.By["region"]) != 2 || county.By["region"][0].Name != "甲镇" || county.By["region"][1].Name != "乙街道" {
			t.Errorf("county: %+v", county)
		}
		if len(county.Trend) != 30 || county.Trend[29].Day != county.Figures.Day {
			t.Errorf("trend: %d days, last %+v", len(county.Trend), county.Trend)
		}
		if st := w.api(auth.Town, "GET", "/api/v1/dashboard", nil, &town); st != http.StatusOK {
			t.Fatalf("town: %d", st)
		}
		if town.Figures.Registered != 1 || len(town.By["region"]) != 1 || town.By["region"][0].Key != "330402001001" {
			t.Errorf("town A: %+v", town)
		}
		for _, path := range []string{"/api/v1/dashboard?region=" + w.townB, "/api/v1/dashboard?region=330402"} {
			if st := w.api(auth.Town, "GET", path, nil, nil); st != http.StatusNotFound {
				t.Errorf("town A asks %s: %d", path, st)
			}
		}
		for _, path := range []string{"/api/v1/dashboard?day=2020-13-01", "/api/v1/dashboard?park=x", "/api/v1/dashboard?category=nope"} {
			if st := w.api(auth.Command, "GET", path, nil, nil); st != http.StatusUnprocessableEntity && st != http.StatusBadRequest {
				t.Errorf("%s: %d", path, st)
			}
		}
		// An approval: enterprise A holds a notice; the rate by enterprises is 1 of 2.
		walk := w.appApproved(t)
		// The notice's letterhead and issuer name the issuing authority with its place,
		// not the policy.
		if st, body := w.login(auth.Command).get("/notices/" + itoa(walk.Notice)); st != http.StatusOK ||
			strings.Contains(body, policy.Default().Locality.Name) || !strings.Contains(body, `<p class="paper-locality">甲镇`) {
			t.Errorf("notice letterhead: %d %s", st, body[strings.Index(body, "paper-locality"):][:120])
		}
		if st := w.api(auth.Command, "GET", "/api/v1/dashboard", nil, &county); st != http.StatusOK || county.Figures.WithNotice != 1 ||
			county.Rates.ByEnterprises.N != 1 || county.Rates.ByEnterprises.D != 2 || county.Figures.ByStatus["resumed"] != 1 {
			t.Errorf("after the approval: %d %+v", st, county)
		}
		// Drilled into town A, as the county.
		var drilled dashAnswer
		if st := w.api(auth.Command, "GET", "/api/v1/dashboard?region="+w.townA, nil, &drilled); st != http.StatusOK || drilled.Figures.Registered != 1 {
			t.Errorf("drilled: %d %+v", st, drilled)
		}

		b := w.login(auth.Command)
		st, body := b.get("/dashboard")
		if st != http.StatusOK {
			t.Fatalf("page: %d", st)
		}
		for _, want := range []string{`<svg class="chart"`, `href="/dashboard?region=` + w.townA + `"`, `href="/enterprises?region=` + w.townA + `"`,
			`href="/enterprises?status=resumed"`, "复工率(按企业)", "50%", `/dashboard/export?by=region`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %s", want)
			}
		}
		st, body = b.get("/dashboard/export?by=region")
		text := answerText(body)
		if st != http.StatusOK || !strings.Contains(text, "甲镇") || !strings.Contains(text, "合计") || !strings.Contains(text, "复工率(按企业)") {
			t.Errorf("export: %d", st)
		}
		tb := w.login(auth.Town)
		if st, _ := tb.get("/dashboard/export?region=" + w.townB); st != http.StatusNotFound {
			t.Errorf("town A exports town B: %d", st)
		}
		if st, body := tb.get("/dashboard"); st != http.StatusOK || strings.Contains(body, "乙街道") {
			t.Errorf("town A's page: %d, names town B: %v", st, strings.Contains(body, "乙街道"))
		}
		if st, _ := w.login(auth.Enterprise).get("/dashboard"); st != http.StatusForbidden {
			t.Errorf("an enterprise: %d", st)
		}
	})
}

var hrefRE = regexp.MustCompile(`href="(/[^"#]*)"`)

// Each role's home shows its own work, names its scope rather than printing its code, and
// no link on it leads to a page the role may not open.
func TestHomePages(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		want := map[auth.Role][]string{
			auth.Enterprise: {"今日待办", "待审批出入证", "今日日报", "今日发热/有症状", "更新本企业信息"},
			auth.Grid:       {"今日待办", "待审批出入证", "今日体温检测"},
			auth.Town:       {"今日待办", "复工率(按企业)", "超期未审", "日报未报", "甲镇"},
			auth.Command:    {"今日待办", "复工率(按人员)", "示范县", `href="/dashboard"`},
			auth.Staff:      {"出示我的出入证"},
			auth.Guard:      {"进入门岗查验"},
		}
		refuse := map[auth.Role][]string{
			auth.Staff: {"更新本企业信息", "今日待办"},
			auth.Guard: {"更新本企业信息", "今日待办"},
		}
		for _, role := range auth.Roles {
			b := w.login(role)
			st, body := b.get("/")
			if st != http.StatusOK {
				t.Fatalf("%s home: %d", role, st)
			}
			for _, s := range want[role] {
				if !strings.Contains(body, s) {
					t.Errorf("%s home lacks %s", role, s)
				}
			}
			for _, s := range refuse[role] {
				if strings.Contains(body, s) {
					t.Errorf("%s home shows %s", role, s)
				}
			}
			if strings.Contains(body, w.users[role].ScopeText) && w.users[role].ScopeText != "all" {
				t.Errorf("%s home prints the scope code %s", role, w.users[role].ScopeText)
			}
			seen := map[string]bool{}
			for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
				href := strings.ReplaceAll(m[1], "&amp;", "&")
				if seen[href] || strings.HasPrefix(href, "/static/") || strings.HasPrefix(href, "/assets/") {
					continue
				}
				seen[href] = true
				if st, _ := b.get(href); st == http.StatusForbidden || st == http.StatusNotFound || st >= 500 {
					t.Errorf("%s home links %s: %d", role, href, st)
				}
			}
		}
	})
}

// The roll-up of daily reports on the page and in the API: the enterprise allowed to
// resume is asked and shown until it reports; the town confirms its summary (a note while
// one is missing); another town's region answers 404.
func TestRollupPages(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		var ro struct {
			Lines []struct {
				Key        string `json:"key"`
				Due        int    `json:"due"`
				Summarized bool   `json:"summarized"`
			} `json:"lines"`
			Unreported []struct{ Name string } `json:"unreported"`
			Summary    *struct{ Note string }  `json:"summary"`
		}
		if st := w.api(auth.Command, "GET", "/api/v1/daily-reports/summary", nil, &ro); st != http.StatusOK || len(ro.Lines) != 0 {
			t.Fatalf("before any approval: %d %+v", st, ro)
		}
		w.appApproved(t)
		if st := w.api(auth.Command, "GET", "/api/v1/daily-reports/summary", nil, &ro); st != http.StatusOK || len(ro.Lines) != 1 || ro.Lines[0].Key != w.townA ||
			ro.Lines[0].Due != 1 || len(ro.Unreported) != 1 || ro.Unreported[0].Name != "甲镇精密机械有限公司" {
			t.Fatalf("county: %d %+v", st, ro)
		}
		if st := w.api(auth.Town, "GET", "/api/v1/daily-reports/summary?region="+w.townB, nil, nil); st != http.StatusNotFound {
			t.Errorf("town A reads town B: %d", st)
		}
		b := w.login(auth.Town)
		st, body := b.get("/reports/summary")
		if st != http.StatusOK || !strings.Contains(body, "甲镇精密机械有限公司") || !strings.Contains(body, "确认本级汇总") {
			t.Fatalf("town page: %d %v %v", st, strings.Contains(body, "甲镇精密机械有限公司"), strings.Contains(body, "确认本级汇总"))
		}
		if st, _ := b.post("/reports/summary/confirm", url.Values{"day": {""}}); st != http.StatusUnprocessableEntity {
			t.Errorf("confirm without a note: %d", st)
		}
		if st, _ := b.post("/reports/summary/confirm", url.Values{"note": {"电话催报中"}}); st != http.StatusSeeOther && st != http.StatusOK {
			t.Errorf("confirm with a note: %d", st)
		}
		if st := w.api(auth.Town, "GET", "/api/v1/daily-reports/summary", nil, &ro); st != http.StatusOK || ro.Summary == nil || ro.Summary.Note != "电话催报中" {
			t.Errorf("the town's summary: %d %+v", st, ro.Summary)
		}
		if st := w.api(auth.Town, "POST", "/api/v1/daily-reports/summary/confirm", map[string]any{"note": "again"}, nil); st != http.StatusConflict {
			t.Errorf("twice: %d", st)
		}
		if st := w.api(auth.Command, "GET", "/api/v1/daily-reports/summary", nil, &ro); st != http.StatusOK || !ro.Lines[0].Summarized {
			t.Errorf("the county sees the town's summary: %+v", ro)
		}
	})
}

// The 复工统计表 read back from its .xlsx: the clerk's columns, a row per town and
// category, the total last; the 备案汇总表 lists the enterprise that filed; a town's table
// holds its own rows only.
func TestStatisticsTables(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		b := w.login(auth.Command)
		status, ctype, data := b.getBytes("/statistics/resumption.xlsx")
		if status != http.StatusOK || !strings.Contains(ctype, "spreadsheetml") {
			t.Fatalf("export: %d %s", status, ctype)
		}
		sheet, rows := openSheet(t, data)
		if !strings.HasPrefix(sheet, "复工统计表") {
			t.Errorf("sheet %q", sheet)
		}
		want := []string{"区域", "行业类别", "登记企业数", "已申报备案企业数", "已批准企业数", "已复工企业数", "复工率(按企业)", "在册员工数", "已返岗人数", "当日到岗人数"}
		for i, h := range want {
			if rows[0][i] != h {
				t.Errorf("header %d = %q, want %q", i, rows[0][i], h)
			}
		}
		if len(rows) != 4 || rows[1][0] != "甲镇" || rows[1][2] != "1" || rows[1][3] != "1" || rows[1][4] != "1" || rows[1][5] != "1" || rows[1][6] != "100%" ||
			rows[2][0] != "乙街道" || rows[2][2] != "1" || rows[2][5] != "0" || rows[3][0] != "合计" || rows[3][2] != "2" || rows[3][6] != "50%" {
			t.Errorf("rows %v", rows)
		}
		resumption := rows
		var api struct {
			Day  string `json:"day"`
			Rows []struct {
				RegionName string `json:"region_name"`
				Registered int    `json:"registered"`
			} `json:"rows"`
		}
		if st := w.api(auth.Town, "GET", "/api/v1/statistics/resumption", nil, &api); st != http.StatusOK || len(api.Rows) != 2 || api.Rows[0].RegionName != "一村" && api.Rows[0].RegionName != "甲镇" {
			t.Errorf("town's statistics: %d %+v", st, api)
		}
		for _, r := range api.Rows {
			if strings.Contains(r.RegionName, "乙街道") {
				t.Errorf("town A's table names town B: %+v", api)
			}
		}
		status, _, data = b.getBytes("/statistics/filings.xlsx")
		_, rows = openSheet(t, data)
		if status != http.StatusOK || len(rows) != 2 || rows[0][1] != "企业名称" || rows[1][1] != "甲镇精密机械有限公司" || rows[1][10] == "" {
			t.Errorf("filings: %d %v", status, rows)
		}
		if st, body := b.get("/statistics/resumption"); st != http.StatusOK || !strings.Contains(body, "复工统计表") || !strings.Contains(body, "甲镇精密机械有限公司") {
			t.Errorf("page: %d", st)
		}
		// In English the page names the categories and the total in English.
		cat, catEN := resumption[1][1], ""
		for _, c := range policy.Default().Categories {
			if c.Name == cat {
				catEN = c.NameEN
			}
		}
		if st, body := b.get("/statistics/resumption?lang=en"); st != http.StatusOK || catEN == "" || !strings.Contains(body, "<td>"+html.EscapeString(catEN)+"</td>") ||
			strings.Contains(body, "<td>"+cat+"</td>") || !strings.Contains(body, "<td>Total</td>") || strings.Contains(body, "合计") {
			t.Errorf("the English page: %d, category %q (%q)", st, cat, catEN)
		}
		if st := w.api(auth.Town, "GET", "/api/v1/statistics/resumption?region="+w.townB, nil, nil); st != http.StatusNotFound {
			t.Errorf("town A asks for town B: %d", st)
		}
	})
}

// The registers of a day on the page, in the API and as .xlsx: the gate's by checkpoint,
// the temperatures' with fevers; a town sees its own enterprises' rows only.
func TestRegisters(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		pass := w.issuedPasses(t, "周登记")[0]
		temp := 36.6
		if st := w.api(auth.Guard, "POST", "/api/v1/gate/scan", map[string]any{"token": pass.Token, "temperature": temp, "checkpoint": "东门"}, nil); st != http.StatusOK {
			t.Fatalf("scan: %d", st)
		}
		var gl struct {
			Items []struct {
				Checkpoint     string `json:"checkpoint"`
				EnterpriseName string `json:"enterprise_name"`
				Kind           string `json:"kind"`
			} `json:"items"`
			Checkpoints []string `json:"checkpoints"`
			Total       int      `json:"total"`
		}
		if st := w.api(auth.Town, "GET", "/api/v1/gate/register?checkpoint=东门", nil, &gl); st != http.StatusOK || gl.Total != 1 || gl.Items[0].Checkpoint != "东门" ||
			gl.Items[0].EnterpriseName != "甲镇精密机械有限公司" || len(gl.Checkpoints) != 1 {
			t.Errorf("gate register: %d %+v", st, gl)
		}
		var tl struct {
			Items []struct {
				Temperature float64 `json:"temperature"`
				Source      string  `json:"source"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if st := w.api(auth.Command, "GET", "/api/v1/health-checks/register", nil, &tl); st != http.StatusOK || tl.Total != 1 || tl.Items[0].Temperature != 36.6 || tl.Items[0].Source != "gate" {
			t.Errorf("temperature register: %d %+v", st, tl)
		}
		if st := w.api(auth.Town, "GET", "/api/v1/health-checks/register?fever=1", nil, &tl); st != http.StatusOK || tl.Total != 0 {
			t.Errorf("fevers only: %d %+v", st, tl)
		}
		for _, path := range []string{"/api/v1/gate/register?day=2020-13-01", "/api/v1/gate/register?kind=bike", "/api/v1/health-checks/register?fever=maybe"} {
			if st := w.api(auth.Command, "GET", path, nil, nil); st != http.StatusUnprocessableEntity && st != http.StatusBadRequest {
				t.Errorf("%s: %d", path, st)
			}
		}
		tb := w.scopedUser(t, "town-b-reg", auth.Town, "region:"+w.townB)
		if st := w.appAPI(tb.token, "GET", "/api/v1/gate/register", nil, &gl); st != http.StatusOK || gl.Total != 0 {
			t.Errorf("town B sees %d rows of town A", gl.Total)
		}
		b := w.login(auth.Town)
		if st, body := b.get("/registers/gate"); st != http.StatusOK || !strings.Contains(body, "东门") || !strings.Contains(body, "甲镇精密机械有限公司") {
			t.Errorf("gate register page: %d", st)
		}
		status, _, data := b.getBytes("/registers/temperature/export")
		sheet, rows := openSheet(t, data)
		if status != http.StatusOK || sheet != "体温检测登记台账" || len(rows) != 2 || rows[0][0] != "时间" || rows[1][5] != "36.6" || rows[1][7] != "门岗" {
			t.Errorf("temperature export: %d %s %v", status, sheet, rows)
		}
		status, _, data = b.getBytes("/registers/gate/export?checkpoint=东门")
		_, rows = openSheet(t, data)
		if status != http.StatusOK || len(rows) != 2 || rows[1][2] != "东门" || rows[1][3] != "员工" || rows[1][12] != "准予通行" {
			t.Errorf("gate export: %d %v", status, rows)
		}
	})
}

// The enterprise's detail page is one view of it: today's figures, its notice, and the
// lists of what it has; every link opens for the role that sees it.
func TestEnterpriseOneView(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		walk := w.appApproved(t)
		for _, role := range []auth.Role{auth.Town, auth.Enterprise, auth.Command, auth.Grid, auth.Staff, auth.Reviewer} {
			b := w.login(role)
			st, body := b.get("/enterprises/" + itoa(w.entA))
			if st != http.StatusOK {
				t.Fatalf("%s: %d", role, st)
			}
			if role != auth.Staff && (!strings.Contains(body, "企业档案一览") || !strings.Contains(body, "今日发热/有症状")) {
				t.Errorf("%s: no one view", role)
			}
			if role == auth.Town && !strings.Contains(body, `href="/notices/`+itoa(walk.Notice)+`"`) {
				t.Errorf("town: no link to the notice")
			}
			i := strings.Index(body, "enterprise-today")
			if i < 0 {
				continue
			}
			for _, m := range hrefRE.FindAllStringSubmatch(body[i:], -1) {
				href := strings.ReplaceAll(m[1], "&amp;", "&")
				if st, _ := b.get(href); st == http.StatusForbidden || st == http.StatusNotFound || st >= 500 {
					t.Errorf("%s: %s answers %d", role, href, st)
				}
			}
		}
	})
}
