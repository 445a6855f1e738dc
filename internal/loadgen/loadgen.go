// Package loadgen sends many HTTP requests from a few concurrent workers and measures
// how many are answered per second, and how fast. It serves the daily-loop benchmark and
// the load command alike, so that both count the same way.
package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// maxErrorBody is how much of the first failed answer's body is kept.
const maxErrorBody = 512

// Failure is what went wrong with one request: a transport error, or an answer that is
// not 2xx with its status and the start of its body.
type Failure struct {
	Index  int    // the request's number, as given to the do function
	Status int    // the HTTP status; 0 for a transport error
	Body   string // the start of the answer's body
	Err    error  // the transport error, or nil
}

func (f *Failure) String() string {
	if f.Err != nil {
		return fmt.Sprintf("request %d: %v", f.Index, f.Err)
	}
	return fmt.Sprintf("request %d: HTTP %d %s: %s", f.Index, f.Status, http.StatusText(f.Status), f.Body)
}

// Result is the outcome of one Run.
type Result struct {
	Requests  int             // requests that were sent and ended (answered or failed)
	Errors    int             // of those, transport errors and answers that are not 2xx
	Elapsed   time.Duration   // from the start until the last worker stopped
	Latencies []time.Duration // of every request that ended, sorted, shortest first
	Bytes     int64           // bytes of the answers' bodies, read to their end
	First     *Failure        // the first failure seen, or nil
	Capped    bool            // the duration cap stopped the run before n requests
	Cancelled bool            // the context ended the run before n requests
}

// PerSecond is the number of requests that ended per second of the run.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// MeanBytes is the mean size of the answers' bodies; 0 without requests.
func (r Result) MeanBytes() float64 {
	if r.Requests == 0 {
		return 0
	}
	return float64(r.Bytes) / float64(r.Requests)
}

// Percentile is the latency that p percent of the requests did not exceed (p in 0…100),
// by the nearest-rank method; 0 without requests.
func (r Result) Percentile(p float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 {
		return 0
	}
	rank := int(p / 100 * float64(n))
	if float64(rank) < p/100*float64(n) {
		rank++ // ceil
	}
	return r.Latencies[min(max(rank, 1), n)-1]
}

// Run sends up to n requests, do(0) … do(n-1), from workers concurrent workers over the
// client's kept-alive connections; n ≤ 0 sends requests until maxDuration or ctx ends the
// run. It stops early when maxDuration has passed since the start (no cap when
// maxDuration ≤ 0): requests already sent are waited for and counted, no new ones start.
// It stops too when ctx ends: requests in flight are abandoned and not counted. do builds
// a request; a nil request counts as an error. Every answer's body is read to its end so
// the connection can be reused.
func Run(ctx context.Context, client *http.Client, n, workers int, maxDuration time.Duration, do func(i int) *http.Request) Result {
	if n <= 0 {
		n = math.MaxInt
	}
	workers = max(1, min(workers, n))
	var deadline time.Time
	start := time.Now()
	if maxDuration > 0 {
		deadline = start.Add(maxDuration)
	}
	var (
		next              atomic.Int64
		capped, cancelled atomic.Bool
		mu                sync.Mutex
		res               Result
		wg                sync.WaitGroup
	)
	fail := func(f *Failure) {
		mu.Lock()
		defer mu.Unlock()
		res.Errors++
		if res.First == nil {
			res.First = f
		}
	}
	for range workers {
		wg.Go(func() {
			var (
				lat   []time.Duration
				bytes int64
			)
			defer func() {
				mu.Lock()
				res.Latencies = append(res.Latencies, lat...)
				res.Bytes += bytes
				mu.Unlock()
			}()
			for {
				if ctx.Err() != nil {
					cancelled.Store(true)
					return
				}
				if !deadline.IsZero() && !time.Now().Before(deadline) {
					capped.Store(true)
					return
				}
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				req := do(i)
				t0 := time.Now()
				if req == nil {
					fail(&Failure{Index: i, Err: errors.New("the request could not be built")})
					lat = append(lat, 0)
					continue
				}
				resp, err := client.Do(req.WithContext(ctx))
				if err != nil {
					if ctx.Err() != nil {
						cancelled.Store(true)
						return // abandoned, not answered
					}
					lat = append(lat, time.Since(t0))
					fail(&Failure{Index: i, Err: err})
					continue
				}
				var body []byte
				if resp.StatusCode/100 != 2 {
					body, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				if err != nil && ctx.Err() != nil {
					cancelled.Store(true)
					return
				}
				lat = append(lat, d)
				bytes += int64(len(body)) + n
				switch {
				case resp.StatusCode/100 != 2:
					fail(&Failure{Index: i, Status: resp.StatusCode, Body: string(body)})
				case err != nil:
					fail(&Failure{Index: i, Status: resp.StatusCode, Err: err})
				}
			}
		})
	}
	wg.Wait()
	res.Requests = len(res.Latencies)
	res.Elapsed = time.Since(start)
	res.Capped = capped.Load() && res.Requests < n
	res.Cancelled = cancelled.Load() && res.Requests < n
	slices.Sort(res.Latencies)
	return res
}

// BareHandler is the baseline: a net/http handler that decodes a JSON object and answers
// 201 with a small JSON object, and does nothing else. What a real route reaches as a
// share of it is what its own work costs, on whatever machine runs the measurement.
func BareHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "temperature": in["temperature"]})
	})
}
