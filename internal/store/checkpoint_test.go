package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// Checkpoints catch what the chain alone cannot: the newest rows deleted, or a row
// altered and every later hash recomputed.
func TestAuditCheckpoints(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		signer := testSigner(t)
		if h, err := db.AuditHead(ctx); err != nil || h.Seq != 0 || h.Hash != audit.Genesis {
			t.Fatalf("head of the empty trail: %+v %v", h, err)
		}
		// A trail with a checkpoint at row 4 and its head, as a server writes them.
		checkpoint := func(db *store.DB, seq int64) audit.Checkpoint {
			t.Helper()
			h, ok, err := store.AuditHashAtForTest(ctx, db, seq)
			if err != nil || !ok {
				t.Fatalf("hash at %d: %v %v", seq, ok, err)
			}
			c, err := audit.NewCheckpoint(audit.Head{Seq: seq, Hash: h}, time.Date(2020, 2, 16, 1, 0, 0, 0, time.UTC), signer)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		trail := func(t *testing.T) (*store.DB, []audit.Checkpoint, audit.Head) {
			db := storetest.Open(t, db.Engine)
			seed(t, db)
			head, err := db.AuditHead(ctx)
			if err != nil || head.Seq < 6 {
				t.Fatalf("head: %+v %v", head, err)
			}
			return db, []audit.Checkpoint{checkpoint(db, 4), checkpoint(db, head.Seq)}, head
		}

		t.Run("intact", func(t *testing.T) {
			db, cps, head := trail(t)
			if _, ok, err := store.AuditHashAtForTest(ctx, db, head.Seq+1); ok || err != nil {
				t.Fatalf("a row after the head: %v %v", ok, err)
			}
			// The trail grows after its checkpoints.
			if _, err := db.CreateUser(ctx, auth.System, auth.User{Username: "later", Role: auth.Admin, ScopeText: "all"}, "password-1"); err != nil {
				t.Fatal(err)
			}
			if held, err := db.CheckAuditCheckpoints(ctx, cps); held != 2 || err != nil {
				t.Fatalf("intact: %d %v", held, err)
			}
		})
		t.Run("newest rows deleted", func(t *testing.T) {
			db, cps, head := trail(t)
			if err := store.ExecArgsForTest(ctx, db, `DELETE FROM audit_log WHERE seq >= ?`, head.Seq-1); err != nil {
				t.Fatal(err)
			}
			if n, err := db.VerifyAudit(ctx); err != nil || n != head.Seq-2 {
				t.Fatalf("the chain alone says %d rows, %v", n, err)
			}
			held, err := db.CheckAuditCheckpoints(ctx, cps)
			var p *audit.Problem
			if !errors.As(err, &p) || p.Seq != head.Seq-1 || held != 1 || !strings.Contains(p.Reason, "deleted") {
				t.Fatalf("after deleting the newest rows: %d %v", held, err)
			}
		})
		t.Run("rewritten", func(t *testing.T) {
			db, cps, head := trail(t)
			es, _, err := db.ListAudit(ctx, audit.Filter{Page: list.Page{Size: list.MaxSize}})
			if err != nil {
				t.Fatal(err)
			}
			// Oldest first; row 5 gets another summary and every later hash is recomputed.
			for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
				es[i], es[j] = es[j], es[i]
			}
			for i := 4; i < len(es); i++ {
				if i == 4 {
					es[i].Summary = `{"name":"forged"}`
				}
				es[i].PrevHash = es[i-1].Hash
				es[i].Hash = audit.ComputeHash(es[i])
				if err := store.ExecArgsForTest(ctx, db, `UPDATE audit_log SET summary = ?, prev_hash = ?, hash = ? WHERE seq = ?`,
					es[i].Summary, es[i].PrevHash, es[i].Hash, es[i].Seq); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := db.VerifyAudit(ctx); err != nil || n != head.Seq {
				t.Fatalf("the chain alone says %d rows, %v", n, err)
			}
			held, err := db.CheckAuditCheckpoints(ctx, cps)
			var p *audit.Problem
			if !errors.As(err, &p) || p.Seq != head.Seq || held != 1 || !strings.Contains(p.Reason, "a row from 5 to") {
				t.Fatalf("after a rewrite: %d %v", held, err)
			}
		})
	})
}
