package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fugong/internal/appointment"
	"fugong/internal/auth"
)

// appointment has town A offer an acceptance slot tomorrow and enterprise A book it; it
// returns the appointment's id.
func (w *world) appointment(t *testing.T) int64 {
	t.Helper()
	start := w.db.DB.Now().Add(24 * time.Hour).Truncate(time.Hour)
	sl, err := w.db.Appointments().PublishSlot(w.ctx, w.users[auth.Town].Principal(), appointment.Slot{Unit: "town_gov", Service: appointment.Acceptance,
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), Capacity: 3, Place: "企业现场"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.db.Appointments().Book(w.ctx, w.users[auth.Enterprise].Principal(), sl.ID, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// An enterprise books its acceptance slot on the page; the town sees the booking and the
// reminder; the enterprise moves it, the town records it held.
func TestAppointmentJourney(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		now := time.Now().UTC().Truncate(time.Minute)
		w.db.DB.Now = func() time.Time { return now }
		start := now.Add(48 * time.Hour).Truncate(time.Hour)
		var sl struct{ ID int64 }
		if st := w.api(auth.Town, "POST", "/api/v1/appointment-slots", map[string]any{"unit": "town_gov", "service": "acceptance",
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(2 * time.Hour).Format(time.RFC3339), "capacity": 1, "place": "企业现场"}, &sl); st != http.StatusCreated {
			t.Fatalf("offer: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", "/api/v1/appointment-slots", map[string]any{"unit": "town_gov"}, nil); st != http.StatusForbidden {
			t.Errorf("an enterprise offers a slot: %d", st)
		}
		// The town offers times for its own units only: the form lists them, and another
		// unit is refused at its field.
		if _, page := w.login(auth.Town).get("/appointments"); !strings.Contains(page, `<option value="town_gov"`) || strings.Contains(page, `<option value="county_command"`) {
			t.Errorf("the town's form offers units it does not act for")
		}
		if st := w.api(auth.Town, "POST", "/api/v1/appointment-slots", map[string]any{"unit": "county_command", "service": "acceptance",
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(2 * time.Hour).Format(time.RFC3339), "capacity": 1}, nil); st != http.StatusUnprocessableEntity {
			t.Errorf("the town offers the county command's time: %d", st)
		}
		ent := w.login(auth.Enterprise)
		if rows := exported(t, w.login(auth.Town), "/appointments/export", "企业名称", "状态"); len(rows) != 0 {
			t.Errorf("the appointments' export before any booking: %v", rows)
		}
		st, b := ent.get("/appointments")
		if st != http.StatusOK || !strings.Contains(b, `data-book="`+itoa(sl.ID)+`"`) {
			t.Fatalf("the enterprise's page: %d", st)
		}
		if st, _ := ent.post("/appointments", url.Values{"slot_id": {itoa(sl.ID)}}); st != http.StatusSeeOther {
			t.Fatalf("book: %d", st)
		}
		var list struct {
			Items []struct {
				ID      int64
				Status  string
				Changes int
			}
		}
		if w.api(auth.Town, "GET", "/api/v1/appointments", nil, &list); len(list.Items) != 1 || list.Items[0].Status != "booked" {
			t.Fatalf("the town's list: %+v", list)
		}
		// The slot is now full: another enterprise's booking is refused.
		if st, b := ent.post("/appointments", url.Values{"slot_id": {itoa(sl.ID)}}); st != http.StatusConflict || !strings.Contains(b, "约满") {
			t.Errorf("a full slot: %d", st)
		}
		town := w.login(auth.Town)
		if _, b := town.get("/inbox"); !strings.Contains(b, "企业已预约") {
			t.Errorf("no reminder in the town's inbox")
		}
		id := itoa(list.Items[0].ID)
		moved := start.Add(24 * time.Hour)
		if st := w.api(auth.Enterprise, "POST", "/api/v1/appointments/"+id+"/transitions", map[string]any{"action": "change", "comment": "设备未到",
			"starts_at": moved.Format(time.RFC3339), "ends_at": moved.Add(time.Hour).Format(time.RFC3339)}, nil); st != http.StatusOK {
			t.Fatalf("change: %d", st)
		}
		now = moved.Add(2 * time.Hour)
		town = w.login(auth.Town)
		if st, _ := town.post("/appointments/"+id+"/transitions", url.Values{"action": {"done"}}); st != http.StatusSeeOther {
			t.Fatalf("held: %d", st)
		}
		if w.api(auth.Town, "GET", "/api/v1/appointments", nil, &list); list.Items[0].Status != "done" || list.Items[0].Changes != 1 {
			t.Fatalf("after: %+v", list)
		}
		// The register of appointments holds it, held, moved once.
		if rows := exported(t, town, "/appointments/export", "企业名称", "状态", "改约次数"); len(rows) != 1 || rows[0]["企业名称"] == "" ||
			rows[0]["状态"] != "已办结" || rows[0]["改约次数"] != "1" {
			t.Errorf("the appointments' export: %v", rows)
		}
	})
}
