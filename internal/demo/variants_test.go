package demo_test

import (
	"context"
	"path/filepath"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/demo"
	"fugong/internal/policy"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// With each example policy the demo holds approved applications with notices, so every
// locality's stages can be walked to the end by its actors.
func TestSeedWithEachExamplePolicy(t *testing.T) {
	files, err := filepath.Glob("../../policies/*.toml")
	if err != nil || len(files) != 3 {
		t.Fatalf("example policies: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			pol, problems, err := policy.Load(f)
			if err != nil || len(problems) > 0 {
				t.Fatalf("%v %v", problems, err)
			}
			db := storetest.Open(t, store.SQLite)
			st := store.New(db, store.Config{Policy: pol, Signer: testSigner(t), Box: crypt.NewRandom()})
			if _, err := demo.Seed(context.Background(), st, testFiles(t)); err != nil {
				t.Fatal(err)
			}
			byStatus, err := st.Applications().Count(context.Background(), auth.System)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %v", pol.Locality.Name, byStatus)
			if byStatus["approved"] == 0 || byStatus["draft"] == 0 {
				t.Errorf("applications by status: %v", byStatus)
			}
		})
	}
}
