package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A second process that writes the SQLite file of a running server is refused, naming
// the file and what to do; commands that only read, or only add accounts and tokens, run
// beside it; once the server has
// stopped, the others may write again.
func TestSecondWriterRefused(t *testing.T) {
	dir := t.TempDir()
	users(t, dir, "root")
	_, _, stop := startServe(t, dir)
	db := filepath.Join(dir, "fugong.db")
	for _, args := range [][]string{
		{"serve", "--data", dir, "--addr", "127.0.0.1:0"},
		{"demo", "--data", dir, "--addr", "127.0.0.1:0"},
		{"migrate", "--db", db},
		{"purge", "--data", dir},
	} {
		r := fugong(t, "correct-horse-battery\n", nil, args...)
		if r.code != 1 || !strings.Contains(r.stderr, "the SQLite database "+db+" is in use by another Fugong process (pid ") ||
			!strings.Contains(r.stderr, "stop that one first") || !strings.Contains(r.stderr, "正被另一个 Fugong 进程使用") {
			t.Errorf("%s beside a server: %s", strings.Join(args[:2], " "), r)
		}
	}
	for _, args := range [][]string{
		{"audit", "verify", "--data", dir},
		{"audit", "checkpoint", "--data", dir},
		{"purge", "--dry-run", "--data", dir},
		{"backup", "--data", dir, filepath.Join(t.TempDir(), "backup")},
		// Accounts and tokens are new rows no server has read: they may be added beside it.
		{"user", "create", "--data", dir, "--name", "second", "--role", "admin", "--scope", "all"},
		{"token", "create", "--data", dir, "--user", "root"},
	} {
		if r := fugong(t, "correct-horse-battery\n", nil, args...); r.code != 0 {
			t.Errorf("%s beside a server: %s", strings.Join(args[:2], " "), r)
		}
	}
	stop()
	users(t, dir, "after")
}
