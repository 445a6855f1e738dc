package policy

import (
	"testing"

	"github.com/BurntSushi/toml"
)

func TestKeyLines(t *testing.T) {
	doc := "\ufeff# comment with [brackets] and = signs\n" + // 1
		"title = \"x # not a comment [\"\n" + // 2
		"multi = \"\"\"\n" + // 3
		"[not_a_table]\n" + // 4
		"key = \"not a key\"\n" + // 5
		"\"\"\"\n" + // 6
		"literal = '''\n" + // 7
		"[[nor_this]]'''\n" + // 8
		"arr = [\n" + // 9
		"  \"a]\", # comment ]\n" + // 10
		"  'b[',\n" + // 11
		"]\n" + // 12
		"\n" + // 13
		"[locality]\n" + // 14
		"  name = \"镇\"   # trailing\n" + // 15
		"\"quoted key\" = 1\n" + // 16
		"'literal.key' = 2\n" + // 17
		"dotted . inner = 3\n" + // 18
		"\"esc\\u0041\" = 4\n" + // 19
		"[[stages]]\n" + // 20
		"code = \"a\"\n" + // 21
		"[[stages.sub]]\n" + // 22
		"x = 1\n" + // 23
		"[[stages]]\n" + // 24
		"code = \"b\"\n" + // 25
		"[[stages.sub]]\n" + // 26
		"[stages.table]\n" + // 27
		"y = { a = 1, b = [\n" + // 28
		"  2 ] }\n" + // 29
		"units = [\n" + // 30
		"  { code = \"a\" },\n" + // 31
		"  { code = \"b\", name = \"}{\" },\n" + // 32
		"]\n" + // 33
		"after = \"\"\"a\"\"\"\"\" # 5 quotes end it\n" + // 34
		"last = 1" // 35
	if _, err := toml.Decode(doc, new(map[string]any)); err != nil {
		t.Fatalf("test document is not valid TOML: %v", err)
	}
	lines := keyLines(doc)
	want := map[string]int{
		"title":                    2,
		"multi":                    3,
		"literal":                  7,
		"arr":                      9,
		"locality":                 14,
		"locality.name":            15,
		`locality."quoted key"`:    16,
		`locality."literal.key"`:   17,
		"locality.dotted":          18,
		"locality.dotted.inner":    18,
		"locality.escA":            19,
		"stages":                   20,
		"stages[1]":                20,
		"stages[1].code":           21,
		"stages[1].sub[1]":         22,
		"stages[1].sub[1].x":       23,
		"stages[2]":                24,
		"stages[2].code":           25,
		"stages[2].sub[1]":         26,
		"stages[2].table":          27,
		"stages[2].table.y":        28,
		"stages[2].table.units":    30,
		"stages[2].table.units[1]": 31,
		"stages[2].table.units[2]": 32,
		"stages[2].table.after":    34,
		"stages[2].table.last":     35,
	}
	for path, line := range want {
		if got, ok := lines[path]; !ok || got != line {
			t.Errorf("line of %s = %d (found %v), want %d", path, got, ok, line)
		}
	}
	for _, bogus := range []string{"not_a_table", "not_a_table.key", "nor_this", "key"} {
		if _, ok := lines[bogus]; ok {
			t.Errorf("%s found inside a string", bogus)
		}
	}
}

func TestKeyLinesNeverLoops(t *testing.T) {
	for _, s := range []string{"", "[", "[[", "\"", "'''", "a = \"\"\"", "= = =", "]]]", "a.\"b", "\\", "a = [[[{", "x = '''a''", "\xef\xbb\xbf"} {
		keyLines(s) // invalid TOML must still terminate
	}
}
