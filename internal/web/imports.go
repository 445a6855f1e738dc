package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/xlsx"
)

// What the import pages and API share: reading an uploaded sheet, and the one answer
// to a sheet that cannot be read.

// uploadedSheet reads the spreadsheet of an import (form field "file"). A file over
// xlsx.MaxFileBytes is refused before it is read into memory, and the file is read
// into a buffer of its size, with no copies on the way; the other problems of an
// upload are answered by uploadedFile.
func uploadedSheet(r *http.Request) ([]byte, string, error) {
	f, h, err := r.FormFile("file")
	if err != nil {
		// The form is parsed once: uploadedFile meets the same failure and answers it.
		return uploadedFile(r)
	}
	defer f.Close()
	if err := xlsx.CheckSize(h.Size); err != nil {
		return nil, "", sheetError(err)
	}
	b := make([]byte, h.Size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, "", err
	}
	// The file's name as uploadedFile gives it: its base name, at most 200 characters.
	name := path.Base(strings.ReplaceAll(h.Filename, `\`, "/"))
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	return b, name, nil
}

// openSheet makes every check the reading of an uploaded sheet makes before its rows,
// so that a page can refuse a file at once rather than in a background import, and
// returns the sheet ready to be read without checking it again.
func openSheet(b []byte) (*xlsx.Sheet, error) {
	sh, err := xlsx.Open(bytes.NewReader(b))
	return sh, sheetError(err)
}

// sheetError turns the errors of xlsx.Read and xlsx.Check about the file into an
// Invalid error about "file", in Chinese and English: a header without the required
// columns, a file past a limit (saying which, and what the limits are), a file that is
// not an .xlsx workbook. Other errors, such as those of the callback, pass unchanged.
func sheetError(err error) error {
	var he *xlsx.HeaderError
	var le *xlsx.LimitError
	switch {
	case errors.As(err, &he):
		return apperr.NewInvalid("file", he.Reason, he.ReasonEN)
	case errors.As(err, &le):
		return apperr.NewInvalid("file", le.Reason, le.ReasonEN)
	case errors.Is(err, xlsx.ErrFormat):
		return apperr.NewInvalid("file", "文件不是有效的 .xlsx 表格,请用 Excel 或 WPS 另存为 .xlsx 后重试", "The file is not a valid .xlsx workbook; save it as .xlsx and try again")
	}
	return err
}

// importFailure is what an import job that failed with err tells its user: the
// problem itself when there is one.
func importFailure(e *apperr.Error) string {
	if len(e.Problems) == 1 {
		return fmt.Sprintf("%s / %s", e.Problems[0].Message, e.Problems[0].MessageEN)
	}
	return e.Message + " / " + e.MessageEN
}
