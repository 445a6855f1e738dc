package store_test

import (
	"fmt"
	"sync"
	"testing"

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
				errs[i] = db.WriteGrouped(ctx, func(tx *store.Tx) error {
					if _, err := tx.Exec(`INSERT INTO grouped_t (n) VALUES (?)`, i); err != nil {
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
		if err := db.WriteGrouped(ctx, func(*store.Tx) error { return nil }); err == nil {
			t.Fatal("a grouped write after Close succeeded")
		}
	})
}
