package demo

import "testing"

func TestOrgCheck(t *testing.T) {
	// The textbook example of GB 11714: 12345678-8.
	for body, want := range map[string]byte{"12345678": '8', "MA2D0001": orgCheck("MA2D0001")} {
		if got := orgCheck(body); got != want {
			t.Errorf("orgCheck(%s) = %c, want %c", body, got, want)
		}
	}
}

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
