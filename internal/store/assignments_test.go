package store_test

import (
	"fmt"
	"slices"
	"testing"

	"fugong/internal/apperr"
	"fugong/internal/assign"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

func TestAssignmentsAndCoverage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 3)
		st := w.st
		if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402002", Name: "乙镇"}}); err != nil {
			t.Fatal(err)
		}
		other, err := db.CreateEnterprise(ctx, auth.System, enterprise.Enterprise{Name: "乙镇企业", USCC: uscc(t, 9100), Category: "other", RegionCode: "330402002", KeyEnterprise: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		// A contact without an account, an account, problems named per item, all or none.
		_, err = st.Assignments().Add(ctx, w.town, []assign.Assignment{
			{EnterpriseID: w.enterprises[0].ID, Duty: "village_secretary", Name: "王书记"},
			{EnterpriseID: w.enterprises[0].ID, Duty: "mayor", Name: "x"},
			{EnterpriseID: other.ID, Duty: "town_leader", Name: "越界"},
		})
		// Every problem at once: the field's and the scope's.
		e, ok := apperr.As(err)
		if !ok || len(e.Problems) != 2 || e.Problems[0].Field != "assignments[1].duty" || e.Problems[1].Field != "assignments[2].enterprise_id" {
			t.Fatalf("invalid duty and enterprise out of scope: %v", err)
		}
		_, err = st.Assignments().Add(ctx, w.town, []assign.Assignment{
			{EnterpriseID: w.enterprises[0].ID, Duty: "village_secretary", Name: "王书记"},
			{EnterpriseID: other.ID, Duty: "town_leader", Name: "越界"},
		})
		if e, ok := apperr.As(err); !ok || e.Problems[0].Field != "assignments[1].enterprise_id" {
			t.Fatalf("enterprise out of scope: %v", err)
		}
		// Nothing was written.
		if _, n, _ := st.Assignments().List(ctx, w.town, assign.Filter{}); n != 0 {
			t.Fatalf("half-written: %d", n)
		}
		// Enterprise accounts cannot be assigned, nor assign.
		if _, err := st.Assignments().Add(ctx, w.town, []assign.Assignment{{EnterpriseID: w.enterprises[0].ID, Duty: "liaison", UserID: w.ent.UserID}}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("enterprise account assigned: %v", err)
		}
		if _, err := st.Assignments().Add(ctx, w.ent, []assign.Assignment{{EnterpriseID: w.enterprises[0].ID, Duty: "liaison", Name: "x"}}); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("enterprise assigns: %v", err)
		}
		got, err := st.Assignments().Add(ctx, w.town, []assign.Assignment{
			{EnterpriseID: w.enterprises[0].ID, Duty: "village_secretary", Name: "王书记", Phone: "13800000001"},
			{USCC: w.enterprises[0].USCC, Duty: "town_leader", Username: "town"},
		})
		if err != nil || len(got) != 2 || got[1].UserID != w.town.UserID || got[1].Name != "town" || got[1].StartsOn != "2020-02-08" {
			t.Fatalf("add: %+v %v", got, err)
		}
		// The same person in the same duty twice is refused.
		if _, err := st.Assignments().Add(ctx, w.town, []assign.Assignment{{EnterpriseID: w.enterprises[0].ID, Duty: "town_leader", UserID: w.town.UserID}}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("twice: %v", err)
		}
		// Bulk: every enterprise of the village to its secretary; the one already assigned is skipped.
		n, skipped, err := st.Assignments().AssignAll(ctx, w.town, enterprise.Filter{Region: "330402001001"}, assign.Assignment{Duty: "village_secretary", Name: "王书记"})
		if err != nil || n != 2 || skipped != 1 {
			t.Fatalf("bulk: %d %d %v", n, skipped, err)
		}
		// Coverage under the default policy: enterprise 0 lacks the cadre and the member; the
		// others lack three; the other town's key enterprise lacks everything, A and B posts too.
		cov, err := st.Assignments().Coverage(ctx, w.command, assign.ByVillage, enterprise.Filter{})
		if err != nil || cov.Enterprises != 3 || cov.Covered != 0 || len(cov.Gaps) != 3 {
			t.Fatalf("coverage: %+v %v", cov, err)
		}
		if g := cov.Gaps[0]; !slices.Equal(g.Missing, []string{"village_cadre", "village_member"}) {
			t.Fatalf("gap: %+v", g)
		}
		all, err := st.Assignments().Coverage(ctx, auth.System, assign.ByTown, enterprise.Filter{})
		if err != nil || all.Enterprises != 4 || all.Nobody != 1 || len(all.Groups) != 2 {
			t.Fatalf("coverage of all: %+v %v", all, err)
		}
		for _, g := range all.Gaps {
			if g.EnterpriseID == other.ID && !slices.Contains(g.Missing, "post_a") {
				t.Fatalf("key enterprise without posts: %+v", g)
			}
		}
		// Fill the three-in-one of enterprise 0: it is covered.
		if _, err := st.Assignments().Add(ctx, w.town, []assign.Assignment{
			{EnterpriseID: w.enterprises[0].ID, Duty: "village_cadre", Name: "李镇干"},
			{EnterpriseID: w.enterprises[0].ID, Duty: "village_member", Name: "赵委员", StartsOn: "2020-02-01", EndsOn: "2020-03-31"},
		}); err != nil {
			t.Fatal(err)
		}
		cov, _ = st.Assignments().Coverage(ctx, w.town, assign.ByCategory, enterprise.Filter{})
		if cov.Covered != 1 || len(cov.Gaps) != 2 || cov.Groups[0].Name != "其他" {
			t.Fatalf("covered: %+v", cov)
		}
		// An assignment that has ended no longer covers.
		if _, err := st.Assignments().Add(ctx, w.town, []assign.Assignment{{EnterpriseID: w.enterprises[1].ID, Duty: "town_leader", Name: "前任", StartsOn: "2020-01-01", EndsOn: "2020-02-01"}}); err != nil {
			t.Fatal(err)
		}
		cov, _ = st.Assignments().Coverage(ctx, w.town, assign.ByTown, enterprise.Filter{})
		for _, g := range cov.Gaps {
			if g.EnterpriseID == w.enterprises[1].ID && !slices.Contains(g.Missing, "town_leader") {
				t.Fatalf("ended assignment counts: %+v", g)
			}
		}
		// The grid sees the assignments of its village; the other town's are not its.
		list, total, err := st.Assignments().List(ctx, w.grid, assign.Filter{Current: true})
		if err != nil || total != 6 || len(list) != 6 {
			t.Fatalf("grid list: %d %v", total, err)
		}
		// Withdrawing: by the town, audited; the grid cannot.
		if _, err := st.Assignments().Remove(ctx, w.grid, got[0].ID); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("grid removes: %v", err)
		}
		if _, err := st.Assignments().Remove(ctx, w.town, got[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Assignments().Remove(ctx, w.town, got[0].ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("removed twice: %v", err)
		}
		trail, _, err := db.AuditTrail(ctx, auth.System, audit.Filter{ObjectType: "enterprise", ObjectID: fmt.Sprint(w.enterprises[0].ID)})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, a := range trail {
			actions = append(actions, a.Action)
		}
		if !slices.Contains(actions, "assignment.create") || !slices.Contains(actions, "assignment.remove") {
			t.Fatalf("audit: %v", actions)
		}
	})
}

func TestMyEnterprisesAndVisits(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 3)
		st := w.st
		// A county reviewer as the department counterpart of enterprise 2 answers for it
		// though it is no department of the village.
		if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402002", Name: "乙镇"}}); err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: "baobao", DisplayName: "包保领导", Role: auth.Town, ScopeText: "region:330402002"}, "password-1")
		if err != nil {
			t.Fatal(err)
		}
		bb := u.Principal()
		if _, err := st.Assignments().Add(ctx, w.town, []assign.Assignment{
			{EnterpriseID: w.enterprises[0].ID, Duty: "town_leader", UserID: bb.UserID},
			{EnterpriseID: w.enterprises[0].ID, Duty: "liaison", UserID: bb.UserID},
			{EnterpriseID: w.enterprises[2].ID, Duty: "town_leader", UserID: bb.UserID},
		}); err != nil {
			t.Fatal(err)
		}
		mine, err := st.Assignments().Mine(ctx, bb)
		if err != nil || len(mine) != 2 || len(mine[0].Duties) != 2 || mine[0].OpenRectifications != 0 || mine[0].Hazards != 0 {
			t.Fatalf("mine: %+v %v", mine, err)
		}
		// The leader logs a visit to an enterprise assigned, not to another.
		v, err := st.Assignments().LogVisit(ctx, bb, assign.Visit{EnterpriseID: w.enterprises[0].ID, Kind: assign.OnSite, Found: "测温登记齐全", Problems: "隔离室未单人单间", Photos: []string{"ab"}})
		if err != nil || v.ID == 0 || v.Visitor != "包保领导" || v.Day != "2020-02-08" || len(v.Photos) != 1 {
			t.Fatalf("visit: %+v %v", v, err)
		}
		if _, err := st.Assignments().LogVisit(ctx, bb, assign.Visit{EnterpriseID: w.enterprises[1].ID, Kind: assign.Phone, Found: "x"}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("visit elsewhere: %v", err)
		}
		if _, err := st.Assignments().LogVisit(ctx, w.ent, assign.Visit{EnterpriseID: w.enterprises[0].ID, Kind: assign.Phone, Found: "x"}); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("enterprise logs a visit: %v", err)
		}
		mine, _ = st.Assignments().Mine(ctx, bb)
		if mine[0].LastVisit != "2020-02-08" || mine[1].LastVisit != "" {
			t.Fatalf("last visit: %+v", mine)
		}
		// The visit is seen by the leader, the town and the grid of the village; not by
		// another enterprise.
		for _, p := range []auth.Principal{bb, w.town, w.grid} {
			if _, n, err := st.Assignments().Visits(ctx, p, assign.VisitFilter{}); err != nil || n != 1 {
				t.Fatalf("%s sees %d visits: %v", p.Username, n, err)
			}
		}
		ent1 := w.ent
		ent1.Scope = auth.Scope{Kind: auth.ScopeEnterprise, ID: w.enterprises[1].ID}
		if _, n, _ := st.Assignments().Visits(ctx, ent1, assign.VisitFilter{}); n != 0 {
			t.Fatalf("another enterprise sees %d visits", n)
		}
	})
}
