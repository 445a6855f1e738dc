package enterprise

import (
	"strings"
	"testing"

	"fugong/internal/apperr"
	"fugong/internal/policy"
)

func TestFilterCheck(t *testing.T) {
	pol := policy.Default()
	cat := pol.Categories[0].Code
	for _, tc := range []struct {
		name string
		f    Filter
		bad  []string // fields with a problem
	}{
		{"no filter", Filter{}, nil},
		{"a status", Filter{Status: string(Resumed)}, nil},
		{"every status", Filter{Status: string(Closed), Category: cat}, nil},
		{"a category of the policy", Filter{Category: cat}, nil},
		{"an unknown status", Filter{Status: "bogus"}, []string{"status"}},
		{"an unknown category", Filter{Category: "bogus"}, []string{"category"}},
		{"both", Filter{Status: "Resumed", Category: "x"}, []string{"status", "category"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f.Check(pol)
			var got []string
			if e, ok := apperr.As(err); ok {
				for _, p := range e.Problems {
					got = append(got, p.Field)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != strings.Join(tc.bad, ",") {
				t.Fatalf("Check(%+v): problems on %v, want %v", tc.f, got, tc.bad)
			}
			if len(got) > 0 && tc.f.Status == "bogus" && !strings.Contains(err.Error(), string(NotResumed)) {
				t.Fatalf("the problem should list the statuses: %v", err)
			}
		})
	}
}
