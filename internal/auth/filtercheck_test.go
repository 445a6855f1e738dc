package auth

import (
	"testing"

	"fugong/internal/apperr"
)

func TestUserFilterCheck(t *testing.T) {
	for _, tc := range []struct {
		role string
		ok   bool
	}{{"", true}, {string(Admin), true}, {string(Guard), true}, {"root", false}, {"Admin", false}} {
		err := UserFilter{Role: tc.role}.Check()
		if (err == nil) != tc.ok {
			t.Errorf("role %q: %v, want ok %v", tc.role, err, tc.ok)
		}
		if e, ok := apperr.As(err); err != nil && (!ok || e.Problems[0].Field != "role") {
			t.Errorf("role %q: %v, want a problem on role", tc.role, err)
		}
	}
}
