package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/files"
	"fugong/internal/policy"
	"fugong/internal/sign"
	"fugong/internal/store"
	"fugong/internal/web"
)

// Timeouts of the HTTP server. Uploads (spreadsheets up to 64 MiB) and exports may take a
// while on a slow county network; headers may not.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 10 * time.Minute
	writeTimeout      = 10 * time.Minute
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 30 * time.Second
)

// serveConfig is what serve needs besides the listener.
type serveConfig struct {
	db            dbFlags
	policyFile    string
	secureCookies bool
	logLevel      string
	// Behind a reverse proxy, and the metrics.
	trustedProxies auth.Proxies
	metricsToken   string
	metricsLn      net.Listener // the metrics' own address, if any
}

// minMetricsToken is the shortest metrics token accepted.
const minMetricsToken = 16

func serveCommand() *command {
	return &command{
		name:    "serve",
		zh:      "启动服务",
		summary: "Start the web server and JSON API",
		details: `
Serves the web pages (Chinese by default, English on request) and the JSON API under
/api/v1. Data lives in a SQLite file under --data unless --db names a PostgreSQL
database (postgres://…); several instances may then share it behind a load balancer.
Pending database migrations are applied at start. A policy file with problems stops
start-up, listing every problem with its line. Logs are JSON lines on stderr.
Ten minutes after midnight in the policy's time zone (or at start, for a day missed
while down) it suspends the passes of people who missed the previous day's checks;
with several instances, one of them does. Every hour (when the audit trail has grown)
and at shutdown it signs the head of the audit trail into audit-checkpoints in the data
directory (see "fugong audit verify").
A SQLite file is served by one process at a time: a second server, demo or command that
writes on the same file is refused (a lock file next to the database, fugong.db.lock,
held while the process runs); commands that only read may run beside it. Several
instances need PostgreSQL.
SIGINT or SIGTERM stops accepting requests, lets running ones and background imports
finish (up to 30 s), then closes the database.

Behind a reverse proxy, list it in --trusted-proxies: login throttling then counts each
client by the address the proxy writes in X-Forwarded-For (the right-most one that is not
a trusted proxy); from any other peer the header is ignored.

Prometheus metrics are served at /metrics only when asked for: on the main address with
--metrics-token (scraped with "Authorization: Bearer TOKEN"), or on an address of their
own with --metrics-addr (with the token too, when one is set). Without either there are
none. Prefer the environment variable for the token: the command line is visible to
every user of the machine.

Every flag may also be set by its environment variable; a flag given on the command
line wins.`,
		examples: []string{
			"fugong serve",
			"fugong serve --addr 0.0.0.0:8080 --data /var/lib/fugong --secure-cookies",
			"FUGONG_DB=postgres://fugong:secret@db.internal/fugong fugong serve --policy /etc/fugong/policy.toml",
			"fugong serve --secure-cookies --trusted-proxies 10.0.0.5 --metrics-addr 127.0.0.1:9090",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			var cfg serveConfig
			addr := fs.String("addr", a.env("FUGONG_ADDR", "127.0.0.1:8080"), "listen `address` host:port (env FUGONG_ADDR)")
			a.registerDB(fs, &cfg.db)
			fs.StringVar(&cfg.policyFile, "policy", a.env("FUGONG_POLICY", ""), "local policy TOML `file` (env FUGONG_POLICY; default the embedded policy)")
			secure, envErr := a.envBool("FUGONG_SECURE_COOKIES")
			fs.BoolVar(&cfg.secureCookies, "secure-cookies", secure, "mark cookies Secure, for serving over HTTPS behind a proxy (env FUGONG_SECURE_COOKIES)")
			fs.StringVar(&cfg.logLevel, "log-level", a.env("FUGONG_LOG_LEVEL", "info"), "`level` of logging: debug, info, warn or error (env FUGONG_LOG_LEVEL)")
			proxies := fs.String("trusted-proxies", a.env("FUGONG_TRUSTED_PROXIES", ""), "reverse `proxies` whose X-Forwarded-For is believed: CIDR blocks or addresses, comma-separated (env FUGONG_TRUSTED_PROXIES)")
			// The token is no flag default: the usage would print it.
			fs.StringVar(&cfg.metricsToken, "metrics-token", "", "bearer `token` that /metrics asks for, at least 16 characters (env FUGONG_METRICS_TOKEN)")
			metricsAddr := fs.String("metrics-addr", a.env("FUGONG_METRICS_ADDR", ""), "serve /metrics on this `address` host:port only, e.g. 127.0.0.1:9090 (env FUGONG_METRICS_ADDR)")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if envErr != nil {
					return envErr
				}
				if cfg.metricsToken == "" {
					cfg.metricsToken = a.env("FUGONG_METRICS_TOKEN", "")
				}
				var err error
				if cfg.trustedProxies, err = auth.ParseProxies(*proxies); err != nil {
					return usagef("--trusted-proxies: %s", problemsEN(err))
				}
				if t := cfg.metricsToken; t != "" && (len(t) < minMetricsToken || strings.TrimSpace(t) != t) {
					return usagef("--metrics-token: use at least %d characters, without spaces around them", minMetricsToken)
				}
				log, err := newLogger(a, cfg.logLevel)
				if err != nil {
					return err
				}
				pol, err := a.loadPolicy(cfg.policyFile)
				if err != nil {
					return err
				}
				ln, err := net.Listen("tcp", *addr)
				if err != nil {
					return err
				}
				if *metricsAddr != "" {
					if cfg.metricsLn, err = net.Listen("tcp", *metricsAddr); err != nil {
						ln.Close()
						return fmt.Errorf("--metrics-addr: %w", err)
					}
				}
				return a.serve(ctx, ln, cfg, pol, log)
			}
		},
	}
}

// newLogger is the JSON logger on stderr at the level named.
func newLogger(a *app, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level %q: use debug, info, warn or error", level)
	}
	return slog.New(slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: l})), nil
}

// loadPolicy loads the policy file, or the embedded default for "". A file with
// problems is reported line by line on stderr and ends the command with exit code 1.
func (a *app) loadPolicy(path string) (*policy.Policy, error) {
	if path == "" {
		return policy.Default(), nil
	}
	pol, problems, err := policy.Load(path)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	if len(problems) > 0 {
		fmt.Fprintf(a.stderr, "fugong: the policy file %s has %d problem(s); fix them and start again:\n", path, len(problems))
		printProblems(a.stderr, problems)
		return nil, exitCode(exitFail)
	}
	return pol, nil
}

// serve opens and migrates the database, serves on ln until ctx ends, shuts down
// gracefully and closes the database. It takes the listener so that tests can serve on a
// free port.
func (a *app) serve(ctx context.Context, ln net.Listener, cfg serveConfig, pol *policy.Policy, log *slog.Logger) error {
	if cfg.metricsLn != nil {
		defer cfg.metricsLn.Close() // closed by then unless start-up failed
	}
	db, applied, err := openDB(ctx, &cfg.db)
	if err != nil {
		ln.Close()
		return err
	}
	defer db.Close()
	schema, err := db.SchemaVersion(ctx)
	if err != nil {
		ln.Close()
		return err
	}
	log.Info("fugong starting", "version", version(), "engine", db.Engine, "schema_version", schema,
		"migrations_applied", len(applied), "policy", pol.Locality.NameEN, "policy_source", pol.Source,
		"policy_version", pol.Version)
	return serveWith(ctx, ln, db, pol, log, cfg, cfg.db.data)
}

// serveHTTP serves Fugong on ln until ctx ends, then stops accepting requests, waits for
// the running ones (http.Server.Shutdown) and for background imports, each bounded by
// shutdownTimeout. The caller closes db afterwards.
//
// The signing key of notices and letters and the uploaded files live in the data
// directory: several instances sharing one PostgreSQL database share it too.
func serveHTTP(ctx context.Context, ln net.Listener, db *store.DB, pol *policy.Policy, log *slog.Logger, secure bool, dataDir string) error {
	return serveWith(ctx, ln, db, pol, log, serveConfig{secureCookies: secure}, dataDir)
}

// serveWith is serveHTTP with the settings of a server behind a proxy and its metrics.
func serveWith(ctx context.Context, ln net.Listener, db *store.DB, pol *policy.Policy, log *slog.Logger, cfg serveConfig, dataDir string) error {
	db.Log = log
	secure := cfg.secureCookies
	signer, err := sign.LoadOrCreateKey(filepath.Join(dataDir, "signing-key.pem"))
	if err != nil {
		ln.Close()
		return err
	}
	fs, err := files.New(filepath.Join(dataDir, "files"))
	if err != nil {
		ln.Close()
		return err
	}
	log.Info("signing key", "key_id", signer.KeyID(), "public_key", sign.PublicKeyText(signer.PublicKey()))
	idKey, err := crypt.LoadOrCreateKey(filepath.Join(dataDir, "id-key"))
	if err != nil {
		ln.Close()
		return err
	}
	h, err := web.New(web.Config{DB: db, Policy: pol, Logger: log, SecureCookies: secure, Version: version(), Signer: signer, Files: fs, Crypt: idKey,
		TrustedProxies: cfg.trustedProxies, MetricsToken: cfg.metricsToken, MetricsOwnListener: cfg.metricsLn != nil})
	if err != nil {
		ln.Close()
		return err
	}
	stopMetrics := serveMetrics(cfg, h, log)
	defer stopMetrics()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	dailyCtx, stopDaily := context.WithCancel(ctx)
	dailyDone := make(chan struct{})
	go func() {
		defer close(dailyDone)
		runDaily(dailyCtx, store.New(db, store.Config{Policy: pol, Signer: signer, Box: idKey, Files: fs}), db.Now, log)
	}()
	defer func() { stopDaily(); <-dailyDone }()
	// Signed checkpoints of the audit trail: every hour, and a last one once the requests
	// are done (stopCheckpoints, after the shutdown below or on an early return).
	cpCtx, cancelCheckpoints := context.WithCancel(context.Background())
	cpDone := make(chan struct{})
	go func() { defer close(cpDone); newCheckpointer(db, signer, dataDir).run(cpCtx, checkpointInterval, log) }()
	stopCheckpoints := func() { cancelCheckpoints(); <-cpDone }
	defer stopCheckpoints()
	log.Info("listening", "addr", ln.Addr().String(), "url", baseURL(ln.Addr()))

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	if err != nil {
		log.Warn("requests still running at shutdown timeout; closing them", "error", err.Error())
		srv.Close()
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		log.Warn("serve", "error", serr.Error())
	}
	h.Wait(sctx)
	if sctx.Err() != nil {
		log.Warn("background imports still running at shutdown timeout")
	}
	stopCheckpoints()
	log.Info("stopped")
	return nil
}

// problemsEN is an error's problems in English, one after another.
func problemsEN(err error) string {
	e, ok := apperr.As(err)
	if !ok || len(e.Problems) == 0 {
		return err.Error()
	}
	var ps []string
	for _, p := range e.Problems {
		ps = append(ps, p.MessageEN)
	}
	return strings.Join(ps, "; ")
}

// serveMetrics serves the metrics on their own listener, if there is one, until the
// function it returns is called; otherwise it says where they are.
func serveMetrics(cfg serveConfig, h *web.Server, log *slog.Logger) (stop func()) {
	if cfg.metricsLn == nil {
		if cfg.metricsToken != "" {
			log.Info("metrics", "at", "/metrics on the main address, with the metrics token")
		} else {
			log.Info("metrics", "at", "nowhere: set --metrics-token or --metrics-addr to scrape them")
		}
		return func() {}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h.MetricsHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: time.Minute, WriteTimeout: time.Minute,
		IdleTimeout: idleTimeout, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(cfg.metricsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("metrics", "error", err.Error())
		}
	}()
	log.Info("metrics", "at", "http://"+cfg.metricsLn.Addr().String()+"/metrics", "token", cfg.metricsToken != "")
	return func() {
		srv.Close()
		<-done
	}
}

// baseURL is the address a browser on this machine uses to reach a listener.
func baseURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	host := tcp.IP.String()
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}
