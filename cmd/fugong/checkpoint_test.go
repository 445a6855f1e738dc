package main

import (
	"context"
	"database/sql"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugong/internal/audit"
	"fugong/internal/policy"
	"fugong/internal/sign"
)

// startServe runs a server on dir until the returned stop function is called.
func startServe(t *testing.T, dir string) (base string, logs *syncBuffer, stop func()) {
	t.Helper()
	var cfg serveConfig
	cfg.db.data = dir
	a, _, errb := newApp("", nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	// No retention period: the daily job, which runs at start, purges nothing and writes no
	// audit row, so the chain holds exactly what the test writes.
	pol := *policy.Default()
	pol.Health.RetentionDays = 0
	go func() { done <- a.serve(ctx, ln, cfg, &pol, slog.New(slog.NewJSONHandler(errb, nil))) }()
	base = "http://" + ln.Addr().String()
	waitHealthy(t, base)
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("serve: %v", err)
			}
		case <-time.After(40 * time.Second):
			t.Fatal("serve did not stop")
		}
	}
	t.Cleanup(stop)
	return base, errb, stop
}

// users creates accounts from the command line, one audit row each.
func users(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, name := range names {
		if r := fugong(t, "correct-horse-battery\n", nil, "user", "create", "--data", dir, "--name", name, "--role", "admin", "--scope", "all"); r.code != 0 {
			t.Fatal(r)
		}
	}
}

func rawDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", filepath.Join(dir, "fugong.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// A server signs the head of the trail at shutdown; "audit checkpoint" signs it on
// demand; "audit verify" checks the trail against them and catches what the chain alone
// cannot.
func TestAuditCheckpoints(t *testing.T) {
	dir := t.TempDir()
	users(t, dir, "a1")
	r := fugong(t, "", nil, "audit", "checkpoint", "--data", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "no signing key at "+filepath.Join(dir, "signing-key.pem")) {
		t.Fatalf("checkpoint without a key: %s", r)
	}
	r = fugong(t, "", nil, "audit", "verify", "--data", dir)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "audit trail intact: 1 rows" || !strings.Contains(r.stderr, "no audit checkpoints (") {
		t.Fatalf("verify without checkpoints: %s", r)
	}

	// The server signs row 1 when it stops.
	_, _, stop := startServe(t, dir)
	stop()
	path := filepath.Join(dir, audit.CheckpointFile)
	signer, err := sign.LoadOrCreateKey(filepath.Join(dir, "signing-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	cps, bad, err := audit.ReadCheckpointFile(path, signer.PublicKey())
	if err != nil || len(cps) != 1 || len(bad) != 0 || cps[0].Seq != 1 {
		t.Fatalf("after a server stopped: %+v %v %v", cps, bad, err)
	}

	users(t, dir, "a2", "a3")
	r = fugong(t, "", nil, "audit", "checkpoint", "--data", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "audit checkpoint: row 3, hash ") || !strings.Contains(r.stdout, signer.KeyID()) {
		t.Fatalf("checkpoint: %s", r)
	}
	users(t, dir, "a4")
	r = fugong(t, "", nil, "audit", "verify", "--data", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "audit trail intact: 4 rows\naudit checkpoints: all 2 hold; the newest, signed ") ||
		!strings.Contains(r.stdout, "vouches for row 3") || r.stderr != "" {
		t.Fatalf("verify: %s", r)
	}

	// The newest rows deleted: the chain alone is intact, the checkpoint is not.
	truncated := copyData(t, dir)
	if _, err := rawDB(t, truncated).Exec(`DELETE FROM audit_log WHERE seq >= 3`); err != nil {
		t.Fatal(err)
	}
	r = fugong(t, "", nil, "audit", "verify", "--data", truncated)
	if r.code != 1 || !strings.Contains(r.stdout, "audit trail intact: 2 rows") ||
		!strings.Contains(r.stderr, "audit trail TAMPERED at row 3: rows 3 to 3 are missing: the trail ends at row 2, but the checkpoint on line 2 (row 3") {
		t.Fatalf("verify after deleting the newest rows: %s", r)
	}

	// Row 2 altered and every later hash recomputed.
	rewritten := copyData(t, dir)
	raw := rawDB(t, rewritten)
	rows, err := raw.Query(`SELECT seq, at, COALESCE(actor_id, 0), actor_name, action, object_type, object_id, summary, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var es []audit.Entry
	for rows.Next() {
		var e audit.Entry
		if err := rows.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.ObjectType, &e.ObjectID, &e.Summary, &e.PrevHash, &e.Hash); err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
	}
	rows.Close()
	for i := 1; i < len(es); i++ {
		if i == 1 {
			es[i].Summary = `{"username":"mallory"}`
		}
		es[i].PrevHash = es[i-1].Hash
		es[i].Hash = audit.ComputeHash(es[i])
		if _, err := raw.Exec(`UPDATE audit_log SET summary = ?, prev_hash = ?, hash = ? WHERE seq = ?`, es[i].Summary, es[i].PrevHash, es[i].Hash, es[i].Seq); err != nil {
			t.Fatal(err)
		}
	}
	r = fugong(t, "", nil, "audit", "verify", "--data", rewritten)
	if r.code != 1 || !strings.Contains(r.stdout, "audit trail intact: 4 rows") ||
		!strings.Contains(r.stderr, "audit trail TAMPERED at row 3: the row's hash") || !strings.Contains(r.stderr, "a row from 2 to 3 was altered") {
		t.Fatalf("verify after a rewrite: %s", r)
	}

	// A forged line in the checkpoint file is named.
	forged := copyData(t, dir)
	f, err := os.OpenFile(filepath.Join(forged, audit.CheckpointFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(strings.Replace(cps[0].String(), "seq=1", "seq=2", 1) + "\n")
	f.Close()
	r = fugong(t, "", nil, "audit", "verify", "--data", forged)
	if r.code != 1 || !strings.Contains(r.stderr, "line 3: the signature does not match the line") {
		t.Fatalf("verify with a forged line: %s", r)
	}
}

// copyData copies the database, the key and the checkpoints of dir into a new directory.
func copyData(t *testing.T, dir string) string {
	t.Helper()
	to := t.TempDir()
	for _, name := range []string{"fugong.db", "signing-key.pem", audit.CheckpointFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}
