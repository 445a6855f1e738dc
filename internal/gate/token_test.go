package gate

import (
	"testing"

	"fugong/internal/apperr"
)

func TestCheckToken(t *testing.T) {
	for _, tc := range []struct {
		token string
		ok    bool
	}{{"", false}, {"   ", false}, {"\t", false}, {"FG1.x.y", true}, {"garbage", true}} {
		err := CheckToken(tc.token)
		if (err == nil) != tc.ok {
			t.Errorf("CheckToken(%q) = %v, want ok %v", tc.token, err, tc.ok)
		}
		if e, ok := apperr.As(err); err != nil && (!ok || e.Kind != apperr.Invalid || e.Problems[0].Field != "token") {
			t.Errorf("CheckToken(%q) = %v, want a problem on token", tc.token, err)
		}
	}
}
