package main

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/demo"
	"fugong/internal/pgtest"
	"fugong/internal/sign"
	"fugong/internal/store"
)

// startDemoWith runs "fugong demo" with the given flags (and a free port) until the
// returned stop function is called, and returns the URL it prints and its output so far.
func startDemoWith(t *testing.T, flags ...string) (base string, out *syncBuffer, stop func() result) {
	t.Helper()
	a, out, errb := newApp("", nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- a.main(ctx, append([]string{"demo", "--addr", "127.0.0.1:0", "--log-level", "warn"}, flags...))
	}()
	stop = func() result {
		cancel()
		select {
		case code := <-done:
			return result{code, out.String(), errb.String()}
		case <-time.After(40 * time.Second):
			t.Fatal("demo did not stop")
			return result{}
		}
	}
	re := regexp.MustCompile(`URL:\s+(http://\S+)`)
	deadline := time.Now().Add(90 * time.Second)
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil && strings.Contains(out.String(), "Sign in at") {
			return m[1], out, stop
		}
		select {
		case code := <-done:
			t.Fatalf("demo ended early: %s", result{code, out.String(), errb.String()})
		default:
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("demo printed no URL:\n%s\n%s", out.String(), errb.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// demoGet signs in at base as user with the demo password and gets path, returning
// the status and the body.
func demoGet(t *testing.T, base, user, path string) (int, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(url.Values{"username": {user}, "password": {demo.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("login as %s: %d %v", user, resp.StatusCode, resp.Cookies())
	}
	req, _ = http.NewRequest("GET", base+path, nil)
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The demo serves from an empty PostgreSQL database, and a second start with the same
// --data reuses it; without those keys a reuse is refused, and so is a database holding
// anything else.
func TestDemoPostgres(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	dir := t.TempDir()
	base, out, stop := startDemoWith(t, "--db", dsn, "--data", dir)
	waitHealthy(t, base)
	for _, want := range []string{"database:  postgres://", "data:      " + dir, "command", "password:  fugong-demo"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}
	if code, body := demoGet(t, base, "command", "/roster"); code != http.StatusOK || !strings.Contains(body, "示范县") {
		t.Errorf("roster page: %d\n%.500s", code, body)
	}
	if code, body := demoGet(t, base, "command", "/api/v1/employees?page=1"); code != http.StatusOK || !strings.Contains(body, `"total"`) {
		t.Errorf("employees: %d %.300s", code, body)
	}
	if r := stop(); r.code != 0 {
		t.Fatalf("demo: %s", r)
	}
	if fileExists(filepath.Join(dir, "fugong.db")) {
		t.Error("a SQLite file was made beside the PostgreSQL demo")
	}

	// A second start reuses it as it is.
	base, out, stop = startDemoWith(t, "--db", dsn, "--data", dir)
	waitHealthy(t, base)
	if code, body := demoGet(t, base, "enterprise2", "/passes"); code != http.StatusOK {
		t.Errorf("passes page on the reused demo: %d\n%.500s", code, body)
	}
	if r := stop(); r.code != 0 || !strings.Contains(out.String(), "(existing demo reused)") {
		t.Fatalf("second demo: %s", r)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, n, err := db.ListUsers(context.Background(), auth.System, auth.UserFilter{}); err != nil || n != len(auth.Roles)+1+3+1 {
		t.Fatalf("users after the second start: %d %v", n, err)
	}

	// Without the keys of its first start, a reuse is refused before anything is served.
	r := fugong(t, "", nil, "demo", "--addr", "127.0.0.1:0", "--db", dsn)
	if r.code != 1 || !strings.Contains(r.stderr, "already holds a demo") || !strings.Contains(r.stderr, "--data") || strings.Contains(r.stdout, "URL:") {
		t.Errorf("reuse without --data: %s", r)
	}
	r = fugong(t, "", nil, "demo", "--addr", "127.0.0.1:0", "--db", dsn, "--data", t.TempDir())
	if r.code != 1 || !strings.Contains(r.stderr, "not the --data directory the demo was seeded with") {
		t.Errorf("reuse with a new --data: %s", r)
	}
	other := t.TempDir()
	if _, err := sign.LoadOrCreateKey(filepath.Join(other, signingKeyName)); err != nil {
		t.Fatal(err)
	}
	if _, err := crypt.LoadOrCreateKey(filepath.Join(other, idKeyName)); err != nil {
		t.Fatal(err)
	}
	r = fugong(t, "", nil, "demo", "--addr", "127.0.0.1:0", "--db", dsn, "--data", other)
	if r.code != 1 || !strings.Contains(r.stderr, "is not the key the demo") || !strings.Contains(r.stderr, "ID numbers do not open") {
		t.Errorf("reuse with other keys: %s", r)
	}

	// A database holding other data is refused and left as it was.
	busy := pgtest.NewDatabase(t)
	if r := fugong(t, "correct-horse-battery\n", nil, "user", "create", "--db", busy, "--data", t.TempDir(), "--name", "root", "--role", "admin", "--scope", "all"); r.code != 0 {
		t.Fatal(r)
	}
	r = fugong(t, "", nil, "demo", "--addr", "127.0.0.1:0", "--db", busy)
	if r.code != 1 || !strings.Contains(r.stderr, "holds data that is not a Fugong demo") || !strings.Contains(r.stderr, "1 accounts") ||
		!strings.Contains(r.stderr, "create it empty") {
		t.Errorf("a database in use: %s", r)
	}
	bdb, err := store.Open(context.Background(), busy)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	if _, n, err := bdb.ListUsers(context.Background(), auth.System, auth.UserFilter{}); err != nil || n != 1 {
		t.Errorf("users of the database in use: %d %v", n, err)
	}

	// A database of another application is refused before any Fugong table is made.
	foreign := pgtest.NewDatabase(t)
	fdb, err := sql.Open("pgx", foreign)
	if err != nil {
		t.Fatal(err)
	}
	defer fdb.Close()
	if _, err := fdb.Exec(`CREATE TABLE invoices (id INT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	r = fugong(t, "", nil, "demo", "--addr", "127.0.0.1:0", "--db", foreign)
	if r.code != 1 || !strings.Contains(r.stderr, "tables of another application (invoices)") {
		t.Errorf("another application's database: %s", r)
	}
	var tables int
	if err := fdb.QueryRow(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&tables); err != nil || tables != 1 {
		t.Errorf("the other application's database has %d tables after the refusal (%v)", tables, err)
	}
}

func TestDemoRefuses(t *testing.T) {
	// --db is PostgreSQL only; its password is never shown.
	r := fugong(t, "", nil, "demo", "--db", "demo.db")
	if r.code != 2 || !strings.Contains(r.stderr, "give a PostgreSQL URL") {
		t.Errorf("--db a file: %s", r)
	}
	// A data directory holding a database that is not a demo.
	dir := t.TempDir()
	if r := fugong(t, "correct-horse-battery\n", nil, "user", "create", "--data", dir, "--name", "admin", "--role", "admin", "--scope", "all"); r.code != 0 {
		t.Fatal(r)
	}
	r = fugong(t, "", nil, "demo", "--addr", "127.0.0.1:0", "--data", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "holds data that is not a Fugong demo") || !strings.Contains(r.stderr, "give --data a new directory") {
		t.Errorf("a data directory in use: %s", r)
	}
	// The help names --db.
	r = fugong(t, "", nil, "demo", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "--db URL") || !strings.Contains(r.stdout, "same --data") {
		t.Errorf("help: %s", r)
	}
}
