package layout

import (
	"bufio"
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// maxLines is the most lines a Go source file may have.
const maxLines = 700

// root is the module's directory.
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod two levels up from the layout package: %v", err)
	}
	return dir
}

// goFiles lists the Go files under dir (relative to the module), tests included.
func goFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no Go files under %s", dir)
	}
	return out
}

func TestNoSourceFileOverMaxLines(t *testing.T) {
	base := root(t)
	for _, path := range goFiles(t, base) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(b, []byte("\n")); n > maxLines {
			rel, _ := filepath.Rel(base, path)
			t.Errorf("%s has %d lines, more than %d: split it by noun or by face (docs/architecture.md)", rel, n, maxLines)
		}
	}
}

// infrastructure are the packages under internal/ that may speak SQL or HTTP: the store,
// the web layer, and the tools that drive them. Every other package holds rules.
var infrastructure = []string{"store", "store/storetest", "web", "pgtest", "citygen", "demo", "loadgen", "layout"}

// forbidden are the imports a domain package may not have: a rule neither runs SQL nor
// answers HTTP, and never asks the store.
var forbidden = []string{"database/sql", "net/http", "github.com/jackc/pgx/v5", "modernc.org/sqlite", "fugong/internal/store", "fugong/internal/web"}

// allowed are single exceptions, each with its reason.
var allowed = map[string]string{
	"files net/http":             "http.DetectContentType tells an upload's kind from its first bytes",
	"region database/sql/driver": "a region code is stored as its canonical text (driver.Valuer)",
}

func TestDomainPackagesNeitherSQLNorHTTP(t *testing.T) {
	internal := filepath.Join(root(t), "internal")
	fset := token.NewFileSet()
	checked := map[string]bool{}
	for _, path := range goFiles(t, internal) {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		pkg, _ := filepath.Rel(internal, filepath.Dir(path))
		pkg = filepath.ToSlash(pkg)
		if slices.Contains(infrastructure, pkg) {
			continue
		}
		checked[pkg] = true
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if p != bad && !strings.HasPrefix(p, bad+"/") {
					continue
				}
				if _, ok := allowed[pkg+" "+p]; ok {
					continue
				}
				t.Errorf("internal/%s imports %s: a domain package holds rules only; move the SQL to internal/store and the HTTP to internal/web", pkg, p)
			}
		}
	}
	// The walk must have reached the domain packages, or it checked nothing.
	for _, want := range []string{"application", "gate", "health", "pass", "notice"} {
		if !checked[want] {
			t.Errorf("internal/%s was not checked", want)
		}
	}
}

// The fever line is a rule of internal/health: the store asks health.Fever and never
// compares a temperature itself.
func TestStoreKeepsNoFeverLine(t *testing.T) {
	for _, path := range goFiles(t, filepath.Join(root(t), "internal", "store")) {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			if strings.Contains(sc.Text(), "FeverLine") {
				t.Errorf("%s:%d uses FeverLine: ask health.Fever instead", filepath.Base(path), n)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
}
