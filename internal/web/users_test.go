package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/store/storetest"
)

var secretRE = regexp.MustCompile(`<code class="secret">([^<]+)</code>`)

// secretOf returns the password or token shown once on a page.
func secretOf(t *testing.T, body string) string {
	t.Helper()
	m := secretRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no secret on the page:\n%s", body)
	}
	return m[1]
}

// canLogIn reports whether username and password sign in.
func canLogIn(t *testing.T, w *world, username, password string) bool {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	b := &browser{w: w, c: c}
	status, _ := b.post("/login", url.Values{"username": {username}, "password": {password}})
	return status == http.StatusSeeOther
}

// tokenWorks reports whether a bearer token is accepted.
func tokenWorks(t *testing.T, w *world, token string) bool {
	t.Helper()
	req, _ := http.NewRequest("GET", w.ts.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func TestUserCreateAPI(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		b, _ := json.Marshal(map[string]any{"username": "li.town", "display_name": "李镇长", "phone": "13800000001", "role": "town", "scope": "region:" + w.townA})
		req, _ := http.NewRequest("POST", w.ts.URL+"/api/v1/users", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+w.tokens[auth.Admin])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var created struct {
			auth.User
			Password string `json:"password"`
		}
		if resp.StatusCode != http.StatusCreated || json.Unmarshal(raw, &created) != nil || created.ID == 0 || len(created.Password) < auth.MinPasswordLen {
			t.Fatalf("create: %d %s", resp.StatusCode, raw)
		}
		if strings.Contains(string(raw), "hash") || strings.Contains(string(raw), "argon2") {
			t.Fatalf("hash in the answer: %s", raw)
		}
		if !canLogIn(t, w, "li.town", created.Password) {
			t.Fatal("the generated password does not sign in")
		}
		// A chosen password is not echoed.
		var chosen map[string]any
		status := w.api(auth.Admin, "POST", "/api/v1/users", map[string]any{"username": "wang", "role": "grid", "scope": "region:330402001001", "password": "a-good-password"}, &chosen)
		if status != http.StatusCreated || chosen["password"] != nil {
			t.Fatalf("chosen password: %d %v", status, chosen)
		}
		if !canLogIn(t, w, "wang", "a-good-password") {
			t.Fatal("the chosen password does not sign in")
		}
		var e apiError
		status = w.api(auth.Admin, "POST", "/api/v1/users", map[string]any{"username": "x", "role": "town", "scope": "all", "phone": "abc", "password": "short"}, &e)
		if status != http.StatusUnprocessableEntity || !e.has("username") || !e.has("scope") || !e.has("phone") {
			t.Fatalf("invalid: %d %+v", status, e)
		}
		if status := w.api(auth.Admin, "POST", "/api/v1/users", map[string]any{"username": "li.town", "role": "town", "scope": "region:" + w.townA}, &e); status != http.StatusUnprocessableEntity || !e.has("username") {
			t.Fatalf("taken: %d %+v", status, e)
		}
		if status := w.api(auth.Admin, "POST", "/api/v1/users", map[string]any{"username": "zhao", "role": "town", "scope": "region:" + w.townA, "password_hash": "x"}, nil); status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown field: %d", status)
		}
		var list struct {
			Items []map[string]any
			Total int
		}
		if status := w.api(auth.Admin, "GET", "/api/v1/users?role=town", nil, &list); status != http.StatusOK || list.Total != 2 {
			t.Fatalf("by role: %d %+v", status, list)
		}
		if status := w.api(auth.Admin, "GET", "/api/v1/users?q=li.town", nil, &list); status != http.StatusOK || list.Total != 1 || list.Items[0]["username"] != "li.town" {
			t.Fatalf("search: %d %+v", status, list)
		}
		for _, u := range list.Items {
			for k := range u {
				if strings.Contains(k, "password") || strings.Contains(k, "hash") {
					t.Fatalf("list shows %s", k)
				}
			}
		}
	})
}

func TestUserPages(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		b := w.login(auth.Admin)
		status, body := b.get("/users?role=town")
		if status != http.StatusOK || !strings.Contains(body, "镇街干部") || !strings.Contains(body, "甲镇") || !strings.Contains(body, "region:330402001") || strings.Contains(body, ">grid<") {
			t.Fatalf("list: %d\n%s", status, body)
		}
		if status, body := b.get("/users/new"); status != http.StatusOK || !strings.Contains(body, "用 dept:部门编号") || !strings.Contains(body, `value="dept:`+itoa(w.deptA)+`"`) {
			t.Fatalf("new form: %d\n%s", status, body)
		}
		// Field errors are shown next to the inputs.
		status, body = b.post("/users", url.Values{"username": {"-bad"}, "role": {"town"}, "scope": {"park:1"}, "password": {""}})
		if status != http.StatusUnprocessableEntity || strings.Count(body, `class="field-error"`) != 2 {
			t.Fatalf("bad create: %d\n%s", status, body)
		}
		// A generated password is shown once, and signs in.
		status, body = b.post("/users", url.Values{"username": {"chen"}, "display_name": {"陈网格"}, "role": {"grid"}, "scope": {"region:330402001001"}})
		if status != http.StatusOK || !strings.Contains(body, "不会再次显示") {
			t.Fatalf("create: %d\n%s", status, body)
		}
		pw := secretOf(t, body)
		if !canLogIn(t, w, "chen", pw) {
			t.Fatal("the generated password does not sign in")
		}
		// A chosen password: straight to the account's page.
		status, loc := b.post("/users", url.Values{"username": {"zhou"}, "role": {"grid"}, "scope": {"region:330402001001"}, "password": {"another-password"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/users/") {
			t.Fatalf("create with password: %d %s", status, loc)
		}
		status, body = b.get(loc)
		if status != http.StatusOK || !strings.Contains(body, "账号已创建") || !strings.Contains(body, "/audit/user/") || strings.Contains(body, "another-password") {
			t.Fatalf("account page: %d\n%s", status, body)
		}
		// Edit: name, phone, role and scope.
		grid := itoa(w.users[auth.Grid].ID)
		status, loc = b.post("/users/"+grid, url.Values{"display_name": {"新名字"}, "phone": {"13900000000"}, "role": {"grid"}, "scope": {"region:" + w.townA}})
		if status != http.StatusSeeOther || loc != "/users/"+grid {
			t.Fatalf("edit: %d %s", status, loc)
		}
		if u, err := w.db.GetUser(w.ctx, w.users[auth.Grid].ID); err != nil || u.DisplayName != "新名字" || u.ScopeText != "region:"+w.townA || u.Disabled {
			t.Fatalf("edited: %+v %v", u, err)
		}
		status, body = b.post("/users/"+grid, url.Values{"role": {"grid"}, "scope": {"dept:1"}, "phone": {"x"}})
		if status != http.StatusUnprocessableEntity || strings.Count(body, `class="field-error"`) != 2 {
			t.Fatalf("bad edit: %d\n%s", status, body)
		}
		// Password: too short is refused; empty generates one shown once.
		status, body = b.post("/users/"+grid+"/password", url.Values{"password": {"short"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "密码太弱") {
			t.Fatalf("weak password: %d\n%s", status, body)
		}
		status, body = b.post("/users/"+grid+"/password", url.Values{"password": {""}})
		if status != http.StatusOK {
			t.Fatalf("new password: %d\n%s", status, body)
		}
		if pw := secretOf(t, body); !canLogIn(t, w, "grid", pw) || canLogIn(t, w, "grid", testPassword) {
			t.Fatal("the new password does not replace the old one")
		}
		// An administrator cannot disable themselves.
		status, body = b.post("/users/"+itoa(w.users[auth.Admin].ID), url.Values{"status": {"1"}, "disabled": {"on"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "不能停用自己") {
			t.Fatalf("disable self: %d\n%s", status, body)
		}
		// Malformed and unknown ids are not found.
		for _, p := range []string{"/users/abc", "/users/0", "/users/99999"} {
			if status, _ := b.get(p); status != http.StatusNotFound {
				t.Fatalf("%s: %d", p, status)
			}
		}
		if status, _ := b.post("/users/abc/tokens", nil); status != http.StatusNotFound {
			t.Fatalf("token for a malformed id: %d", status)
		}
	})
}

func TestDisablingRevokesTokens(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		b := w.login(auth.Admin)
		town := itoa(w.users[auth.Town].ID)
		status, body := b.post("/users/"+town+"/tokens", url.Values{"token_name": {"东门测温平板"}})
		if status != http.StatusOK || !strings.Contains(body, "不会再次显示") {
			t.Fatalf("issue token: %d\n%s", status, body)
		}
		tok := secretOf(t, body)
		if !strings.HasPrefix(tok, "fgt_") || !tokenWorks(t, w, tok) || !tokenWorks(t, w, w.tokens[auth.Town]) {
			t.Fatalf("token %q does not work", tok)
		}
		if _, body := b.get("/users/" + town); !strings.Contains(body, "有效令牌数: 2") {
			t.Fatalf("token count:\n%s", body)
		}
		townBrowser := w.login(auth.Town)
		// The status form asks before it submits.
		if _, body := b.get("/users/" + town); !strings.Contains(body, `data-confirm="确定更改账号状态吗`) {
			t.Fatalf("no confirmation:\n%s", body)
		}
		status, loc := b.post("/users/"+town, url.Values{"status": {"1"}, "disabled": {"on"}})
		if status != http.StatusSeeOther {
			t.Fatalf("disable: %d %s", status, loc)
		}
		if tokenWorks(t, w, tok) || tokenWorks(t, w, w.tokens[auth.Town]) {
			t.Fatal("a disabled user's token still works")
		}
		if status, _ := townBrowser.get("/enterprises"); status != http.StatusSeeOther {
			t.Fatalf("a disabled user's session still works: %d", status)
		}
		if canLogIn(t, w, "town", testPassword) {
			t.Fatal("a disabled user signs in")
		}
		if status, body := b.post("/users/"+town+"/tokens", nil); status != http.StatusUnprocessableEntity || !strings.Contains(body, "账号已停用") {
			t.Fatalf("token for a disabled user: %d\n%s", status, body)
		}
		// Enabled again, the user signs in, but the old tokens stay revoked.
		if status, _ := b.post("/users/"+town, url.Values{"status": {"1"}}); status != http.StatusSeeOther {
			t.Fatalf("enable: %d", status)
		}
		if !canLogIn(t, w, "town", testPassword) {
			t.Fatal("an enabled user cannot sign in")
		}
		if tokenWorks(t, w, tok) || tokenWorks(t, w, w.tokens[auth.Town]) {
			t.Fatal("enabling brought revoked tokens back")
		}
		if status, body := b.get("/audit/user/" + town); status != http.StatusOK || !strings.Contains(body, "tokens_revoked") || !strings.Contains(body, "token.create") {
			t.Fatalf("history: %d\n%s", status, body)
		}
	})
}

func TestUsersForbidden(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		for _, role := range auth.Roles {
			if role == auth.Admin {
				continue
			}
			if status := w.api(role, "GET", "/api/v1/users", nil, nil); status != http.StatusForbidden {
				t.Fatalf("%s lists users: %d", role, status)
			}
			if status := w.api(role, "POST", "/api/v1/users", map[string]any{"username": "x" + string(role), "role": "admin", "scope": "all"}, nil); status != http.StatusForbidden {
				t.Fatalf("%s creates a user: %d", role, status)
			}
		}
		b := w.login(auth.Town)
		for _, p := range []string{"/users", "/users/new", "/users/" + itoa(w.users[auth.Town].ID)} {
			if status, _ := b.get(p); status != http.StatusForbidden {
				t.Fatalf("town GET %s: %d", p, status)
			}
		}
		if status, _ := b.post("/users/"+itoa(w.users[auth.Town].ID)+"/password", url.Values{"password": {""}}); status != http.StatusForbidden {
			t.Fatalf("town sets a password: %d", status)
		}
	})
}

// Every page of this part renders for the roles that reach it, in both languages.
func TestAdminPagesRender(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		pages := map[auth.Role][]string{
			auth.Admin: {"/regions", "/regions?parent=330402", "/regions?parent=330402&code=330402001", "/regions?q=" + url.QueryEscape("镇") + "&size=1&page=2",
				"/regions/import", "/parks", "/parks?edit=" + itoa(w.parkA), "/parks?region=" + w.townA + "&q=" + url.QueryEscape("园"),
				"/departments", "/departments?edit=" + itoa(w.deptA), "/users", "/users?q=town&role=town", "/users/new",
				"/users/" + itoa(w.users[auth.Reviewer].ID), "/users/" + itoa(w.users[auth.Enterprise].ID)},
			auth.Command:  {"/regions", "/regions?parent=330402", "/parks", "/departments"},
			auth.Town:     {"/regions", "/regions?parent=" + w.townA, "/parks", "/departments"},
			auth.Reviewer: {"/regions", "/parks", "/departments"},
			auth.Grid:     {"/regions", "/parks", "/departments"},
		}
		for role, paths := range pages {
			b := w.login(role)
			for _, lang := range []string{"zh", "en"} {
				if status, _ := b.post("/lang", url.Values{"lang": {lang}, "next": {"/"}}); status != http.StatusSeeOther {
					t.Fatalf("lang: %d", status)
				}
				for _, p := range paths {
					status, body := b.get(p)
					if status != http.StatusOK || !strings.Contains(body, "</html>") {
						t.Fatalf("%s %s (%s): %d\n%s", role, p, lang, status, body)
					}
					if lang == "en" && strings.Contains(body, "管辖范围") {
						t.Fatalf("%s %s: Chinese on the English page", role, p)
					}
				}
			}
		}
		// The park operator, the enterprise and its people have none of these pages.
		for _, role := range []auth.Role{auth.Park, auth.Enterprise, auth.Staff, auth.Guard} {
			b := w.login(role)
			for _, p := range []string{"/regions", "/parks", "/departments", "/regions/export"} {
				if status, _ := b.get(p); status != http.StatusForbidden {
					t.Fatalf("%s GET %s: %d", role, p, status)
				}
			}
		}
	})
}

// An administrator of one town manages only the accounts of that town and cannot hand
// out authority beyond it.
func TestRegionAdminAccounts(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		u, err := w.db.CreateUser(w.ctx, auth.System, auth.User{Username: "townadmin", Role: auth.Admin, ScopeText: "region:" + w.townA}, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if w.tokens["townadmin"], err = storetest.Token(w.ctx, w.db.DB, auth.System, u.ID, "test"); err != nil {
			t.Fatal(err)
		}
		var e apiError
		for _, c := range []struct{ role, scope string }{{"admin", "all"}, {"admin", "region:330402"}, {"town", "region:" + w.townB}, {"enterprise", "enterprise:" + itoa(w.entB)}} {
			status := w.api("townadmin", "POST", "/api/v1/users", map[string]any{"username": "boss", "role": c.role, "scope": c.scope}, &e)
			if status != http.StatusUnprocessableEntity || !e.has("scope") {
				t.Fatalf("grant %s: %d %+v", c.scope, status, e)
			}
		}
		if status := w.api("townadmin", "POST", "/api/v1/users", map[string]any{"username": "boss", "role": "enterprise", "scope": "enterprise:" + itoa(w.entA)}, nil); status != http.StatusCreated {
			t.Fatalf("grant in scope: %d", status)
		}
		b := &browser{w: w}
		jar, _ := cookiejar.New(nil)
		b.c = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if status, _ := b.post("/login", url.Values{"username": {"townadmin"}, "password": {testPassword}}); status != http.StatusSeeOther {
			t.Fatalf("login: %d", status)
		}
		if status, _ := b.get("/users/" + itoa(w.users[auth.Admin].ID)); status != http.StatusNotFound {
			t.Fatalf("the global admin's page: %d", status)
		}
		if status, _ := b.post("/users/"+itoa(w.users[auth.Admin].ID), url.Values{"status": {"1"}, "disabled": {"on"}}); status != http.StatusNotFound {
			t.Fatalf("disable the global admin: %d", status)
		}
		if status, _ := b.post("/users/"+itoa(w.users[auth.Command].ID)+"/password", url.Values{"password": {""}}); status != http.StatusNotFound {
			t.Fatalf("the county's password: %d", status)
		}
		status, body := b.post("/users/"+itoa(w.users[auth.Town].ID), url.Values{"role": {"town"}, "scope": {"region:330402"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "超出了您自己的管辖范围") {
			t.Fatalf("widen a scope: %d\n%s", status, body)
		}
		if status, _ := b.get("/users/" + itoa(w.users[auth.Town].ID)); status != http.StatusOK {
			t.Fatalf("the town's own account: %d", status)
		}
	})
}
