package xlsx

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var testCols = []Column{
	{Key: "name", Header: "企业名称", Width: 30, Required: true},
	{Key: "uscc", Header: "统一社会信用代码", Required: true, Text: true},
	{Key: "workers", Header: "复工人数"},
	{Key: "rate", Header: "复工率"},
	{Key: "approved", Header: "是否审核通过"},
	{Key: "at", Header: "申报时间"},
	{Key: "note", Header: "备注"},
}

type stringer struct{}

func (stringer) String() string { return "自定义" }

// writeRows writes rows with testCols (or cols) to a buffer.
func writeRows(t testing.TB, cols []Column, rows [][]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := Write(&buf, "企业名单", cols, func(yield func([]any) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// readAll reads b with cols and returns the rows.
func readAll(t testing.TB, b []byte, cols []Column) ([]Row, error) {
	t.Helper()
	var out []Row
	err := Read(bytes.NewReader(b), cols, func(r Row) error {
		out = append(out, r)
		return nil
	}, nil)
	return out, err
}

func TestRoundTrip(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	at := time.Date(2020, 2, 10, 8, 30, 59, 0, cst)
	n := 12
	rows := [][]any{
		{"杭州市西湖区某某科技有限公司", "91330106MA27XXXX0Y", 120, 0.85, true, at, "已完成消杀、测温点设置"},
		{"嘉兴南湖食品厂（普通合伙）", "91330402MA2B3C4D5E", int64(35), float32(0.5), false, at.Add(26 * time.Hour), nil},
		{" 前后有空格 ", "0571", &n, math.NaN(), stringer{}, time.Time{}},
	}
	b := writeRows(t, testCols, rows)
	got, err := readAll(t, b, testCols)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := []Row{
		{2, map[string]string{"name": "杭州市西湖区某某科技有限公司", "uscc": "91330106MA27XXXX0Y", "workers": "120", "rate": "0.85", "approved": "是", "at": "2020-02-10 08:30", "note": "已完成消杀、测温点设置"}},
		{3, map[string]string{"name": "嘉兴南湖食品厂（普通合伙）", "uscc": "91330402MA2B3C4D5E", "workers": "35", "rate": "0.5", "approved": "否", "at": "2020-02-11 10:30", "note": ""}},
		{4, map[string]string{"name": "前后有空格", "uscc": "0571", "workers": "12", "rate": "", "approved": "自定义", "at": "", "note": ""}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read got\n%v\nwant\n%v", got, want)
	}
}

func TestWriteLayout(t *testing.T) {
	b := writeRows(t, testCols, [][]any{{"甲", "乙"}})
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"企业名单"}) {
		t.Fatalf("sheets = %v", got)
	}
	panes, err := f.GetPanes("企业名单")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
	}
	for i, c := range testCols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		cell := col + "1"
		v, _ := f.GetCellValue("企业名单", cell)
		if v != c.Header {
			t.Errorf("%s = %q, want %q", cell, v, c.Header)
		}
		sid, _ := f.GetCellStyle("企业名单", cell)
		st, err := f.GetStyle(sid)
		if err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("header %s is not bold: %+v %v", cell, st, err)
		}
		w, _ := f.GetColWidth("企业名单", col)
		if c.Width > 0 && w != c.Width {
			t.Errorf("width of %s = %v, want %v", col, w, c.Width)
		}
		if c.Width == 0 && w < 10 {
			t.Errorf("width of %s = %v, want at least 10", col, w)
		}
	}
	// 统一社会信用代码 (8 CJK characters) gets a wider automatic column than 备注.
	w8, _ := f.GetColWidth("企业名单", "B")
	w2, _ := f.GetColWidth("企业名单", "G")
	if w8 <= w2 {
		t.Errorf("auto widths: B %v, G %v", w8, w2)
	}
	// The Text column is formatted as text below the header too.
	sid, _ := f.GetColStyle("企业名单", "B")
	if st, err := f.GetStyle(sid); err != nil || st.NumFmt != 49 {
		t.Errorf("column B style = %+v, %v; want number format 49 (text)", st, err)
	}
	// A time is a real date cell.
	b = writeRows(t, testCols, [][]any{{"甲", "乙", nil, nil, nil, time.Date(2021, 5, 6, 7, 8, 9, 0, time.UTC)}})
	f2, _ := excelize.OpenReader(bytes.NewReader(b))
	defer f2.Close()
	if typ, _ := f2.GetCellType("企业名单", "F2"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("time cell has type %v, want a number", typ)
	}
	if raw, _ := f2.GetCellValue("企业名单", "F2", excelize.Options{RawCellValue: true}); !strings.HasPrefix(raw, "44322.29") {
		t.Errorf("raw time value = %q, want the serial 44322.297…", raw)
	}
}

func TestWriteErrors(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name  string
		sheet string
		cols  []Column
		rows  func(yield func([]any) error) error
		want  string // substring of the error
		is    error
	}{
		{"no columns", "", nil, func(func([]any) error) error { return nil }, "at least one column", nil},
		{"bad sheet name", "a/b", testCols, func(func([]any) error) error { return nil }, "sheet name", nil},
		{"long sheet name", strings.Repeat("表", 32), testCols, func(func([]any) error) error { return nil }, "sheet name", nil},
		{"too many values", "", testCols[:1], func(y func([]any) error) error { return y([]any{"a", "b"}) }, "row 2 has 2 values for 1 columns", nil},
		{"unsupported type", "", testCols, func(y func([]any) error) error {
			if err := y([]any{"a"}); err != nil {
				return err
			}
			return y([]any{"a", []int{1}})
		}, `row 3, column "统一社会信用代码": unsupported value type []int`, nil},
		{"rows error", "", testCols, func(y func([]any) error) error { return boom }, "boom", boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(&bytes.Buffer{}, tt.sheet, tt.cols, tt.rows)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Write error = %v, want it to contain %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
		})
	}
}

func TestWriteValueTypes(t *testing.T) {
	s, b, i64, f64 := "指针", true, int64(-7), 2.5
	tm := time.Date(2020, 1, 2, 3, 4, 0, 0, time.UTC)
	var nilStr *string
	cols := []Column{{Key: "a", Header: "A"}, {Key: "b", Header: "B"}, {Key: "c", Header: "C"}, {Key: "d", Header: "D"},
		{Key: "e", Header: "E"}, {Key: "f", Header: "F"}, {Key: "g", Header: "G"}, {Key: "h", Header: "H"}, {Key: "i", Header: "I"}}
	data := writeRows(t, cols, [][]any{
		{&s, &b, &i64, &f64, &tm, nilStr, uint8(255), math.Inf(1), time.Date(1800, 1, 1, 12, 0, 0, 0, time.UTC)},
		{"=1+1", "'x", "<b>&amp;</b>", "a\nb", "\x00\x01控制", int8(-1), uint64(math.MaxUint64), 1e21, -0.0},
	})
	got, err := readAll(t, data, cols)
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{"a": "指针", "b": "是", "c": "-7", "d": "2.5", "e": "2020-01-02 03:04", "f": "", "g": "255", "h": "", "i": "1800-01-01 12:00"},
		{"a": "=1+1", "b": "'x", "c": "<b>&amp;</b>", "d": "a\nb", "e": "\ufffd\ufffd控制", "f": "-1", "g": "1.84467440737096E+19", "h": "1000000000000000000000", "i": "0"},
	}
	for i := range want {
		if !reflect.DeepEqual(got[i].Values, want[i]) {
			t.Errorf("row %d = %q, want %q", i+2, got[i].Values, want[i])
		}
	}
}

// buildSheet makes a workbook with the given cells, the way a user's Excel
// file would be made (not by Write).
func buildSheet(t testing.TB, cells map[string]any, setup func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for ref, v := range cells {
		if err := f.SetCellValue("Sheet1", ref, v); err != nil {
			t.Fatal(err)
		}
	}
	if setup != nil {
		setup(f)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadUserSheet(t *testing.T) {
	data := buildSheet(t, map[string]any{
		// A title row and a blank row above the header.
		"A1": "2020年2月复工企业申报表",
		// Header: reordered, decorated, an extra column, a key as header.
		"A3": "序号", "B3": " *统一社会\n信用代码 ", "C3": "企业名称（必填）", "D3": "workers", "E3": "申报时间",
		"A4": 1, "B4": "91330402MA2B3C4D5E", "C4": "  嘉兴某某有限公司\u3000", "D4": 30, "E4": time.Date(2020, 2, 10, 0, 0, 0, 0, time.UTC),
		// Row 5 empty; row 6 only spaces: both skipped.
		"B6": "   ", "C6": "\u3000",
		// Row 7: only the unmapped column is filled: not empty, passed on.
		"A7": 3,
		"B8": "91330106MA27XXXX0Y", "C8": "杭州某某有限公司",
	}, func(f *excelize.File) {
		// A date typed in a Chinese Excel gets the built-in short date format.
		st, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		_ = f.SetCellStyle("Sheet1", "E4", "E4", st)
		_ = f.MergeCell("Sheet1", "A1", "E1")
	})
	var progress []int
	var got []Row
	err := Read(bytes.NewReader(data), testCols, func(r Row) error {
		got = append(got, r)
		return nil
	}, func(done int) { progress = append(progress, done) })
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := []Row{
		{4, map[string]string{"uscc": "91330402MA2B3C4D5E", "name": "嘉兴某某有限公司", "workers": "30", "at": "2020-02-10"}},
		{7, map[string]string{"uscc": "", "name": "", "workers": "", "at": ""}},
		{8, map[string]string{"uscc": "91330106MA27XXXX0Y", "name": "杭州某某有限公司", "workers": "", "at": ""}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
	if !reflect.DeepEqual(progress, []int{3}) {
		t.Errorf("progress calls = %v, want [3]", progress)
	}
}

func TestReadHeaderErrors(t *testing.T) {
	tests := []struct {
		name      string
		cells     map[string]any
		row       int
		missing   []string
		duplicate []string
		reason    string
		reasonEN  string
	}{
		{
			name:     "missing required",
			cells:    map[string]any{"A1": "企业名称", "B1": "复工人数", "A2": "某公司", "B2": 3},
			row:      1,
			missing:  []string{"统一社会信用代码"},
			reason:   "第1行表头缺少必填列:统一社会信用代码",
			reasonEN: "the header (row 1) lacks required columns: 统一社会信用代码",
		},
		{
			name:     "both missing, header found by an optional column",
			cells:    map[string]any{"A1": "标题", "A2": "复工人数", "B2": "备注", "A3": 5},
			row:      2,
			missing:  []string{"企业名称", "统一社会信用代码"},
			reason:   "第2行表头缺少必填列:企业名称、统一社会信用代码",
			reasonEN: "the header (row 2) lacks required columns: 企业名称, 统一社会信用代码",
		},
		{
			name:      "duplicate",
			cells:     map[string]any{"A1": "企业名称", "B1": "统一社会信用代码", "C1": "企业名称"},
			row:       1,
			duplicate: []string{"企业名称"},
			reason:    "第1行表头有重复的列:企业名称",
			reasonEN:  "the header (row 1) repeats columns: 企业名称",
		},
		{
			name:      "duplicate via key, and missing",
			cells:     map[string]any{"A1": "企业名称", "B1": "name"},
			row:       1,
			missing:   []string{"统一社会信用代码"},
			duplicate: []string{"企业名称"},
			reason:    "第1行表头缺少必填列:统一社会信用代码;第1行表头有重复的列:企业名称",
			reasonEN:  "the header (row 1) lacks required columns: 统一社会信用代码; the header (row 1) repeats columns: 企业名称",
		},
		{
			name:     "no header row",
			cells:    map[string]any{"A1": "姓名", "B1": "电话", "A2": "张三"},
			reason:   "没有找到表头行,表头应包含:企业名称、统一社会信用代码、复工人数、复工率、是否审核通过、申报时间、备注",
			reasonEN: "no header row found; the header should contain: 企业名称, 统一社会信用代码, 复工人数, 复工率, 是否审核通过, 申报时间, 备注",
		},
		{
			name:     "empty sheet",
			cells:    map[string]any{},
			reason:   "没有找到表头行,表头应包含:企业名称、统一社会信用代码、复工人数、复工率、是否审核通过、申报时间、备注",
			reasonEN: "no header row found; the header should contain: 企业名称, 统一社会信用代码, 复工人数, 复工率, 是否审核通过, 申报时间, 备注",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			err := Read(bytes.NewReader(buildSheet(t, tt.cells, nil)), testCols, func(Row) error {
				called = true
				return nil
			}, nil)
			var he *HeaderError
			if !errors.As(err, &he) {
				t.Fatalf("Read error = %v, want a *HeaderError", err)
			}
			if called {
				t.Error("fn was called")
			}
			if he.Row != tt.row || !reflect.DeepEqual(he.Missing, tt.missing) || !reflect.DeepEqual(he.Duplicate, tt.duplicate) {
				t.Errorf("HeaderError = row %d missing %q duplicate %q; want row %d missing %q duplicate %q",
					he.Row, he.Missing, he.Duplicate, tt.row, tt.missing, tt.duplicate)
			}
			if he.Reason != tt.reason || he.ReasonEN != tt.reasonEN {
				t.Errorf("reasons =\n%q\n%q\nwant\n%q\n%q", he.Reason, he.ReasonEN, tt.reason, tt.reasonEN)
			}
			if err.Error() != tt.reason+" / "+tt.reasonEN {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

func TestReadHeaderSearchLimit(t *testing.T) {
	cells := map[string]any{}
	for i := 1; i <= headerScanRows; i++ {
		cells[fmt.Sprintf("A%d", i)] = "说明"
	}
	cells[fmt.Sprintf("A%d", headerScanRows+1)] = "企业名称"
	cells[fmt.Sprintf("B%d", headerScanRows+1)] = "统一社会信用代码"
	var he *HeaderError
	if _, err := readAll(t, buildSheet(t, cells, nil), testCols); !errors.As(err, &he) || he.Row != 0 {
		t.Fatalf("Read = %v, want a HeaderError without a header row", err)
	}
	delete(cells, "A1")
	if _, err := readAll(t, buildSheet(t, cells, nil), testCols); err != nil {
		t.Fatalf("header in the 10th non-empty row: %v", err)
	}
}

func TestReadNotXLSX(t *testing.T) {
	for name, data := range map[string][]byte{
		"csv":       []byte("企业名称,统一社会信用代码\n某公司,91330402MA2B3C4D5E\n"),
		"empty":     nil,
		"truncated": writeRows(t, testCols, [][]any{{"a"}})[:200],
		"xls (OLE)": append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...),
	} {
		_, err := readAll(t, data, testCols)
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: Read error = %v, want ErrFormat", name, err)
		}
	}
}

func TestReadCallbackError(t *testing.T) {
	stop := errors.New("stop")
	data := writeRows(t, testCols, [][]any{{"a", "1"}, {"b", "2"}, {"c", "3"}})
	n := 0
	err := Read(bytes.NewReader(data), testCols, func(r Row) error {
		n++
		if r.Num == 3 {
			return stop
		}
		return nil
	}, nil)
	if err != stop || n != 2 {
		t.Errorf("Read = %v after %d rows, want stop after 2", err, n)
	}
}

func TestHeaderKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"企业名称", "企业名称"},
		{" 企业 名称 ", "企业名称"},
		{"企业\n名称", "企业名称"},
		{"*企业名称", "企业名称"},
		{"企业名称*", "企业名称"},
		{"＊企业名称", "企业名称"},
		{"企业名称（必填）", "企业名称"},
		{"企业名称(选填)", "企业名称"},
		{"联系电话（手机）", "联系电话(手机)"},
		{"USCC", "uscc"},
		{"ＵＳＣＣ", "uscc"},
		{"\ufeff姓名\u200b", "姓名"},
		{"", ""},
		{"***", ""},
	}
	for _, tt := range tests {
		if got := headerKey(tt.in); got != tt.want {
			t.Errorf("headerKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// writeN writes n generated rows of testCols.
func writeN(t testing.TB, n int) []byte {
	t.Helper()
	at := time.Date(2020, 2, 10, 8, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	err := Write(&buf, "", testCols, func(yield func([]any) error) error {
		row := make([]any, len(testCols))
		for i := 0; i < n; i++ {
			row[0] = fmt.Sprintf("测试企业第%d号有限公司", i)
			row[1] = fmt.Sprintf("91330402MA%08d", i)
			row[2] = i % 500
			row[3] = float64(i%100) / 100
			row[4] = i%2 == 0
			row[5] = at.Add(time.Duration(i) * time.Minute)
			row[6] = "已完成员工健康排查、测温、消杀和物资储备"
			if err := yield(row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// readN reads data and checks it holds n rows from writeN.
func readN(t testing.TB, data []byte, n int) []int {
	t.Helper()
	var progress []int
	count := 0
	err := Read(bytes.NewReader(data), testCols, func(r Row) error {
		if r.Num != count+2 {
			return fmt.Errorf("row %d has Num %d", count, r.Num)
		}
		if want := fmt.Sprintf("测试企业第%d号有限公司", count); r.Values["name"] != want {
			return fmt.Errorf("row %d: name %q, want %q", r.Num, r.Values["name"], want)
		}
		count++
		return nil
	}, func(done int) { progress = append(progress, done) })
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if count != n {
		t.Fatalf("read %d rows, want %d", count, n)
	}
	return progress
}

func TestLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large sheet skipped in -short mode")
	}
	const n = 50_000
	start := time.Now()
	data := writeN(t, n)
	wrote := time.Since(start)
	start = time.Now()
	progress := readN(t, data, n)
	read := time.Since(start)
	t.Logf("%d rows: %d bytes, write %v, read %v", n, len(data), wrote, read)
	if len(progress) != n/1000 || progress[0] != 1000 || progress[len(progress)-1] != n {
		t.Errorf("progress calls = %d, first %v, last %v", len(progress), progress[0], progress[len(progress)-1])
	}
	// Generous bounds: a few seconds is expected on a slow machine.
	if wrote > 30*time.Second || read > 30*time.Second {
		t.Errorf("too slow: write %v, read %v", wrote, read)
	}
}

func TestProgressTail(t *testing.T) {
	var progress []int
	data := writeN(t, 2500)
	err := Read(bytes.NewReader(data), testCols, func(Row) error { return nil }, func(done int) { progress = append(progress, done) })
	if err != nil || !reflect.DeepEqual(progress, []int{1000, 2000, 2500}) {
		t.Errorf("progress = %v, %v; want [1000 2000 2500]", progress, err)
	}
}

func BenchmarkWriteRead50k(b *testing.B) {
	const n = 50_000
	for b.Loop() {
		data := writeN(b, n)
		readN(b, data, n)
		b.SetBytes(int64(len(data)))
	}
}

func BenchmarkWrite50k(b *testing.B) {
	for b.Loop() {
		writeN(b, 50_000)
	}
}

func BenchmarkRead50k(b *testing.B) {
	data := writeN(b, 50_000)
	b.ResetTimer()
	for b.Loop() {
		readN(b, data, 50_000)
	}
}

// TestLibreOfficeOpens converts a written file to CSV with LibreOffice, when
// it is installed, to check that a real spreadsheet program opens it.
func TestLibreOfficeOpens(t *testing.T) {
	soffice := ""
	for _, name := range []string{"libreoffice", "soffice"} {
		if p, err := exec.LookPath(name); err == nil {
			soffice = p
			break
		}
	}
	if soffice == "" {
		t.Skip("libreoffice is not on PATH")
	}
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "export.xlsx")
	data := writeRows(t, testCols, [][]any{
		{"杭州市西湖区某某科技有限公司", "91330106MA27XXXX0Y", 120, 0.85, true, time.Date(2020, 2, 10, 8, 30, 0, 0, time.UTC), "备注，含逗号"},
		{"嘉兴南湖食品厂", "0571", 35, nil, false},
	})
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	done := make(chan struct{})
	timer := time.AfterFunc(3*time.Minute, func() {
		select {
		case <-done:
		default:
			if cmd.Process != nil {
				_ = cmd.Process.Kill()
			}
		}
	})
	out, err := cmd.CombinedOutput()
	close(done)
	timer.Stop()
	if err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	csvData, err := os.ReadFile(filepath.Join(dir, "export.csv"))
	if err != nil {
		t.Fatalf("no CSV written: %v\n%s", err, out)
	}
	records, err := csv.NewReader(bytes.NewReader(csvData)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, csvData)
	}
	want := [][]string{
		{"企业名称", "统一社会信用代码", "复工人数", "复工率", "是否审核通过", "申报时间", "备注"},
		{"杭州市西湖区某某科技有限公司", "91330106MA27XXXX0Y", "120", "0.85", "是", "2020-02-10 08:30", "备注，含逗号"},
		{"嘉兴南湖食品厂", "0571", "35", "", "否", "", ""},
	}
	if !reflect.DeepEqual(records, want) {
		t.Errorf("LibreOffice read\n%q\nwant\n%q", records, want)
	}
}
