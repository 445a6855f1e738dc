package store

import (
	"strings"
	"testing"
	"testing/fstest"
)

// Migration numbers may leave a gap (a number handed to a change not merged yet), but
// never repeat, and every name starts with its number.
func TestMigrationNumbers(t *testing.T) {
	file := func(sql string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(sql)} }
	ms, err := readMigrations(fstest.MapFS{"001_a.sql": file("A"), "003_c.sql": file("C"), "002_b.sql": file("B"), "005_e.sql": file("E")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Name)
	}
	if strings.Join(got, " ") != "001_a.sql 002_b.sql 003_c.sql 005_e.sql" {
		t.Fatalf("order: %v", got)
	}
	for _, c := range []struct {
		files fstest.MapFS
		want  string
	}{
		{fstest.MapFS{"001_a.sql": file("A"), "002_b.sql": file("B"), "002_other.sql": file("B2")}, "number 2 is taken"},
		{fstest.MapFS{"000_zero.sql": file("Z")}, "numbers start at 1"},
		{fstest.MapFS{"first.sql": file("F")}, "must start with a number"},
	} {
		if _, err := readMigrations(c.files); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.files, err, c.want)
		}
	}
	// The embedded ones read.
	if ms, err := Migrations(); err != nil || len(ms) == 0 {
		t.Fatalf("embedded migrations: %d %v", len(ms), err)
	}
}
