package demo

import "testing"

func TestUnitName(t *testing.T) {
	for _, c := range []struct{ name, place, level, want string }{
		{"县工信局", "示范县", "county", "示范县工信局"},
		{"镇经发办(经贸办)", "明湖街道", "town", "明湖街道经发办(经贸办)"},
		{"街道经贸办公室", "清溪镇", "town", "清溪镇经贸办公室"},
		{"食安办", "云岭镇", "town", "云岭镇食安办"},
	} {
		if got := unitName(c.name, c.place, c.level); got != c.want {
			t.Errorf("unitName(%s, %s) = %s, want %s", c.name, c.place, got, c.want)
		}
	}
}
