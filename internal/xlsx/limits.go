package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// The limits on an uploaded workbook. Read refuses a file past any of them with a
// *LimitError: the limits on the file and its parts from the zip directory before
// anything is unzipped, the limits on a sheet's content while its unzipped XML is
// scanned, stopping at the first one passed. So reading takes bounded memory and time
// whatever the file, and a decompression bomb is refused at once.
//
// Every figure is far above what an office's sheet reaches: the largest imports
// Fugong expects, a 100,000-row roster or 50,000 enterprises, are under 10 MB as
// .xlsx, under 100 MB unzipped, 12 to 16 columns wide and grow 10 to 30 times when
// unzipped.
const (
	// MaxFileBytes bounds the .xlsx file itself.
	MaxFileBytes = 32 << 20
	// MaxUnzippedBytes bounds all the parts of the file together, unzipped, as the zip
	// directory declares them; archive/zip stops a part that unzips to more than it
	// declared.
	MaxUnzippedBytes = 512 << 20
	// MaxPartBytes bounds, unzipped, each part other than the large worksheets and
	// shared strings (styles, theme, pictures): the reader holds these in memory.
	MaxPartBytes = 16 << 20
	// MaxRatio bounds how many times a part over 1 MB may grow when unzipped. Sheets
	// grow 5 to 30 times; deflate can reach about 1,000, which a bomb of white space
	// does.
	MaxRatio = 100
	// MaxParts bounds the number of parts (files) in the zip; a workbook has 10 to 50.
	MaxParts = 1000
	// MaxRows bounds the rows of a worksheet: an importer holds the rows it checks, about
	// 1.7 KB each for a roster, so this keeps an import under 256 MB of memory.
	MaxRows = 120_000
	// MaxColumns bounds the column of a cell with content: column AMJ.
	MaxColumns = 1024
	// MaxCells bounds the cells of a worksheet, each row counted up to its last cell
	// with content.
	MaxCells = 10_000_000
	// MaxTextBytes bounds the text of one cell, and any run of text or white space
	// between two tags, as stored (UTF-8 with XML escapes); a spreadsheet program holds
	// at most 32,767 characters in a cell, under 100 KB.
	MaxTextBytes = 256 << 10
	// MaxSharedStrings bounds the distinct strings of a workbook (about 100 bytes of
	// memory each while reading).
	MaxSharedStrings = 1_000_000
)

const (
	// ratioFloor is the unzipped size under which a part may have any ratio.
	ratioFloor = 1 << 20
	// maxInMemoryBytes bounds, unzipped, the parts held in memory together.
	maxInMemoryBytes = 32 << 20
	// xmlInMemoryBytes is the size over which excelize unzips a worksheet or the shared
	// strings to a temporary file and streams it; smaller ones stay in memory, and
	// shared strings in memory are decoded into about 370 bytes of memory each.
	xmlInMemoryBytes = 1 << 20
	// maxTagBytes bounds one tag, with its attributes, or processing instruction.
	maxTagBytes = 64 << 10
	// maxDepth bounds how deeply XML elements nest; a worksheet nests about 8 deep.
	maxDepth = 64
	// maxParsedElements bounds the elements of the parts excelize decodes whole into
	// structures (workbook, relationships, styles, theme, calculation chain), about 350
	// bytes of memory each; a large workbook has a few thousand.
	maxParsedElements = 100_000
)

// LimitError is returned by Read and Check when a workbook passes one of the limits
// above. Reason is in Chinese and meant to be shown to users as is, ReasonEN is its
// English translation; both say what was passed and what the limits are.
type LimitError struct {
	Reason   string
	ReasonEN string
}

func (e *LimitError) Error() string { return e.Reason + " / " + e.ReasonEN }

// limitsZH and limitsEN sum up the limits for users.
var (
	limitsZH = fmt.Sprintf("可导入的表格:.xlsx 文件不超过 %d MB,解压后不超过 %d MB;工作表不超过 %s 行、%s 列、%s 个单元格;每个单元格的文本不超过 %d KB",
		MaxFileBytes>>20, MaxUnzippedBytes>>20, grouped(MaxRows), grouped(MaxColumns), grouped(MaxCells), MaxTextBytes>>10)
	limitsEN = fmt.Sprintf("an importable sheet is an .xlsx file of at most %d MB, %d MB unzipped, with at most %s rows, %s columns and %s cells in a worksheet and %d KB of text in a cell",
		MaxFileBytes>>20, MaxUnzippedBytes>>20, grouped(MaxRows), grouped(MaxColumns), grouped(MaxCells), MaxTextBytes>>10)
)

// grouped writes n with a comma between groups of three digits: 200,000.
func grouped(n int) string { return grouped64(uint64(n)) }

func grouped64(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// tooLarge is a *LimitError about what, in Chinese and English.
func tooLarge(zh, en string) *LimitError {
	return &LimitError{
		Reason:   "表格过大或格式异常:" + zh + "。" + limitsZH + "。",
		ReasonEN: "The sheet is too large or malformed: " + en + "; " + limitsEN + ".",
	}
}

// malformed is an error wrapping ErrFormat with what is wrong.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w (%s)", ErrFormat, fmt.Sprintf(format, args...))
}

// mb is n bytes in megabytes, rounded up.
func mb(n uint64) uint64 { return (n + 1<<20 - 1) >> 20 }

// scanFlags say how a part is scanned.
type scanFlags uint8

const (
	asSheet   scanFlags = 1 << iota // a worksheet: rows, columns and cells are counted
	asStrings                       // the shared strings: strings are counted
	asParsed                        // decoded whole by excelize: elements are counted
	// Every scanned part is checked for the size of its text runs and tags, its depth
	// and its well-formedness.
)

// pkg is an opened workbook whose zip directory and relationships passed the checks.
type pkg struct {
	zr     *zip.Reader
	flags  map[string]scanFlags // by part name, normalized as excelize does
	done   map[string]bool      // parts already scanned
	budget int                  // parsed elements left
	buf    []byte
	rows   int // the rows of the longest worksheet scanned
}

// Check makes the checks Read makes before it reads a row, on the .xlsx file in r of
// size bytes: its size; from the zip directory, before anything is unzipped, the number
// of parts, their declared sizes and compression ratios; the relationships that lead
// to the workbook and its worksheets; then, as they unzip, the worksheets and shared
// strings (rows, columns, cells, text) and the parts excelize decodes. It stops at the
// first problem: a *LimitError for a limit passed, an error wrapping ErrFormat for a
// file that is not an .xlsx workbook or is damaged. It takes little memory, and time in
// proportion to what it unzips (a second or so for a 100,000-row sheet), so a server can
// call it before it accepts an upload for a background import.
func Check(r io.ReaderAt, size int64) error {
	p, err := open(r, size)
	if err != nil {
		return err
	}
	return p.scan()
}

// CheckSize refuses, with a *LimitError, a file of size bytes over MaxFileBytes, so
// that a server need not read it into memory to learn that it is too large.
func CheckSize(size int64) error {
	if size > MaxFileBytes {
		return tooLarge(fmt.Sprintf("文件有 %d MB", mb(uint64(size))), fmt.Sprintf("the file is %d MB", mb(uint64(size))))
	}
	return nil
}

// oleHeader starts old .xls files and encrypted workbooks.
var oleHeader = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// open makes the checks of Check and returns the workbook with the parts to scan.
func open(r io.ReaderAt, size int64) (*pkg, error) {
	if err := CheckSize(size); err != nil {
		return nil, err
	}
	head := make([]byte, len(oleHeader))
	if n, _ := r.ReadAt(head, 0); n == len(head) && bytes.Equal(head, oleHeader) {
		return nil, malformed("an old .xls file or an encrypted workbook")
	}
	if n, err := directoryRecords(r, size, MaxParts); err != nil {
		return nil, malformed("%v", err)
	} else if n > MaxParts {
		return nil, tooLarge(fmt.Sprintf("压缩包中的部件超过 %d 个", MaxParts), fmt.Sprintf("the zip holds more than %d parts", MaxParts))
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, malformed("%v", err)
	}
	if len(zr.File) > MaxParts {
		return nil, tooLarge(fmt.Sprintf("压缩包中的部件超过 %d 个", MaxParts), fmt.Sprintf("the zip holds more than %d parts", MaxParts))
	}
	p := &pkg{zr: zr, flags: map[string]scanFlags{}, done: map[string]bool{}, budget: maxParsedElements}
	var total, inMemory uint64
	for _, f := range zr.File {
		name := partName(f.Name)
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return nil, malformed("part %s: compression method %d", name, f.Method)
		}
		u, c := f.UncompressedSize64, f.CompressedSize64
		if u > ratioFloor && u/MaxRatio > c {
			ratio := u / max(c, 1)
			return nil, tooLarge(fmt.Sprintf("部件 %s 解压后膨胀 %s 倍(上限 %d 倍),可能是压缩炸弹", name, grouped64(ratio), MaxRatio),
				fmt.Sprintf("part %s grows %s times when unzipped (the limit is %d), which a decompression bomb does", name, grouped64(ratio), MaxRatio))
		}
		if u > MaxUnzippedBytes || total+u > MaxUnzippedBytes {
			return nil, tooLarge(fmt.Sprintf("解压后超过 %d MB", MaxUnzippedBytes>>20), fmt.Sprintf("unzipped it is over %d MB", MaxUnzippedBytes>>20))
		}
		total += u
		if streamed(name) && u > xmlInMemoryBytes {
			continue
		}
		if u > MaxPartBytes {
			return nil, tooLarge(fmt.Sprintf("部件 %s 解压后有 %d MB(上限 %d MB)", name, mb(u), MaxPartBytes>>20),
				fmt.Sprintf("part %s is %d MB unzipped (the limit is %d MB)", name, mb(u), MaxPartBytes>>20))
		}
		if inMemory += u; inMemory > maxInMemoryBytes {
			return nil, tooLarge(fmt.Sprintf("样式、图片等部件解压后共超过 %d MB", maxInMemoryBytes>>20),
				fmt.Sprintf("its styles, pictures and other parts are over %d MB unzipped", maxInMemoryBytes>>20))
		}
	}
	return p, p.resolve()
}

// streamed reports whether excelize unzips the part to a temporary file when it is
// large, as it does worksheets and the shared strings.
func streamed(name string) bool {
	return strings.HasPrefix(strings.ToLower(name), "xl/worksheets/sheet") || name == sharedStringsPart
}

// The names excelize gives to parts whose case it ignores, and the fixed paths of the
// parts it decodes.
const (
	contentTypesPart  = "[Content_Types].xml"
	sharedStringsPart = "xl/sharedStrings.xml"
	packageRelsPart   = "_rels/.rels"
)

var fixedParsedParts = []string{contentTypesPart, packageRelsPart, "xl/styles.xml", "xl/theme/theme1.xml", "xl/calcChain.xml"}

// partName normalizes the name of a zip entry as excelize does.
func partName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	switch strings.ToLower(name) {
	case strings.ToLower(contentTypesPart):
		return contentTypesPart
	case strings.ToLower(sharedStringsPart):
		return sharedStringsPart
	}
	return name
}

// relationships is a relationships part, as far as the checks need it.
type relationships struct {
	Rels []struct {
		Type       string `xml:"Type,attr"`
		Target     string `xml:"Target,attr"`
		TargetMode string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

// The relationship types of the workbook and of a worksheet, transitional and strict.
const (
	relOfficeDocument       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relOfficeDocumentStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
	relWorksheetSuffix      = "/worksheet"
)

// resolve follows the relationships from the package to the workbook and from the
// workbook to its parts, as excelize does, and decides how each part is scanned: every
// part the workbook names may be read as a worksheet.
func (p *pkg) resolve() error {
	for _, name := range fixedParsedParts {
		p.flags[name] |= asParsed
	}
	p.flags[sharedStringsPart] |= asStrings
	if !p.has(contentTypesPart) || !p.has(packageRelsPart) {
		return malformed("a zip file but not a workbook")
	}
	var rels relationships
	if err := p.decode(packageRelsPart, &rels); err != nil {
		return err
	}
	workbook := ""
	for _, r := range rels.Rels {
		if r.Type == relOfficeDocument || r.Type == relOfficeDocumentStrict {
			workbook = strings.TrimPrefix(r.Target, "/")
			break
		}
	}
	if workbook == "" || !p.has(workbook) {
		return malformed("a zip file but not a workbook")
	}
	dir := path.Dir(workbook)
	wbRels := strings.TrimPrefix(dir+"/_rels/"+path.Base(workbook)+".rels", "./")
	p.flags[workbook] |= asParsed
	p.flags[wbRels] |= asParsed
	if !p.has(wbRels) {
		return malformed("a workbook without worksheets")
	}
	rels = relationships{}
	if err := p.decode(wbRels, &rels); err != nil {
		return err
	}
	sheets := 0
	for _, r := range rels.Rels {
		if r.TargetMode == "External" || r.Target == "" {
			continue
		}
		target := path.Clean(dir + "/" + r.Target)
		if strings.HasPrefix(r.Target, "/") {
			target = path.Clean(r.Target)
		}
		target = strings.TrimPrefix(strings.ReplaceAll(target, `\`, "/"), "/")
		if !p.has(target) {
			continue
		}
		p.flags[target] |= asSheet
		if strings.HasSuffix(r.Type, relWorksheetSuffix) {
			sheets++
		}
	}
	if sheets == 0 {
		return malformed("a workbook without worksheets")
	}
	if f := p.file(sharedStringsPart); f != nil && f.UncompressedSize64 <= xmlInMemoryBytes {
		p.flags[sharedStringsPart] |= asParsed
	}
	return nil
}

// file returns the last entry of the part called name, the one excelize keeps, or nil.
func (p *pkg) file(name string) *zip.File {
	var last *zip.File
	for _, f := range p.zr.File {
		if partName(f.Name) == name {
			last = f
		}
	}
	return last
}

func (p *pkg) has(name string) bool { return p.file(name) != nil }

// decode scans the part called name and decodes it into v.
func (p *pkg) decode(name string, v any) error {
	var keep bytes.Buffer
	for _, f := range p.zr.File {
		if partName(f.Name) != name {
			continue
		}
		keep.Reset()
		if err := p.scanFile(f, &keep); err != nil {
			return err
		}
	}
	p.done[name] = true
	if err := xml.Unmarshal(keep.Bytes(), v); err != nil && !errors.Is(err, io.EOF) {
		return malformed("part %s: %v", name, err)
	}
	return nil
}

// scan scans the parts that excelize decodes or streams, stopping at the first problem.
func (p *pkg) scan() error {
	for _, f := range p.zr.File {
		if name := partName(f.Name); p.flags[name] != 0 && !p.done[name] {
			if err := p.scanFile(f, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// scanFile scans one zip entry, copying what it reads to keep when keep is not nil.
func (p *pkg) scanFile(f *zip.File, keep *bytes.Buffer) error {
	name := partName(f.Name)
	s := &xmlScan{part: name, flags: p.flags[name], budget: &p.budget}
	rc, err := f.Open()
	if err != nil {
		return malformed("part %s: %v", name, err)
	}
	defer rc.Close()
	if p.buf == nil {
		p.buf = make([]byte, 64<<10)
	}
	for {
		n, err := rc.Read(p.buf)
		if n > 0 {
			if keep != nil {
				keep.Write(p.buf[:n])
			}
			if err := s.feed(p.buf[:n]); err != nil {
				return err
			}
		}
		if err == io.EOF {
			p.rows = max(p.rows, s.rows)
			return s.end()
		}
		if err != nil {
			return malformed("part %s: %v", name, err)
		}
	}
}
