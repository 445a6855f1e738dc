package notice

import (
	"strings"
	"testing"

	"fugong/internal/apperr"
)

func TestBusFilterCheck(t *testing.T) {
	for _, tc := range []struct {
		status string
		ok     bool
	}{{"", true}, {BusPending, true}, {BusApproved, true}, {BusRejected, true}, {BusLettered, true}, {"bogus", false}, {"Pending", false}} {
		err := BusFilter{Status: tc.status}.Check()
		if (err == nil) != tc.ok {
			t.Errorf("status %q: %v, want ok %v", tc.status, err, tc.ok)
		}
		if e, ok := apperr.As(err); err != nil && (!ok || e.Problems[0].Field != "status" || !strings.Contains(e.Problems[0].MessageEN, "letter_issued")) {
			t.Errorf("status %q: %v, want a problem on status listing the statuses", tc.status, err)
		}
	}
}
