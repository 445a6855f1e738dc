package xlsx

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// What a sheet holds at most, in a spreadsheet program: rows (the header
// row included), columns, characters (UTF-16 units) in a cell and in a
// sheet's name.
const (
	sheetMaxRows      = 1_048_576
	sheetMaxColumns   = 16_384
	cellMaxChars      = 32_767
	sheetNameMaxChars = 31
)

// holdBytes is how much of the file Write holds back, once the first row
// has come, before it sends anything on to w.
const holdBytes = 64 << 10

// flushBytes is the size of the pieces of sheet XML handed to the zip
// writer.
const flushBytes = 32 << 10

// The style indexes of styles.xml (cellXfs).
const (
	styleNone   = 0
	styleHeader = 1
	styleDate   = 2
	styleText   = 3
)

// Write writes a workbook with one sheet named sheet ("Sheet1" if empty) to
// w: a bold header row of the columns' headers, frozen so that it stays in
// view, then one row for each call of yield by rows. The workbook is written
// as the rows come, straight to w, so any number of rows up to the
// spreadsheet limit of 1,048,575 data rows is written in constant memory and
// without a temporary file.
//
// The sheet name follows a spreadsheet program's rules: at most 31
// characters, none of : \ / ? * [ ], no ' at either end, not "History"; a
// bad name is an error before anything is written.
//
// A row holds at most len(cols) values, in column order; missing trailing
// values are empty. Supported values are nil (an empty cell), string, bool
// ("是" or "否"), every int and uint type, float32 and float64 (NaN and
// infinities give an empty cell), time.Time (a date cell shown as
// TimeLayout in the value's own location; the zero time gives an empty
// cell), *string, *bool, *int, *int32, *int64, *float64 and *time.Time (nil
// gives an empty cell) and fmt.Stringer. Any other type is an error.
// Strings are always text cells, so "0571" and "=1+1" are written as is;
// pass identifiers as strings, since spreadsheets keep only 15 significant
// digits of a number. Characters XML cannot hold (control characters other
// than tab, line feed and carriage return, and invalid UTF-8) become U+FFFD,
// and text past the 32,767 characters a cell holds is cut.
//
// An error returned by rows or by yield stops the writing and is returned.
// Write sends nothing to w before the first row has come and the file has
// reached 64 KB, or the file is complete: an error before that leaves w
// untouched, so that a caller may still answer with an error instead (and
// may set a response's headers when the first row comes). An error after it
// leaves w with the start of a file that no program opens, its zip
// directory missing.
func Write(w io.Writer, sheet string, cols []Column, rows func(yield func([]any) error) error) error {
	if len(cols) == 0 {
		return errors.New("xlsx: Write needs at least one column")
	}
	if len(cols) > sheetMaxColumns {
		return fmt.Errorf("xlsx: %d columns is more than the %d a sheet can hold", len(cols), sheetMaxColumns)
	}
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := checkSheetName(sheet); err != nil {
		return fmt.Errorf("xlsx: sheet name %q: %w", sheet, err)
	}

	out := &holdWriter{w: w}
	zw := zip.NewWriter(out)
	modified := time.Now()
	for _, p := range []struct{ name, body string }{
		{"[Content_Types].xml", contentTypesXML},
		{"_rels/.rels", packageRelsXML},
		{"xl/workbook.xml", workbookXML(sheet)},
		{"xl/_rels/workbook.xml.rels", workbookRelsXML},
		{"xl/styles.xml", stylesXML},
	} {
		pw, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
		if _, err := io.WriteString(pw, p.body); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	pw, err := zw.CreateHeader(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, Modified: modified})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	sw := &sheetWriter{w: pw, cols: cols, buf: make([]byte, 0, flushBytes+4096)}
	sw.start()
	if err := sw.flush(); err != nil {
		return err
	}

	yield := func(values []any) error {
		if sw.err != nil {
			return sw.err
		}
		if len(values) > len(cols) {
			return fmt.Errorf("xlsx: row %d has %d values for %d columns", sw.row+1, len(values), len(cols))
		}
		if sw.row >= sheetMaxRows {
			return fmt.Errorf("xlsx: more than %d rows: a sheet holds at most %d", sheetMaxRows-1, sheetMaxRows)
		}
		if err := sw.dataRow(values); err != nil {
			return err
		}
		out.rowsCame = true
		if len(sw.buf) >= flushBytes {
			return sw.flush()
		}
		return nil
	}
	if err := rows(yield); err != nil {
		return err
	}
	sw.buf = append(sw.buf, `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`...)
	if err := sw.flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := out.release(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// holdWriter passes on to w what is written to it, but holds it back in
// memory until rows have come and it holds holdBytes, or until release.
type holdWriter struct {
	w        io.Writer
	held     []byte
	rowsCame bool // a data row has been written
	sent     bool // held has been sent: writes go straight to w
}

func (h *holdWriter) Write(p []byte) (int, error) {
	if h.sent {
		return h.w.Write(p)
	}
	h.held = append(h.held, p...)
	if h.rowsCame && len(h.held) >= holdBytes {
		if err := h.release(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// release sends what is held and lets later writes through.
func (h *holdWriter) release() error {
	if h.sent {
		return nil
	}
	h.sent = true
	_, err := h.w.Write(h.held)
	h.held = nil
	return err
}

// sheetWriter writes the XML of the worksheet: buf gathers it and flush
// hands it to w, the sheet's part of the zip.
type sheetWriter struct {
	w    io.Writer
	cols []Column
	refs []string // the column letters, "A", "B"…
	buf  []byte
	row  int   // the number of the last row written
	err  error // the first error in writing, returned by every later yield
}

func (sw *sheetWriter) flush() error {
	if sw.err != nil {
		return sw.err
	}
	if _, err := sw.w.Write(sw.buf); err != nil {
		sw.err = fmt.Errorf("xlsx: %w", err)
		return sw.err
	}
	sw.buf = sw.buf[:0]
	return nil
}

// start writes the worksheet up to the header row included: the frozen
// pane, the column widths and styles, the header.
func (sw *sheetWriter) start() {
	b := append(sw.buf, xmlHeader+`<worksheet xmlns="`+nsMain+`" xmlns:r="`+nsRels+`">`+
		`<sheetViews><sheetView tabSelected="1" workbookViewId="0">`+
		`<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>`+
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>`+
		`</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>`...)
	sw.refs = make([]string, len(sw.cols))
	for i, c := range sw.cols {
		sw.refs[i] = columnName(i + 1)
		width := c.Width
		if width <= 0 {
			width = headerWidth(c.Header)
		}
		n := strconv.Itoa(i + 1)
		b = append(b, `<col min="`+n+`" max="`+n+`" width="`...)
		b = strconv.AppendFloat(b, math.Min(width, 255), 'f', -1, 64)
		b = append(b, `" customWidth="1"`...)
		if c.Text {
			b = append(b, ` style="`+strconv.Itoa(styleText)+`"`...)
		}
		b = append(b, `/>`...)
	}
	b = append(b, `</cols><sheetData><row r="1" ht="20" customHeight="1">`...)
	for i, c := range sw.cols {
		b = appendTextCell(b, sw.refs[i], 1, styleHeader, c.Header)
	}
	sw.buf = append(b, `</row>`...)
	sw.row = 1
}

// dataRow writes the next row of values.
func (sw *sheetWriter) dataRow(values []any) error {
	num := sw.row + 1
	mark := len(sw.buf)
	b := append(sw.buf, `<row r="`...)
	b = strconv.AppendInt(b, int64(num), 10)
	b = append(b, `">`...)
	for i, v := range values {
		c, err := cellValue(v)
		if err != nil {
			sw.buf = sw.buf[:mark]
			return fmt.Errorf("xlsx: row %d, column %q: %w", num, sw.cols[i].Header, err)
		}
		style := styleNone
		if sw.cols[i].Text {
			style = styleText
		}
		switch c.kind {
		case cellEmpty:
		case cellText:
			b = appendTextCell(b, sw.refs[i], num, style, c.s)
		case cellDate:
			b = appendNumberCell(b, sw.refs[i], num, styleDate, c)
		default:
			b = appendNumberCell(b, sw.refs[i], num, style, c)
		}
	}
	sw.buf = append(b, `</row>`...)
	sw.row = num
	return nil
}

// appendCellStart appends the start of a cell's tag, up to its type.
func appendCellStart(b []byte, col string, row, style int) []byte {
	b = append(b, `<c r="`...)
	b = append(b, col...)
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, '"')
	if style != styleNone {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
	}
	return b
}

// appendNumberCell appends a number cell.
func appendNumberCell(b []byte, col string, row, style int, c cell) []byte {
	b = appendCellStart(b, col, row, style)
	b = append(b, `><v>`...)
	b = c.appendNumber(b)
	return append(b, `</v></c>`...)
}

// appendTextCell appends an inline string cell: text, never a formula. An
// empty s (a header left blank) gives a cell with its style alone.
func appendTextCell(b []byte, col string, row, style int, s string) []byte {
	s = truncateChars(s, cellMaxChars)
	b = appendCellStart(b, col, row, style)
	if s == "" {
		return append(b, `/>`...)
	}
	b = append(b, ` t="inlineStr"><is><t`...)
	if first, last := s[0], s[len(s)-1]; isXMLSpace(first) || isXMLSpace(last) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	b = appendEscaped(b, s)
	return append(b, `</t></is></c>`...)
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// truncateChars cuts s to at most n UTF-16 units, the characters of a
// spreadsheet program, without splitting a character.
func truncateChars(s string, n int) string {
	if len(s) <= n { // a UTF-8 byte never stands for more than one unit
		return s
	}
	units := 0
	for i, r := range s {
		units++
		if r >= 0x10000 {
			units++ // a surrogate pair
		}
		if units > n {
			return s[:i]
		}
	}
	return s
}

// appendEscaped appends s as XML character data: &, < and > escaped, a
// carriage return written as a reference so that it survives, and what
// XML 1.0 cannot hold (control characters other than tab, line feed and
// carriage return, U+FFFE, U+FFFF, invalid UTF-8) as U+FFFD.
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' || c == '\t' || c == '\n' {
			i++
			continue
		}
		var esc string
		width := 1
		switch {
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '\r':
			esc = "&#xD;"
		case c < 0x20:
			esc = "\uFFFD"
		default:
			var r rune
			r, width = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && width == 1 || r == 0xFFFE || r == 0xFFFF {
				esc = "\uFFFD"
			}
		}
		if esc != "" {
			b = append(b, s[start:i]...)
			b = append(b, esc...)
			start = i + width
		}
		i += width
	}
	return append(b, s[start:]...)
}

// appendAttr appends s escaped for an attribute value in double quotes.
func appendAttr(b []byte, s string) []byte {
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			return appendEscaped(b, s)
		}
		b = append(appendEscaped(b, s[:i]), "&quot;"...)
		s = s[i+1:]
	}
}

// checkSheetName reports what is wrong with a sheet's name for a
// spreadsheet program.
func checkSheetName(name string) error {
	if name == "" {
		return errors.New("a sheet name cannot be empty")
	}
	if n := len(utf16.Encode([]rune(name))); n > sheetNameMaxChars {
		return fmt.Errorf("%d characters, more than the %d a sheet name can have", n, sheetNameMaxChars)
	}
	if i := strings.IndexAny(name, `:\/?*[]`); i >= 0 {
		return fmt.Errorf("a sheet name cannot contain %q (nor any of : \\ / ? * [ ])", name[i])
	}
	if name[0] == '\'' || name[len(name)-1] == '\'' {
		return errors.New("a sheet name cannot begin or end with '")
	}
	if strings.EqualFold(name, "History") {
		return errors.New("History is a name spreadsheet programs keep for themselves")
	}
	for i, r := range name {
		if r < 0x20 || r == 0xFFFE || r == 0xFFFF || r == utf8.RuneError && !strings.HasPrefix(name[i:], "\uFFFD") {
			return fmt.Errorf("a sheet name cannot contain %U", r)
		}
	}
	return nil
}

// columnName is the letters of the n-th column (1-based): A, Z, AA, XFD.
func columnName(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// cellKind is what a value becomes in a cell.
type cellKind uint8

const (
	cellEmpty cellKind = iota
	cellText           // s
	cellInt            // i
	cellUint           // u
	cellFloat          // f
	cellDate           // f, the date's serial number
)

// cell is a value converted for the sheet.
type cell struct {
	kind cellKind
	s    string
	i    int64
	u    uint64
	f    float64
}

// appendNumber appends the number of a cell of kind cellInt, cellUint,
// cellFloat or cellDate as XML holds it.
func (c cell) appendNumber(b []byte) []byte {
	switch c.kind {
	case cellInt:
		return strconv.AppendInt(b, c.i, 10)
	case cellUint:
		return strconv.AppendUint(b, c.u, 10)
	}
	return strconv.AppendFloat(b, c.f, 'f', -1, 64)
}

// cellValue converts a value given to Write into what its cell holds.
func cellValue(v any) (cell, error) {
	switch v := v.(type) {
	case nil:
		return cell{}, nil
	case string:
		if v == "" {
			return cell{}, nil
		}
		return cell{kind: cellText, s: v}, nil
	case bool:
		if v {
			return cell{kind: cellText, s: "是"}, nil
		}
		return cell{kind: cellText, s: "否"}, nil
	case int:
		return cell{kind: cellInt, i: int64(v)}, nil
	case int8:
		return cell{kind: cellInt, i: int64(v)}, nil
	case int16:
		return cell{kind: cellInt, i: int64(v)}, nil
	case int32:
		return cell{kind: cellInt, i: int64(v)}, nil
	case int64:
		return cell{kind: cellInt, i: v}, nil
	case uint:
		return cell{kind: cellUint, u: uint64(v)}, nil
	case uint8:
		return cell{kind: cellUint, u: uint64(v)}, nil
	case uint16:
		return cell{kind: cellUint, u: uint64(v)}, nil
	case uint32:
		return cell{kind: cellUint, u: uint64(v)}, nil
	case uint64:
		return cell{kind: cellUint, u: v}, nil
	case float32:
		return cellValue(float64(v))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return cell{}, nil
		}
		return cell{kind: cellFloat, f: v}, nil
	case time.Time:
		if v.IsZero() {
			return cell{}, nil
		}
		if y := v.Year(); y < 1900 || y > 9999 {
			return cell{kind: cellText, s: v.Format(TimeLayout)}, nil // outside a spreadsheet's dates
		}
		return cell{kind: cellDate, f: dateSerial(v)}, nil
	// Pointers to supported types, before fmt.Stringer, which *time.Time
	// implements.
	case *string:
		return deref(v)
	case *bool:
		return deref(v)
	case *int:
		return deref(v)
	case *int64:
		return deref(v)
	case *int32:
		return deref(v)
	case *float64:
		return deref(v)
	case *time.Time:
		return deref(v)
	case fmt.Stringer:
		return cellValue(v.String())
	}
	return cell{}, fmt.Errorf("unsupported value type %T", v)
}

func deref[T any](p *T) (cell, error) {
	if p == nil {
		return cell{}, nil
	}
	return cellValue(*p)
}

// dateSerial is the serial number of t's wall clock, to the minute, in its
// own location: the days since 1899-12-30 and the fraction of the day. A
// spreadsheet counts 1900 as a leap year, so dates before 1900-03-01 are
// one day less.
func dateSerial(t time.Time) float64 {
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	days := (day.Unix() - serialEpoch.Unix()) / 86400
	if day.Before(leapDayBug) {
		days--
	}
	return float64(days) + float64(t.Hour()*60+t.Minute())/(24*60)
}

var (
	serialEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	leapDayBug  = time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)
)

// The fixed parts of the workbook.
const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRels    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

	contentTypesXML = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`</Types>`

	packageRelsXML = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + nsRels + `/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`

	workbookRelsXML = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + nsRels + `/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="` + nsRels + `/styles" Target="styles.xml"/>` +
		`</Relationships>`

	// The styles, in the order of styleNone, styleHeader, styleDate and
	// styleText: the header bold on a light blue fill with a blue bottom
	// border; dates with a custom format whose zh-CN locale tag is no change
	// for a spreadsheet program but makes excelize format the cell four
	// times faster when reading; text columns with the built-in format 49,
	// "@".
	stylesXML = xmlHeader + `<styleSheet xmlns="` + nsMain + `">` +
		`<numFmts count="1"><numFmt numFmtId="164" formatCode="[$-804]yyyy-mm-dd hh:mm"/></numFmts>` +
		`<fonts count="2">` +
		`<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
		`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
		`</fonts>` +
		`<fills count="3">` +
		`<fill><patternFill patternType="none"/></fill>` +
		`<fill><patternFill patternType="gray125"/></fill>` +
		`<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill>` +
		`</fills>` +
		`<borders count="2">` +
		`<border><left/><right/><top/><bottom/><diagonal/></border>` +
		`<border><left/><right/><top/><bottom style="thin"><color rgb="FF8EA9DB"/></bottom><diagonal/></border>` +
		`</borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="4">` +
		`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>` +
		`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`</cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		`<dxfs count="0"/><tableStyles count="0"/>` +
		`</styleSheet>`
)

// workbookXML is the workbook of one sheet named sheet.
func workbookXML(sheet string) string {
	b := []byte(xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRels + `">` +
		`<workbookPr/><bookViews><workbookView/></bookViews><sheets><sheet name="`)
	b = appendAttr(b, sheet)
	b = append(b, `" sheetId="1" r:id="rId1"/></sheets></workbook>`...)
	return string(b)
}
