package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/policy"
)

// serve behind a proxy, with the metrics on an address of their own and a token: the main
// address serves no metrics; the metrics' address does, with the token only.
func TestServeMetricsAddress(t *testing.T) {
	var cfg serveConfig
	cfg.db.data = t.TempDir()
	cfg.metricsToken = "scrape-token-0123456789"
	var err error
	if cfg.trustedProxies, err = auth.ParseProxies("10.0.0.0/8"); err != nil {
		t.Fatal(err)
	}
	if cfg.metricsLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a, _, errb := newApp("", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ln, cfg, policy.Default(), slog.New(slog.NewJSONHandler(errb, nil))) }()
	base, metrics := "http://"+ln.Addr().String(), "http://"+cfg.metricsLn.Addr().String()+"/metrics"
	waitHealthy(t, base)
	get := func(url, token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get(base+"/metrics", cfg.metricsToken); code != http.StatusNotFound {
		t.Errorf("main address /metrics: %d; want 404", code)
	}
	if code, _ := get(metrics, ""); code != http.StatusUnauthorized {
		t.Errorf("metrics address without the token: %d; want 401", code)
	}
	if code, body := get(metrics, cfg.metricsToken); code != http.StatusOK || !strings.Contains(body, "fugong_http_requests_total") {
		t.Errorf("metrics address with the token: %d", code)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := http.Get(metrics); err == nil {
		t.Error("the metrics address still answers after shutdown")
	}
	if logs := errb.String(); !strings.Contains(logs, `"msg":"metrics","at":"`+metrics+`","token":true`) {
		t.Errorf("the log does not say where the metrics are:\n%s", logs)
	}
}

// The flags of a server behind a proxy and of its metrics are checked before it starts.
func TestServeFlags(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"a proxy that is no address", []string{"--trusted-proxies", "10.0.0.0/8,proxy.internal"}, nil,
			"--trusted-proxies: “proxy.internal” is not an IP address or CIDR block"},
		{"the same from the environment", nil, map[string]string{"FUGONG_TRUSTED_PROXIES": "10.0.0.300"},
			"--trusted-proxies: “10.0.0.300” is not an IP address or CIDR block"},
		{"a short metrics token", []string{"--metrics-token", "secret"}, nil, "--metrics-token: use at least 16 characters"},
		{"a short metrics token from the environment", nil, map[string]string{"FUGONG_METRICS_TOKEN": "secret"}, "--metrics-token: use at least 16 characters"},
		{"a metrics address that cannot be listened on", []string{"--metrics-addr", "127.0.0.1:99999"}, nil, "--metrics-addr: listen tcp"},
	} {
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, c.args...)
		r := fugong(t, "", c.env, args...)
		if r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: %s\nwant %q", c.name, r, c.want)
		}
	}
	r := fugong(t, "", map[string]string{"FUGONG_METRICS_TOKEN": "a-secret-scrape-token"}, "serve", "--help")
	if strings.Contains(r.stdout+r.stderr, "a-secret-scrape-token") {
		t.Errorf("serve --help shows the metrics token:\n%s", r)
	}
	for _, want := range []string{"--trusted-proxies PROXIES", "--metrics-token TOKEN", "--metrics-addr ADDRESS", "FUGONG_TRUSTED_PROXIES", "FUGONG_METRICS_TOKEN", "FUGONG_METRICS_ADDR"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("serve --help lacks %s", want)
		}
	}
}
