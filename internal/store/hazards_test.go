package store_test

import (
	"fmt"
	"testing"

	"fugong/internal/alert"
	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/hazard"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The hazard register on both engines: the enterprise's own check registers a general
// hazard that goes through 整改 → 验收 → 销号; a major hazard at a construction site is
// reported at once to the county emergency bureau and stays on its list until closed.
func TestHazardRegister(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		mkEnt := func(name, cat string, n int) enterprise.Enterprise {
			e, err := db.CreateEnterprise(ctx, auth.System, enterprise.Enterprise{Name: name, USCC: uscc(t, 9300+n), Category: cat, RegionCode: "330402001001", Headcount: 20}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		chem, site := mkEnt("甲镇化工有限公司", "hazchem", 1), mkEnt("甲镇建工工地", "construction", 2)
		mkUser := func(name string, role auth.Role, scope string) auth.Principal {
			u, err := db.CreateUser(ctx, auth.System, auth.User{Username: name, Role: role, ScopeText: scope}, "password-1")
			if err != nil {
				t.Fatal(err)
			}
			return u.Principal()
		}
		dept := func(name, unit, code string) int64 {
			d, err := db.SaveDepartment(ctx, auth.System, region.Department{Name: name, UnitCode: unit, RegionCode: code}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return d.ID
		}
		emergency := mkUser("emergency", auth.Reviewer, fmt.Sprintf("dept:%d", dept("县应急管理局", "county_emergency", "330402")))
		works := mkUser("works", auth.Reviewer, fmt.Sprintf("dept:%d", dept("镇建设办", "works_office", "330402001")))
		chemAcct := mkUser("chem", auth.Enterprise, fmt.Sprintf("enterprise:%d", chem.ID))
		st := w.st

		// The chemical enterprise's own check: a general hazard of its sector.
		hz, err := st.Hazards().Register(ctx, chemAcct, hazard.Hazard{EnterpriseID: site.ID, Sector: "hazchem", Grade: hazard.General,
			Item: "可燃和有毒气体报警装置是否正常投用", Description: "储罐区可燃气体报警器两台失效"})
		if err != nil || hz.EnterpriseID != chem.ID || hz.Source != hazard.FromSelfCheck || hz.Unit != "county_emergency" {
			t.Fatalf("self-check: %+v %v", hz, err)
		}
		if _, err := st.Hazards().Register(ctx, chemAcct, hazard.Hazard{Sector: "mines", Grade: "x"}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("bad hazard: %v", err)
		}
		step := func(p auth.Principal, id int64, action, text string) (hazard.Hazard, error) {
			return st.Hazards().Transition(ctx, p, id, action, text, 0)
		}
		if _, err := step(chemAcct, hz.ID, hazard.Accept, ""); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("the enterprise accepts its own: %v", err)
		}
		for _, s := range []struct {
			p      auth.Principal
			action string
			want   string
		}{{chemAcct, hazard.Rectify, hazard.Rectified}, {emergency, hazard.Return, hazard.Registered}, {chemAcct, hazard.Rectify, hazard.Rectified},
			{emergency, hazard.Accept, hazard.Accepted}, {emergency, hazard.Close, hazard.Closed}} {
			got, err := step(s.p, hz.ID, s.action, "更换报警器并联动测试")
			if err != nil || got.Status != s.want {
				t.Fatalf("%s: %+v %v", s.action, got, err)
			}
		}

		// A major hazard at the construction site, found by the works office.
		major, err := st.Hazards().Register(ctx, works, hazard.Hazard{EnterpriseID: site.ID, Sector: "construction", Grade: hazard.Major,
			Item: "防高空坠落", Description: "脚手架未设防护网"})
		if err != nil || major.Unit != "works_office" || major.Source != hazard.FromInspection {
			t.Fatalf("major: %+v %v", major, err)
		}
		// Reported at once: the emergency bureau's inbox, and its open list.
		var emergencyUser int64 = emergency.UserID
		items, _, _, err := db.ListNotifications(ctx, emergencyUser, list.Page{Size: 50})
		if err != nil || !hasTitle(items, "重大安全生产隐患报告") {
			t.Fatalf("the emergency bureau is not told: %v", err)
		}
		// …and an alert to acknowledge, for the major hazard only (policy [[alerts]] major_hazard).
		as, an, err := st.Alerts().List(ctx, emergency, alert.Filter{Open: true})
		if err != nil || an != 1 || as[0].Kind != policy.AlertMajorHazard || as[0].EnterpriseID != site.ID {
			t.Fatalf("the emergency bureau's alerts: %+v %d %v", as, an, err)
		}
		open, n, err := st.Hazards().List(ctx, emergency, hazard.Filter{Status: "open"})
		if err != nil || n != 1 || open[0].ID != major.ID {
			t.Fatalf("the county's open list: %+v %d %v", open, n, err)
		}
		// The chemical enterprise sees its own only.
		if _, n, _ := st.Hazards().List(ctx, chemAcct, hazard.Filter{}); n != 1 {
			t.Fatalf("the enterprise sees %d hazards", n)
		}
		if _, err := st.Hazards().Get(ctx, chemAcct, major.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("another enterprise's hazard: %v", err)
		}
		for _, a := range []string{hazard.Rectify, hazard.Accept, hazard.Close} {
			if _, err := step(works, major.ID, a, "已设防护网"); err != nil {
				t.Fatalf("%s: %v", a, err)
			}
		}
		if _, n, _ := st.Hazards().List(ctx, emergency, hazard.Filter{Status: "open"}); n != 0 {
			t.Fatalf("a closed hazard stays on the open list: %d", n)
		}
		if n := countAuditActions(t, db, "hazard.", "register", "rectify", "accept", "return", "close"); n != 10 {
			t.Errorf("%d hazard audit rows, want 10", n)
		}
	})
}
