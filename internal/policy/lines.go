package policy

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// keyLines maps the key paths of a TOML document to the 1-based line where each is defined
// (its first definition for tables). The toml package does not expose positions, so this
// small scanner finds them. It assumes the document is valid TOML (toml.Decode accepted it)
// and only understands enough to find keys and table headers:
//
//	[locality]          → "locality"
//	name = "x"          → "locality.name"
//	[[categories]]      → "categories" and "categories[1]" (elements count from 1)
//	code = "coal"       → "categories[1].code"
//	units = [{...}]     → "units" and "units[1]" for inline tables inside an array
//
// Keys are joined with joinKey, the same function the decoder uses to name fields.
func keyLines(doc string) map[string]int {
	sc := &lineScanner{s: stripBOM(doc), lines: map[string]int{}, arrays: map[string]int{}}
	sc.starts = []int{0}
	for i := 0; i < len(sc.s); i++ {
		if sc.s[i] == '\n' {
			sc.starts = append(sc.starts, i+1)
		}
	}
	sc.run()
	return sc.lines
}

// stripBOM drops a byte order mark as the toml package does.
func stripBOM(s string) string {
	switch {
	case strings.HasPrefix(s, "\xef\xbb\xbf"):
		return s[3:]
	case strings.HasPrefix(s, "\xff\xfe"), strings.HasPrefix(s, "\xfe\xff"):
		return s[2:]
	}
	return s
}

// joinKey appends a key to a path, quoting the key when it is not a bare TOML key.
func joinKey(path, key string) string {
	if !isBareKey(key) {
		key = strconv.Quote(key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// elemPath names the n-th (1-based) element of an array.
func elemPath(path string, n int) string { return path + "[" + strconv.Itoa(n) + "]" }

func isBareKey(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isBareChar(s[i]) {
			return false
		}
	}
	return true
}

func isBareChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

type lineScanner struct {
	s      string
	i      int
	starts []int          // byte offset at which each line starts
	lines  map[string]int // key path → line
	arrays map[string]int // array-of-tables path → elements so far
}

func (sc *lineScanner) lineAt(off int) int {
	return sort.Search(len(sc.starts), func(k int) bool { return sc.starts[k] > off })
}

func (sc *lineScanner) record(path string, off int) {
	if _, ok := sc.lines[path]; !ok {
		sc.lines[path] = sc.lineAt(off)
	}
}

func (sc *lineScanner) more() bool { return sc.i < len(sc.s) }

func (sc *lineScanner) run() {
	table := ""
	for sc.more() {
		start := sc.i
		switch c := sc.s[sc.i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			sc.i++
		case c == '#':
			sc.skipComment()
		case c == '[':
			table = sc.header()
		default:
			path := table
			for _, k := range sc.key() {
				path = joinKey(path, k)
				sc.record(path, start)
			}
			sc.skipSpace()
			if sc.more() && sc.s[sc.i] == '=' {
				sc.i++
			}
			sc.skipValue(path)
		}
		if sc.i == start {
			sc.i++ // not TOML after all; never loop forever
		}
	}
}

// header reads "[a.b]" or "[[a.b]]" and returns the table's path.
func (sc *lineScanner) header() string {
	start := sc.i
	sc.i++
	array := sc.more() && sc.s[sc.i] == '['
	if array {
		sc.i++
	}
	keys := sc.key()
	for sc.more() && (sc.s[sc.i] == ']' || sc.s[sc.i] == ' ' || sc.s[sc.i] == '\t') {
		sc.i++
	}
	path := ""
	for n, k := range keys {
		path = joinKey(path, k)
		if array && n == len(keys)-1 {
			sc.record(path, start)
			sc.arrays[path]++
			path = elemPath(path, sc.arrays[path])
		} else if count := sc.arrays[path]; count > 0 {
			path = elemPath(path, count) // a sub-table of the last element
		}
		sc.record(path, start)
	}
	return path
}

// key reads a possibly dotted key and returns its parts.
func (sc *lineScanner) key() []string {
	var parts []string
	for {
		sc.skipSpace()
		if !sc.more() {
			return parts
		}
		switch sc.s[sc.i] {
		case '"':
			parts = append(parts, unescapeTOML(sc.basicString()))
		case '\'':
			parts = append(parts, sc.literalString())
		default:
			from := sc.i
			for sc.more() && isBareChar(sc.s[sc.i]) {
				sc.i++
			}
			if sc.i == from {
				return parts
			}
			parts = append(parts, sc.s[from:sc.i])
		}
		sc.skipSpace()
		if !sc.more() || sc.s[sc.i] != '.' {
			return parts
		}
		sc.i++
	}
}

// skipValue skips a value up to the end of its line (or of its last line when an array,
// inline table or multi-line string spans several). Inline tables directly inside an array
// are recorded as elements of path.
func (sc *lineScanner) skipValue(path string) {
	sc.skipSpace()
	isArray := sc.more() && sc.s[sc.i] == '['
	depth, elem := 0, 0
	for sc.more() {
		switch c := sc.s[sc.i]; c {
		case '"':
			sc.basicString()
		case '\'':
			sc.literalString()
		case '#':
			sc.skipComment()
		case '\n':
			if depth <= 0 {
				return
			}
			sc.i++
		case '[', '{':
			if c == '{' && isArray && depth == 1 {
				elem++
				sc.record(elemPath(path, elem), sc.i)
			}
			depth++
			sc.i++
		case ']', '}':
			depth--
			sc.i++
		default:
			sc.i++
		}
	}
}

func (sc *lineScanner) skipSpace() {
	for sc.more() && (sc.s[sc.i] == ' ' || sc.s[sc.i] == '\t') {
		sc.i++
	}
}

func (sc *lineScanner) skipComment() {
	for sc.more() && sc.s[sc.i] != '\n' {
		sc.i++
	}
}

// basicString skips a basic string, one-line or multi-line, and returns the raw text of a
// one-line one.
func (sc *lineScanner) basicString() string {
	if strings.HasPrefix(sc.s[sc.i:], `"""`) {
		sc.i += 3
		for sc.more() {
			switch {
			case sc.s[sc.i] == '\\':
				sc.i += 2
			case strings.HasPrefix(sc.s[sc.i:], `"""`):
				for sc.more() && sc.s[sc.i] == '"' { // up to two quotes may end the content
					sc.i++
				}
				return ""
			default:
				sc.i++
			}
		}
		sc.i = min(sc.i, len(sc.s))
		return ""
	}
	sc.i++
	from := sc.i
	for sc.more() {
		switch sc.s[sc.i] {
		case '\\':
			sc.i += 2
		case '"':
			sc.i++
			return sc.s[from : sc.i-1]
		case '\n':
			return sc.s[from:sc.i]
		default:
			sc.i++
		}
	}
	sc.i = min(sc.i, len(sc.s))
	return sc.s[from:]
}

// literalString skips a literal string, one-line or multi-line, and returns the text of a
// one-line one.
func (sc *lineScanner) literalString() string {
	if strings.HasPrefix(sc.s[sc.i:], `'''`) {
		sc.i += 3
		end := strings.Index(sc.s[sc.i:], `'''`)
		if end < 0 {
			sc.i = len(sc.s)
			return ""
		}
		sc.i += end
		for sc.more() && sc.s[sc.i] == '\'' {
			sc.i++
		}
		return ""
	}
	sc.i++
	from := sc.i
	for sc.more() && sc.s[sc.i] != '\'' && sc.s[sc.i] != '\n' {
		sc.i++
	}
	text := sc.s[from:sc.i]
	if sc.more() && sc.s[sc.i] == '\'' {
		sc.i++
	}
	return text
}

// unescapeTOML decodes the escapes of a TOML basic string (for quoted keys).
func unescapeTOML(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case 'x', 'u', 'U':
			n := 2
			if s[i] == 'u' {
				n = 4
			} else if s[i] == 'U' {
				n = 8
			}
			if i+1+n <= len(s) {
				if r, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32); err == nil && utf8.ValidRune(rune(r)) {
					b.WriteRune(rune(r))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(s[i])
		default: // \" and \\
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
