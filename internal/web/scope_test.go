package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/store/storetest"
)

// scoped is an account the world has none of (another scope, or an administrator of a
// region), with an API token and a signed-in browser.
type scoped struct {
	auth.User
	token string
	c     *http.Client
}

func (w *world) scopedUser(t *testing.T, name string, role auth.Role, scope string) scoped {
	t.Helper()
	u, err := w.db.CreateUser(w.ctx, auth.System, auth.User{Username: name, DisplayName: "测试" + name, Role: role, ScopeText: scope}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := storetest.Token(w.ctx, w.db.DB, auth.System, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return scoped{User: u, token: tok, c: w.loginAs(name, testPassword).c}
}

// healthWords are what would tell of a person's health, or of why a pass stopped.
var healthWords = []string{"发热", "体温", "症状", "离职", "撤销理由", "Fever", "fever", "symptom", "Symptom", "temperature", "Temperature", "has left", "Reason given"}

// tellsHealth returns the first health word in body, or "".
func tellsHealth(body string) string {
	for _, word := range healthWords {
		if strings.Contains(body, word) {
			return word
		}
	}
	return ""
}

// Public verification of a pass that a fever suspended, or whose holder left, says it is
// suspended or revoked and nothing of why nor since when, in the API and on the page; a
// valid pass is still valid.
func TestPublicVerificationOfASuspendedPass(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		ps := w.issuedPasses(t, "王发热", "李离职", "赵正常")
		hot, gone, fine := ps[0], ps[1], ps[2]
		if got := w.scan(t, hot.Token, 38.6); got.Code != "fever" {
			t.Fatalf("fever scan: %+v", got)
		}
		if st := w.api(auth.Enterprise, "POST", "/api/v1/employees/"+itoa(gone.EmployeeID)+"/leave", nil, nil); st != http.StatusOK {
			t.Fatalf("leave: %d", st)
		}
		for _, p := range []passAnswer{hot, gone} {
			got := w.send(t, noRedirects(), "GET", "/api/v1/verify?token="+url.QueryEscape(p.Token), nil, "")
			var v map[string]any
			if got.status != http.StatusOK || json.Unmarshal([]byte(got.body), &v) != nil {
				t.Fatalf("verify %s: %s", p.Name, got)
			}
			if v["valid"] != false || v["code"] != "revoked" || v["kind"] != "pass" || !strings.Contains(v["message"].(string), "出入证已暂停或撤销") {
				t.Errorf("verify %s: %s", p.Name, got)
			}
			if _, ok := v["revoke_reason"]; ok {
				t.Errorf("verify %s gives a reason: %s", p.Name, got)
			}
			if _, ok := v["revoked_at"]; ok {
				t.Errorf("verify %s gives the day it stopped: %s", p.Name, got)
			}
			if word := tellsHealth(got.body); word != "" {
				t.Errorf("verify %s tells %q: %s", p.Name, word, got)
			}
			page := w.send(t, noRedirects(), "GET", "/verify?t="+url.QueryEscape(p.Token), nil, "")
			if page.status != http.StatusOK || !strings.Contains(page.body, "已暂停或撤销 SUSPENDED OR REVOKED") || !strings.Contains(page.body, "出入证已暂停或撤销") {
				t.Errorf("verify page of %s: %s", p.Name, page)
			}
			if strings.Contains(page.body, "已撤销 REVOKED") {
				t.Errorf("the verify page calls %s's pass revoked", p.Name)
			}
			if word := tellsHealth(page.body); word != "" {
				t.Errorf("the verify page of %s tells %q", p.Name, word)
			}
		}
		var v struct {
			Valid bool   `json:"valid"`
			Code  string `json:"code"`
		}
		if st := w.api("", "GET", "/api/v1/verify?token="+url.QueryEscape(fine.Token), nil, &v); st != http.StatusOK || !v.Valid || v.Code != "ok" {
			t.Errorf("verify a valid pass: %d %+v", st, v)
		}
		// The enterprise's own guard is still told why, at its own gate.
		if got := w.scan(t, hot.Token, nil); got.Code != "suspended" || !strings.Contains(got.Reason, "发热") {
			t.Errorf("the enterprise's guard scans its suspended pass: %+v", got)
		}
	})
}

// A guard of another enterprise and the administrator of another town, scanning a pass
// that a fever suspended, learn only that it is not theirs; their scans go to their own
// logs and never to the log of the pass's enterprise. Town A's administrator reaches it.
func TestScanOfAnotherScopesPass(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		hot := w.issuedPasses(t, "王发热")[0]
		if got := w.scan(t, hot.Token, 38.6); got.Code != "fever" {
			t.Fatalf("fever scan: %+v", got)
		}
		guardB := w.scopedUser(t, "guard-b", auth.Guard, "enterprise:"+itoa(w.entB))
		adminB := w.scopedUser(t, "admin-b", auth.Admin, "region:"+w.townB)
		adminA := w.scopedUser(t, "admin-a", auth.Admin, "region:"+w.townA)
		scan := func(s scoped, temp any) scanAnswer {
			t.Helper()
			var out scanAnswer
			body := map[string]any{"token": hot.Token}
			if temp != nil {
				body["temperature"] = temp
			}
			if st := w.appAPI(s.token, "POST", "/api/v1/gate/scan", body, &out); st != http.StatusOK {
				t.Fatalf("scan as %s: %d", s.Username, st)
			}
			return out
		}
		for _, s := range []scoped{guardB, adminB} {
			got := scan(s, 36.5)
			if got.Allow || got.Code != "other_enterprise" {
				t.Errorf("%s scans another scope's pass: %+v", s.Username, got)
			}
			if word := tellsHealth(got.Reason + got.ReasonEN); word != "" || strings.Contains(got.Reason, "暂停") {
				t.Errorf("%s is told %q: %+v", s.Username, word, got)
			}
		}
		if got := scan(adminA, nil); got.Code != "suspended" {
			t.Errorf("town A's administrator scans a pass of town A: %+v", got)
		}
		type entries struct {
			Items []struct {
				EnterpriseID int64  `json:"enterprise_id"`
				Allow        bool   `json:"allow"`
				Reason       string `json:"reason"`
			} `json:"items"`
		}
		var logB entries
		if st := w.appAPI(guardB.token, "GET", "/api/v1/gate/entries", nil, &logB); st != http.StatusOK || len(logB.Items) != 1 ||
			logB.Items[0].EnterpriseID != w.entB || logB.Items[0].Allow || logB.Items[0].Reason != "other_enterprise" {
			t.Errorf("enterprise B's log: %d %+v, want its guard's refused scan", st, logB)
		}
		var logA entries
		if st := w.api(auth.Guard, "GET", "/api/v1/gate/entries", nil, &logA); st != http.StatusOK || len(logA.Items) != 2 {
			t.Errorf("enterprise A's log: %d %+v, want the fever and town A's administrator's scan", st, logA)
		}
		for _, g := range logA.Items {
			if g.EnterpriseID != w.entA || g.Reason == "other_enterprise" {
				t.Errorf("enterprise A's log holds %+v", g)
			}
		}
	})
}

// The global audit trail is for administrators whose scope is the whole installation: a
// town's administrator is refused it and is not shown the link, and reads the trails of
// its own account and of the accounts it manages only.
func TestRegionAdministratorAudit(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		adminA := w.scopedUser(t, "admin-a", auth.Admin, "region:"+w.townA)
		guardB := w.scopedUser(t, "guard-b", auth.Guard, "enterprise:"+itoa(w.entB))
		for _, path := range []string{"/api/v1/audit", "/api/v1/audit?object_type=user"} {
			if st := w.appAPI(adminA.token, "GET", path, nil, nil); st != http.StatusForbidden {
				t.Errorf("GET %s as town A's administrator: %d, want 403", path, st)
			}
			if st := w.api(auth.Admin, "GET", path, nil, nil); st != http.StatusOK {
				t.Errorf("GET %s as the administrator of everything: %d", path, st)
			}
		}
		if got := w.callPage(t, adminA.c, "GET", "/audit", nil); got.status != http.StatusForbidden {
			t.Errorf("the audit page as town A's administrator: %s, want 403", got)
		}
		if got := w.callPage(t, adminA.c, "GET", "/", nil); got.status != http.StatusOK || strings.Contains(got.body, `href="/audit"`) {
			t.Errorf("town A's administrator's home page offers the global trail: %d", got.status)
		}
		if got := w.callPage(t, w.login(auth.Admin).c, "GET", "/", nil); !strings.Contains(got.body, `href="/audit"`) {
			t.Errorf("the administrator of everything is not offered the global trail: %d", got.status)
		}
		for _, c := range []struct {
			id   int64
			what string
			want int
		}{
			{adminA.ID, "its own account", http.StatusOK},
			{w.users[auth.Grid].ID, "a grid leader of town A", http.StatusOK},
			{w.users[auth.Guard].ID, "a guard of an enterprise of town A", http.StatusOK},
			{guardB.ID, "a guard of town B", http.StatusNotFound},
			{w.users[auth.Command].ID, "the county command", http.StatusNotFound},
			{w.users[auth.Admin].ID, "the administrator of everything", http.StatusNotFound},
		} {
			if got := w.callPage(t, adminA.c, "GET", "/audit/user/"+itoa(c.id), nil); got.status != c.want {
				t.Errorf("the trail of %s as town A's administrator: %s, want %d", c.what, got, c.want)
			}
		}
		// Without users.manage, only one's own account's trail.
		town := w.login(auth.Town).c
		if got := w.callPage(t, town, "GET", "/audit/user/"+itoa(w.users[auth.Town].ID), nil); got.status != http.StatusOK {
			t.Errorf("the town official's own trail: %s", got)
		}
		if got := w.callPage(t, town, "GET", "/audit/user/"+itoa(w.users[auth.Grid].ID), nil); got.status != http.StatusNotFound {
			t.Errorf("the grid leader's trail as the town official: %s, want 404", got)
		}
	})
}
