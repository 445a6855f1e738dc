// Package storetest opens fresh, migrated databases on both engines for tests.
package storetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/pgtest"
	"fugong/internal/store"
)

// Engines runs fn once on a fresh SQLite database and once on a fresh PostgreSQL
// database (skipped with the reason on a laptop without PostgreSQL, failed in CI).
func Engines(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// Open returns a fresh migrated database of the engine, closed when the test ends.
func Open(t testing.TB, engine store.Engine) *store.DB {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "fugong.db")
	if engine == store.Postgres {
		dsn = pgtest.NewDatabase(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return db
}

// OpenTwice returns two handles on one fresh migrated PostgreSQL database, as two
// instances of Fugong sharing a database hold; both are closed when the test ends.
func OpenTwice(t testing.TB) (*store.DB, *store.DB) {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatalf("open postgres: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate postgres: %v", err)
		}
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}

// Rows hands rows to an import (store.DB.ImportEnterpriseRows, store.Roster.Import), as
// a sheet would.
func Rows[T any](rows []T) func(fn func(T) error) error {
	return func(fn func(T) error) error {
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// Token issues an API token for a user with the default lifetime and returns its secret.
func Token(ctx context.Context, db *store.DB, actor auth.Principal, userID int64, name string) (string, error) {
	expires, err := auth.TokenExpiry("", db.Now())
	if err != nil {
		return "", err
	}
	_, secret, err := db.IssueToken(ctx, actor, userID, name, expires)
	return secret, err
}
