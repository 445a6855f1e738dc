package ledger

import (
	"math"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/policy"
	"fugong/internal/roster"
)

func TestCover(t *testing.T) {
	pol := policy.Default()
	if pol.Resumption.SuppliesReserveDays != 7 || pol.Resumption.MasksPerPersonPerDay != 1 {
		t.Fatalf("seed figures changed: %+v", pol.Resumption)
	}
	// The seed's figures: 100 on site, 650 masks, 1 a day each → 6.5 days < 7: a warning.
	st := Stocks(pol, map[string]int64{"masks": 650, "gloves": 2000}, 100)
	if st[0].Item != "masks" || st[0].CoverDays != 6.5 || !st[0].Warning || st[0].Message == "" {
		t.Fatalf("masks: %+v", st[0])
	}
	if st[1].Item != "gloves" || st[1].CoverDays != 20 || st[1].Warning {
		t.Fatalf("gloves: %+v", st[1])
	}
	for _, s := range st[2:] {
		if s.CoverDays != -1 || s.Warning {
			t.Fatalf("%s: cover not computed expected: %+v", s.Item, s)
		}
	}
	if st := Stocks(pol, map[string]int64{"masks": 700}, 100); st[0].Warning || st[0].CoverDays != 7 {
		t.Fatalf("7 days exactly is enough: %+v", st[0])
	}
	if c := Cover(0, 10, 1); c != 0 {
		t.Fatal(c)
	}
	if c := Cover(10, 0, 1); !math.IsInf(c, 1) {
		t.Fatal(c)
	}
}

func TestValidate(t *testing.T) {
	now := time.Date(2020, 2, 12, 8, 0, 0, 0, time.UTC)
	e := Entry{Kind: Disinfection, EnterpriseID: 1, At: now}
	err := e.Validate(now)
	ae, ok := apperr.As(err)
	if !ok || len(ae.Problems) != 3 {
		t.Fatalf("disinfection without fields: %v", err)
	}
	tr := Entry{Kind: Training, EnterpriseID: 1, At: now, Topic: "防疫知识", Names: "张三、李四, 王五"}
	tr.Normalize()
	if tr.Quantity != 3 || tr.Validate(now) != nil {
		t.Fatalf("training: %+v", tr)
	}
	if err := (Entry{Kind: Supplies, EnterpriseID: 1, At: now, Item: "caviar", Quantity: 3}).Validate(now); err == nil {
		t.Fatal("unknown item accepted")
	}
	if err := (Entry{Kind: Masks, EnterpriseID: 1, At: now.Add(48 * time.Hour), Quantity: 3, Person: "赵"}).Validate(now); err == nil {
		t.Fatal("entry dated the day after tomorrow accepted")
	}
}

func TestCheckConfirmable(t *testing.T) {
	for _, tc := range []struct {
		day, today string
		confirmed  int
		kind       apperr.Kind
	}{
		{"2020-02-08", "2020-02-08", 0, 0},
		{"2020-02-01", "2020-02-08", 0, 0},
		{"2020-02-09", "2020-02-08", 0, apperr.Invalid},
		{"2020-02-08", "2020-02-08", 1, apperr.Conflict},
	} {
		err := CheckConfirmable(tc.day, tc.today, tc.confirmed)
		if tc.kind == 0 && err != nil || tc.kind != 0 && apperr.KindOf(err) != tc.kind {
			t.Errorf("CheckConfirmable(%s, %s, %d) = %v", tc.day, tc.today, tc.confirmed, err)
		}
	}
}

func TestDailyReportConclude(t *testing.T) {
	pol := policy.Default() // 7 days' reserve, 1 mask per person per day
	for _, tc := range []struct {
		name    string
		r       DailyReport
		cover   float64
		warning bool
		zero    bool
	}{
		{"nobody on site", DailyReport{MaskStock: 10}, -1, false, true},
		{"enough", DailyReport{OnSite: 10, MaskStock: 100}, 10, false, true},
		{"short of the reserve", DailyReport{OnSite: 10, MaskStock: 65}, 6.5, true, true},
		{"a fever is not a zero report", DailyReport{OnSite: 10, MaskStock: 100, Fevers: 1}, 10, false, false},
		{"nor somebody isolating", DailyReport{OnSite: 10, MaskStock: 100, Isolating: 1}, 10, false, false},
	} {
		r := tc.r
		r.Conclude(pol)
		if r.CoverDays != tc.cover || r.CoverWarning != tc.warning || r.Zero != tc.zero {
			t.Errorf("%s: cover %v warning %v zero %v", tc.name, r.CoverDays, r.CoverWarning, r.Zero)
		}
	}
	var r DailyReport
	for _, p := range []roster.Phase{roster.Cleared, roster.Monitoring, roster.Isolating, roster.NotReturned, roster.AdvisedNotReturn} {
		r.Count(p)
	}
	if r.OnSite != 2 || r.Monitoring != 1 || r.Isolating != 1 {
		t.Errorf("Count: %+v", r)
	}
}

// The enterprise's admin confirms its daily report (the system administrator may too);
// officials read it and the enterprise's staff and guards do not confirm it.
func TestMayConfirm(t *testing.T) {
	want := map[auth.Role]bool{auth.Enterprise: true, auth.Admin: true, auth.Command: false, auth.Reviewer: false, auth.Town: false, auth.Grid: false,
		auth.Park: false, auth.Staff: false, auth.Guard: false}
	if len(want) != len(auth.Roles) {
		t.Fatalf("the table names %d roles of %d", len(want), len(auth.Roles))
	}
	for r, ok := range want {
		if err := MayConfirm(r); (err == nil) != ok || err != nil && apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("MayConfirm(%s) = %v, want allowed %t", r, err, ok)
		}
	}
}
