package web

import (
	"net/http"
	"net/url"

	"fugong/internal/list"
	"fugong/internal/xlsx"
)

// The exports of the lists ("export what is shown"): one workbook a list, with the rows
// the list's filters select on every page, in Chinese as the registers are kept.

// xlsxDownload sets the headers of a workbook sent as a download: file is its name in
// ASCII (for old clients), name its Chinese name, both ending in .xlsx.
func xlsxDownload(w http.ResponseWriter, file, name string) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\""+file+"\"; filename*=UTF-8''"+url.PathEscape(name))
}

// exportPages answers a workbook of one sheet (xlsxDownload's file and name) with the
// items of every page that page reads, up to the first page short of list.MaxSize, each
// item's cells made by row. The first page is read before anything is sent, so that a
// refusal answers as an error page, not as a download.
func exportPages[T any](w http.ResponseWriter, file, name, sheet string, cols []xlsx.Column, page func(list.Page) ([]T, error), row func(T) []any) error {
	items, err := page(list.Page{Number: 1, Size: list.MaxSize})
	if err != nil {
		return err
	}
	xlsxDownload(w, file, name)
	return xlsx.Write(w, sheet, cols, func(yield func([]any) error) error {
		for n := 1; ; n++ {
			if n > 1 {
				if items, err = page(list.Page{Number: n, Size: list.MaxSize}); err != nil {
					return err
				}
			}
			for _, it := range items {
				if err := yield(row(it)); err != nil {
					return err
				}
			}
			if len(items) < list.MaxSize {
				return nil
			}
		}
	})
}
