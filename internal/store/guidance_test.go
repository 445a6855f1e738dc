package store_test

import (
	"fmt"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/guidance"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// Guidance published for town A reaches town A's enterprises (those of its categories)
// while in force, asks them to confirm reading, and stays away from town B's; the public
// sees only what is public.
func TestGuidance(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		now := time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402002", Name: "乙镇"}}); err != nil {
			t.Fatal(err)
		}
		g := w.st.Guidance()
		known := func(c string) bool { return c == "other" || c == "industry_above" }
		end := now.AddDate(0, 1, 0)
		notice, err := g.Publish(ctx, w.town, guidance.Item{Kind: guidance.ForFirms, Title: "企业复工须知", Body: "# 须知\n- 每日两次测温", Regions: []string{"330402001"},
			AskConfirm: true, Public: true, PublishAt: now, EndAt: &end}, known)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := g.Publish(ctx, w.town, guidance.Item{Kind: guidance.Local, Title: "乙镇须知", Body: "x", Regions: []string{"330402002"}, PublishAt: now}, known); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("town A publishes for town B: %v", err)
		}
		if _, err := g.Publish(ctx, w.ent, guidance.Item{Kind: guidance.Local, Title: "x", Body: "x", Regions: []string{"330402001"}, PublishAt: now}, known); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("an enterprise publishes: %v", err)
		}
		later, err := g.Publish(ctx, w.town, guidance.Item{Kind: guidance.Measures, Title: "规上工业企业惠企政策", Body: "减免", Regions: []string{"330402001"},
			Categories: []string{"industry_above"}, PublishAt: now}, known)
		if err != nil {
			t.Fatal(err)
		}
		// The enterprise (category other) sees the notice, not the measures of another category.
		items, n, err := g.List(ctx, w.ent, guidance.Filter{})
		if err != nil || n != 1 || items[0].ID != notice.ID || items[0].Confirmed {
			t.Fatalf("the enterprise's list: %d %+v %v", n, items, err)
		}
		if _, err := g.Get(ctx, w.ent, later.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("another category's measures: %v", err)
		}
		home, err := g.ForHome(ctx, w.ent, 5)
		if err != nil || len(home) != 1 {
			t.Fatalf("home: %+v %v", home, err)
		}
		if _, err := g.Confirm(ctx, w.town, notice.ID); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("the town confirms: %v", err)
		}
		got, err := g.Confirm(ctx, w.ent, notice.ID)
		if err != nil || !got.Confirmed || got.Confirms != 1 {
			t.Fatalf("confirm: %+v %v", got, err)
		}
		// Another town's enterprise sees none of it.
		e2, err := db.CreateEnterprise(ctx, auth.System, enterprise.Enterprise{Name: "乙镇企业", USCC: uscc(t, 9900), Category: "other", RegionCode: "330402002"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: "ent-b", Role: auth.Enterprise, ScopeText: fmt.Sprintf("enterprise:%d", e2.ID)}, "password-1")
		if err != nil {
			t.Fatal(err)
		}
		if _, n, _ := g.List(ctx, u.Principal(), guidance.Filter{}); n != 0 {
			t.Fatalf("town B's enterprise sees %d", n)
		}
		// The public sees the public one, until its end.
		if _, n, _ := g.PublicList(ctx, guidance.Filter{}); n != 1 {
			t.Fatalf("public: %d", n)
		}
		if _, err := g.PublicGet(ctx, later.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("a non-public item publicly: %v", err)
		}
		now = end.Add(time.Hour)
		if _, n, _ := g.PublicList(ctx, guidance.Filter{}); n != 0 {
			t.Fatalf("public after the end: %d", n)
		}
		if _, n, _ := g.List(ctx, w.ent, guidance.Filter{}); n != 0 {
			t.Fatalf("the enterprise after the end: %d", n)
		}
		if _, n, _ := g.List(ctx, w.command, guidance.Filter{}); n != 2 {
			t.Fatalf("the command sees %d", n)
		}
	})
}
