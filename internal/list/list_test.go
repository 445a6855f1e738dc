package list

import "testing"

func TestNorm(t *testing.T) {
	for _, tc := range []struct{ in, want Page }{
		{Page{}, Page{1, DefaultSize}},
		{Page{Number: 3, Size: 50}, Page{3, 50}},
		{Page{Number: -1, Size: 1000}, Page{1, MaxSize}},
	} {
		if got := tc.in.Norm(); got != tc.want {
			t.Errorf("%+v.Norm() = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	if off := (Page{Number: 3, Size: 50}).Offset(); off != 100 {
		t.Errorf("Offset = %d", off)
	}
}
