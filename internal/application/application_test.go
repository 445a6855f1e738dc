package application

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	pol := load(t, "variant-d-street.toml")
	okApp := func() Application { return good(pol, ent("industry_above", dormitory)) }
	tests := []struct {
		name   string
		change func(*Application)
		fields []string
	}{
		{"good", func(*Application) {}, nil},
		{"no planned date", func(a *Application) { a.PlannedAt = time.Time{} }, []string{"planned_at"}},
		{"negative headcount", func(a *Application) { a.Returning.OtherProvince = -1 }, []string{"returning.other_province"}},
		{"unknown item and negative quantity", func(a *Application) {
			a.Supplies = append(a.Supplies, SupplyItem{Item: "goggles", Quantity: 3}, SupplyItem{Item: ItemMasks, Quantity: -5})
		}, []string{"supplies[6].item", "supplies[7].quantity"}},
		{"negative isolation rooms", func(a *Application) { a.IsolationRooms = -1 }, []string{"isolation_rooms"}},
		{"dormitory rooms", func(a *Application) {
			a.Dormitory = append(a.Dormitory, DormRoom{Name: " A-101 ", Beds: 2}, DormRoom{Name: "", Beds: -1, Assigned: -2})
		}, []string{"dormitory[2].name", "dormitory[3].name", "dormitory[3].beds", "dormitory[3].assigned"}},
		{"attachment problems", func(a *Application) {
			a.Attachments = append(a.Attachments, Attachment{Material: "passport", Name: "", SHA256: "abc", Size: -1})
		}, []string{"attachments[4].material", "attachments[4].name", "attachments[4].sha256", "attachments[4].size"}},
		{"unknown part", func(a *Application) { a.Parts["plan_music"] = true }, []string{"parts.plan_music"}},
		{"unknown self-check item", func(a *Application) { a.SelfCheck["karaoke"] = true }, []string{"self_check.karaoke"}},
		{"long signer", func(a *Application) { a.Commitment.SignedBy = strings.Repeat("张", 33) }, []string{"commitment.signed_by"}},
	}
	for _, tt := range tests {
		a := okApp()
		tt.change(&a)
		var fields []string
		for _, p := range a.Validate(pol) {
			fields = append(fields, p.Field)
			if p.Message == "" || p.MessageEN == "" {
				t.Errorf("%s: %s has no message", tt.name, p.Field)
			}
		}
		if !slices.Equal(fields, tt.fields) {
			t.Errorf("%s: problems in %v; want %v", tt.name, fields, tt.fields)
		}
	}
	// Normalised: names trimmed, digests lower case, status draft.
	a := okApp()
	a.Status = ""
	a.Commitment.SignedBy = "  李四 "
	a.Attachments[0].SHA256 = strings.ToUpper(a.Attachments[0].SHA256)
	if ps := a.Validate(nil); len(ps) > 0 {
		t.Errorf("Validate(nil): %v", ps)
	}
	if a.Status != StatusDraft || a.Commitment.SignedBy != "李四" || a.Attachments[0].SHA256 != strings.ToLower(a.Attachments[0].SHA256) {
		t.Errorf("not normalised: %q %q %q", a.Status, a.Commitment.SignedBy, a.Attachments[0].SHA256)
	}
}

func TestStockAndHas(t *testing.T) {
	a := Application{
		Supplies:    []SupplyItem{{Item: ItemMasks, Quantity: 300}, {Item: ItemAlcohol, Quantity: 5, Unit: "瓶"}, {Item: ItemMasks, Quantity: 200, Unit: "片"}},
		Attachments: []Attachment{{Material: "roster"}},
		Parts:       map[string]bool{"plan_risk": true, "plan_date": false},
	}
	if q, u := a.Stock(ItemMasks); q != 500 || u != "片" {
		t.Errorf("masks = %d %s", q, u)
	}
	if q, u := a.Stock(ItemAlcohol); q != 5 || u != "瓶" {
		t.Errorf("alcohol = %d %s", q, u)
	}
	if q, u := a.Stock(ItemDisinfectant); q != 0 || u != "升" {
		t.Errorf("disinfectant = %d %s", q, u)
	}
	for code, want := range map[string]bool{"roster": true, "plan_risk": true, "plan_date": false, "commitment": false} {
		if a.Has(code) != want {
			t.Errorf("Has(%s) = %v", code, !want)
		}
	}
}

// The record travels as JSON with the origin classes' codes and omits empty dates.
func TestApplicationJSON(t *testing.T) {
	a := Application{ID: 5, Status: "submitted", PlannedAt: plannedAt, Returning: Returning{Local: 3, OtherProvince: 1}}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"returning":{"local":3,"city_other_district":0,"province_other_city":0,"other_province":1}`, `"planned_at":"2020-02-15T08:00:00+08:00"`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON %s lacks %s", s, want)
		}
	}
	for _, absent := range []string{"submitted_at", "decided_at", "signed_at"} {
		if strings.Contains(s, absent) {
			t.Errorf("JSON %s has an empty %s", s, absent)
		}
	}
	var back Application
	if err := json.Unmarshal(b, &back); err != nil || back.Returning != a.Returning || !back.PlannedAt.Equal(a.PlannedAt) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

// An item's default unit reads in the page's language; a unit of the enterprise's own
// stays as written.
func TestSupplyUnit(t *testing.T) {
	for _, c := range []struct{ item, unit, lang, want string }{
		{ItemMasks, "只", "zh", "只"},
		{ItemMasks, "只", "en", "pcs"},
		{ItemMasks, "", "en", "pcs"},
		{ItemGloves, "", "zh", "副"},
		{ItemGloves, "副", "en", "pairs"},
		{ItemAlcohol, "升", "en", "L"},
		{ItemMasks, "盒", "en", "盒"},
		{"unknown", "箱", "en", "箱"},
	} {
		if got := SupplyUnit(c.item, c.unit, c.lang); got != c.want {
			t.Errorf("SupplyUnit(%s, %q, %s) = %q, want %q", c.item, c.unit, c.lang, got, c.want)
		}
	}
}
