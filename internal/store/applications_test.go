package store_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/sign"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

func testSigner(t testing.TB) *sign.Signer {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return sign.NewSigner(priv)
}

// complete fills an application so that every check of the policy passes for e.
func complete(pol *policy.Policy, e enterprise.Enterprise, planned time.Time) application.Application {
	a := application.Application{EnterpriseID: e.ID, PlannedAt: planned,
		Returning: application.Returning{Local: 10},
		Supplies: []application.SupplyItem{{Item: application.ItemMasks, Quantity: 1000}, {Item: application.ItemThermometers, Quantity: 5},
			{Item: application.ItemDisinfectant, Quantity: 20}, {Item: application.ItemGloves, Quantity: 100}, {Item: application.ItemSuits, Quantity: 10},
			{Item: application.ItemAlcohol, Quantity: 10}},
		IsolationRooms: 1, Parts: map[string]bool{}, SelfCheck: map[string]bool{},
		Commitment: application.Commitment{SignedBy: "张三", SignedAt: planned.Add(-72 * time.Hour)},
	}
	for _, m := range pol.Materials {
		a.Parts[m.Code] = true
	}
	for _, c := range pol.Checklist {
		a.SelfCheck[c.Code] = true
	}
	return a
}

type workflowWorld struct {
	pol                                *policy.Policy
	signer                             *sign.Signer
	st                                 *store.Store // over the test's database, with pol and signer
	ent, town, grid, command, reviewer auth.Principal
	enterprises                        []enterprise.Enterprise
}

// workflowSeed makes a town with n enterprises of category "other" (reviewed by the town
// government in the default policy) and one user per acting role.
func workflowSeed(t *testing.T, db *store.DB, n int) workflowWorld {
	t.Helper()
	pol := policy.Default()
	db.Now = func() time.Time { return time.Date(2020, 2, 8, 1, 0, 0, 0, time.UTC) }
	if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402", Name: "县"}, {Code: "330402001", Name: "甲镇"}, {Code: "330402001001", Name: "一村"}}); err != nil {
		t.Fatal(err)
	}
	w := workflowWorld{pol: pol, signer: testSigner(t)}
	w.st = store.New(db, store.Config{Policy: pol, Signer: w.signer})
	for i := 0; i < n; i++ {
		e, err := db.CreateEnterprise(ctx, auth.System, enterprise.Enterprise{Name: fmt.Sprintf("企业%02d", i), USCC: uscc(t, 9000+i), Category: "other", RegionCode: "330402001001", Headcount: 50}, nil)
		if err != nil {
			t.Fatal(err)
		}
		w.enterprises = append(w.enterprises, e)
	}
	mk := func(name string, role auth.Role, scope string) auth.Principal {
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: name, Role: role, ScopeText: scope}, "password-1")
		if err != nil {
			t.Fatal(err)
		}
		return u.Principal()
	}
	w.ent = mk("ent", auth.Enterprise, fmt.Sprintf("enterprise:%d", w.enterprises[0].ID))
	w.town = mk("town", auth.Town, "region:330402001")
	w.grid = mk("grid", auth.Grid, "region:330402001001")
	w.command = mk("command", auth.Command, "region:330402001")
	return w
}

func TestApplicationWorkflow(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		e := w.enterprises[0]
		planned := time.Date(2020, 2, 12, 8, 0, 0, 0, time.UTC)
		a := complete(w.pol, e, planned)
		// A bad submission: too few masks, no isolation room; everything is said at once.
		bad := a
		bad.Supplies = []application.SupplyItem{{Item: application.ItemMasks, Quantity: 10}, {Item: application.ItemThermometers, Quantity: 1}, {Item: application.ItemDisinfectant, Quantity: 1}}
		bad.IsolationRooms = 0
		v, err := w.st.Applications().Create(ctx, w.ent, bad)
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.st.Applications().Transition(ctx, w.ent, v.ID, application.Request{Action: application.Submit})
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.Invalid || len(e.Problems) < 2 {
			t.Fatalf("bad submit: %v", err)
		}
		// A second application while one is open is refused.
		if _, err := w.st.Applications().Create(ctx, w.ent, a); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("second open application: %v", err)
		}
		a.ID = v.ID
		if v, err = w.st.Applications().Update(ctx, w.ent, a, v.Version); err != nil {
			t.Fatal(err)
		}
		step := func(p auth.Principal, act application.Action, req application.Request) application.Result {
			t.Helper()
			req.Action = act
			res, err := w.st.Applications().Transition(ctx, p, v.ID, req)
			if err != nil {
				t.Fatalf("%s by %s: %v", act, p.Role, err)
			}
			return res
		}
		step(w.ent, application.Submit, application.Request{})
		// Submitted applications are frozen.
		if _, err := w.st.Applications().Update(ctx, w.ent, a, 0); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("edit after submit: %v", err)
		}
		// The grid cannot act before the town has reviewed.
		if _, err := w.st.Applications().Transition(ctx, w.grid, v.ID, application.Request{Action: application.Pass}); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("grid out of turn: %v", err)
		}
		// The town's queue holds it.
		q, n, err := w.st.Applications().List(ctx, w.town, application.Filter{Mine: true})
		if err != nil || n != 1 || q[0].ID != v.ID {
			t.Fatalf("town queue: %+v %d %v", q, n, err)
		}
		// It is not overdue before its deadline; past it, the list of overdue reviews holds
		// it, as the dashboard counts it.
		if _, n, err := w.st.Applications().List(ctx, w.town, application.Filter{Overdue: true}); err != nil || n != 0 {
			t.Fatalf("overdue before the deadline: %d %v", n, err)
		}
		clock := db.Now
		db.Now = func() time.Time { return q[0].DueAt.Add(2 * time.Minute) }
		late, n, err := w.st.Applications().List(ctx, w.town, application.Filter{Overdue: true})
		db.Now = clock
		if err != nil || n != 1 || late[0].ID != v.ID || !late[0].Overdue(q[0].DueAt.Add(2*time.Minute)) {
			t.Fatalf("overdue past the deadline: %d %+v %v", n, late, err)
		}
		step(w.town, application.Accept, application.Request{Comment: "材料齐全"})
		// On-site acceptance: a failed item needs a note; fail sends it back.
		items := func(result string) []application.ItemResult {
			var out []application.ItemResult
			for _, c := range w.pol.Checklist {
				out = append(out, application.ItemResult{Code: c.Code, Result: result, Note: "未落实"})
			}
			return out
		}
		_, err = w.st.Applications().Transition(ctx, w.grid, v.ID, application.Request{Action: application.Pass,
			Acceptance: &application.Acceptance{Items: items("fail"), Opinion: "不合格", Signature: "李四"}})
		if apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("pass with failed items: %v", err)
		}
		// Without a photo the acceptance cannot pass.
		_, err = w.st.Applications().Transition(ctx, w.grid, v.ID, application.Request{Action: application.Pass,
			Acceptance: &application.Acceptance{Items: items("pass"), Opinion: "同意复工", Signature: "李四"}})
		if e, ok := apperr.As(err); !ok || e.Problems[0].Field != "photos" {
			t.Fatalf("pass without photos: %v", err)
		}
		// The enterprise cannot add on-site photos of its own.
		if err := w.st.Applications().AddAttachment(ctx, w.ent, v.ID, application.Attachment{Material: "inspection:x", Name: "x.jpg", SHA256: strings.Repeat("cd", 32), Size: 1, ContentType: "image/jpeg"}); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("enterprise adds an on-site photo: %v", err)
		}
		photo(t, w.st, w.pol, w.grid, v.ID)
		step(w.grid, application.Pass, application.Request{Acceptance: &application.Acceptance{Items: items("pass"), Opinion: "同意复工", Signature: "李四"}})
		res := step(w.command, application.Approve, application.Request{})
		if res.To != application.StatusApproved || res.Notice == nil || res.Notice.Serial == "" || res.Notice.Token == "" {
			t.Fatalf("approve: %+v", res)
		}
		claims, err := sign.NewVerifier(w.signer.PublicKey()).Verify(res.Notice.Token, time.Now())
		if err != nil || claims.ID != res.Notice.ID || claims.Serial != res.Notice.Serial {
			t.Fatalf("notice token: %+v %v", claims, err)
		}
		got, _ := db.GetEnterprise(ctx, auth.System, e.ID)
		if got.Status != enterprise.Resumed {
			t.Fatalf("enterprise status after approval: %s", got.Status)
		}
		// The notice in the answer is the notice as read later, credit code included.
		if read, err := w.st.Notices().Get(ctx, auth.System, res.Notice.ID); err != nil || res.Notice.USCC == "" || res.Notice.USCC != got.USCC || read.USCC != res.Notice.USCC {
			t.Fatalf("the approval's notice names the enterprise %q (read later %q, %v), want %q", res.Notice.USCC, read.USCC, err, got.USCC)
		}
		events, _ := w.st.Applications().Events(ctx, v.ID)
		if len(events) != 4 || events[3].PolicyVersion != w.pol.Version {
			t.Fatalf("events: %+v", events)
		}
		ins, _ := w.st.Applications().Acceptances(ctx, v.ID)
		if len(ins) != 1 || !ins[0].Passed {
			t.Fatalf("inspections: %+v", ins)
		}
		notes, total, unread, err := db.ListNotifications(ctx, w.ent.UserID, list.Page{})
		// The enterprise hears of every step it did not take itself: accepted (and so the
		// on-site acceptance scheduled), inspected, approved.
		if err != nil || total != 3 || unread != 3 || notes[0].Kind != "approved" || notes[2].Kind != "inspection_scheduled" {
			t.Fatalf("enterprise inbox: %+v %d %d %v", notes, total, unread, err)
		}
		// Each next actor was told what waited for them (TestTodosLeaveWhenDone and the
		// inbox test follow a to-do while it waits); the application has moved on since, so
		// each to-do is done and has left the inbox.
		for _, p := range []auth.Principal{w.town, w.grid, w.command} {
			notes, _, _, _ := db.ListNotifications(ctx, p.UserID, list.Page{})
			if len(notes) != 0 {
				t.Errorf("%s inbox after the approval: %+v", p.Role, notes)
			}
		}
		if err := db.MarkRead(ctx, w.ent.UserID, 0); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.UnreadCount(ctx, w.ent.UserID); n != 0 {
			t.Fatalf("unread after marking all read: %d", n)
		}
		// Revoking needs a reason, suspends the enterprise and shows online.
		if _, err := w.st.Applications().Transition(ctx, w.command, v.ID, application.Request{Action: application.Revoke}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("revoke without reason: %v", err)
		}
		step(w.command, application.Revoke, application.Request{Comment: "复查发现未落实测温"})
		st, err := w.st.Notices().Verify(ctx, sign.NoticeKind, res.Notice.ID)
		if err != nil || !st.Found || st.RevokedAt == nil {
			t.Fatalf("revoked notice: %+v %v", st, err)
		}
		if n, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit (%d rows): %v", n, err)
		}
	})
}

// 50 approvals at once give 50 distinct, gapless serial numbers.
func TestConcurrentApprovalsGapless(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		const n = 50
		w := workflowSeed(t, db, n)
		planned := time.Date(2020, 2, 12, 8, 0, 0, 0, time.UTC)
		ids := make([]int64, n)
		for i, e := range w.enterprises {
			v, err := w.st.Applications().Create(ctx, w.town, complete(w.pol, e, planned))
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = v.ID
			for _, s := range []struct {
				p   auth.Principal
				act application.Action
				in  *application.Acceptance
			}{{w.town, application.Submit, nil}, {w.town, application.Accept, nil}, {w.grid, application.Pass, passAll(w.pol)}} {
				if s.act == application.Pass {
					photo(t, w.st, w.pol, w.grid, v.ID)
				}
				if _, err := w.st.Applications().Transition(ctx, s.p, v.ID, application.Request{Action: s.act, Acceptance: s.in}); err != nil {
					t.Fatalf("%s: %v", s.act, err)
				}
			}
		}
		serials := make([]int, n)
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range ids {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				res, err := w.st.Applications().Transition(ctx, w.command, ids[i], application.Request{Action: application.Approve})
				errs[i] = err
				if err == nil {
					serials[i] = res.Notice.Seq
				}
			}(i)
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		sort.Ints(serials)
		for i, s := range serials {
			if s != i+1 {
				t.Fatalf("serials are not 1..%d: %v", n, serials)
			}
		}
		// Two reviewers acting on the same application at once: one wins, one conflicts.
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// photo records an on-site photo of the first checklist item, as the inspection page does.
func photo(t *testing.T, st *store.Store, pol *policy.Policy, p auth.Principal, id int64) {
	t.Helper()
	err := st.Applications().AddAttachment(ctx, p, id, application.Attachment{Material: "inspection:" + pol.Checklist[0].Code, Name: "现场.jpg",
		SHA256: strings.Repeat("ab", 32), Size: 1024, ContentType: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
}

func passAll(pol *policy.Policy) *application.Acceptance {
	in := &application.Acceptance{Opinion: "合格", Signature: "网格长"}
	for _, c := range pol.Checklist {
		in.Items = append(in.Items, application.ItemResult{Code: c.Code, Result: "pass"})
	}
	return in
}

func TestTwoReviewersOneWins(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		v, err := w.st.Applications().Create(ctx, w.ent, complete(w.pol, w.enterprises[0], time.Date(2020, 2, 12, 8, 0, 0, 0, time.UTC)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.st.Applications().Transition(ctx, w.ent, v.ID, application.Request{Action: application.Submit}); err != nil {
			t.Fatal(err)
		}
		v, _ = w.st.Applications().Get(ctx, w.town, v.ID)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, act := range []application.Action{application.Accept, application.Return} {
			wg.Add(1)
			go func(i int, act application.Action) {
				defer wg.Done()
				_, errs[i] = w.st.Applications().Transition(ctx, w.town, v.ID, application.Request{Action: act, Comment: "意见", Version: v.Version})
			}(i, act)
		}
		wg.Wait()
		won, lost := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case apperr.KindOf(err) == apperr.Conflict:
				lost++
			default:
				t.Fatalf("unexpected: %v", err)
			}
		}
		if won != 1 || lost != 1 {
			t.Fatalf("won %d lost %d", won, lost)
		}
	})
}
