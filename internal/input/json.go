package input

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"fugong/internal/apperr"
)

// MaxProblems bounds the problems reported for one body: a megabyte of bad strings is
// refused with the first few, not with an answer as large as the body.
const MaxProblems = 20

// CheckJSON checks every string of a JSON document, member names and values alike,
// against the rule of its field, and returns one problem per bad field named by its JSON
// path ("items[2].note"; a bad member name is reported on the object that holds it,
// "body" at the top). Unlike a JSON decoder, which replaces them silently, it sees
// invalid UTF-8 and lone surrogates (an escape such as \ud800 not paired with its
// other half). The document must be well-formed (encoding/json's Valid); a malformed one
// is left to the decoder to report.
func CheckJSON(doc []byte) apperr.Problems {
	w := walker{b: doc}
	w.value("")
	return w.ps
}

type walker struct {
	b  []byte
	i  int
	ps apperr.Problems
}

func (w *walker) add(p *apperr.Problem) {
	if p != nil && len(w.ps) < MaxProblems {
		w.ps = append(w.ps, *p)
	}
}

func (w *walker) space() {
	for w.i < len(w.b) {
		switch w.b[w.i] {
		case ' ', '\t', '\n', '\r':
			w.i++
		default:
			return
		}
	}
}

// value walks the value at w.i, whose path is path.
func (w *walker) value(path string) {
	w.space()
	if len(w.ps) >= MaxProblems {
		w.i = len(w.b) // enough said
	}
	if w.i >= len(w.b) {
		return
	}
	switch w.b[w.i] {
	case '{':
		w.i++
		for {
			w.space()
			if w.i >= len(w.b) || w.b[w.i] == '}' {
				w.i++
				return
			}
			if w.b[w.i] == ',' {
				w.i++
				continue
			}
			key, bad := w.str()
			where, child := path, path+"."+key
			if where == "" {
				where, child = "body", key
			}
			if p := member(where, key, bad); p != nil {
				w.add(p)
				child = where
			}
			w.space()
			if w.i < len(w.b) && w.b[w.i] == ':' {
				w.i++
			}
			w.next(child)
		}
	case '[':
		w.i++
		for n := 0; ; n++ {
			w.space()
			if w.i >= len(w.b) || w.b[w.i] == ']' {
				w.i++
				return
			}
			if w.b[w.i] == ',' {
				w.i++
			}
			w.next(path + "[" + strconv.Itoa(n) + "]")
		}
	case '"':
		s, bad := w.str()
		if path == "" {
			path = "body"
		}
		if bad {
			w.add(loneSurrogate(path))
		} else {
			w.add(CheckText(path, s))
		}
	default: // a number, true, false or null
		for w.i < len(w.b) {
			switch w.b[w.i] {
			case ',', ']', '}', ' ', '\t', '\n', '\r':
				return
			}
			w.i++
		}
	}
}

// next walks the value at w.i and makes sure to move on, even in a malformed document.
func (w *walker) next(path string) {
	at := w.i
	w.value(path)
	if w.i == at {
		w.i++
	}
}

// member checks a member name, reported on the object (where) that holds it.
func member(where, key string, lone bool) *apperr.Problem {
	if lone {
		return loneSurrogate(where)
	}
	return CheckName(where, key)
}

// CheckName checks the name of a JSON member or a form field, as a single line; a
// problem is reported on where (the object or the form that holds it), since a bad name
// cannot name itself.
func CheckName(where, name string) *apperr.Problem {
	p := checkText(where, name, Rule{Max: SingleLineMax})
	if p != nil {
		p.Message, p.MessageEN = "字段名称有误:"+p.Message, "A field name is wrong: "+p.MessageEN
	}
	return p
}

func loneSurrogate(path string) *apperr.Problem {
	return &apperr.Problem{Field: path, Message: "含有不成对的代理项转义(如 \\ud800),不是有效的文本",
		MessageEN: "Holds an unpaired surrogate escape (such as \\ud800), which is not valid text"}
}

// str reads the string at w.i (an opening quote), decoding its escapes. lone reports an
// unpaired surrogate escape. Invalid UTF-8 is kept as it is, for CheckText to refuse.
func (w *walker) str() (s string, lone bool) {
	w.i++ // the opening quote
	var out []byte
	for w.i < len(w.b) {
		c := w.b[w.i]
		switch {
		case c == '"':
			w.i++
			return string(out), lone
		case c != '\\':
			out = append(out, c)
			w.i++
			continue
		}
		// An escape.
		if w.i+1 >= len(w.b) {
			w.i = len(w.b)
			break
		}
		e := w.b[w.i+1]
		w.i += 2
		switch e {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := w.hex()
			switch {
			case utf16.IsSurrogate(r) && r < 0xDC00 && w.i+1 < len(w.b) && w.b[w.i] == '\\' && w.b[w.i+1] == 'u':
				save := w.i
				w.i += 2
				if r2 := w.hex(); r2 >= 0xDC00 && r2 <= 0xDFFF {
					r = utf16.DecodeRune(r, r2)
				} else {
					w.i, lone = save, true
					r = utf8.RuneError
				}
			case utf16.IsSurrogate(r):
				lone, r = true, utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default: // " \ /
			out = append(out, e)
		}
	}
	return string(out), lone
}

// skip moves past the value at w.i without looking into it, to the comma or the
// closing bracket that follows it.
func (w *walker) skip() {
	depth := 0
	for w.i < len(w.b) {
		switch c := w.b[w.i]; {
		case c == '"':
			for w.i++; w.i < len(w.b) && w.b[w.i] != '"'; w.i++ {
				if w.b[w.i] == '\\' {
					w.i++
				}
			}
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 {
				return
			}
			depth--
		case c == ',' && depth == 0:
			return
		}
		w.i++
	}
}

// hex reads the four hex digits of a \u escape.
func (w *walker) hex() rune {
	if w.i+4 > len(w.b) {
		w.i = len(w.b)
		return utf8.RuneError
	}
	n, err := strconv.ParseUint(string(w.b[w.i:w.i+4]), 16, 32)
	w.i += 4
	if err != nil {
		return utf8.RuneError
	}
	return rune(n)
}
