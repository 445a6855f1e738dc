package store_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// Two instances sharing a PostgreSQL database write audited changes side by side, taking
// no lock while they write: every change's row is chained by the time it answers, the
// trail is one unbroken chain with no row waiting, and a row that a stopped instance left
// waiting is chained by the next change.
func TestAuditChainedAcrossInstances(t *testing.T) {
	one, two := storetest.OpenTwice(t)
	if _, _, err := one.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402", Name: "县"}}); err != nil {
		t.Fatal(err)
	}
	// Left waiting by an instance that stopped between its commit and the sealing.
	if err := store.ExecArgsForTest(ctx, one, `INSERT INTO audit_waiting (at, actor_name, action, object_type, object_id, summary)
		VALUES (?, 'system', 'park.create', 'park', 'left', '{}')`, one.Now()); err != nil {
		t.Fatal(err)
	}
	const n = 40
	var wg sync.WaitGroup
	errs := make([]error, 2*n)
	for i := range 2 * n {
		db := one
		if i%2 == 1 {
			db = two
		}
		wg.Go(func() {
			pk, err := db.SavePark(ctx, auth.System, region.Park{Name: fmt.Sprintf("园区%02d", i), RegionCode: "330402", Operator: "物业"})
			if err != nil {
				errs[i] = err
				return
			}
			// Answered: its row is chained already, whichever instance looks.
			var chained int
			if err := store.ScanRowForTest(ctx, two, `SELECT COUNT(*) FROM audit_log WHERE action = 'park.create' AND object_id = ?`,
				[]any{fmt.Sprint(pk.ID)}, &chained); err != nil || chained != 1 {
				errs[i] = fmt.Errorf("park %d: %d rows chained (%v)", pk.ID, chained, err)
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
	}
	head, err := one.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checked, err := two.VerifyAudit(ctx)
	if err != nil || checked != head.Seq {
		t.Fatalf("verified %d rows of %d: %v", checked, head.Seq, err)
	}
	if head.Waiting != 0 {
		t.Errorf("%d rows still waiting", head.Waiting)
	}
	var parks, left int
	if err := store.ScanRowForTest(ctx, one, `SELECT COUNT(*), SUM(CASE WHEN object_id = 'left' THEN 1 ELSE 0 END) FROM audit_log WHERE action = 'park.create'`,
		nil, &parks, &left); err != nil || parks != 2*n+1 || left != 1 {
		t.Fatalf("%d park rows chained, %d of them the one left waiting; want %d and 1 (%v)", parks, left, 2*n+1, err)
	}
}

// An instance starting chains what a stopped one left waiting, before it serves.
func TestMigrateChainsAuditLeftWaiting(t *testing.T) {
	db, _ := storetest.OpenTwice(t)
	if err := store.ExecArgsForTest(ctx, db, `INSERT INTO audit_waiting (at, actor_name, action, object_type, object_id, summary)
		VALUES (?, 'system', 'region.create', 'region', '330402', '{}')`, db.Now()); err != nil {
		t.Fatal(err)
	}
	if head, err := db.AuditHead(ctx); err != nil || head.Waiting != 1 || head.Seq != 0 {
		t.Fatalf("before: %+v, %v", head, err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	head, err := db.AuditHead(ctx)
	if err != nil || head.Waiting != 0 || head.Seq != 1 {
		t.Fatalf("after: %+v, %v", head, err)
	}
	if n, err := db.VerifyAudit(ctx); err != nil || n != 1 {
		t.Fatalf("verified %d: %v", n, err)
	}
}

// A sealing that fails leaves the change answered (it is committed) and its row waiting,
// says so in the log, and the next change's sealing chains what was left.
func TestAuditSealingFailureLogged(t *testing.T) {
	db, _ := storetest.OpenTwice(t)
	var logs bytes.Buffer
	db.Log = slog.New(slog.NewTextHandler(&logs, nil))
	if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402", Name: "县"}}); err != nil {
		t.Fatal(err)
	}
	// The trail cannot be read while its table is away.
	if err := store.ExecArgsForTest(ctx, db, `ALTER TABLE audit_log RENAME TO audit_log_away`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePark(ctx, auth.System, region.Park{Name: "园区甲", RegionCode: "330402", Operator: "物业"}); err != nil {
		t.Fatalf("a change whose sealing fails is still answered as done: %v", err)
	}
	if got := logs.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "sealing failed") || !strings.Contains(got, "audit_log") {
		t.Fatalf("log: %q, want a warning naming the failure", got)
	}
	var waiting int
	if err := store.ScanRowForTest(ctx, db, `SELECT COUNT(*) FROM audit_waiting`, nil, &waiting); err != nil || waiting != 1 {
		t.Fatalf("%d rows waiting (%v), want the park's", waiting, err)
	}
	if err := store.ExecArgsForTest(ctx, db, `ALTER TABLE audit_log_away RENAME TO audit_log`); err != nil {
		t.Fatal(err)
	}
	logs.Reset()
	if _, err := db.SavePark(ctx, auth.System, region.Park{Name: "园区乙", RegionCode: "330402", Operator: "物业"}); err != nil {
		t.Fatal(err)
	}
	head, err := db.AuditHead(ctx)
	if err != nil || head.Waiting != 0 {
		t.Fatalf("%d rows still waiting (%v)", head.Waiting, err)
	}
	if checked, err := db.VerifyAudit(ctx); err != nil || checked != head.Seq {
		t.Fatalf("verified %d rows of %d: %v", checked, head.Seq, err)
	}
	if logs.Len() != 0 {
		t.Errorf("a sealing that succeeded logged %q", logs.String())
	}
}
