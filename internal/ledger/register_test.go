package ledger

import (
	"testing"

	"fugong/internal/apperr"
)

func TestRegisterFilterCheck(t *testing.T) {
	for _, tc := range []struct {
		f     RegisterFilter
		field string
	}{
		{RegisterFilter{}, ""},
		{RegisterFilter{Day: "2020-02-15", Kind: "visitor", Checkpoint: "班车 浙F12345"}, ""},
		{RegisterFilter{Day: "2020-2-15"}, "date"},
		{RegisterFilter{Day: "2020-02-21"}, "date"},
		{RegisterFilter{Kind: "bicycle"}, "kind"},
	} {
		err := tc.f.Check("2020-02-20")
		got := ""
		if e, ok := apperr.As(err); ok && len(e.Problems) > 0 {
			got = e.Problems[0].Field
		}
		if got != tc.field {
			t.Errorf("%+v: %q (%v), want %q", tc.f, got, err, tc.field)
		}
	}
}
