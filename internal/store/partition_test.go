package store_test

import (
	"os"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/gate"
	"fugong/internal/health"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// TestMonthlyPartitioning applies the README's partitioning SQL (partition/monthly.sql)
// to a migrated PostgreSQL database holding rows, then records readings and gate events
// through the store — this month, in the old tables, and next month, in a new partition
// — reads them back, and verifies the audit trail across the partitions.
func TestMonthlyPartitioning(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	_, _, ea, _ := seed(t, db)
	pol := policy.Default()
	st := store.New(db, store.Config{Policy: pol})
	entA := auth.Principal{Username: "ea", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
	guard := auth.Principal{Username: "g", Role: auth.Guard, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
	now := time.Now().UTC()
	db.Now = func() time.Time { return now }
	emp, err := st.Roster().Create(ctx, entA, roster.Employee{Name: "员工", IDNumber: personID(t, 7), Origin: "local", ReturnDate: rosterDay(t, pol, "2020-02-10")})
	if err != nil {
		t.Fatal(err)
	}
	record := func() {
		t.Helper()
		if _, err := st.Health().Record(ctx, guard, []health.Reading{{EmployeeID: emp.ID, Temperature: 38.4, Checkpoint: "东门"}}); err != nil {
			t.Fatalf("reading: %v", err)
		}
		temp := 36.5
		if _, err := st.Gate().Register(ctx, guard, gate.Entry{Kind: "visitor", Name: "访客", Temperature: &temp}, ""); err != nil {
			t.Fatalf("gate event: %v", err)
		}
	}
	record() // before: rows the old tables keep

	sql, err := os.ReadFile("partition/monthly.sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ExecForTest(ctx, db, string(sql)); err != nil {
		t.Fatalf("partitioning: %v", err)
	}
	for _, table := range []string{"health_checks", "gate_events", "audit_log"} {
		n, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM pg_partitioned_table WHERE partrelid = '`+table+`'::regclass`)
		if err != nil || n != 1 {
			t.Fatalf("%s is not partitioned: %d %v", table, n, err)
		}
		if n, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM pg_inherits WHERE inhparent = '`+table+`'::regclass`); err != nil || n != 4 {
			t.Fatalf("%s has %d partitions, want the old table and 3 months: %v", table, n, err)
		}
	}

	record() // this month: into the old tables
	next := time.Date(now.Year(), now.Month()+1, 15, 4, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return next }
	record() // next month: into a partition of its own
	month := next.Format("200601")
	for _, table := range []string{"health_checks", "gate_events"} {
		if n, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM `+table+`_`+month); err != nil || n != 1 {
			t.Fatalf("%s_%s holds %d rows: %v", table, month, n, err)
		}
		if n, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM `+table); err != nil || n != 3 {
			t.Fatalf("%s holds %d rows in all: %v", table, n, err)
		}
	}
	if n, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM audit_log_`+month); err != nil || n == 0 {
		t.Fatalf("no audit rows in next month's partition: %d %v", n, err)
	}
	// Read back through the store: the gate log and the open fever follow-ups (whose
	// check_id points at readings in both the old table and the new partition).
	entries, err := st.Gate().Entries(ctx, guard, 0)
	if err != nil || len(entries) != 1 {
		t.Fatalf("next month's gate log: %d %v", len(entries), err)
	}
	fus, _, err := st.Health().FollowUps(ctx, entA, health.FollowUpFilter{OpenOnly: true})
	if err != nil || len(fus) == 0 {
		t.Fatalf("follow-ups: %+v %v", fus, err)
	}
	if _, err := db.VerifyAudit(ctx); err != nil {
		t.Fatalf("audit trail across partitions: %v", err)
	}
	// The monthly job adds what is missing, and nothing twice.
	if n, err := store.CountForTest(ctx, db, `SELECT fugong_add_months(3)`); err != nil || n != 0 {
		t.Fatalf("fugong_add_months again: %d %v", n, err)
	}
	if n, err := store.CountForTest(ctx, db, `SELECT fugong_add_months(4)`); err != nil || n != 3 {
		t.Fatalf("fugong_add_months(4): %d %v, want one month more for each table", n, err)
	}
}
