package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/pgtest"
	"fugong/internal/policy"
	"fugong/internal/store"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer safe for a server writing and a test reading.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// newApp is an app with the given stdin and environment (nothing from the real one).
func newApp(stdin string, env map[string]string) (*app, *syncBuffer, *syncBuffer) {
	var out, errb syncBuffer
	return &app{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return env[k] }}, &out, &errb
}

// fugong runs a command line to its end.
func fugong(t *testing.T, stdin string, env map[string]string, args ...string) result {
	t.Helper()
	a, out, errb := newApp(stdin, env)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := a.main(ctx, args)
	return result{code, out.String(), errb.String()}
}

func openStore(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(dir, "fugong.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestCommands runs command lines, each on a fresh data directory (DATA in the args).
func TestCommands(t *testing.T) {
	admin := []string{"user", "create", "--data", "DATA", "--name", "root", "--display-name", "管理员", "--role", "admin", "--scope", "all"}
	with := func(base []string, more ...string) []string { return append(append([]string{}, base...), more...) }
	tests := []struct {
		name    string
		args    []string
		stdin   string
		env     map[string]string
		code    int
		stdout  []string // substrings expected on stdout
		stderr  []string // … and on stderr
		nostout []string // substrings that must not be on stdout
	}{
		{name: "help", args: []string{"--help"}, code: 0,
			stdout: []string{"serve", "启动服务", "demo", "migrate", "user create", "token create", "policy check", "policy show", "audit verify", "version"}},
		{name: "help word", args: []string{"help"}, code: 0, stdout: []string{"Commands:"}},
		{name: "no command", args: nil, code: 2, stderr: []string{"no command", "Commands:"}},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, stderr: []string{`unknown command "frobnicate"`, "Commands:"}},
		{name: "unknown flag", args: []string{"migrate", "--frob"}, code: 2, stderr: []string{"flag provided but not defined: -frob", "fugong migrate — 数据库迁移"}},
		{name: "unknown subcommand", args: []string{"user", "delete"}, code: 2, stderr: []string{`unknown command "delete"`, "user create"}},
		{name: "group alone", args: []string{"policy"}, code: 2, stderr: []string{"policy check", "policy show"}},
		{name: "group help", args: []string{"audit", "--help"}, code: 0, stdout: []string{"audit verify", "校验审计日志"}},
		{name: "help of a command", args: []string{"help", "token", "create"}, code: 0, stdout: []string{"创建接口令牌", "--user NAME", "Examples:"}},
		{name: "help of unknown", args: []string{"help", "nope"}, code: 2, stderr: []string{`unknown command "nope"`}},
		{name: "version", args: []string{"version"}, code: 0, stdout: []string{"fugong ", "go1."}},
		{name: "version extra argument", args: []string{"version", "now"}, code: 2, stderr: []string{`unexpected argument "now"`}},

		{name: "migrate", args: []string{"migrate", "--data", "DATA"}, code: 0, stdout: []string{"applied 001_foundation.sql", "schema version " + fmt.Sprint(latestSchema) + " (sqlite)"}},
		{name: "migrate from env", args: []string{"migrate"}, env: map[string]string{"FUGONG_DATA": "DATA"}, code: 0, stdout: []string{"applied 001_"}},

		{name: "user create, password on stdin", args: admin, stdin: "correct-horse-battery\n", code: 0,
			stdout: []string{"created user root (id 1): role admin, scope all"}, nostout: []string{"password:", "correct-horse"}},
		{name: "user create, generated password", args: admin, stdin: "", code: 0,
			stdout: []string{"created user root", "password: "}, stderr: []string{"only this once"}},
		{name: "user create, invalid role", args: with(admin[:len(admin)-4], "--role", "boss", "--scope", "all"), stdin: "correct-horse-battery\n", code: 1,
			stderr: []string{"role: 未知角色", "Unknown role (one of: admin, command, reviewer, town, grid, park, enterprise, staff, guard)"}},
		{name: "user create, invalid name", args: with(admin[:4], "--name", "a b", "--role", "admin", "--scope", "all"), stdin: "correct-horse-battery\n", code: 1,
			stderr: []string{"name: 用户名须为"}},
		{name: "user create, weak password", args: admin, stdin: "short\n", code: 1, stderr: []string{"password: 密码太弱", "too weak"}},
		{name: "user create, scope unfit for role", args: with(admin[:len(admin)-4], "--role", "town", "--scope", "all"), code: 1,
			stderr: []string{"scope: 该角色不能使用此类范围", "use region:<code>"}},
		{name: "user create, scope names nothing", args: with(admin[:len(admin)-4], "--role", "command", "--scope", "region:330402"), code: 1,
			stderr: []string{"scope: 范围所指的对象不存在", "region:330402"}},
		{name: "user create, missing flags", args: []string{"user", "create", "--data", "DATA", "--name", "x"}, code: 2,
			stderr: []string{"missing --role, --scope", "Usage:"}},

		{name: "token create, unknown user", args: []string{"token", "create", "--data", "DATA", "--user", "nobody"}, code: 1, stderr: []string{`no user named "nobody"`}},
		{name: "token create, no user", args: []string{"token", "create", "--data", "DATA"}, code: 2, stderr: []string{"missing --user"}},
		{name: "token create, lifetime too long", args: []string{"token", "create", "--data", "DATA", "--user", "nobody", "--expires", "400d"}, code: 1,
			stderr: []string{"expires: 有效期应为 1 至 365 天", "1 to 365 days, or never"}},
		{name: "token create, lifetime unreadable", args: []string{"token", "create", "--data", "DATA", "--user", "nobody", "--expires", "3 months"}, code: 1,
			stderr: []string{"expires: 有效期应写成天数", "such as 90d"}},

		{name: "policy show", args: []string{"policy", "show"}, code: 0, stdout: []string{string(policy.DefaultTOML())}},
		{name: "policy check, no file", args: []string{"policy", "check"}, code: 2, stderr: []string{"name the policy file"}},
		{name: "policy check, missing file", args: []string{"policy", "check", "DATA/none.toml"}, code: 1, stderr: []string{"none.toml: cannot read"}},

		{name: "audit verify, no database", args: []string{"audit", "verify", "--data", "DATA"}, code: 1, stderr: []string{"no database at"}},

		{name: "serve, bad log level", args: []string{"serve", "--data", "DATA", "--log-level", "loud"}, code: 2, stderr: []string{`--log-level "loud"`}},
		{name: "serve, bad env boolean", args: []string{"serve", "--data", "DATA"}, env: map[string]string{"FUGONG_SECURE_COOKIES": "maybe"}, code: 2,
			stderr: []string{`FUGONG_SECURE_COOKIES="maybe"`}},
		{name: "serve, missing policy file", args: []string{"serve", "--data", "DATA", "--policy", "DATA/none.toml"}, code: 1, stderr: []string{"policy:", "none.toml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "DATA", dir)
			}
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = strings.ReplaceAll(v, "DATA", dir)
			}
			r := fugong(t, tt.stdin, env, args...)
			if r.code != tt.code {
				t.Errorf("exit code %d, want %d\n%s", r.code, tt.code, r)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q\n%s", s, r)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q\n%s", s, r)
				}
			}
			for _, s := range tt.nostout {
				if strings.Contains(r.stdout, s) {
					t.Errorf("stdout has %q\n%s", s, r)
				}
			}
		})
	}
}

// Every command has a help text with its Chinese name and examples.
func TestEveryCommandHelp(t *testing.T) {
	for _, c := range commands() {
		r := fugong(t, "", nil, append(strings.Fields(c.name), "--help")...)
		if r.code != 0 || !strings.Contains(r.stdout, c.zh) || !strings.Contains(r.stdout, "Examples:") || r.stderr != "" {
			t.Errorf("fugong %s --help:\n%s", c.name, r)
		}
	}
}

func TestUserCreateSignsIn(t *testing.T) {
	dir := t.TempDir()
	r := fugong(t, "correct-horse-battery\r\n", nil, "user", "create", "--data", dir, "--name", "root", "--role", "admin", "--scope", "all", "--phone", "13800000000")
	if r.code != 0 {
		t.Fatal(r)
	}
	r = fugong(t, "", nil, "user", "create", "--data", dir, "--name", "gen", "--role", "admin", "--scope", "all")
	if r.code != 0 {
		t.Fatal(r)
	}
	m := regexp.MustCompile(`(?m)^password: (\S+)$`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no generated password:\n%s", r)
	}
	db := openStore(t, dir)
	ctx := context.Background()
	for name, pw := range map[string]string{"root": "correct-horse-battery", "gen": m[1]} {
		u, err := db.Authenticate(ctx, name, pw, "127.0.0.1")
		if err != nil {
			t.Errorf("sign in as %s: %v", name, err)
			continue
		}
		if u.Role != auth.Admin || u.ScopeText != "all" {
			t.Errorf("%s: role %s scope %s", name, u.Role, u.ScopeText)
		}
	}
	entries, _, err := db.ListAudit(ctx, audit.Filter{Action: "user.create"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].ActorName != auth.System.Label() {
		t.Errorf("audit: %+v", entries)
	}
}

func TestTokenCreate(t *testing.T) {
	dir := t.TempDir()
	if r := fugong(t, "correct-horse-battery\n", nil, "user", "create", "--data", dir, "--name", "robot", "--role", "admin", "--scope", "all"); r.code != 0 {
		t.Fatal(r)
	}
	r := fugong(t, "", nil, "token", "create", "--data", dir, "--user", "robot", "--label", "backup")
	if r.code != 0 {
		t.Fatal(r)
	}
	token := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(token, "fgt_") || strings.Contains(token, "\n") {
		t.Fatalf("stdout should be the token alone:\n%s", r)
	}
	db := openStore(t, dir)
	u, err := db.TokenUser(context.Background(), token)
	if err != nil || u.Username != "robot" {
		t.Fatalf("token user: %v %v", u.Username, err)
	}
	// Only the hash is stored.
	raw, err := sql.Open("sqlite", filepath.Join(dir, "fugong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? AND name = 'backup'`, auth.HashSecret(token)).Scan(&n); err != nil || n != 1 {
		t.Fatalf("stored token: %d %v", n, err)
	}
	if err := raw.QueryRow(`SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?`, token).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the token itself is stored: %d %v", n, err)
	}
	// The lifetime: 90 days unless told, the days asked for, or never when asked.
	for _, c := range []struct {
		flags []string
		days  int // 0: never
		says  string
	}{
		{nil, auth.DefaultTokenDays, "it expires at "},
		{[]string{"--expires", "7d"}, 7, "it expires at "},
		{[]string{"--expires", "never"}, 0, "it never expires"},
	} {
		before := time.Now().Add(-time.Second)
		r := fugong(t, "", nil, append([]string{"token", "create", "--data", dir, "--user", "robot"}, c.flags...)...)
		if r.code != 0 || !strings.Contains(r.stderr, c.says) {
			t.Fatalf("token create %v: %s", c.flags, r)
		}
		toks, _, err := db.Tokens(context.Background(), auth.System, u.ID, list.Page{})
		if err != nil || len(toks) == 0 {
			t.Fatalf("tokens: %v", err)
		}
		got := toks[0].ExpiresAt
		if c.days == 0 {
			if got != nil {
				t.Errorf("--expires never gives an expiry %v", got)
			}
			continue
		}
		if want := before.Add(time.Duration(c.days) * 24 * time.Hour); got == nil || got.Before(want) || got.After(want.Add(time.Minute)) {
			t.Errorf("token create %v expires at %v, want about %v", c.flags, got, want)
		}
	}
}

// badPolicy writes the default policy with two mistakes and returns its path and the
// lines of the mistakes.
func badPolicy(t *testing.T) (path string, leadLine, unknownLine int) {
	t.Helper()
	lines := strings.Split(string(policy.DefaultTOML()), "\n")
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "lead_time_hours ="):
			lines[i] = `lead_time_hours = "two days"`
			leadLine = i + 1
		case strings.HasPrefix(l, "fever_line ="):
			lines[i] += "\nfever_colour = \"red\""
			unknownLine = i + 2
		}
	}
	if leadLine == 0 || unknownLine == 0 {
		t.Fatal("the default policy changed; adapt badPolicy")
	}
	path = filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, leadLine, unknownLine
}

func TestPolicyCheck(t *testing.T) {
	path, lead, unknown := badPolicy(t)
	r := fugong(t, "", nil, "policy", "check", path)
	if r.code != 1 {
		t.Fatalf("bad file: %s", r)
	}
	for _, want := range []string{
		fmt.Sprintf("%s:%d: resumption.lead_time_hours: ", path, lead),
		fmt.Sprintf("%s:%d: health.fever_colour: ", path, unknown),
		"2 problem(s)",
	} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("output lacks %q\n%s", want, r)
		}
	}
	// Each problem line carries the Chinese message and its English twin.
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.Contains(l, " / ") || !regexp.MustCompile(`\p{Han}`).MatchString(l) {
			t.Errorf("problem line without both languages: %s", l)
		}
	}

	examples, _ := filepath.Glob("../../policies/*.toml")
	if len(examples) == 0 {
		t.Fatal("no example policies")
	}
	for _, ex := range examples {
		r := fugong(t, "", nil, "policy", "check", ex)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "ok "+ex+": ") || !strings.Contains(r.stdout, "version ") {
			t.Errorf("%s: %s", ex, r)
		}
	}
	// Several files: one bad one fails the lot.
	if r := fugong(t, "", nil, append([]string{"policy", "check"}, append(examples, path)...)...); r.code != 1 {
		t.Errorf("mixed files: %s", r)
	}
}

func TestServeRefusesBadPolicy(t *testing.T) {
	path, lead, _ := badPolicy(t)
	r := fugong(t, "", nil, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--policy", path)
	if r.code != 1 || !strings.Contains(r.stderr, fmt.Sprintf("%s:%d: resumption.lead_time_hours", path, lead)) {
		t.Fatalf("%s", r)
	}
}

func TestAuditVerify(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a1", "a2", "a3"} {
		if r := fugong(t, "correct-horse-battery\n", nil, "user", "create", "--data", dir, "--name", name, "--role", "admin", "--scope", "all"); r.code != 0 {
			t.Fatal(r)
		}
	}
	if r := fugong(t, "", nil, "token", "create", "--data", dir, "--user", "a2"); r.code != 0 {
		t.Fatal(r)
	}
	r := fugong(t, "", nil, "audit", "verify", "--data", dir)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "audit trail intact: 4 rows" {
		t.Fatalf("intact trail: %s", r)
	}

	// Alter row 2 behind the application's back.
	raw, err := sql.Open("sqlite", filepath.Join(dir, "fugong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE audit_log SET summary = '{"username":"mallory"}' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	r = fugong(t, "", nil, "audit", "verify", "--db", filepath.Join(dir, "fugong.db"))
	if r.code != 1 || !strings.Contains(r.stderr, "row 2: content does not match its hash") || !strings.Contains(r.stderr, "1 row(s) before it verified intact") {
		t.Fatalf("altered row: %s", r)
	}

	// Removing a row is named too.
	dir2 := t.TempDir()
	for _, name := range []string{"b1", "b2", "b3"} {
		if r := fugong(t, "correct-horse-battery\n", nil, "user", "create", "--data", dir2, "--name", name, "--role", "admin", "--scope", "all"); r.code != 0 {
			t.Fatal(r)
		}
	}
	raw2, err := sql.Open("sqlite", filepath.Join(dir2, "fugong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw2.Close()
	if _, err := raw2.Exec(`DELETE FROM audit_log WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	r = fugong(t, "", nil, "audit", "verify", "--data", dir2)
	if r.code != 1 || !strings.Contains(r.stderr, "row 2: row missing") {
		t.Fatalf("removed row: %s", r)
	}
}

// waitHealthy polls /healthz until it answers 200.
func waitHealthy(t *testing.T, base string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			var body map[string]any
			err = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && err == nil {
				return body
			}
			err = fmt.Errorf("status %d, %v", resp.StatusCode, err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/healthz: %v", base, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestServe(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			var cfg serveConfig
			cfg.db.data = t.TempDir()
			if engine == store.Postgres {
				cfg.db.db = pgtest.NewDatabase(t)
			}
			a, _, errb := newApp("", nil)
			log := slog.New(slog.NewJSONHandler(errb, nil))
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- a.serve(ctx, ln, cfg, policy.Default(), log) }()

			base := "http://" + ln.Addr().String()
			body := waitHealthy(t, base)
			if body["status"] != "ok" || body["engine"] != string(engine) || body["policy_version"] != policy.Default().Version {
				t.Errorf("healthz: %v", body)
			}
			resp, err := http.Get(base + "/login")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("/login: %d", resp.StatusCode)
			}

			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("serve: %v", err)
				}
			case <-time.After(40 * time.Second):
				t.Fatal("serve did not stop after the context ended")
			}
			if _, err := http.Get(base + "/healthz"); err == nil {
				t.Error("still answering after shutdown")
			}
			logs := errb.String()
			for _, want := range []string{`"msg":"fugong starting"`, `"engine":"` + string(engine) + `"`, `"policy_version":"` + policy.Default().Version + `"`,
				fmt.Sprintf(`"schema_version":%d`, latestSchema), `"msg":"listening"`, `"msg":"stopped"`} {
				if !strings.Contains(logs, want) {
					t.Errorf("log lacks %s:\n%s", want, logs)
				}
			}
			if strings.Contains(logs, "postgres://") {
				t.Errorf("the log shows the database URL:\n%s", logs)
			}
		})
	}
}

// startDemo runs "fugong demo" on the data directory until the returned stop function is
// called, and returns the URL it prints and its output so far (startDemoWith).
func startDemo(t *testing.T, dir string) (base string, out *syncBuffer, stop func() result) {
	t.Helper()
	return startDemoWith(t, "--data", dir)
}

func TestDemo(t *testing.T) {
	dir := t.TempDir()
	base, out, stop := startDemo(t, dir)
	for _, want := range []string{"password:  fugong-demo", "admin", "region:330402", "reviewer", "enterprise:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}
	waitHealthy(t, base)

	// Sign in as the county command and list the enterprises through the API.
	code, body := demoGet(t, base, "command", "/api/v1/enterprises")
	var list struct{ Total int }
	if err := json.Unmarshal([]byte(body), &list); err != nil || code != 200 || list.Total != 60 {
		t.Fatalf("enterprises: %d %s", code, body)
	}
	if r := stop(); r.code != 0 {
		t.Fatalf("demo: %s", r)
	}

	// A second start reuses the seeded database.
	base, out, stop = startDemo(t, dir)
	waitHealthy(t, base)
	r := stop()
	if r.code != 0 || !strings.Contains(out.String(), "existing demo reused") || !strings.Contains(out.String(), "guard") {
		t.Fatalf("second demo: %s", r)
	}
	db := openStore(t, dir)
	if _, n, err := db.ListUsers(context.Background(), auth.System, auth.UserFilter{}); err != nil || n != len(auth.Roles)+1+3+1 { // and the site accounts and the 包保 leader
		t.Fatalf("users after the second start: %d %v", n, err)
	}
	if n, err := db.VerifyAudit(context.Background()); err != nil || n < 100 {
		t.Fatalf("audit after the demo: %d %v", n, err)
	}
}

// latestSchema is the number of the newest embedded migration.
var latestSchema = func() int {
	ms, err := store.Migrations()
	if err != nil {
		panic(err)
	}
	return ms[len(ms)-1].Version
}()
