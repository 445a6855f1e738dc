package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/hazard"
	"fugong/internal/inspection"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/store"
)

// seedSupervision tells the story of supervision after resumption in the demo county:
// of the resumed enterprises (those with a notice, the demo's site left alone), one
// passed its inspection, one holds an open rectification order near its deadline, one an
// order overdue and escalated, and one was stopped for rectification (停产整顿), so that
// its gate refuses; a spot check is planned for today; the hazard register holds a
// general hazard of a chemical enterprise's own check and a major hazard at a
// construction site, on the county's list. Nothing when the policy has no supervision.
func seedSupervision(ctx context.Context, db *store.Store, pol *policy.Policy, site workSite) error {
	if !pol.Supervision.Enabled {
		return nil
	}
	sys := auth.System
	apps, _, err := db.Applications().List(ctx, sys, application.Filter{Status: application.StatusApproved, Page: list.Page{Size: list.MaxSize}})
	if err != nil {
		return fmt.Errorf("demo supervision: %w", err)
	}
	var resumed []int64
	for _, a := range apps {
		if a.EnterpriseID != site.id && !slices.Contains(resumed, a.EnterpriseID) {
			resumed = append(resumed, a.EnterpriseID)
		}
	}
	slices.Sort(resumed)
	// inspect plans an inspection of kind on day and records it, failing the items given
	// with their severity and note: the inspection and the orders it opened.
	inspect := func(entID int64, kind string, failed map[int][2]string) ([]int64, error) {
		e, err := db.GetEnterprise(ctx, sys, entID)
		if err != nil {
			return nil, err
		}
		unit := inspection.SplitFor(pol, e)[0].Unit
		day := db.Now().In(pol.Location()).Format(time.DateOnly)
		in, err := db.Inspections().Plan(ctx, sys, inspection.Inspection{EnterpriseID: entID, Unit: unit, Kind: kind, PlannedOn: day, Inspectors: "沈佳怡、钱国强"})
		if err != nil {
			return nil, err
		}
		c, err := db.Inspections().Checklist(ctx, sys, in)
		if err != nil {
			return nil, err
		}
		done := inspection.Completion{Signature: "沈佳怡", Opinion: "对照企业复工复产工作方案逐项检查"}
		for i, it := range c.Items {
			r := inspection.ItemResult{Code: it.Code, Result: inspection.Pass}
			if f, ok := failed[i]; ok {
				r.Result, r.Severity, r.Note = inspection.Fail, f[0], f[1]
			}
			done.Items = append(done.Items, r)
		}
		_, orders, err := db.Inspections().Complete(ctx, sys, in.ID, done)
		var ids []int64
		for _, o := range orders {
			ids = append(ids, o.ID)
		}
		return ids, err
	}
	story := []struct {
		kind   string
		failed map[int][2]string
		ago    int // days ago
	}{
		{policy.KindSpot, nil, 2}, // passed
		{policy.KindSpot, map[int][2]string{1: {inspection.Serious, "口罩、消毒液库存不足7天用量"}}, 2},            // open, near its deadline
		{policy.KindUnannounced, map[int][2]string{5: {inspection.General, "厂区设有两个进出通道,侧门无人值守"}}, 12}, // overdue, escalated
		{policy.KindSpot, map[int][2]string{4: {inspection.Suspend, "未建立返岗职工花名册和健康档案,隔离观察未落实"}}, 1},   // 停产整顿
	}
	now := db.DB.Now
	defer func() { db.DB.Now = now }()
	for i, s := range story {
		if i >= len(resumed) {
			break
		}
		ago := s.ago
		db.DB.Now = func() time.Time { return now().AddDate(0, 0, -ago) }
		if _, err := inspect(resumed[i], s.kind, s.failed); err != nil {
			return fmt.Errorf("demo inspection %d: %w", i+1, err)
		}
	}
	db.DB.Now = now
	if _, err := db.Rectifications().EscalateDue(ctx); err != nil {
		return fmt.Errorf("demo escalation: %w", err)
	}
	// Today's plan: a check of a further resumed enterprise, for an inspector's phone; one
	// in 清溪镇 when there is one, so that the town account can record it.
	if len(resumed) > len(story) {
		e, err := db.GetEnterprise(ctx, sys, resumed[len(story)])
		if err != nil {
			return err
		}
		for _, id := range resumed[len(story):] {
			if other, err := db.GetEnterprise(ctx, sys, id); err == nil && strings.HasPrefix(other.RegionCode, qingxi) {
				e = other
				break
			}
		}
		split := inspection.SplitFor(pol, e)
		if _, err := db.Inspections().Plan(ctx, sys, inspection.Inspection{EnterpriseID: e.ID, Unit: split[0].Unit, Kind: split[0].Kind,
			PlannedOn: now().In(pol.Location()).Format(time.DateOnly), Inspectors: "沈佳怡"}); err != nil {
			return fmt.Errorf("demo planned inspection: %w", err)
		}
	}
	// The hazard register.
	for _, h := range []struct {
		category, sector, grade, item, desc string
	}{
		{"hazchem", "hazchem", hazard.General, "可燃和有毒气体报警装置是否正常投用", "储罐区可燃气体报警器一台失效,企业自查发现"},
		{"construction", "construction", hazard.Major, "防高空坠落", "在建楼栋脚手架外侧未挂设安全网,临边防护缺失"},
	} {
		if _, ok := pol.HazardSector(h.sector); !ok {
			continue
		}
		ents, _, err := db.ListEnterprises(ctx, sys, enterprise.Filter{Category: h.category, Page: list.Page{Size: 1}})
		if err != nil {
			return err
		}
		if len(ents) == 0 {
			continue
		}
		item := h.item
		if sec, _ := pol.HazardSector(h.sector); !slices.Contains(sec.Items, item) {
			item = ""
		}
		source := hazard.FromInspection
		if h.grade == hazard.General {
			source = hazard.FromSelfCheck
		}
		if _, err := db.Hazards().Register(ctx, sys, hazard.Hazard{EnterpriseID: ents[0].ID, Sector: h.sector, Grade: h.grade, Source: source,
			Item: item, Description: h.desc}); err != nil {
			return fmt.Errorf("demo hazard: %w", err)
		}
	}
	return nil
}
