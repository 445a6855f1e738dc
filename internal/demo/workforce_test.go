package demo_test

import (
	"context"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/demo"
	"fugong/internal/ledger"
	"fugong/internal/policy"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The demo gives the workforce features something to show: rosters across the clock's
// phases, active passes, a fever that suspended a pass and opened a follow-up, ledgers
// and a confirmed daily report.
func TestSeedWorkforce(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pol := policy.Default()
		box := crypt.NewRandom()
		if _, err := demo.Seed(ctx, db, pol, testSigner(t), testFiles(t), box); err != nil {
			t.Fatal(err)
		}
		emps := db.Employees(box, pol)
		sys := auth.System

		items, total, counts, err := emps.List(ctx, sys, store.EmployeeFilter{Page: store.Page{Size: store.MaxPageSize}})
		if err != nil {
			t.Fatal(err)
		}
		if total < 4*20 {
			t.Errorf("the demo has %d employees, want at least 80 (four enterprises)", total)
		}
		t.Logf("%d employees: %+v", total, counts)
		phases := 0
		for _, n := range []int{counts.Isolating, counts.Monitoring, counts.AdvisedNotReturn, counts.Cleared, counts.NotReturned} {
			if n > 0 {
				phases++
			}
		}
		if phases < 3 || counts.Isolating == 0 || counts.Monitoring == 0 || counts.Cleared == 0 {
			t.Errorf("employees by phase: %+v; want isolating, monitoring and cleared people", counts)
		}
		if counts.JourneyTooLong == 0 {
			t.Errorf("no journey over the policy's limit: %+v", counts)
		}
		firms := map[int64]bool{}
		for _, it := range items {
			firms[it.EnterpriseID] = true
		}
		if !firms[1] {
			t.Error("the demo enterprise has no employees")
		}

		// ID numbers are sealed and open again.
		it, err := emps.Get(ctx, sys, items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(it.IDNumber) != 18 || it.IDMasked == "" {
			t.Errorf("employee %d: ID number %q, masked %q", it.ID, it.IDNumber, it.IDMasked)
		}

		_, active, err := emps.ListPasses(ctx, sys, store.PassFilter{Status: store.PassActive})
		if err != nil {
			t.Fatal(err)
		}
		if active == 0 {
			t.Error("no active pass")
		}
		suspended, n, err := emps.ListPasses(ctx, sys, store.PassFilter{Status: store.PassSuspended})
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 || suspended[0].Reason != store.ReasonFever {
			t.Fatalf("suspended passes: %+v", suspended)
		}
		open, err := emps.ListFollowUps(ctx, sys, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 1 || open[0].EmployeeID != suspended[0].EmployeeID || open[0].Temperature < pol.Health.FeverLine {
			t.Errorf("open follow-ups: %+v, suspended pass of employee %d", open, suspended[0].EmployeeID)
		}

		// One enterprise keeps every ledger and confirmed yesterday's report.
		id := suspended[0].EnterpriseID
		for _, k := range ledger.Kinds {
			_, n, err := db.ListLedger(ctx, sys, store.LedgerFilter{EnterpriseID: id, Kind: k})
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("no entry in the %s ledger of enterprise %d", k, id)
			}
		}
		stock, err := db.SupplyStock(ctx, sys, id)
		if err != nil {
			t.Fatal(err)
		}
		if stock["masks"] <= 0 {
			t.Errorf("mask stock %v", stock)
		}
		yesterday := db.Now().In(pol.Location()).AddDate(0, 0, -1).Format("2006-01-02")
		reports, _, confirmed, err := db.ListDailyReports(ctx, pol, sys, store.DailyReportFilter{Day: yesterday, EnterpriseID: id})
		if err != nil {
			t.Fatal(err)
		}
		if confirmed != 1 || len(reports) != 1 || !reports[0].Confirmed || reports[0].MaskStock <= 0 {
			t.Errorf("daily reports of %s: %+v (%d confirmed)", yesterday, reports, confirmed)
		}
	})
}
