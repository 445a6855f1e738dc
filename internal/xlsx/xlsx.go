// Package xlsx imports and exports simple one-table spreadsheets with
// Chinese headers, streaming so that large files are neither built nor read
// whole in memory.
//
// A sheet is a header row followed by data rows; Column maps a header to the
// key the program uses. Write produces such a sheet, writing the .xlsx
// package itself as the rows come; Read finds the header row of an uploaded
// workbook with github.com/xuri/excelize/v2, maps its columns and hands each
// data row to a callback. Read, and Check before it, refuse a workbook past
// the limits on its size and shape (MaxFileBytes and the figures after it)
// with a *LimitError, in bounded memory and time.
package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Column describes one column of a sheet.
type Column struct {
	// Key names the column in the program: the key of Row.Values. Read also
	// accepts it as a header.
	Key string
	// Header is the text of the header cell, usually Chinese ("企业名称").
	Header string
	// Width is the column width in characters for Write; 0 sizes the column
	// to fit its header (a Chinese character counts as two).
	Width float64
	// Required makes Read fail with a *HeaderError when the sheet has no
	// column with this header. It says nothing about the cells.
	Required bool
	// Text makes Write format the whole column as text ("@"), so that long
	// digit strings typed into a downloaded template (identity numbers,
	// credit codes, phone numbers) stay exact instead of turning into
	// numbers such as 3.30102E+17.
	Text bool
}

// TimeLayout is the layout of time.Time values written by Write, and of how
// Read returns them from sheets that Write produced.
const TimeLayout = "2006-01-02 15:04"

// headerScanRows is how many non-empty rows Read examines to find the header
// row, allowing for title rows above it.
const headerScanRows = 10

// progressEvery is how often, in data rows, Read reports progress.
const progressEvery = 1000

// ErrFormat is returned, wrapped, by Read when the input is not an .xlsx
// workbook: an old .xls file, a CSV file, an encrypted or damaged workbook.
// Use errors.Is to detect it.
var ErrFormat = errors.New("文件不是有效的Excel工作簿(.xlsx),请在Excel或WPS中另存为.xlsx格式后重试 / the file is not a valid Excel workbook (.xlsx); save it as .xlsx in Excel or WPS and try again")

// headerWidth is a column width that fits header, a CJK character counting
// as two, with a little room for the filter button; at least 10.
func headerWidth(header string) float64 {
	w := 0.0
	for _, r := range header {
		if r >= 0x1100 && (unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x30FF || r >= 0xFF00 && r <= 0xFF60) {
			w += 2.1
		} else {
			w += 1.1
		}
	}
	return math.Max(10, math.Ceil(w+2))
}

// Row is one data row read by Read.
type Row struct {
	// Num is the 1-based row number in the spreadsheet, as shown at the
	// left of the sheet: use it in messages about the row.
	Num int
	// Values holds the trimmed text of the row's cells by Column.Key, for
	// every column found in the header row ("" for an empty cell). Columns
	// not found in the sheet have no entry.
	Values map[string]string
}

// HeaderError is returned by Read when the header row lacks required
// columns or repeats a column, or no header row is found at all. Reason is
// in Chinese and meant to be shown to users as is; ReasonEN is its English
// translation; Error() gives "Reason / ReasonEN".
type HeaderError struct {
	// Row is the 1-based number of the row taken as the header row; 0 when
	// no row looked like one.
	Row int
	// Missing lists the headers of required columns not found.
	Missing []string
	// Duplicate lists the headers found in more than one column.
	Duplicate []string
	Reason    string
	ReasonEN  string
}

func (e *HeaderError) Error() string { return e.Reason + " / " + e.ReasonEN }

func newHeaderError(row int, missing, duplicate []string, cols []Column) *HeaderError {
	e := &HeaderError{Row: row, Missing: missing, Duplicate: duplicate}
	var zh, en []string
	if row == 0 {
		var want []string
		for _, c := range cols {
			want = append(want, c.Header)
		}
		zh = append(zh, "没有找到表头行,表头应包含:"+strings.Join(want, "、"))
		en = append(en, "no header row found; the header should contain: "+strings.Join(want, ", "))
	} else {
		if len(missing) > 0 {
			zh = append(zh, fmt.Sprintf("第%d行表头缺少必填列:%s", row, strings.Join(missing, "、")))
			en = append(en, fmt.Sprintf("the header (row %d) lacks required columns: %s", row, strings.Join(missing, ", ")))
		}
		if len(duplicate) > 0 {
			zh = append(zh, fmt.Sprintf("第%d行表头有重复的列:%s", row, strings.Join(duplicate, "、")))
			en = append(en, fmt.Sprintf("the header (row %d) repeats columns: %s", row, strings.Join(duplicate, ", ")))
		}
	}
	e.Reason = strings.Join(zh, ";")
	e.ReasonEN = strings.Join(en, "; ")
	return e
}

// Read reads the first sheet of the .xlsx workbook in r, calling fn with
// each data row in order.
//
// The header row is the first of the sheet's first ten non-empty rows that
// has every required column and at least one column of cols, so title
// rows above it are skipped. A header cell matches a Column when it equals
// its Header or its Key, ignoring white space anywhere (line breaks
// included), full-width/half-width differences, the case of Latin letters,
// a "*" marking required columns and a trailing "(必填)" or "(选填)". Other
// columns of the sheet are ignored. A *HeaderError reports missing required
// columns, columns that appear twice, or a sheet with no header row.
//
// Rows after the header whose cells are all empty are skipped; cells are
// trimmed of white space. Cells are read as displayed: numbers and dates
// through their number format, with the built-in short date format read as
// "2006-01-02".
//
// If progress is not nil it is called with the number of data rows handed to
// fn so far, after every 1000 rows and once at the end (unless the end fell
// on a multiple of 1000). An error from fn stops the reading and is
// returned as is. Input that is not an .xlsx workbook, or whose parts are
// damaged, gives an error wrapping ErrFormat.
//
// Before any row is read, the file is checked against the limits (see
// MaxFileBytes and the figures after it) and its sheets are scanned as they
// unzip, so that a file past one gives a *LimitError within a second or two
// and in little memory, whatever it holds. Read holds the compressed file in
// memory (a *bytes.Reader is used as is) and streams the sheet.
func Read(r io.Reader, cols []Column, fn func(Row) error, progress func(done int)) error {
	sh, err := Open(r)
	if err != nil {
		return err
	}
	return sh.Read(cols, fn, progress)
}

// Sheet is an uploaded workbook that passed the checks of Check, ready to be read.
type Sheet struct {
	ra   io.ReaderAt
	size int64
	rows int
}

// Open makes the checks of Check on the .xlsx workbook in r (held in memory as Read
// holds it) and returns it ready to be read, so that a server can refuse a file at once
// and read it later, without checking it twice.
func Open(r io.Reader) (*Sheet, error) {
	ra, size, err := readerAt(r)
	if err != nil {
		return nil, err
	}
	p, err := open(ra, size)
	if err != nil {
		return nil, err
	}
	if err := p.scan(); err != nil {
		return nil, err
	}
	return &Sheet{ra: ra, size: size, rows: p.rows}, nil
}

// Rows is the number of rows of the workbook's longest worksheet, header and empty rows
// included: at most one more than the data rows Read finds, for a progress bar.
func (sh *Sheet) Rows() int { return sh.rows }

// Read reads the first worksheet as the function Read does, streaming it: fn sees
// each data row in turn and no row is kept.
func (sh *Sheet) Read(cols []Column, fn func(Row) error, progress func(done int)) error {
	ra, size := sh.ra, sh.size
	f, err := excelize.OpenReader(io.NewSectionReader(ra, 0, size), excelize.Options{
		UnzipSizeLimit:    MaxUnzippedBytes,
		UnzipXMLSizeLimit: xmlInMemoryBytes,
		ShortDatePattern:  "[$-804]yyyy-mm-dd", // the locale tag: see stylesXML
		LongTimePattern:   "hh:mm:ss",
		CultureInfo:       excelize.CultureNameZhCN,
	})
	if err != nil {
		return fmt.Errorf("%w (%v)", ErrFormat, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return fmt.Errorf("%w (no worksheet)", ErrFormat)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return fmt.Errorf("%w (%v)", ErrFormat, err)
	}
	defer rows.Close()

	keys := make([]string, len(cols))
	names := make([]string, 0, 2*len(cols)) // normalized header, then key
	for i, c := range cols {
		keys[i] = c.Key
		names = append(names, headerKey(c.Header), headerKey(c.Key))
	}

	var (
		num, scanned, done int
		mapping            []colMap // nil until the header row is found
		best               *HeaderError
		bestMatched        = -1
	)
	for rows.Next() {
		num++
		cells, err := rows.Columns()
		if err != nil {
			return fmt.Errorf("%w (row %d: %v)", ErrFormat, num, err)
		}
		if mapping == nil {
			if allEmpty(cells) {
				continue
			}
			m, missing, dup, matched := matchHeader(cells, cols, names)
			if matched > 0 && len(missing) == 0 && len(dup) == 0 {
				mapping = m
				continue
			}
			if matched > bestMatched {
				bestMatched = matched
				if matched > 0 {
					best = newHeaderError(num, missing, dup, cols)
				}
			}
			if scanned++; scanned >= headerScanRows {
				break
			}
			continue
		}
		if allEmpty(cells) {
			continue
		}
		values := make(map[string]string, len(mapping))
		for _, m := range mapping {
			v := ""
			if m.sheetCol < len(cells) {
				v = trim(cells[m.sheetCol])
			}
			values[keys[m.col]] = v
		}
		if err := fn(Row{Num: num, Values: values}); err != nil {
			return err
		}
		done++
		if progress != nil && done%progressEvery == 0 {
			progress(done)
		}
	}
	if err := rows.Error(); err != nil {
		return fmt.Errorf("%w (%v)", ErrFormat, err)
	}
	if mapping == nil {
		if best != nil {
			return best
		}
		return newHeaderError(0, nil, nil, cols)
	}
	if progress != nil && done%progressEvery != 0 {
		progress(done)
	}
	return nil
}

// readerAt gives random access to the file in r: a *bytes.Reader as is (from its
// position), anything else read into memory, at most MaxFileBytes.
func readerAt(r io.Reader) (io.ReaderAt, int64, error) {
	if br, ok := r.(*bytes.Reader); ok {
		size := br.Size()
		from := size - int64(br.Len())
		return io.NewSectionReader(br, from, size-from), size - from, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, 0, fmt.Errorf("xlsx: %w", err)
	}
	return bytes.NewReader(b), int64(len(b)), nil
}

// colMap maps a sheet column index to an index of cols.
type colMap struct{ sheetCol, col int }

// matchHeader maps the cells of a candidate header row to cols. names holds
// the normalized header and key of each column. It returns the mapping, the
// headers of missing required columns and of repeated columns, and how many
// columns were found.
func matchHeader(cells []string, cols []Column, names []string) (m []colMap, missing, dup []string, matched int) {
	found := make([]int, len(cols)) // times each column was found
	for j, cell := range cells {
		k := headerKey(cell)
		if k == "" {
			continue
		}
		i := -1
		for n := range cols { // a Header match wins over a Key match
			if names[2*n] == k {
				i = n
				break
			}
		}
		if i < 0 {
			for n := range cols {
				if names[2*n+1] == k {
					i = n
					break
				}
			}
		}
		if i < 0 {
			continue
		}
		found[i]++
		if found[i] == 1 {
			m = append(m, colMap{j, i})
			matched++
		} else if found[i] == 2 {
			dup = append(dup, cols[i].Header)
		}
	}
	for i, c := range cols {
		if c.Required && found[i] == 0 {
			missing = append(missing, c.Header)
		}
	}
	return m, missing, dup, matched
}

// headerKey normalizes a header for matching: white space removed
// everywhere, full-width ASCII folded to half width, Latin letters lower
// case, "*" marks and a trailing "(必填)" or "(选填)" removed.
func headerKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isSpace(r) {
			continue
		}
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	k := b.String()
	for _, suffix := range []string{"(必填)", "(选填)", "(必填项)", "(选填项)"} {
		k = strings.TrimSuffix(k, suffix)
	}
	return strings.Trim(k, "*")
}

// isSpace reports white space, zero-width characters and the byte-order
// mark.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF
}

// trim removes surrounding white space from a cell.
func trim(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c < utf8.RuneSelf && c > ' ' {
		if c := s[len(s)-1]; c < utf8.RuneSelf && c > ' ' {
			return s // the common case: nothing to trim
		}
	}
	return strings.TrimFunc(s, isSpace)
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if trim(c) != "" {
			return false
		}
	}
	return true
}
