package loadgen_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fugong/internal/loadgen"
)

func post(url string) func(i int) *http.Request {
	return func(i int) *http.Request {
		req, err := http.NewRequest("POST", url, bytes.NewReader(fmt.Appendf(nil, `{"n": %d, "temperature": 36.%d}`, i, i%5)))
		if err != nil {
			return nil
		}
		req.Header.Set("Content-Type", "application/json")
		return req
	}
}

// Every request is sent exactly once, by at most the given number of workers at a time.
func TestRunCounts(t *testing.T) {
	const n, workers = 200, 4
	var (
		mu                sync.Mutex
		seen              = map[string]int{}
		inFlight, maxSeen atomic.Int64
	)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxSeen.Load()
			if now <= m || maxSeen.CompareAndSwap(m, now) {
				break
			}
		}
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		mu.Lock()
		seen[b.String()]++
		mu.Unlock()
		time.Sleep(time.Millisecond)
		w.WriteHeader(http.StatusCreated)
	}))
	defer ts.Close()
	res := loadgen.Run(context.Background(), ts.Client(), n, workers, 0, post(ts.URL))
	if res.Requests != n || res.Errors != 0 || res.First != nil || res.Capped || res.Cancelled {
		t.Fatalf("result: %+v", res)
	}
	if len(seen) != n {
		t.Errorf("%d distinct requests reached the server, want %d", len(seen), n)
	}
	for body, k := range seen {
		if k != 1 {
			t.Errorf("%s sent %d times", body, k)
		}
	}
	if m := maxSeen.Load(); m > workers {
		t.Errorf("%d requests at once from %d workers", m, workers)
	}
	if len(res.Latencies) != n || res.Percentile(50) < time.Millisecond || res.Percentile(50) > res.Percentile(99) {
		t.Errorf("latencies: %d, p50 %v, p99 %v", len(res.Latencies), res.Percentile(50), res.Percentile(99))
	}
	if ps := res.PerSecond(); ps <= 0 || ps > float64(workers)*1000 {
		t.Errorf("%.0f requests per second from %d workers each waiting 1ms", ps, workers)
	}
}

// The duration cap ends a run that would take far longer.
func TestRunDurationCap(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(10 * time.Millisecond)
	}))
	defer ts.Close()
	start := time.Now()
	res := loadgen.Run(context.Background(), ts.Client(), 100000, 2, 200*time.Millisecond, post(ts.URL))
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("a 200ms cap took %v", took)
	}
	if !res.Capped || res.Cancelled || res.Requests == 0 || res.Requests >= 100 || res.Errors != 0 {
		t.Fatalf("result: requests %d errors %d capped %v cancelled %v", res.Requests, res.Errors, res.Capped, res.Cancelled)
	}
	if res.Elapsed < 200*time.Millisecond {
		t.Errorf("elapsed %v, shorter than the cap", res.Elapsed)
	}
}

// Answers that are not 2xx, transport errors and requests that cannot be built are
// errors; the first one is kept with its status and body.
func TestRunCountsErrors(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		if strings.Contains(b.String(), "36.4") {
			http.Error(w, `{"error": "fever"}`, http.StatusUnprocessableEntity)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer ts.Close()
	res := loadgen.Run(context.Background(), ts.Client(), 100, 1, 0, post(ts.URL))
	if res.Requests != 100 || res.Errors != 20 {
		t.Fatalf("requests %d errors %d, want 100 and 20", res.Requests, res.Errors)
	}
	f := res.First
	if f == nil || f.Index != 4 || f.Status != http.StatusUnprocessableEntity || !strings.Contains(f.Body, "fever") || f.Err != nil {
		t.Fatalf("first failure: %+v", f)
	}
	if s := f.String(); !strings.Contains(s, "422") || !strings.Contains(s, "fever") {
		t.Errorf("failure text: %s", s)
	}

	// Nothing listens: transport errors.
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	res = loadgen.Run(context.Background(), http.DefaultClient, 10, 2, 0, post(url))
	if res.Requests != 10 || res.Errors != 10 || res.First == nil || res.First.Err == nil || res.First.Status != 0 {
		t.Fatalf("dead server: %+v", res)
	}

	// A request that cannot be built.
	res = loadgen.Run(context.Background(), ts.Client(), 10, 2, 0, func(i int) *http.Request {
		if i == 3 {
			return nil
		}
		return post(ts.URL)(0)
	})
	if res.Requests != 10 || res.Errors != 1 || res.First == nil || res.First.Index != 3 {
		t.Fatalf("nil request: %+v", res)
	}
}

// Cancelling the context stops the run; requests in flight are not counted.
func TestRunCancel(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer ts.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	res := loadgen.Run(ctx, ts.Client(), 1000, 4, 0, post(ts.URL))
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("cancel took %v", took)
	}
	if !res.Cancelled || res.Requests != 0 || res.Errors != 0 {
		t.Fatalf("result: %+v", res)
	}
}

func TestPercentile(t *testing.T) {
	var r loadgen.Result
	if r.Percentile(50) != 0 || r.PerSecond() != 0 {
		t.Fatal("empty result")
	}
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{0: 1, 50: 50, 99: 99, 99.5: 100, 100: 100} {
		if got := r.Percentile(p); got != want*time.Millisecond {
			t.Errorf("p%v = %v, want %v", p, got, want*time.Millisecond)
		}
	}
}

func TestBareHandler(t *testing.T) {
	ts := httptest.NewServer(loadgen.BareHandler())
	defer ts.Close()
	res := loadgen.Run(context.Background(), ts.Client(), 50, 4, 0, post(ts.URL))
	if res.Requests != 50 || res.Errors != 0 {
		t.Fatalf("bare handler: %+v", res)
	}
	resp, err := http.Post(ts.URL, "application/json", strings.NewReader("not json"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad JSON: %d", resp.StatusCode)
	}
}

// Gets sends the same GET with the shared header; the answers' bytes are counted, error
// bodies included.
func TestGetsAndBytes(t *testing.T) {
	var calls atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/list" || r.URL.Query().Get("page") != "1" || r.Header.Get("Cookie") != "s=1" {
			t.Errorf("request: %s %s %v", r.Method, r.URL, r.Header)
		}
		if calls.Add(1)%4 == 0 {
			http.Error(w, "no", http.StatusForbidden) // "no\n": 3 bytes
			return
		}
		w.Write([]byte(strings.Repeat("x", 100)))
	}))
	defer ts.Close()
	do := loadgen.Gets(ts.URL+"/list?page=1", http.Header{"Cookie": {"s=1"}})
	res := loadgen.Run(context.Background(), ts.Client(), 40, 3, 0, do)
	if res.Requests != 40 || res.Errors != 10 || res.Bytes != 30*100+10*3 {
		t.Fatalf("requests %d errors %d bytes %d, want 40, 10 and %d", res.Requests, res.Errors, res.Bytes, 30*100+10*3)
	}
	if m := res.MeanBytes(); m != float64(3030)/40 {
		t.Errorf("mean bytes %v", m)
	}
	if (loadgen.Result{}).MeanBytes() != 0 {
		t.Error("mean bytes of no requests")
	}
	if loadgen.Gets("http://[::1", nil) != nil {
		t.Error("a URL that does not parse gives a builder")
	}
}
