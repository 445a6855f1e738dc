package pgtest_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"fugong/internal/pgtest"
)

func TestMain(m *testing.M) {
	m.Run()
	pgtest.Stop()
}

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func currentDatabase(t *testing.T, db *sql.DB) string {
	t.Helper()
	var name string
	if err := db.QueryRow("SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestDatabasesAreSeparate(t *testing.T) {
	a := open(t, pgtest.NewDatabase(t))
	b := open(t, pgtest.NewDatabase(t))

	nameA, nameB := currentDatabase(t, a), currentDatabase(t, b)
	if nameA == nameB || !strings.HasPrefix(nameA, "t_") || !strings.HasPrefix(nameB, "t_") {
		t.Fatalf("databases %q and %q: want two different t_* databases", nameA, nameB)
	}

	if _, err := a.Exec(`CREATE TABLE widgets (id bigint PRIMARY KEY, name text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(`INSERT INTO widgets VALUES (1, '扶贡')`); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := a.QueryRow(`SELECT name FROM widgets WHERE id = 1`).Scan(&got); err != nil || got != "扶贡" {
		t.Fatalf("read back %q, %v; want 扶贡 (UTF8 database)", got, err)
	}

	var present bool
	if err := b.QueryRow(`SELECT to_regclass('public.widgets') IS NOT NULL`).Scan(&present); err != nil {
		t.Fatal(err)
	}
	if present {
		t.Fatal("table created in one database is visible in the other")
	}
}

// The database is dropped when its test ends, even with a connection open.
func TestDroppedOnCleanup(t *testing.T) {
	var name string
	t.Run("inner", func(t *testing.T) {
		db, err := sql.Open("pgx", pgtest.NewDatabase(t)) // deliberately left open
		if err != nil {
			t.Fatal(err)
		}
		name = currentDatabase(t, db)
	})
	if name == "" {
		t.Fatal("inner test got no database")
	}

	dsn, err := pgtest.Server()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := open(t, dsn).QueryRow(`SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database %s still exists after its test ended", name)
	}
}

func TestParallel(t *testing.T) {
	for i := range 8 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			db := open(t, pgtest.NewDatabase(t))
			ctx := context.Background()
			if _, err := db.ExecContext(ctx, `CREATE TABLE x (v int)`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO x VALUES ($1)`, i); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM x`).Scan(&n); err != nil || n != 1 {
				t.Fatalf("count = %d, %v; want 1", n, err)
			}
		})
	}
}

func TestAvailable(t *testing.T) {
	ok, why := pgtest.Available()
	if !ok {
		t.Skip(why)
	}
	if why != "" {
		t.Errorf("Available() = true, %q; want an empty reason", why)
	}
}
