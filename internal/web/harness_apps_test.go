package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sync"
	"testing"
	"time"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/notice"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/store/storetest"
)

// The application harness: the users the default policy's route of entA needs besides the
// world's own, and helpers that walk an application of entA through the workflow by the API.
//
// entA (industry above designated size, in park A) is first reviewed by the park operator
// (park_operator), then by the county bureau of industry (county_industry), accepted on site
// by the grid, and approved by town A's command (town_command), which issues the notice.

// appActors are the extra acting users of a world.
type appActors struct {
	industry    auth.User // reviewer of a department acting as county_industry
	townCmd     auth.User // command user of town A: acts for town_command
	industryTok string
	townCmdTok  string
}

var (
	appActorsMu sync.Mutex
	appActorsOf = map[*world]*appActors{}
)

// appActors creates (once per world) the department of the county bureau of industry and
// its reviewer, and town A's command user.
func (w *world) appActors(t testing.TB) *appActors {
	t.Helper()
	appActorsMu.Lock()
	defer appActorsMu.Unlock()
	if a, ok := appActorsOf[w]; ok {
		return a
	}
	dept, err := w.db.SaveDepartment(w.ctx, auth.System, region.Department{Name: "示范县工信局", RegionCode: "330402", UnitCode: "county_industry"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name string, role auth.Role, scope string) (auth.User, string) {
		u, err := w.db.CreateUser(w.ctx, auth.System, auth.User{Username: name, DisplayName: "测试" + name, Role: role, ScopeText: scope}, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := storetest.Token(w.ctx, w.db.DB, auth.System, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		return u, tok
	}
	a := &appActors{}
	a.industry, a.industryTok = mk("app-industry", auth.Reviewer, fmt.Sprintf("dept:%d", dept.ID))
	a.townCmd, a.townCmdTok = mk("app-town-command", auth.Command, "region:"+w.townA)
	appActorsOf[w] = a
	return a
}

// appComplete fills an application of the enterprise so that every check of the policy
// passes (the enterprise has no dormitory, canteen or bus).
func appComplete(pol *policy.Policy, entID int64, planned time.Time) application.Application {
	a := application.Application{EnterpriseID: entID, PlannedAt: planned,
		Returning: application.Returning{Local: 10},
		Supplies: []application.SupplyItem{{Item: application.ItemMasks, Quantity: 1000}, {Item: application.ItemThermometers, Quantity: 5},
			{Item: application.ItemDisinfectant, Quantity: 20}, {Item: application.ItemGloves, Quantity: 100},
			{Item: application.ItemSuits, Quantity: 10}, {Item: application.ItemAlcohol, Quantity: 10}},
		IsolationRooms: 1, Parts: map[string]bool{}, SelfCheck: map[string]bool{},
		Commitment: application.Commitment{SignedBy: "张三", SignedAt: planned.Add(-72 * time.Hour)},
	}
	for _, m := range pol.Materials {
		a.Parts[m.Code] = true
	}
	for _, c := range pol.Checklist {
		a.SelfCheck[c.Code] = true
	}
	return a
}

// appPlanned is a planned resumption that passes the lead time: five days from the store's now.
func (w *world) appPlanned() time.Time {
	return w.db.Now().Add(5 * 24 * time.Hour).Truncate(time.Minute).UTC()
}

// appAPI calls the JSON API with a bearer token and decodes the answer into out.
func (w *world) appAPI(token, method, path string, body any, out any) int {
	w.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			w.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, w.ts.URL+path, rd)
	if err != nil {
		w.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			w.t.Fatalf("%s %s: decode %q: %v", method, path, b, err)
		}
	}
	return resp.StatusCode
}

// appMultipart builds a multipart body with a file part and fields.
func appMultipart(t testing.TB, fields url.Values, name string, data []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// appUpload attaches a file to an application through the API.
func (w *world) appUpload(token string, appID int64, material, name string, data []byte) (int, []byte) {
	w.t.Helper()
	ct, body := appMultipart(w.t, url.Values{"material": {material}}, name, data)
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/applications/%d/attachments", w.ts.URL, appID), bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// appPNG is a small PNG image.
func appPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// appLogin signs in a browser as the user with this name.
func (w *world) appLogin(username string) *browser {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{w: w, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if status, _ := b.post("/login", url.Values{"username": {username}, "password": {testPassword}}); status != http.StatusSeeOther {
		w.t.Fatalf("login as %s: status %d", username, status)
	}
	return b
}

// appPassAll is an on-site checklist with every item passed.
func appPassAll(pol *policy.Policy) map[string]any {
	var items []map[string]string
	for _, c := range pol.Checklist {
		items = append(items, map[string]string{"code": c.Code, "result": "pass"})
	}
	return map[string]any{"items": items, "opinion": "同意复工", "signature": "网格长"}
}

// appStep is one step of entA's walk: who acts, and the action.
type appStep struct {
	token string
	who   string
	act   application.Action
}

// appRoute lists the steps that take a draft of entA to approval.
func (w *world) appRoute(t testing.TB) []appStep {
	a := w.appActors(t)
	return []appStep{
		{w.tokens[auth.Enterprise], "enterprise", application.Submit},
		{w.tokens[auth.Park], "park", application.Accept},
		{a.industryTok, "app-industry", application.Accept},
		{w.tokens[auth.Grid], "grid", application.Pass},
		{a.townCmdTok, "app-town-command", application.Approve},
	}
}

// appTransitionAnswer is the API's answer to an action.
type appTransitionAnswer struct {
	From   string         `json:"from"`
	To     string         `json:"to"`
	Notice *notice.Notice `json:"notice"`
}

// appDo takes one step through the API and fails the test unless it succeeds.
func (w *world) appDo(t testing.TB, s appStep, appID int64) appTransitionAnswer {
	t.Helper()
	body := map[string]any{"action": s.act}
	if s.act == application.Pass {
		body["inspection"] = appPassAll(policy.Default())
		// The acceptance keeps a photo of what was checked (乙方案: 留有影像资料存档).
		item := "inspection:" + policy.Default().Checklist[0].Code
		if status, b := w.appUpload(s.token, appID, item, "现场.png", appPNG(t)); status != http.StatusCreated {
			t.Fatalf("on-site photo by %s: %d %s", s.who, status, b)
		}
	}
	var res appTransitionAnswer
	if status := w.appAPI(s.token, "POST", fmt.Sprintf("/api/v1/applications/%d/transitions", appID), body, &res); status != http.StatusOK {
		t.Fatalf("%s by %s: status %d", s.act, s.who, status)
	}
	return res
}

// appDraft creates a complete draft of entA as its enterprise user (in the store) and
// attaches a PNG for the written application through the API. It returns the id and the
// attachment's digest.
func (w *world) appDraft(t testing.TB) (int64, string) {
	t.Helper()
	pol := policy.Default()
	v, err := w.db.Applications().Create(w.ctx, w.users[auth.Enterprise].Principal(), appComplete(pol, w.entA, w.appPlanned()))
	if err != nil {
		t.Fatal(err)
	}
	status, body := w.appUpload(w.tokens[auth.Enterprise], v.ID, "application", "申请报告.png", appPNG(t))
	var at application.Attachment
	if status != http.StatusCreated || json.Unmarshal(body, &at) != nil || at.SHA256 == "" {
		t.Fatalf("attach: %d %s", status, body)
	}
	return v.ID, at.SHA256
}

// appWalk is an approved application of entA, with an attachment and its notice.
type appWalk struct {
	ID     int64
	SHA    string
	Notice int64
}

// appApproved walks an application of entA to approval through the API.
func (w *world) appApproved(t testing.TB) appWalk {
	t.Helper()
	id, sha := w.appDraft(t)
	var last appTransitionAnswer
	for _, s := range w.appRoute(t) {
		last = w.appDo(t, s, id)
	}
	if last.To != application.StatusApproved || last.Notice == nil || last.Notice.ID == 0 {
		t.Fatalf("approval: %+v", last)
	}
	return appWalk{ID: id, SHA: sha, Notice: last.Notice.ID}
}
