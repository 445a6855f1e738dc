package store_test

import (
	"slices"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/appointment"
	"fugong/internal/policy"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The town publishes acceptance slots; the enterprise books one, which then fills; the town
// proposes another time that the enterprise accepts, then changes; a missed one is recorded.
func TestAppointments(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		now := time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		ap := w.st.Appointments()
		tomorrow := now.Add(24 * time.Hour)
		if _, err := ap.PublishSlot(ctx, w.ent, appointment.Slot{Unit: "town_gov", Service: appointment.Acceptance, StartsAt: tomorrow, EndsAt: tomorrow.Add(2 * time.Hour), Capacity: 1}); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("an enterprise publishes a slot: %v", err)
		}
		sl, err := ap.PublishSlot(ctx, w.town, appointment.Slot{Unit: "town_gov", Service: appointment.Acceptance, StartsAt: tomorrow, EndsAt: tomorrow.Add(2 * time.Hour), Capacity: 1, Place: "企业现场"})
		if err != nil || sl.RegionCode != "330402001" {
			t.Fatalf("publish: %+v %v", sl, err)
		}
		// A town's official offers times for the units it acts for, not a county's.
		if _, err := ap.PublishSlot(ctx, w.town, appointment.Slot{Unit: "county_command", Service: appointment.Acceptance, StartsAt: tomorrow, EndsAt: tomorrow.Add(2 * time.Hour), Capacity: 1}); !isProblemOf(err, "unit") {
			t.Fatalf("the town offers the county command's time: %v", err)
		}
		if units, err := ap.Units(ctx, w.town); err != nil || len(units) == 0 || slices.ContainsFunc(units, func(u policy.Unit) bool { return u.Level != "town" }) {
			t.Fatalf("the town's units: %+v %v", units, err)
		}
		slots, n, err := ap.Slots(ctx, w.ent, appointment.Filter{})
		if err != nil || n != 1 || !slots[0].Free(now) {
			t.Fatalf("the enterprise's slots: %d %+v %v", n, slots, err)
		}
		a, err := ap.Book(ctx, w.ent, sl.ID, 0, "请带验收表")
		if err != nil || a.Status != appointment.Booked || !a.StartsAt.Equal(tomorrow) {
			t.Fatalf("book: %+v %v", a, err)
		}
		if _, err := ap.Book(ctx, w.ent, sl.ID, 0, ""); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("a full slot: %v", err)
		}
		// The town sees it and, once it has passed, records it as missed.
		if _, n, _ := ap.List(ctx, w.town, appointment.Filter{}); n != 1 {
			t.Fatalf("the town lists %d", n)
		}
		if _, err := ap.Act(ctx, w.town, a.ID, appointment.Miss, "", time.Time{}, time.Time{}, 0); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("missed before the time: %v", err)
		}
		now = tomorrow.Add(3 * time.Hour)
		if got, err := ap.Act(ctx, w.town, a.ID, appointment.Miss, "", time.Time{}, time.Time{}, 0); err != nil || got.Status != appointment.Missed {
			t.Fatalf("missed: %+v %v", got, err)
		}
		// The town proposes a new time; the enterprise accepts, then moves it.
		next := now.Add(24 * time.Hour)
		p, err := ap.Propose(ctx, w.town, appointment.Appointment{EnterpriseID: w.enterprises[0].ID, Unit: "town_gov", Service: appointment.Acceptance,
			StartsAt: next, EndsAt: next.Add(time.Hour), Place: "企业现场"})
		if err != nil || p.Status != appointment.Proposed {
			t.Fatalf("propose: %+v %v", p, err)
		}
		if _, err := ap.Act(ctx, w.town, p.ID, appointment.Accept, "", time.Time{}, time.Time{}, 0); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("the town accepts its own proposal: %v", err)
		}
		if got, err := ap.Act(ctx, w.ent, p.ID, appointment.Accept, "", time.Time{}, time.Time{}, 0); err != nil || got.Status != appointment.Booked {
			t.Fatalf("accept: %+v %v", got, err)
		}
		moved := next.Add(24 * time.Hour)
		got, err := ap.Act(ctx, w.ent, p.ID, appointment.Change, "设备安装未完成", moved, moved.Add(time.Hour), 0)
		if err != nil || got.Changes != 1 || !got.StartsAt.Equal(moved) {
			t.Fatalf("change: %+v %v", got, err)
		}
		if n, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM notifications WHERE kind = 'appointment'`); err != nil || n < 3 {
			t.Fatalf("reminders in the inbox: %d %v", n, err)
		}
		// The day before, both sides are reminded, once; not two days before.
		reminders := func() int {
			n, err := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM notifications WHERE kind = 'appointment' AND title LIKE '预约提醒:明天%'`)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n, err := ap.Remind(ctx, moved.Add(-48*time.Hour)); err != nil || n != 0 || reminders() != 0 {
			t.Fatalf("reminded two days before: %d %v", n, err)
		}
		if n, err := ap.Remind(ctx, moved.Add(-24*time.Hour)); err != nil || n != 1 {
			t.Fatalf("remind the day before: %d %v", n, err)
		}
		if got := reminders(); got != 2 { // the enterprise's account and the town's
			t.Fatalf("%d reminders in the inbox, want 2", got)
		}
		if n, err := ap.Remind(ctx, moved.Add(-23*time.Hour)); err != nil || n != 0 || reminders() != 2 {
			t.Fatalf("reminded twice: %d %v", n, err)
		}
	})
}

// isProblemOf reports whether err is a refusal of field alone.
func isProblemOf(err error, field string) bool {
	e, ok := apperr.As(err)
	return ok && e.Kind == apperr.Invalid && len(e.Problems) == 1 && e.Problems[0].Field == field
}
