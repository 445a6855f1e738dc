package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
	"fugong/internal/tip"
)

// tip records a tip from the public about an enterprise, with a contact, and returns its
// id and receipt code.
func (w *world) tip(t *testing.T, enterprise int64, description string) (int64, string) {
	t.Helper()
	code, err := w.db.Tips().Submit(w.ctx, tip.Input{Category: "dormitory", EnterpriseID: enterprise, Description: description,
		ReporterName: "举报人甲", ReporterPhone: "13900000001"}, nil, "192.0.2.200")
	if err != nil {
		t.Fatal(err)
	}
	sys := w.users["admin"].Principal()
	list, _, err := w.db.Tips().List(w.ctx, sys, tip.Filter{Q: description})
	if err != nil || len(list) != 1 {
		t.Fatalf("the tip %q: %d %v", description, len(list), err)
	}
	return list[0].ID, code
}

// tipMultipart is a multipart form of fields and photos (name → content).
func tipMultipart(t *testing.T, fields url.Values, photos map[string][]byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, data := range photos {
		fw, err := mw.CreateFormFile("photos", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// send posts a body with a content type, anonymously, and decodes a JSON answer.
func (w *world) postAnon(t *testing.T, path, ct string, body []byte, out any) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", w.ts.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", w.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		json.Unmarshal(b, out)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// A tip's whole path through the API and the pages: sent without an account (with a
// photo), refused when sent at once, read back with its receipt code (which shows the
// status and the reply and nothing else), handled by the town; the enterprise reaches
// neither the tip nor the reporter's contact.
func TestTipJourney(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		now := time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)
		w.db.DB.Now = func() time.Time { return now }
		var form struct {
			FormToken  string `json:"form_token"`
			Categories []struct {
				Code, Unit string
			} `json:"categories"`
			Towns []struct{ Code, Name string } `json:"towns"`
		}
		if st := w.api("", "GET", "/api/v1/public/tips/form", nil, &form); st != http.StatusOK || form.FormToken == "" || len(form.Categories) != 7 || len(form.Towns) != 2 {
			t.Fatalf("form: %d %+v", st, form)
		}
		for _, c := range form.Categories {
			if c.Unit != "" {
				t.Errorf("the public form names the unit %s", c.Unit)
			}
		}
		var found struct {
			Items []struct {
				ID   int64
				Name string
				Town string
			}
		}
		if st := w.api("", "GET", "/api/v1/public/enterprises?q="+url.QueryEscape("精密机械"), nil, &found); st != http.StatusOK || len(found.Items) != 1 || found.Items[0].ID != w.entA || found.Items[0].Town != "甲镇" {
			t.Fatalf("find: %d %+v", st, found)
		}
		body := map[string]any{"category": "dormitory", "enterprise_id": w.entA, "place": "三号宿舍楼", "description": "宿舍一间住了八个人,晚上很挤",
			"reporter_name": "王五", "reporter_phone": "13987654321", "form_token": form.FormToken}
		var receipt struct {
			Receipt, Status, Reply, Reason string
		}
		js, _ := json.Marshal(body)
		if st, _, b := w.postAnon(t, "/api/v1/public/tips", "application/json", js, nil); st != http.StatusUnprocessableEntity || !strings.Contains(b, "form_token") {
			t.Fatalf("sent at once: %d %s", st, b)
		}
		now = now.Add(time.Minute)
		st, _, raw := w.postAnon(t, "/api/v1/public/tips", "application/json", js, &receipt)
		if st != http.StatusCreated || len(receipt.Receipt) != 11 || receipt.Status != "received" {
			t.Fatalf("send: %d %s", st, raw)
		}
		for _, secret := range []string{"13987654321", "王五", "八个人", "甲镇精密机械", "三号宿舍楼"} {
			if strings.Contains(raw, secret) {
				t.Errorf("the receipt answer shows %q: %s", secret, raw)
			}
		}
		// With photos, as a multipart form: a text file is refused, an image kept.
		fields := url.Values{"category": {"no_checks"}, "enterprise_name": {"甲镇精密机械有限公司"}, "description": {"门口没人测温,也不戴口罩"}, "form_token": {form.FormToken}}
		ct, mp := tipMultipart(t, fields, map[string][]byte{"notes.txt": []byte("not an image")})
		if st, _, b := w.postAnon(t, "/api/v1/public/tips", ct, mp, nil); st != http.StatusUnprocessableEntity || !strings.Contains(b, "photos") {
			t.Fatalf("a text file as a photo: %d %s", st, b)
		}
		ct, mp = tipMultipart(t, fields, map[string][]byte{"gate.png": appPNG(t)})
		if st, _, b := w.postAnon(t, "/api/v1/public/tips", ct, mp, nil); st != http.StatusCreated {
			t.Fatalf("with a photo: %d %s", st, b)
		}
		// The enterprise reaches nothing: not the list, not a tip, not its photo, and its
		// own trail names no reporter.
		var list struct {
			Items []struct {
				ID            int64
				EnterpriseID  int64  `json:"enterprise_id"`
				ReporterPhone string `json:"reporter_phone"`
				Photos        []struct{ SHA256 string }
				Version       int
			}
			Total int
		}
		for _, role := range []auth.Role{auth.Enterprise, auth.Park, auth.Staff, auth.Guard} {
			if st := w.api(role, "GET", "/api/v1/tips", nil, nil); st != http.StatusForbidden {
				t.Errorf("%s lists tips: %d", role, st)
			}
		}
		if st := w.api(auth.Town, "GET", "/api/v1/tips", nil, &list); st != http.StatusOK || list.Total != 2 {
			t.Fatalf("the town's list: %d %+v", st, list)
		}
		var first, second = list.Items[0], list.Items[1]
		if first.ReporterPhone != "13987654321" {
			first, second = second, first
		}
		if first.ReporterPhone != "13987654321" || second.EnterpriseID != w.entA {
			t.Fatalf("the town's tips: %+v", list.Items)
		}
		if st := w.api(auth.Town, "GET", "/api/v1/tips/"+itoa(second.ID), nil, &second); st != http.StatusOK || len(second.Photos) != 1 {
			t.Fatalf("the tip with a photo: %d %+v", st, second)
		}
		photo := "/api/v1/tips/" + itoa(second.ID) + "/photos/" + second.Photos[0].SHA256
		if st := w.api(auth.Town, "GET", photo, nil, nil); st != http.StatusOK {
			t.Errorf("the town's photo: %d", st)
		}
		if st := w.api(auth.Enterprise, "GET", photo, nil, nil); st != http.StatusForbidden {
			t.Errorf("the enterprise's photo: %d", st)
		}
		ent := w.login(auth.Enterprise)
		for _, p := range []string{"/audit/enterprise/" + itoa(w.entA), "/enterprises/" + itoa(w.entA), "/", "/inbox"} {
			if st, b := ent.get(p); st != http.StatusOK || strings.Contains(b, "13987654321") || strings.Contains(b, "王五") {
				t.Errorf("the enterprise's %s (%d) names the reporter", p, st)
			}
		}
		// The town handles it: accept, investigate with an inspection asked for, result, reply.
		id := itoa(first.ID)
		for _, step := range []map[string]any{{"action": "accept"}, {"action": "investigate", "comment": "派员核查", "inspection": true},
			{"action": "result", "comment": "情况属实,已责令整改"}, {"action": "reply", "comment": "经查属实,已责令企业调整宿舍。感谢监督。"}} {
			var tp struct{ Status string }
			if st := w.api(auth.Town, "POST", "/api/v1/tips/"+id+"/transitions", step, &tp); st != http.StatusOK {
				t.Fatalf("%v: %d", step, st)
			}
		}
		if st := w.api(auth.Town, "POST", "/api/v1/tips/"+id+"/transitions", map[string]any{"action": "reply", "comment": "again"}, nil); st != http.StatusConflict {
			t.Errorf("a second reply: %d", st)
		}
		if st := w.api("", "GET", "/api/v1/public/tips/"+strings.ToLower(receipt.Receipt), nil, &receipt); st != http.StatusOK || receipt.Status != "replied" || !strings.Contains(receipt.Reply, "感谢监督") {
			t.Fatalf("the receipt after the reply: %d %+v", st, receipt)
		}
		// The receipt page shows it too; an unknown code is not found.
		anon := &browser{w: w, c: &http.Client{}}
		if st, b := anon.get("/report/receipt?code=" + url.QueryEscape(receipt.Receipt)); st != http.StatusOK || !strings.Contains(b, "感谢监督") || strings.Contains(b, "情况属实") {
			t.Errorf("receipt page: %d", st)
		}
		if st, _ := anon.get("/report/receipt?code=ABCDE-FGHJK"); st != http.StatusNotFound {
			t.Errorf("an unknown code: %d", st)
		}
	})
}

// The public page sends a tip as a browser does: the form, then the receipt.
func TestTipPage(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		now := time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)
		w.db.DB.Now = func() time.Time { return now }
		anon := &browser{w: w, c: &http.Client{}}
		st, page := anon.get("/report")
		m := regexp.MustCompile(`name="form_token" value="([^"]+)"`).FindStringSubmatch(page)
		if st != http.StatusOK || m == nil || !strings.Contains(page, "宿舍超员") || !strings.Contains(page, "乙街道") {
			t.Fatalf("the page: %d", st)
		}
		now = now.Add(2 * time.Minute)
		fields := url.Values{"category": {"unapproved"}, "enterprise_name": {"河边无名作坊"}, "address": {"乙街道河边路8号"}, "town": {w.townB},
			"description": {"晚上偷偷开工,有十几个工人"}, "happened_at": {"2020-02-11T21:30"}, "form_token": {m[1]}}
		ct, body := tipMultipart(t, url.Values{"category": {"unapproved"}, "description": {"短"}, "form_token": {m[1]}}, nil)
		st, _, b := w.postAnon(t, "/report", ct, body, nil)
		if st != http.StatusUnprocessableEntity || !strings.Contains(b, "请填写被举报企业的名称") {
			t.Fatalf("a bad form: %d", st)
		}
		ct, body = tipMultipart(t, fields, nil)
		st, _, b = w.postAnon(t, "/report", ct, body, nil)
		code := regexp.MustCompile(`data-receipt>([A-Z0-9-]{11})<`).FindStringSubmatch(b)
		if st != http.StatusCreated || code == nil {
			t.Fatalf("sent: %d %s", st, b)
		}
		// The county command sees it in town B; town A does not.
		var list struct{ Total int }
		if w.api(auth.Command, "GET", "/api/v1/tips?category=unapproved", nil, &list); list.Total != 1 {
			t.Errorf("the county sees %d", list.Total)
		}
		if w.api(auth.Town, "GET", "/api/v1/tips?category=unapproved", nil, &list); list.Total != 0 {
			t.Errorf("town A sees %d tips of town B", list.Total)
		}
		if st := w.api(auth.Command, "GET", "/api/v1/tips?status=nope", nil, nil); st != http.StatusUnprocessableEntity {
			t.Errorf("an unknown status: %d", st)
		}
		// The handler's pages.
		cmd := w.login(auth.Command)
		if st, b := cmd.get("/tips?overdue=1"); st != http.StatusOK || strings.Contains(b, "河边无名作坊") {
			t.Errorf("overdue list: %d", st)
		}
		now = now.Add(25 * time.Hour)
		cmd = w.login(auth.Command) // the session of a day ago has ended
		st, b = cmd.get("/tips?overdue=1")
		id := regexp.MustCompile(`href="/tips/(\d+)"`).FindStringSubmatch(b)
		if st != http.StatusOK || !strings.Contains(b, "河边无名作坊") || id == nil {
			t.Fatalf("overdue after a day: %d", st)
		}
		if st, b := cmd.get("/tips/" + id[1]); st != http.StatusOK || !strings.Contains(b, "乙街道河边路8号") {
			t.Errorf("the tip's page: %d", st)
		}
		if st, b := cmd.post("/tips/"+id[1]+"/transitions", url.Values{"action": {"decline"}}); st != http.StatusUnprocessableEntity || !strings.Contains(b, "理由") {
			t.Errorf("decline without a reason: %d", st)
		}
		if st, _ := cmd.post("/tips/"+id[1]+"/transitions", url.Values{"action": {"decline"}, "comment": {"经核实该处为居民住宅"}}); st != http.StatusSeeOther {
			t.Errorf("decline: %d", st)
		}
		if st, b := anon.get("/report/receipt?code=" + code[1]); st != http.StatusOK || !strings.Contains(b, "经核实该处为居民住宅") {
			t.Errorf("the receipt of a declined tip: %d", st)
		}
		if st, _ := cmd.get("/tips/export?status=declined"); st != http.StatusOK {
			t.Errorf("export: %d", st)
		}
	})
}

// The limits hold behind a reverse proxy: the client the trusted proxy names is counted,
// not the proxy; from any other peer the forwarded header is ignored.
func TestTipLimitsBehindProxy(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, raw *store.DB) {
		p := newProxied(t, raw)
		now := time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)
		raw.Now = func() time.Time { return now }
		key := p.srv // the server whose tokens count
		token := func() string {
			req := httptest.NewRequest("GET", "/api/v1/public/tips/form", nil)
			rec := httptest.NewRecorder()
			key.ServeHTTP(rec, req)
			var f struct {
				FormToken string `json:"form_token"`
			}
			json.Unmarshal(rec.Body.Bytes(), &f)
			return f.FormToken
		}
		tok := token()
		now = now.Add(time.Minute)
		n := 0
		send := func(peer, forwarded string) *httptest.ResponseRecorder {
			n++
			b, _ := json.Marshal(map[string]any{"category": "other", "enterprise_id": p.w.entA, "description": "第" + strconv.Itoa(n) + "条举报内容", "form_token": tok})
			req := httptest.NewRequest("POST", "/api/v1/public/tips", bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			req.RemoteAddr = peer
			if forwarded != "" {
				req.Header.Set("X-Forwarded-For", forwarded)
			}
			rec := httptest.NewRecorder()
			key.ServeHTTP(rec, req)
			return rec
		}
		for i := range 5 {
			if rec := send("10.0.0.1:4000", "198.51.100.1"); rec.Code != http.StatusCreated {
				t.Fatalf("tip %d via the proxy: %d %s", i+1, rec.Code, rec.Body)
			}
		}
		rec := send("10.0.0.1:4000", "198.51.100.1")
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
			t.Fatalf("the sixth from one client: %d %s", rec.Code, rec.Body)
		}
		if rec := send("10.0.0.1:4000", "198.51.100.2"); rec.Code != http.StatusCreated {
			t.Fatalf("another client behind the proxy: %d %s", rec.Code, rec.Body)
		}
		// An untrusted peer cannot spread itself over forged addresses.
		for i := range 5 {
			if rec := send("203.0.113.5:5000", "198.51.100."+strconv.Itoa(10+i)); rec.Code != http.StatusCreated {
				t.Fatalf("untrusted peer, tip %d: %d", i+1, rec.Code)
			}
		}
		if rec := send("203.0.113.5:5000", "198.51.100.99"); rec.Code != http.StatusTooManyRequests {
			t.Fatalf("an untrusted peer with a forged address: %d", rec.Code)
		}
		// An hour later the client is heard again.
		now = now.Add(time.Hour)
		if rec := send("10.0.0.1:4000", "198.51.100.1"); rec.Code != http.StatusCreated {
			t.Fatalf("an hour later: %d %s", rec.Code, rec.Body)
		}
	})
}

// The policy page shows the tips' and the requests' figures with their clauses.
func TestPolicyPageVoice(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, raw *store.DB) {
		w := newWorld(t, raw)
		st, b := w.login(auth.Town).get("/policy")
		if st != http.StatusOK || !strings.Contains(b, `id="policy-voice"`) || !strings.Contains(b, "宿舍超员") || !strings.Contains(b, "物流运输") || !strings.Contains(b, "鼓励企业内部职工、社会知情群众举报") {
			t.Errorf("the policy page: %d", st)
		}
	})
}
