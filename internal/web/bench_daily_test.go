package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/loadgen"
	"fugong/internal/pgtest"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// benchPlan is how BenchmarkDailyLoop measures: FUGONG_BENCH_ROUNDS rounds (default 3),
// each run lasting FUGONG_BENCH_TIME (default 10s), from 64 clients.
func benchPlan(b *testing.B) loadgen.Plan {
	plan := loadgen.Plan{Rounds: 3, Time: 10 * time.Second, Workers: 64}
	if v := os.Getenv("FUGONG_BENCH_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("FUGONG_BENCH_ROUNDS=%q: give a positive number", v)
		}
		plan.Rounds = n
	}
	if v := os.Getenv("FUGONG_BENCH_TIME"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			b.Fatalf("FUGONG_BENCH_TIME=%q: give a duration such as 10s", v)
		}
		plan.Time = d
	}
	return plan
}

// BenchmarkDailyLoop measures recording a health check and a gate scan — both through
// the real router, middleware, authentication and a durable commit — against a bare
// net/http JSON handler run just before each of them, round after round, and reports
// the median of the rounds' shares of the baseline with the lowest and highest, so that
// a noisy machine does not fool anyone. Run with -benchtime=1x; on PostgreSQL, measure a
// durable server (FUGONG_TEST_PG_DURABLE=1, or FUGONG_TEST_PG naming one with fsync on).
func BenchmarkDailyLoop(b *testing.B) {
	const people = 40
	plan := benchPlan(b)
	bare := httptest.NewServer(loadgen.BareHandler())
	defer bare.Close()
	client := loadgen.Client(plan.Workers, time.Minute, nil)
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			if engine == store.Postgres && !pgtest.Durable() && os.Getenv(pgtest.EnvDSN) == "" {
				b.Logf("PostgreSQL test server with fsync off: not a durable figure (set %s=1)", pgtest.EnvDurable)
			}
			w := newWorld(b, storetest.Open(b, engine))
			w.appApproved(b)
			names := make([]string, people)
			for i := range names {
				names[i] = fmt.Sprintf("员工%02d", i)
			}
			passes := w.issuedPasses(b, names...)
			var checkins, scans [][]byte
			for i := range 5 * people {
				p := passes[i%people]
				checkins = append(checkins, fmt.Appendf(nil, `{"employee_id": %d, "temperature": 36.%d}`, p.EmployeeID, i%5))
				scans = append(scans, fmt.Appendf(nil, `{"token": %q, "temperature": 36.%d}`, p.Token, i%5))
			}
			plain := http.Header{"Content-Type": {"application/json"}}
			authed := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + w.tokens[auth.Guard]}}
			base := loadgen.Phase{Name: "bare", Do: loadgen.Posts(bare.URL, plain, checkins)}
			phases := []loadgen.Phase{
				{Name: "checkin", Do: loadgen.Posts(w.ts.URL+"/api/v1/health-checks", authed, checkins)},
				{Name: "scan", Do: loadgen.Posts(w.ts.URL+"/api/v1/gate/scan", authed, scans)},
			}
			for i := 0; i < b.N; i++ {
				cs := loadgen.Compare(context.Background(), client, plan, base, phases, func(phase string, p loadgen.Pair) {
					b.Logf("round %d %-7s %8.0f req/s, bare %8.0f req/s: %5.1f %%", p.Round, phase, p.Real.PerSecond(), p.Bare.PerSecond(), 100*p.Ratio())
				})
				var all []loadgen.Pair
				for _, c := range cs {
					if r := c.Real(); r.Errors > 0 {
						b.Fatalf("%s: %d of %d requests failed; first: %s", c.Phase, r.Errors, r.Requests, r.First)
					}
					all = append(all, c.Pairs...)
					lo, hi := c.Spread()
					real := c.Real()
					b.ReportMetric(real.PerSecond(), c.Phase+"-req/s")
					b.ReportMetric(100*c.Median(), c.Phase+"-%-of-bare")
					b.ReportMetric(100*lo, c.Phase+"-%-lowest")
					b.ReportMetric(100*hi, c.Phase+"-%-highest")
					b.ReportMetric(float64(real.Percentile(50))/1e6, c.Phase+"-p50-ms")
					b.ReportMetric(float64(real.Percentile(99))/1e6, c.Phase+"-p99-ms")
				}
				b.ReportMetric(loadgen.Comparison{Pairs: all}.Bare().PerSecond(), "bare-req/s")
			}
		})
	}
}
