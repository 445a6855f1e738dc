package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// Concurrent grouped writes all commit, and one that fails is rolled back alone.
func TestWriteGrouped(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		if err := store.ExecForTest(ctx, db, `CREATE TABLE grouped_t (n INTEGER PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		const n = 200
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs[i] = store.WriteGroupedForTest(ctx, db, func(tx *store.Tx) error {
					if err := tx.Exec(`INSERT INTO grouped_t (n) VALUES (?)`, i); err != nil {
						return err
					}
					if i%10 == 0 {
						return fmt.Errorf("refused %d", i)
					}
					return nil
				})
			}(i)
		}
		wg.Wait()
		for i, err := range errs {
			if (i%10 == 0) != (err != nil) {
				t.Fatalf("write %d: %v", i, err)
			}
		}
		got, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM grouped_t`)
		if err != nil || got != n-n/10 {
			t.Fatalf("%d rows committed, want %d (%v)", got, n-n/10, err)
		}
		db.Close()
		if err := store.WriteGroupedForTest(ctx, db, func(*store.Tx) error { return nil }); err == nil {
			t.Fatal("a grouped write after Close succeeded")
		}
	})
}

// A committer waits for announced writes, but a write announced and then abandoned holds
// up the others by a moment at most; a lone write is not held at all.
func TestWriteGroupedLinger(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	if err := store.ExecForTest(ctx, db, `CREATE TABLE grouped_l (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	insert := func(n int) error {
		return store.WriteGroupedForTest(ctx, db, func(tx *store.Tx) error {
			err := tx.Exec(`INSERT INTO grouped_l (n) VALUES (?)`, n)
			return err
		})
	}
	start := time.Now()
	for i := range 20 {
		if err := insert(i); err != nil {
			t.Fatal(err)
		}
	}
	alone := time.Since(start)

	abandoned := store.GroupComingForTest(db) // announced, never written
	start = time.Now()
	for i := 20; i < 40; i++ {
		if err := insert(i); err != nil {
			t.Fatal(err)
		}
	}
	held := time.Since(start)
	abandoned()
	abandoned() // a second call changes nothing
	// Each of the 20 writes may wait out the linger once (0.5 ms); a generous bound
	// keeps a slow machine from failing the test while a stuck committer still would.
	if held > alone+2*time.Second {
		t.Errorf("20 writes took %v with an abandoned announcement, %v without", held, alone)
	}
	commits, changes := db.GroupStats()
	if changes != 40 || commits == 0 || commits > 40 {
		t.Errorf("GroupStats: %d commits, %d changes; want 40 changes", commits, changes)
	}
	if n, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM grouped_l`); err != nil || n != 40 {
		t.Fatalf("%d rows, %v", n, err)
	}
}
