package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fugong/internal/demo"
	"fugong/internal/loadgen"
)

// loadPassPage is how many active passes the load command fetches (the API's largest page).
const loadPassPage = 200

func loadCommand() *command {
	return &command{
		name:    "load",
		zh:      "压力测试",
		summary: "Drive a Fugong server on this machine with the daily loop, or with every role's pages",
		details: `
Signs in to a running Fugong server on this machine and measures it. Two scenarios:

--scenario daily (the default) fetches the active entry passes its account sees, and
then measures, over --rounds rounds, each phase against a baseline run just before it,
each run lasting --duration (or --requests requests, whichever comes first) from
--workers concurrent clients over kept-alive connections:

  bare     a bare net/http JSON handler started in this process on 127.0.0.1: the
           baseline, measured next to every phase so that a busy machine fools nobody
  checkin  POST /api/v1/health-checks, a temperature for each pass's person in turn
  scan     POST /api/v1/gate/scan, each pass's token with a temperature

Every request body is built before the clock starts. Every temperature is below the
fever line (36.0 to 36.4), so no pass is suspended. It prints a line per round and
phase (requests per second of the phase and of its baseline, and the share), then per
phase the requests, the errors, the requests per second, the median and 99th
percentile latency over all rounds, the median of the rounds' shares of the baseline
(the figure to report) and their spread. An answer other than 2xx is an error; the
first one is printed with its status and body, and the exit code is 1.

It writes real health checks and gate entries into the server's database: point it
at the demo ("fugong demo"), not at a server in use. The account needs roster.view,
health.declare and gate.scan, and active passes in its scope; sign in with --user and
--password like the login page, or give an API token with --token.

--scenario pages only reads. It signs in as each of --users (the accounts of a
generated city by default; with the demo, e.g. --users command,town,enterprise), all
with --password, and for each account in turn requests the main pages and the first
page of the JSON lists, one route after another, each for --duration (default 5s) from
--workers clients (default 16): the dashboard, enterprises, applications, the roster
and /api/v1/employees?page=1, passes, daily reports, the temperature and gate
registers, ledgers, the audit trail, inspections, rectifications and alerts. Then the
roster and statistics exports (.xlsx), from 2 clients and at most --export-requests
requests each. Each route is tried once first: one the account may not open (403) is
listed as "forbidden" and not measured. It prints a line per account and route: the
requests, requests per second, the 50th, 95th and 99th percentile latency, the errors
(answers other than 2xx) and the mean size of an answer. An account that cannot sign
in is reported and skipped. Any error makes the exit code 1, as does no account
signing in.

Only loopback addresses (127.0.0.1, ::1, localhost) are accepted. Ctrl-C stops it.`,
		examples: []string{
			"fugong load",
			"fugong load --rounds 5 --duration 20s --workers 128",
			"fugong load --url http://127.0.0.1:9090 --token fgt_xxxx --only scan",
			"fugong load --scenario pages --users command,town,enterprise",
			"fugong load --scenario pages --duration 10s --workers 32",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			base := fs.String("url", "http://127.0.0.1:8080", "base `URL` of the Fugong server, on this machine")
			scenario := fs.String("scenario", "daily", "`name` of what to measure: daily (check-ins and scans against a bare handler) or pages (every role's pages and lists)")
			username := fs.String("user", "admin", "`name` of the account to sign in as (daily)")
			users := fs.String("users", strings.Join(pageUsers, ","), "`names` of the accounts to sign in as, comma-separated (pages)")
			password := fs.String("password", demo.Password, "the accounts' `password`")
			token := fs.String("token", "", "API `token` to use instead of signing in (daily)")
			rounds := fs.Int("rounds", 3, "`number` of rounds: in each, the baseline and then each phase run once (daily)")
			duration := fs.Duration("duration", 10*time.Second, "how long each run lasts (`time`; pages: 5s unless given)")
			requests := fs.Int("requests", 0, "at most this `number` of requests per run; 0: as many as --duration allows (daily)")
			workers := fs.Int("workers", 64, "`number` of concurrent clients, each on a kept-alive connection (pages: 16 unless given)")
			only := fs.String("only", "both", "`phases` after the baseline: checkin, scan or both (daily)")
			exports := fs.Int("export-requests", 4, "at most this `number` of requests to each export (pages)")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				set := map[string]bool{}
				fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
				var notHere []string
				switch *scenario {
				case "daily":
					notHere = []string{"users", "export-requests"}
				case "pages":
					notHere = []string{"user", "token", "rounds", "requests", "only"}
					if !set["duration"] {
						*duration = pageDuration
					}
					if !set["workers"] {
						*workers = pageWorkers
					}
				default:
					return usagef("--scenario %q: use daily or pages", *scenario)
				}
				for _, name := range notHere {
					if set[name] {
						return usagef("--%s does not apply to --scenario %s", name, *scenario)
					}
				}
				switch {
				case *rounds < 1 || *rounds > 100:
					return usagef("--rounds %d: give 1 to 100", *rounds)
				case *requests < 0 || *requests > 10_000_000:
					return usagef("--requests %d: give 0 (no limit) to 10000000", *requests)
				case *workers < 1 || *workers > 1024:
					return usagef("--workers %d: give 1 to 1024", *workers)
				case *duration <= 0:
					return usagef("--duration %v: give a positive time such as 30s", *duration)
				case *exports < 0 || *exports > 1000:
					return usagef("--export-requests %d: give 0 (no exports) to 1000", *exports)
				}
				u, err := loopbackURL(*base)
				if err != nil {
					return err
				}
				if *scenario == "pages" {
					names, err := parseUsers(*users)
					if err != nil {
						return err
					}
					p := &pagesRun{a: a, base: u, workers: *workers, duration: *duration, exports: *exports}
					return p.run(ctx, names, *password)
				}
				phases, ok := map[string][]string{"checkin": {"checkin"}, "scan": {"scan"}, "both": {"checkin", "scan"}}[*only]
				if !ok {
					return usagef("--only %q: use checkin, scan or both", *only)
				}
				l := &loadRun{a: a, base: u, workers: *workers, rounds: *rounds, requests: *requests, duration: *duration}
				return l.run(ctx, *username, *password, *token, phases)
			}
		},
	}
}

// loopbackURL checks that base is an http(s) URL of this machine and returns it
// without a trailing slash.
func loopbackURL(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", usagef("--url %q: give the server's base URL, e.g. http://127.0.0.1:8080", base)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	if !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return "", usagef("--url %q: %s is not this machine; fugong load only drives a server on a loopback address (127.0.0.1, ::1, localhost), never someone else's", base, host)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/"), nil
}

// dialLoopback connects only to this machine, whatever a name such as localhost resolves to.
func dialLoopback(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	if tcp, ok := c.RemoteAddr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		c.Close()
		return nil, fmt.Errorf("%s is not a loopback address; fugong load only drives a server on this machine", c.RemoteAddr())
	}
	return c, nil
}

// loadRun is one run of the load command.
type loadRun struct {
	a        *app
	base     string
	workers  int
	rounds   int
	requests int
	duration time.Duration
	client   *http.Client
	auth     func(*http.Request) // adds the session cookie or the token
}

// activePass is the part of a pass the load needs.
type activePass struct {
	EmployeeID int64  `json:"employee_id"`
	Token      string `json:"token"`
}

func (l *loadRun) run(ctx context.Context, username, password, token string, phases []string) error {
	// A request that takes longer than a whole run is an error, not a wait.
	l.client = loadgen.Client(l.workers, max(l.duration, 10*time.Second), dialLoopback)
	defer l.client.CloseIdleConnections()
	who := "token"
	if token != "" {
		l.auth = func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
	} else {
		if err := l.login(ctx, username, password); err != nil {
			return err
		}
		who = username
	}
	passes, err := l.activePasses(ctx, who)
	if err != nil {
		return err
	}

	bare, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("baseline handler: %w", err)
	}
	srv := &http.Server{Handler: loadgen.BareHandler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(bare)
	defer srv.Close()

	w := l.a.stdout
	limit := ""
	if l.requests > 0 {
		limit = fmt.Sprintf(" or %d requests", l.requests)
	}
	fmt.Fprintf(w, "fugong load: %s as %s, %d active passes, %d workers, %d rounds; in each round the baseline and then each phase run for %v%s\n\n",
		l.base, who, len(passes), l.workers, l.rounds, l.duration, limit)

	// Every body is built before the clock starts; temperatures run from 36.0 to 36.4.
	plain := http.Header{"Content-Type": {"application/json"}}
	authed := http.Header{"Content-Type": {"application/json"}}
	probe := &http.Request{Header: authed}
	l.auth(probe)
	var checkins, scans [][]byte
	for i := range 5 * len(passes) {
		p := passes[i%len(passes)]
		checkins = append(checkins, fmt.Appendf(nil, `{"employee_id": %d, "temperature": 36.%d}`, p.EmployeeID, i%5))
		scans = append(scans, fmt.Appendf(nil, `{"token": %s, "temperature": 36.%d}`, strconv.Quote(p.Token), i%5))
	}
	base := loadgen.Phase{Name: "bare", Do: loadgen.Posts("http://"+bare.Addr().String()+"/", plain, checkins)}
	var measured []loadgen.Phase
	for _, ph := range phases {
		switch ph {
		case "checkin":
			measured = append(measured, loadgen.Phase{Name: ph, Do: loadgen.Posts(l.base+"/api/v1/health-checks", authed, checkins)})
		case "scan":
			measured = append(measured, loadgen.Phase{Name: ph, Do: loadgen.Posts(l.base+"/api/v1/gate/scan", authed, scans)})
		}
	}

	fmt.Fprintf(w, "%-5s  %-8s  %8s  %6s  %9s  %10s  %9s\n", "ROUND", "PHASE", "REQUESTS", "ERRORS", "REQ/S", "BARE REQ/S", "% OF BARE")
	plan := loadgen.Plan{Rounds: l.rounds, Time: l.duration, Requests: l.requests, Workers: l.workers}
	cs := loadgen.Compare(ctx, l.client, plan, base, measured, func(phase string, p loadgen.Pair) {
		fmt.Fprintf(w, "%-5d  %-8s  %8d  %6d  %9.0f  %10.0f  %8.1f%%\n", p.Round, phase, p.Real.Requests, p.Real.Errors,
			p.Real.PerSecond(), p.Bare.PerSecond(), 100*p.Ratio())
	})

	fmt.Fprintf(w, "\n%-8s  %8s  %6s  %9s  %9s  %9s  %9s  %s\n", "PHASE", "REQUESTS", "ERRORS", "REQ/S", "P50", "P99", "% OF BARE", "SPREAD (MEDIAN OF ROUNDS, LOWEST–HIGHEST)")
	var all []loadgen.Pair
	for _, c := range cs {
		all = append(all, c.Pairs...)
	}
	row := func(name string, r loadgen.Result, share, spread string) {
		fmt.Fprintf(w, "%-8s  %8d  %6d  %9.0f  %9s  %9s  %9s  %s\n", name, r.Requests, r.Errors, r.PerSecond(),
			fmtLatency(r.Percentile(50)), fmtLatency(r.Percentile(99)), share, spread)
	}
	baseline := loadgen.Comparison{Phase: "bare", Pairs: all}.Bare()
	row("bare", baseline, "100.0%", "")
	type failed struct {
		phase string
		f     *loadgen.Failure
	}
	var failures []failed
	if baseline.First != nil {
		failures = append(failures, failed{"bare", baseline.First})
	}
	for _, c := range cs {
		lo, hi := c.Spread()
		real := c.Real()
		row(c.Phase, real, fmt.Sprintf("%.1f%%", 100*c.Median()), fmt.Sprintf("%.1f–%.1f%%", 100*lo, 100*hi))
		if real.First != nil {
			failures = append(failures, failed{c.Phase, real.First})
		}
	}
	for _, f := range failures {
		fmt.Fprintf(l.a.stderr, "first error of %s: %s\n", f.phase, strings.TrimSpace(f.f.String()))
	}
	if ctx.Err() != nil {
		return errors.New("interrupted")
	}
	if len(failures) > 0 {
		return exitCode(exitFail)
	}
	return nil
}

// login signs in and keeps the session cookie for the daily loop's requests.
func (l *loadRun) login(ctx context.Context, username, password string) error {
	session, err := signIn(ctx, l.client, l.base, username, password)
	if err != nil {
		return err
	}
	l.auth = func(r *http.Request) { r.AddCookie(&http.Cookie{Name: sessionCookie, Value: session}) }
	return nil
}

// sessionCookie is the name of Fugong's session cookie.
const sessionCookie = "fugong_session"

// signInRefused is a sign-in the server refused (as opposed to a server out of reach).
type signInRefused struct{ error }

// signIn signs in through the login form, as a same-origin browser would (a plain client
// sends no Origin header and passes the cross-origin check), and returns the session
// cookie's value. A refusal is a signInRefused.
func signIn(ctx context.Context, client *http.Client, base, username, password string) (string, error) {
	form := url.Values{"username": {username}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("cannot reach %s: %w (is the server running? start one with \"fugong demo\")", base, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	session := ""
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			session = c.Value
		}
	}
	switch {
	case resp.StatusCode == http.StatusSeeOther && session != "":
		return session, nil
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnprocessableEntity:
		return "", signInRefused{fmt.Errorf("sign-in as %q at %s refused (%s): wrong user name or password? (the demo's accounts have the password %s)", username, base, resp.Status, demo.Password)}
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusLocked:
		return "", signInRefused{fmt.Errorf("sign-in as %q at %s refused (%s): the account may be locked or disabled", username, base, resp.Status)}
	default:
		return "", signInRefused{fmt.Errorf("sign-in as %q at %s: unexpected answer %s; is this a Fugong server?", username, base, resp.Status)}
	}
}

// activePasses fetches the active passes the account sees, with their tokens.
func (l *loadRun) activePasses(ctx context.Context, who string) ([]activePass, error) {
	u := fmt.Sprintf("%s/api/v1/passes?status=active&size=%d", l.base, loadPassPage)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	l.auth(req)
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach %s: %w (is the server running? start one with \"fugong demo\")", l.base, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return nil, fmt.Errorf("the server does not accept the %s (%s): check --token, or sign in with --user and --password", map[bool]string{true: "token", false: "session"}[who == "token"], resp.Status)
	case http.StatusForbidden:
		return nil, fmt.Errorf("%s may not list passes (%s): use an account with roster.view, health.declare and gate.scan", who, resp.Status)
	default:
		return nil, fmt.Errorf("GET /api/v1/passes: %s: %s", resp.Status, strings.TrimSpace(string(body[:min(len(body), 512)])))
	}
	var list struct {
		Items []activePass `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("GET /api/v1/passes: %w", err)
	}
	var passes []activePass
	for _, p := range list.Items {
		if p.EmployeeID != 0 && p.Token != "" {
			passes = append(passes, p)
		}
	}
	if len(passes) == 0 {
		return nil, fmt.Errorf("%s sees no active passes at %s: nothing to check in or scan. Run \"fugong demo\" first, "+
			"and sign in as an account whose scope holds active passes (in the demo, admin)", who, l.base)
	}
	return passes, nil
}

// fmtLatency prints a latency in milliseconds with three significant digits or so.
func fmtLatency(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 10:
		return fmt.Sprintf("%.2fms", ms)
	case ms < 100:
		return fmt.Sprintf("%.1fms", ms)
	default:
		return fmt.Sprintf("%.0fms", ms)
	}
}
