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

// Rows queued by a group's changes are sent together at its end: on PostgreSQL outside
// any transaction when no change ran another statement, inside the transaction when one
// did (and then before that statement, which sees them). Either way every acknowledged
// row is there under the id its change was given, and a row the database refuses (a
// duplicate) fails its own change only.
func TestGroupedRowsCommitTogether(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		if err := store.CreateQueuedForTest(ctx, db); err != nil {
			t.Fatal(err)
		}
		const n, dup = 300, 1_000_000
		ids := make([]int64, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				errs[i] = store.WriteGroupedForTest(ctx, db, func(tx *store.Tx) error {
					v := int64(i)
					if i%25 == 0 {
						v = dup // one of these is written, the others refused
					}
					id, err := tx.InsertQueued(v)
					if err != nil {
						return err
					}
					ids[i] = id
					if i%10 == 3 { // another statement: it begins the transaction and sees the row
						return tx.Exec(`INSERT INTO grouped_seen (id) SELECT id FROM grouped_q WHERE id = ?`, id)
					}
					return nil
				})
			})
		}
		wg.Wait()
		dups, seen := 0, 0
		for i, err := range errs {
			switch {
			case i%25 == 0 && err == nil:
				dups++
			case i%25 == 0:
			case err != nil:
				t.Fatalf("change %d: %v", i, err)
			}
			if err != nil {
				continue
			}
			if i%10 == 3 {
				seen++
			}
			var v int64
			if err := store.ScanRowForTest(ctx, db, `SELECT n FROM grouped_q WHERE id = ?`, []any{ids[i]}, &v); err != nil {
				t.Fatalf("change %d, id %d: %v", i, ids[i], err)
			}
			if want := int64(i); v != want && (i%25 != 0 || v != dup) {
				t.Errorf("change %d, id %d: n = %d", i, ids[i], v)
			}
		}
		if dups != 1 {
			t.Errorf("%d of the duplicates written, want 1", dups)
		}
		if got, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM grouped_q`); err != nil || got != n-n/25+1 {
			t.Errorf("%d rows, want %d (%v)", got, n-n/25+1, err)
		}
		if got, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM grouped_seen`); err != nil || got != seen || seen != n/10 {
			t.Errorf("%d rows seen by the statement after them, want %d of %d (%v)", got, seen, n/10, err)
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
