package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/notice"
	"fugong/internal/policy"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// appErrorAnswer is an API error with the problems of a refused submission.
type appErrorAnswer struct {
	Error struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		Problems []struct {
			Rule      string `json:"rule"`
			Field     string `json:"field"`
			Message   string `json:"message"`
			MessageEN string `json:"message_en"`
			Clause    string `json:"clause"`
		} `json:"problems"`
	} `json:"error"`
}

// appDetailAnswer is the part of ApplicationDetail the tests read.
type appDetailAnswer struct {
	application.View
	StatusName  string                   `json:"status_name"`
	Checks      []application.Outcome    `json:"checks"`
	Blocked     bool                     `json:"blocked"`
	Actions     []appActionAnswer        `json:"actions"`
	Events      []application.Event      `json:"events"`
	Inspections []application.Acceptance `json:"inspections"`
	Notice      *notice.Notice           `json:"notice"`
}

type appActionAnswer struct {
	Action          string `json:"action"`
	CommentRequired bool   `json:"comment_required"`
}

func (d appDetailAnswer) can(act application.Action) bool {
	return slices.ContainsFunc(d.Actions, func(a appActionAnswer) bool { return a.Action == string(act) })
}

// appBody is the JSON of a complete application of entA, with the given returning
// headcount and masks in stock.
func (w *world) appBody(returning, masks int) map[string]any {
	pol := policy.Default()
	a := appComplete(pol, w.entA, w.appPlanned())
	return map[string]any{
		"enterprise_id": w.entA, "planned_at": a.PlannedAt, "returning": map[string]int{"local": returning},
		"supplies": []map[string]any{{"item": "masks", "quantity": masks}, {"item": "thermometers", "quantity": 5},
			{"item": "disinfectant", "quantity": 20}, {"item": "gloves", "quantity": 100}, {"item": "suits", "quantity": 10},
			{"item": "alcohol", "quantity": 10}},
		"isolation_rooms": 1, "commitment": a.Commitment, "parts": a.Parts, "self_check": a.SelfCheck,
	}
}

// appConform checks a JSON answer against a schema of the OpenAPI document.
func (w *world) appConform(t *testing.T, schema string, v any) {
	t.Helper()
	got := w.send(t, noRedirects(), http.MethodGet, "/api/v1/openapi.json", nil, "")
	var doc map[string]any
	if err := json.Unmarshal([]byte(got.body), &doc); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	var generic any
	json.Unmarshal(b, &generic)
	s, _ := at(doc, "components", "schemas", schema).(map[string]any)
	if s == nil {
		t.Fatalf("no schema %s", schema)
	}
	for _, p := range conform(doc, s, generic, schema) {
		t.Errorf("%s", p)
	}
}

func TestApplicationAPI(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		actors := w.appActors(t)
		// A draft never stops on the policy: 100 returning with 650 masks is saved.
		var v application.View
		if status := w.api(auth.Enterprise, "POST", "/api/v1/applications", w.appBody(100, 650), &v); status != http.StatusCreated || v.ID == 0 || v.Status != "draft" || v.Version != 1 {
			t.Fatalf("create: %d %+v", status, v)
		}
		path := "/api/v1/applications/" + itoa(v.ID)
		if status := w.api(auth.Enterprise, "POST", "/api/v1/applications", map[string]any{"note": "x"}, nil); status != http.StatusUnprocessableEntity {
			t.Fatalf("create without enterprise_id: %d", status)
		}
		if status := w.api(auth.Enterprise, "POST", "/api/v1/applications", w.appBody(10, 1000), nil); status != http.StatusConflict {
			t.Fatalf("a second open application: %d", status)
		}
		// Submitting lists every failed rule with its clause.
		var refused appErrorAnswer
		if status := w.api(auth.Enterprise, "POST", path+"/submit", nil, &refused); status != http.StatusUnprocessableEntity || refused.Error.Code != "invalid" {
			t.Fatalf("submit with problems: %d %+v", status, refused)
		}
		found := false
		for _, p := range refused.Error.Problems {
			if p.Rule == "" || p.Field != p.Rule || p.Message == "" || p.MessageEN == "" {
				t.Errorf("problem without rule, field, messages: %+v", p)
			}
			if p.Rule == application.RuleSuppliesMasks {
				found = true
				if !strings.Contains(p.Message, "92") || !strings.Contains(p.Message, "700") || p.Clause == "" {
					t.Errorf("masks problem: %+v", p)
				}
			}
		}
		if !found {
			t.Fatalf("no supplies_masks problem: %+v", refused)
		}
		// Unknown and read-only fields are refused; a stale version is a conflict.
		if status := w.api(auth.Enterprise, "PATCH", path, map[string]any{"bogus": 1}, nil); status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown field: %d", status)
		}
		var ro appErrorAnswer
		if status := w.api(auth.Enterprise, "PATCH", path, map[string]any{"status": "approved"}, &ro); status != http.StatusUnprocessableEntity || !strings.Contains(ro.Error.Problems[0].Message, "status") {
			t.Fatalf("read-only field: %d %+v", status, ro)
		}
		var bad appErrorAnswer
		if status := w.api(auth.Enterprise, "PATCH", path, map[string]any{"returning": map[string]int{"local": -1}}, &bad); status != http.StatusUnprocessableEntity || bad.Error.Problems[0].Field != "returning.local" {
			t.Fatalf("invalid field: %d %+v", status, bad)
		}
		fix := map[string]any{"supplies": w.appBody(100, 1000)["supplies"], "version": v.Version}
		var fixed application.View
		if status := w.api(auth.Enterprise, "PATCH", path, fix, &fixed); status != http.StatusOK || fixed.Version != v.Version+1 || fixed.Returning.Local != 100 {
			t.Fatalf("patch: %d %+v", status, fixed)
		}
		if status := w.api(auth.Enterprise, "PATCH", path, fix, nil); status != http.StatusConflict {
			t.Fatalf("stale patch: %d", status)
		}
		if status := w.api(auth.Enterprise, "POST", path+"/submit", map[string]int{"version": v.Version}, nil); status != http.StatusConflict {
			t.Fatalf("submit on a stale version: %d", status)
		}
		var submitted application.View
		if status := w.api(auth.Enterprise, "POST", path+"/submit", map[string]int{"version": fixed.Version}, &submitted); status != http.StatusOK || submitted.Status != "submitted" || submitted.SubmittedAt.IsZero() {
			t.Fatalf("submit: %d %+v", status, submitted)
		}
		if status := w.api(auth.Enterprise, "PATCH", path, map[string]any{"note": "晚了"}, nil); status != http.StatusConflict {
			t.Fatalf("patch after submit: %d", status)
		}
		tr := path + "/transitions"
		// Illegal now, wrong role, invalid, stale.
		if status := w.api(auth.Enterprise, "POST", tr, map[string]any{"action": "approve"}, nil); status != http.StatusConflict {
			t.Fatalf("approve a fresh submission: %d", status)
		}
		if status := w.api(auth.Grid, "POST", tr, map[string]any{"action": "accept"}, nil); status != http.StatusForbidden {
			t.Fatalf("grid does the park's first review: %d", status)
		}
		if status := w.api(auth.Park, "POST", tr, map[string]any{"action": "fly"}, nil); status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown action: %d", status)
		}
		var noReason appErrorAnswer
		if status := w.api(auth.Park, "POST", tr, map[string]any{"action": "return"}, &noReason); status != http.StatusUnprocessableEntity || noReason.Error.Problems[0].Field != "comment" {
			t.Fatalf("return without a reason: %d %+v", status, noReason)
		}
		if status := w.api(auth.Park, "POST", tr, map[string]any{"action": "accept", "version": fixed.Version}, nil); status != http.StatusConflict {
			t.Fatalf("accept on a stale version: %d", status)
		}
		// The park's queue holds it; the bureau's does not yet.
		queue := func(token string) []int64 {
			var list struct {
				Items []application.View `json:"items"`
				Total int                `json:"total"`
			}
			if status := w.appAPI(token, "GET", "/api/v1/applications?mine=true", nil, &list); status != http.StatusOK || list.Total != len(list.Items) {
				t.Fatalf("queue: %d %+v", status, list)
			}
			var ids []int64
			for _, it := range list.Items {
				ids = append(ids, it.ID)
			}
			return ids
		}
		if q := queue(w.tokens[auth.Park]); !slices.Contains(q, v.ID) {
			t.Fatalf("park queue %v lacks %d", q, v.ID)
		}
		if q := queue(actors.industryTok); slices.Contains(q, v.ID) {
			t.Fatalf("bureau queue %v holds %d before the first review", q, v.ID)
		}
		var res appTransitionAnswer
		if status := w.api(auth.Park, "POST", tr, map[string]any{"action": "accept", "comment": "园区初审通过", "version": submitted.Version}, &res); status != http.StatusOK || res.From != "submitted" || res.To != "first_review" || res.Notice != nil {
			t.Fatalf("first review: %d %+v", status, res)
		}
		w.appConform(t, "TransitionResult", res)
		if q := queue(actors.industryTok); !slices.Contains(q, v.ID) {
			t.Fatalf("bureau queue %v lacks %d", q, v.ID)
		}
		var d appDetailAnswer
		if status := w.appAPI(actors.industryTok, "GET", path, nil, &d); status != http.StatusOK || !d.can(application.Accept) || !d.can(application.Return) || d.can(application.Approve) || len(d.Events) != 2 {
			t.Fatalf("detail for the bureau: %d %+v", status, d)
		}
		for _, route := range w.appRoute(t)[2:] {
			res = w.appDo(t, route, v.ID)
		}
		if res.To != application.StatusApproved || res.Notice == nil || res.Notice.Serial == "" || res.Notice.Token == "" {
			t.Fatalf("approval: %+v", res)
		}
		w.appConform(t, "TransitionResult", res)
		var raw map[string]any
		w.appAPI(actors.townCmdTok, "GET", path, nil, &raw)
		w.appConform(t, "ApplicationDetail", raw)
		if status := w.appAPI(actors.townCmdTok, "GET", path, nil, &d); status != http.StatusOK || d.Status != "approved" || d.Notice == nil || d.Notice.ID != res.Notice.ID ||
			len(d.Events) != 5 || len(d.Inspections) != 1 || len(d.Checks) == 0 || d.Blocked || !d.can(application.Revoke) {
			t.Fatalf("detail after approval: %d %+v", status, d)
		}
		if d.Events[4].PolicyVersion == "" || d.Events[1].Comment != "园区初审通过" {
			t.Errorf("events: %+v", d.Events)
		}
		// Out of scope: an application of town B is not found.
		var other application.View
		body := w.appBody(10, 1000)
		body["enterprise_id"] = w.entB
		if status := w.api(auth.Command, "POST", "/api/v1/applications", body, &other); status != http.StatusCreated || !other.OnBehalf {
			t.Fatalf("the county files for town B: %d %+v", status, other)
		}
		for _, role := range []auth.Role{auth.Town, auth.Enterprise, auth.Park, auth.Reviewer, auth.Grid} {
			if status := w.api(role, "GET", "/api/v1/applications/"+itoa(other.ID), nil, nil); status != http.StatusNotFound {
				t.Errorf("%s reads town B's application: %d", role, status)
			}
			if status := w.api(role, "POST", "/api/v1/applications/"+itoa(other.ID)+"/submit", nil, nil); status != http.StatusNotFound {
				t.Errorf("%s submits town B's application: %d", role, status)
			}
		}
		if status := w.api(auth.Town, "POST", "/api/v1/applications", body, nil); status != http.StatusUnprocessableEntity {
			t.Errorf("town files for town B: %d", status)
		}
		var list map[string]any
		if status := w.api(auth.Command, "GET", "/api/v1/applications?status=draft&q="+url.QueryEscape("乙街道"), nil, &list); status != http.StatusOK || at(list, "total") != float64(1) {
			t.Fatalf("filtered list: %d %v", status, list)
		}
		w.appConform(t, "ApplicationList", list)
		if status := w.api("", "GET", "/api/v1/applications", nil, nil); status != http.StatusUnauthorized {
			t.Fatalf("no token: %d", status)
		}
		if status := w.api(auth.Staff, "GET", "/api/v1/applications", nil, nil); status != http.StatusForbidden {
			t.Fatalf("staff: %d", status)
		}
	})
}

// appPost posts a multipart form as a same-origin browser would.
func (b *browser) appPostMultipart(path string, fields url.Values, name string, data []byte) (int, string) {
	b.w.t.Helper()
	ct, body := appMultipart(b.w.t, fields, name, data)
	req, _ := http.NewRequest("POST", b.w.ts.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", b.w.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.c.Do(req)
	if err != nil {
		b.w.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusSeeOther {
		return resp.StatusCode, resp.Header.Get("Location")
	}
	return resp.StatusCode, string(out)
}

func TestApplicationAttachments(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		id, sha := w.appDraft(t)
		img := appPNG(t)
		// Download as an official of the town and as the enterprise.
		for _, role := range []auth.Role{auth.Town, auth.Enterprise} {
			resp, err := w.login(role).c.Get(fmt.Sprintf("%s/applications/%d/files/%s", w.ts.URL, id, sha))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(got, img) ||
				!strings.Contains(resp.Header.Get("Content-Disposition"), "inline") {
				t.Fatalf("download as %s: %d %v", role, resp.StatusCode, resp.Header)
			}
		}
		b := w.login(auth.Enterprise)
		if status, _ := b.get(fmt.Sprintf("/applications/%d/files/%s", id, strings.Repeat("ab", 32))); status != http.StatusNotFound {
			t.Fatalf("unknown file: %d", status)
		}
		// The API refuses unknown materials, types and empty uploads.
		tok := w.tokens[auth.Enterprise]
		for _, c := range []struct {
			material, name string
			data           []byte
			field          string
		}{{"nonsense", "a.png", img, "material"}, {"roster", "a.exe", img, "file"}, {"roster", "a.pdf", img, "file"}, {"roster", "", nil, "file"}} {
			status, body := w.appUpload(tok, id, c.material, c.name, c.data)
			var e appErrorAnswer
			json.Unmarshal(body, &e)
			if status != http.StatusUnprocessableEntity || len(e.Error.Problems) == 0 || e.Error.Problems[0].Field != c.field {
				t.Errorf("upload %s %s: %d %s", c.material, c.name, status, body)
			}
		}
		// The page's upload form.
		status, loc := b.appPostMultipart(fmt.Sprintf("/applications/%d/attachments", id), url.Values{"material": {"roster"}}, "花名册.png", img)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, fmt.Sprintf("/applications/%d", id)) {
			t.Fatalf("page upload: %d %s", status, loc)
		}
		status, body := b.get(fmt.Sprintf("/applications/%d", id))
		if status != http.StatusOK || !strings.Contains(body, "花名册.png") || !strings.Contains(body, "已上传") {
			t.Fatalf("detail after upload: %d", status)
		}
		status, body = b.appPostMultipart(fmt.Sprintf("/applications/%d/attachments", id), url.Values{"material": {"roster"}}, "", nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "请选择要上传的文件") {
			t.Fatalf("page upload without a file: %d", status)
		}
		// Once submitted, materials are frozen.
		if status := w.api(auth.Enterprise, "POST", fmt.Sprintf("/api/v1/applications/%d/submit", id), nil, nil); status != http.StatusOK {
			t.Fatalf("submit: %d", status)
		}
		if status, _ := w.appUpload(tok, id, "roster", "b.png", img); status != http.StatusConflict {
			t.Fatalf("upload after submit: %d", status)
		}
		// On-site photos go with an item of the checklist, by an inspector, while under review.
		item := "inspection:" + policy.Default().Checklist[0].Code
		if status, body := w.appUpload(w.tokens[auth.Park], id, item, "现场.png", img); status != http.StatusCreated {
			t.Fatalf("on-site photo: %d %s", status, body)
		}
		if status, _ := w.appUpload(tok, id, item, "自拍.png", img); status != http.StatusForbidden {
			t.Fatalf("on-site photo by the enterprise: %d", status)
		}
		if status, _ := w.appUpload(w.tokens[auth.Park], id, "inspection:no_such_item", "现场.png", img); status != http.StatusUnprocessableEntity {
			t.Fatalf("on-site photo of an unknown item: %d", status)
		}
		// The page shows the photo with the on-site acceptance, named by its item, not
		// among the other files under its code.
		first := policy.Default().Checklist[0]
		_, page := w.login(auth.Park).get(fmt.Sprintf("/applications/%d", id))
		acc := strings.Index(page, "<h2>现场验收</h2>")
		if acc < 0 || !strings.Contains(page[acc:], "现场.png</a> <small class=\"muted\">"+first.Name+"</small>") || strings.Contains(page, item) {
			t.Errorf("the on-site photo is not shown with the acceptance under %q", first.Name)
		}
	})
}

func TestApplicationListAndExport(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		id, _ := w.appDraft(t)
		if status := w.api(auth.Enterprise, "POST", fmt.Sprintf("/api/v1/applications/%d/submit", id), nil, nil); status != http.StatusOK {
			t.Fatalf("submit: %d", status)
		}
		// A second enterprise of town A, whose draft the town files on its behalf.
		e2, err := w.db.CreateEnterprise(w.ctx, auth.System, enterprise.Enterprise{Name: "甲镇纺织有限公司", USCC: uscc(t, 41), Category: "other", RegionCode: "330402001001"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		body := w.appBody(10, 1000)
		body["enterprise_id"] = e2.ID
		if status := w.api(auth.Town, "POST", "/api/v1/applications", body, nil); status != http.StatusCreated {
			t.Fatalf("file on behalf: %d", status)
		}
		town := w.login(auth.Town)
		status, page := town.get("/applications")
		if status != http.StatusOK || !strings.Contains(page, "甲镇精密机械有限公司") || !strings.Contains(page, "甲镇纺织有限公司") || !strings.Contains(page, "帮办代办") {
			t.Fatalf("town list: %d\n%s", status, page)
		}
		if status, page = town.get("/applications?status=draft"); status != http.StatusOK || strings.Contains(page, "甲镇精密机械有限公司") {
			t.Fatalf("drafts: %d", status)
		}
		// The park's queue: priority shown, overdue highlighted once the due date passed.
		park := w.login(auth.Park)
		if status, page = park.get("/applications?mine=1"); status != http.StatusOK || !strings.Contains(page, "甲镇精密机械有限公司") || strings.Contains(page, `class="overdue"`) {
			t.Fatalf("park queue: %d\n%s", status, page)
		}
		// The review is due within the policy's days: a day after, it is overdue.
		later := time.Now().AddDate(0, 0, policy.Default().Resumption.ReviewDueDays+1)
		clock := w.db.Now
		w.db.Now = func() time.Time { return later }
		status, page = w.login(auth.Park).get("/applications?mine=1") // a session of that day
		w.db.Now = clock
		if status != http.StatusOK || !strings.Contains(page, `class="overdue"`) || !strings.Contains(page, "已超时") {
			t.Fatalf("overdue queue: %d\n%s", status, page)
		}
		// Signing in that day ended the sessions that had expired by then: sign in again.
		town, park = w.login(auth.Town), w.login(auth.Park)
		// The export holds exactly what the filter shows, on all pages.
		rows := func(b *browser, path string) [][]string {
			t.Helper()
			status, body := b.get(path)
			f, err := excelize.OpenReader(strings.NewReader(body))
			if status != http.StatusOK || err != nil {
				t.Fatalf("%s: %d %v", path, status, err)
			}
			rows, err := f.GetRows(f.GetSheetName(0))
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		all := rows(town, "/applications/export?size=1")
		want := []string{"企业名称", "信用代码", "区域", "审核单位", "状态", "计划复工时间", "返岗人数", "提交时间", "办理时限", "通知书编号"}
		if len(all) != 3 || !slices.Equal(all[0], want) {
			t.Fatalf("export: %v", all)
		}
		names := []string{all[1][0], all[2][0]}
		sort.Strings(names)
		if names[0] != "甲镇精密机械有限公司" || names[1] != "甲镇纺织有限公司" {
			t.Fatalf("export names: %v", names)
		}
		mine := rows(park, "/applications/export?mine=1")
		if len(mine) != 2 || mine[1][1] != uscc(t, 1) || mine[1][3] != "县工信局" || !strings.HasPrefix(mine[1][4], "待初审") || mine[1][8] == "" {
			t.Fatalf("park's export: %v", mine)
		}
		if drafts := rows(town, "/applications/export?status=draft"); len(drafts) != 2 || drafts[1][0] != "甲镇纺织有限公司" {
			t.Fatalf("drafts export: %v", drafts)
		}
	})
}

// appPageOK fetches a page and fails unless it renders.
func appPageOK(t *testing.T, b *browser, who, path string, wants ...string) string {
	t.Helper()
	status, body := b.get(path)
	if status != http.StatusOK || strings.Contains(body, "出错了") {
		t.Fatalf("%s as %s: %d\n%s", path, who, status, body)
	}
	for _, s := range wants {
		if !strings.Contains(body, s) {
			t.Fatalf("%s as %s lacks %q\n%s", path, who, s, body)
		}
	}
	return body
}

// appForm is a filled application form for entA.
func (w *world) appForm(returning, masks string) url.Values {
	planned := w.appPlanned().In(policy.Default().Location())
	f := url.Values{
		"enterprise_id": {itoa(w.entA)}, "planned_at": {planned.Format("2006-01-02T15:04")},
		"returning.local": {returning}, "supplies.masks": {masks}, "supplies.thermometers": {"5"}, "supplies.disinfectant": {"20"},
		"supplies.gloves": {"100"}, "supplies.suits": {"10"}, "supplies.alcohol": {"10"}, "isolation_rooms": {"1"},
		"commitment.signed_by": {"张三"}, "commitment.signed_at": {planned.AddDate(0, 0, -3).Format("2006-01-02")}, "note": {"错时返岗"},
	}
	for _, m := range policy.Default().Materials {
		f.Add("parts", m.Code)
	}
	for _, c := range policy.Default().Checklist {
		f.Add("self_check", c.Code)
	}
	return f
}

func TestApplicationPages(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		actors := w.appActors(t)
		viewers := map[string]*browser{}
		for _, role := range []auth.Role{auth.Admin, auth.Command, auth.Reviewer, auth.Town, auth.Grid, auth.Park, auth.Enterprise} {
			viewers[string(role)] = w.login(role)
		}
		viewers["app-industry"] = w.appLogin(actors.industry.Username)
		viewers["app-town-command"] = w.appLogin(actors.townCmd.Username)
		for who, b := range viewers {
			appPageOK(t, b, who, "/applications", "复工申请")
			appPageOK(t, b, who, "/", "待我处理")
		}
		for _, role := range []auth.Role{auth.Staff, auth.Guard} {
			if status, _ := w.login(role).get("/applications"); status != http.StatusForbidden {
				t.Fatalf("%s sees applications: %d", role, status)
			}
		}
		// Officials choose the enterprise first.
		appPageOK(t, viewers["town"], "town", "/applications/new", "为该企业填报", "甲镇精密机械有限公司")
		appPageOK(t, viewers["town"], "town", "/applications/new?enterprise="+itoa(w.entA), "计划复工时间", "复工书面申请报告")
		if status, _ := viewers["town"].get("/applications/new?enterprise=" + itoa(w.entB)); status != http.StatusNotFound {
			t.Fatalf("town files for town B: %d", status)
		}

		ent := viewers["enterprise"]
		appPageOK(t, ent, "enterprise", "/applications/new", "计划复工时间", "口罩", "省外", "承诺书", "自查")
		// Field errors are shown at the field; nothing is saved.
		bad := w.appForm("x", "650")
		bad.Set("planned_at", "明天")
		bad.Set("supplies.gloves", "-5")
		status, body := ent.post("/applications", bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "请按“年-月-日 时:分”填写计划复工时间") || !strings.Contains(body, "请填写整数") ||
			!strings.Contains(body, "数量应为 0 到 100000000 之间的整数") || !strings.Contains(body, `value="明天"`) {
			t.Fatalf("form errors: %d\n%s", status, body)
		}
		// A draft with too few masks is saved; the page explains what fails.
		status, loc := ent.post("/applications", w.appForm("100", "650"))
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/applications/") {
			t.Fatalf("save draft: %d %s", status, loc)
		}
		id := strings.TrimPrefix(loc, "/applications/")
		page := "/applications/" + id
		appPageOK(t, ent, "enterprise", page, "草稿已保存", "供应不足", "最多支持 92 人复工", "✗", "提交申请", "丁方案")
		var v application.View
		w.api(auth.Enterprise, "GET", "/api/v1/applications/"+id, nil, &v)
		if v.Returning.Local != 100 || v.Note != "错时返岗" || len(v.Parts) != len(policy.Default().Materials) || v.PlannedAt.IsZero() {
			t.Fatalf("saved draft: %+v", v)
		}
		// Submitting it is refused with every failed rule listed.
		status, body = ent.post(page+"/transitions", url.Values{"action": {"submit"}, "version": {itoa(int64(v.Version))}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "申请尚未满足复工条件") || !strings.Contains(body, "口罩储备") || !strings.Contains(body, "最多支持 92 人复工") {
			t.Fatalf("page submit with problems: %d\n%s", status, body)
		}
		// Edit: a stale version shows the fresh record and says why.
		appPageOK(t, ent, "enterprise", page+"/edit", `value="650"`)
		fix := w.appForm("100", "1000")
		fix.Set("version", itoa(int64(v.Version)))
		if status, loc = ent.post(page, fix); status != http.StatusSeeOther || loc != page {
			t.Fatalf("edit: %d %s", status, loc)
		}
		stale := w.appForm("100", "900")
		stale.Set("version", itoa(int64(v.Version)))
		if status, body = ent.post(page, stale); status != http.StatusConflict || !strings.Contains(body, "已被他人修改") || !strings.Contains(body, `value="1000"`) {
			t.Fatalf("stale edit: %d\n%s", status, body)
		}
		viewAll := func(wants map[string][]string) {
			t.Helper()
			for who, b := range viewers {
				appPageOK(t, b, who, page, wants[who]...)
			}
			appPageOK(t, ent, "enterprise", page+"?lang=en", "Resumption application")
		}
		viewAll(map[string][]string{"enterprise": {"提交申请", "编辑"}})
		submit := func() {
			t.Helper()
			w.api(auth.Enterprise, "GET", "/api/v1/applications/"+id, nil, &v)
			if status, loc := ent.post(page+"/transitions", url.Values{"action": {"submit"}, "version": {itoa(int64(v.Version))}}); status != http.StatusSeeOther || loc != page {
				t.Fatalf("submit: %d %s", status, loc)
			}
		}
		submit()
		appPageOK(t, ent, "enterprise", page, "已完成:提交申请", "待初审")
		viewAll(map[string][]string{"park": {"审核通过", "退回修改", "不予通过"}, "enterprise": {"撤回申请"}})
		// Returning needs a reason, shown at the park's form.
		w.api(auth.Park, "GET", "/api/v1/applications/"+id, nil, &v)
		status, body = viewers["park"].post(page+"/transitions", url.Values{"action": {"return"}, "version": {itoa(int64(v.Version))}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "请写明理由") || !strings.Contains(body, `class="field-error"`) {
			t.Fatalf("return without reason: %d\n%s", status, body)
		}
		if status, _ = viewers["park"].post(page+"/transitions", url.Values{"action": {"return"}, "comment": {"请补充花名册"}, "version": {itoa(int64(v.Version))}}); status != http.StatusSeeOther {
			t.Fatalf("return: %d", status)
		}
		viewAll(map[string][]string{"enterprise": {"已退回", "请补充花名册", "编辑"}})
		submit()
		num, _ := strconv.ParseInt(id, 10, 64)
		for _, s := range w.appRoute(t)[1:] {
			w.appDo(t, s, num)
			viewAll(nil)
		}
		body = appPageOK(t, ent, "enterprise", page, "已批准复工", "/notices/", "现场验收", "同意复工")
		if strings.Contains(body, `action="`+page+`/transitions"`) {
			t.Fatalf("the enterprise may act on an approved application:\n%s", body)
		}
		appPageOK(t, viewers["app-town-command"], "app-town-command", page, "撤销批准", "data-confirm")
		if status, _ = viewers["app-town-command"].post(page+"/transitions", url.Values{"action": {"revoke"}, "comment": {"复查发现未落实测温"}}); status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", status)
		}
		viewAll(map[string][]string{"enterprise": {"已撤销批准", "复查发现未落实测温"}})
		// Withdrawn and rejected applications.
		status, loc = ent.post("/applications", w.appForm("10", "1000"))
		if status != http.StatusSeeOther {
			t.Fatalf("new draft after revocation: %d", status)
		}
		page = loc
		if status, _ = ent.post(page+"/transitions", url.Values{"action": {"withdraw"}}); status != http.StatusSeeOther {
			t.Fatalf("withdraw: %d", status)
		}
		viewAll(map[string][]string{"enterprise": {"已撤回"}})
		status, loc = ent.post("/applications", w.appForm("10", "1000"))
		if status != http.StatusSeeOther {
			t.Fatalf("third draft: %d", status)
		}
		page = loc
		if status, _ = ent.post(page+"/transitions", url.Values{"action": {"submit"}}); status != http.StatusSeeOther {
			t.Fatalf("submit the third: %d", status)
		}
		if status, _ = viewers["park"].post(page+"/transitions", url.Values{"action": {"reject"}, "comment": {"不符合条件"}}); status != http.StatusSeeOther {
			t.Fatalf("reject: %d", status)
		}
		viewAll(map[string][]string{"enterprise": {"不予通过", "不符合条件"}})
		// The edit page of a decided application goes back to the detail page.
		if status, _ = ent.get(page + "/edit"); status != http.StatusSeeOther {
			t.Fatalf("edit a rejected application: %d", status)
		}
	})
}

// TestApplicationSchemas: the hand-written schemas name the fields the Go types send.
func TestApplicationSchemas(t *testing.T) {
	w := newWorld(t, storetest.Open(t, store.SQLite))
	got := w.send(t, noRedirects(), http.MethodGet, "/api/v1/openapi.json", nil, "")
	var doc map[string]any
	if err := json.Unmarshal([]byte(got.body), &doc); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{
		"Attachment": application.Attachment{}, "CheckOutcome": application.Outcome{}, "ApplicationEvent": application.Event{},
		"ApplicationInspection": application.Acceptance{}, "CheckItemResult": application.ItemResult{}, "ApplicationNotice": notice.Notice{},
	} {
		if want, got := jsonFields(reflect.TypeOf(v)), schemaFields(doc, name); !slices.Equal(want, got) {
			t.Errorf("schema %s has fields %v; the Go type %T sends %v", name, got, v, want)
		}
	}
	want := jsonFields(reflect.TypeOf(application.Application{}))
	for _, f := range jsonFields(reflect.TypeOf(application.View{})) {
		if f != "Application" {
			want = append(want, f)
		}
	}
	sort.Strings(want)
	if got := schemaFields(doc, "Application"); !slices.Equal(want, got) {
		t.Errorf("schema Application has fields %v; the API sends %v", got, want)
	}
	detail := schemaFields(doc, "ApplicationDetail")
	for _, f := range append(want, "checks", "actions", "events", "notice", "status_name") {
		if !slices.Contains(detail, f) {
			t.Errorf("ApplicationDetail lacks %s", f)
		}
	}
}
