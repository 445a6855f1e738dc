// Package input holds the rules every input obeys before any handler reads it: the
// hygiene of text (valid UTF-8, no control or text-direction characters, a length per
// field), the rules of a JSON body as a whole (a change must change something, a version
// sent is a real version) and the yes/no query flags. The web layer applies them to every
// string of every JSON body, every form and query value and every path value, once; the
// nouns' own rules (a name's length, a phone number's form …) come after, in their
// packages.
package input

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"fugong/internal/apperr"
)

// The length limits, in characters (not bytes). A field's own rule may be stricter (an
// enterprise's name is at most 64 characters); these bound what any field may hold, so
// that no field stores a megabyte.
const (
	SingleLineMax = 500  // any one-line field
	MultiLineMax  = 5000 // a field typed into a text area
	LinkMax       = 2000 // a signed token, or a link that carries one
)

// Rule is what a field may hold.
type Rule struct {
	MultiLine bool // line breaks and tabs allowed
	Max       int  // at most this many characters
}

// fields are the fields that are not single lines of at most SingleLineMax characters,
// by name: the last name of a JSON path or a form field ("items[2].note" is a note).
// A new text area adds its field here.
var fields = map[string]Rule{
	"note":            {MultiLine: true, Max: MultiLineMax}, // applications, ledgers, daily reports
	"comment":         {MultiLine: true, Max: MultiLineMax}, // workflow actions, bus decisions
	"opinion":         {MultiLine: true, Max: MultiLineMax}, // on-site acceptance
	"trajectory":      {MultiLine: true, Max: MultiLineMax}, // roster: travel in the last 14 days
	"contact_history": {MultiLine: true, Max: MultiLineMax}, // roster
	"names":           {MultiLine: true, Max: MultiLineMax}, // training ledger: who received it
	"found":           {MultiLine: true, Max: MultiLineMax}, // visits: what was found
	"problems":        {MultiLine: true, Max: MultiLineMax}, // visits: problems raised
	"t":               {MultiLine: true, Max: LinkMax},      // a token or link pasted on the verification page
	"token":           {Max: LinkMax},                       // a pass's or notice's signed token
	"next":            {Max: 4 * LinkMax},                   // the page to go back to, with its (encoded) query
	// Supervision after resumption; the public's and the enterprises' voice.
	"text":        {MultiLine: true, Max: MultiLineMax},     // a rectification's answer or a unit's comment, a hazard's measures
	"description": {MultiLine: true, Max: MultiLineMax},     // a hazard; a tip: what was seen; a request: what help is needed
	"body":        {MultiLine: true, Max: 4 * MultiLineMax}, // published guidance (十问十答 runs long)
}

// FieldName is the name a field's rule is looked up by: the last name of a path,
// without its index ("items[2].note" → "note", "dormitory[0].name" → "name",
// "symptoms[1]" → "symptoms").
func FieldName(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		path = path[i+1:]
	}
	if i := strings.IndexByte(path, '['); i >= 0 {
		path = path[:i]
	}
	return path
}

// RuleOf is the rule of the field at path. Names match ignoring case, as JSON members
// match the fields they fill.
func RuleOf(path string) Rule {
	if r, ok := fields[strings.ToLower(FieldName(path))]; ok {
		return r
	}
	return Rule{Max: SingleLineMax}
}

// Forbidden reports whether r may not appear in text: control characters (C0, DEL and
// C1) but for line feed, carriage return and tab, which multi-line fields allow (a
// browser sends a text area's line breaks as CR LF; CheckText allows a carriage return
// only there, before a line feed), and the characters that steer the
// direction of text (bidirectional embeddings, overrides, isolates and marks), which can
// make a name read differently from what is stored.
func Forbidden(r rune, multiLine bool) bool {
	switch {
	case r == '\n' || r == '\t' || r == '\r':
		return !multiLine
	case unicode.IsControl(r): // U+0000–U+001F, U+007F–U+009F
		return true
	case unicode.Is(unicode.Bidi_Control, r): // U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069
		return true
	}
	return false
}

// CheckText checks the value of the field at path against the field's rule and returns
// the problem, or nil. The field is named by its path, so that the caller can tell
// which of many values is wrong.
func CheckText(path, s string) *apperr.Problem {
	return checkText(path, s, RuleOf(path))
}

func checkText(path, s string, rule Rule) *apperr.Problem {
	if !utf8.ValidString(s) {
		// Go's UTF-8 refuses encoded surrogates (U+D800–U+DFFF) too.
		return &apperr.Problem{Field: path, Message: "不是有效的 UTF-8 文本", MessageEN: "Is not valid UTF-8 text"}
	}
	n := 0
	for i, r := range s {
		n++
		if !Forbidden(r, rule.MultiLine) && (r != '\r' || strings.HasPrefix(s[i+1:], "\n")) {
			continue
		}
		switch {
		case (r == '\n' || r == '\t' || r == '\r') && !rule.MultiLine:
			return &apperr.Problem{Field: path, Message: "只能填写一行,不能含换行符或制表符",
				MessageEN: "Must be a single line, without line breaks or tabs"}
		case unicode.Is(unicode.Bidi_Control, r):
			return &apperr.Problem{Field: path, Message: fmt.Sprintf("第 %d 个字符 U+%04X 是文字方向控制符,不允许使用", n, r),
				MessageEN: fmt.Sprintf("Character %d, U+%04X, is a text-direction control, which is not allowed", n, r)}
		default:
			return &apperr.Problem{Field: path, Message: fmt.Sprintf("第 %d 个字符 U+%04X 是控制字符,不允许使用", n, r),
				MessageEN: fmt.Sprintf("Character %d, U+%04X, is a control character, which is not allowed", n, r)}
		}
	}
	if n > rule.Max {
		return &apperr.Problem{Field: path, Message: fmt.Sprintf("过长:最多 %d 个字,现有 %d 个", rule.Max, n),
			MessageEN: fmt.Sprintf("Too long: at most %d characters, not %d", rule.Max, n)}
	}
	return nil
}
