package notice

import (
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/policy"
)

func TestCheckBus(t *testing.T) {
	b := Bus{EnterpriseID: 1, Plate: " 浙f·12345 ", Route: " 厂区—城东 ", Seats: 40, Driver: "王师傅"}
	if err := CheckBus(&b); err != nil || b.Plate != "浙F12345" || b.Route != "厂区—城东" {
		t.Fatalf("CheckBus = %v %+v", err, b)
	}
	for field, bad := range map[string]Bus{
		"enterprise_id": {Plate: "浙F12345", Route: "r", Seats: 40, Driver: "王"},
		"plate":         {EnterpriseID: 1, Plate: "F12345", Route: "r", Seats: 40, Driver: "王"},
		"route":         {EnterpriseID: 1, Plate: "浙F12345", Seats: 40, Driver: "王"},
		"seats":         {EnterpriseID: 1, Plate: "浙F12345", Route: "r", Seats: 81, Driver: "王"},
		"driver":        {EnterpriseID: 1, Plate: "浙F12345", Route: "r", Seats: 40},
		"driver_phone":  {EnterpriseID: 1, Plate: "浙F12345", Route: "r", Seats: 40, Driver: "王", DriverPhone: "123"},
	} {
		e, ok := apperr.As(CheckBus(&bad))
		if !ok || len(e.Problems) != 1 || e.Problems[0].Field != field {
			t.Errorf("%s: %v", field, e)
		}
	}
}

func TestDecideBus(t *testing.T) {
	for _, r := range []auth.Role{auth.Reviewer, auth.Town, auth.Command, auth.Admin} {
		if CanDecideBus(r) != nil {
			t.Errorf("%s decides buses", r)
		}
	}
	for _, r := range []auth.Role{auth.Grid, auth.Park, auth.Enterprise, auth.Staff, auth.Guard} {
		if apperr.KindOf(CanDecideBus(r)) != apperr.Forbidden {
			t.Errorf("%s must not decide buses", r)
		}
	}
	for _, tc := range []struct {
		status  string
		approve bool
		comment string
		want    string
		kind    apperr.Kind
	}{
		{BusPending, true, "", BusApproved, 0},
		{BusPending, false, "超载", BusRejected, 0},
		{BusPending, false, "  ", "", apperr.Invalid},
		{BusRejected, true, "", BusApproved, 0},
		{BusRejected, false, "again", "", apperr.Conflict},
		{BusApproved, true, "", "", apperr.Conflict},
		{BusLettered, false, "x", "", apperr.Conflict},
	} {
		got, err := DecideBus(Bus{Status: tc.status}, tc.approve, tc.comment)
		if got != tc.want || apperr.KindOf(err) != tc.kind && !(tc.kind == 0 && err == nil) {
			t.Errorf("DecideBus(%s, %v, %q) = %q, %v", tc.status, tc.approve, tc.comment, got, err)
		}
	}
}

func TestLetterIssuer(t *testing.T) {
	town := auth.Principal{Role: auth.Town, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: "330402101"}}
	if got, err := LetterIssuer(town, Bus{Status: BusApproved}); err != nil || got != "town:330402101" {
		t.Errorf("town: %q %v", got, err)
	}
	if got, err := LetterIssuer(auth.System, Bus{Status: BusApproved}); err != nil || got != "all" {
		t.Errorf("admin: %q %v", got, err)
	}
	if _, err := LetterIssuer(town, Bus{Status: BusPending}); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("pending bus: %v", err)
	}
	if _, err := LetterIssuer(auth.Principal{Role: auth.Reviewer}, Bus{Status: BusApproved}); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("reviewer: %v", err)
	}
}

func TestYear(t *testing.T) {
	// 16:30 UTC on 31 December is already the new year in Asia/Shanghai.
	if y := Year(policy.Default(), time.Date(2020, 12, 31, 16, 30, 0, 0, time.UTC)); y != 2021 {
		t.Errorf("Year = %d", y)
	}
}

func TestIssuingAuthority(t *testing.T) {
	for _, tc := range []struct{ place, unit, want string }{
		{"甲镇", "镇疫情防控应急指挥部", "甲镇疫情防控应急指挥部"},
		{"乙街道", "街道办事处", "乙街道办事处"},
		{"示范县", "县经信局", "示范县经信局"},
		{"甲镇", "甲镇经贸办", "甲镇经贸办"},
		{"甲镇", "经贸办", "甲镇经贸办"},
		{"", "镇疫情防控应急指挥部", "镇疫情防控应急指挥部"},
	} {
		if got := IssuingAuthority(tc.place, tc.unit); got != tc.want {
			t.Errorf("%s + %s = %s, want %s", tc.place, tc.unit, got, tc.want)
		}
	}
	for _, tc := range []struct{ level, code, want string }{
		{"town", "330402001001", "330402001"}, {"county", "330402001", "330402"}, {"village", "330402001001", "330402001001"},
		{"village", "330402001", ""}, {"city", "330402001", "330400"}, {"park", "330402001", ""},
	} {
		if got := PlaceCode(tc.level, tc.code); got != tc.want {
			t.Errorf("%s of %s: %s, want %s", tc.level, tc.code, got, tc.want)
		}
	}
}
