package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fugong/internal/policy"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
	"fugong/internal/web"
)

// testMetricsToken is the metrics token of the test worlds.
const testMetricsToken = "metrics-token-for-tests-0123456789"

// scrape fetches the metrics from h with a bearer token ("" for none).
func scrape(h http.Handler, token string) (int, string) {
	req := httptest.NewRequest("GET", "/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// The metrics are no one's business but the operator's: served on the main address only
// with the metrics token, or on an address of their own; without either, not at all.
func TestMetricsProtected(t *testing.T) {
	raw := storetest.Open(t, store.SQLite)
	w := newWorld(t, raw)
	newServer := func(cfg web.Config) *web.Server {
		cfg.DB, cfg.Policy, cfg.Logger, cfg.Version = raw, policy.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), "test"
		cfg.Signer, cfg.Crypt = w.signer, w.box
		srv, err := web.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}
	const metric = "fugong_http_requests_total"

	// With a token, on the main address: only with the token.
	for _, c := range []struct {
		name, header string
		want         int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"a wrong token", "Bearer not-the-token", http.StatusUnauthorized},
		{"the token without Bearer", testMetricsToken, http.StatusUnauthorized},
		{"a longer token", "Bearer " + testMetricsToken + "x", http.StatusUnauthorized},
		{"a session's worth of nothing", "Bearer ", http.StatusUnauthorized},
		{"the token", "Bearer " + testMetricsToken, http.StatusOK},
	} {
		req, _ := http.NewRequest("GET", w.ts.URL+"/metrics", nil)
		if c.header != "" {
			req.Header.Set("Authorization", c.header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want || strings.Contains(string(body), metric) != (c.want == http.StatusOK) {
			t.Errorf("%s: %d; want %d", c.name, resp.StatusCode, c.want)
		}
		if c.want == http.StatusUnauthorized && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: no WWW-Authenticate: Bearer", c.name)
		}
	}
	// Not even an administrator's session or API token opens them.
	if st := w.api("admin", "GET", "/metrics", nil, nil); st != http.StatusUnauthorized {
		t.Errorf("with the administrator's API token: %d", st)
	}

	// Without a token or an address of their own: not served at all.
	bare := newServer(web.Config{})
	if code, body := scrape(bare, ""); code != http.StatusNotFound || strings.Contains(body, metric) {
		t.Errorf("no token, main address: %d", code)
	}
	if code, _ := scrape(bare, testMetricsToken); code != http.StatusNotFound {
		t.Errorf("no token set, a token sent: %d", code)
	}

	// On an address of their own: never on the main one; there, with the token if set.
	own := newServer(web.Config{MetricsOwnListener: true})
	if code, _ := scrape(own, ""); code != http.StatusNotFound {
		t.Errorf("own listener, main address: %d", code)
	}
	if code, body := scrape(own.MetricsHandler(), ""); code != http.StatusOK || !strings.Contains(body, "go_goroutines") {
		t.Errorf("own listener without a token: %d", code)
	}
	both := newServer(web.Config{MetricsOwnListener: true, MetricsToken: testMetricsToken})
	if code, _ := scrape(both, testMetricsToken); code != http.StatusNotFound {
		t.Errorf("own listener and a token, main address: %d", code)
	}
	if code, _ := scrape(both.MetricsHandler(), ""); code != http.StatusUnauthorized {
		t.Errorf("own listener with a token, none sent: %d", code)
	}
	if code, body := scrape(both.MetricsHandler(), testMetricsToken); code != http.StatusOK || !strings.Contains(body, "go_goroutines") {
		t.Errorf("own listener with a token, sent: %d", code)
	}
}
