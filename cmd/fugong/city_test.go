package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCity(t *testing.T) {
	dir := t.TempDir()
	small := []string{"--counties", "2", "--enterprises", "200", "--employees", "2000", "--days", "2", "--seed", "3"}
	r := fugong(t, "", nil, append([]string{"city", "--data", dir}, small...)...)
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{"employees", "health_checks", "rows/s", "city ", "county ", "town ", "enterprise ", "guard ", "region:330400", "fugong-demo"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	// The keys serve uses are kept in the data directory.
	for _, f := range []string{"id-key", "signing-key.pem"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if r := fugong(t, "", nil, "audit", "verify", "--data", dir); r.code != 0 || !strings.Contains(r.stdout, "audit trail intact") {
		t.Errorf("audit verify: %s", r)
	}
	// A database with enterprises is refused, and left as it was.
	r = fugong(t, "", nil, append([]string{"city", "--data", dir}, small...)...)
	if r.code != exitFail || !strings.Contains(r.stderr, "空数据库") || !strings.Contains(r.stderr, "empty database") {
		t.Errorf("second city: %s", r)
	}
	// Sizes out of range are named, in both languages, before anything is written.
	empty := t.TempDir()
	r = fugong(t, "", nil, "city", "--data", empty, "--counties", "0", "--days", "100")
	if r.code == exitOK || !strings.Contains(r.stderr, "counties") || !strings.Contains(r.stderr, "天数") {
		t.Errorf("bad sizes: %s", r)
	}
	if _, err := os.Stat(filepath.Join(empty, "fugong.db")); err == nil {
		t.Error("bad sizes created a database")
	}
}
