package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugong/internal/apperr"
	"fugong/internal/pgtest"
	"fugong/internal/store"
)

// One process that writes a SQLite file at a time; readers may share it, and the lock
// goes with the process that held it.
func TestOpenExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "fugong.db")
	first, err := store.OpenExclusive(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(store.LockPathForTest(path))
	if err != nil || !strings.Contains(string(b), "pid ") {
		t.Fatalf("lock file: %q %v", b, err)
	}
	_, err = store.OpenExclusive(ctx, "file:"+path+"?_pragma=busy_timeout(1)")
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Conflict || !strings.Contains(e.MessageEN, path) || !strings.Contains(e.MessageEN, "in use by another Fugong process (pid ") ||
		!strings.Contains(e.MessageEN, "PostgreSQL") || !strings.Contains(e.Message, path) {
		t.Fatalf("second writer: %v", err)
	}
	if _, err := store.LockSQLite(path); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("a restore beside a writer: %v", err)
	}
	reader, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := reader.SchemaVersion(ctx); err != nil || v == 0 {
		t.Fatalf("a reader beside the writer: %d %v", v, err)
	}
	reader.Close()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err := store.OpenExclusive(ctx, path)
	if err != nil {
		t.Fatalf("after the first closed: %v", err)
	}
	second.Close()
	release, err := store.LockSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	release()
}

// Several instances share a PostgreSQL database.
func TestOpenExclusivePostgres(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	a, err := store.OpenExclusive(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := store.OpenExclusive(ctx, dsn)
	if err != nil {
		t.Fatalf("a second instance on PostgreSQL: %v", err)
	}
	b.Close()
}
