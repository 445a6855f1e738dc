package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fugong/internal/alert"
	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/health"
	"fugong/internal/inbox"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// A fever alerts exactly the units the policy names (default: the town government, the
// town command, the county health bureau), each seeing the names its role may see; each
// acknowledges once. Out-of-city returners are reported to the origin class's units.
func TestAlertsReachThePolicysRecipients(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		st := w.st
		mk := func(name string, role auth.Role, scope string) auth.Principal {
			u, err := db.CreateUser(ctx, auth.System, auth.User{Username: name, DisplayName: name, Role: role, ScopeText: scope}, "password-1")
			if err != nil {
				t.Fatal(err)
			}
			return u.Principal()
		}
		dept := func(name, unit, code string) region.Department {
			d, err := db.SaveDepartment(ctx, auth.System, region.Department{Name: name, UnitCode: unit, RegionCode: code}, func(string) bool { return true })
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		healthBureau := mk("health", auth.Reviewer, fmt.Sprintf("dept:%d", dept("县卫健局", "county_health", "330402").ID))
		industry := mk("industry", auth.Reviewer, fmt.Sprintf("dept:%d", dept("县工信局", "county_industry", "330402").ID))
		county := mk("county", auth.Command, "region:330402")
		ent := w.enterprises[0]
		e, err := st.Roster().Create(ctx, w.ent, roster.Employee{Name: "张三丰", IDNumber: personID(t, 1), Origin: "local", ReturnDate: rosterDay(t, w.pol, "2020-02-01")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Health().Record(ctx, w.ent, []health.Reading{{EmployeeID: e.ID, Temperature: 38.2, Symptoms: []string{"cough"}}}); err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{ // principal → units that receive the fever
			"town": {"town_gov"}, "command": {"town_command"}, "health": {"county_health"},
			"grid": nil, "ent": nil, "industry": nil, "county": nil,
		}
		for _, p := range []auth.Principal{w.town, w.command, healthBureau, w.grid, w.ent, industry, county, auth.System} {
			got, n, err := st.Alerts().List(ctx, p, alert.Filter{Open: true})
			if err != nil {
				t.Fatal(err)
			}
			var units []string
			for _, a := range got {
				units = append(units, a.Unit)
				if a.Kind != policy.AlertFever || a.EnterpriseID != ent.ID || a.Facts.Temperature != 38.2 {
					t.Errorf("%s: alert %+v", p.Username, a)
				}
				// The health bureau's reviewer may not read rosters: the name is masked.
				wantName := "张三丰"
				if p.Role == auth.Reviewer {
					wantName = "张**"
				}
				if len(a.Facts.Persons) != 1 || a.Facts.Persons[0] != wantName {
					t.Errorf("%s sees persons %v, want %s", p.Username, a.Facts.Persons, wantName)
				}
			}
			if !slices.Equal(units, want[p.Username]) || n != len(want[p.Username]) {
				t.Errorf("%s receives %v (%d), want %v", p.Username, units, n, want[p.Username])
			}
		}
		// Each recipient's accounts find it in their inbox, without the person's name.
		open, _, _ := st.Alerts().List(ctx, w.town, alert.Filter{Open: true})
		id := open[0].ID
		inboxItem := func(p auth.Principal) (inbox.Message, bool) {
			t.Helper()
			items, _, _, err := db.ListNotifications(ctx, p.UserID, list.Page{Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range items {
				if strings.HasPrefix(m.Link, "/alerts#alert-") {
					return m, true
				}
			}
			return inbox.Message{}, false
		}
		for _, p := range []auth.Principal{w.town, w.command, healthBureau} {
			m, ok := inboxItem(p)
			if !ok || m.Kind != "todo" || !strings.Contains(m.Title, ent.Name) || strings.Contains(m.Title+m.Body, "张三丰") {
				t.Errorf("%s's inbox item: %+v %v", p.Username, m, ok)
			}
		}
		for _, p := range []auth.Principal{w.grid, w.ent, industry} {
			if m, ok := inboxItem(p); ok {
				t.Errorf("%s, not a recipient, has an inbox item: %+v", p.Username, m)
			}
		}
		// Acknowledged once by the town; the command's stays open.
		acked, err := st.Alerts().Ack(ctx, w.town, id)
		if err != nil || len(acked) != 1 || acked[0].AckedAt == nil || acked[0].AckedBy != "town" {
			t.Fatalf("ack: %+v %v", acked, err)
		}
		if m, ok := inboxItem(w.town); ok {
			t.Errorf("the town's inbox item stays after the ack: %+v", m)
		}
		if m, _ := inboxItem(w.command); m.Kind != "todo" {
			t.Errorf("the command's inbox item after the town's ack: %+v", m)
		}
		if _, err := st.Alerts().Ack(ctx, w.town, id); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("acknowledged twice: %v", err)
		}
		if _, err := st.Alerts().Ack(ctx, w.grid, id); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("acknowledged by a non-recipient: %v", err)
		}
		if n, _ := st.Alerts().OpenCount(ctx, w.town); n != 0 {
			t.Fatalf("town still has %d open", n)
		}
		if n, _ := st.Alerts().OpenCount(ctx, w.command); n != 1 {
			t.Fatalf("the command's is acknowledged by the town: %d open", n)
		}
		// A returner from another province is reported to the origin class's units
		// (default: the county health bureau and the community), with the list.
		if _, err := st.Roster().Create(ctx, w.ent, roster.Employee{Name: "李外省", IDNumber: personID(t, 2), Origin: policy.OriginOtherProvince,
			ReturnDate: rosterDay(t, w.pol, "2020-02-05")}); err != nil {
			t.Fatal(err)
		}
		got, _, err := st.Alerts().List(ctx, healthBureau, alert.Filter{Open: true, Kind: policy.AlertReturners})
		if err != nil || len(got) != 1 || got[0].Facts.Count != 1 || got[0].Facts.Persons[0] != "李**" {
			t.Fatalf("returners: %+v %v", got, err)
		}
		if got, _, _ := st.Alerts().List(ctx, w.town, alert.Filter{Kind: policy.AlertReturners}); len(got) != 0 {
			t.Fatalf("the town is not named for returners by the default policy: %+v", got)
		}
		// A second returner the same day joins that alert, and its inbox items say so,
		// unread again; once a recipient has acknowledged it, the next returner raises a
		// new one.
		first := got[0].ID
		readAll := func(p auth.Principal) {
			t.Helper()
			if err := db.MarkRead(ctx, p.UserID, 0); err != nil {
				t.Fatal(err)
			}
		}
		readAll(healthBureau)
		if _, err := st.Roster().Create(ctx, w.ent, roster.Employee{Name: "王省内", IDNumber: personID(t, 3), Origin: policy.OriginProvinceOtherCity,
			ReturnDate: rosterDay(t, w.pol, "2020-02-05")}); err != nil {
			t.Fatal(err)
		}
		got, _, err = st.Alerts().List(ctx, healthBureau, alert.Filter{Kind: policy.AlertReturners})
		if err != nil || len(got) != 1 || got[0].ID != first || got[0].Facts.Count != 2 || !slices.Equal(got[0].Facts.Persons, []string{"李**", "王**"}) ||
			!strings.Contains(got[0].Facts.Origin, "、") {
			t.Fatalf("the second returner: %+v %v", got, err)
		}
		items, _, _, err := db.ListNotifications(ctx, healthBureau.UserID, list.Page{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		joined := 0
		for _, m := range items {
			if m.Link == alert.InboxLink(first, got[0].Unit) {
				joined++
				if !strings.HasPrefix(m.Body, "2人") || m.ReadAt != nil {
					t.Errorf("the joined alert's inbox item: %+v", m)
				}
			}
		}
		if joined != 1 {
			t.Errorf("%d inbox items of the joined alert", joined)
		}
		if _, err := st.Alerts().Ack(ctx, healthBureau, first); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Roster().Create(ctx, w.ent, roster.Employee{Name: "赵外省", IDNumber: personID(t, 4), Origin: policy.OriginOtherProvince,
			ReturnDate: rosterDay(t, w.pol, "2020-02-05")}); err != nil {
			t.Fatal(err)
		}
		got, _, err = st.Alerts().List(ctx, healthBureau, alert.Filter{Open: true, Kind: policy.AlertReturners})
		if err != nil || len(got) != 1 || got[0].ID == first || got[0].Facts.Count != 1 {
			t.Fatalf("a returner after the acknowledgement: %+v %v", got, err)
		}
	})
}

// People entered at the same moment by several clerks of one enterprise are all written
// (on PostgreSQL two such transactions used to deadlock on the enterprise's row: see
// recountRoster), and as returners all end up in the day's alerts: a join waits for
// another (PostgreSQL locks the open alert), so no person is lost to a concurrent update.
func TestReturnersJoinConcurrently(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		d, err := db.SaveDepartment(ctx, auth.System, region.Department{Name: "县卫健局", UnitCode: "county_health", RegionCode: "330402"}, func(string) bool { return true })
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: "health", DisplayName: "health", Role: auth.Reviewer, ScopeText: fmt.Sprintf("dept:%d", d.ID)}, "password-1")
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		people := make([]roster.Employee, n)
		for i := range people {
			people[i] = roster.Employee{Name: fmt.Sprintf("外省%c", '甲'+rune(i)), IDNumber: personID(t, 10+i), Origin: policy.OriginOtherProvince,
				ReturnDate: rosterDay(t, w.pol, "2020-02-05")}
		}
		atOnce(t, n, func(i int) error {
			_, err := w.st.Roster().Create(ctx, w.ent, people[i])
			return err
		})
		alerts, _, err := w.st.Alerts().List(ctx, u.Principal(), alert.Filter{Kind: policy.AlertReturners})
		if err != nil {
			t.Fatal(err)
		}
		count, persons := 0, 0 // the reviewer sees the names masked: count them
		for _, a := range alerts {
			count += a.Facts.Count
			persons += len(a.Facts.Persons)
		}
		if count != n || persons != n {
			t.Fatalf("%d alerts hold a count of %d and %d persons, want %d", len(alerts), count, persons, n)
		}
	})
}
