package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// The policy's JSON form names everything as its TOML file does: every key of the file
// is found at the same place in the JSON (the clauses keyed by figure), and the JSON
// adds nothing but the version, the source and values the file may leave out (false,
// zero, empty).
func TestJSONNamesAreTOMLKeys(t *testing.T) {
	files := map[string][]byte{"default": defaultTOML}
	for _, name := range []string{"variant-b-town.toml", "variant-c-county.toml", "variant-d-street.toml"} {
		b, err := os.ReadFile(filepath.Join(examplesDir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	for name, data := range files {
		p, problems := Parse(name, data)
		if len(problems) > 0 {
			t.Fatalf("%s: %v", name, problems)
		}
		var file map[string]any
		if _, err := toml.Decode(string(data), &file); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var js map[string]any
		if err := json.Unmarshal(b, &js); err != nil {
			t.Fatal(err)
		}
		// [clauses] nests by section in TOML; the JSON keys the figure whole.
		if c, ok := file["clauses"].(map[string]any); ok {
			flat := map[string]any{}
			for section, keys := range c {
				for k, v := range keys.(map[string]any) {
					flat[section+"."+k] = v
				}
			}
			file["clauses"] = flat
		}
		for _, k := range []string{"version", "source"} {
			if _, ok := js[k].(string); !ok {
				t.Errorf("%s: no %s in the JSON", name, k)
			}
			delete(js, k)
		}
		sameNames(t, name, file, js)
	}
}

// sameNames compares the keys of a TOML value and its JSON form, recursively.
func sameNames(t *testing.T, where string, file, js any) {
	t.Helper()
	switch f := file.(type) {
	case map[string]any:
		j, ok := js.(map[string]any)
		if !ok {
			t.Errorf("%s: a table in the file, %T in the JSON", where, js)
			return
		}
		for k, v := range f {
			jv, ok := j[k]
			if !ok {
				t.Errorf("%s: the file's key %s is not in the JSON (which has %s)", where, k, keys(j))
				continue
			}
			sameNames(t, where+"."+k, v, jv)
		}
		for k, v := range j {
			if _, ok := f[k]; !ok && !zero(v) {
				t.Errorf("%s: the JSON's key %s = %v is not in the file", where, k, v)
			}
		}
	case []map[string]any:
		j, ok := js.([]any)
		if !ok || len(j) != len(f) {
			t.Errorf("%s: %d tables in the file, %v in the JSON", where, len(f), js)
			return
		}
		for i := range f {
			sameNames(t, where+"["+strconv.Itoa(i)+"]", f[i], j[i])
		}
	}
}

func keys(m map[string]any) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// zero reports whether a JSON value is what a key left out of the file means.
func zero(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case float64:
		return v == 0
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		for _, x := range v {
			if !zero(x) {
				return false
			}
		}
		return true
	}
	return false
}
