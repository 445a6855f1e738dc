package demo_test

import (
	"context"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/demo"
	"fugong/internal/health"
	"fugong/internal/ledger"
	"fugong/internal/list"
	"fugong/internal/pass"
	"fugong/internal/policy"
	"fugong/internal/roster"
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
		st := store.New(db, store.Config{Policy: pol, Signer: testSigner(t), Box: box})
		if _, err := demo.Seed(ctx, st, testFiles(t)); err != nil {
			t.Fatal(err)
		}
		emps := st
		sys := auth.System

		items, total, counts, err := emps.Roster().List(ctx, sys, roster.Filter{Page: list.Page{Size: list.MaxSize}})
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
		it, err := emps.Roster().Get(ctx, sys, items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(it.IDNumber) != 18 || it.IDMasked == "" {
			t.Errorf("employee %d: ID number %q, masked %q", it.ID, it.IDNumber, it.IDMasked)
		}

		_, active, err := emps.Passes().List(ctx, sys, pass.Filter{Status: pass.Active})
		if err != nil {
			t.Fatal(err)
		}
		if active == 0 {
			t.Error("no active pass")
		}
		suspended, n, err := emps.Passes().List(ctx, sys, pass.Filter{Status: pass.Suspended})
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 || suspended[0].Reason != pass.ReasonFever {
			t.Fatalf("suspended passes: %+v", suspended)
		}
		open, _, err := emps.Health().FollowUps(ctx, sys, health.FollowUpFilter{OpenOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 1 || open[0].EmployeeID != suspended[0].EmployeeID || open[0].Temperature < pol.Health.FeverLine {
			t.Errorf("open follow-ups: %+v, suspended pass of employee %d", open, suspended[0].EmployeeID)
		}

		// One enterprise keeps every ledger and confirmed yesterday's report.
		id := suspended[0].EnterpriseID
		for _, k := range ledger.Kinds {
			_, n, err := st.Ledgers().List(ctx, sys, ledger.Filter{EnterpriseID: id, Kind: k})
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("no entry in the %s ledger of enterprise %d", k, id)
			}
		}
		stock, err := st.Ledgers().SupplyStock(ctx, sys, id)
		if err != nil {
			t.Fatal(err)
		}
		if stock["masks"] <= 0 {
			t.Errorf("mask stock %v", stock)
		}
		yesterday := db.Now().In(pol.Location()).AddDate(0, 0, -1).Format("2006-01-02")
		reports, _, confirmed, err := st.Ledgers().DailyReports(ctx, sys, ledger.ReportFilter{Day: yesterday, EnterpriseID: id})
		if err != nil {
			t.Fatal(err)
		}
		if confirmed != 1 || len(reports) != 1 || !reports[0].Confirmed || reports[0].MaskStock <= 0 {
			t.Errorf("daily reports of %s: %+v (%d confirmed)", yesterday, reports, confirmed)
		}
	})
}
