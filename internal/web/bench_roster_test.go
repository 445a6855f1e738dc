package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/idnum"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
	"fugong/internal/xlsx"
)

// idNumber makes a valid resident ID number from a serial number.
func idNumber(tb testing.TB, n int) string {
	first := fmt.Sprintf("330402199%01d%02d%02d%03d", n%10, 1+n/10%12, 1+n/120%28, n/3360%1000)
	c, err := idnum.CheckChar(first)
	if err != nil {
		tb.Fatal(err)
	}
	return first + string(c)
}

// BenchmarkRosterImport100k imports a 100,000-row roster through the API, end to end:
// upload, read the sheet, validate every row (ID check digits, duplicates), encrypt the ID
// numbers, write and audit. Run with -benchtime=1x.
func BenchmarkRosterImport100k(b *testing.B) {
	const n = 100_000
	seen := map[string]bool{}
	var buf strings.Builder
	err := xlsx.Write(&buf, "花名册", roster.Columns, func(yield func([]any) error) error {
		for i := 0; len(seen) < n; i++ {
			id := idNumber(b, i)
			if seen[id] {
				continue
			}
			seen[id] = true
			if err := yield([]any{fmt.Sprintf("员工%06d", i), id, "13800000000", "一车间", "本地", "某路 1 号", "2020-02-01", "自驾", 1, "无", "无", "健康"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	file := []byte(buf.String())
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				w := newWorld(b, storetest.Open(b, engine))
				mem := startPeakRSS()
				b.StartTimer()
				status, body, _ := upload(b, http.DefaultClient, w.ts.URL+"/api/v1/employees/import?enterprise="+itoa(w.entA), w.tokens[auth.Enterprise], file, nil)
				mem.report(b)
				if status != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`"created":%d`, n)) {
					b.Fatalf("import: %d %.400s", status, body)
				}
			}
		})
	}
}
