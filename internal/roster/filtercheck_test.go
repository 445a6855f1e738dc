package roster

import (
	"strings"
	"testing"

	"fugong/internal/apperr"
)

func TestFilterCheck(t *testing.T) {
	for _, tc := range []struct {
		f   Filter
		bad []string
	}{
		{Filter{}, nil},
		{Filter{Phase: Isolating, Certificate: CertificateMissing}, nil},
		{Filter{Phase: NotReturned, Certificate: CertificatePresent}, nil},
		{Filter{Phase: "bogus"}, []string{"phase"}},
		{Filter{Certificate: "yes"}, []string{"certificate"}},
		{Filter{Phase: "Cleared", Certificate: "1"}, []string{"phase", "certificate"}},
	} {
		err := tc.f.Check()
		var got []string
		if e, ok := apperr.As(err); ok {
			for _, p := range e.Problems {
				got = append(got, p.Field)
			}
		} else if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ",") != strings.Join(tc.bad, ",") {
			t.Errorf("Check(%+v): problems on %v, want %v", tc.f, got, tc.bad)
		}
	}
}
