package web

import (
	"errors"
	"net/http/httptest"
	"testing"

	"fugong/internal/list"
	"fugong/internal/xlsx"
)

// An export whose first page is refused sends no download headers, so that the error
// answers as a page; one that reads sends the workbook.
func TestExportPagesRefusedBeforeDownload(t *testing.T) {
	cols := []xlsx.Column{{Key: "n", Header: "序号"}}
	refused := errors.New("refused")
	rec := httptest.NewRecorder()
	err := exportPages(rec, "x.xlsx", "台账.xlsx", "台账", cols, func(list.Page) ([]int, error) { return nil, refused }, func(n int) []any { return []any{n} })
	if !errors.Is(err, refused) || rec.Header().Get("Content-Disposition") != "" || rec.Body.Len() != 0 {
		t.Fatalf("refused: %v %v %d bytes", err, rec.Header(), rec.Body.Len())
	}
	rec = httptest.NewRecorder()
	pages := 0
	err = exportPages(rec, "x.xlsx", "台账.xlsx", "台账", cols, func(pg list.Page) ([]int, error) {
		pages++
		if pg.Number > 1 {
			return nil, nil
		}
		return make([]int, list.MaxSize), nil
	}, func(n int) []any { return []any{n} })
	if err != nil || rec.Header().Get("Content-Disposition") == "" || rec.Body.Len() == 0 || pages != 2 {
		t.Fatalf("read: %v %v %d bytes, %d pages", err, rec.Header(), rec.Body.Len(), pages)
	}
}
