package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/roster"
	"fugong/internal/store/storetest"
	"fugong/internal/xlsx"
)

// TestRosterExportMany: the roster of the whole county (as the county command sees it)
// exports row by row as the store reads them; the file opens and holds every person.
func TestRosterExportMany(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		const n = 3000
		rows := make([]roster.ImportRow, n)
		ret := time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)
		for i := range rows {
			rows[i] = roster.ImportRow{Num: i + 2, E: roster.Employee{Name: fmt.Sprintf("导出员工%04d", i), IDNumber: idNumber(t, i), Origin: "local", ReturnDate: ret}}
		}
		res, err := w.db.Roster().Import(w.ctx, auth.System, w.entA, storetest.Rows(rows), len(rows), false, nil)
		if err != nil || res.Created != n {
			t.Fatalf("seed: %+v %v", res, err)
		}
		req, _ := http.NewRequest("GET", w.ts.URL+"/api/v1/employees/export", nil)
		req.Header.Set("Authorization", "Bearer "+w.tokens[auth.Command])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("export: %d %.300s", resp.StatusCode, body)
		}
		got := map[string]bool{}
		if err := xlsx.Read(bytes.NewReader(body), roster.ExportColumns, func(r xlsx.Row) error {
			got[r.Values[roster.ExportColumns[0].Key]] = true
			return nil
		}, nil); err != nil {
			t.Fatalf("the export does not read back: %v", err)
		}
		for i := 0; i < n; i++ {
			if !got[fmt.Sprintf("导出员工%04d", i)] {
				t.Fatalf("导出员工%04d missing from the export of %d rows", i, len(got))
			}
		}
	})
}
