package web_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"

	"fugong/internal/loadgen"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// BenchmarkDailyHandlers measures what Fugong itself spends on a daily-loop request —
// router, middleware, authentication, validation, the store and its durable group
// commit — by calling the server in process from 64 goroutines, with no network and no
// client: ns/op is wall time per request with all of them in flight, and B/op and
// allocs/op what one request allocates. "bare" is the load generator's bare JSON handler
// called the same way. Unlike BenchmarkDailyLoop it does not depend on how the machine's
// cores are shared with a client, so a change to the request path shows here first.
func BenchmarkDailyHandlers(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			raw := storetest.Open(b, engine)
			w := newWorld(b, raw)
			d := newDailyLoad(b, w, "")
			run := func(b *testing.B, h http.Handler, path string, bodies [][]byte, want int) {
				var n atomic.Int64
				b.ReportAllocs()
				b.SetParallelism((64 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
				commits, changes := raw.GroupStats()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						body := bodies[int(n.Add(1))%len(bodies)]
						r, err := http.NewRequest(http.MethodPost, path, bytes.NewReader(body))
						if err != nil {
							b.Error(err)
							return
						}
						r.Header, r.RemoteAddr = d.authed.Clone(), "127.0.0.1:1234"
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, r)
						if rec.Code != want {
							b.Errorf("%s: status %d: %s", path, rec.Code, rec.Body)
							return
						}
					}
				})
				if c2, n2 := raw.GroupStats(); c2 > commits {
					b.ReportMetric(float64(n2-changes)/float64(c2-commits), "changes/commit")
				}
			}
			b.Run("bare", func(b *testing.B) { run(b, loadgen.BareHandler(), "/", d.checkins, http.StatusCreated) })
			b.Run("checkin", func(b *testing.B) { run(b, w.srv, checkinPath, d.checkins, http.StatusCreated) })
			b.Run("scan", func(b *testing.B) { run(b, w.srv, scanPath, d.scans, http.StatusOK) })
		})
	}
}
