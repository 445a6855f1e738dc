package store

import (
	"slices"
	"testing"
)

// A region's range holds exactly the codes under its prefix.
func TestRegionRange(t *testing.T) {
	cases := []struct {
		code string
		cond string
		args []any
	}{
		{"330400", "c >= ? AND c < ?", []any{"3304", "3305"}},
		{"330402", "c >= ? AND c < ?", []any{"330402", "330403"}},
		{"330402001", "c >= ? AND c < ?", []any{"330402001", "330402002"}},
		{"330409", "c >= ? AND c < ?", []any{"330409", "33041"}},
		{"339999", "c >= ? AND c < ?", []any{"339999", "34"}},
		{"999999", "c LIKE ?", []any{"999999%"}},
	}
	for _, c := range cases {
		var w where
		regionRange(&w, "c", c.code)
		if len(w.conds) != 1 || w.conds[0] != c.cond || !slices.Equal(w.args, c.args) {
			t.Errorf("%s: %v %v, want %s %v", c.code, w.conds, w.args, c.cond, c.args)
		}
	}
	// Codes under the prefix fall inside, the neighbours outside.
	lo, hi := "330409", "33041"
	for code, in := range map[string]bool{"330409": true, "330409001": true, "330409999999": true, "330410": false, "330408999": false} {
		if got := code >= lo && code < hi; got != in {
			t.Errorf("%s in [%s, %s): %v", code, lo, hi, got)
		}
	}
}

// enterpriseIn's condition turns into a test of each row's enterprise, with the same
// arguments; any other condition stays as it is.
func TestEnterpriseExists(t *testing.T) {
	var w where
	w.add(inEnterprises("c.enterprise_id")+"e.region_code >= ? AND e.region_code < ?)", "3304", "3305")
	got, ok := enterpriseExists(w.conds[0], "c.enterprise_id")
	want := "EXISTS (SELECT 1 FROM enterprises e WHERE e.id = c.enterprise_id AND e.region_code >= ? AND e.region_code < ?)"
	if !ok || got != want {
		t.Errorf("got %q %v, want %q", got, ok, want)
	}
	for _, c := range []string{"c.day = ?", inEnterprises("g.enterprise_id") + "e.park_id = ?)"} {
		if got, ok := enterpriseExists(c, "c.enterprise_id"); ok || got != c {
			t.Errorf("%q: %q %v", c, got, ok)
		}
	}
}
