package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/pgtest"
	"fugong/internal/sign"
	"fugong/internal/store"
)

// pgTool finds a PostgreSQL client program on PATH or where Debian installs it.
func pgTool(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	sort.Strings(found)
	if len(found) == 0 {
		return ""
	}
	return found[len(found)-1]
}

// runPrinted runs a command line the backup or the restore printed, with the program
// found by pgTool.
func runPrinted(t *testing.T, line string) {
	t.Helper()
	prog, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	path := pgTool(prog)
	if path == "" {
		t.Skipf("no %s here to run the printed command with", prog)
	}
	out, err := exec.Command("sh", "-c", shellQuote(path)+" "+rest).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
}

// For PostgreSQL the backup copies the keys, uploads and checkpoints and prints the
// pg_dump command; run, then restored with the pg_restore command the restore prints,
// the database verifies against the checkpoints.
func TestBackupRestorePostgres(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	dir := t.TempDir()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"p1", "p2", "p3"} {
		if _, err := db.CreateUser(ctx, auth.System, auth.User{Username: name, Role: auth.Admin, ScopeText: "all"}, "correct-horse-battery"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sign.LoadOrCreateKey(filepath.Join(dir, signingKeyName)); err != nil {
		t.Fatal(err)
	}
	if r := fugong(t, "", nil, "audit", "checkpoint", "--data", dir, "--db", dsn); r.code != 0 {
		t.Fatal(r)
	}
	bk := filepath.Join(t.TempDir(), "backup")
	r := fugong(t, "", nil, "backup", "--data", dir, "--db", dsn, bk)
	m := regexp.MustCompile(`(?m)^  (pg_dump .*)$`).FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil || !strings.Contains(m[1], "--file="+filepath.Join(bk, pgDumpName)) || !strings.Contains(r.stdout, "signing-key.pem") {
		t.Fatalf("backup: %s", r)
	}
	if !fileExists(filepath.Join(bk, audit.CheckpointFile)) || !fileExists(filepath.Join(bk, signingKeyName)) {
		t.Fatal("the keys and checkpoints were not copied")
	}
	runPrinted(t, m[1])
	// Restore into a fresh data directory and an empty database.
	target := pgtest.NewDatabase(t)
	to := t.TempDir()
	r = fugong(t, "", nil, "restore", "--data", to, "--db", target, bk)
	m = regexp.MustCompile(`(?m)^  (pg_restore .*)$`).FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		t.Fatalf("restore: %s", r)
	}
	runPrinted(t, m[1])
	r = fugong(t, "", nil, "audit", "verify", "--data", to, "--db", target)
	if r.code != 0 || !strings.Contains(r.stdout, "audit trail intact: 3 rows\naudit checkpoints: all 1 hold") {
		t.Fatalf("verify the restored database: %s", r)
	}
	if _, err := os.Stat(filepath.Join(to, signingKeyName)); err != nil {
		t.Fatal(err)
	}
}

// The printed commands carry no password, and quote what the shell would split.
func TestPgCommands(t *testing.T) {
	got := pgDumpCommand("postgres://fugong:s3cret@db.internal:5432/fugong?sslmode=require", "/srv/backup/it's here/fugong.pgdump")
	want := `pg_dump --format=custom --no-owner --file='/srv/backup/it'\''s here/fugong.pgdump' 'postgres://fugong@db.internal:5432/fugong?sslmode=require'`
	if got != want {
		t.Errorf("pg_dump command:\n%s\nwant\n%s", got, want)
	}
	out, err := exec.Command("sh", "-c", "printf '%s\\n' "+shellQuote("a b'c$d")).Output()
	if err != nil || string(out) != "a b'c$d\n" {
		t.Errorf("quoted for the shell: %q %v", out, err)
	}
}
