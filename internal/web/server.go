// Package web serves Fugong's pages and JSON API from one route table.
package web

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"embed"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/files"
	"fugong/internal/policy"
	"fugong/internal/sign"
	"fugong/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config wires a Server.
type Config struct {
	DB     *store.DB
	Policy *policy.Policy
	Logger *slog.Logger
	// SecureCookies marks the session cookie Secure (set when served over HTTPS).
	SecureCookies bool
	// Version is the build's version, shown in the footer and /healthz.
	Version string
	// Signer signs notices and letters; nil makes a throwaway key (tests).
	Signer *sign.Signer
	// Files keeps uploads; nil keeps them in a temporary directory (tests).
	Files *files.Store
	// Crypt seals ID numbers at rest; nil makes a throwaway key (tests).
	Crypt *crypt.Box
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client (for
	// login throttling and the audit trail); without any, the header is ignored.
	TrustedProxies auth.Proxies
	// MetricsToken is the bearer token the Prometheus metrics ask for. Without one, the
	// main address serves no metrics.
	MetricsToken string
	// MetricsOwnListener serves the metrics only from MetricsHandler, on an address of
	// their own, never on the main one.
	MetricsOwnListener bool
}

// Server holds what the handlers need; it has no global state.
type Server struct {
	db      *store.Store
	pol     *policy.Policy
	log     *slog.Logger
	secure  bool
	version string
	pages   map[string]map[string]*pageTemplate // lang → page → template
	static  *staticFiles
	metrics *metrics
	verify  *sign.Verifier
	pub     ed25519.PublicKey // of the key that signs notices, letters and passes
	files   *files.Store
	routes  []Route
	quiet   map[string]bool // route patterns whose successes are logged at debug level
	handler http.Handler
	jobs    sync.WaitGroup // background imports, waited for on Close
	started time.Time

	tipKey        []byte       // signs the public tip form's tokens (tips.go)
	proxies       auth.Proxies // whose X-Forwarded-For is believed
	forwardedOnce sync.Once    // the warning that X-Forwarded-For is being ignored
	// The Prometheus metrics, behind their token when there is one.
	metricsToken       string
	metricsOwnListener bool
	metricsHandler     http.Handler
}

// New builds the server and checks that every page it names has a template.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{pol: cfg.Policy, log: cfg.Logger, secure: cfg.SecureCookies, version: cfg.Version, started: time.Now()}
	s.proxies, s.metricsToken, s.metricsOwnListener = cfg.TrustedProxies, cfg.MetricsToken, cfg.MetricsOwnListener
	var err error
	signer := cfg.Signer
	if signer == nil {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		signer = sign.NewSigner(priv)
	}
	s.pub = signer.PublicKey()
	s.tipKey = tipFormKey(signer)
	s.verify = sign.NewVerifier(s.pub)
	s.db = store.New(cfg.DB, store.Config{Policy: cfg.Policy, Signer: signer, Box: cfg.Crypt})
	if s.files = cfg.Files; s.files == nil {
		dir, err := os.MkdirTemp("", "fugong-files-")
		if err != nil {
			return nil, err
		}
		if s.files, err = files.New(dir); err != nil {
			return nil, err
		}
	}
	if s.static, err = loadStatic(staticFS); err != nil {
		return nil, err
	}
	if s.pages, err = loadPages(templateFS, s.static, s.pol.Location()); err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.metrics = newMetrics(reg)
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "fugong_group_commits_total", Help: "Shared transactions committed for readings and gate scans."},
			func() float64 { c, _ := s.db.GroupStats(); return float64(c) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "fugong_group_commit_changes_total", Help: "Readings and gate scans those transactions carried."},
			func() float64 { _, n := s.db.GroupStats(); return float64(n) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "fugong_audit_waiting", Help: "Audit rows committed with their change and not chained into the trail yet (PostgreSQL; -1 when they cannot be counted). Chained within moments; a number that stays up means the chaining fails."},
			func() float64 {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				h, err := s.db.AuditHead(ctx)
				if err != nil {
					return -1
				}
				return float64(h.Waiting)
			}))
	s.routes = s.routeTable()
	s.handler = s.buildHandler(reg)
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// MetricsHandler serves the Prometheus metrics (behind the metrics token, when there is
// one), for a listener of their own.
func (s *Server) MetricsHandler() http.Handler { return s.metricsHandler }

// Routes returns the route table (for tests and the OpenAPI document).
func (s *Server) Routes() []Route { return s.routes }

// Wait blocks until background jobs (imports) have finished or ctx ends.
func (s *Server) Wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { s.jobs.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}
