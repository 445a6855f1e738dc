package main

import (
	"context"
	"strings"
	"testing"

	"fugong/internal/audit"
	"fugong/internal/retention"
)

// "purge --dry-run" says per kind what would go and changes nothing; "purge" does it and
// leaves one audit row of the counts.
func TestPurgeCommand(t *testing.T) {
	dir := t.TempDir()
	users(t, dir, "root")
	r := fugong(t, "", nil, "purge", "--dry-run", "--data", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "dry run, nothing changed: 0 record(s) would go\nretention 90 days: records of days before ") {
		t.Fatalf("dry run: %s", r)
	}
	for _, rule := range retention.Rules {
		if !strings.Contains(r.stdout, rule.NameEN) || !strings.Contains(r.stdout, rule.Name) {
			t.Errorf("the dry run does not name %s:\n%s", rule.Kind, r.stdout)
		}
	}
	db := openStore(t, dir)
	count := func() int {
		es, _, err := db.ListAudit(context.Background(), audit.Filter{Action: "retention.purge"})
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	if n := count(); n != 0 {
		t.Fatalf("a dry run left %d audit rows", n)
	}
	r = fugong(t, "", nil, "purge", "--data", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "purged 0 record(s)\nretention 90 days") {
		t.Fatalf("purge: %s", r)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d audit rows after a purge, want 1", n)
	}
	if r := fugong(t, "", nil, "purge", "--data", dir, "--policy", dir+"/none.toml"); r.code != 1 || !strings.Contains(r.stderr, "none.toml") {
		t.Errorf("purge with a missing policy: %s", r)
	}
	if r := fugong(t, "", nil, "purge", "--dry-run", "--data", t.TempDir()); r.code != 1 || !strings.Contains(r.stderr, "no database at") {
		t.Errorf("purge of no database: %s", r)
	}
}
