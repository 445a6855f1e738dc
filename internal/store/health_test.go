package store_test

import (
	"fmt"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/health"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{"张三": "张*", "欧阳娜娜": "欧***", "李": "李", "": ""} {
		if got := roster.MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Without a resumption notice no pass is requested; readings are recorded regardless,
// and 50 concurrent check-ins are all durable on both engines.
func TestPassesAndConcurrentCheckIns(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		_, _, ea, _ := seed(t, db)
		pol := policy.Default()
		db.Now = func() time.Time { return time.Date(2020, 2, 20, 2, 0, 0, 0, time.UTC) }
		st := store.New(db, store.Config{Policy: pol})
		entA := auth.Principal{Username: "ea", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
		const n = 50
		ids := make([]int64, n)
		for i := range ids {
			e, err := st.Roster().Create(ctx, entA, roster.Employee{Name: "员工" + itoaTest(i), IDNumber: personID(t, 100+i), Origin: "local",
				ReturnDate: rosterDay(t, pol, "2020-02-10")})
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = e.ID
		}
		if _, err := st.Passes().Request(ctx, entA, []int64{ids[0]}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("pass without a notice: %v, want invalid", err)
		}
		atOnce(t, n, func(i int) error {
			_, err := st.Health().Record(ctx, entA, []health.Reading{{EmployeeID: ids[i], Temperature: 36.5, Checkpoint: "东门"}})
			return err
		})
		guard := auth.Principal{Username: "g", Role: auth.Guard, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
		// Nobody holds an active pass, so nobody is on the not-checked list.
		if un, err := st.Health().Unchecked(ctx, guard, 0, ""); err != nil || len(un) != 0 {
			t.Fatalf("not checked: %v %v", un, err)
		}
		var out []health.CheckResult
		// A batch of two with one fever: both recorded, a follow-up opened.
		out, err := st.Health().Record(ctx, guard, []health.Reading{{EmployeeID: ids[1], Temperature: 36.6}, {EmployeeID: ids[2], Temperature: 38.2}})
		if err != nil || len(out) != 2 || out[0].Fever || !out[1].Fever || out[1].FollowUpID == 0 || out[0].Source != health.SourceCheckpoint {
			t.Fatalf("batch: %+v %v", out, err)
		}
		fus, _, err := st.Health().FollowUps(ctx, entA, health.FollowUpFilter{OpenOnly: true})
		if err != nil || len(fus) != 1 || fus[0].EmployeeID != ids[2] {
			t.Fatalf("follow-ups: %+v %v", fus, err)
		}
		if _, err := st.Health().CloseFollowUp(ctx, entA, fus[0].ID, health.FollowUpClose{}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("close without outcome: %v", err)
		}
		// Two more fevers: the list pages, open ones first and then the newest, with the
		// enterprise's name; closing one answers that one, wherever it stands in the list.
		if _, err := st.Health().Record(ctx, guard, []health.Reading{{EmployeeID: ids[7], Temperature: 38.4}, {EmployeeID: ids[8], Temperature: 38.6}}); err != nil {
			t.Fatal(err)
		}
		page, all, err := st.Health().FollowUps(ctx, entA, health.FollowUpFilter{Page: list.Page{Number: 2, Size: 2}})
		if err != nil || all != 3 || len(page) != 1 || page[0].ID != fus[0].ID || page[0].EnterpriseName != ea.Name {
			t.Fatalf("the second page of follow-ups: %d %+v %v", all, page, err)
		}
		closed, err := st.Health().CloseFollowUp(ctx, entA, fus[0].ID, health.FollowUpClose{Isolation: "居家隔离", Outcome: "复查正常"})
		if err != nil || closed.ID != fus[0].ID || closed.ClosedAt == nil || closed.Outcome != "复查正常" {
			t.Fatalf("close: %+v %v", closed, err)
		}
		if _, open, err := st.Health().FollowUps(ctx, entA, health.FollowUpFilter{OpenOnly: true}); err != nil || open != 2 {
			t.Fatalf("open after the close: %d %v", open, err)
		}
		// A bad batch writes nothing.
		if _, err := st.Health().Record(ctx, guard, []health.Reading{{EmployeeID: ids[3], Temperature: 36.6}, {EmployeeID: ids[4], Temperature: 50}}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("bad batch: %v", err)
		}
		// Repeated declarations: the same value three days running is flagged.
		// A declaration is of oneself only: an account not linked to its person file
		// declares by its pass, a linked one for its own person.
		unlinked := auth.Principal{Username: "s", Role: auth.Staff, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: ea.ID}}
		if _, err := st.Health().Record(ctx, unlinked, []health.Reading{{EmployeeID: ids[5], Temperature: 36.4}}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("unlinked staff declaring for an employee id: %v", err)
		}
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: "staff-5", Role: auth.Staff, ScopeText: fmt.Sprintf("enterprise:%d", ea.ID)}, "correct horse")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Roster().LinkAccount(ctx, entA, ids[5], u.ID); err != nil {
			t.Fatal(err)
		}
		staff := u.Principal()
		if _, err := st.Health().Record(ctx, staff, []health.Reading{{EmployeeID: ids[6], Temperature: 39}}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("staff declaring a colleague's fever: %v", err)
		}
		for d := 0; d < 3; d++ {
			at := time.Date(2020, 2, 18+d, 1, 0, 0, 0, time.UTC)
			if _, err := st.Health().Record(ctx, staff, []health.Reading{{EmployeeID: ids[5], Temperature: 36.4, At: at}}); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := st.Health().Repeats(ctx, guard, 0)
		if err != nil || len(rep) != 1 || rep[0].EmployeeID != ids[5] || rep[0].Days != 3 {
			t.Fatalf("repeats: %+v %v", rep, err)
		}
		// Every acknowledged reading is there: 50 + 2 + 2 + 3.
		total, err := st.Health().ChecksOn(ctx, entA, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		if total != n+2+2+3 {
			t.Fatalf("%d readings stored, want %d", total, n+7)
		}
	})
}

func itoaTest(i int) string { return string(rune('A'+i/26)) + string(rune('a'+i%26)) }
