package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
)

// TestCrossSiteFormRefused: a page of another site cannot make a signed-in user's browser
// post forms here, while the same form from our own pages, and API clients with a token,
// work.
func TestCrossSiteFormRefused(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		b := w.login(auth.Town)
		cat := policy.Default().Categories[0].Code
		form := url.Values{"name": {"跨站登记企业"}, "uscc": {uscc(t, 55)}, "category": {cat}, "region_code": {w.townA}, "flags": {"1"}}

		registered := func(name string) int {
			t.Helper()
			_, n, err := w.db.ListEnterprises(w.ctx, auth.System, enterprise.Filter{Q: name})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		auditRows := func() int {
			t.Helper()
			_, n, err := w.db.ListAudit(w.ctx, audit.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := auditRows()

		crossSite := func(path string, form url.Values, header map[string]string) reply {
			t.Helper()
			h := http.Header{}
			h.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range header {
				h.Set(k, v)
			}
			return w.send(t, b.c, http.MethodPost, path, h, form.Encode())
		}
		// A modern browser says where the request comes from in both headers; an older one
		// only sends Origin. Either way the session cookie goes along, and is not enough.
		for _, h := range []map[string]string{
			{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
			{"Origin": "https://evil.example"},
		} {
			if got := crossSite("/enterprises", form, h); got.status != http.StatusForbidden {
				t.Fatalf("cross-site POST /enterprises with %v: %s; want 403", h, got)
			}
		}
		if n := registered("跨站登记企业"); n != 0 {
			t.Fatalf("a refused cross-site form registered %d enterprises", n)
		}
		if after := auditRows(); after != before {
			t.Fatalf("a refused cross-site form wrote %d audit rows", after-before)
		}
		// Nor can another site sign the user out.
		if got := crossSite("/logout", url.Values{}, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}); got.status != http.StatusForbidden {
			t.Fatalf("cross-site POST /logout: %s; want 403", got)
		}
		if status, _ := b.get("/"); status != http.StatusOK {
			t.Fatalf("after a refused cross-site sign-out, GET / answers %d; the session should still be valid", status)
		}

		// The same form from our own page is accepted (so the refusal above was not for
		// the form or the session).
		status, loc := b.post("/enterprises", form)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/enterprises/") {
			t.Fatalf("same-origin POST /enterprises: %d %s; want 303 to the new enterprise", status, loc)
		}
		if n := registered("跨站登记企业"); n != 1 {
			t.Fatalf("same-origin form: %d enterprises registered, want 1", n)
		}

		// An API client sends neither Origin nor Sec-Fetch-Site, and authenticates with a
		// token that no other site can make a browser send.
		var created enterprise.Enterprise
		status = w.api(auth.Town, "POST", "/api/v1/enterprises", map[string]any{"name": "接口登记企业", "uscc": uscc(t, 56),
			"category": cat, "region_code": w.townA}, &created)
		if status != http.StatusCreated || created.ID == 0 {
			t.Fatalf("API POST with a bearer token and no Origin: %d %+v; want 201", status, created)
		}
	})
}
