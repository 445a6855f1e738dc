package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/loadgen"
	"fugong/internal/pgtest"
	"fugong/internal/policy"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
	"fugong/internal/web"
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
	plan := benchPlan(b)
	bare := httptest.NewServer(loadgen.BareHandler())
	defer bare.Close()
	client := loadgen.Client(plan.Workers, time.Minute, nil)
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			if engine == store.Postgres && !pgtest.Durable() && os.Getenv(pgtest.EnvDSN) == "" {
				b.Logf("PostgreSQL test server with fsync off: not a durable figure (set %s=1)", pgtest.EnvDurable)
			}
			raw := storetest.Open(b, engine)
			w := newWorld(b, raw)
			d := newDailyLoad(b, w, bare.URL)
			phases := []loadgen.Phase{
				{Name: "checkin", Do: d.posts(w.ts.URL, checkinPath, d.checkins)},
				{Name: "scan", Do: d.posts(w.ts.URL, scanPath, d.scans)},
			}
			for i := 0; i < b.N; i++ {
				commits, changes := raw.GroupStats()
				d.compare(b, client, plan, phases)
				c2, n2 := raw.GroupStats()
				b.ReportMetric(float64(n2-changes)/float64(max(c2-commits, 1)), "changes/commit")
			}
		})
	}
}

// BenchmarkDailyLoopTwoInstances measures the daily loop on two instances of Fugong
// sharing one PostgreSQL database, each with its own store, pools and group commits, the
// clients' requests spread over both, beside one instance on the same database: nothing
// shared may serialise them, so two together should be at least as fast as one
// ("-two-over-one" at 100 % or more). On one machine both instances share its cores;
// measure a durable server (FUGONG_TEST_PG_DURABLE=1, or FUGONG_TEST_PG naming one).
func BenchmarkDailyLoopTwoInstances(b *testing.B) {
	plan := benchPlan(b)
	bare := httptest.NewServer(loadgen.BareHandler())
	defer bare.Close()
	client := loadgen.Client(plan.Workers, time.Minute, nil)
	if !pgtest.Durable() && os.Getenv(pgtest.EnvDSN) == "" {
		b.Logf("PostgreSQL test server with fsync off: not a durable figure (set %s=1)", pgtest.EnvDurable)
	}
	first, second := storetest.OpenTwice(b)
	w := newWorld(b, first)
	d := newDailyLoad(b, w, bare.URL)
	other, err := web.New(web.Config{DB: second, Policy: policy.Default(), Logger: slog.New(slog.DiscardHandler), Version: "test",
		Signer: w.signer, Crypt: w.box, MetricsToken: testMetricsToken})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(other)
	defer ts.Close()
	both := func(path string, bodies [][]byte) func(int) *http.Request {
		one, two := d.posts(w.ts.URL, path, bodies), d.posts(ts.URL, path, bodies)
		return func(i int) *http.Request {
			if i%2 == 0 {
				return one(i)
			}
			return two(i)
		}
	}
	phases := []loadgen.Phase{
		{Name: "checkin", Do: d.posts(w.ts.URL, checkinPath, d.checkins)},
		{Name: "checkin-two", Do: both(checkinPath, d.checkins)},
		{Name: "scan", Do: d.posts(w.ts.URL, scanPath, d.scans)},
		{Name: "scan-two", Do: both(scanPath, d.scans)},
	}
	for i := 0; i < b.N; i++ {
		cs := d.compare(b, client, plan, phases)
		for j := 0; j+1 < len(cs); j += 2 {
			b.ReportMetric(100*cs[j+1].Real().PerSecond()/cs[j].Real().PerSecond(), cs[j].Phase+"-two-over-one-%")
		}
	}
}

const (
	checkinPath = "/api/v1/health-checks"
	scanPath    = "/api/v1/gate/scan"
)

// dailyLoad is what the daily-loop benchmarks send: an approved enterprise's guard
// recording readings of its people and scanning their passes, against a bare handler.
type dailyLoad struct {
	checkins, scans [][]byte
	authed          http.Header
	base            loadgen.Phase
}

func newDailyLoad(b *testing.B, w *world, bareURL string) *dailyLoad {
	const people = 40
	w.appApproved(b)
	names := make([]string, people)
	for i := range names {
		names[i] = fmt.Sprintf("员工%02d", i)
	}
	passes := w.issuedPasses(b, names...)
	d := &dailyLoad{authed: http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + w.tokens[auth.Guard]}}}
	for i := range 5 * people {
		p := passes[i%people]
		d.checkins = append(d.checkins, fmt.Appendf(nil, `{"employee_id": %d, "temperature": 36.%d}`, p.EmployeeID, i%5))
		d.scans = append(d.scans, fmt.Appendf(nil, `{"token": %q, "temperature": 36.%d}`, p.Token, i%5))
	}
	d.base = loadgen.Phase{Name: "bare", Do: loadgen.Posts(bareURL, http.Header{"Content-Type": {"application/json"}}, d.checkins)}
	return d
}

// posts sends bodies to path of the server at url, as the guard.
func (d *dailyLoad) posts(url, path string, bodies [][]byte) func(int) *http.Request {
	return loadgen.Posts(url+path, d.authed, bodies)
}

// compare runs the phases against the bare handler and reports each one's figures.
func (d *dailyLoad) compare(b *testing.B, client *http.Client, plan loadgen.Plan, phases []loadgen.Phase) []loadgen.Comparison {
	cs := loadgen.Compare(context.Background(), client, plan, d.base, phases, func(phase string, p loadgen.Pair) {
		b.Logf("round %d %-11s %8.0f req/s, bare %8.0f req/s: %5.1f %%", p.Round, phase, p.Real.PerSecond(), p.Bare.PerSecond(), 100*p.Ratio())
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
	return cs
}
