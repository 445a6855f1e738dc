package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// loadRows reads the table of "fugong load": phase → requests, errors.
func loadRows(t *testing.T, out string) map[string][2]int {
	t.Helper()
	rows := map[string][2]int{}
	re := regexp.MustCompile(`(?m)^(bare|checkin|scan)\s+(\d+)\s+(\d+)\s+\d+\s+\S+ms\s+\S+ms\s+\d+\.\d%`)
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[2])
		e, _ := strconv.Atoi(m[3])
		rows[m[1]] = [2]int{n, e}
	}
	return rows
}

// activeCount is the number of active passes the header of "fugong load" names.
func activeCount(t *testing.T, out string) int {
	t.Helper()
	m := regexp.MustCompile(`, (\d+) active passes,`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no pass count in:\n%s", out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestLoadDemo drives an in-process demo server with small numbers.
func TestLoadDemo(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startDemo(t, dir)
	defer stop()
	waitHealthy(t, base)

	r := fugong(t, "", nil, "load", "--url", base, "--user", "admin", "--requests", "200", "--workers", "4", "--rounds", "2")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("load: %s", r)
	}
	rows := loadRows(t, r.stdout)
	// Two rounds, each running the baseline before each of the two phases.
	for phase, want := range map[string]int{"bare": 800, "checkin": 400, "scan": 400} {
		if got, ok := rows[phase]; !ok || got != [2]int{want, 0} {
			t.Errorf("%s: %v (requests, errors), want %d and no errors\n%s", phase, got, want, r)
		}
	}
	for _, line := range []string{"1      checkin", "1      scan", "2      checkin", "2      scan"} {
		if !strings.Contains(r.stdout, line) {
			t.Errorf("no line for round %q:\n%s", line, r)
		}
	}
	if !strings.Contains(r.stdout, "% OF BARE") || !strings.Contains(r.stdout, "100.0%") {
		t.Errorf("no share of the baseline:\n%s", r)
	}
	before := activeCount(t, r.stdout)

	// An API token works too, and one phase alone. No reading was a fever: every pass
	// is still active.
	tok := fugong(t, "", nil, "token", "create", "--data", dir, "--user", "admin", "--label", "load")
	if tok.code != 0 {
		t.Fatal(tok)
	}
	r = fugong(t, "", nil, "load", "--url", base, "--token", strings.TrimSpace(tok.stdout), "--requests", "50", "--workers", "2", "--rounds", "1", "--only", "scan")
	if r.code != 0 {
		t.Fatalf("load with a token: %s", r)
	}
	rows = loadRows(t, r.stdout)
	if _, ok := rows["checkin"]; ok || rows["scan"] != [2]int{50, 0} || rows["bare"] != [2]int{50, 0} {
		t.Errorf("--only scan: %v\n%s", rows, r)
	}
	if after := activeCount(t, r.stdout); after != before || after == 0 {
		t.Errorf("active passes: %d before, %d after the load", before, after)
	}

	// A wrong password is named as such.
	r = fugong(t, "", nil, "load", "--url", base, "--user", "admin", "--password", "not-the-password")
	if r.code != 1 || !strings.Contains(r.stderr, `sign-in as "admin"`) || !strings.Contains(r.stderr, "wrong user name or password") || r.stdout != "" {
		t.Errorf("wrong password: %s", r)
	}
	// A bad token too.
	r = fugong(t, "", nil, "load", "--url", base, "--token", "fgt_nonsense")
	if r.code != 1 || !strings.Contains(r.stderr, "does not accept the token") {
		t.Errorf("bad token: %s", r)
	}
	// An account that may not see passes.
	r = fugong(t, "", nil, "load", "--url", base, "--user", "reviewer")
	if r.code != 1 || !strings.Contains(r.stderr, "reviewer may not list passes") {
		t.Errorf("reviewer: %s", r)
	}
}

func TestLoadRefusesOtherMachines(t *testing.T) {
	for _, u := range []string{
		"http://example.com:8080", "http://10.0.0.1:8080", "https://192.168.1.20", "http://[2001:db8::1]:8080",
		"http://127.0.0.1.example.com", "http://0.0.0.0:8080", "http://localhost.example.com",
	} {
		r := fugong(t, "", nil, "load", "--url", u)
		if r.code != 2 || !strings.Contains(r.stderr, "is not this machine") || !strings.Contains(r.stderr, "loopback") || r.stdout != "" {
			t.Errorf("--url %s: %s", u, r)
		}
	}
	for _, u := range []string{"ftp://127.0.0.1/", "127.0.0.1:8080", "http://"} {
		if r := fugong(t, "", nil, "load", "--url", u); r.code != 2 || !strings.Contains(r.stderr, "give the server's base URL") {
			t.Errorf("--url %s: %s", u, r)
		}
	}
	for _, args := range [][]string{{"--only", "gate"}, {"--requests", "-1"}, {"--rounds", "0"}, {"--workers", "0"}, {"--duration", "0s"}, {"extra"}} {
		if r := fugong(t, "", nil, append([]string{"load"}, args...)...); r.code != 2 {
			t.Errorf("%v: %s", args, r)
		}
	}
}

// fakeServer answers the login, the pass list and the two routes like Fugong, with
// passes and a failure of its own choosing.
func fakeServer(t *testing.T, passes string, fail func(path, body string) int) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("username") != "admin" || r.FormValue("password") != "fugong-demo" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "fugong_session", Value: "s3cret", Path: "/"})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	authed := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if c, err := r.Cookie("fugong_session"); err != nil || c.Value != "s3cret" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			h(w, r)
		}
	}
	mux.HandleFunc("GET /api/v1/passes", authed(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("status") != "active" {
			t.Errorf("pass list query: %s", r.URL.RawQuery)
		}
		fmt.Fprintf(w, `{"items": %s, "total": 0}`, passes)
	}))
	post := authed(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &in); err != nil {
			t.Errorf("%s: %s: %v", r.URL.Path, b, err)
		}
		if temp, _ := in["temperature"].(float64); temp < 36 || temp >= 37 {
			t.Errorf("%s: temperature %v", r.URL.Path, in["temperature"])
		}
		if code := fail(r.URL.Path, string(b)); code != 0 {
			http.Error(w, `{"error": "refused"}`, code)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	mux.HandleFunc("POST /api/v1/health-checks", post)
	mux.HandleFunc("POST /api/v1/gate/scan", post)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts.URL
}

// Answers that are not 2xx are counted, the first is printed, and the exit code is 1.
func TestLoadCountsErrors(t *testing.T) {
	base := fakeServer(t, `[{"id": 1, "employee_id": 7, "token": "FG1.a.b"}, {"id": 2, "employee_id": 8, "token": "FG1.c.d"}]`,
		func(path, body string) int {
			if path == "/api/v1/gate/scan" && strings.Contains(body, "FG1.c.d") {
				return http.StatusConflict
			}
			return 0
		})
	r := fugong(t, "", nil, "load", "--url", base, "--requests", "40", "--workers", "3", "--rounds", "2")
	if r.code != 1 {
		t.Fatalf("exit code %d, want 1\n%s", r.code, r)
	}
	rows := loadRows(t, r.stdout)
	if rows["bare"] != [2]int{160, 0} || rows["checkin"] != [2]int{80, 0} || rows["scan"] != [2]int{80, 40} {
		t.Errorf("rows: %v\n%s", rows, r)
	}
	if !strings.Contains(r.stderr, "first error of scan: request ") || !strings.Contains(r.stderr, "HTTP 409 Conflict") || !strings.Contains(r.stderr, "refused") ||
		strings.Contains(r.stderr, "first error of checkin") {
		t.Errorf("stderr: %s", r)
	}
}

func TestLoadWithoutPasses(t *testing.T) {
	base := fakeServer(t, `[{"id": 1, "employee_id": 7, "status": "active"}]`, func(string, string) int { return 0 })
	r := fugong(t, "", nil, "load", "--url", base)
	if r.code != 1 || !strings.Contains(r.stderr, "admin sees no active passes") || !strings.Contains(r.stderr, `Run "fugong demo" first`) {
		t.Errorf("no passes: %s", r)
	}
	// Nothing listening.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r = fugong(t, "", nil, "load", "--url", "http://"+addr)
	if r.code != 1 || !strings.Contains(r.stderr, "cannot reach") || !strings.Contains(r.stderr, "is the server running?") {
		t.Errorf("no server: %s", r)
	}
}

// pageRows reads the table of "fugong load --scenario pages": user and route → requests
// and errors, or -1 and -1 for a route forbidden to the account.
func pageRows(t *testing.T, out string) map[[2]string][2]int {
	t.Helper()
	rows := map[[2]string][2]int{}
	measured := regexp.MustCompile(`^(\S+)\s+\S+\s+GET (\S+)\s+(\d+)\s+\d+\.\d\s+\S+ms\s+\S+ms\s+\S+ms\s+(\d+)\s+\d+$`)
	forbidden := regexp.MustCompile(`^(\S+)\s+\S+\s+GET (\S+)(?:\s+-){7}\s+forbidden \(403\)$`)
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\n")
		if m := measured.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[3])
			e, _ := strconv.Atoi(m[4])
			rows[[2]string{m[1], m[2]}] = [2]int{n, e}
		} else if m := forbidden.FindStringSubmatch(line); m != nil {
			rows[[2]string{m[1], m[2]}] = [2]int{-1, -1}
		}
	}
	return rows
}

// The pages scenario measures every route for every account that signs in, lists the
// routes an account may not open as forbidden, and skips an account that cannot sign in.
func TestLoadPages(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startDemo(t, dir)
	defer stop()
	waitHealthy(t, base)

	users := []string{"command", "town", "enterprise"}
	r := fugong(t, "", nil, "load", "--scenario", "pages", "--url", base, "--users", strings.Join(users, ",")+",nobody",
		"--duration", "50ms", "--workers", "2", "--export-requests", "1")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("load pages: %s", r)
	}
	if !strings.Contains(r.stdout, `skipped nobody: sign-in as "nobody"`) || !strings.Contains(r.stdout, "wrong user name or password") {
		t.Errorf("the account that cannot sign in is not reported:\n%s", r.stdout)
	}
	for _, col := range []string{"USER", "ROLE", "ROUTE", "REQUESTS", "REQ/S", "P50", "P95", "P99", "ERRORS", "MEAN BYTES"} {
		if !strings.Contains(r.stdout, col) {
			t.Errorf("no column %s:\n%s", col, r.stdout)
		}
	}
	rows := pageRows(t, r.stdout)
	if len(rows) != len(users)*len(pageRoutes) {
		t.Errorf("%d rows, want %d (every account and route):\n%s", len(rows), len(users)*len(pageRoutes), r.stdout)
	}
	forbidden := 0
	for _, u := range users {
		for _, rt := range pageRoutes {
			got, ok := rows[[2]string{u, rt.path}]
			switch {
			case !ok:
				t.Errorf("no row for %s GET %s", u, rt.path)
			case got == [2]int{-1, -1}:
				forbidden++
			case got[1] != 0 || got[0] < 1:
				t.Errorf("%s GET %s: %d requests, %d errors", u, rt.path, got[0], got[1])
			case rt.export && got[0] != 1:
				t.Errorf("%s GET %s: %d requests to an export, want the 1 asked for", u, rt.path, got[0])
			}
		}
	}
	// What each role may open, as the server decides it.
	for key, want := range map[[2]string]bool{
		{"command", "/dashboard"}: false, {"command", "/api/v1/employees?page=1"}: false, {"command", "/audit"}: true,
		{"town", "/roster"}: false, {"town", "/api/v1/audit?page=1"}: true,
		{"enterprise", "/roster/export"}: false, {"enterprise", "/dashboard"}: true, {"enterprise", "/api/v1/statistics/resumption.xlsx"}: true,
	} {
		if got := rows[key] == [2]int{-1, -1}; got != want {
			t.Errorf("%s GET %s: forbidden %v, want %v", key[0], key[1], got, want)
		}
	}
	if !strings.Contains(r.stdout, fmt.Sprintf("3 accounts, %d routes measured, %d forbidden to the account, 0 errors", len(rows)-forbidden, forbidden)) {
		t.Errorf("no summary:\n%s", r.stdout)
	}

	// No account signs in: an error that says what to do.
	r = fugong(t, "", nil, "load", "--scenario", "pages", "--url", base, "--users", "city,county", "--duration", "50ms")
	if r.code != 1 || !strings.Contains(r.stderr, "none of the accounts city, county could sign in") || !strings.Contains(r.stderr, "--users") {
		t.Errorf("no account: %s", r)
	}
}

// Answers other than 2xx and 403 are errors of the run; flags of the other scenario are
// refused.
func TestLoadPagesErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "fugong_session", Value: "s-" + r.FormValue("username"), Path: "/"})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /api/v1/me", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"username": "u", "role": "command"}`)
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/audit":
			http.Error(w, "no", http.StatusForbidden)
		case r.URL.Path == "/passes":
			http.Error(w, "broken", http.StatusInternalServerError)
		default:
			fmt.Fprint(w, "ok")
		}
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	r := fugong(t, "", nil, "load", "--scenario", "pages", "--url", ts.URL, "--users", "a", "--duration", "30ms", "--workers", "2", "--export-requests", "0")
	if r.code != 1 || !strings.Contains(r.stderr, "first error of a GET /passes: ") || !strings.Contains(r.stderr, "HTTP 500") {
		t.Fatalf("errors: %s", r)
	}
	rows := pageRows(t, r.stdout)
	if rows[[2]string{"a", "/audit"}] != [2]int{-1, -1} || rows[[2]string{"a", "/passes"}][1] == 0 || rows[[2]string{"a", "/roster"}][1] != 0 {
		t.Errorf("rows: %v\n%s", rows, r.stdout)
	}
	if _, ok := rows[[2]string{"a", "/roster/export"}]; ok {
		t.Errorf("an export with --export-requests 0:\n%s", r.stdout)
	}
	for _, args := range [][]string{{"--scenario", "pages", "--token", "x"}, {"--scenario", "pages", "--rounds", "2"}, {"--users", "a"},
		{"--scenario", "browse"}, {"--scenario", "pages", "--users", " , "}, {"--scenario", "pages", "--export-requests", "-1"}} {
		if r := fugong(t, "", nil, append([]string{"load"}, args...)...); r.code != 2 {
			t.Errorf("%v: %s", args, r)
		}
	}
}
