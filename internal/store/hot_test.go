package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/pgtest"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// Two instances over one database (two server processes on PostgreSQL; two handles on a
// SQLite file stand in for it): a change made through one is refused at once there, and
// by the other once its remembered answer is older than the cache's lifetime.
func TestMemoAcrossInstances(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "fugong.db")
			if engine == store.Postgres {
				dsn = pgtest.NewDatabase(t)
			}
			open := func() *store.DB {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			a, b := open(), open()
			if _, err := a.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			const ttl = 200 * time.Millisecond
			store.SetMemoTTLForTest(a, ttl)
			u, err := a.CreateUser(ctx, auth.System, auth.User{Username: "guard-x", Role: auth.Admin, ScopeText: "all"}, "correct horse")
			if err != nil {
				t.Fatal(err)
			}
			tok, err := storetest.Token(ctx, a, auth.System, u.ID, "gate")
			if err != nil {
				t.Fatal(err)
			}
			session, err := a.CreateSession(ctx, u, "127.0.0.1", "test")
			if err != nil {
				t.Fatal(err)
			}
			if got, err := a.TokenUser(ctx, tok); err != nil || got.ID != u.ID {
				t.Fatalf("token on a: %+v %v", got, err)
			}
			if got, err := a.SessionUser(ctx, session); err != nil || got.ID != u.ID {
				t.Fatalf("session on a: %+v %v", got, err)
			}
			// Remembered: the same answer again, and a session past its expiry is refused
			// even though it is remembered.
			if got, err := a.TokenUser(ctx, tok); err != nil || got.ID != u.ID {
				t.Fatalf("token on a again: %+v %v", got, err)
			}
			realNow := a.Now
			a.Now = func() time.Time { return realNow().Add(auth.SessionTTL + time.Minute) }
			if _, err := a.SessionUser(ctx, session); apperr.KindOf(err) != apperr.Unauthorized {
				t.Fatalf("expired remembered session: %v", err)
			}
			a.Now = realNow

			u.Disabled = true
			if _, err := b.UpdateUser(ctx, auth.System, u); err != nil {
				t.Fatal(err)
			}
			if _, err := b.TokenUser(ctx, tok); apperr.KindOf(err) != apperr.Unauthorized {
				t.Fatalf("disabled, on the instance that changed it: %v", err)
			}
			time.Sleep(ttl + 50*time.Millisecond)
			if _, err := a.TokenUser(ctx, tok); apperr.KindOf(err) != apperr.Unauthorized {
				t.Fatalf("disabled, on the other instance after the cache's lifetime: %v", err)
			}
			if _, err := a.SessionUser(ctx, session); apperr.KindOf(err) != apperr.Unauthorized {
				t.Fatalf("disabled user's session on the other instance: %v", err)
			}
		})
	}
}

// Hot statements are prepared once per pool and then reused: the reader's at first use,
// the writer's before the write transaction after their first use.
func TestHotStatementsPrepared(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "fugong.db")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, auth.System, auth.User{Username: "hot-x", Role: auth.Admin, ScopeText: "all"}, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := storetest.Token(ctx, db, auth.System, u.ID, "t")
	if err != nil {
		t.Fatal(err)
	}
	r0, _ := store.PreparedForTest(db)
	for range 3 {
		if _, err := db.TokenUser(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if _, err := storetest.Token(ctx, db, auth.System, u.ID, "t"); err != nil { // each write forgets the remembered user
			t.Fatal(err)
		}
	}
	if r1, _ := store.PreparedForTest(db); r1 != r0+1 {
		t.Errorf("reader prepared %d statements for one hot query, want 1", r1-r0)
	}
}
