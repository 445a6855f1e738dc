package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// throughput sends n POSTs of body(i) to url from workers clients over kept-alive
// connections on 127.0.0.1 and returns the requests answered per second. Every answer
// must be 2xx.
func throughput(b *testing.B, client *http.Client, url, token string, n, workers int, body func(i int) []byte) float64 {
	b.Helper()
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				req, _ := http.NewRequest("POST", url, bytes.NewReader(body(i)))
				req.Header.Set("Content-Type", "application/json")
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode/100 != 2 {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if f := failed.Load(); f > 0 {
		b.Fatalf("%s: %d of %d requests failed", url, f, n)
	}
	return float64(n) / elapsed.Seconds()
}

// BenchmarkDailyLoop measures in one run a bare net/http JSON handler (the baseline),
// recording a health check, and a gate scan — both through the real router, middleware,
// authentication and a durable commit — and reports each as a share of the baseline, so
// a noisy machine does not fool anyone. Run with -benchtime=1x.
func BenchmarkDailyLoop(b *testing.B) {
	const requests, workers, people = 3000, 16, 40
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "temperature": in["temperature"]})
	}))
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
