package xlsx

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// xmlScan checks the unzipped XML of one part as it streams by, in constant memory,
// before excelize decodes it: the length of text runs and tags, the depth, that tags
// are balanced and the document complete, and, by the part's flags, the rows, columns
// and cells of a worksheet, the shared strings, or the elements of a part decoded
// whole. It does not validate XML further: encoding/xml does that when excelize reads.
type xmlScan struct {
	part   string
	flags  scanFlags
	budget *int // parsed elements left, shared by the parts of a workbook

	state   lexState
	quote   byte   // in a tag, the quote of the attribute value being read, or 0
	tag     []byte // the tag or processing instruction being read, without its '<'
	run     int    // bytes of the current text run, comment or CDATA section
	matched int    // bytes of the end of a comment, CDATA section or PI matched
	head    []byte // the first two bytes, to recognize UTF-16

	stack []byte // the names of the open elements, one after the other
	ends  []int  // where each name of stack ends
	root  bool   // the root element has been closed

	inCell   bool // within a cell (worksheet) or string (shared strings)
	cellText int  // bytes of text of that cell or string

	rows, rowNum, col, rowMax int
	cells                     int
	strings                   int
}

type lexState uint8

const (
	inText    lexState = iota
	tagStart           // after '<'
	inTag              // in a start or end tag
	inBang             // after "<!": a comment or a CDATA section begins
	inComment          // <!-- … -->
	inCDATA            // <![CDATA[ … ]]>
	inPI               // <? … ?>
)

// feed scans the next bytes of the part.
func (s *xmlScan) feed(p []byte) error {
	if len(s.head) < 2 {
		s.head = append(s.head, p[:min(len(p), 2-len(s.head))]...)
		if h := string(s.head); h == "\xfe\xff" || h == "\xff\xfe" {
			return malformed("part %s is in UTF-16, not UTF-8", s.part)
		}
	}
	for len(p) > 0 {
		switch s.state {
		case inText:
			i := bytes.IndexByte(p, '<')
			n := i
			if i < 0 {
				n = len(p)
			}
			if err := s.text(n); err != nil {
				return err
			}
			if i < 0 {
				return nil
			}
			p = p[i+1:]
			s.state, s.run, s.tag = tagStart, 0, s.tag[:0]
		case tagStart:
			switch p[0] {
			case '?':
				s.state, s.matched = inPI, 0
				p = p[1:]
			case '!':
				s.state = inBang
				p = p[1:]
			default:
				s.state, s.quote = inTag, 0
			}
		case inBang:
			s.tag = append(s.tag, p[0])
			p = p[1:]
			switch t := string(s.tag); {
			case t == "--":
				s.state, s.matched = inComment, 0
			case t == "[CDATA[":
				s.state, s.matched = inCDATA, 0
			case len(t) > 7 || !(t == "--"[:min(len(t), 2)] || t == "[CDATA["[:min(len(t), 7)]):
				return malformed("part %s has a document type or other declaration", s.part)
			}
		case inTag:
			n, closed := s.tagEnd(p)
			if len(s.tag)+n > maxTagBytes {
				return s.tooLarge(fmt.Sprintf("有超过 %d KB 的标记", maxTagBytes>>10), fmt.Sprintf("holds a tag longer than %d KB", maxTagBytes>>10))
			}
			if !closed {
				s.tag = append(s.tag, p...)
				return nil
			}
			s.tag = append(s.tag, p[:n-1]...)
			p = p[n:]
			s.state = inText
			if err := s.element(); err != nil {
				return err
			}
		case inComment, inCDATA:
			term := "-->"
			if s.state == inCDATA {
				term = "]]>"
			}
			n, found := s.until(p, term)
			s.run += n
			if s.run > MaxTextBytes {
				return s.textTooLong()
			}
			if s.state == inCDATA && s.inCell {
				if s.cellText += n; s.cellText > MaxTextBytes {
					return s.cellTooLong()
				}
			}
			p = p[n:]
			if found {
				s.state, s.run = inText, 0
			}
		case inPI:
			n, found := s.until(p, "?>")
			if len(s.tag)+n > maxTagBytes {
				return s.tooLarge(fmt.Sprintf("有超过 %d KB 的标记", maxTagBytes>>10), fmt.Sprintf("holds a tag longer than %d KB", maxTagBytes>>10))
			}
			s.tag = append(s.tag, p[:n]...)
			p = p[n:]
			if found {
				s.state = inText
				if err := s.instruction(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// end checks that the part ended as a complete document.
func (s *xmlScan) end() error {
	if s.state != inText || len(s.ends) > 0 {
		return malformed("part %s ends before its XML is complete", s.part)
	}
	return nil
}

// text counts n bytes of text.
func (s *xmlScan) text(n int) error {
	if s.run += n; s.run > MaxTextBytes {
		return s.textTooLong()
	}
	if s.inCell {
		if s.cellText += n; s.cellText > MaxTextBytes {
			return s.cellTooLong()
		}
	}
	return nil
}

// tagEnd returns how many bytes of p belong to the tag being read, and whether its '>'
// is among them. A '>' within a quoted attribute value does not end the tag.
func (s *xmlScan) tagEnd(p []byte) (int, bool) {
	for i, c := range p {
		switch {
		case s.quote != 0:
			if c == s.quote {
				s.quote = 0
			}
		case c == '"' || c == '\'':
			s.quote = c
		case c == '>':
			return i + 1, true
		}
	}
	return len(p), false
}

// until returns how many bytes of p belong to the comment, CDATA section or PI being
// read, up to and including its end term, and whether the end is among them.
func (s *xmlScan) until(p []byte, term string) (int, bool) {
	for i, c := range p {
		switch {
		case c == term[s.matched]:
			if s.matched++; s.matched == len(term) {
				s.matched = 0
				return i + 1, true
			}
		case c == term[0]:
			// "--->": the last two '-' still begin the end.
			if !(s.matched == 2 && term[0] == term[1]) {
				s.matched = 1
			}
		default:
			s.matched = 0
		}
	}
	return len(p), false
}

// instruction checks a processing instruction: the XML declaration must not name an
// encoding other than UTF-8.
func (s *xmlScan) instruction() error {
	t := bytes.TrimSuffix(s.tag, []byte("?>"))
	rest, ok := bytes.CutPrefix(t, []byte("xml"))
	if !ok || len(rest) > 0 && !isSpaceByte(rest[0]) {
		return nil
	}
	if enc, ok := attr(rest, "encoding"); ok && !bytes.EqualFold(enc, []byte("UTF-8")) && !bytes.EqualFold(enc, []byte("UTF8")) {
		return malformed("part %s is in the %s encoding, not UTF-8", s.part, enc)
	}
	return nil
}

// element handles a complete start or end tag, held in s.tag.
func (s *xmlScan) element() error {
	t := s.tag
	if len(t) > 0 && t[0] == '/' {
		return s.close(bytes.TrimRight(t[1:], " \t\r\n"))
	}
	self := len(t) > 0 && t[len(t)-1] == '/'
	if self {
		t = t[:len(t)-1]
	}
	name, attrs := t, []byte(nil)
	for i, c := range t {
		if isSpaceByte(c) {
			name, attrs = t[:i], t[i:]
			break
		}
	}
	if len(name) == 0 {
		return malformed("part %s has an empty tag", s.part)
	}
	if s.root {
		return malformed("part %s has content after its root element", s.part)
	}
	if s.flags&asParsed != 0 {
		if *s.budget--; *s.budget < 0 {
			return s.tooLarge("工作簿的结构和样式部件共有超过 "+grouped(maxParsedElements)+" 个元素",
				"the workbook's structure and style parts hold more than "+grouped(maxParsedElements)+" elements")
		}
	}
	if len(s.ends) >= maxDepth {
		return s.tooLarge(fmt.Sprintf("XML 嵌套超过 %d 层", maxDepth), fmt.Sprintf("nests XML more than %d deep", maxDepth))
	}
	local := localName(name)
	if s.flags&asSheet != 0 {
		switch string(local) {
		case "row":
			if err := s.startRow(attrs, self); err != nil {
				return err
			}
		case "c":
			if err := s.startCell(attrs, self); err != nil {
				return err
			}
		}
	}
	if s.flags&asStrings != 0 && string(local) == "si" {
		if s.strings++; s.strings > MaxSharedStrings {
			return s.tooLarge("共享字符串超过 "+grouped(MaxSharedStrings)+" 个", "holds more than "+grouped(MaxSharedStrings)+" shared strings")
		}
		s.inCell, s.cellText = !self, 0
	}
	if self {
		s.root = len(s.ends) == 0
		return nil
	}
	s.stack = append(s.stack, name...)
	s.ends = append(s.ends, len(s.stack))
	return nil
}

// close handles the end tag of the element called name.
func (s *xmlScan) close(name []byte) error {
	n := len(s.ends)
	if n == 0 {
		return malformed("part %s has an end tag without a start tag", s.part)
	}
	from := 0
	if n > 1 {
		from = s.ends[n-2]
	}
	if !bytes.Equal(s.stack[from:], name) {
		return malformed("part %s: the end tag %s closes %s", s.part, name, s.stack[from:])
	}
	s.stack, s.ends = s.stack[:from], s.ends[:n-1]
	s.root = n == 1
	switch string(localName(name)) {
	case "row":
		if s.flags&asSheet != 0 {
			return s.endRow()
		}
	case "c":
		if s.flags&asSheet != 0 {
			s.inCell = false
		}
	case "si":
		if s.flags&asStrings != 0 {
			s.inCell = false
		}
	}
	return nil
}

// startRow counts a row of a worksheet.
func (s *xmlScan) startRow(attrs []byte, self bool) error {
	if s.rows++; s.rows > MaxRows {
		return s.tooLarge("超过 "+grouped(MaxRows)+" 行", "has more than "+grouped(MaxRows)+" rows")
	}
	if v, ok := attr(attrs, "r"); ok {
		n, ok := number(v)
		if !ok || n < 1 || n > excelize.TotalRows {
			return malformed("part %s has a row numbered %q", s.part, v)
		}
		s.rowNum = n
	} else {
		s.rowNum++
	}
	s.col, s.rowMax = 0, 0
	if self {
		return s.endRow()
	}
	return nil
}

// endRow counts the cells of a row, up to its last cell with content.
func (s *xmlScan) endRow() error {
	if s.cells += s.rowMax; s.cells > MaxCells {
		return s.tooLarge("超过 "+grouped(MaxCells)+" 个单元格", "has more than "+grouped(MaxCells)+" cells")
	}
	s.rowMax = 0
	return nil
}

// startCell finds the column of a cell; an element with content (not "<c …/>") counts
// as a cell with content.
func (s *xmlScan) startCell(attrs []byte, self bool) error {
	s.col++
	if v, ok := attr(attrs, "r"); ok {
		col, ok := column(v)
		if !ok {
			return malformed("part %s has a cell called %q", s.part, v)
		}
		s.col = col
	}
	if self {
		return nil
	}
	if s.col > MaxColumns {
		return s.tooLarge(fmt.Sprintf("第 %d 行第 %d 列有内容,超过 %d 列", s.rowNum, s.col, MaxColumns),
			fmt.Sprintf("has content in column %d of row %d, beyond %d columns", s.col, s.rowNum, MaxColumns))
	}
	s.rowMax = max(s.rowMax, s.col)
	s.inCell, s.cellText = true, 0
	return nil
}

func (s *xmlScan) tooLarge(zh, en string) error {
	return tooLarge("部件 "+s.part+" "+zh, "part "+s.part+" "+en)
}

func (s *xmlScan) textTooLong() error {
	return s.tooLarge(fmt.Sprintf("有一段超过 %d KB 的文本或空白", MaxTextBytes>>10), fmt.Sprintf("holds a run of text or white space longer than %d KB", MaxTextBytes>>10))
}

func (s *xmlScan) cellTooLong() error {
	return s.tooLarge(fmt.Sprintf("有超过 %d KB 文本的单元格", MaxTextBytes>>10), fmt.Sprintf("holds a cell with more than %d KB of text", MaxTextBytes>>10))
}

// localName is name without its namespace prefix.
func localName(name []byte) []byte {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// attr returns the value of the attribute called name (its local name) among the
// attributes a of a tag.
func attr(a []byte, name string) ([]byte, bool) {
	for {
		a = bytes.TrimLeft(a, " \t\r\n")
		eq := bytes.IndexByte(a, '=')
		if eq < 0 {
			return nil, false
		}
		key := localName(bytes.TrimRight(a[:eq], " \t\r\n"))
		a = bytes.TrimLeft(a[eq+1:], " \t\r\n")
		if len(a) == 0 || a[0] != '"' && a[0] != '\'' {
			return nil, false
		}
		end := bytes.IndexByte(a[1:], a[0])
		if end < 0 {
			return nil, false
		}
		if string(key) == name {
			return a[1 : 1+end], true
		}
		a = a[2+end:]
	}
}

// number parses a positive decimal number of at most 9 digits.
func number(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// column returns the column number of a cell reference such as "B12", at most
// excelize.MaxColumns (XFD).
func column(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref) && i < 4; i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
	}
	if i == 0 || col > excelize.MaxColumns {
		return 0, false
	}
	if _, ok := number(ref[i:]); !ok {
		return 0, false
	}
	return col, true
}
