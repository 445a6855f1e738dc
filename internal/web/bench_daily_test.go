package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/loadgen"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// throughput sends n POSTs of body(i) to url from workers clients over kept-alive
// connections on 127.0.0.1 and returns the requests answered per second. Every answer
// must be 2xx.
func throughput(b *testing.B, client *http.Client, url, token string, n, workers int, body func(i int) []byte) float64 {
	b.Helper()
	res := loadgen.Run(context.Background(), client, n, workers, 0, func(i int) *http.Request {
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body(i)))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return req
	})
	if res.Errors > 0 {
		b.Fatalf("%s: %d of %d requests failed; first: %s", url, res.Errors, n, res.First)
	}
	return res.PerSecond()
}

// BenchmarkDailyLoop measures in one run a bare net/http JSON handler (the baseline),
// recording a health check, and a gate scan — both through the real router, middleware,
// authentication and a durable commit — and reports each as a share of the baseline, so
// a noisy machine does not fool anyone. Run with -benchtime=1x.
func BenchmarkDailyLoop(b *testing.B) {
	const requests, workers, people = 3000, 16, 40
	bare := httptest.NewServer(loadgen.BareHandler())
	defer bare.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxIdleConns: workers}}
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			w := newWorld(b, storetest.Open(b, engine))
			w.appApproved(b)
			names := make([]string, people)
			for i := range names {
				names[i] = fmt.Sprintf("员工%02d", i)
			}
			passes := w.issuedPasses(b, names...)
			for i := 0; i < b.N; i++ {
				baseline := throughput(b, client, bare.URL, "", requests, workers, func(i int) []byte {
					return []byte(`{"employee_id": 1, "temperature": 36.5}`)
				})
				checkins := throughput(b, client, w.ts.URL+"/api/v1/health-checks", w.tokens[auth.Guard], requests, workers, func(i int) []byte {
					return []byte(fmt.Sprintf(`{"employee_id": %d, "temperature": 36.%d}`, passes[i%people].EmployeeID, i%5))
				})
				scans := throughput(b, client, w.ts.URL+"/api/v1/gate/scan", w.tokens[auth.Guard], requests, workers, func(i int) []byte {
					return []byte(fmt.Sprintf(`{"token": %q, "temperature": 36.%d}`, passes[i%people].Token, i%5))
				})
				b.ReportMetric(baseline, "bare-req/s")
				b.ReportMetric(checkins, "checkin-req/s")
				b.ReportMetric(scans, "scan-req/s")
				b.ReportMetric(100*checkins/baseline, "checkin-%-of-bare")
				b.ReportMetric(100*scans/baseline, "scan-%-of-bare")
			}
		})
	}
}
