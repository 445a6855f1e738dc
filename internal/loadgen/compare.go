package loadgen

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Phase is one endpoint to measure: a name, and how to build its i-th request.
type Phase struct {
	Name string
	Do   func(i int) *http.Request
}

// Plan says how Compare measures: in each of Rounds rounds, for each phase in turn, the
// baseline runs for Time and then the phase runs for Time, so that every figure of a
// phase has a baseline measured just before it, on a machine in the same state.
type Plan struct {
	Rounds   int           // rounds (at least 1)
	Time     time.Duration // how long each run lasts
	Requests int           // at most this many requests per run; 0: as many as Time allows
	Workers  int           // concurrent clients, each on its own kept-alive connection
}

// Pair is one round of one phase: the baseline's run and the phase's run right after it.
type Pair struct {
	Round      int // from 1
	Bare, Real Result
}

// Ratio is the phase's requests per second as a share of the baseline's in the same round.
func (p Pair) Ratio() float64 {
	b := p.Bare.PerSecond()
	if b <= 0 {
		return 0
	}
	return p.Real.PerSecond() / b
}

// Comparison is what Compare found of one phase over all rounds.
type Comparison struct {
	Phase string
	Pairs []Pair
}

// Ratios are the rounds' shares of the baseline, in round order.
func (c Comparison) Ratios() []float64 {
	r := make([]float64, len(c.Pairs))
	for i, p := range c.Pairs {
		r[i] = p.Ratio()
	}
	return r
}

// Median is the median of the rounds' shares of the baseline: the figure to report.
func (c Comparison) Median() float64 { return Median(c.Ratios()) }

// Spread is the lowest and the highest of the rounds' shares of the baseline.
func (c Comparison) Spread() (lo, hi float64) {
	r := c.Ratios()
	if len(r) == 0 {
		return 0, 0
	}
	return slices.Min(r), slices.Max(r)
}

// Real is the phase's runs of every round taken together.
func (c Comparison) Real() Result {
	return merge(c.Pairs, func(p Pair) Result { return p.Real })
}

// Bare is the baseline's runs of every round taken together.
func (c Comparison) Bare() Result {
	return merge(c.Pairs, func(p Pair) Result { return p.Bare })
}

func merge(pairs []Pair, side func(Pair) Result) Result {
	var m Result
	for _, p := range pairs {
		r := side(p)
		m.Requests += r.Requests
		m.Errors += r.Errors
		m.Elapsed += r.Elapsed
		m.Latencies = append(m.Latencies, r.Latencies...)
		m.Bytes += r.Bytes
		if m.First == nil {
			m.First = r.First
		}
		m.Capped = m.Capped || r.Capped
		m.Cancelled = m.Cancelled || r.Cancelled
	}
	slices.Sort(m.Latencies)
	return m
}

// Median is the middle value of xs (the mean of the two middle ones for an even count),
// 0 for none. xs is not changed.
func Median(xs []float64) float64 {
	n := len(xs)
	if n == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Compare measures each phase against the baseline bare as plan says, round after round,
// calling each (when not nil) after every pair so that progress can be shown. It stops
// after the pair in which ctx ended; the comparisons hold the pairs measured until then.
func Compare(ctx context.Context, client *http.Client, plan Plan, bare Phase, phases []Phase, each func(phase string, p Pair)) []Comparison {
	out := make([]Comparison, len(phases))
	for i, ph := range phases {
		out[i].Phase = ph.Name
	}
	for round := 1; round <= max(plan.Rounds, 1); round++ {
		for i, ph := range phases {
			p := Pair{Round: round}
			p.Bare = Run(ctx, client, plan.Requests, plan.Workers, plan.Time, bare.Do)
			p.Real = Run(ctx, client, plan.Requests, plan.Workers, plan.Time, ph.Do)
			out[i].Pairs = append(out[i].Pairs, p)
			if each != nil {
				each(ph.Name, p)
			}
			if ctx.Err() != nil {
				return out
			}
		}
	}
	return out
}

// Client is an HTTP client for a load: one kept-alive connection per worker, no proxy, no
// compression, no redirects followed, and a timeout of its own per request. dial, when
// not nil, makes the connections.
func Client(workers int, timeout time.Duration, dial func(ctx context.Context, network, addr string) (net.Conn, error)) *http.Client {
	t := &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        workers,
		MaxIdleConnsPerHost: workers,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	if dial != nil {
		t.DialContext = dial
	}
	return &http.Client{
		Transport:     t,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Posts returns a builder of POST requests of bodies[i % len(bodies)] to u, each with
// header: the URL is parsed and the bodies and header built once, so that the generator
// spends its time sending rather than building. The header is shared by every request
// and must not be changed afterwards. It returns nil for a URL that does not parse or
// no bodies.
func Posts(u string, header http.Header, bodies [][]byte) func(i int) *http.Request {
	parsed, err := url.Parse(u)
	if err != nil || len(bodies) == 0 {
		return nil
	}
	return func(i int) *http.Request {
		b := bodies[i%len(bodies)]
		return &http.Request{
			Method:        http.MethodPost,
			URL:           parsed,
			Proto:         "HTTP/1.1",
			ProtoMajor:    1,
			ProtoMinor:    1,
			Header:        header,
			Body:          io.NopCloser(bytes.NewReader(b)),
			ContentLength: int64(len(b)),
			Host:          parsed.Host,
		}
	}
}

// Gets returns a builder of GET requests of u, each with header (shared by every request
// and not to be changed afterwards): the URL is parsed once. It returns nil for a URL
// that does not parse.
func Gets(u string, header http.Header) func(i int) *http.Request {
	parsed, err := url.Parse(u)
	if err != nil {
		return nil
	}
	return func(int) *http.Request {
		return &http.Request{
			Method:     http.MethodGet,
			URL:        parsed,
			Proto:      "HTTP/1.1",
			ProtoMajor: 1,
			ProtoMinor: 1,
			Header:     header,
			Host:       parsed.Host,
		}
	}
}
