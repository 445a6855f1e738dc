package application

import (
	"maps"
	"slices"
	"testing"

	"fugong/internal/enterprise"
	"fugong/internal/policy"
)

func TestFlags(t *testing.T) {
	pol := load(t, "default")
	tests := []struct {
		name  string
		e     enterprise.Enterprise
		a     Application
		flags []string // the flags that are true
	}{
		{"plain", ent("industry_below"), Application{PlannedAt: plannedAt}, nil},
		{"above scale, key", ent("industry_above", key), Application{PlannedAt: plannedAt}, []string{"above_scale", "key_enterprise"}},
		{"facilities", ent("retail_services", canteen, dormitory, bus), Application{PlannedAt: plannedAt},
			[]string{"canteen", "commuter_bus", "dormitory"}},
		{"in a park: the park operator reviews first", ent("industry_below", inPark), Application{PlannedAt: plannedAt},
			[]string{"first_review", "in_park"}},
		{"coal washing: the town reviews first", ent("coal"), Application{PlannedAt: plannedAt}, []string{"first_review"}},
		{"early", ent("other"), Application{PlannedAt: at("2020-02-09 08:00")}, []string{"early_resumption"}},
		{"early, whether asked or not", ent("other"), Application{PlannedAt: at("2020-02-09 08:00"), EarlyResumption: true}, []string{"early_resumption"}},
		{"asked, but not early", ent("other"), Application{PlannedAt: at("2020-02-10 00:00"), EarlyResumption: true}, nil},
		{"no date yet", ent("other"), Application{}, nil},
	}
	for _, tt := range tests {
		got := Flags(tt.e, tt.a, pol)
		if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, slices.Sorted(slices.Values(policy.Flags))) {
			t.Errorf("%s: Flags has keys %v; want every flag of the policy %v", tt.name, keys, policy.Flags)
		}
		var on []string
		for f, v := range got {
			if v {
				on = append(on, f)
			}
		}
		slices.Sort(on)
		if !slices.Equal(on, tt.flags) {
			t.Errorf("%s: flags on %v; want %v", tt.name, on, tt.flags)
		}
	}
}

// How flags select each example policy's stages and materials (see also TestTransitionTable).
func TestFlagsSelectStagesAndMaterials(t *testing.T) {
	tests := []struct {
		policy    string
		e         enterprise.Enterprise
		early     bool
		stages    []string
		materials []string
	}{
		{"variant-b-town.toml", ent("hq_park", inPark, canteen, dormitory, bus), false,
			[]string{"submitted", "town_review", "grid_acceptance", "town_approval"},
			[]string{"application", "prevention_plan", "transport_plan", "emergency_plan", "roster", "commitment"}},
		{"variant-b-town.toml", ent("industry_above"), true,
			[]string{"submitted", "town_review", "grid_acceptance", "county_approval"},
			[]string{"application", "prevention_plan", "transport_plan", "emergency_plan", "roster", "commitment"}},
		{"variant-c-county.toml", ent("industry_below", bus), true,
			[]string{"submitted", "department_review", "deputy_sign", "office_filing", "county_acceptance", "leading_group", "notice"},
			[]string{"prevention_plan", "resumption_plan", "application_form", "self_check", "commitment", "isolation_plan"}},
		{"variant-d-street.toml", ent("retail_services"), false,
			[]string{"submitted", "unit_review", "inspection", "notice"},
			[]string{"resumption_plan", "plan_leadership", "plan_disinfection", "plan_supplies", "plan_staff", "plan_isolation_room",
				"plan_date", "plan_risk", "plan_production", "application_form", "screening_form", "filing_summary"}},
		{"variant-d-street.toml", ent("hq_park", canteen, dormitory, bus), false,
			[]string{"submitted", "park_review", "unit_review", "bus_letter", "park_inspection", "notice"},
			[]string{"resumption_plan", "plan_leadership", "plan_disinfection", "plan_supplies", "plan_staff", "plan_isolation_room",
				"plan_date", "plan_risk", "plan_production", "plan_canteen", "plan_dormitory", "application_form", "screening_form",
				"filing_summary", "commitment", "bus_details"}},
		{"default", ent("industry_above", bus), false,
			[]string{"submitted", "review", "grid_acceptance", "town_approval"},
			[]string{"application", "prevention_plan", "transport_plan", "emergency_plan", "roster", "commitment", "bus_details"}},
	}
	for _, tt := range tests {
		pol := load(t, tt.policy)
		a := Application{PlannedAt: plannedAt}
		if tt.early {
			a.PlannedAt = at("2020-02-08 08:00")
		}
		flags := Flags(tt.e, a, pol)
		var stages, mats []string
		for _, s := range pol.StagesFor(flags) {
			stages = append(stages, s.Code)
		}
		for _, m := range pol.MaterialsFor(tt.e.Category, flags) {
			mats = append(mats, m.Code)
		}
		if !slices.Equal(stages, tt.stages) {
			t.Errorf("%s %s: stages %v; want %v", tt.policy, tt.e.Category, stages, tt.stages)
		}
		if !slices.Equal(mats, tt.materials) {
			t.Errorf("%s %s: materials %v; want %v", tt.policy, tt.e.Category, mats, tt.materials)
		}
	}
}
