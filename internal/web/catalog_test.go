package web

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"fugong/internal/application"
	"fugong/internal/policy"
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

// The field names that follow from other tables: a supply field per item, dormitory fields
// of the first 20 rows, and a checklist item field per item of the default policy.
func TestCatalogFieldNames(t *testing.T) {
	want := map[string]string{}
	for _, it := range application.SupplyItems {
		want["supplies."+it] = application.SupplyNames[it][0] + "数量"
	}
	for i := range 20 {
		want[fmt.Sprintf("dormitory[%d].name", i)] = fmt.Sprintf("第 %d 间宿舍名称", i+1)
		want[fmt.Sprintf("dormitory[%d].beds", i)] = fmt.Sprintf("第 %d 间宿舍床位", i+1)
		want[fmt.Sprintf("dormitory[%d].assigned", i)] = fmt.Sprintf("第 %d 间宿舍入住人数", i+1)
	}
	for _, c := range policy.Default().Checklist {
		want["items."+c.Code] = "验收项目"
	}
	for k, v := range want {
		if got, ok := catalogZH[k]; !ok || got != v {
			t.Errorf("catalogZH[%q] = %q, want %q", k, got, v)
		}
	}
	for k := range catalogZH {
		if _, ok := want[k]; !ok && (strings.HasPrefix(k, "supplies.") || strings.HasPrefix(k, "items.") || strings.HasPrefix(k, "dormitory[")) {
			t.Errorf("catalogZH has %q, which names no supply item, dormitory row or checklist item", k)
		}
	}
}
