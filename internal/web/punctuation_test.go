package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// fullWidth are the full-width forms of the punctuation Chinese text in Fugong writes
// half-width (, : ; ( ) ! ?), as most of the code base always has: one of them among the
// others reads as a slip (「统一社会信用代码有误:校验码错误：第18位…」). The enumeration
// comma 、, the full stop 。 and the quotes 「」“” have no half-width form here and stay.
const fullWidth = "，：；（）！？"

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// TestChinesePunctuation scans the catalogue, the templates, the policy files and every
// string literal with Chinese in the non-test Go sources for full-width punctuation.
func TestChinesePunctuation(t *testing.T) {
	bad := func(s string) bool { return hasHan(s) && strings.ContainsAny(s, fullWidth) }
	for k, v := range catalogZH {
		if bad(v) {
			t.Errorf("catalogZH[%q] = %q mixes in full-width punctuation", k, v)
		}
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(names) == 0 {
		t.Fatalf("templates: %v", err)
	}
	for _, n := range names {
		b, _ := fs.ReadFile(templateFS, n)
		for i, line := range strings.Split(string(b), "\n") {
			if bad(line) {
				t.Errorf("%s:%d: full-width punctuation: %s", n, i+1, strings.TrimSpace(line))
			}
		}
	}
	root := filepath.Join("..", "..")
	literals, files := 0, 0
	for _, dir := range []string{"internal", "cmd", "policies"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch {
			case strings.HasSuffix(path, ".toml"):
				files++
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				for i, line := range strings.Split(string(b), "\n") {
					if bad(line) {
						t.Errorf("%s:%d: full-width punctuation: %s", path, i+1, strings.TrimSpace(line))
					}
				}
			case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go"):
				files++
				fset := token.NewFileSet()
				f, err := parser.ParseFile(fset, path, nil, 0)
				if err != nil {
					return err
				}
				ast.Inspect(f, func(n ast.Node) bool {
					lit, ok := n.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						return true
					}
					s, err := strconv.Unquote(lit.Value)
					if err != nil || !hasHan(s) {
						return true
					}
					literals++
					if bad(s) {
						t.Errorf("%s: full-width punctuation in %s", fset.Position(lit.Pos()), lit.Value)
					}
					return true
				})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if literals < 500 || files < 50 {
		t.Fatalf("scanned %d Chinese literals in %d files: the walk missed the sources", literals, files)
	}
}
