package store_test

import (
	"fugong/internal/alert"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/gate"
	"fugong/internal/inbox"
	"fugong/internal/inspection"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/rectify"
	"fugong/internal/sign"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// completion answers every item of an inspection: pass, except the items given as failed
// with their severity.
func completion(t *testing.T, st *store.Store, p auth.Principal, in inspection.Inspection, failed map[string]string) inspection.Completion {
	t.Helper()
	c, err := st.Inspections().Checklist(ctx, p, in)
	if err != nil {
		t.Fatal(err)
	}
	out := inspection.Completion{Signature: "王检查", Opinion: "见各项"}
	for _, it := range c.Items {
		r := inspection.ItemResult{Code: it.Code, Result: inspection.Pass}
		if sev, ok := failed[it.Code]; ok {
			r.Result, r.Note, r.Severity = inspection.Fail, "不符合:"+it.Name, sev
		}
		out.Items = append(out.Items, r)
	}
	return out
}

// The chain of supervision on both engines: an inspection planned by the unit the split
// names; an unannounced one hidden from the enterprise until recorded; a failed item
// opens a numbered order with its deadline; the enterprise answers, the unit returns and
// verifies; an overdue order escalates on the clock; 停产整顿 suspends the notice and the
// gate refuses until a re-inspection passes.
func TestSupervisionChain(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 2)
		approveFirst(t, db, w)
		e := w.enterprises[0] // category "other": supervised by its reviewing unit, the town government
		st := w.st
		now := time.Date(2020, 3, 2, 2, 0, 0, 0, time.UTC) // 10:00 in Shanghai
		db.Now = func() time.Time { return now }

		_, issued := issuedPass(t, st, w, "李工", 801)
		guard := auth.Principal{Username: "guard", Role: auth.Guard, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: e.ID}}
		scan := func() gate.Result {
			t.Helper()
			r, err := st.Gate().Scan(ctx, guard, issued.Token, nil, "")
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if r := scan(); !r.Allow {
			t.Fatalf("before supervision the gate allows: %+v", r)
		}

		// The split: the town government supervises an enterprise of category "other".
		if _, split, err := st.Inspections().Split(ctx, w.town, e.ID); err != nil || split[0].Unit != "town_gov" {
			t.Fatalf("split: %+v %v", split, err)
		}
		// The enterprise may not plan; the town may; bad input is refused field by field.
		plan := inspection.Inspection{EnterpriseID: e.ID, Unit: "town_gov", Kind: policy.KindUnannounced, PlannedOn: "2020-03-02", Inspectors: "王检查"}
		if _, err := st.Inspections().Plan(ctx, w.ent, plan); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("enterprise plans: %v", err)
		}
		if _, err := st.Inspections().Plan(ctx, w.town, inspection.Inspection{EnterpriseID: e.ID, Unit: "town_gov", Kind: "raid"}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("bad plan: %v", err)
		}
		hidden, err := st.Inspections().Plan(ctx, w.town, plan)
		if err != nil {
			t.Fatal(err)
		}
		// Unannounced: the enterprise neither lists nor reads it before it is recorded.
		if list, n, err := st.Inspections().List(ctx, w.ent, inspection.Filter{}); err != nil || n != 0 || len(list) != 0 {
			t.Fatalf("enterprise sees an unannounced plan: %d %v", n, err)
		}
		if _, err := st.Inspections().Get(ctx, w.ent, hidden.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("enterprise reads an unannounced plan: %v", err)
		}
		if _, n, _ := st.Inspections().List(ctx, w.town, inspection.Filter{Status: inspection.Planned}); n != 1 {
			t.Fatalf("town lists %d planned", n)
		}
		// The checklist of the visit with the facts next to its items.
		cl, err := st.Inspections().Checklist(ctx, w.town, hidden)
		if err != nil || len(cl.Items) == 0 || cl.Facts.Roster != 1 {
			t.Fatalf("checklist: %+v %v", cl, err)
		}
		if err := st.Inspections().AddPhoto(ctx, w.town, hidden.ID, inspection.Photo{Item: "plan_supplies", Name: "a.jpg", SHA256: strings.Repeat("a", 64), Size: 3, ContentType: "image/jpeg"}); err != nil {
			t.Fatal(err)
		}
		// A failed item without a severity is refused; nothing is written.
		bad := completion(t, st, w.town, hidden, map[string]string{"plan_supplies": "bogus"})
		if _, _, err := st.Inspections().Complete(ctx, w.town, hidden.ID, bad); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("bad completion: %v", err)
		}
		done, orders, err := st.Inspections().Complete(ctx, w.town, hidden.ID, completion(t, st, w.town, hidden, map[string]string{"plan_supplies": inspection.Serious, "posts": inspection.General}))
		if err != nil || done.Result != inspection.Fail || len(orders) != 2 || done.Photos != 1 {
			t.Fatalf("complete: %+v %+v %v", done, orders, err)
		}
		if _, _, err := st.Inspections().Complete(ctx, w.town, hidden.ID, completion(t, st, w.town, hidden, nil)); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("recorded twice: %v", err)
		}
		// Now recorded, the enterprise sees it.
		if _, err := st.Inspections().Get(ctx, w.ent, hidden.ID); err != nil {
			t.Fatalf("enterprise reads the recorded visit: %v", err)
		}
		// Numbered in the unit's series, deadlines by severity (serious 3 days, general 7).
		year := 2020
		if orders[0].Serial != w.pol.RectificationSerial(year, 1) || orders[1].Serial != w.pol.RectificationSerial(year, 2) {
			t.Fatalf("serials: %s %s", orders[0].Serial, orders[1].Serial)
		}
		var serious, general rectify.Order
		for _, o := range orders {
			if o.Severity == inspection.Serious {
				serious = o
			} else {
				general = o
			}
		}
		loc := w.pol.Location()
		if got := serious.Deadline.In(loc).Format("2006-01-02 15:04"); got != "2020-03-05 23:59" {
			t.Errorf("serious deadline %s", got)
		}
		if got := general.Deadline.In(loc).Format("2006-01-02"); got != "2020-03-09" {
			t.Errorf("general deadline %s", got)
		}
		// The enterprise sees its orders; it answers; the town returns, then verifies.
		if _, n, err := st.Rectifications().List(ctx, w.ent, rectify.Filter{Status: "active"}); err != nil || n != 2 {
			t.Fatalf("enterprise's orders: %d %v", n, err)
		}
		step := func(p auth.Principal, id int64, action, text string) (rectify.Order, error) {
			return st.Rectifications().Transition(ctx, p, id, rectify.Request{Action: action, Text: text})
		}
		if _, err := step(w.town, general.ID, rectify.Respond, "x"); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("town answers: %v", err)
		}
		if o, err := step(w.ent, general.ID, rectify.Respond, "已与职工逐一签订承诺书"); err != nil || o.Status != rectify.Answered {
			t.Fatalf("respond: %+v %v", o, err)
		}
		if o, err := step(w.town, general.ID, rectify.Return, "缺少签字页照片"); err != nil || o.Status != rectify.Open || o.Comment != "缺少签字页照片" {
			t.Fatalf("return: %+v %v", o, err)
		}
		step(w.ent, general.ID, rectify.Respond, "已补签字页")
		if o, err := step(w.town, general.ID, rectify.Verify, ""); err != nil || o.Status != rectify.Closed || o.ClosedAt == nil {
			t.Fatalf("verify: %+v %v", o, err)
		}

		// The clock: the serious order is overdue after 2020-03-05; the daily escalation
		// raises it to the town, three days later to the county command.
		now = time.Date(2020, 3, 6, 1, 0, 0, 0, time.UTC)
		if _, err := step(w.town, serious.ID, rectify.Escalate, ""); err != nil {
			t.Fatalf("manual escalation of an overdue order: %v", err)
		}
		if n, err := st.Rectifications().EscalateDue(ctx); err != nil || n != 0 {
			t.Fatalf("escalate at level 1: %d %v", n, err)
		}
		now = time.Date(2020, 3, 9, 1, 0, 0, 0, time.UTC)
		if n, err := st.Rectifications().EscalateDue(ctx); err != nil || n != 1 {
			t.Fatalf("escalate to the county: %d %v", n, err)
		}
		if o, _ := st.Rectifications().Get(ctx, w.town, serious.ID); o.Level != 2 {
			t.Fatalf("level %d, want 2", o.Level)
		}
		if n, _ := st.Rectifications().EscalateDue(ctx); n != 0 {
			t.Fatal("escalation is idempotent")
		}
		// Each escalation alerts the units the policy names for an overdue order (the town
		// government under the default policy), to be acknowledged.
		if as, n, err := st.Alerts().List(ctx, w.town, alert.Filter{Open: true, Kind: policy.AlertRectificationOverdue}); err != nil || n != 2 || as[0].EnterpriseID != e.ID {
			t.Fatalf("the town's overdue alerts: %+v %d %v", as, n, err)
		}
		overdue, _, err := st.Rectifications().List(ctx, w.command, rectify.Filter{Overdue: true})
		if err != nil || len(overdue) != 1 || overdue[0].ID != serious.ID {
			t.Fatalf("overdue list: %+v %v", overdue, err)
		}
		// The command is told (its inbox).
		if items, _, _, err := db.ListNotifications(ctx, w.command.UserID, list.Page{Size: 100}); err != nil || !hasTitle(items, "逾期整改上报") {
			t.Fatalf("command's inbox: %v", err)
		}

		// 停产整顿: a spot check grades a failure as stop of production.
		spot, err := st.Inspections().Plan(ctx, w.town, inspection.Inspection{EnterpriseID: e.ID, Unit: "town_gov", Kind: policy.KindSpot, PlannedOn: "2020-03-09", Inspectors: "王检查"})
		if err != nil {
			t.Fatal(err)
		}
		_, stop, err := st.Inspections().Complete(ctx, w.town, spot.ID, completion(t, st, w.town, spot, map[string]string{"closed": inspection.Suspend}))
		if err != nil || len(stop) != 1 {
			t.Fatalf("stop: %+v %v", stop, err)
		}
		got, _ := db.GetEnterprise(ctx, w.town, e.ID)
		if got.Status != enterprise.Suspended {
			t.Fatalf("status %s, want suspended", got.Status)
		}
		if reason, err := st.Rectifications().SuspendedNotice(ctx, w.town, e.ID); err != nil || !strings.Contains(reason, stop[0].Serial) {
			t.Fatalf("notice suspended with the reason: %q %v", reason, err)
		}
		if r := scan(); r.Allow || r.Code != gate.NoNotice || !strings.Contains(r.Reason, "停产整顿") {
			t.Fatalf("gate during the stop: %+v", r)
		}
		if as, n, err := st.Alerts().List(ctx, w.town, alert.Filter{Kind: policy.AlertNoticeSuspended}); err != nil || n != 1 || !strings.Contains(as[0].Facts.Text, stop[0].Serial) {
			t.Fatalf("the town's alert of the stop: %+v %d %v", as, n, err)
		}
		// The public verification of the notice: not in force, not revoked.
		appID := notices(t, st, e.ID)
		if n, err := st.Applications().Notice(ctx, appID); err != nil || n == nil {
			t.Fatalf("notice: %v", err)
		} else if ns, err := st.Applications().Notices(ctx, appID, appID+100000); err != nil || len(ns) != 1 || ns[appID].ID != n.ID {
			t.Fatalf("notices of a page: %+v %v", ns, err)
		} else if v, err := st.Notices().Verify(ctx, sign.NoticeKind, n.ID); err != nil || !v.NotInForce || v.RevokedAt != nil {
			t.Fatalf("verify during the stop: %+v %v", v, err)
		}
		// The evidence alone does not lift it.
		step(w.ent, stop[0].ID, rectify.Respond, "已封闭其他通道")
		if _, err := step(w.town, stop[0].ID, rectify.Verify, ""); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("verify a stop on evidence: %v", err)
		}
		// A failed re-inspection keeps it; a passed one reinstates.
		re, _ := st.Inspections().Plan(ctx, w.town, inspection.Inspection{EnterpriseID: e.ID, Unit: "town_gov", Kind: policy.KindReinspection, PlannedOn: "2020-03-10", Inspectors: "王检查"})
		if _, _, err := st.Inspections().Complete(ctx, w.town, re.ID, completion(t, st, w.town, re, map[string]string{"closed": inspection.General})); err != nil {
			t.Fatal(err)
		}
		if r := scan(); r.Allow {
			t.Fatal("a failed re-inspection keeps the gate closed")
		}
		re2, _ := st.Inspections().Plan(ctx, w.town, inspection.Inspection{EnterpriseID: e.ID, Unit: "town_gov", Kind: policy.KindReinspection, PlannedOn: "2020-03-11", Inspectors: "王检查"})
		if _, _, err := st.Inspections().Complete(ctx, w.town, re2.ID, completion(t, st, w.town, re2, nil)); err != nil {
			t.Fatal(err)
		}
		if r := scan(); !r.Allow {
			t.Fatalf("after a passed re-inspection the gate allows: %+v", r)
		}
		got, _ = db.GetEnterprise(ctx, w.town, e.ID)
		if got.Status != enterprise.Resumed {
			t.Fatalf("status %s, want resumed", got.Status)
		}
		if o, _ := st.Rectifications().Get(ctx, w.town, stop[0].ID); o.Status != rectify.Closed {
			t.Fatalf("the stop order is closed by the re-inspection: %+v", o)
		}
		// Another enterprise's account sees none of it.
		other := auth.Principal{Username: "other", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: w.enterprises[1].ID}}
		if _, n, _ := st.Rectifications().List(ctx, other, rectify.Filter{}); n != 0 {
			t.Fatalf("another enterprise sees %d orders", n)
		}
		if _, err := st.Rectifications().Get(ctx, other, serious.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("another enterprise reads an order: %v", err)
		}
		// The plan: the enterprise was inspected today, so it is not overdue.
		due, err := st.Inspections().Due(ctx, w.town, false)
		if err != nil || len(due) != 1 || due[0].Due.Overdue {
			t.Fatalf("plan: %+v %v", due, err)
		}
		// Every step is audited.
		if n := countAudit(t, db, "rectification."); n < 8 {
			t.Errorf("%d rectification audit rows", n)
		}
	})
}

// notices is the id of the approved application of an enterprise.
func notices(t *testing.T, st *store.Store, entID int64) int64 {
	t.Helper()
	apps, _, err := st.Applications().List(ctx, auth.System, application.Filter{Status: application.StatusApproved})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		if a.EnterpriseID == entID {
			return a.ID
		}
	}
	t.Fatal("no approved application")
	return 0
}

func hasTitle(items []inbox.Message, title string) bool {
	for _, it := range items {
		if it.Title == title {
			return true
		}
	}
	return false
}

func countAudit(t *testing.T, db *store.DB, prefix string) int {
	t.Helper()
	return countAuditActions(t, db, prefix, "open", "respond", "return", "verify", "escalate")
}

// countAuditActions counts the audit rows of the actions prefix+action.
func countAuditActions(t *testing.T, db *store.DB, prefix string, actions ...string) int {
	t.Helper()
	n := 0
	for _, action := range actions {
		_, k, err := db.ListAudit(ctx, audit.Filter{Action: prefix + action})
		if err != nil {
			t.Fatal(err)
		}
		n += k
	}
	return n
}
