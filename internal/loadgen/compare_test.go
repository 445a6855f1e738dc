package loadgen_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fugong/internal/loadgen"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{0.4}, 0.4},
		{[]float64{0.5, 0.3}, 0.4},
		{[]float64{0.9, 0.1, 0.5}, 0.5},
		{[]float64{0.2, 0.8, 0.4, 0.6}, 0.5},
	} {
		in := append([]float64(nil), c.in...)
		if got := loadgen.Median(c.in); got < c.want-1e-9 || got > c.want+1e-9 {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
		for i := range in {
			if in[i] != c.in[i] {
				t.Errorf("Median changed its input: %v → %v", in, c.in)
			}
		}
	}
}

// A comparison is the rounds' ratios of a phase to the baseline measured just before it.
func TestComparisonFigures(t *testing.T) {
	res := func(n int, secs float64, lat ...time.Duration) loadgen.Result {
		return loadgen.Result{Requests: n, Elapsed: time.Duration(secs * float64(time.Second)), Latencies: lat}
	}
	c := loadgen.Comparison{Phase: "scan", Pairs: []loadgen.Pair{
		{Round: 1, Bare: res(1000, 1, time.Millisecond), Real: res(400, 1, 3*time.Millisecond)},
		{Round: 2, Bare: res(2000, 1, time.Millisecond), Real: res(1000, 1, 2*time.Millisecond)},
		{Round: 3, Bare: res(1000, 2, time.Millisecond), Real: res(450, 1, 4*time.Millisecond)},
	}}
	want := []float64{0.4, 0.5, 0.9}
	for i, r := range c.Ratios() {
		if r < want[i]-1e-9 || r > want[i]+1e-9 {
			t.Errorf("round %d: ratio %v, want %v", i+1, r, want[i])
		}
	}
	if m := c.Median(); m != 0.5 {
		t.Errorf("median %v, want 0.5", m)
	}
	if lo, hi := c.Spread(); lo != 0.4 || hi != 0.9 {
		t.Errorf("spread %v–%v, want 0.4–0.9", lo, hi)
	}
	real := c.Real()
	if real.Requests != 1850 || real.Elapsed != 3*time.Second || len(real.Latencies) != 3 ||
		real.Latencies[0] != 2*time.Millisecond || real.Latencies[2] != 4*time.Millisecond {
		t.Errorf("merged phase: %+v", real)
	}
	if b := c.Bare(); b.Requests != 4000 || b.Elapsed != 4*time.Second {
		t.Errorf("merged baseline: %+v", b)
	}
	if (loadgen.Pair{Real: res(10, 1)}).Ratio() != 0 {
		t.Error("a pair without a baseline has a ratio")
	}
}

// Compare alternates the baseline with each phase, round after round, each run lasting
// the plan's time, and reports every pair as it is measured.
func TestCompareAlternates(t *testing.T) {
	var (
		mu    sync.Mutex
		order []string
		last  string
	)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Test") != "yes" || r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		if r.URL.Path != last {
			order = append(order, r.URL.Path)
			last = r.URL.Path
		}
		mu.Unlock()
		if !strings.HasPrefix(string(b), `{"n":`) {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusCreated)
	}))
	defer ts.Close()
	h := http.Header{"Content-Type": {"application/json"}, "X-Test": {"yes"}}
	bodies := [][]byte{[]byte(`{"n": 1}`), []byte(`{"n": 2}`)}
	phase := func(name string) loadgen.Phase {
		return loadgen.Phase{Name: name, Do: loadgen.Posts(ts.URL+"/"+name, h, bodies)}
	}
	var seen []string
	plan := loadgen.Plan{Rounds: 2, Time: 5 * time.Second, Requests: 30, Workers: 3}
	cs := loadgen.Compare(context.Background(), loadgen.Client(3, time.Second, nil), plan, phase("bare"), []loadgen.Phase{phase("a"), phase("b")},
		func(name string, p loadgen.Pair) { seen = append(seen, name) })
	if got := strings.Join(order, " "); got != "/bare /a /bare /b /bare /a /bare /b" {
		t.Errorf("order of runs: %s", got)
	}
	if got := strings.Join(seen, " "); got != "a b a b" {
		t.Errorf("pairs reported: %s", got)
	}
	if len(cs) != 2 || cs[0].Phase != "a" || cs[1].Phase != "b" {
		t.Fatalf("comparisons: %+v", cs)
	}
	for _, c := range cs {
		if len(c.Pairs) != 2 || c.Pairs[1].Round != 2 {
			t.Fatalf("%s: pairs %+v", c.Phase, c.Pairs)
		}
		if r := c.Real(); r.Requests != 60 || r.Errors != 0 || r.First != nil {
			t.Errorf("%s: %+v", c.Phase, r)
		}
		if m := c.Median(); m <= 0 {
			t.Errorf("%s: median ratio %v", c.Phase, m)
		}
	}

	// Without a request count, each run lasts the plan's time.
	start := time.Now()
	cs = loadgen.Compare(context.Background(), loadgen.Client(2, time.Second, nil), loadgen.Plan{Rounds: 1, Time: 150 * time.Millisecond, Workers: 2},
		phase("bare"), []loadgen.Phase{phase("a")}, nil)
	if d := time.Since(start); d < 300*time.Millisecond || d > 3*time.Second {
		t.Errorf("two runs of 150ms took %v", d)
	}
	if r := cs[0].Real(); r.Requests == 0 || !r.Capped || r.Errors != 0 {
		t.Errorf("timed run: %d requests, capped %v, %d errors", r.Requests, r.Capped, r.Errors)
	}
}

// A cancelled context ends the comparison after the pair in which it ended.
func TestCompareCancel(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) }))
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ph := loadgen.Phase{Name: "a", Do: loadgen.Posts(ts.URL, http.Header{}, [][]byte{[]byte("{}")})}
	cs := loadgen.Compare(ctx, loadgen.Client(1, time.Second, nil), loadgen.Plan{Rounds: 5, Requests: 3, Workers: 1}, ph, []loadgen.Phase{ph},
		func(string, loadgen.Pair) { cancel() })
	if len(cs[0].Pairs) != 1 {
		t.Errorf("%d pairs after cancelling in the first", len(cs[0].Pairs))
	}
}

func TestPostsRefuses(t *testing.T) {
	if loadgen.Posts("http://[::1", nil, [][]byte{{}}) != nil || loadgen.Posts("http://127.0.0.1/", nil, nil) != nil {
		t.Error("Posts built requests for a bad URL or no bodies")
	}
}
