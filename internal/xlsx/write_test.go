package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestWriteOpensInExcelize: a sheet written by Write, opened by excelize
// as a spreadsheet program would open it, has the header's style, the
// frozen pane, the widths, the text columns, date cells with their number
// format and strings as inline strings, never formulas.
func TestWriteOpensInExcelize(t *testing.T) {
	at := time.Date(2021, 5, 6, 7, 8, 9, 0, time.FixedZone("CST", 8*3600))
	b := writeRows(t, testCols, [][]any{
		{"=1+1", "0571", 120, 0.85, true, at, " 前后空格 "},
		{"甲", "330106199001011234", nil, nil, false, time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC), "行一\r\n行二\t制表"},
	})
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sh = "企业名单"
	style := func(cell string) *excelize.Style {
		t.Helper()
		sid, err := f.GetCellStyle(sh, cell)
		if err != nil {
			t.Fatalf("style of %s: %v", cell, err)
		}
		st, err := f.GetStyle(sid)
		if err != nil {
			t.Fatalf("style %d of %s: %v", sid, cell, err)
		}
		return st
	}

	// The header: bold, light blue, a blue bottom border, centred and
	// wrapped, 20 points high.
	for i, c := range testCols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if v, _ := f.GetCellValue(sh, col+"1"); v != c.Header {
			t.Errorf("%s1 = %q, want %q", col, v, c.Header)
		}
		st := style(col + "1")
		if st.Font == nil || !st.Font.Bold {
			t.Errorf("header %s1 is not bold: %+v", col, st.Font)
		}
		// excelize gives no colours without a theme part: they are checked
		// in styles.xml below.
		if st.Fill.Type != "pattern" || st.Fill.Pattern != 1 {
			t.Errorf("header %s1 fill = %+v, want solid", col, st.Fill)
		}
		if len(st.Border) != 1 || st.Border[0].Type != "bottom" || st.Border[0].Style != 1 {
			t.Errorf("header %s1 border = %+v, want a thin bottom", col, st.Border)
		}
		if st.Alignment == nil || st.Alignment.Vertical != "center" || !st.Alignment.WrapText {
			t.Errorf("header %s1 alignment = %+v", col, st.Alignment)
		}
		// Widths: the column's own, or one that fits its header.
		want := c.Width
		if want == 0 {
			want = headerWidth(c.Header)
		}
		if w, err := f.GetColWidth(sh, col); err != nil || w != want {
			t.Errorf("width of %s = %v, %v; want %v", col, w, err, want)
		}
	}
	if h, err := f.GetRowHeight(sh, 1); err != nil || h != 20 {
		t.Errorf("header row height = %v, %v; want 20", h, err)
	}
	panes, err := f.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" || panes.ActivePane != "bottomLeft" {
		t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
	}

	// The text column: its style, and that of its cells, is "@".
	if sid, err := f.GetColStyle(sh, "B"); err != nil {
		t.Error(err)
	} else if st, err := f.GetStyle(sid); err != nil || st.NumFmt != 49 {
		t.Errorf("column B style = %+v, %v; want number format 49", st, err)
	}
	if st := style("B3"); st.NumFmt != 49 {
		t.Errorf("B3 number format = %d, want 49", st.NumFmt)
	}
	if st := style("A2"); st.NumFmt != 0 || st.Font != nil && st.Font.Bold {
		t.Errorf("A2 style = %+v, want the default", st)
	}

	// A date cell: a number with the date format, the wall clock to the
	// minute; a year outside a spreadsheet's dates is text.
	if typ, _ := f.GetCellType(sh, "F2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("F2 has type %v, want a number", typ)
	}
	if st := style("F2"); st.CustomNumFmt == nil || *st.CustomNumFmt != "[$-804]yyyy-mm-dd hh:mm" {
		t.Errorf("F2 number format = %v, want [$-804]yyyy-mm-dd hh:mm", st.CustomNumFmt)
	}
	if raw, _ := f.GetCellValue(sh, "F2", excelize.Options{RawCellValue: true}); !strings.HasPrefix(raw, "44322.297222") {
		t.Errorf("F2 raw value = %q, want 44322.297222…", raw)
	}
	if v, _ := f.GetCellValue(sh, "F3"); v != "1800-01-01 00:00" {
		t.Errorf("F3 = %q, want the text 1800-01-01 00:00", v)
	}

	// Strings are inline strings, kept as typed, white space included.
	for cell, want := range map[string]string{"A2": "=1+1", "B2": "0571", "B3": "330106199001011234", "E2": "是", "E3": "否",
		"G2": " 前后空格 ", "G3": "行一\r\n行二\t制表", "F3": "1800-01-01 00:00"} {
		if typ, _ := f.GetCellType(sh, cell); typ != excelize.CellTypeInlineString {
			t.Errorf("%s has type %v, want an inline string", cell, typ)
		}
		if v, _ := f.GetCellValue(sh, cell, excelize.Options{RawCellValue: true}); v != want {
			t.Errorf("%s = %q, want %q", cell, v, want)
		}
		if formula, _ := f.GetCellFormula(sh, cell); formula != "" {
			t.Errorf("%s has the formula %q", cell, formula)
		}
	}
	if typ, _ := f.GetCellType(sh, "C2"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("C2 (120) has type %v, want a number", typ)
	}
	if v, _ := f.GetCellValue(sh, "C3"); v != "" {
		t.Errorf("C3 (nil) = %q, want empty", v)
	}

	// Every part is well-formed XML; there are no shared strings and no
	// formulas.
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
		body := readPart(t, zf)
		if err := wellFormed(body); err != nil {
			t.Errorf("%s: %v", zf.Name, err)
		}
		if zf.Name == "xl/worksheets/sheet1.xml" && (bytes.Contains(body, []byte("<f>")) || bytes.Contains(body, []byte("<f "))) {
			t.Errorf("the sheet holds a formula")
		}
	}
	// The header's colours, as styles.xml gives them.
	sid, _ := f.GetCellStyle(sh, "A1")
	var styles struct {
		Fills []struct {
			FgColor struct {
				RGB string `xml:"rgb,attr"`
			} `xml:"patternFill>fgColor"`
		} `xml:"fills>fill"`
		Borders []struct {
			Bottom struct {
				Style string `xml:"style,attr"`
				Color struct {
					RGB string `xml:"rgb,attr"`
				} `xml:"color"`
			} `xml:"bottom"`
		} `xml:"borders>border"`
		Xfs []struct {
			FillID   int `xml:"fillId,attr"`
			BorderID int `xml:"borderId,attr"`
		} `xml:"cellXfs>xf"`
	}
	for _, zf := range zr.File {
		if zf.Name == "xl/styles.xml" {
			if err := xml.Unmarshal(readPart(t, zf), &styles); err != nil {
				t.Fatal(err)
			}
		}
	}
	if sid >= len(styles.Xfs) {
		t.Fatalf("header style %d of %d", sid, len(styles.Xfs))
	}
	xf := styles.Xfs[sid]
	if xf.FillID >= len(styles.Fills) || styles.Fills[xf.FillID].FgColor.RGB != "FFDDEBF7" {
		t.Errorf("header fill %d of %+v, want FFDDEBF7", xf.FillID, styles.Fills)
	}
	if xf.BorderID >= len(styles.Borders) || styles.Borders[xf.BorderID].Bottom.Style != "thin" || styles.Borders[xf.BorderID].Bottom.Color.RGB != "FF8EA9DB" {
		t.Errorf("header border %d of %+v, want a thin FF8EA9DB bottom", xf.BorderID, styles.Borders)
	}

	want := []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("parts = %v, want %v", names, want)
	}
}

func readPart(t *testing.T, zf *zip.File) []byte {
	t.Helper()
	rc, err := zf.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	body, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("%s: %v", zf.Name, err)
	}
	return body
}

// wellFormed decodes b strictly as XML 1.0.
func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// TestWriteText: strings, headers and the sheet name are escaped; what XML
// 1.0 cannot hold becomes U+FFFD, so the file is always well-formed; text
// past what a cell holds is cut.
func TestWriteText(t *testing.T) {
	cols := []Column{{Key: "a", Header: `<名称> & "引号"`}, {Key: "b", Header: "B"}}
	long := strings.Repeat("长", cellMaxChars+10)
	emoji := strings.Repeat("😀", cellMaxChars/2+10)
	var buf bytes.Buffer
	const sheet = `表 & "引号" <一>`
	err := Write(&buf, sheet, cols, func(yield func([]any) error) error {
		for _, r := range [][]any{
			{"<b>&amp;</b>", "a]]>b"},
			{"控制\x00\x01\x08\x0b\x0c\x1f\x7f字符", "\xff\xfe无效"},
			{"\uFFFE\uFFFF😀\u2028", "\t前\n后\r"},
			{long, emoji},
		} {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if err := wellFormed(readPart(t, zf)); err != nil {
			t.Errorf("%s: %v", zf.Name, err)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("sheets = %q, want %q", got, sheet)
	}
	for cell, want := range map[string]string{
		"A1": cols[0].Header,
		"A2": "<b>&amp;</b>", "B2": "a]]>b",
		"A3": "控制\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\x7f字符", "B3": "\ufffd\ufffd无效",
		"A4": "\ufffd\ufffd😀\u2028", "B4": "\t前\n后\r",
		"A5": strings.Repeat("长", cellMaxChars), "B5": strings.Repeat("😀", cellMaxChars/2),
	} {
		if v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}); err != nil || v != want {
			if len(v) > 50 {
				t.Errorf("%s has %d bytes, want %d", cell, len(v), len(want))
			} else {
				t.Errorf("%s = %q, %v; want %q", cell, v, err, want)
			}
		}
	}
}

// TestWriteDates: serial numbers as a spreadsheet program counts them,
// 1900-02-29 included, and how Read shows them.
func TestWriteDates(t *testing.T) {
	cols := []Column{{Key: "at", Header: "时间"}}
	utc := time.UTC
	tests := []struct {
		at   time.Time
		raw  string // the cell's serial number
		read string // as Read gives it
	}{
		{time.Date(1900, 1, 1, 0, 0, 0, 0, utc), "1", "1900-01-01 00:00"},
		{time.Date(1900, 2, 28, 12, 0, 0, 0, utc), "59.5", "1900-02-28 12:00"},
		{time.Date(1900, 3, 1, 0, 0, 0, 0, utc), "61", "1900-03-01 00:00"},
		{time.Date(2020, 2, 10, 8, 30, 59, 999, time.FixedZone("CST", 8*3600)), "43871.354166666", "2020-02-10 08:30"},
		{time.Date(2020, 2, 10, 23, 59, 0, 0, time.FixedZone("UTC-5", -5*3600)), "43871.999305555", "2020-02-10 23:59"},
		{time.Date(9999, 12, 31, 23, 59, 0, 0, utc), "2958465.999305555", "9999-12-31 23:59"},
		{time.Date(1899, 12, 31, 23, 0, 0, 0, utc), "1899-12-31 23:00", "1899-12-31 23:00"},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, utc), "10000-01-01 00:00", "10000-01-01 00:00"},
	}
	var rows [][]any
	for _, tt := range tests {
		rows = append(rows, []any{tt.at})
	}
	b := writeRows(t, cols, rows)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := readAll(t, b, cols)
	if err != nil || len(got) != len(tests) {
		t.Fatalf("Read: %d rows, %v", len(got), err)
	}
	for i, tt := range tests {
		raw, _ := f.GetCellValue("企业名单", fmt.Sprintf("A%d", i+2), excelize.Options{RawCellValue: true})
		if !strings.HasPrefix(raw, tt.raw) {
			t.Errorf("%v: raw %q, want %q…", tt.at, raw, tt.raw)
		}
		if got[i].Values["at"] != tt.read {
			t.Errorf("%v: read %q, want %q", tt.at, got[i].Values["at"], tt.read)
		}
	}
}

// A blank header is a styled empty cell.
func TestWriteBlankHeader(t *testing.T) {
	cols := []Column{{Key: "a", Header: "甲"}, {Key: "b"}, {Key: "c", Header: "丙"}}
	b := writeRows(t, cols, [][]any{{"1", "2", "3"}})
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("企业名单")
	if err != nil || len(rows) != 2 || strings.Join(rows[0], ",") != "甲,,丙" || strings.Join(rows[1], ",") != "1,2,3" {
		t.Fatalf("rows = %q, %v", rows, err)
	}
	sid, _ := f.GetCellStyle("企业名单", "B1")
	if st, err := f.GetStyle(sid); err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("B1 style = %+v, %v; want the header's", st, err)
	}
}

func TestWriteSheetNames(t *testing.T) {
	rows := func(func([]any) error) error { return nil }
	for _, name := range []string{"Sheet1", "员工花名册", "复工统计表2020-02-10", strings.Repeat("表", 31), strings.Repeat("a", 31),
		"O'Brien", "a & b <c> \"d\"", "😀" + strings.Repeat("a", 29), "Historyx"} {
		var buf bytes.Buffer
		if err := Write(&buf, name, testCols, rows); err != nil {
			t.Errorf("Write(%q): %v", name, err)
			continue
		}
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if got := f.GetSheetList(); len(got) != 1 || got[0] != name {
			t.Errorf("sheets = %q, want %q", got, name)
		}
		f.Close()
	}
	bad := []string{strings.Repeat("表", 32), strings.Repeat("a", 32), "😀" + strings.Repeat("a", 30),
		"'quoted", "quoted'", "History", "history", "a\x01b", "a\tb", "a\xffb", "a\uFFFEb"}
	for _, c := range `:\/?*[]` {
		bad = append(bad, "a"+string(c)+"b")
	}
	for _, name := range bad {
		var buf bytes.Buffer
		err := Write(&buf, name, testCols, rows)
		if err == nil || !strings.Contains(err.Error(), "sheet name") {
			t.Errorf("Write(%q) error = %v, want one about the sheet name", name, err)
		}
		if buf.Len() != 0 {
			t.Errorf("Write(%q) wrote %d bytes", name, buf.Len())
		}
	}
}

func TestWriteRowErrors(t *testing.T) {
	type custom struct{}
	var nilUint *uint
	for _, tt := range []struct {
		row  []any
		want string
	}{
		{[]any{"a", "b", 1, 2, 3, 4, 5, 6}, "row 3 has 8 values for 7 columns"},
		{[]any{custom{}}, `row 3, column "企业名称": unsupported value type xlsx.custom`},
		{[]any{"a", "b", map[string]int{}}, `row 3, column "复工人数": unsupported value type map[string]int`},
		{[]any{nil, nil, nil, nil, nil, nilUint}, `row 3, column "申报时间": unsupported value type *uint`},
		{[]any{nil, nil, nil, nil, nil, nil, []byte("x")}, `row 3, column "备注": unsupported value type []uint8`},
	} {
		var buf bytes.Buffer
		var yieldErr error
		err := Write(&buf, "", testCols, func(yield func([]any) error) error {
			if err := yield([]any{"first"}); err != nil {
				return err
			}
			yieldErr = yield(tt.row)
			return yieldErr
		})
		if err == nil || !strings.Contains(err.Error(), tt.want) || yieldErr != err {
			t.Errorf("%v: error %v (yield gave %v), want %q", tt.row, err, yieldErr, tt.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%v: %d bytes written before the error", tt.row, buf.Len())
		}
	}
}

// TestWriteRowLimit: 1,048,575 data rows fit in a sheet, one more is an
// error.
func TestWriteRowLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("a million rows skipped in -short mode")
	}
	rows := 0
	var last error
	err := Write(io.Discard, "", testCols[:1], func(yield func([]any) error) error {
		for {
			if last = yield(nil); last != nil {
				return last
			}
			rows++
		}
	})
	if rows != sheetMaxRows-1 || err == nil || !strings.Contains(err.Error(), "more than 1048575 rows") {
		t.Errorf("%d rows written, then %v", rows, err)
	}
}

// failWriter fails once more than n bytes are written to it.
type failWriter struct {
	n       int
	written int
}

var errWrite = errors.New("connection reset")

func (w *failWriter) Write(p []byte) (int, error) {
	if w.written+len(p) > w.n {
		return 0, errWrite
	}
	w.written += len(p)
	return len(p), nil
}

// TestWriteHoldsTheStart: nothing reaches w before the first row and the
// first 64 KB, so an early error can still be answered; a later error
// leaves a file Read refuses; an error of w comes back from yield.
func TestWriteHoldsTheStart(t *testing.T) {
	boom := errors.New("boom")
	failAfter := func(n int) func(yield func([]any) error) error {
		return func(yield func([]any) error) error {
			for i := 0; i < n; i++ {
				if err := yield([]any{fmt.Sprintf("企业%d", i), fmt.Sprintf("91330402MA%08d", i*7919), i}); err != nil {
					return err
				}
			}
			return boom
		}
	}
	var buf bytes.Buffer
	if err := Write(&buf, "", testCols, failAfter(0)); !errors.Is(err, boom) || buf.Len() != 0 {
		t.Errorf("error before the first row: %v, %d bytes written", err, buf.Len())
	}
	buf.Reset()
	if err := Write(&buf, "", testCols, failAfter(500)); !errors.Is(err, boom) || buf.Len() != 0 {
		t.Errorf("error after 500 rows: %v, %d bytes written", err, buf.Len())
	}
	buf.Reset()
	if err := Write(&buf, "", testCols, failAfter(50_000)); !errors.Is(err, boom) || buf.Len() < holdBytes {
		t.Errorf("error after 50,000 rows: %v, %d bytes written", err, buf.Len())
	}
	if _, err := readAll(t, buf.Bytes(), testCols); !errors.Is(err, ErrFormat) {
		t.Errorf("the start of a file reads with %v, want ErrFormat", err)
	}

	// A header row of many columns is held whole, however large.
	wide := make([]Column, 5000)
	for i := range wide {
		wide[i] = Column{Key: fmt.Sprint(i), Header: fmt.Sprintf("第%d列的一个很长的表头", i), Text: i%2 == 0}
	}
	buf.Reset()
	if err := Write(&buf, "", wide, failAfter(0)); !errors.Is(err, boom) || buf.Len() != 0 {
		t.Errorf("5,000 columns, error before the first row: %v, %d bytes written", err, buf.Len())
	}

	// w fails: yield says so, and stops the rows.
	fw := &failWriter{n: 100 << 10}
	calls := 0
	err := Write(fw, "", testCols, func(yield func([]any) error) error {
		for i := 0; ; i++ {
			calls++
			if err := yield([]any{fmt.Sprintf("企业%d", i), fmt.Sprintf("91330402MA%08d", i*7919), i, float64(i) / 3}); err != nil {
				return err
			}
		}
	})
	if !errors.Is(err, errWrite) || calls > 100_000 {
		t.Errorf("w failing: %v after %d rows", err, calls)
	}
}

// heapInuse is the heap in use, for peakHeap.
func heapInuse(ms *runtime.MemStats) uint64 { return ms.HeapInuse }

// TestWriteMemoryFlat: writing ten times the rows takes no more memory.
// 200,000 rows of ten columns make a file of about 11 MB, which a writer
// that holds the file, or builds the zip in memory, would hold at least
// once.
func TestWriteMemoryFlat(t *testing.T) {
	cols := make([]Column, 10)
	for i := range cols {
		cols[i] = Column{Key: fmt.Sprint(i), Header: fmt.Sprintf("第%d列", i), Text: i == 1}
	}
	at := time.Date(2020, 2, 10, 8, 0, 0, 0, time.UTC)
	write := func(n int) (peak uint64, size int64) {
		cw := &countWriter{}
		peak, _ = peakHeap(func() {
			err := Write(cw, "", cols, func(yield func([]any) error) error {
				row := make([]any, len(cols))
				for i := 0; i < n; i++ {
					row[0] = fmt.Sprintf("测试企业第%d号有限公司", i)
					row[1] = fmt.Sprintf("3301061990%08d", i*7919%100_000_000)
					row[2] = i % 500
					row[3] = float64(i) / 7
					row[4] = i%3 == 0
					row[5] = at.Add(time.Duration(i) * time.Minute)
					row[6] = "已完成员工健康排查、测温、消杀和物资储备"
					row[7] = fmt.Sprintf("138%08d", i*104729%100_000_000)
					row[8] = int64(i) * 3
					row[9] = nil
					if err := yield(row); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}, heapInuse)
		return peak, cw.n
	}
	small, smallSize := write(20_000)
	large, largeSize := write(200_000)
	t.Logf("peak heap in use: %.1f MB for 20,000 rows (%.1f MB file), %.1f MB for 200,000 rows (%.1f MB file)",
		float64(small)/(1<<20), float64(smallSize)/(1<<20), float64(large)/(1<<20), float64(largeSize)/(1<<20))
	if largeSize < 8<<20 {
		t.Fatalf("200,000 rows made only %d bytes: the test no longer tells a buffered writer", largeSize)
	}
	if large > small+4<<20 {
		t.Errorf("the heap grew with the rows: %d bytes in use at most for 20,000 rows, %d for 200,000", small, large)
	}
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
