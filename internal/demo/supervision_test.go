package demo

import (
	"context"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/hazard"
	"fugong/internal/inspection"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/rectify"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The demo's supervision story under variant D (a street): a passed inspection, an open
// order near its deadline, an overdue order escalated to the district, an enterprise
// stopped for rectification whose notice is suspended until a re-inspection passes, a
// planned check for today, and a major hazard on the county's list.
func TestDemoSupervision(t *testing.T) {
	pol, problems, err := policy.Load("../../policies/variant-d-street.toml")
	if err != nil || len(problems) > 0 {
		t.Fatalf("%v %v", problems, err)
	}
	ctx := context.Background()
	_, st, _ := seedForTest(t, storetest.Open(t, store.SQLite), pol)
	sys := auth.System
	done, _, err := st.Inspections().List(ctx, sys, inspection.Filter{Status: inspection.Done})
	if err != nil || len(done) != 4 {
		t.Fatalf("recorded inspections: %d %v", len(done), err)
	}
	// Planned: the check for today, and the unannounced visit the demo's investigated tip
	// asked for.
	planned, n, _ := st.Inspections().List(ctx, sys, inspection.Filter{Status: inspection.Planned})
	unannounced := 0
	for _, in := range planned {
		if in.Kind == policy.KindUnannounced {
			unannounced++
		}
	}
	if n != 2 || unannounced != 1 {
		t.Errorf("planned: %d, of which %d unannounced; want 2 and 1", n, unannounced)
	}
	orders, _, err := st.Rectifications().List(ctx, sys, rectify.Filter{Status: "active", Page: list.Page{Size: 50}})
	if err != nil || len(orders) != 3 {
		t.Fatalf("open orders: %+v %v", orders, err)
	}
	// Overdue first, escalated to the district command.
	if o := orders[0]; !rectify.Overdue(o, st.Now()) || o.Level != 2 || rectify.LevelUnit(pol, o.Level) != "district_command" {
		t.Errorf("the overdue order: %+v", o)
	}
	var stop rectify.Order
	for _, o := range orders {
		if o.Severity == inspection.Suspend {
			stop = o
		}
	}
	if stop.ID == 0 {
		t.Fatal("no order stops production")
	}
	e, _ := st.GetEnterprise(ctx, sys, stop.EnterpriseID)
	reason, err := st.Rectifications().SuspendedNotice(ctx, sys, stop.EnterpriseID)
	if e.Status != enterprise.Suspended || reason == "" || err != nil {
		t.Errorf("the stopped enterprise: %s %q %v", e.Status, reason, err)
	}
	// A re-inspection that passes lifts the stop.
	split := inspection.SplitFor(pol, e)
	re, err := st.Inspections().Plan(ctx, sys, inspection.Inspection{EnterpriseID: e.ID, Unit: split[0].Unit, Kind: policy.KindReinspection, PlannedOn: st.Today(), Inspectors: "复查组"})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := st.Inspections().Checklist(ctx, sys, re)
	pass := inspection.Completion{Signature: "复查组"}
	for _, it := range c.Items {
		pass.Items = append(pass.Items, inspection.ItemResult{Code: it.Code, Result: inspection.Pass})
	}
	if _, _, err := st.Inspections().Complete(ctx, sys, re.ID, pass); err != nil {
		t.Fatal(err)
	}
	if e, _ = st.GetEnterprise(ctx, sys, stop.EnterpriseID); e.Status != enterprise.Resumed {
		t.Errorf("after the re-inspection: %s", e.Status)
	}
	// The hazard register: a major hazard open on the list.
	hz, _, err := st.Hazards().List(ctx, sys, hazard.Filter{Status: "open"})
	if err != nil || len(hz) != 2 || hz[0].Grade != hazard.Major {
		t.Errorf("hazards: %+v %v", hz, err)
	}
}
