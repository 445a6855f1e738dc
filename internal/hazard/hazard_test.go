package hazard

import (
	"slices"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/policy"
)

func TestCheck(t *testing.T) {
	pol := policy.Default()
	good := Hazard{EnterpriseID: 1, Sector: "hazchem", Grade: Major, Source: FromInspection, Item: "紧急停车系统是否正常投用", Description: "紧急停车系统旁路运行"}
	if err := Check(pol, &good); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		h     Hazard
		field string
	}{
		{"no sector", Hazard{EnterpriseID: 1, Sector: "x", Grade: Major, Source: FromSelfCheck, Description: "d"}, "sector"},
		{"no grade", Hazard{EnterpriseID: 1, Sector: "fire", Grade: "bad", Source: FromSelfCheck, Description: "d"}, "grade"},
		{"no source", Hazard{EnterpriseID: 1, Sector: "fire", Grade: General, Description: "d"}, "source"},
		{"item of another sector", Hazard{EnterpriseID: 1, Sector: "construction", Grade: General, Source: FromSelfCheck, Item: "紧急停车系统是否正常投用", Description: "d"}, "item"},
		{"no description", Hazard{EnterpriseID: 1, Sector: "fire", Grade: General, Source: FromSelfCheck, Description: " "}, "description"},
		{"no enterprise", Hazard{Sector: "fire", Grade: General, Source: FromSelfCheck, Description: "d"}, "enterprise_id"},
	}
	for _, tt := range tests {
		err := Check(pol, &tt.h)
		e, ok := apperr.As(err)
		if !ok || !slices.ContainsFunc(e.Problems, func(p apperr.Problem) bool { return p.Field == tt.field }) {
			t.Errorf("%s: %v, want a problem with %s", tt.name, err, tt.field)
		}
	}
}

func TestDeadlineAndReportTo(t *testing.T) {
	pol := policy.Default() // general 15 days, major 30; major reported to county_emergency
	loc := pol.Location()
	from := time.Date(2020, 3, 2, 10, 0, 0, 0, loc)
	if got := Deadline(pol, General, from).Format("2006-01-02"); got != "2020-03-17" {
		t.Errorf("general deadline %s", got)
	}
	if got := Deadline(pol, Major, from).Format("2006-01-02"); got != "2020-04-01" {
		t.Errorf("major deadline %s", got)
	}
	if got := ReportTo(pol, Hazard{Unit: "works_office", Grade: Major}); !slices.Equal(got, []string{"works_office", "county_emergency"}) {
		t.Errorf("major reported to %v", got)
	}
	if got := ReportTo(pol, Hazard{Unit: "works_office", Grade: General}); !slices.Equal(got, []string{"works_office"}) {
		t.Errorf("general reported to %v", got)
	}
	h := Hazard{Status: Registered, Deadline: Deadline(pol, General, from)}
	if Overdue(h, from.AddDate(0, 0, 10)) || !Overdue(h, from.AddDate(0, 0, 16)) {
		t.Error("Overdue")
	}
}

func TestStep(t *testing.T) {
	ent, unit := Actor{Enterprise: true}, Actor{Unit: true}
	at := func(s string) Hazard { return Hazard{Status: s} }
	tests := []struct {
		name   string
		h      Hazard
		a      Actor
		action string
		text   string
		want   string
		kind   apperr.Kind
	}{
		{"enterprise rectifies", at(Registered), ent, Rectify, "已加装报警器", Rectified, 0},
		{"unit rectifies", at(Registered), unit, Rectify, "现场督促整改完毕", Rectified, 0},
		{"rectify needs text", at(Registered), ent, Rectify, "", "", apperr.Invalid},
		{"unit accepts", at(Rectified), unit, Accept, "", Accepted, 0},
		{"enterprise may not accept", at(Rectified), ent, Accept, "", "", apperr.Forbidden},
		{"unit returns", at(Rectified), unit, Return, "报警器未联动", Registered, 0},
		{"return needs text", at(Rectified), unit, Return, "", "", apperr.Invalid},
		{"unit closes", at(Accepted), unit, Close, "", Closed, 0},
		{"close before acceptance", at(Rectified), unit, Close, "", "", apperr.Conflict},
		{"closed stays closed", at(Closed), unit, Accept, "", "", apperr.Conflict},
		{"unknown", at(Registered), unit, "fix", "", "", apperr.Invalid},
		{"stranger", at(Registered), Actor{}, Rectify, "x", "", apperr.Forbidden},
	}
	for _, tt := range tests {
		got, err := Step(tt.h, tt.a, tt.action, tt.text)
		if tt.kind != 0 {
			if apperr.KindOf(err) != tt.kind {
				t.Errorf("%s: %v, want kind %v", tt.name, err, tt.kind)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: %q %v, want %q", tt.name, got, err, tt.want)
		}
	}
}
