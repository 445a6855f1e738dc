package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/store/storetest"
)

// tokenAnswer is a token as the API answers it.
type tokenAnswer struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	Revoked    bool       `json:"revoked"`
	State      string     `json:"state"`
	Token      string     `json:"token"`
}

// answerConforms checks a JSON answer of any method against the document's schema for
// its status.
func answerConforms(t *testing.T, w *world, method, opPath string, status int, body any) {
	t.Helper()
	var doc map[string]any
	if st := w.api("", "GET", "/api/v1/openapi.json", nil, &doc); st != http.StatusOK {
		t.Fatalf("openapi.json: %d", st)
	}
	resp := at(doc, "paths", opPath, strings.ToLower(method), "responses", fmt.Sprint(status))
	if r, ok := at(resp, "$ref").(string); ok {
		resp, _ = resolve(doc, r)
	}
	schema, ok := at(resp, "content", "application/json", "schema").(map[string]any)
	if !ok {
		t.Errorf("%s %s answered %d, which the document does not list", method, opPath, status)
		return
	}
	b, _ := json.Marshal(body)
	var v any
	json.Unmarshal(b, &v)
	for _, p := range conform(doc, schema, v, "body") {
		t.Errorf("%s %s (%d): %s", method, opPath, status, p)
	}
}

// Tokens through the API: issued with an expiry, listed without their secret, revoked one
// by one; an expired or revoked token answers 401 at once.
func TestTokensAPI(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		town := w.users[auth.Town]
		base := "/api/v1/users/" + itoa(town.ID) + "/tokens"
		issue := func(body map[string]any) (int, tokenAnswer, map[string]any) {
			t.Helper()
			var raw map[string]any
			st := w.api(auth.Admin, "POST", base, body, &raw)
			var tk tokenAnswer
			b, _ := json.Marshal(raw)
			json.Unmarshal(b, &tk)
			return st, tk, raw
		}
		st, week, raw := issue(map[string]any{"name": "东门测温平板", "expires": "7d"})
		if st != http.StatusCreated || !strings.HasPrefix(week.Token, "fgt_") || week.ExpiresAt == nil || week.State != "active" || week.UserID != town.ID {
			t.Fatalf("issue: %d %+v", st, raw)
		}
		if d := time.Until(*week.ExpiresAt); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour+time.Minute {
			t.Fatalf("7 days asked, it expires in %v", d)
		}
		answerConforms(t, w, "POST", "/api/v1/users/{id}/tokens", st, raw)
		st, never, raw := issue(map[string]any{"name": "数据交换", "expires": "never"})
		if st != http.StatusCreated || never.ExpiresAt != nil || raw["expires_at"] != nil {
			t.Fatalf("never: %d %+v", st, raw)
		}
		st, plain, raw := issue(map[string]any{"name": "默认期限"}) // a label is required; the lifetime is not
		if st != http.StatusCreated || plain.ExpiresAt == nil || time.Until(*plain.ExpiresAt) < (auth.DefaultTokenDays*24-1)*time.Hour {
			t.Fatalf("default lifetime: %d %+v", st, raw)
		}
		// Refused, with the field named; nothing is written.
		for _, body := range []map[string]any{{"expires": "400d"}, {"expires": "soon"}, {"name": strings.Repeat("长", 65)}, {"expires": 90}} {
			var e struct {
				Error struct {
					Problems []struct{ Field string } `json:"problems"`
				} `json:"error"`
			}
			if st := w.api(auth.Admin, "POST", base, body, &e); st != http.StatusUnprocessableEntity || len(e.Error.Problems) == 0 {
				t.Fatalf("issue %v: %d %+v", body, st, e)
			}
		}
		for _, tk := range []string{week.Token, never.Token, plain.Token} {
			if !tokenWorks(t, w, tk) {
				t.Fatalf("token %s does not work", tk)
			}
		}

		// The list: newest first, the time of use, never a secret.
		var list struct {
			Items []tokenAnswer `json:"items"`
			Total int           `json:"total"`
		}
		got := w.send(t, noRedirects(), "GET", base, http.Header{"Authorization": {"Bearer " + w.tokens[auth.Admin]}}, "")
		if got.status != http.StatusOK {
			t.Fatalf("list: %s", got)
		}
		json.Unmarshal([]byte(got.body), &list)
		if list.Total != 4 || len(list.Items) != 4 || list.Items[0].ID != plain.ID || list.Items[2].ID != week.ID || list.Items[2].LastUsedAt == nil {
			t.Fatalf("list: %s", got.body)
		}
		for _, s := range []string{week.Token, never.Token, plain.Token, w.tokens[auth.Town], `"token"`} {
			if strings.Contains(got.body, s) {
				t.Fatalf("the list shows a secret (%s): %s", s, got.body)
			}
		}
		conformsToDocument(t, w, auth.Admin, base, "/api/v1/users/{id}/tokens")

		// Revoking one token: 401 at once for it, the others keep working.
		var rev tokenAnswer
		del := w.send(t, noRedirects(), "DELETE", base+"/"+itoa(week.ID), http.Header{"Authorization": {"Bearer " + w.tokens[auth.Admin]}}, "")
		json.Unmarshal([]byte(del.body), &rev)
		if del.status != http.StatusOK || !rev.Revoked || rev.State != "revoked" || rev.Token != "" {
			t.Fatalf("revoke: %s", del)
		}
		var delBody any
		json.Unmarshal([]byte(del.body), &delBody)
		answerConforms(t, w, "DELETE", "/api/v1/users/{id}/tokens/{token_id}", del.status, delBody)
		if tokenWorks(t, w, week.Token) || !tokenWorks(t, w, never.Token) || !tokenWorks(t, w, w.tokens[auth.Town]) {
			t.Fatal("revoking one token: it still works, or the others stopped")
		}
		// A token of another account, or none, is not found through this one.
		other := "/api/v1/users/" + itoa(w.users[auth.Grid].ID) + "/tokens/" + itoa(never.ID)
		for _, p := range []string{other, base + "/999999", base + "/abc"} {
			if got := w.send(t, noRedirects(), "DELETE", p, http.Header{"Authorization": {"Bearer " + w.tokens[auth.Admin]}}, ""); got.status != http.StatusNotFound {
				t.Fatalf("DELETE %s: %s", p, got)
			}
		}
		if !tokenWorks(t, w, never.Token) {
			t.Fatal("a refused revocation revoked the token")
		}

		// An administrator of town B neither sees nor touches the tokens of town A.
		adminB, err := w.db.CreateUser(w.ctx, auth.System, auth.User{Username: "admin-b", Role: auth.Admin, ScopeText: "region:" + w.townB}, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		tokB, err := storetest.Token(w.ctx, w.db.DB, auth.System, adminB.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ method, path string }{{"GET", base}, {"POST", base}, {"DELETE", base + "/" + itoa(never.ID)}} {
			h := http.Header{"Authorization": {"Bearer " + tokB}, "Content-Type": {"application/json"}}
			body := ""
			if c.method == "POST" {
				body = `{"name": "越权"}`
			}
			if got := w.send(t, noRedirects(), c.method, c.path, h, body); got.status != http.StatusNotFound {
				t.Fatalf("%s %s as the administrator of town B: %s", c.method, c.path, got)
			}
		}

		// Past its expiry a token answers 401, at once.
		clock := w.db.Now
		w.db.Now = func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }
		defer func() { w.db.Now = clock }()
		st, short, _ := issue(map[string]any{"name": "一日", "expires": "1d"})
		if st != http.StatusCreated || !tokenWorks(t, w, short.Token) {
			t.Fatalf("a token for a day: %d", st)
		}
		w.db.Now = func() time.Time { return time.Now().Add(9 * 24 * time.Hour) }
		if tokenWorks(t, w, short.Token) {
			t.Fatal("a token past its expiry works")
		}
		if !tokenWorks(t, w, never.Token) {
			t.Fatal("the token without expiry stopped")
		}
		w.db.Now = clock
	})
}

var tokenRowRE = regexp.MustCompile(`action="(/users/\d+/tokens/\d+/revoke)"`)

// The account's page lists its tokens with their state and revokes one; the form asks
// for the lifetime and refuses one it cannot read.
func TestTokensPage(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		b := w.login(auth.Admin)
		grid := "/users/" + itoa(w.users[auth.Grid].ID)
		status, body := b.post(grid+"/tokens", url.Values{"token_name": {"测温枪"}, "token_expires": {"30d"}})
		if status != http.StatusOK {
			t.Fatalf("issue: %d\n%s", status, body)
		}
		tok := secretOf(t, body)
		if status, body := b.post(grid+"/tokens", url.Values{"token_name": {"永久"}, "token_expires": {"never"}}); status != http.StatusOK {
			t.Fatalf("issue a token that never expires: %d\n%s", status, body)
		}
		for _, bad := range []string{"0d", "forever", "366d"} {
			if status, body := b.post(grid+"/tokens", url.Values{"token_expires": {bad}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "有效期应") {
				t.Fatalf("lifetime %q: %d\n%s", bad, status, body)
			}
		}
		status, page := b.get(grid)
		if status != http.StatusOK || !strings.Contains(page, "测温枪") || !strings.Contains(page, "永不过期") || !strings.Contains(page, "有效令牌数: 3") ||
			strings.Contains(page, tok) || !strings.Contains(page, `value="90d" selected`) {
			t.Fatalf("account page:\n%s", page)
		}
		revokes := tokenRowRE.FindAllStringSubmatch(page, -1)
		if len(revokes) != 3 {
			t.Fatalf("%d revoke buttons, want 3:\n%s", len(revokes), page)
		}
		// The newest is listed first: revoke it.
		status, _ = b.post(revokes[1][1], nil) // the 30-day token, second newest
		if status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", status)
		}
		if tokenWorks(t, w, tok) {
			t.Fatal("a revoked token works")
		}
		if _, page = b.get(grid); !strings.Contains(page, "已撤销") || !strings.Contains(page, "有效令牌数: 2") || len(tokenRowRE.FindAllString(page, -1)) != 2 {
			t.Fatalf("after revoking:\n%s", page)
		}
		if status, body := b.get("/audit/user/" + itoa(w.users[auth.Grid].ID)); status != http.StatusOK || !strings.Contains(body, "token.revoke") {
			t.Fatalf("history: %d\n%s", status, body)
		}
		if status, _ := b.post(grid+"/tokens/999999/revoke", nil); status != http.StatusNotFound {
			t.Fatalf("revoke a token that does not exist: %d", status)
		}
	})
}
