package store_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// BenchmarkAuditedWrites measures audited changes (a park created, its row chained into
// the trail before the answer) from 32 writers at once on PostgreSQL, where no change
// waits for another's commit: their rows are chained in batches right after. Measure a
// durable server (FUGONG_TEST_PG_DURABLE=1), e.g. -benchtime=5s.
func BenchmarkAuditedWrites(b *testing.B) {
	db := storetest.Open(b, store.Postgres)
	if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402", Name: "县"}}); err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	b.SetParallelism(16) // × 2 cores: 32 writers
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if _, err := db.SavePark(ctx, auth.System, region.Park{Name: fmt.Sprintf("园区%d", i), RegionCode: "330402", Operator: "物业"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
