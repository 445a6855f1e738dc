// Package xlsxtest builds .xlsx files for tests, hostile ones above all: decompression
// bombs, a zip of death, zips that are no workbook, truncated files and random bytes.
// Each is made in memory in milliseconds, so tests build them rather than keep them.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"strings"
)

// Part is one file of a zip.
type Part struct {
	Name string
	Data []byte
	// Store keeps the part uncompressed, as a zip may.
	Store bool
	// Declared, when not 0, is the unzipped size the zip directory declares instead of
	// len(Data): a lie.
	Declared uint64
}

// Zip writes parts into a zip file.
func Zip(parts ...Part) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		h := &zip.FileHeader{Name: p.Name, Method: zip.Deflate}
		if p.Store {
			h.Method = zip.Store
		}
		if p.Declared == 0 {
			w, err := zw.CreateHeader(h)
			must(err)
			_, err = w.Write(p.Data)
			must(err)
			continue
		}
		data := p.Data
		if !p.Store {
			data = deflate(p.Data)
		}
		h.CRC32 = crc32.ChecksumIEEE(p.Data)
		h.CompressedSize64 = uint64(len(data))
		h.UncompressedSize64 = p.Declared
		w, err := zw.CreateRaw(h)
		must(err)
		_, err = w.Write(data)
		must(err)
	}
	must(zw.Close())
	return buf.Bytes()
}

// Workbook returns the parts of a workbook whose one worksheet is sheet (see Sheet).
func Workbook(sheet string) []Part {
	return []Part{
		{Name: "[Content_Types].xml", Data: []byte(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`</Types>`)},
		{Name: "_rels/.rels", Data: []byte(xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
			`</Relationships>`)},
		{Name: "xl/workbook.xml", Data: []byte(xmlDecl + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` +
			`<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{Name: "xl/_rels/workbook.xml.rels", Data: []byte(xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`</Relationships>`)},
		{Name: SheetPart, Data: []byte(sheet)},
	}
}

// SheetPart is the name of the worksheet of Workbook.
const SheetPart = "xl/worksheets/sheet1.xml"

const xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// Sheet is the XML of a worksheet with rows, the XML of its sheetData.
func Sheet(rows string) string {
	return sheetHead + rows + sheetTail
}

const (
	sheetHead = xmlDecl + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetTail = `</sheetData></worksheet>`
)

// Row is the XML of row num with cells of text from column A on.
func Row(num int, cells ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, num)
	for i, c := range cells {
		fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>`, columnName(i+1), num, c)
	}
	b.WriteString(`</row>`)
	return b.String()
}

func columnName(n int) string {
	s := ""
	for ; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}

// File is a workbook whose one worksheet has rows (see Row).
func File(rows ...string) []byte {
	return Zip(Workbook(Sheet(strings.Join(rows, "")))...)
}

// WhitespaceBomb is a workbook of under 1 MB whose worksheet unzips to mib MiB of
// white space, then a header row: the hostile tester's file, 897 KB holding 0.9 GB.
// Deflate makes the same bytes of each MiB of spaces that follows spaces, so one such
// chunk is made and repeated.
func WhitespaceBomb(mib int) []byte {
	spaces := bytes.Repeat([]byte(" "), 1<<20)
	tail := Row(1, "企业名称", "统一社会信用代码") + sheetTail
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, flate.BestCompression)
	must(err)
	fw.Write([]byte(sheetHead))
	fw.Write(spaces)
	must(fw.Flush())
	first := bytes.Clone(out.Bytes())
	out.Reset()
	fw.Write(spaces)
	must(fw.Flush())
	chunk := bytes.Clone(out.Bytes())
	out.Reset()
	fw.Write([]byte(tail))
	must(fw.Close())
	last := bytes.Clone(out.Bytes())

	data := bytes.NewBuffer(make([]byte, 0, len(first)+(mib-1)*len(chunk)+len(last)))
	data.Write(first)
	crc := crc32.Update(crc32.ChecksumIEEE([]byte(sheetHead)), crc32.IEEETable, spaces)
	for i := 1; i < mib; i++ {
		data.Write(chunk)
		crc = crc32.Update(crc, crc32.IEEETable, spaces)
	}
	data.Write(last)
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range Workbook("") {
		if p.Name == SheetPart {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: p.Name, Method: zip.Deflate, CRC32: crc,
				CompressedSize64: uint64(data.Len()), UncompressedSize64: uint64(len(sheetHead)+len(tail)) + uint64(mib)<<20})
			must(err)
			_, err = w.Write(data.Bytes())
			must(err)
			continue
		}
		w, err := zw.Create(p.Name)
		must(err)
		_, err = w.Write(p.Data)
		must(err)
	}
	must(zw.Close())
	return buf.Bytes()
}

// ZipOfDeath is a small workbook whose worksheet declares that it unzips to declared
// bytes, as zip bombs do to make a reader set aside memory or disk for them.
func ZipOfDeath(declared uint64) []byte {
	parts := Workbook(Sheet(Row(1, "企业名称", "统一社会信用代码")))
	for i := range parts {
		if parts[i].Name == SheetPart {
			parts[i].Declared = declared
		}
	}
	return Zip(parts...)
}

// NotWorkbook is a zip of a text file and a CSV file.
func NotWorkbook() []byte {
	return Zip(Part{Name: "readme.txt", Data: []byte("这不是表格 / not a spreadsheet\n")},
		Part{Name: "data.csv", Data: []byte("企业名称,统一社会信用代码\n某公司,91330402MA2B3C4D5E\n")})
}

// Truncated is a workbook cut off half way, as an interrupted upload is.
func Truncated() []byte {
	b := File(Row(1, "企业名称", "统一社会信用代码"), Row(2, "某公司", "91330402MA2B3C4D5E"))
	return b[:len(b)/2]
}

// Random is n random bytes, the same for the same seed.
func Random(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// StoredRun is a workbook whose worksheet holds, uncompressed, a run of n bytes of
// white space: it passes every check of the zip directory and must be caught while the
// sheet is read.
func StoredRun(n int) []byte {
	parts := Workbook(Sheet(strings.Repeat(" ", n) + Row(1, "企业名称", "统一社会信用代码")))
	for i := range parts {
		parts[i].Store = true
	}
	return Zip(parts...)
}

// Hostile is a file a hostile tester uploads.
type Hostile struct {
	Name string
	Data []byte
}

// Sweep returns the hostile files every import must refuse with a clear answer: a
// whitespace bomb of 0.9 GB, a zip of death declaring 1 TB, a zip that is no workbook,
// a truncated workbook, random bytes, and a 2 MB run of white space stored unzipped.
func Sweep() []Hostile {
	return []Hostile{
		{"whitespace bomb", WhitespaceBomb(900)},
		{"zip of death", ZipOfDeath(1 << 40)},
		{"zip that is no workbook", NotWorkbook()},
		{"truncated workbook", Truncated()},
		{"random bytes", Random(64<<10, 1)},
		{"stored white space", StoredRun(2 << 20)},
	}
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.DefaultCompression)
	must(err)
	_, err = fw.Write(b)
	must(err)
	must(fw.Close())
	return buf.Bytes()
}

func must(err error) {
	if err != nil {
		panic("xlsxtest: " + err.Error())
	}
}
