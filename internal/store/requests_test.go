package store_test

import (
	"fmt"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/region"
	"fugong/internal/request"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// An enterprise asks for help with logistics: the town's command answers within its
// deadline, another request is transferred and escalated, an urgent one goes overdue;
// the enterprise confirms and rates; other enterprises see nothing.
func TestRequests(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 2)
		now := time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		reqs := w.st.Requests()
		ent := w.enterprises[0]
		mk := func(name string, role auth.Role, scope string) auth.Principal {
			u, err := db.CreateUser(ctx, auth.System, auth.User{Username: name, Role: role, ScopeText: scope}, "password-1")
			if err != nil {
				t.Fatal(err)
			}
			return u.Principal()
		}
		other := mk("ent2", auth.Enterprise, fmt.Sprintf("enterprise:%d", w.enterprises[1].ID))
		county := mk("county", auth.Command, "region:330402")
		dept, err := db.SaveDepartment(ctx, auth.System, region.Department{Name: "甲镇经发办", RegionCode: "330402001", UnitCode: "econ_office"}, func(string) bool { return true })
		if err != nil {
			t.Fatal(err)
		}
		econ := mk("econ", auth.Reviewer, fmt.Sprintf("dept:%d", dept.ID))

		r, err := reqs.Raise(ctx, w.ent, request.Input{EnterpriseID: ent.ID, Kind: "logistics", Description: "原材料在高速口进不来,需要通行证"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Unit != "town_command" || r.RegionCode != "330402001" || !r.Due.Equal(now.AddDate(0, 0, 3)) || r.Status != request.Open {
			t.Fatalf("routed: %+v", r)
		}
		// Another enterprise neither lists nor reads it, nor raises for this one.
		if _, n, _ := reqs.List(ctx, other, request.Filter{}); n != 0 {
			t.Fatalf("another enterprise lists %d", n)
		}
		if _, err := reqs.Get(ctx, other, r.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("another enterprise reads it: %v", err)
		}
		if _, err := reqs.Raise(ctx, other, request.Input{EnterpriseID: ent.ID, Kind: "other", Description: "替别人提诉求"}); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("another enterprise raises for it: %v", err)
		}
		// The enterprise cannot answer its own; the department of another unit cannot either.
		if _, err := reqs.Act(ctx, w.ent, r.ID, request.Change{Action: request.Answer, Text: "x"}, 0); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("the enterprise answers: %v", err)
		}
		if _, err := reqs.Get(ctx, econ, r.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("another unit's department reads it: %v", err)
		}
		// The town (its command acts for it) answers within the deadline.
		got, err := reqs.Act(ctx, w.command, r.ID, request.Change{Action: request.Answer, Text: "已协调交警,通行证今天下午办好"}, 0)
		if err != nil || got.Status != request.Answered || got.AnsweredAt == nil || got.AnsweredAt.After(got.Due) {
			t.Fatalf("answer: %+v %v", got, err)
		}
		// The enterprise rates it, having been told in its inbox.
		if _, err := reqs.Act(ctx, w.ent, r.ID, request.Change{Action: request.Confirm}, 0); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("confirm without a rating: %v", err)
		}
		got, err = reqs.Act(ctx, w.ent, r.ID, request.Change{Action: request.Confirm, Rating: 5, Text: "解决得很快"}, 0)
		if err != nil || got.Status != request.Solved || got.Rating != 5 {
			t.Fatalf("confirm: %+v %v", got, err)
		}
		// A request transferred to the economic office, then escalated to the county.
		r2, err := reqs.Raise(ctx, w.town, request.Input{EnterpriseID: ent.ID, Kind: "approval", Description: "项目开工审批需要帮办", Urgent: true})
		if err != nil || r2.Unit != "town_gov" || !r2.Due.Equal(now.AddDate(0, 0, 1)) {
			t.Fatalf("raised on its behalf: %+v %v", r2, err)
		}
		if _, err := reqs.Act(ctx, w.town, r2.ID, request.Change{Action: request.Transfer, Unit: "econ_office"}, 0); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("transfer without a reason: %v", err)
		}
		if got, err = reqs.Act(ctx, w.town, r2.ID, request.Change{Action: request.Transfer, Unit: "econ_office", Text: "属经济发展事项"}, 0); err != nil || got.Unit != "econ_office" {
			t.Fatalf("transfer: %+v %v", got, err)
		}
		if _, err := reqs.Get(ctx, econ, r2.ID); err != nil {
			t.Fatalf("the economic office reads it: %v", err)
		}
		if got, err = reqs.Act(ctx, econ, r2.ID, request.Change{Action: request.Escalate, Text: "涉及县级审批权限"}, 0); err != nil || got.Unit != "county_command" || got.RegionCode != "330402" || !got.Escalated {
			t.Fatalf("escalate: %+v %v", got, err)
		}
		if _, err := reqs.Get(ctx, econ, r2.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("the office still reads it once escalated: %v", err)
		}
		// A day and an hour later it is overdue on the county's list.
		now = now.Add(25 * time.Hour)
		late, n, err := reqs.List(ctx, county, request.Filter{Overdue: true, Page: list.Page{}})
		if err != nil || n != 1 || late[0].ID != r2.ID || !late[0].Overdue {
			t.Fatalf("overdue on the county's list: %d %+v %v", n, late, err)
		}
		hist, err := reqs.History(ctx, w.ent, r2.ID)
		if err != nil || len(hist) != 3 {
			t.Fatalf("history: %d %v", len(hist), err)
		}
		// The inbox told the enterprise of the answer.
		if inbox, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM notifications WHERE kind = 'request_answered'`); err != nil || inbox == 0 {
			t.Fatalf("notifications: %d %v", inbox, err)
		}
	})
}
