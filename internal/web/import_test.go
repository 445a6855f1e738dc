package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
	"fugong/internal/xlsx"
)

// sheet builds an enterprise import file from rows of cells in enterprise.Columns order.
func sheet(t testing.TB, rows [][]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := xlsx.Write(&buf, "企业", enterprise.Columns, func(yield func([]any) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func row(name, code, category, region string) []any {
	return []any{name, code, category, region, "", "", "未复工", "是", "否", "否", "否", "张三", "李四", "13800000000", 12, "某路 1 号"}
}

// upload posts a multipart file, as the API (token) or as a signed-in browser.
func upload(t testing.TB, c *http.Client, url, token string, file []byte, fields map[string]string) (int, string, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "企业.xlsx")
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", url, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	} else {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

func TestEnterpriseImportAPI(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		good := row("新华制造有限公司", uscc(t, 501), "规模以上工业", w.townA)
		bad := row("坏代码公司", "91330402MA00000019", "规模以上工业", w.townA)
		foreign := row("越界公司", uscc(t, 502), "规模以上工业", w.townB)
		file := sheet(t, [][]any{good, bad, foreign})
		url := w.ts.URL + "/api/v1/enterprises/import"

		status, body, _ := upload(t, http.DefaultClient, url, w.tokens[auth.Town], file, nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `"row":3`) || !strings.Contains(body, `"row":4`) || !strings.Contains(body, `"written":false`) {
			t.Fatalf("strict import: %d %s", status, body)
		}
		var list struct{ Total int }
		w.api(auth.Town, "GET", "/api/v1/enterprises", nil, &list)
		if list.Total != 1 {
			t.Fatalf("strict import wrote rows: %d enterprises in town A", list.Total)
		}
		status, body, _ = upload(t, http.DefaultClient, url+"?valid_only=true", w.tokens[auth.Town], file, nil)
		if status != http.StatusOK || !strings.Contains(body, `"created":1`) || !strings.Contains(body, `"skipped":2`) {
			t.Fatalf("valid-rows import: %d %s", status, body)
		}
		// Not a spreadsheet.
		status, body, _ = upload(t, http.DefaultClient, url, w.tokens[auth.Town], []byte("name,uscc\nx,y\n"), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, ".xlsx") {
			t.Fatalf("csv upload: %d %s", status, body)
		}
		// Missing required header.
		var buf bytes.Buffer
		xlsx.Write(&buf, "x", []xlsx.Column{{Key: "name", Header: "企业名称"}}, func(yield func([]any) error) error { return yield([]any{"甲"}) })
		status, body, _ = upload(t, http.DefaultClient, url, w.tokens[auth.Town], buf.Bytes(), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "统一社会信用代码") {
			t.Fatalf("missing header: %d %s", status, body)
		}
	})
}

func TestEnterpriseImportPageAndExport(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		b := w.login(auth.Town)
		var rows [][]any
		for i := 0; i < 2500; i++ {
			rows = append(rows, row(fmt.Sprintf("批量企业%04d", i), uscc(t, 1000+i), "规模以下工业", "330402001001"))
		}
		status, _, loc := upload(t, b.c, w.ts.URL+"/enterprises/import", "", sheet(t, rows), nil)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/imports/") {
			t.Fatalf("upload: %d %s", status, loc)
		}
		deadline := time.Now().Add(60 * time.Second)
		var page string
		for time.Now().Before(deadline) {
			_, page = b.get(loc)
			if !strings.Contains(page, "data-job") {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !strings.Contains(page, "导入完成") || !strings.Contains(page, "2500") {
			t.Fatalf("job page:\n%s", page)
		}
		// Export what a filtered list shows; it opens as a workbook with the same rows.
		status, body := b.get("/enterprises/export?q=" + "批量企业00")
		if status != http.StatusOK {
			t.Fatalf("export: %d", status)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.GetRows(f.GetSheetName(0))
		if len(got) != 101 || got[0][0] != "企业名称" || !strings.HasPrefix(got[1][0], "批量企业00") {
			t.Fatalf("export has %d rows: %v", len(got), got[:2])
		}
		// The export re-imports without a change (every row updates itself).
		status, respBody, _ := upload(t, http.DefaultClient, w.ts.URL+"/api/v1/enterprises/import", w.tokens[auth.Town], []byte(body), nil)
		if status != http.StatusOK || !strings.Contains(respBody, `"updated":100`) {
			t.Fatalf("re-import export: %d %s", status, respBody)
		}
		if _, err := w.db.VerifyAudit(w.ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkImport50k imports 50,000 enterprise rows through the API, end to end: upload,
// read the sheet, check every row, write, audit. Run with -benchtime=1x.
func BenchmarkImport50k(b *testing.B) {
	rows := make([][]any, 50000)
	for i := range rows {
		rows[i] = row(fmt.Sprintf("基准企业%05d", i), uscc(b, 100000+i), "规模以下工业", "330402001001")
	}
	file := sheet(b, rows)
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				w := newWorld(b, storetest.Open(b, engine))
				mem := startPeakRSS()
				b.StartTimer()
				status, body, _ := upload(b, http.DefaultClient, w.ts.URL+"/api/v1/enterprises/import", w.tokens[auth.Admin], file, nil)
				mem.report(b)
				if status != http.StatusOK || !strings.Contains(body, `"created":50000`) {
					b.Fatalf("import: %d %.300s", status, body)
				}
			}
		})
	}
}
