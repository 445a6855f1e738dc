package web

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// An error before anything of the answer is written is answered; one after part of it
// has gone (an export broken off by a failing query) drops the connection, so that the
// client does not take what it has, with an error page at its end, for a whole file.
func TestErrorAfterTheAnswerBegan(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logs, nil)), metrics: newMetrics(prometheus.NewRegistry())}
	h := s.recoverer(s.observe(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", xlsxType)
		if r.URL.Query().Get("sent") == "1" {
			w.Write(bytes.Repeat([]byte("x"), 100<<10))
		}
		s.fail(w, r, errors.New("the query failed"))
	})))
	ts := httptest.NewServer(h)
	defer ts.Close()

	resp, err := http.Get(ts.URL + "/api/v1/export")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), `"internal"`) {
		t.Errorf("error before the answer: %d %q %v", resp.StatusCode, body, err)
	}

	resp, err = http.Get(ts.URL + "/api/v1/export?sent=1")
	if err == nil {
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil || bytes.Contains(body, []byte("internal")) {
		t.Errorf("error after the answer began: the answer ends normally (%d bytes, %v)", len(body), err)
	}
	if !strings.Contains(logs.String(), "connection dropped") || !strings.Contains(logs.String(), "status=500") {
		t.Errorf("log:\n%s", logs.String())
	}
}
