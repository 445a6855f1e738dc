package application

import (
	"strings"
	"testing"

	"fugong/internal/apperr"
	"fugong/internal/policy"
)

func TestFilterCheck(t *testing.T) {
	pol := policy.Default()
	stage, unit := pol.Stages[0].Code, pol.Units[0].Code
	for _, tc := range []struct {
		name string
		f    Filter
		bad  []string
	}{
		{"no filter", Filter{}, nil},
		{"open", Filter{Status: "open"}, nil},
		{"a fixed status", Filter{Status: StatusApproved}, nil},
		{"a stage", Filter{Status: stage, Unit: unit}, nil},
		{"an unknown status", Filter{Status: "bogus"}, []string{"status"}},
		{"an unknown unit", Filter{Unit: "bogus"}, []string{"unit"}},
		{"both", Filter{Status: "Draft", Unit: "x", Mine: true}, []string{"status", "unit"}},
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
		})
	}
	if st := FilterStatuses(pol); st[0] != "open" || !strings.Contains(strings.Join(st, ","), stage) {
		t.Fatalf("FilterStatuses = %v", st)
	}
}
