package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/demo"
	"fugong/internal/files"
	"fugong/internal/idnum"
	"fugong/internal/ledger"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/sign"
	"fugong/internal/store"
)

// A backup of a seeded database taken while it is being written (and checkpointed)
// restores into a fresh directory whose audit trail verifies against its checkpoints
// and whose notices verify with the restored key.
func TestBackupRestoreWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openStore(t, dir) // a server in another process: no lock, and not the backup's
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	signer, err := sign.LoadOrCreateKey(filepath.Join(dir, signingKeyName))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := files.New(filepath.Join(dir, filesDirName))
	if err != nil {
		t.Fatal(err)
	}
	box, err := crypt.LoadOrCreateKey(filepath.Join(dir, idKeyName))
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(db, store.Config{Policy: policy.Default(), Signer: signer, Box: box, Files: fs})
	if _, err := demo.Seed(ctx, st, fs); err != nil {
		t.Fatal(err)
	}
	if r := fugong(t, "", nil, "audit", "checkpoint", "--data", dir); r.code != 0 {
		t.Fatal(r)
	}
	// Keep writing, and signing checkpoints, until the backup is done.
	var writes atomic.Int64
	stop, done := make(chan struct{}), make(chan error, 1)
	go func() {
		cp := newCheckpointer(db, signer, dir)
		for {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			_, err := st.Ledgers().Add(ctx, auth.System, ledger.Entry{EnterpriseID: 1, Kind: ledger.Disinfection, At: db.Now(), Area: "车间", Agent: "84 消毒液", Person: "值班员"})
			if err == nil && writes.Add(1)%10 == 0 {
				_, _, err = cp.write(ctx)
			}
			if err != nil {
				done <- err
				return
			}
		}
	}()
	for writes.Load() < 5 {
		time.Sleep(5 * time.Millisecond)
	}
	bk := filepath.Join(t.TempDir(), "backup")
	before := writes.Load()
	r := fugong(t, "", nil, "backup", "--data", dir, bk)
	during := writes.Load() - before
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if r.code != 0 || !strings.Contains(r.stdout, "fugong.db          a consistent copy: schema version") ||
		!strings.Contains(r.stdout, "keys               signing-key.pem, id-key") || !strings.Contains(r.stdout, "audit-checkpoints  copied") {
		t.Fatalf("backup: %s", r)
	}
	if during == 0 {
		t.Fatalf("nothing was written during the backup")
	}
	var m manifest
	if b, err := os.ReadFile(filepath.Join(bk, manifestName)); err != nil || json.Unmarshal(b, &m) != nil || m.Engine != "sqlite" || m.AuditRows < 100 {
		t.Fatalf("manifest: %+v %v", m, err)
	}
	for _, name := range []string{sqliteName, signingKeyName, idKeyName, audit.CheckpointFile, manifestName} {
		if fi, err := os.Stat(filepath.Join(bk, name)); err != nil || fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s in the backup: %v %v", name, fi, err)
		}
	}
	// A backup never goes into a directory that holds something.
	if r := fugong(t, "", nil, "backup", "--data", dir, bk); r.code != 1 || !strings.Contains(r.stderr, "is not empty") {
		t.Errorf("backup into a full directory: %s", r)
	}

	// Restore into a fresh data directory, and check it.
	to := filepath.Join(t.TempDir(), "restored")
	r = fugong(t, "", nil, "restore", "--data", to, bk)
	if r.code != 0 || !strings.Contains(r.stdout, "restored into "+to) {
		t.Fatalf("restore: %s", r)
	}
	r = fugong(t, "", nil, "audit", "verify", "--data", to)
	if r.code != 0 || !strings.Contains(r.stdout, "audit trail intact: ") || !strings.Contains(r.stdout, "audit checkpoints: all ") || r.stderr != "" {
		t.Fatalf("verify the restored copy: %s", r)
	}
	restored := openStore(t, to)
	head, err := restored.AuditHead(ctx)
	if err != nil || head.Seq != m.AuditRows {
		t.Fatalf("restored head %+v %v, manifest %d", head, err, m.AuditRows)
	}
	// The notices verify with the restored key, the ID numbers open with the restored one.
	key, err := sign.LoadOrCreateKey(filepath.Join(to, signingKeyName))
	if err != nil || !bytes.Equal(key.PublicKey(), signer.PublicKey()) {
		t.Fatalf("restored key: %v", err)
	}
	rows, err := rawDB(t, to).Query(`SELECT token FROM notices`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	v := sign.NewVerifier(key.PublicKey())
	for rows.Next() {
		var tok string
		if err := rows.Scan(&tok); err != nil {
			t.Fatal(err)
		}
		if c, err := v.Verify(tok, time.Now()); err != nil || c.Kind != sign.NoticeKind {
			t.Errorf("notice token %s: %v", tok, err)
		}
		n++
	}
	rows.Close()
	if n == 0 {
		t.Fatal("no notices in the restored database")
	}
	box2, err := crypt.LoadOrCreateKey(filepath.Join(to, idKeyName))
	if err != nil {
		t.Fatal(err)
	}
	people := 0
	err = store.New(restored, store.Config{Box: box2}).Roster().Each(ctx, auth.System, roster.Filter{}, true, func(it roster.Item) error {
		if idnum.Validate(it.IDNumber) != nil {
			t.Errorf("%s's ID number does not open: %q", it.Name, it.IDNumber)
		}
		people++
		return nil
	})
	if err != nil || people == 0 {
		t.Fatalf("the restored roster: %d %v", people, err)
	}
	// The uploads came along.
	var uploads int
	filepath.WalkDir(filepath.Join(to, filesDirName), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			uploads++
		}
		return nil
	})
	if uploads != m.Files {
		t.Errorf("%d uploads restored, the backup has %d", uploads, m.Files)
	}

	// A data directory that holds a database is refused, and nothing is touched.
	r = fugong(t, "", nil, "restore", "--data", to, bk)
	if r.code != 1 || !strings.Contains(r.stderr, "already holds a database ("+filepath.Join(to, sqliteName)+")") ||
		!strings.Contains(r.stderr, "move the database aside") {
		t.Errorf("restore over a database: %s", r)
	}
	if r := fugong(t, "", nil, "restore", "--data", t.TempDir(), t.TempDir()); r.code != 1 || !strings.Contains(r.stderr, "is not a Fugong backup") {
		t.Errorf("restore of no backup: %s", r)
	}
	// Nor one that holds the keys of another installation.
	other := t.TempDir()
	if _, err := sign.LoadOrCreateKey(filepath.Join(other, signingKeyName)); err != nil {
		t.Fatal(err)
	}
	if r := fugong(t, "", nil, "restore", "--data", other, bk); r.code != 1 || !strings.Contains(r.stderr, "already holds "+filepath.Join(other, signingKeyName)+", which a restore does not overwrite") {
		t.Errorf("restore over keys: %s", r)
	}
	if fileExists(filepath.Join(other, sqliteName)) {
		t.Error("a refused restore left a database behind")
	}
}
