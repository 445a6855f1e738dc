package policy

import (
	"strings"
	"testing"
)

func TestRoute(t *testing.T) {
	type want struct {
		unit, first, clause string // clause: a substring of the route's clause
	}
	tests := []struct {
		policy string // file under policies/, or "default"
		in     RouteInput
		want   want
	}{
		// Variant B: the town reviews everything.
		{"variant-b-town.toml", RouteInput{Category: "industry_above"}, want{"town_gov", "", "48小时"}},
		{"variant-b-town.toml", RouteInput{Category: "street_front", InPark: true}, want{"town_gov", "", "镇政府"}},
		{"variant-b-town.toml", RouteInput{Category: "coal"}, want{"town_gov", "", ""}},

		// Variant C: routing by county bureau.
		{"variant-c-county.toml", RouteInput{Category: "industry_above", AboveScale: true}, want{"county_industry", "", "规模以上企业由县工信局负责"}},
		{"variant-c-county.toml", RouteInput{Category: "industry_below"}, want{"county_sme", "", "中小企业发展促进中心"}},
		{"variant-c-county.toml", RouteInput{Category: "coal"}, want{"county_energy", "town_gov", "煤炭洗选"}},
		{"variant-c-county.toml", RouteInput{Category: "coal", Sector: "washing"}, want{"county_energy", "town_gov", "县能源局"}},
		{"variant-c-county.toml", RouteInput{Category: "coal", Sector: "production"}, want{"county_emergency", "", "应急管理局"}},
		{"variant-c-county.toml", RouteInput{Category: "hazchem"}, want{"county_emergency", "", "危化品"}},
		{"variant-c-county.toml", RouteInput{Category: "non_coal_mine"}, want{"county_emergency", "", "非煤矿山"}},
		{"variant-c-county.toml", RouteInput{Category: "retail_services"}, want{"county_industry", "", "本地选择"}},
		{"variant-c-county.toml", RouteInput{Category: "unknown_category"}, want{"county_industry", "", ""}},

		// Variant D: the street's five-way routing.
		{"variant-d-street.toml", RouteInput{Category: "industry_above", AboveScale: true}, want{"econ_office", "", "经贸办公室"}},
		{"variant-d-street.toml", RouteInput{Category: "retail_services"}, want{"econ_office", "", "批零住餐"}},
		{"variant-d-street.toml", RouteInput{Category: "industry_below"}, want{"safety_office", "", "安监办公室"}},
		{"variant-d-street.toml", RouteInput{Category: "hq_park"}, want{"econ_office", "park_operator", "园区运营方或物业"}},
		{"variant-d-street.toml", RouteInput{Category: "industry_below", InPark: true}, want{"econ_office", "park_operator", "园区"}},
		{"variant-d-street.toml", RouteInput{Category: "construction"}, want{"works_office", "", "工程办公室"}},
		{"variant-d-street.toml", RouteInput{Category: "street_front"}, want{"community", "", "社区居委会"}},
		{"variant-d-street.toml", RouteInput{Category: "hazchem"}, want{"safety_office", "", ""}},
		{"variant-d-street.toml", RouteInput{Category: "other"}, want{"econ_office", "", "必须备案"}},

		// The default combines them.
		{"default", RouteInput{Category: "industry_above"}, want{"county_industry", "", ""}},
		{"default", RouteInput{Category: "industry_above", InPark: true}, want{"county_industry", "park_operator", ""}},
		{"default", RouteInput{Category: "industry_below"}, want{"county_sme", "", ""}},
		{"default", RouteInput{Category: "industry_below", InPark: true}, want{"county_sme", "park_operator", ""}},
		{"default", RouteInput{Category: "retail_services", InPark: true}, want{"econ_office", "park_operator", ""}},
		{"default", RouteInput{Category: "hq_park"}, want{"econ_office", "park_operator", ""}},
		{"default", RouteInput{Category: "coal"}, want{"county_energy", "town_gov", ""}},
		{"default", RouteInput{Category: "coal", Sector: "production"}, want{"county_emergency", "", ""}},
		{"default", RouteInput{Category: "hazchem", InPark: true}, want{"county_emergency", "", ""}},
		{"default", RouteInput{Category: "construction"}, want{"works_office", "", ""}},
		{"default", RouteInput{Category: "street_front"}, want{"community", "", ""}},
		{"default", RouteInput{Category: "other"}, want{"town_gov", "", "镇政府"}},
	}
	policies := map[string]*Policy{"default": Default()}
	for _, tt := range tests {
		p := policies[tt.policy]
		if p == nil {
			p = loadExample(t, tt.policy)
			policies[tt.policy] = p
		}
		got := p.Route(tt.in)
		if got.Unit != tt.want.unit || got.FirstReview != tt.want.first || !strings.Contains(got.Clause, tt.want.clause) {
			t.Errorf("%s: Route(%+v) = %+v; want unit %q, first review %q, clause containing %q",
				tt.policy, tt.in, got, tt.want.unit, tt.want.first, tt.want.clause)
		}
		if _, ok := p.Unit(got.Unit); !ok {
			t.Errorf("%s: Route(%+v) names unknown unit %q", tt.policy, tt.in, got.Unit)
		}
	}
}

func TestRoutingRuleMatches(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		rule RoutingRule
		in   RouteInput
		want bool
	}{
		{RoutingRule{}, RouteInput{Category: "x"}, true},
		{RoutingRule{Categories: []string{"a", "b"}}, RouteInput{Category: "b"}, true},
		{RoutingRule{Categories: []string{"a", "b"}}, RouteInput{Category: "c"}, false},
		{RoutingRule{InPark: &yes}, RouteInput{InPark: true}, true},
		{RoutingRule{InPark: &yes}, RouteInput{}, false},
		{RoutingRule{InPark: &no}, RouteInput{}, true},
		{RoutingRule{AboveScale: &yes}, RouteInput{AboveScale: false}, false},
		{RoutingRule{KeyEnterprise: &no}, RouteInput{KeyEnterprise: true}, false},
		{RoutingRule{Sector: "washing"}, RouteInput{Sector: "washing"}, true},
		{RoutingRule{Sector: "washing"}, RouteInput{}, false},
	}
	for _, tt := range tests {
		if got := tt.rule.Matches(tt.in); got != tt.want {
			t.Errorf("%+v.Matches(%+v) = %v, want %v", tt.rule, tt.in, got, tt.want)
		}
	}
}

func TestApplies(t *testing.T) {
	flags := map[string]bool{FlagCanteen: true}
	tests := []struct {
		when string
		want bool
	}{
		{"", true},
		{"canteen", true},
		{"!canteen", false},
		{"dormitory", false},
		{"!dormitory", true},
	}
	for _, tt := range tests {
		if got := Applies(tt.when, flags); got != tt.want {
			t.Errorf("Applies(%q) = %v, want %v", tt.when, got, tt.want)
		}
	}
}
