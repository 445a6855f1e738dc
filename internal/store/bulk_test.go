package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/list"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// rowsOf yields n enterprise rows from id base, then nil; fail makes the k-th row an error.
func rowsOf(t testing.TB, base int64, n, fail int) func() ([]any, error) {
	i := 0
	return func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		i++
		if i == fail {
			return nil, errors.New("no more rows")
		}
		id := base + int64(i-1)
		return []any{id, fmt.Sprintf("批量企业%d", i), uscc(t, 500000+i), "other", "330402", "not_resumed", 1, bulkAt(), bulkAt()}, nil
	}
}

// bulkAt is the time of the bulk rows.
func bulkAt() time.Time { return time.Date(2020, 2, 20, 2, 0, 0, 0, time.UTC) }

var bulkCols = []string{"id", "name", "uscc", "category", "region_code", "status", "version", "created_at", "updated_at"}

func TestBulkLoad(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402", Name: "示范县"}}); err != nil {
			t.Fatal(err)
		}
		// More rows than one statement takes on SQLite, and an audit row with them.
		const n = 2500
		err := db.BulkLoad(ctx, func(b *store.Bulk) error {
			if err := b.DeferIndexes("enterprises"); err != nil { // rebuilt at the end
				return err
			}
			base, err := b.NextID("enterprises")
			if err != nil {
				return err
			}
			got, err := b.Copy("enterprises", bulkCols, rowsOf(t, base, n, 0))
			if err != nil {
				return err
			}
			if got != n {
				t.Errorf("copied %d rows, want %d", got, n)
			}
			return b.Audit(auth.System, "test.bulk", "table", "enterprises", map[string]any{"rows": got})
		})
		if err != nil {
			t.Fatal(err)
		}
		_, total, err := db.ListEnterprises(ctx, auth.System, enterprise.Filter{Page: list.Page{Size: 1}})
		if err != nil || total != n {
			t.Fatalf("enterprises = %d, %v", total, err)
		}
		// The ids continue after the ones given.
		e, err := db.CreateEnterprise(ctx, auth.System, enterprise.Enterprise{Name: "之后的企业", USCC: uscc(t, 9), Category: "other", RegionCode: "330402"}, anyCategory)
		if err != nil {
			t.Fatal(err)
		}
		if e.ID != n+1 {
			t.Errorf("next id = %d, want %d", e.ID, n+1)
		}
		if rows, err := db.VerifyAudit(ctx); err != nil || rows < 3 {
			t.Errorf("audit: %d rows, %v", rows, err)
		}

		// A load that fails leaves nothing behind, its dropped indexes included.
		err = db.BulkLoad(ctx, func(b *store.Bulk) error {
			if err := b.DeferIndexes("enterprises"); err != nil {
				return err
			}
			if _, err := b.Copy("enterprises", bulkCols, rowsOf(t, 10_000, 1500, 0)); err != nil {
				return err
			}
			_, err := b.Copy("enterprises", bulkCols, rowsOf(t, 20_000, 10, 5))
			return err
		})
		if err == nil {
			t.Fatal("a failing source gave no error")
		}
		if _, total, _ := db.ListEnterprises(ctx, auth.System, enterprise.Filter{Page: list.Page{Size: 1}}); total != n+1 {
			t.Errorf("after a failed load: %d enterprises, want %d", total, n+1)
		}
		// The indexes are back: a load that drops them again finds them.
		if err := db.BulkLoad(ctx, func(b *store.Bulk) error { return b.DeferIndexes("enterprises") }); err != nil {
			t.Error(err)
		}
		// Bad names are refused before any SQL.
		err = db.BulkLoad(ctx, func(b *store.Bulk) error {
			_, err := b.Copy("enterprises; DROP TABLE users", bulkCols, rowsOf(t, 1, 1, 0))
			return err
		})
		if err == nil {
			t.Error("a bad table name was accepted")
		}
	})
}
