package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// checkboxLabel finds a label that opens with a checkbox: the box and its words.
var checkboxLabel = regexp.MustCompile(`<label([^>]*)>\s*<input type="checkbox"`)

// A checkbox sits before its words on one line: the forms and filters lay their other
// labels out as a column (the words above the field), which would put the box above its
// words, so such a label is marked check (or inline, in a row of buttons).
func TestCheckboxLabelsOnOneLine(t *testing.T) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(names) == 0 {
		t.Fatalf("templates: %v", err)
	}
	found := 0
	for _, n := range names {
		b, _ := fs.ReadFile(templateFS, n)
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range checkboxLabel.FindAllStringSubmatch(line, -1) {
				found++
				if !strings.Contains(m[1], `class="check`) && !strings.Contains(m[1], `class="inline`) {
					t.Errorf("%s:%d: a checkbox's label is not marked check: %s", n, i+1, strings.TrimSpace(line))
				}
			}
		}
	}
	if found == 0 {
		t.Fatal("no checkbox labels found: the pattern is stale")
	}
}

// Chinese written into a page's text outside the catalogue shows in Chinese on the English
// pages too. Words go through T; data, form values and examples in attributes are not the
// page's words. The printed documents (the notice, the bus letter, the rectification
// notice, the verify verdict) are Chinese by nature, and the language switch names 中文.
func TestTemplateWordsTranslated(t *testing.T) {
	printed := map[string]bool{"templates/notice.html": true, "templates/bus_letter.html": true, "templates/rectification_notice.html": true,
		"templates/verify.html": true}
	actions := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	attrs := regexp.MustCompile(`="[^"]*"`)
	han := regexp.MustCompile(`\p{Han}+`)
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(names) == 0 {
		t.Fatalf("templates: %v", err)
	}
	for _, n := range names {
		if printed[n] {
			continue
		}
		b, _ := fs.ReadFile(templateFS, n)
		for i, line := range strings.Split(string(b), "\n") {
			text := attrs.ReplaceAllString(actions.ReplaceAllString(line, ""), "")
			text = strings.ReplaceAll(text, ">中文<", "><") // the language switch
			if w := han.FindString(text); w != "" {
				t.Errorf("%s:%d: %q is not translated: %s", n, i+1, w, strings.TrimSpace(line))
			}
		}
	}
}
