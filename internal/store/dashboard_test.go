package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/dashboard"
	"fugong/internal/enterprise"
	"fugong/internal/health"
	"fugong/internal/ledger"
	"fugong/internal/list"
	"fugong/internal/region"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The dashboard's figures against a fixture counted by hand: three enterprises in 甲镇,
// one in 乙镇; five people of the first enterprise in every phase, two of them with passes,
// checked and admitted; then a fever (a suspension follows) and a confirmed daily report.
// A town sees its own figures only, even as a sum; the county sees both towns.
func TestDashboardFigures(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 3)
		approveFirst(t, db, w)
		pol := w.pol
		st := store.New(db, store.Config{Policy: pol, Signer: w.signer})
		if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402002", Name: "乙镇"}, {Code: "330402002001", Name: "二村"}}); err != nil {
			t.Fatal(err)
		}
		other, err := db.CreateEnterprise(ctx, auth.System, enterprise.Enterprise{Name: "乙镇企业", USCC: uscc(t, 9900), Category: "other", RegionCode: "330402002001", Headcount: 10}, nil)
		if err != nil {
			t.Fatal(err)
		}
		mk := func(name string, role auth.Role, scope string) auth.Principal {
			u, err := db.CreateUser(ctx, auth.System, auth.User{Username: name, Role: role, ScopeText: scope}, "password-1")
			if err != nil {
				t.Fatal(err)
			}
			return u.Principal()
		}
		county := mk("county", auth.Command, "region:330402")
		town2 := mk("town2", auth.Town, "region:330402002")
		guard := mk("guard", auth.Guard, fmt.Sprintf("enterprise:%d", w.enterprises[0].ID))

		at := func(day string, h int) time.Time {
			return rosterDay(t, pol, day).Add(time.Duration(h) * time.Hour).UTC()
		}
		db.Now = func() time.Time { return at("2020-02-15", 9) }
		person := func(name, origin, back string, n int) int64 {
			e := roster.Employee{Name: name, IDNumber: personID(t, n), Origin: origin}
			if back != "" {
				e.ReturnDate = rosterDay(t, pol, back)
			}
			got, err := st.Roster().Create(ctx, w.ent, e)
			if err != nil {
				t.Fatal(err)
			}
			return got.ID
		}
		cleared := person("本地", "local", "2020-02-01", 1)
		monitored := person("市内", "city_other_district", "2020-02-10", 2)
		person("省内", "province_other_city", "2020-02-14", 3)
		person("省外", "other_province", "", 4)
		person("未返", "local", "2020-02-20", 5)
		tokens := map[int64]string{}
		for _, id := range []int64{cleared, monitored} {
			req, err := st.Passes().Request(ctx, w.ent, []int64{id})
			if err != nil {
				t.Fatal(err)
			}
			ps, err := st.Passes().Approve(ctx, w.grid, []int64{req[0].ID})
			if err != nil {
				t.Fatal(err)
			}
			tokens[id] = ps[0].Token
			if _, err := st.Health().Record(ctx, w.ent, []health.Reading{{EmployeeID: id, Temperature: 36.5}}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Gate().Scan(ctx, guard, ps[0].Token, nil, ""); err != nil {
				t.Fatal(err)
			}
		}
		figures := func(p auth.Principal, f dashboard.Filter) dashboard.Figures {
			t.Helper()
			got, err := st.Dashboard().Figures(ctx, p, f)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		town := figures(w.town, dashboard.Filter{})
		want := dashboard.Figures{Registered: 3, WithNotice: 1, Staff: 5, OnSite: 2,
			Phases:   dashboard.Phases{Isolating: 1, Monitoring: 1, Cleared: 1, NotBack: 2},
			Readings: 2, Owed: 3 * pol.Health.ChecksPerDay, ReportsDue: 1}
		check := func(name string, got, want dashboard.Figures) {
			t.Helper()
			if got.Registered != want.Registered || got.WithNotice != want.WithNotice || got.Staff != want.Staff || got.OnSite != want.OnSite ||
				got.Phases != want.Phases || got.Readings != want.Readings || got.Owed != want.Owed || got.Fevers != want.Fevers ||
				got.Followups != want.Followups || got.Reports != want.Reports || got.ReportsDue != want.ReportsDue || got.Overdue != want.Overdue || got.LowCover != want.LowCover {
				t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
			}
		}
		check("town", town, want)
		if town.ByStatus["resumed"] != 1 || town.ByStatus["not_resumed"] != 2 || town.Passes["active"] != 2 || town.Apps["approved"] != 1 {
			t.Errorf("town by status %v, passes %v, applications %v", town.ByStatus, town.Passes, town.Apps)
		}
		if r := town.ByEnterprises(); r != (dashboard.Rate{N: 1, D: 3}) {
			t.Errorf("rate by enterprises %+v", r)
		}
		if r := town.ByWorkers(); r.String() != "40%" {
			t.Errorf("rate by workers %s", r)
		}

		// The other town sees its one enterprise and nothing of 甲镇, not even as a sum.
		check("town2", figures(town2, dashboard.Filter{}), dashboard.Figures{Registered: 1})
		if _, err := st.Dashboard().Figures(ctx, town2, dashboard.Filter{Region: "330402001"}); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("town2 asking for 甲镇: %v", err)
		}
		if _, err := st.Dashboard().Breakdown(ctx, town2, dashboard.Filter{Region: "330402001"}, dashboard.ByRegion, "zh"); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("town2 breakdown of 甲镇: %v", err)
		}
		if _, err := st.Dashboard().Figures(ctx, w.ent, dashboard.Filter{}); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("an enterprise reads the dashboard: %v", err)
		}

		// The county: both towns, and one row per town.
		all := want
		all.Registered = 4
		check("county", figures(county, dashboard.Filter{}), all)
		rows, err := st.Dashboard().Breakdown(ctx, county, dashboard.Filter{}, dashboard.ByRegion, "zh")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Key != "330402001" || rows[0].Name != "甲镇" || rows[0].Registered != 3 || rows[0].WithNotice != 1 ||
			rows[0].Staff != 5 || rows[0].OnSite != 2 || rows[1].Key != "330402002" || rows[1].Registered != 1 || rows[1].Staff != 0 {
			t.Errorf("county by town: %+v", rows)
		}
		// Drilled into 甲镇: its village.
		rows, err = st.Dashboard().Breakdown(ctx, county, dashboard.Filter{Region: "330402001"}, dashboard.ByRegion, "zh")
		if err != nil || len(rows) != 1 || rows[0].Key != "330402001001" || rows[0].Name != "一村" || rows[0].Registered != 3 {
			t.Errorf("甲镇 by village: %+v %v", rows, err)
		}
		// By category and by reviewing unit: every enterprise is "other", outside a park.
		rows, err = st.Dashboard().Breakdown(ctx, county, dashboard.Filter{}, dashboard.ByUnit, "zh")
		unit := dashboard.UnitOf(pol, dashboard.RouteGroup{Category: "other"})
		if err != nil || len(rows) != 1 || rows[0].Key != unit || rows[0].Registered != 4 {
			t.Errorf("by unit %q: %+v %v", unit, rows, err)
		}
		if f := figures(county, dashboard.Filter{Unit: unit}); f.Registered != 4 {
			t.Errorf("filtered by unit: %d", f.Registered)
		}
		if f := figures(county, dashboard.Filter{Category: "other", Region: "330402002"}); f.Registered != 1 || f.Staff != 0 {
			t.Errorf("filtered by category and town: %+v", f)
		}

		// A fever: the person is counted once, a follow-up opens, the pass is suspended.
		if _, err := st.Health().Record(ctx, w.ent, []health.Reading{{EmployeeID: monitored, Temperature: 38.2}}); err != nil {
			t.Fatal(err)
		}
		want.Readings, want.Fevers, want.Followups = 3, 1, 1
		town = figures(w.town, dashboard.Filter{})
		check("after a fever", town, want)
		if town.Passes["active"] != 1 || town.Passes["suspended"] != 1 {
			t.Errorf("passes after a fever: %v", town.Passes)
		}
		// The enterprise confirms its daily report.
		if _, err := st.Ledgers().ConfirmDailyReport(ctx, w.ent, 0, "2020-02-15", ""); err != nil {
			t.Fatal(err)
		}
		// Nothing in the supplies ledger: the masks last no day, below the reserve.
		want.Reports, want.LowCover = 1, 1
		check("after the report", figures(w.town, dashboard.Filter{}), want)

		// The trend: earlier days rolled up from history, today live.
		trend, err := st.Dashboard().Trend(ctx, county, dashboard.Filter{}, 8)
		if err != nil {
			t.Fatal(err)
		}
		if len(trend) != 8 || trend[0].Key != "2020-02-08" || trend[7].Key != "2020-02-15" {
			t.Fatalf("trend days: %+v", trend)
		}
		if d := trend[6]; d.Registered != 4 || d.WithNotice != 1 || d.Staff != 0 {
			t.Errorf("2020-02-14 rolled up: %+v", d)
		}
		if d := trend[7]; d.Registered != 4 || d.WithNotice != 1 || d.Staff != 5 || d.OnSite != 2 || d.Fevers != 1 {
			t.Errorf("today live: %+v", d)
		}
		// Rolled up once: a second read gives the same.
		again, err := st.Dashboard().Trend(ctx, town2, dashboard.Filter{}, 8)
		if err != nil || again[6].Registered != 1 || again[6].WithNotice != 0 {
			t.Errorf("town2's trend: %+v %v", again, err)
		}
		// A past day counts as it stood at its end: on 2020-02-14 nobody was on the roster.
		past := figures(county, dashboard.Filter{Day: "2020-02-14"})
		if past.Registered != 4 || past.Staff != 0 || past.WithNotice != 1 || past.OnSite != 0 {
			t.Errorf("2020-02-14: %+v", past)
		}
		if _, err := st.Dashboard().Figures(ctx, county, dashboard.Filter{Day: "2020-03-01"}); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("a day to come: %v", err)
		}
		// The statistics table of the county: one row per town and category.
		stats, err := st.Dashboard().Statistics(ctx, county, dashboard.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(stats) != 2 {
			t.Fatalf("statistics: %+v", stats)
		}
		if r := stats[0]; r.Region != "330402001" || r.RegionName != "甲镇" || r.Category != "other" || r.Registered != 3 || r.Filed != 1 || r.Approved != 1 ||
			r.Resumed != 1 || r.Staff != 5 || r.Back != 3 || r.OnSite != 2 {
			t.Errorf("甲镇: %+v", r)
		}
		if r := stats[1]; r.RegionName != "乙镇" || r.Registered != 1 || r.Filed != 0 || r.Staff != 0 {
			t.Errorf("乙镇: %+v", r)
		}
		if s2, err := st.Dashboard().Statistics(ctx, town2, dashboard.Filter{}); err != nil || len(s2) != 1 || s2[0].Region != "330402002001" || s2[0].Registered != 1 {
			t.Errorf("town2's statistics: %+v %v", s2, err)
		}
		filings, err := st.Dashboard().Filings(ctx, county, dashboard.Filter{})
		if err != nil || len(filings) != 1 || filings[0].EnterpriseID != w.enterprises[0].ID || filings[0].Serial == "" || filings[0].Status != "approved" {
			t.Errorf("filings: %+v %v", filings, err)
		}
		if f2, err := st.Dashboard().Filings(ctx, town2, dashboard.Filter{}); err != nil || len(f2) != 0 {
			t.Errorf("town2's filings: %+v %v", f2, err)
		}
		// The registers of the day: the gate's (by checkpoint) and the temperatures'.
		if _, err := st.Gate().Scan(ctx, guard, tokens[cleared], nil, "东门"); err != nil {
			t.Fatal(err)
		}
		gates, total, points, err := st.GateRegister(ctx, w.town, ledger.RegisterFilter{})
		if err != nil || total != 3 || len(gates) != 3 || gates[0].Checkpoint != "东门" || gates[0].EnterpriseName != "企业00" || len(points) != 1 || points[0] != "东门" {
			t.Errorf("gate register: %d %+v %v %v", total, gates, points, err)
		}
		if _, total, _, err := st.GateRegister(ctx, w.town, ledger.RegisterFilter{Checkpoint: "东门"}); err != nil || total != 1 {
			t.Errorf("gate register at 东门: %d %v", total, err)
		}
		if _, total, _, err := st.GateRegister(ctx, w.town, ledger.RegisterFilter{Day: "2020-02-14"}); err != nil || total != 0 {
			t.Errorf("gate register of the day before: %d %v", total, err)
		}
		if _, total, _, err := st.GateRegister(ctx, town2, ledger.RegisterFilter{}); err != nil || total != 0 {
			t.Errorf("town2's gate register: %d %v", total, err)
		}
		temps, total, _, err := st.TemperatureRegister(ctx, w.town, ledger.RegisterFilter{})
		if err != nil || total != 3 || temps[0].Temperature != 38.2 || !temps[0].Fever || temps[0].Name == "市内" {
			t.Errorf("temperature register: %d %+v %v", total, temps, err)
		}
		if _, total, _, err := st.TemperatureRegister(ctx, w.town, ledger.RegisterFilter{Fever: true}); err != nil || total != 1 {
			t.Errorf("fevers only: %d %v", total, err)
		}
		if _, _, _, err := st.TemperatureRegister(ctx, w.town, ledger.RegisterFilter{Day: "2020-02-16"}); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("a day to come: %v", err)
		}
		_ = other
	})
}

// A to-do leaves the inbox once the application it points to has moved on: each actor
// holds one while the application waits for them, and none after their step; the
// enterprise's news stays.
func TestTodosLeaveWhenDone(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		kinds := func(p auth.Principal) string {
			t.Helper()
			items, _, _, err := db.ListNotifications(ctx, p.UserID, list.Page{})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range items {
				out = append(out, m.Kind)
			}
			return strings.Join(out, ",")
		}
		v, err := w.st.Applications().Create(ctx, w.ent, complete(w.pol, w.enterprises[0], time.Date(2020, 2, 12, 8, 0, 0, 0, time.UTC)))
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			p   auth.Principal
			act application.Action
		}{{w.ent, application.Submit}, {w.town, application.Accept}, {w.grid, application.Pass}, {w.command, application.Approve}}
		for i, s := range steps {
			if i > 0 && kinds(s.p) != "todo" {
				t.Errorf("before %s, %s holds %q", s.act, s.p.Username, kinds(s.p))
			}
			req := application.Request{Action: s.act}
			if s.act == application.Pass {
				photo(t, w.st, w.pol, w.grid, v.ID)
				req.Acceptance = passAll(w.pol)
			}
			if _, err := w.st.Applications().Transition(ctx, s.p, v.ID, req); err != nil {
				t.Fatalf("%s: %v", s.act, err)
			}
			if i > 0 && kinds(s.p) != "" {
				t.Errorf("after %s, %s holds %q", s.act, s.p.Username, kinds(s.p))
			}
		}
		if got := kinds(w.ent); got == "" || strings.Contains(got, "todo") {
			t.Errorf("the enterprise's news: %q", got)
		}
	})
}

// The daily reports roll up village → town → county: each level sees the enterprises
// asked (those allowed to produce) that have not reported, and confirms its own summary
// once — with a note while some are missing; the level above sees it confirmed.
func TestReportRollup(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 3)
		approveFirst(t, db, w)
		st := store.New(db, store.Config{Policy: w.pol, Signer: w.signer})
		if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402002", Name: "乙镇"}, {Code: "330402002001", Name: "二村"}}); err != nil {
			t.Fatal(err)
		}
		resume := func(e enterprise.Enterprise) {
			e.Status = enterprise.Resumed
			if _, err := db.UpdateEnterprise(ctx, auth.System, e, 0, nil); err != nil {
				t.Fatal(err)
			}
		}
		resume(w.enterprises[1])
		other, err := db.CreateEnterprise(ctx, auth.System, enterprise.Enterprise{Name: "乙镇企业", USCC: uscc(t, 9901), Category: "other", RegionCode: "330402002001"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		resume(other)
		mk := func(name string, role auth.Role, scope string) auth.Principal {
			u, err := db.CreateUser(ctx, auth.System, auth.User{Username: name, Role: role, ScopeText: scope}, "password-1")
			if err != nil {
				t.Fatal(err)
			}
			return u.Principal()
		}
		county := mk("county", auth.Command, "region:330402")
		town2 := mk("town2", auth.Town, "region:330402002")
		db.Now = func() time.Time { return rosterDay(t, w.pol, "2020-02-15").Add(20 * time.Hour).UTC() }
		day := "2020-02-15"
		roll := func(p auth.Principal, code string) dashboard.Rollup {
			t.Helper()
			r, err := st.Dashboard().Rollup(ctx, p, code, day)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		names := func(us []dashboard.Unreported) string {
			var out []string
			for _, u := range us {
				out = append(out, u.Name)
			}
			return strings.Join(out, ",")
		}
		// The village: two enterprises asked (企业02 may not resume and is not asked).
		v := roll(w.grid, "")
		if v.Region != "330402001001" || len(v.Lines) != 1 || v.Total.Due != 2 || v.Total.Reported != 0 || names(v.Unreported) != "企业00,企业01" {
			t.Fatalf("village: %+v", v)
		}
		if _, err := st.Ledgers().ConfirmDailyReport(ctx, w.ent, 0, day, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Dashboard().ConfirmSummary(ctx, w.grid, day, ""); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("summary with one missing and no note: %v", err)
		}
		s, err := st.Dashboard().ConfirmSummary(ctx, w.grid, day, "企业01电话报送")
		if err != nil || s.Due != 2 || s.Reported != 1 || s.Region != "330402001001" {
			t.Fatalf("village summary: %+v %v", s, err)
		}
		if _, err := st.Dashboard().ConfirmSummary(ctx, w.grid, day, "again"); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("twice: %v", err)
		}
		// The town: its village, summarized.
		tw := roll(w.town, "")
		if len(tw.Lines) != 1 || tw.Lines[0].Key != "330402001001" || tw.Lines[0].Name != "一村" || !tw.Lines[0].Summarized ||
			tw.Total.Due != 2 || tw.Total.Reported != 1 || names(tw.Unreported) != "企业01" || tw.Summary != nil {
			t.Errorf("town: %+v", tw)
		}
		// The county: both towns, the second not summarized.
		c := roll(county, "")
		if len(c.Lines) != 2 || c.Lines[0].Name != "甲镇" || c.Lines[1].Name != "乙镇" || c.Lines[1].Due != 1 || c.Lines[1].Reported != 0 ||
			c.Lines[0].Summarized || c.Total.Due != 3 || names(c.Unreported) != "乙镇企业,企业01" && names(c.Unreported) != "企业01,乙镇企业" {
			t.Errorf("county: %+v", c)
		}
		// Drilled into the village from the county: its summary is there.
		if v := roll(county, "330402001001"); v.Summary == nil || v.Summary.Note != "企业01电话报送" {
			t.Errorf("the village seen from the county: %+v", v.Summary)
		}
		// Another town sees nothing of 甲镇.
		if _, err := st.Dashboard().Rollup(ctx, town2, "330402001", day); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("town2 reads 甲镇: %v", err)
		}
		if r := roll(town2, ""); r.Total.Due != 1 || names(r.Unreported) != "乙镇企业" {
			t.Errorf("town2: %+v", r)
		}
		// An enterprise confirms no summary.
		if _, err := st.Dashboard().ConfirmSummary(ctx, w.ent, day, "x"); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("an enterprise confirms a summary: %v", err)
		}
	})
}
