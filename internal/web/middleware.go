package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"fugong/internal/apperr"
	"fugong/internal/auth"
)

const (
	sessionCookie = "fugong_session"
	langCookie    = "fugong_lang"
	maxFormBytes  = 2 << 20
	maxUploadSize = 64 << 20
)

type ctxKey int

// exchangeKey holds the request's exchange: the user and the language live in it, so
// that a request's context is made once, not once per fact the middleware learns.
const exchangeKey ctxKey = 0

// statusClientGone is the status logged, and counted, for a request whose client hung up
// before its answer: nothing is written to it.
const statusClientGone = 499

// exchange is what the middleware learns of one request while it is served.
type exchange struct {
	proxies    auth.Proxies
	lang       string     // the page language (withLang)
	user       *auth.User // the signed-in user (guard), or nil
	bodyBroken bool       // reading the body failed: the client went away mid-request
	gone       bool       // an error was not answered because the client had gone
	began      bool       // part of the answer's body has been written
	cut        int        // the status of an error that came after the answer began; the connection is dropped
}

func exchangeOf(r *http.Request) *exchange {
	ex, _ := r.Context().Value(exchangeKey).(*exchange)
	return ex
}

// watchedBody notes in the exchange when reading the request body fails, as it does when
// the client hangs up before sending all of it.
type watchedBody struct {
	io.ReadCloser
	ex *exchange
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		b.ex.bodyBroken = true
	}
	return n, err
}

// clientGone reports whether the request's client has gone away: its context was
// canceled (the connection closed), its body broke off, or writing to it failed. The
// error, whatever its kind, is then not answered.
func clientGone(r *http.Request, err error) bool {
	if r.Context().Err() != nil || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) {
		return true
	}
	ex := exchangeOf(r)
	return ex != nil && ex.bodyBroken
}

// hungUp is true, and notes it for the log, when err need not be answered because the
// client has gone.
func (s *Server) hungUp(r *http.Request, err error) bool {
	if !clientGone(r, err) {
		return false
	}
	if ex := exchangeOf(r); ex != nil {
		ex.gone = true
	}
	s.log.Debug("error not answered: the client has gone", "method", r.Method, "path", r.URL.Path, "err", err)
	return true
}

// user returns the signed-in user of the request, or nil.
func user(r *http.Request) *auth.User {
	if ex := exchangeOf(r); ex != nil {
		return ex.user
	}
	return nil
}

// principal returns the acting principal; routes that need a login always have one.
func principal(r *http.Request) auth.Principal {
	if u := user(r); u != nil {
		return u.Principal()
	}
	return auth.Principal{}
}

func (s *Server) buildHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	s.quiet = map[string]bool{}
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Path, s.guard(rt))
		s.quiet[rt.Method+" "+rt.Path] = rt.Quiet
	}
	mux.Handle("GET /static/", http.StripPrefix("/static/", s.static))
	s.metricsHandler = s.metricsGuard(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	if s.metricsToken != "" && !s.metricsOwnListener {
		mux.Handle("GET /metrics", s.metricsHandler)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// Whoever is signed in keeps the navigation on the page that says so.
		if u, err := s.authenticate(r); err == nil && u != nil {
			if ex := exchangeOf(r); ex != nil {
				ex.user = u
			}
		}
		s.fail(w, r, &apperr.Error{Kind: apperr.NotFound, Message: "页面不存在", MessageEN: "No such page"})
	})
	var h http.Handler = mux
	h = s.withLang(h)
	h = s.observe(h) // the mux sets r.Pattern on the request observe holds: nothing between copies it
	// CSRF: browsers' cross-origin form posts are refused; API clients (no Origin or
	// Sec-Fetch-Site headers) and same-origin pages pass.
	h = http.NewCrossOriginProtection().Handler(h)
	return s.recoverer(securityHeaders(h))
}

// guard authenticates the request and checks the route's permission before the handler.
func (s *Server) guard(rt Route) http.Handler {
	params := rt.pathParams()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ex := exchangeOf(r); ex != nil && r.Body != nil && r.Body != http.NoBody {
			r.Body = &watchedBody{ReadCloser: r.Body, ex: ex}
		}
		if rt.Upload {
			r.Body = http.MaxBytesReader(w, r.Body, maxUploadSize)
		} else {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		}
		u, err := s.authenticate(r)
		if err != nil && apperr.KindOf(err) != apperr.Unauthorized {
			s.fail(w, r, err)
			return
		}
		if ex := exchangeOf(r); ex != nil {
			ex.user = u
		}
		if rt.Perm != auth.Public {
			switch {
			case u == nil && !rt.API() && r.Method == http.MethodGet:
				next := r.URL.RequestURI()
				http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
				return
			case u == nil:
				s.fail(w, r, apperr.NewUnauthorized())
				return
			case !u.Principal().Can(rt.Perm):
				s.fail(w, r, apperr.NewForbidden())
				return
			}
		}
		if err := checkRequest(r, rt, params); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := rt.h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// authenticate finds the user from a bearer token or the session cookie.
func (s *Server) authenticate(r *http.Request) (*auth.User, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || tok == "" {
			return nil, apperr.NewUnauthorized()
		}
		u, err := s.db.TokenUser(r.Context(), strings.TrimSpace(tok))
		if err != nil {
			return nil, err
		}
		return &u, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, apperr.NewUnauthorized()
	}
	u, err := s.db.SessionUser(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// clientAddr is the client's address: the peer's, or the one a trusted proxy names in
// X-Forwarded-For (auth.ClientAddr).
func clientAddr(r *http.Request) string {
	if ex := exchangeOf(r); ex != nil && len(ex.proxies) > 0 {
		return auth.ClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), ex.proxies)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// metricsGuard serves the metrics only to a request with the metrics token, when there is
// one (compared in constant time).
func (s *Server) metricsGuard(next http.Handler) http.Handler {
	if s.metricsToken == "" {
		return next
	}
	want := sha256.Sum256([]byte(s.metricsToken))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		got := sha256.Sum256([]byte(strings.TrimSpace(tok)))
		if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			s.fail(w, r, apperr.NewUnauthorized())
			return
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	ex     *exchange
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	if n > 0 && w.ex != nil {
		w.ex.began = true
	}
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "fugong_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "fugong_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// observe logs each request (never its body or query, which may hold personal data)
// and counts it by route pattern.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ex := &exchange{proxies: s.proxies}
		sw := &statusWriter{ResponseWriter: w, ex: ex}
		r = r.WithContext(context.WithValue(r.Context(), exchangeKey, ex))
		served := false
		defer func() {
			if served && ex.cut != 0 {
				// Logged and counted: the client sees its download broken off rather
				// than whole.
				panic(http.ErrAbortHandler)
			}
		}()
		if len(s.proxies) == 0 && r.Header.Get("X-Forwarded-For") != "" {
			s.forwardedOnce.Do(func() {
				s.log.Warn("requests carry X-Forwarded-For but no trusted proxies are set: every client behind the proxy counts as the proxy's address; set --trusted-proxies")
			})
		}
		next.ServeHTTP(sw, r)
		served = true
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		if ex.cut != 0 {
			sw.status = ex.cut
		}
		if ex.gone || ex.bodyBroken || r.Context().Err() != nil {
			sw.status = statusClientGone
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		s.metrics.duration.WithLabelValues(route).Observe(d.Seconds())
		if sw.status == statusClientGone {
			s.log.Info("client disconnected", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", d.Milliseconds())
			return
		}
		level := slog.LevelDebug
		if sw.status >= 500 {
			level = slog.LevelError
		} else if r.Method != http.MethodGet && (sw.status >= 300 || !s.quiet[route]) {
			level = slog.LevelInfo
		}
		if !s.log.Enabled(r.Context(), level) {
			return
		}
		s.log.Log(r.Context(), level, "http", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", d.Milliseconds())
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				s.fail(w, r, &apperr.Error{Kind: apperr.Internal})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func securityHeaders(next http.Handler) http.Handler {
	// The same values on every answer, built once (keys in canonical form; net/http only
	// reads these slices).
	fixed := http.Header{}
	fixed.Set("X-Content-Type-Options", "nosniff")
	fixed.Set("X-Frame-Options", "DENY")
	fixed.Set("Referrer-Policy", "same-origin")
	fixed.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range fixed {
			h[k] = v
		}
		next.ServeHTTP(w, r)
	})
}
