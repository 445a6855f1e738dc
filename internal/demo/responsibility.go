package demo

import (
	"context"
	"fmt"
	"slices"

	"fugong/internal/apperr"
	"fugong/internal/assign"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/list"
	"fugong/internal/store"
)

// 包保 in the demo county: 清溪镇 has its three-in-one in every village and a town leader,
// the account baobao, for most of its enterprises, with a few gaps; 明湖街道 has only its
// secretaries; 云岭镇 has nobody yet — the coverage page shows them. baobao has visited a
// few of the enterprises.

// baobaoAccount is the 包保 leader of 清溪镇.
var baobaoAccount = account{"baobao", "陈志刚", "13857300014", auth.Town, "清溪镇包保镇级领导 / town leader in charge (包保) of 清溪镇's enterprises"}

// seedResponsibility creates baobao, the assignments and the visits.
func seedResponsibility(ctx context.Context, db *store.Store) (Logins, error) {
	sys := auth.System
	scope := "region:" + qingxi
	u, err := db.CreateUser(ctx, sys, auth.User{Username: baobaoAccount.username, DisplayName: baobaoAccount.displayName, Phone: baobaoAccount.phone,
		Role: baobaoAccount.role, ScopeText: scope}, Password)
	if err != nil {
		return nil, fmt.Errorf("demo user baobao: %w", err)
	}
	bb := u.Principal()
	has := func(code string) bool { _, ok := db.Policy().Duty(code); return ok }
	bulk := func(f enterprise.Filter, a assign.Assignment) error {
		if !has(a.Duty) {
			return nil
		}
		if _, _, err := db.Assignments().AssignAll(ctx, sys, f, a); err != nil && apperr.KindOf(err) != apperr.Invalid {
			return fmt.Errorf("demo assignments %s: %w", a.Duty, err)
		}
		return nil
	}
	// The three-in-one of each village of 清溪镇 and the secretaries of 明湖街道's communities.
	for i, v := range villages {
		if v.code[:9] == yunling {
			continue // 云岭镇: nobody yet
		}
		if err := bulk(enterprise.Filter{Region: v.code}, assign.Assignment{Duty: "village_secretary", Name: person(600 + i), Phone: fmt.Sprintf("139573006%02d", i),
			Unit: v.name + "党支部书记"}); err != nil {
			return nil, err
		}
		if v.code[:9] != qingxi {
			continue
		}
		if err := bulk(enterprise.Filter{Region: v.code}, assign.Assignment{Duty: "village_cadre", Name: person(620 + i), Phone: fmt.Sprintf("139573006%02d", 20+i),
			Unit: "清溪镇包村干部"}); err != nil {
			return nil, err
		}
		// 荷塘村 has no committee member in contact yet: a gap.
		if v.code == hetang {
			continue
		}
		if err := bulk(enterprise.Filter{Region: v.code}, assign.Assignment{Duty: "village_member", Name: person(640 + i), Phone: fmt.Sprintf("139573006%02d", 40+i),
			Unit: v.name + "村委委员"}); err != nil {
			return nil, err
		}
	}
	// baobao leads every enterprise of 清溪镇 but two, and is post A of its key enterprises;
	// post B is filled for some only.
	es, _, err := db.ListEnterprises(ctx, sys, enterprise.Filter{Region: qingxi, Page: list.Page{Size: list.MaxSize}})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(es, func(a, b enterprise.Enterprise) int { return int(a.ID - b.ID) })
	var as []assign.Assignment
	for i, e := range es {
		if e.Status == enterprise.Closed {
			continue
		}
		if i%9 != 8 && has("town_leader") {
			as = append(as, assign.Assignment{EnterpriseID: e.ID, Duty: "town_leader", UserID: bb.UserID, Unit: "清溪镇副镇长"})
		}
		if e.KeyEnterprise && has("post_a") {
			as = append(as, assign.Assignment{EnterpriseID: e.ID, Duty: "post_a", UserID: bb.UserID})
			if i%2 == 0 && has("post_b") {
				as = append(as, assign.Assignment{EnterpriseID: e.ID, Duty: "post_b", Name: person(660 + i), Phone: fmt.Sprintf("139573006%02d", 60+i%40), Unit: "县发改局"})
			}
		}
		if i%4 == 1 && has("liaison") {
			as = append(as, assign.Assignment{EnterpriseID: e.ID, Duty: "liaison", Name: person(700 + i), Phone: fmt.Sprintf("139573007%02d", i%100), Unit: "清溪镇经发办"})
		}
	}
	if len(as) > 0 {
		if _, err := db.Assignments().Add(ctx, sys, as); err != nil {
			return nil, fmt.Errorf("demo assignments of 清溪镇: %w", err)
		}
	}
	// A few visits by baobao.
	mine, err := db.Assignments().Mine(ctx, bb)
	if err != nil {
		return nil, err
	}
	visits := []assign.Visit{
		{Kind: assign.OnSite, Found: "复工方案、防疫物资台账齐全;门岗测温登记规范", Problems: "食堂就餐间隔不足1米,已要求错峰就餐"},
		{Kind: assign.Unannounced, Found: "夜班员工均佩戴口罩,隔离观察室单人单间", Problems: ""},
		{Kind: assign.Phone, Found: "企业反映口罩库存仅够5天", Problems: "请企业补足7天以上防疫物资储备"},
		{Kind: assign.SpotCheck, Found: "抽查10名员工健康档案,14天行程完整", Problems: ""},
	}
	for i, v := range visits {
		if i >= len(mine) {
			break
		}
		v.EnterpriseID = mine[i].EnterpriseID
		if _, err := db.Assignments().LogVisit(ctx, bb, v); err != nil {
			return nil, fmt.Errorf("demo visit: %w", err)
		}
	}
	return Logins{{Username: baobaoAccount.username, Role: baobaoAccount.role, Scope: scope, Description: baobaoAccount.description}}, nil
}

// approvePasses approves passes in one step, or, where the policy has a grid chain, has
// each level decide in turn (the village's grid leader, the town, the county's
// departments), as far as the demo has someone at each level.
func approvePasses(ctx context.Context, db *store.Store, region string, ids []int64) error {
	_, err := db.Passes().Approve(ctx, passApprover(region), ids)
	if apperr.KindOf(err) != apperr.Conflict || len(db.Policy().GridChains) == 0 {
		return err
	}
	candidates := []auth.Principal{passApprover(region)}
	if len(region) > 9 {
		candidates = append(candidates, passApprover(region[:9]))
	}
	depts, _, err := db.ListDepartments(ctx, auth.System, "", "", list.Page{Size: list.MaxSize})
	if err != nil {
		return err
	}
	for _, d := range depts {
		if d.RegionCode == County {
			candidates = append(candidates, auth.Principal{Username: "demo", Name: d.Name + "(演示)", Role: auth.Reviewer, Scope: auth.Scope{Kind: auth.ScopeDept, ID: d.ID}})
		}
	}
	for _, id := range ids {
	climb:
		for range len(candidates) {
			for _, p := range candidates {
				g, err := db.Passes().GridDecide(ctx, p, id, true, "")
				switch {
				case err == nil && g.Next == "":
					break climb
				case err == nil:
					continue climb
				case apperr.KindOf(err) == apperr.Forbidden:
					continue
				default:
					return err
				}
			}
			break // nobody in the demo holds the level: the pass waits there
		}
	}
	return nil
}
