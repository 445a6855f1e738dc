package input

import (
	"strings"
	"testing"

	"fugong/internal/apperr"
)

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		name, path, in string
		bad            string // "" when the value is fine, else a word of the English message
	}{
		{"plain Chinese", "name", "甲镇精密机械有限公司", ""},
		{"empty", "name", "", ""},
		{"emoji and a literal replacement character", "note", "好 👍 \uFFFD", ""},
		{"NUL", "name", "a\x00b", "U+0000"},
		{"other C0", "contact", "a\x1bb", "U+001B"},
		{"DEL", "contact", "a\x7f", "U+007F"},
		{"C1", "contact", "a\u0085b", "U+0085"},
		{"right-to-left override", "name", "abc\u202Egpj.exe", "U+202E"},
		{"left-to-right embedding", "name", "\u202Aabc", "U+202A"},
		{"first strong isolate", "name", "a\u2068b", "U+2068"},
		{"pop directional isolate", "name", "a\u2069b", "U+2069"},
		{"right-to-left mark", "name", "a\u200Fb", "U+200F"},
		{"Arabic letter mark", "name", "a\u061Cb", "U+061C"},
		{"bidi control in a multi-line field", "note", "a\u202Eb", "U+202E"},
		{"NUL in a multi-line field", "note", "a\x00b", "U+0000"},
		{"invalid UTF-8", "name", "a\xffb", "UTF-8"},
		{"encoded surrogate", "name", "a\xed\xa0\x80b", "UTF-8"},
		{"truncated sequence", "name", "甲\xe9", "UTF-8"},
		{"newline in a single line", "name", "a\nb", "single line"},
		{"tab in a single line", "contact", "a\tb", "single line"},
		{"CR LF in a single line", "address", "a\r\nb", "single line"},
		{"newline in a note", "note", "第一行\n第二行", ""},
		{"CR LF and tab in a comment", "comment", "a\r\n\tb", ""},
		{"newline in a nested note", "items[2].note", "a\nb", ""},
		{"lone CR in a note", "note", "a\rb", "U+000D"},
		{"CR at the end of a note", "note", "a\r", "U+000D"},
		{"single line at the limit", "contact", strings.Repeat("张", SingleLineMax), ""},
		{"single line over the limit", "contact", strings.Repeat("张", SingleLineMax+1), "at most 500"},
		{"a megabyte", "contact", strings.Repeat("x", 1<<20), "at most 500"},
		{"multi-line at the limit", "trajectory", strings.Repeat("路", MultiLineMax), ""},
		{"multi-line over the limit", "trajectory", strings.Repeat("路", MultiLineMax+1), "at most 5000"},
		{"a long token", "token", strings.Repeat("A", LinkMax), ""},
		{"a too long token", "token", strings.Repeat("A", LinkMax+1), "at most 2000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := CheckText(tc.path, tc.in)
			switch {
			case tc.bad == "" && p != nil:
				t.Fatalf("CheckText(%q) = %+v, want no problem", tc.path, *p)
			case tc.bad == "":
			case p == nil:
				t.Fatalf("CheckText(%q, …) = nil, want a problem mentioning %q", tc.path, tc.bad)
			case p.Field != tc.path || p.Message == "" || !strings.Contains(p.MessageEN, tc.bad):
				t.Fatalf("CheckText(%q, …) = %+v, want field %q and %q in the English message", tc.path, *p, tc.path, tc.bad)
			}
		})
	}
}

func TestRuleOf(t *testing.T) {
	for _, tc := range []struct {
		path string
		want Rule
	}{
		{"name", Rule{Max: SingleLineMax}},
		{"note", Rule{MultiLine: true, Max: MultiLineMax}},
		{"items[2].note", Rule{MultiLine: true, Max: MultiLineMax}},
		{"dormitory[0].name", Rule{Max: SingleLineMax}},
		{"symptoms[1]", Rule{Max: SingleLineMax}},
		{"names", Rule{MultiLine: true, Max: MultiLineMax}},
		{"Note", Rule{MultiLine: true, Max: MultiLineMax}},
		{"token", Rule{Max: LinkMax}},
		{"note_A1", Rule{Max: SingleLineMax}}, // a checklist item's one-line note
		{"", Rule{Max: SingleLineMax}},
	} {
		if got := RuleOf(tc.path); got != tc.want {
			t.Errorf("RuleOf(%q) = %+v, want %+v", tc.path, got, tc.want)
		}
	}
}

func TestForbidden(t *testing.T) {
	for _, tc := range []struct {
		r      rune
		single bool // forbidden in a single line
		multi  bool // forbidden in a multi-line field
	}{
		{'a', false, false}, {'张', false, false}, {' ', false, false}, {'\u3000', false, false},
		{'\n', true, false}, {'\t', true, false}, {'\r', true, false},
		{0, true, true}, {0x1f, true, true}, {0x7f, true, true}, {0x80, true, true}, {0x9f, true, true},
		{0x202A, true, true}, {0x202E, true, true}, {0x2066, true, true}, {0x2069, true, true}, {0x200E, true, true},
		{0x200D, false, false}, // a zero-width joiner is part of emoji sequences
	} {
		if got := Forbidden(tc.r, false); got != tc.single {
			t.Errorf("Forbidden(U+%04X, single line) = %v, want %v", tc.r, got, tc.single)
		}
		if got := Forbidden(tc.r, true); got != tc.multi {
			t.Errorf("Forbidden(U+%04X, multi-line) = %v, want %v", tc.r, got, tc.multi)
		}
	}
}

// problemFields lists the fields of problems.
func problemFields(ps apperr.Problems) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Field)
	}
	return out
}

func TestCheckJSON(t *testing.T) {
	big := `"` + strings.Repeat("x", 1<<20) + `"`
	for _, tc := range []struct {
		name, doc string
		want      []string // the fields with a problem
	}{
		{"clean object", `{"name": "甲镇", "note": "a\nb", "seats": 30, "ok": true, "x": null}`, nil},
		{"escaped pair is fine", `{"name": "\ud83d\ude00 \u4e2d"}`, nil},
		{"escaped NUL", `{"name": "a\u0000b"}`, []string{"name"}},
		{"escaped newline in a single line", `{"name": "a\nb"}`, []string{"name"}},
		{"raw bidi override", "{\"name\": \"a\u202eb\"}", []string{"name"}},
		{"escaped bidi override", `{"name": "a\u202Eb"}`, []string{"name"}},
		{"lone high surrogate", `{"name": "\ud800"}`, []string{"name"}},
		{"lone low surrogate", `{"name": "x\udc00y"}`, []string{"name"}},
		{"high surrogate then a letter", `{"name": "\ud800\u0041"}`, []string{"name"}},
		{"reversed pair", `{"name": "\udc00\ud800"}`, []string{"name"}},
		{"invalid UTF-8", "{\"contact\": \"a\xffb\"}", []string{"contact"}},
		{"nested path", `{"items": [{"note": "ok"}, {"note": "ok"}, {"note": "a\u0000"}]}`, []string{"items[2].note"}},
		{"object in object", `{"commitment": {"signed_by": "a\u202e"}}`, []string{"commitment.signed_by"}},
		{"array of strings", `{"symptoms": ["cough", "a\u0007"]}`, []string{"symptoms[1]"}},
		{"top-level array", `[{"checkpoint": "ok"}, {"checkpoint": "\u0000"}]`, []string{"[1].checkpoint"}},
		{"top-level string", `"\u0000"`, []string{"body"}},
		{"bad member name", `{"parts": {"a\u0000": true}}`, []string{"parts"}},
		{"bad member name at the top", `{"\ud800": 1}`, []string{"body"}},
		{"a megabyte", `{"contact": ` + big + `}`, []string{"contact"}},
		{"several fields", `{"name": "\u0000", "address": "\u202e", "note": "fine\r\n"}`, []string{"name", "address"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problemFields(CheckJSON([]byte(tc.doc)))
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("CheckJSON(%.80s) problems on %v, want %v", tc.doc, got, tc.want)
			}
		})
	}
}

func TestCheckJSONBoundsProblems(t *testing.T) {
	doc := "[" + strings.Repeat(`"\u0000",`, 1000) + `"x"]`
	if ps := CheckJSON([]byte(doc)); len(ps) != MaxProblems {
		t.Fatalf("%d problems, want %d", len(ps), MaxProblems)
	}
}

// A malformed document is the decoder's to report; the walk must still end.
func TestCheckJSONMalformedEnds(t *testing.T) {
	for _, doc := range []string{`{`, `[`, `{"a"`, `{"a":`, `[}`, `{]`, `"abc`, `"\`, `"\u12`, `{"a" "b"}`, `[1,,]`, `}}}`, ``} {
		CheckJSON([]byte(doc))
	}
}

func TestCheckBody(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		patch     bool
		field     string // "" for no problem
	}{
		{"object", `{"name": "x"}`, false, ""},
		{"empty object when creating", `{}`, false, ""},
		{"null when creating", `null`, false, "body"},
		{"array", `[{"checkpoint": "a"}]`, false, ""},
		{"patch", `{"name": "x"}`, true, ""},
		{"patch with version", `{"name": "x", "version": 3}`, true, ""},
		{"patch null", ` null `, true, "body"},
		{"patch empty", `{}`, true, "body"},
		{"patch version only", `{"version": 3}`, true, "body"},
		{"patch null version only", `{"version": null}`, true, "body"},
		{"version 0", `{"action": "approve", "version": 0}`, false, "version"},
		{"version -1", `{"name": "x", "version": -1}`, true, "version"},
		{"version 1", `{"action": "approve", "version": 1}`, false, ""},
		{"version null", `{"action": "approve", "version": null}`, false, ""},
		{"version fraction", `{"action": "approve", "version": 1.5}`, false, "version"},
		{"version in capitals", `{"action": "approve", "Version": 0}`, false, "version"},
		{"version escaped", `{"action": "approve", "\u0076ersion": -2}`, false, "version"},
		{"version with a long s", `{"action": "approve", "ver\u017fion": 0}`, false, "version"},
		{"patch of a version in capitals only", `{"VERSION": 4}`, true, "body"},
		{"version after nested values", `{"items": [{"a": "}", "b": [1, {"c": "]"}]}], "version": 0}`, false, "version"},
		{"version after quotes and commas in a string", `{"note": "a\"b,}\\", "version": -1}`, true, "version"},
		{"version inside a member is not the body's", `{"x": {"version": 0}}`, true, ""},
		{"version before other members", `{"version": 2 , "name": "x"}`, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckBody([]byte(tc.doc), tc.patch)
			got := ""
			if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid && len(e.Problems) == 1 {
				got = e.Problems[0].Field
			} else if err != nil {
				t.Fatalf("CheckBody: %v, want an invalid error with one problem", err)
			}
			if got != tc.field {
				t.Fatalf("CheckBody(%s, patch=%v): problem on %q, want %q", tc.doc, tc.patch, got, tc.field)
			}
		})
	}
}

func TestCheckVersion(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{{"", true}, {"1", true}, {"42", true}, {"0", false}, {"-3", false}, {"x", false}, {"1.0", false}, {" 2", false}} {
		if err := CheckVersion(tc.in); (err == nil) != tc.ok {
			t.Errorf("CheckVersion(%q) = %v, want ok %v", tc.in, err, tc.ok)
		}
	}
}

func TestFlag(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
		ok   bool
	}{{"", false, true}, {"0", false, true}, {"false", false, true}, {"off", false, true}, {"no", false, true},
		{"1", true, true}, {"true", true, true}, {"on", true, true}, {"yes", true, true}, {"TRUE", true, true}, {" 1 ", true, true},
		{"2", false, false}, {"y", false, false}, {"bogus", false, false}} {
		got, err := Flag("mine", tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("Flag(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if e, ok := apperr.As(err); err != nil && (!ok || e.Problems[0].Field != "mine") {
			t.Errorf("Flag(%q): %v, want a problem on mine", tc.in, err)
		}
	}
}

func TestOneOf(t *testing.T) {
	allowed := []string{"pending", "approved"}
	for _, tc := range []struct {
		in string
		ok bool
	}{{"", true}, {"pending", true}, {"approved", true}, {"bogus", false}, {"Pending", false}} {
		p := OneOf("status", tc.in, allowed)
		if (p == nil) != tc.ok {
			t.Errorf("OneOf(%q) = %v, want ok %v", tc.in, p, tc.ok)
		}
		if p != nil && (p.Field != "status" || !strings.Contains(p.MessageEN, "pending, approved") || !strings.Contains(p.Message, "pending、approved")) {
			t.Errorf("OneOf(%q) = %+v, want the parameter and the allowed values named", tc.in, *p)
		}
	}
}

func TestJoin(t *testing.T) {
	if err := Join(nil, nil); err != nil {
		t.Fatalf("Join(nil, nil) = %v", err)
	}
	err := Join(nil, OneOf("status", "x", []string{"a"}), CheckText("name", "\x00"))
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid || len(e.Problems) != 2 || e.Problems[0].Field != "status" || e.Problems[1].Field != "name" {
		t.Fatalf("Join = %v", err)
	}
}
