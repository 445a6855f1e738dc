// Package pgtest gives tests a throwaway PostgreSQL server, one per test
// binary, and a fresh empty database per test.
//
// Typical use in a package's tests:
//
//	func TestMain(m *testing.M) {
//		m.Run()
//		pgtest.Stop()
//	}
//
//	func TestSomething(t *testing.T) {
//		dsn := pgtest.NewDatabase(t) // skips the test when there is no PostgreSQL
//		db, err := sql.Open("pgx", dsn)
//		...
//	}
//
// The server is started lazily, on the first call of [Server], [Available] or
// [NewDatabase], so a test binary that never asks for PostgreSQL starts none.
//
// Where the server comes from:
//
//   - FUGONG_TEST_PG set: it is the DSN (postgres://user:pass@host:port/db) of
//     an existing server on which that user may CREATE DATABASE. Nothing is
//     started.
//   - Otherwise initdb and postgres are looked up on PATH, then in
//     /usr/lib/postgresql/*/bin and /usr/pgsql-*/bin (newest version first).
//     A cluster is created in a new temporary directory (initdb --no-sync,
//     trust auth, UTF8, C locale) and started on a free port of 127.0.0.1 with
//     fsync off — or, with FUGONG_TEST_PG_DURABLE=1, with PostgreSQL's durable
//     defaults (fsync, synchronous_commit and full_page_writes on), the server
//     a benchmark must measure. PostgreSQL refuses to run as root, so as root the directory is
//     given to, and the server run as, the system user "postgres" (or "nobody"
//     if there is none).
//
// When no server can be had, NewDatabase skips the test, saying why; with
// CI=true in the environment it fails it instead.
//
// Cleanup: Stop, called from TestMain after m.Run, stops the server (like
// pg_ctl stop -m immediate) and removes its directory. If the test binary dies
// without calling Stop (killed, panic, -timeout), the server still goes: on
// Linux it is started with a parent-death signal (SIGQUIT, an immediate
// shutdown). Its directory is then left behind; the next run of any test
// binary using pgtest removes such directories once their owner is gone.
//
// The package is for Unix systems (it uses syscall.Credential).
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// EnvDSN names the environment variable holding the DSN of an existing server
// to use instead of starting one.
const EnvDSN = "FUGONG_TEST_PG"

// EnvDurable names the environment variable that, set to 1, starts the local
// server durable: fsync, synchronous_commit and full_page_writes on.
const EnvDurable = "FUGONG_TEST_PG_DURABLE"

// Durable tells whether a server this package starts keeps PostgreSQL's durable
// settings, as a production server does (FUGONG_TEST_PG_DURABLE=1).
func Durable() bool { return os.Getenv(EnvDurable) == "1" }

const (
	dirPrefix     = "fugong-pgtest-" // temp dirs we create: <tmp>/fugong-pgtest-*
	ownerFile     = "owner.pid"      // in such a dir: pid of the test binary that made it
	startAttempts = 5                // tries on a port clash
	startTimeout  = 60 * time.Second
	stopTimeout   = 10 * time.Second
)

var (
	once     sync.Once
	mu       sync.Mutex // guards cur and curErr
	cur      *server
	curErr   error
	errStopd = errors.New("Stop was already called")
)

// server is the server we use: either one we started (cmd != nil) or the one
// named by FUGONG_TEST_PG.
type server struct {
	dsn   string  // admin DSN, connected to a maintenance database
	admin *sql.DB // pool on dsn, for CREATE/DROP DATABASE

	// Only for a server we started.
	dir    string          // temp dir: data/, postgres.log, owner.pid, sockets
	cmd    *exec.Cmd       // the postmaster
	exited <-chan struct{} // closed once the postmaster has exited and been reaped
}

// Server returns the DSN of the server shared by this test binary, starting it
// on first use (see the package documentation). The DSN connects, as a
// superuser or at least a user allowed to create databases, to a maintenance
// database; tests should not use it for their data but call NewDatabase.
func Server() (dsn string, err error) {
	s, err := get()
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	return s.dsn, nil
}

// Available reports whether a PostgreSQL server can be had and, if not, why.
func Available() (bool, string) {
	if _, err := get(); err != nil {
		return false, err.Error()
	}
	return true, ""
}

// NewDatabase creates a new, empty database on the shared server and returns a
// DSN for it. The database is dropped (WITH (FORCE), so connections left open
// do not stop it) when the test and its subtests have finished.
//
// Without a server the test is skipped, with the reason; with CI=true in the
// environment it fails instead, so a CI machine cannot silently skip the
// PostgreSQL half of the tests.
func NewDatabase(t testing.TB) string {
	t.Helper()
	s, err := get()
	if err != nil {
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			t.Fatalf("pgtest: PostgreSQL is required when CI=true: %v", err)
		}
		t.Skipf("pgtest: skipping, no PostgreSQL: %v", err)
	}
	name := "t_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: CREATE DATABASE %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: DROP DATABASE %s: %v", name, err)
		}
	})
	return withDatabase(s.dsn, name)
}

// Stop stops the server this package started, if any, and removes its
// directory. Call it from TestMain after m.Run. A server named by
// FUGONG_TEST_PG is left running (only the connections to it are closed).
// After Stop, no new server is started: NewDatabase skips or fails.
func Stop() {
	once.Do(func() { curErr = errStopd }) // never start one after Stop
	mu.Lock()
	s := cur
	cur, curErr = nil, errStopd
	mu.Unlock()
	if s != nil {
		s.stop()
	}
}

func get() (*server, error) {
	once.Do(func() {
		s, err := open()
		mu.Lock()
		cur, curErr = s, err
		mu.Unlock()
	})
	mu.Lock()
	defer mu.Unlock()
	return cur, curErr
}

func open() (*server, error) {
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		return openExternal(dsn)
	}
	return startLocal()
}

// openExternal connects to the server named by FUGONG_TEST_PG.
func openExternal(dsn string) (*server, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("%s=%s: %v", EnvDSN, redact(dsn), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s=%s: cannot connect: %v", EnvDSN, redact(dsn), err)
	}
	db.SetMaxOpenConns(8)
	return &server{dsn: dsn, admin: db}, nil
}

// startLocal creates a cluster in a new temp dir and starts a server on it.
func startLocal() (_ *server, err error) {
	binDir, err := findBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := runAsCredential()
	if err != nil {
		return nil, err
	}
	base := tempBase(cred != nil)
	removeStale(base)

	dir, err := os.MkdirTemp(base, dirPrefix)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, err
		}
	}

	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(binDir, "initdb"),
		"-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C")
	initdb.Dir = dir // the caller's working directory may be unreadable for cred
	initdb.Env = pgEnv()
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s failed: %v\n%s", initdb, err, tail(string(out)))
	}

	for attempt := 1; ; attempt++ {
		s, err := startServer(binDir, dir, cred)
		if err == nil {
			return s, nil
		}
		var clash portClash
		if !errors.As(err, &clash) {
			return nil, err
		}
		if attempt == startAttempts {
			return nil, fmt.Errorf("%w\n(port clash %d times in a row)", err, attempt)
		}
	}
}

// portClash is a start that failed because the port was taken between
// freePort and postgres binding it, as by another test binary: worth a retry.
type portClash struct{ error }

// startServer starts postgres on the cluster in dir/data on a free port and
// waits until it accepts connections.
func startServer(binDir, dir string, cred *syscall.Credential) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("finding a free port: %v", err)
	}
	data := filepath.Join(dir, "data")
	logPath := filepath.Join(dir, "postgres.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own copy

	// Unix sockets go in dir too, unless its path is too long for one
	// (sun_path is 108 bytes); we connect over TCP anyway.
	sockets := dir
	if len(dir)+len("/.s.PGSQL.65535") >= 100 {
		sockets = ""
	}
	// Run postgres itself rather than pg_ctl start: pg_ctl daemonizes it, and
	// then it cannot be tied to our lifetime.
	args := []string{
		"-D", data,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=" + sockets,
		"-c", "max_connections=200",
	}
	if !Durable() {
		args = append(args,
			"-c", "fsync=off", // throwaway data: never for a real server
			"-c", "synchronous_commit=off",
			"-c", "full_page_writes=off",
		)
	}
	cmd := exec.Command(filepath.Join(binDir, "postgres"), args...)
	cmd.Dir = dir
	cmd.Env = pgEnv()
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: cred,
		Setpgid:    true, // keep terminal signals (^C) to the test binary; it takes postgres along
	}
	// SIGQUIT is an immediate shutdown, like pg_ctl stop -m immediate.
	setPdeathsig(cmd.SysProcAttr, syscall.SIGQUIT)

	exited, err := startTied(cmd)
	if err != nil {
		return nil, fmt.Errorf("starting %s: %v", cmd.Path, err)
	}
	s := &server{
		dsn:    fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port),
		dir:    dir,
		cmd:    cmd,
		exited: exited,
	}
	fail := func(format string, args ...any) (*server, error) {
		s.kill()
		log := tailFile(logPath)
		err := fmt.Errorf(format+"\n--- end of the server log ---\n%s", append(args, log)...)
		if strings.Contains(log, "Address already in use") {
			err = portClash{err}
		}
		return nil, err
	}

	db, err := sql.Open("pgx", s.dsn)
	if err != nil {
		return fail("%v", err)
	}
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-exited:
			db.Close()
			return fail("postgres exited during startup (%v)", cmd.ProcessState)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		var got string
		err := db.QueryRowContext(ctx, "SHOW data_directory").Scan(&got)
		cancel()
		if err == nil {
			// On a port race another binary's server may answer: make sure it is ours.
			if sameFile(got, data) {
				break
			}
			err = fmt.Errorf("port %d is served by another server (data directory %s)", port, got)
		}
		if time.Now().After(deadline) {
			db.Close()
			return fail("postgres did not accept connections on port %d within %v: %v", port, startTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	db.SetMaxOpenConns(8)
	s.admin = db
	return s, nil
}

// startTied starts cmd and returns a channel closed once it has exited.
//
// Linux delivers the parent-death signal when the thread that started the
// child exits, not the process; the Go runtime ends a thread when a goroutine
// locked to it exits. So start the child from a goroutine that keeps its
// thread locked, and thereby alive and ours alone, until the child is reaped.
func startTied(cmd *exec.Cmd) (<-chan struct{}, error) {
	started := make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		cmd.Wait()
		close(exited)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return exited, nil
}

// setPdeathsig sets a.Pdeathsig where the platform has it (Linux). It goes
// through reflection so that this file builds on other Unix systems too.
func setPdeathsig(a *syscall.SysProcAttr, sig syscall.Signal) {
	f := reflect.ValueOf(a).Elem().FieldByName("Pdeathsig")
	if f.IsValid() && f.CanSet() && f.Type() == reflect.TypeOf(sig) {
		f.Set(reflect.ValueOf(sig))
	}
}

// stop shuts the server down (immediately: the data is thrown away) and
// removes its directory.
func (s *server) stop() {
	if s.admin != nil {
		s.admin.Close()
	}
	if s.cmd != nil {
		s.kill()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// kill does what pg_ctl stop -m immediate does, SIGQUIT to the postmaster,
// falling back to SIGKILL, and waits for it to exit.
func (s *server) kill() {
	s.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		s.cmd.Process.Kill()
		<-s.exited
	}
}

// findBinDir returns a directory holding initdb and postgres.
func findBinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if d := filepath.Dir(p); isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	var dirs []string
	for _, pattern := range []string{"/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin"} {
		m, _ := filepath.Glob(pattern)
		dirs = append(dirs, m...)
	}
	sort.SliceStable(dirs, func(i, j int) bool { return binDirVersion(dirs[i]) > binDirVersion(dirs[j]) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL not found (no initdb on PATH or in /usr/lib/postgresql/*/bin): " +
		"install Debian's postgresql package or set " + EnvDSN + " to the URL of a server")
}

// binDirVersion returns 15 for /usr/lib/postgresql/15/bin or /usr/pgsql-15/bin.
func binDirVersion(dir string) float64 {
	v := filepath.Base(filepath.Dir(dir))
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		v = v[i+1:]
	}
	f, _ := strconv.ParseFloat(v, 64)
	return f
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// runAsCredential returns nil when not root, else the user to run PostgreSQL
// as, since it refuses to run as root.
func runAsCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil || uid == 0 {
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root, which PostgreSQL refuses, and there is no system user " +
		`"postgres" to run it as: install Debian's postgresql package or set ` + EnvDSN)
}

// tempBase returns the directory to create our temp dir in. When the server
// runs as another user, that user must be able to reach it.
func tempBase(otherUser bool) string {
	base := os.TempDir()
	if !otherUser {
		return base
	}
	for d := base; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode()&0o001 == 0 {
			return "/tmp"
		}
		if d == filepath.Dir(d) {
			return base
		}
	}
}

// removeStale removes temp dirs left by test binaries that died without Stop,
// once both that binary and its postmaster are gone.
func removeStale(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, dirPrefix+"*"))
	for _, d := range dirs {
		if !pidFileDead(filepath.Join(d, ownerFile)) {
			continue
		}
		pm := filepath.Join(d, "data", "postmaster.pid")
		if _, err := os.Stat(pm); !errors.Is(err, os.ErrNotExist) && !pidFileDead(pm) {
			continue
		}
		os.RemoveAll(d)
	}
}

// pidFileDead reports whether path starts with the pid of a process that no
// longer exists. Unreadable or malformed: false, to stay on the safe side.
func pidFileDead(path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// pgEnv is the environment for initdb and postgres: ours, in the C locale,
// without libpq variables that could point them elsewhere.
func pgEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") && !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANG=") {
			env = append(env, kv)
		}
	}
	return append(env, "LC_ALL=C", "LANG=C")
}

// withDatabase returns dsn with its database replaced by name.
func withDatabase(dsn, name string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path, u.RawPath = "/"+name, ""
		q := u.Query()
		q.Del("dbname")
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " dbname=" + name // keyword=value form: the last one wins
}

func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	return "(keyword=value DSN)"
}

func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	if err1 != nil || err2 != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return os.SameFile(fa, fb)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// tail returns the last lines of s.
func tail(s string) string {
	const maxLines = 40
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > maxLines {
		lines = lines[len(lines)-maxLines:]
	}
	return strings.Join(lines, "\n")
}

func tailFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	return tail(string(b))
}
