package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
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

const (
	userKey ctxKey = iota
	langKey
)

// user returns the signed-in user of the request, or nil.
func user(r *http.Request) *auth.User {
	u, _ := r.Context().Value(userKey).(*auth.User)
	return u
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
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &apperr.Error{Kind: apperr.NotFound, Message: "页面不存在", MessageEN: "No such page"})
	})
	var h http.Handler = mux
	h = s.observe(h) // next to the mux, which sets r.Pattern on the request observe holds
	h = s.withLang(h)
	// CSRF: browsers' cross-origin form posts are refused; API clients (no Origin or
	// Sec-Fetch-Site headers) and same-origin pages pass.
	h = http.NewCrossOriginProtection().Handler(h)
	return s.recoverer(securityHeaders(h))
}

// guard authenticates the request and checks the route's permission before the handler.
func (s *Server) guard(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
		if u != nil {
			r = r.WithContext(context.WithValue(r.Context(), userKey, u))
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
		if err := checkRequest(r, rt); err != nil {
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

// clientAddr is the peer address without the port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type statusWriter struct {
	http.ResponseWriter
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
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		s.metrics.duration.WithLabelValues(route).Observe(d.Seconds())
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
