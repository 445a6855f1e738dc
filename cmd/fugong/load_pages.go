package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"fugong/internal/auth"
	"fugong/internal/loadgen"
)

// The pages scenario's defaults: the accounts of a generated city, and a shorter, lighter
// run per route than the daily loop's.
var pageUsers = []string{"city", "county", "town", "enterprise"}

const (
	pageDuration = 5 * time.Second
	pageWorkers  = 16
	// exportWorkers is how many clients ask for an export at once.
	exportWorkers = 2
	// pageTimeout is the longest a page or an export may take before it counts as an error.
	pageTimeout = 2 * time.Minute
)

// pageRoute is one route the pages scenario measures.
type pageRoute struct {
	path   string // with its query
	export bool   // an .xlsx export: few clients, a bounded count
}

// pageRoutes are the main pages and the first page of the JSON lists, in the order of
// the daily work, then the exports. Every one is a GET that changes nothing.
var pageRoutes = []pageRoute{
	{path: "/dashboard"},
	{path: "/api/v1/dashboard"},
	{path: "/enterprises"},
	{path: "/api/v1/enterprises?page=1"},
	{path: "/applications"},
	{path: "/api/v1/applications?page=1"},
	{path: "/roster"},
	{path: "/api/v1/employees?page=1"},
	{path: "/passes"},
	{path: "/api/v1/passes?page=1"},
	{path: "/reports/daily"},
	{path: "/api/v1/reports/daily?page=1"},
	{path: "/registers/temperature"},
	{path: "/api/v1/health-checks/register"},
	{path: "/registers/gate"},
	{path: "/api/v1/gate/register"},
	{path: "/ledgers"},
	{path: "/api/v1/ledgers/disinfection?page=1"},
	{path: "/audit"},
	{path: "/api/v1/audit?page=1"},
	{path: "/supervision"},
	{path: "/api/v1/inspections?page=1"},
	{path: "/rectifications"},
	{path: "/api/v1/rectifications?page=1"},
	{path: "/alerts"},
	{path: "/api/v1/alerts?page=1"},
	{path: "/roster/export", export: true},
	{path: "/api/v1/statistics/resumption.xlsx", export: true},
}

// parseUsers reads the comma-separated --users.
func parseUsers(s string) ([]string, error) {
	var names []string
	seen := map[string]bool{}
	for n := range strings.SplitSeq(s, ",") {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		names = append(names, n)
	}
	if len(names) == 0 {
		return nil, usagef("--users %q: name at least one account, e.g. --users command,town,enterprise", s)
	}
	if len(names) > 100 {
		return nil, usagef("--users: %d accounts; name at most 100", len(names))
	}
	return names, nil
}

// pagesRun is one run of the pages scenario.
type pagesRun struct {
	a        *app
	base     string
	workers  int
	duration time.Duration
	exports  int // at most this many requests to each export
	client   *http.Client
}

// pageAccount is an account signed in for the pages scenario.
type pageAccount struct {
	user    string
	role    string
	session string
}

// pageRow is one line of the table: an account's route, measured or forbidden.
type pageRow struct {
	acct      pageAccount
	route     pageRoute
	forbidden bool
	res       loadgen.Result
}

func (p *pagesRun) run(ctx context.Context, users []string, password string) error {
	p.client = loadgen.Client(p.workers, max(p.duration, pageTimeout), dialLoopback)
	defer p.client.CloseIdleConnections()
	w := p.a.stdout
	exports := "no exports"
	if p.exports > 0 {
		exports = fmt.Sprintf("exports from %d clients, at most %d requests each", min(exportWorkers, p.workers), p.exports)
	}
	fmt.Fprintf(w, "fugong load --scenario pages: %s, %d workers, %v a route; %s\n", p.base, p.workers, p.duration, exports)

	var accts []pageAccount
	for _, u := range users {
		session, err := signIn(ctx, p.client, p.base, u, password)
		var refused signInRefused
		if errors.As(err, &refused) {
			fmt.Fprintf(w, "skipped %s: %v\n", u, err)
			continue
		}
		if err != nil {
			return err
		}
		role, err := p.role(ctx, session)
		if err != nil {
			return fmt.Errorf("%s: %w", u, err)
		}
		accts = append(accts, pageAccount{user: u, role: role, session: session})
	}
	if len(accts) == 0 {
		return fmt.Errorf("none of the accounts %s could sign in at %s: name the server's accounts with --users "+
			"(the demo's: --users command,town,enterprise) and their password with --password", strings.Join(users, ", "), p.base)
	}

	uw, rw := len("USER"), len("ROLE")
	for _, ac := range accts {
		uw, rw = max(uw, len(ac.user)), max(rw, len(ac.role))
	}
	row := func(r pageRow) {
		name := "GET " + r.route.path
		if r.forbidden {
			fmt.Fprintf(w, "%-*s  %-*s  %-40s  %8s  %8s  %9s  %9s  %9s  %6s  %10s  forbidden (403)\n", uw, r.acct.user, rw, r.acct.role, name,
				"-", "-", "-", "-", "-", "-", "-")
			return
		}
		fmt.Fprintf(w, "%-*s  %-*s  %-40s  %8d  %8.1f  %9s  %9s  %9s  %6d  %10.0f\n", uw, r.acct.user, rw, r.acct.role, name,
			r.res.Requests, r.res.PerSecond(), fmtLatency(r.res.Percentile(50)), fmtLatency(r.res.Percentile(95)),
			fmtLatency(r.res.Percentile(99)), r.res.Errors, r.res.MeanBytes())
	}
	fmt.Fprintf(w, "\n%-*s  %-*s  %-40s  %8s  %8s  %9s  %9s  %9s  %6s  %10s\n", uw, "USER", rw, "ROLE", "ROUTE",
		"REQUESTS", "REQ/S", "P50", "P95", "P99", "ERRORS", "MEAN BYTES")

	var rows []pageRow
	for _, ac := range accts {
		header := http.Header{"Cookie": {sessionCookie + "=" + ac.session}}
		for _, rt := range pageRoutes {
			if ctx.Err() != nil {
				break
			}
			if rt.export && p.exports == 0 {
				continue
			}
			r := pageRow{acct: ac, route: rt}
			do := loadgen.Gets(p.base+rt.path, header)
			if p.forbidden(ctx, do(0)) {
				r.forbidden = true
			} else if rt.export {
				r.res = loadgen.Run(ctx, p.client, p.exports, min(exportWorkers, p.workers), p.duration, do)
			} else {
				r.res = loadgen.Run(ctx, p.client, 0, p.workers, p.duration, do)
			}
			row(r)
			rows = append(rows, r)
		}
	}

	measured, forbidden, errs := 0, 0, 0
	for _, r := range rows {
		switch {
		case r.forbidden:
			forbidden++
		default:
			measured++
			errs += r.res.Errors
			if r.res.First != nil {
				fmt.Fprintf(p.a.stderr, "first error of %s GET %s: %s\n", r.acct.user, r.route.path, strings.TrimSpace(r.res.First.String()))
			}
		}
	}
	fmt.Fprintf(w, "\n%d accounts, %d routes measured, %d forbidden to the account, %d errors\n", len(accts), measured, forbidden, errs)
	if ctx.Err() != nil {
		return errors.New("interrupted")
	}
	if errs > 0 {
		return exitCode(exitFail)
	}
	return nil
}

// role asks the server for the signed-in account's role.
func (p *pagesRun) role(ctx context.Context, session string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+"/api/v1/me", nil)
	if err != nil {
		return "", err
	}
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	resp, err := p.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("GET /api/v1/me: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET /api/v1/me: %s: %s", resp.Status, strings.TrimSpace(string(body[:min(len(body), 512)])))
	}
	var me auth.User
	if err := json.Unmarshal(body, &me); err != nil || me.Role == "" {
		return "", fmt.Errorf("GET /api/v1/me: no role in the answer; is this a Fugong server?")
	}
	return string(me.Role), nil
}

// forbidden tries a route once: true when the account may not open it (403). Any other
// answer is left to the measurement, which counts what is not 2xx as errors.
func (p *pagesRun) forbidden(ctx context.Context, req *http.Request) bool {
	if req == nil {
		return false
	}
	resp, err := p.client.Do(req.WithContext(ctx))
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusForbidden
}
