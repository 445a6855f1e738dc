package web_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// A client that hangs up is no error of the server's: the request is logged at info as a
// client disconnect with status 499, nothing is written to it, and no internal error or
// 500 is logged.
func TestClientHangUp(t *testing.T) {
	w := newWorld(t, storetest.Open(t, store.SQLite))
	waitLog := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			logs := w.logs.String()
			if strings.Contains(logs, want) {
				return logs
			}
			if time.Now().After(deadline) {
				t.Fatalf("the log lacks %q:\n%s", want, logs)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	noServerError := func(logs string) {
		t.Helper()
		for _, bad := range []string{"internal error", "status=500", "level=ERROR"} {
			if strings.Contains(logs, bad) {
				t.Errorf("a hang-up is logged as a server error (%s):\n%s", bad, logs)
			}
		}
	}

	// A browser sends half a login form and closes the connection.
	conn, err := net.Dial("tcp", strings.TrimPrefix(w.ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(conn, "POST /login HTTP/1.1\r\nHost: fugong.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: 4000\r\n\r\nusername=admin&password=te")
	conn.Close()
	logs := waitLog(`msg="client disconnected" method=POST path=/login status=499`)
	noServerError(logs)

	// An API client gives up while its request is being served: the request's context
	// is canceled, and what the server was doing fails with it.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/api/v1/me", nil).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+w.tokens[auth.Admin])
	rec := httptest.NewRecorder()
	w.srv.ServeHTTP(rec, req)
	if rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "" {
		t.Errorf("an answer was written to a client that had gone: %d %q", rec.Code, rec.Body.String())
	}
	logs = waitLog(`msg="client disconnected" method=GET path=/api/v1/me status=499`)
	noServerError(logs)

	// The metrics count the hang-ups apart, as 499.
	req, _ = http.NewRequest("GET", w.ts.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`fugong_http_requests_total{code="499",route="POST /login"} 1`, `fugong_http_requests_total{code="499",route="GET /api/v1/me"} 1`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
