package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/idnum"
	"fugong/internal/policy"
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

// BenchmarkRosterList100k reads the first page of the roster API (with its counts by
// phase) over 100,000 employees in 200 enterprises, as the county (all of them) and as a
// town (20 of them), and with a phase filter.
func BenchmarkRosterList100k(b *testing.B) {
	const enterprises, perEnterprise = 200, 500
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			w := newWorld(b, storetest.Open(b, engine))
			ctx := context.Background()
			admin := w.users[auth.Admin].Principal()
			pol := policy.Default()
			ids := []int64{w.entA, w.entB}
			for i := len(ids); i < enterprises; i++ {
				code := w.townB
				if i < enterprises/10 {
					code = "330402001001" // the town's tenth
				}
				e, err := w.db.CreateEnterprise(ctx, auth.System, enterprise.Enterprise{Name: fmt.Sprintf("企业%03d", i), USCC: uscc(b, 1000+i),
					Category: pol.Categories[0].Code, RegionCode: code}, nil)
				if err != nil {
					b.Fatal(err)
				}
				ids = append(ids, e.ID)
			}
			now := w.db.Now()
			for _, ent := range ids {
				rows := make([]roster.ImportRow, perEnterprise)
				for i := range rows {
					oc := pol.OriginClasses[i%len(pol.OriginClasses)]
					e := roster.Employee{Name: fmt.Sprintf("员工%04d", i), IDNumber: idNumber(b, i), Origin: oc.Code, JourneyHours: float64(i % 9)}
					if i%7 != 0 {
						e.ReturnDate = roster.Day(now, pol.Location()).AddDate(0, 0, 3-i%30)
					}
					rows[i] = roster.ImportRow{Num: i + 2, E: e}
				}
				if res, err := w.db.Roster().Import(ctx, admin, ent, storetest.Rows(rows), len(rows), false, nil); err != nil || res.Created != perEnterprise {
					b.Fatalf("import: %+v %v", res, err)
				}
			}
			// The stored clocks are written with the rows; the daily jobs' first run, whose
			// refresh of the clocks is a full one (no state yet), is timed apart.
			start := time.Now()
			if _, err := w.db.RunDailyJobs(ctx, w.db.Now()); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: the daily jobs' first run (a full refresh of the stored clocks, no state yet): %v", engine, time.Since(start))
			for _, c := range []struct {
				name string
				role auth.Role
				path string
			}{
				{"county", auth.Command, "/api/v1/employees?page=1"},
				{"town", auth.Town, "/api/v1/employees?page=1"},
				{"county-isolating", auth.Command, "/api/v1/employees?page=1&phase=isolating"},
				{"town-isolating", auth.Town, "/api/v1/employees?page=1&phase=isolating"},
			} {
				b.Run(c.name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						req, _ := http.NewRequest(http.MethodGet, w.ts.URL+c.path, nil)
						req.Header.Set("Authorization", "Bearer "+w.tokens[c.role])
						resp, err := http.DefaultClient.Do(req)
						if err != nil {
							b.Fatal(err)
						}
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"counts"`) {
							b.Fatalf("%d %.300s", resp.StatusCode, body)
						}
					}
				})
			}
		})
	}
}
