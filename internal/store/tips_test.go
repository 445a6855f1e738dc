package store_test

import (
	"fugong/internal/inspection"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
	"fugong/internal/tip"
)

// A tip's whole path, on both engines: sent without an account, grouped with its
// duplicate, handled by the town against a fixed clock, read back with the receipt code;
// the enterprise never reaches it, nor the reporter's contact; the limits hold.
func TestTips(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 2)
		now := time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402002", Name: "乙街道"}}); err != nil {
			t.Fatal(err)
		}
		pol := *policy.Default()
		pol.Tips.GlobalPerHour = 8
		st := store.New(db, store.Config{Policy: &pol, Signer: w.signer})
		tips := st.Tips()
		ent := w.enterprises[0]
		in := tip.Input{Category: "dormitory", EnterpriseID: ent.ID, Place: "三号宿舍楼", Description: "一间宿舍住了八个人,没有隔离",
			ReporterName: "李四", ReporterPhone: "13912345678"}
		code, err := tips.Submit(ctx, in, []tip.Photo{{SHA256: strings.Repeat("a", 64), ContentType: "image/jpeg", Size: 1000}}, "198.51.100.7")
		if err != nil {
			t.Fatal(err)
		}
		r, err := tips.Lookup(ctx, strings.ToLower(code))
		if err != nil || r.Status != tip.Received || r.CategoryName != "宿舍超员" || r.Reply != "" {
			t.Fatalf("lookup: %+v %v", r, err)
		}
		if _, err := tips.Lookup(ctx, "ABCDE-FGHJK"); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("a guessed code: %v", err)
		}
		// The town handles it, and sees who sent it.
		list, n, err := tips.List(ctx, w.town, tip.Filter{})
		if err != nil || n != 1 || list[0].ReporterPhone != "13912345678" || list[0].Unit != "town_gov" || list[0].RegionCode != "330402001" {
			t.Fatalf("town's list: %d %+v %v", n, list, err)
		}
		id := list[0].ID
		// The town's people were told, without the reporter.
		if n, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM notifications WHERE kind = 'tip_received' AND title NOT LIKE '%李四%'`); err != nil || n == 0 {
			t.Fatalf("the handlers were not told: %d %v", n, err)
		}
		if n, _ := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM notifications WHERE title LIKE '%13912345678%' OR body LIKE '%13912345678%'`); n != 0 {
			t.Fatalf("a notification names the reporter's phone")
		}
		// The enterprise (and its park) reach nothing of it.
		if _, n, err := tips.List(ctx, w.ent, tip.Filter{}); err != nil || n != 0 {
			t.Fatalf("the enterprise lists %d tips (%v)", n, err)
		}
		if _, err := tips.Get(ctx, w.ent, id); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("the enterprise reads the tip: %v", err)
		}
		// A duplicate (same enterprise, same category) joins its group.
		in2 := in
		in2.ReporterName, in2.ReporterPhone, in2.Description = "", "", "宿舍人太多了,晚上挤在一起"
		if _, err := tips.Submit(ctx, in2, nil, "203.0.113.9"); err != nil {
			t.Fatal(err)
		}
		all, _, _ := tips.List(ctx, w.town, tip.Filter{})
		var dup tip.Tip
		for _, x := range all {
			if x.ID != id {
				dup = x
			}
		}
		if dup.GroupID != id {
			t.Fatalf("the duplicate is not grouped: %+v", dup)
		}
		// Not accepted within 24 hours: overdue.
		now = now.Add(25 * time.Hour)
		if _, n, _ := tips.List(ctx, w.town, tip.Filter{Overdue: true}); n != 2 {
			t.Fatalf("overdue after 25 h: %d, want 2", n)
		}
		// A reply before a result is refused; the path: accept, investigate (asking for an
		// inspection), result, reply.
		if _, err := tips.Act(ctx, w.town, id, tip.Reply, "答复", 0, false); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("reply at once: %v", err)
		}
		if _, err := tips.Act(ctx, w.ent, id, tip.Accept, "", 0, false); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("the enterprise accepts: %v", err)
		}
		got, err := tips.Act(ctx, w.town, id, tip.Accept, "", 0, false)
		if err != nil || got.Status != tip.Accepted {
			t.Fatalf("accept: %+v %v", got, err)
		}
		if d, _ := tips.Get(ctx, w.town, dup.ID); d.Status != tip.Accepted {
			t.Fatalf("the duplicate was not accepted with its group: %s", d.Status)
		}
		inv, err := tips.Act(ctx, w.town, id, tip.Investigate, "派网格员核查", 0, true)
		if err != nil {
			t.Fatal(err)
		}
		// The investigation opened an unannounced inspection by the tip's unit, which the
		// enterprise does not see until it is recorded.
		insp, err := w.st.Inspections().Get(ctx, w.town, inv.InspectionID)
		if err != nil || insp.EnterpriseID != inv.EnterpriseID || insp.Unit != inv.Unit || insp.Kind != policy.KindUnannounced || insp.Status != inspection.Planned {
			t.Fatalf("the tip's inspection: %+v %v (tip %+v)", insp, err, inv)
		}
		if _, err := w.st.Inspections().Get(ctx, w.ent, insp.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("the enterprise sees the unannounced visit: %v", err)
		}
		if _, err := tips.Act(ctx, w.town, id, tip.Result, "情况属实,宿舍每间住6人,已责令调整", 0, false); err != nil {
			t.Fatal(err)
		}
		if _, err := tips.Act(ctx, w.town, id, tip.Reply, "经查属实,已责令企业调整宿舍,每间不超过4人。感谢您的监督。", 0, false); err != nil {
			t.Fatal(err)
		}
		r, err = tips.Lookup(ctx, code)
		if err != nil || r.Status != tip.Replied || !strings.Contains(r.Reply, "感谢您的监督") || r.RepliedAt == nil {
			t.Fatalf("the receipt after the reply: %+v %v", r, err)
		}
		// Every step is in the trail; the reporter's contact in none of it.
		hist, err := tips.History(ctx, w.town, id)
		if err != nil || len(hist) != 5 {
			t.Fatalf("history: %d %v", len(hist), err)
		}
		trail, _, _ := db.ListAudit(ctx, audit.Filter{})
		for _, e := range trail {
			if strings.Contains(string(e.Summary), "13912345678") || strings.Contains(string(e.Summary), "李四") {
				t.Fatalf("the trail names the reporter: %s %s", e.Action, e.Summary)
			}
		}
		// A declined tip about an unregistered enterprise, in the town the reporter chose.
		free := tip.Input{Category: "unapproved", EnterpriseName: "无名小作坊", Address: "乙街道河边路8号", Town: "330402002", Description: "晚上偷偷开工,十几个工人"}
		code2, err := tips.Submit(ctx, free, nil, "198.51.100.7")
		if err != nil {
			t.Fatal(err)
		}
		if _, n, _ := tips.List(ctx, w.town, tip.Filter{Category: "unapproved"}); n != 0 {
			t.Fatalf("town A sees the tip of town B")
		}
		cmd := w.command
		cmd.Scope = auth.Scope{Kind: auth.ScopeRegion, Region: "330402"}
		fl, _, _ := tips.List(ctx, cmd, tip.Filter{Category: "unapproved"})
		if len(fl) != 1 || fl[0].RegionCode != "330402002" {
			t.Fatalf("the county's list: %+v", fl)
		}
		if _, err := tips.Act(ctx, cmd, fl[0].ID, tip.Decline, "", 0, false); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("decline without a reason: %v", err)
		}
		if _, err := tips.Act(ctx, cmd, fl[0].ID, tip.Investigate, "", 0, true); apperr.KindOf(err) == 0 {
			t.Fatal("an inspection of an unregistered enterprise")
		}
		if _, err := tips.Act(ctx, cmd, fl[0].ID, tip.Decline, "该地址为居民住宅,经核实无生产经营活动", 0, false); err != nil {
			t.Fatal(err)
		}
		if r, _ := tips.Lookup(ctx, code2); r.Status != tip.Declined || r.Reason == "" {
			t.Fatalf("declined receipt: %+v", r)
		}
		// A town that is not a town, a bad category: refused, nothing written.
		before, _, _ := tips.List(ctx, cmd, tip.Filter{})
		bad := free
		bad.Town = "330402"
		if _, err := tips.Submit(ctx, bad, nil, "192.0.2.1"); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("a county as the town: %v", err)
		}
		bad.Town, bad.Category = "330402002", "nope"
		if _, err := tips.Submit(ctx, bad, nil, "192.0.2.1"); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("bad category: %v", err)
		}
		if after, _, _ := tips.List(ctx, cmd, tip.Filter{}); len(after) != len(before) {
			t.Fatalf("refused tips were written")
		}
	})
}

// The limits, with a fixed clock: five an hour from one address (an IPv6 /64 is one),
// eight in all (this test's policy); an hour later the address is heard again.
func TestTipLimits(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		now := time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		pol := *policy.Default()
		pol.Tips.GlobalPerHour = 8
		tips := store.New(db, store.Config{Policy: &pol, Signer: w.signer}).Tips()
		send := func(addr string, i int) error {
			in := tip.Input{Category: "other", EnterpriseID: w.enterprises[0].ID, Description: "第几次举报:" + strings.Repeat("很", i+1)}
			_, err := tips.Submit(ctx, in, nil, addr)
			return err
		}
		for i := range 5 {
			now = now.Add(time.Minute)
			if err := send("2001:db8::1", i); err != nil {
				t.Fatalf("tip %d: %v", i+1, err)
			}
		}
		err := send("2001:db8::2", 6) // the same /64
		if wait, ok := tip.RetryAfter(err); apperr.KindOf(err) != apperr.TooMany || !ok || wait != 56*60 {
			t.Fatalf("the sixth from the address: %v (wait %d s)", err, wait)
		}
		// Asked before anything is kept, the answer is the same; another address is heard.
		if err := tips.Admit(ctx, "2001:db8::3"); apperr.KindOf(err) != apperr.TooMany {
			t.Fatalf("admit from the full /64: %v", err)
		}
		if err := tips.Admit(ctx, "198.51.100.1"); err != nil {
			t.Fatalf("admit from another address: %v", err)
		}
		for i := range 3 {
			if err := send("198.51.100."+string(rune('1'+i)), i); err != nil {
				t.Fatalf("another address: %v", err)
			}
		}
		if err := send("192.0.2.55", 9); apperr.KindOf(err) != apperr.TooMany {
			t.Fatalf("the ninth in the hour, from anywhere: %v", err)
		}
		now = now.Add(time.Hour)
		if err := send("2001:db8::3", 10); err != nil {
			t.Fatalf("an hour later: %v", err)
		}
	})
}
