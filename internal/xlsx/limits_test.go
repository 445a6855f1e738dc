package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"fugong/internal/xlsx/xlsxtest"
)

// heapCeiling is the most heap any read of a hostile file may take.
const heapCeiling = 256 << 20

// peakHeap runs fn and returns the highest value of stat (runtime.MemStats.HeapAlloc
// unless given) while it ran, sampled every 2 ms, and how long it took.
func peakHeap(fn func(), stat ...func(*runtime.MemStats) uint64) (uint64, time.Duration) {
	of := func(ms *runtime.MemStats) uint64 { return ms.HeapAlloc }
	if len(stat) > 0 {
		of = stat[0]
	}
	runtime.GC()
	var mu sync.Mutex
	var peak uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		peak = max(peak, of(&ms))
		mu.Unlock()
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	start := time.Now()
	fn()
	took := time.Since(start)
	close(stop)
	<-done
	sample()
	return peak, took
}

// refusal is what Read must answer for a file.
type refusal int

const (
	accepted refusal = iota
	format           // an error wrapping ErrFormat
	limit            // a *LimitError
)

func (r refusal) String() string { return [...]string{"accepted", "ErrFormat", "a *LimitError"}[r] }

// refusalOf classifies an error of Read or Check.
func refusalOf(err error) refusal {
	var le *LimitError
	switch {
	case err == nil:
		return accepted
	case errors.As(err, &le):
		return limit
	case errors.Is(err, ErrFormat):
		return format
	}
	return -1
}

var twoCols = []Column{{Key: "name", Header: "企业名称", Required: true}, {Key: "uscc", Header: "统一社会信用代码", Required: true}}

func TestSweepRefusedFastAndSmall(t *testing.T) {
	want := map[string]refusal{
		"whitespace bomb":         limit,
		"zip of death":            limit,
		"zip that is no workbook": format,
		"truncated workbook":      format,
		"random bytes":            format,
		"stored white space":      limit,
	}
	sweep := xlsxtest.Sweep()
	if len(sweep) != len(want) {
		t.Fatalf("the sweep has %d files, the test knows %d", len(sweep), len(want))
	}
	for _, h := range sweep {
		var err error
		called := false
		peak, took := peakHeap(func() {
			err = Read(bytes.NewReader(h.Data), twoCols, func(Row) error { called = true; return nil }, nil)
		})
		t.Logf("%s (%d KB): %v in %v, heap at most %d MB", h.Name, len(h.Data)>>10, refusalOf(err), took, peak>>20)
		if got := refusalOf(err); got != want[h.Name] {
			t.Errorf("%s: Read = %v, want %v", h.Name, err, want[h.Name])
		}
		if called {
			t.Errorf("%s: a row was read", h.Name)
		}
		// A few milliseconds is expected; the bound allows for a slow shared machine.
		if took > 5*time.Second {
			t.Errorf("%s: refused after %v", h.Name, took)
		}
		if peak > heapCeiling {
			t.Errorf("%s: the heap reached %d MB", h.Name, peak>>20)
		}
		if got := refusalOf(Check(bytes.NewReader(h.Data), int64(len(h.Data)))); got != want[h.Name] {
			t.Errorf("%s: Check = %v, want %v", h.Name, got, want[h.Name])
		}
	}
}

func TestWhitespaceBombIsWhatItSays(t *testing.T) {
	b := xlsxtest.WhitespaceBomb(900)
	p, err := open(bytes.NewReader(b), int64(len(b)))
	var le *LimitError
	if !errors.As(err, &le) || p != nil {
		t.Fatalf("open = %v", err)
	}
	if len(b) > 1<<20 || !strings.Contains(le.ReasonEN, "decompression bomb") || !strings.Contains(le.Reason, "压缩炸弹") {
		t.Errorf("%d bytes: %v", len(b), le)
	}
	// A small one unzips to what it declares, so the big one does too.
	small := xlsxtest.WhitespaceBomb(3)
	p, err = open(bytes.NewReader(small), int64(len(small)))
	if !errors.As(err, &le) {
		t.Fatalf("open small bomb = %v", err)
	}
	var buf bytes.Buffer
	zr := mustZip(t, small)
	for _, f := range zr.File {
		if f.Name == xlsxtest.SheetPart {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			n, err := buf.ReadFrom(rc)
			if err != nil || uint64(n) != f.UncompressedSize64 || n < 3<<20 {
				t.Errorf("the small bomb unzips to %d bytes (%v), declares %d", n, err, f.UncompressedSize64)
			}
		}
	}
}

func TestLimits(t *testing.T) {
	many := make([]xlsxtest.Part, 0, MaxParts+1)
	many = append(many, xlsxtest.Workbook(xlsxtest.Sheet(""))...)
	for i := len(many); i <= MaxParts; i++ {
		many = append(many, xlsxtest.Part{Name: fmt.Sprintf("xl/media/p%d.txt", i), Data: []byte("x")})
	}
	rows := func(n int, row string) string { return strings.Repeat(row, n) }
	stored := func(parts []xlsxtest.Part) []byte {
		for i := range parts {
			parts[i].Store = true
		}
		return xlsxtest.Zip(parts...)
	}
	sheet := func(xml string) []byte { return stored(xlsxtest.Workbook(xml)) }
	header := xlsxtest.Row(1, "企业名称", "统一社会信用代码")
	withPart := func(p xlsxtest.Part) []byte {
		return stored(append(xlsxtest.Workbook(xlsxtest.Sheet(header)), p))
	}
	sst := func(xml string) []byte {
		return withPart(xlsxtest.Part{Name: "xl/sharedStrings.xml", Data: []byte(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + xml + `</sst>`)})
	}
	tests := []struct {
		name string
		file []byte
		want refusal
		says string // in the English reason or error
	}{
		{"a plain workbook", xlsxtest.File(header, xlsxtest.Row(2, "某公司", "91330402MA2B3C4D5E")), accepted, ""},
		{"file too large", xlsxtest.Random(MaxFileBytes+1, 2), limit, "the file is 33 MB"},
		{"too many parts", xlsxtest.Zip(many...), limit, "more than 1000 parts"},
		{"declares 600 MB", withPart(xlsxtest.Part{Name: "xl/media/big.bin", Data: xlsxtest.Random(13<<19, 4), Declared: 600 << 20}), limit, "over 512 MB"},
		{"declares 4 GB in zip64", xlsxtest.ZipOfDeath(4 << 30), limit, "grows"},
		{"holds more than it declares", func() []byte {
			parts := xlsxtest.Workbook(xlsxtest.Sheet(header + rows(2000, `<row/>`)))
			parts[len(parts)-1].Declared = 100
			return xlsxtest.Zip(parts...)
		}(), format, "xl/worksheets/sheet1.xml"},
		{"ratio over 100", xlsxtest.WhitespaceBomb(2), limit, "grows"},
		{"a picture over 16 MB", withPart(xlsxtest.Part{Name: "xl/media/image1.png", Data: xlsxtest.Random(17<<20, 3)}), limit, "part xl/media/image1.png is 17 MB"},
		{"rows at the limit", sheet(xlsxtest.Sheet(header + rows(MaxRows-1, `<row/>`))), accepted, ""},
		{"rows over the limit", sheet(xlsxtest.Sheet(header + rows(MaxRows, `<row/>`))), limit, "more than 120,000 rows"},
		{"content in the last column", sheet(xlsxtest.Sheet(header + `<row r="2"><c r="AMJ2"><v>1</v></c></row>`)), accepted, ""},
		{"content beyond it", sheet(xlsxtest.Sheet(header + `<row r="2"><c r="AMK2"><v>1</v></c></row>`)), limit, "column 1025 of row 2"},
		{"an empty cell far out", sheet(xlsxtest.Sheet(header + `<row r="2"><c r="XFD2" s="1"/></row>`)), accepted, ""},
		{"a cell beyond XFD", sheet(xlsxtest.Sheet(header + `<row r="2"><c r="XFE2" s="1"/></row>`)), format, `"XFE2"`},
		{"too many cells", sheet(xlsxtest.Sheet(header + rows(MaxCells/1000+1, `<row><c r="ALL1"><v>1</v></c></row>`))), limit, "more than 10,000,000 cells"},
		{"a long cell", sheet(xlsxtest.Sheet(header + `<row><c t="inlineStr"><is>` + rows(3, `<r><t>`+strings.Repeat("长", MaxTextBytes/9+1)+`</t></r>`) + `</is></c></row>`)), limit, "more than 256 KB of text"},
		{"a long run of white space", xlsxtest.StoredRun(MaxTextBytes + 1), limit, "white space longer than 256 KB"},
		{"a long comment", sheet(xlsxtest.Sheet(header + "<!--" + strings.Repeat("-", MaxTextBytes) + "-->")), limit, "longer than 256 KB"},
		{"a long tag", sheet(xlsxtest.Sheet(header + `<row r="2" x="` + strings.Repeat("x", maxTagBytes) + `"/>`)), limit, "a tag longer than 64 KB"},
		{"deep nesting", sheet(xlsxtest.Sheet(header + rows(maxDepth, "<a>") + rows(maxDepth, "</a>"))), limit, "more than 64 deep"},
		{"many styles", withPart(xlsxtest.Part{Name: "xl/styles.xml", Data: []byte(`<styleSheet><cellXfs>` + rows(maxParsedElements, `<xf/>`) + `</cellXfs></styleSheet>`)}), limit, "more than 100,000 elements"},
		{"many strings elsewhere", withPart(xlsxtest.Part{Name: "xl/pivotCache/pivotCacheRecords1.xml", Data: []byte(`<pivotCacheRecords>` + rows(maxParsedElements, `<r/>`) + `</pivotCacheRecords>`)}), accepted, ""},
		{"shared strings at the limit", sst(rows(MaxSharedStrings, `<si/>`)), accepted, ""},
		{"too many shared strings", sst(rows(MaxSharedStrings+1, `<si/>`)), limit, "more than 1,000,000 shared strings"},
		{"a long shared string", sst(`<si>` + rows(3, `<r><t>`+strings.Repeat("x", MaxTextBytes/3+1)+`</t></r>`) + `</si>`), limit, "more than 256 KB of text"},
		{"unbalanced tags", sheet(xlsxtest.Sheet(`<row r="1"><c r="A1"><v>1</c></v></row>`)), format, "closes"},
		{"cut short", sheet(xlsxtest.Sheet(header)[:200]), format, "before its XML is complete"},
		{"a document type", sheet(`<!DOCTYPE worksheet [<!ENTITY a "aaaa">]>` + xlsxtest.Sheet(header)), format, "document type"},
		{"UTF-16", sheet(strings.Replace(xlsxtest.Sheet(header), "UTF-8", "UTF-16", 1)), format, "UTF-16"},
		{"row 0", sheet(xlsxtest.Sheet(`<row r="0"/>`)), format, "row numbered"},
		{"two roots", sheet(xlsxtest.Sheet(header) + "<worksheet/>"), format, "after its root"},
		{"no workbook", xlsxtest.Zip(xlsxtest.Part{Name: "[Content_Types].xml", Data: []byte("<Types/>")}, xlsxtest.Part{Name: "_rels/.rels", Data: []byte("<Relationships/>")}), format, "not a workbook"},
		{"a sheet elsewhere", func() []byte {
			parts := xlsxtest.Workbook(xlsxtest.Sheet(header + rows(MaxRows, `<row/>`)))
			parts[3].Data = bytes.Replace(parts[3].Data, []byte("worksheets/sheet1.xml"), []byte("data/rows.xml"), 1)
			parts[4].Name = "xl/data/rows.xml"
			return stored(parts)
		}(), limit, "part xl/data/rows.xml has more than 120,000 rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			peak, took := peakHeap(func() { err = Check(bytes.NewReader(tt.file), int64(len(tt.file))) })
			if got := refusalOf(err); got != tt.want {
				t.Fatalf("got %v (%v), want %v", got, err, tt.want)
			}
			if err != nil && !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
			var le *LimitError
			if errors.As(err, &le) && (!strings.Contains(le.Reason, limitsZH) || !strings.Contains(le.ReasonEN, limitsEN)) {
				t.Errorf("the reasons do not give the limits: %q / %q", le.Reason, le.ReasonEN)
			}
			if took > 10*time.Second || peak > heapCeiling {
				t.Errorf("took %v and %d MB", took, peak>>20)
			}
		})
	}
}

// TestReadAcceptsTheWorkbooksOfTheTests reads a workbook built by xlsxtest, so that the
// hostile ones differ from a good one only in what makes them hostile.
func TestReadAcceptsTheWorkbooksOfTheTests(t *testing.T) {
	got, err := readAll(t, xlsxtest.File(xlsxtest.Row(1, "企业名称", "统一社会信用代码"), xlsxtest.Row(2, "某公司", "91330402MA2B3C4D5E")), twoCols)
	if err != nil || len(got) != 1 || got[0].Values["name"] != "某公司" || got[0].Values["uscc"] != "91330402MA2B3C4D5E" {
		t.Fatalf("Read = %v, %v", got, err)
	}
}

func TestTooManyDirectoryRecords(t *testing.T) {
	parts := xlsxtest.Workbook(xlsxtest.Sheet(""))
	for i := len(parts); i <= MaxParts; i++ {
		parts = append(parts, xlsxtest.Part{Name: fmt.Sprintf("p%d", i), Data: []byte("x")})
	}
	b := xlsxtest.Zip(parts...)
	// The end of the directory says 5 records: zip.NewReader would still read them all.
	end := bytes.LastIndex(b, []byte("PK\x05\x06"))
	binary.LittleEndian.PutUint16(b[end+8:], 5)
	binary.LittleEndian.PutUint16(b[end+10:], 5)
	n, err := directoryRecords(bytes.NewReader(b), int64(len(b)), MaxParts)
	if err != nil || n != MaxParts+1 {
		t.Errorf("directoryRecords = %d, %v; want %d", n, err, MaxParts+1)
	}
	if err := Check(bytes.NewReader(b), int64(len(b))); refusalOf(err) != limit {
		t.Errorf("Check = %v, want a *LimitError", err)
	}
	good := xlsxtest.File()
	if n, err := directoryRecords(bytes.NewReader(good), int64(len(good)), MaxParts); err != nil || n != 5 {
		t.Errorf("directoryRecords of a workbook of 5 parts = %d, %v", n, err)
	}
}

// TestScanChunks feeds XML whole and one byte at a time: the answers must agree, since
// a part arrives in pieces cut anywhere.
func TestScanChunks(t *testing.T) {
	tests := []struct {
		xml  string
		want refusal
	}{
		{`<?xml version="1.0"?><a x='1>2' y="'"><b/><!-- <c> --><![CDATA[<d>]]></a>`, accepted},
		{`<a><!----></a>`, accepted},
		{`<a><!-- a --->x</a>`, accepted},
		{`<a>]]]></a>`, accepted},
		{`<?xml version="1.0" encoding="utf-8"?><a/>`, accepted},
		{``, accepted},
		{`<a><b></a></b>`, format},
		{`<a></a><b/>`, format},
		{`<a>`, format},
		{`<a><!-- never closed`, format},
		{`<a x="1>`, format},
		{`<!DOCTYPE a><a/>`, format},
		{`<!ELEMENT a><a/>`, format},
		{`<?xml version="1.0" encoding="GB2312"?><a/>`, format},
		{"\xff\xfe<\x00a\x00/\x00>\x00", format},
		{`</a>`, format},
		{`<>`, format},
		{`<worksheet><sheetData><row r="1"><c r="A1"/></row></sheetData></worksheet>`, accepted},
		{`<worksheet><row r="x"/></worksheet>`, format},
		{`<worksheet><row r="1048577"/></worksheet>`, format},
		{`<worksheet><row><c r="A"/></row></worksheet>`, format},
		{`<worksheet><row><c r="AAAA1"/></row></worksheet>`, format},
		{`<worksheet><row><c r="AMK1"></c></row></worksheet>`, limit},
		{`<x:worksheet xmlns:x="s"><x:row><x:c x:r="AMK1"></x:c></x:row></x:worksheet>`, limit},
		{`<worksheet><row>` + strings.Repeat(`<c><v>1</v></c>`, MaxColumns+1) + `</row></worksheet>`, limit},
		{`<worksheet>` + strings.Repeat(" ", MaxTextBytes+1) + `</worksheet>`, limit},
	}
	for _, tt := range tests {
		for _, step := range []int{len(tt.xml) + 1, 1, 7} {
			s := &xmlScan{part: "p", flags: asSheet, budget: new(int)}
			*s.budget = maxParsedElements
			var err error
			for i := 0; i < len(tt.xml) && err == nil; i += step {
				err = s.feed([]byte(tt.xml[i:min(i+step, len(tt.xml))]))
			}
			if err == nil {
				err = s.end()
			}
			if got := refusalOf(err); got != tt.want {
				t.Errorf("%.60q in pieces of %d: %v (%v), want %v", tt.xml, step, got, err, tt.want)
			}
		}
	}
}

func TestColumn(t *testing.T) {
	tests := []struct {
		ref  string
		col  int
		okay bool
	}{
		{"A1", 1, true}, {"z9", 26, true}, {"AA10", 27, true}, {"AMJ1", 1024, true}, {"XFD1048576", 16384, true},
		{"XFE1", 0, false}, {"1", 0, false}, {"A", 0, false}, {"A1B", 0, false}, {"$A$1", 0, false}, {"", 0, false},
	}
	for _, tt := range tests {
		if col, ok := column([]byte(tt.ref)); col != tt.col || ok != tt.okay {
			t.Errorf("column(%q) = %d, %v; want %d, %v", tt.ref, col, ok, tt.col, tt.okay)
		}
	}
}

func TestGrouped(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 200000: "200,000", 10000000: "10,000,000"} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
}

func mustZip(t *testing.T, b []byte) *zip.Reader {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}
