package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// Every English key a template shows with T "…" has its Chinese text.
func TestCatalogCoversTemplates(t *testing.T) {
	re := regexp.MustCompile(`\bT "((?:[^"\\]|\\.)*)"`)
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(templateFS, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			key := strings.ReplaceAll(m[1], `\"`, `"`)
			if _, ok := catalogZH[key]; !ok {
				t.Errorf("%s: no Chinese text for %q", n, key)
			}
		}
	}
}
