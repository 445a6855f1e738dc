package grid

import (
	"os"
	"slices"
	"testing"

	"fugong/internal/apperr"
	"fugong/internal/policy"
)

func variantC(t *testing.T) *policy.Policy {
	t.Helper()
	b, err := os.ReadFile("../../policies/variant-c-county.toml")
	if err != nil {
		t.Fatal(err)
	}
	p, probs := policy.Parse("variant-c-county.toml", b)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return p
}

func TestChainsOfVariantC(t *testing.T) {
	p := variantC(t)
	above, ok := ChainFor(p.GridChains, true)
	if !ok || !slices.Equal(Steps(above), []string{"town_gov", "county_industry"}) {
		t.Fatalf("above scale: %+v", above)
	}
	below, ok := ChainFor(p.GridChains, false)
	if !ok || !slices.Equal(Steps(below), []string{"village", "town_gov", "county_sme"}) {
		t.Fatalf("below scale: %+v", below)
	}
	// The default policy has no chain: one step, as before.
	if _, ok := ChainFor(policy.Default().GridChains, true); ok {
		t.Fatal("the default policy has a grid chain")
	}
}

func TestDecide(t *testing.T) {
	steps := []string{"village", "town_gov", "county_sme"}
	name := func(u string) string { return u }
	ok := func(unit string) Decision { return Decision{Unit: unit, Approve: true} }
	cases := []struct {
		name    string
		decided []Decision
		units   []string
		approve bool
		reason  string
		kind    apperr.Kind // 0 when allowed
		step    int
		last    bool
	}{
		{"village first", nil, []string{"village"}, true, "", 0, 0, false},
		{"town cannot skip the village", nil, []string{"town_gov"}, true, "", apperr.Forbidden, 0, false},
		{"county cannot approve for the town", []Decision{ok("village")}, []string{"county_sme"}, true, "", apperr.Forbidden, 0, false},
		{"a lower level cannot approve for a higher one", []Decision{ok("village"), ok("town_gov")}, []string{"village", "town_gov"}, true, "", apperr.Forbidden, 0, false},
		{"town second", []Decision{ok("village")}, []string{"town_gov"}, true, "", 0, 1, false},
		{"county last", []Decision{ok("village"), ok("town_gov")}, []string{"county_sme"}, true, "", 0, 2, true},
		{"refusal needs a reason", []Decision{ok("village")}, []string{"town_gov"}, false, " ", apperr.Invalid, 0, false},
		{"refusal stops", []Decision{ok("village")}, []string{"town_gov"}, false, "未满隔离期", 0, 1, true},
		{"after a refusal nobody decides", []Decision{ok("village"), {Unit: "town_gov", Reason: "x"}}, []string{"county_sme"}, true, "", apperr.Conflict, 0, false},
		{"after the last nobody decides", []Decision{ok("village"), ok("town_gov"), ok("county_sme")}, []string{"county_sme"}, true, "", apperr.Conflict, 0, false},
		{"no level at all", nil, nil, true, "", apperr.Forbidden, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, last, err := Decide(steps, c.decided, c.units, c.approve, c.reason, name)
			if c.kind != 0 {
				if apperr.KindOf(err) != c.kind {
					t.Fatalf("err %v, want kind %v", err, c.kind)
				}
				return
			}
			if err != nil || d.Step != c.step || last != c.last || d.Unit != steps[c.step] {
				t.Fatalf("decision %+v last %v err %v", d, last, err)
			}
		})
	}
	if got := Refusal(Decision{Unit: "town_gov", Reason: "未满隔离期"}, func(string) string { return "镇人民政府" }); got != "镇人民政府不同意:未满隔离期" {
		t.Errorf("refusal %q", got)
	}
}
