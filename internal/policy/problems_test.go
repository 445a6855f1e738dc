package policy

import (
	"os"
	"strings"
	"testing"
)

// TestProblemsBadFile checks every problem of testdata/bad.toml, with its line.
func TestProblemsBadFile(t *testing.T) {
	data, err := os.ReadFile("testdata/bad.toml")
	if err != nil {
		t.Fatal(err)
	}
	p, problems := Parse("bad.toml", data)
	if p != nil {
		t.Error("a policy with problems was returned")
	}
	want := []struct {
		line  int
		field string
		en    string // a substring of MessageEN
	}{
		{4, "locality.level", `unknown value "province"`},
		{5, "locality.time_zone", "unknown time zone"},
		{6, "locality.notice_serial", "no {seq}"},
		{7, "locality.bus_letter_serial", "unknown placeholder {seq:4}"},
		{8, "locality.colour", "unknown key colour"},
		{12, "resumption.acceptance_starts", "after the earliest resumption"},
		{13, "resumption.lead_time_hours", "from 1 to 2160, not 0"},
		{15, "resumption.supplies_reserve_days", "not a string"},
		{19, "health.pass_valid_days", "missing required key pass_valid_days"},
		{24, "health.fever_line", "from 35 to 42, not 395"},
		{26, "health.retention_days", "set at least 14"},
		{28, "dormitory.quarantine_single_room", "missing required key"},
		{29, "dormitory.max_per_room", "not -4"},
		{32, "dining.staggered", "true or false"},
		{41, "categories[2].code", "duplicate of line 36"},
		{46, "categories[3].code", "lower-case"},
		{55, "units[1].role", `unknown value "mayor"`},
		{57, "origin_classes", `"city_other_district" is missing`},
		{57, "origin_classes", `"province_other_city" is missing`},
		{57, "origin_classes", `"other_province" is missing`},
		{62, "origin_classes[1].days", "takes no days"},
		{64, "origin_classes[2].days", "missing required key days"},
		{65, "origin_classes[2].code", `unknown origin class "abroad"`},
		{73, "routing[2]", "rule at line 70 has no conditions"},
		{74, "routing[2].categories", `unknown category "mining"`},
		{75, "routing[2].unit", `unknown unit "county_energy"`},
		{85, "stages[1].role", `role = "enterprise"`},
		{86, "stages[1].unit_from", `needs when = "first_review"`},
		{88, "stages[2].role", "missing role"},
		{88, "stages", "no stage issues the resumption notice"},
		{92, "stages[2].when", `unknown condition "rainy"`},
		{94, "materials[1].required", "missing required key"},
		{98, "materials[1].part_of", `unknown material "planning"`},
		{104, "checklist[1].unit", `unknown unit "grid_group"`},
		{106, "priority", "every weight is 0"},
	}
	for i, w := range want {
		if i >= len(problems) {
			t.Errorf("missing problem %d: %d %s %s", i, w.line, w.field, w.en)
			continue
		}
		got := problems[i]
		if got.Line != w.line || got.Field != w.field || !strings.Contains(got.MessageEN, w.en) || got.Message == "" {
			t.Errorf("problem %d = %s\n  (%s)\nwant line %d, field %s, message containing %q", i, got, got.MessageEN, w.line, w.field, w.en)
		}
	}
	for _, extra := range problems[min(len(want), len(problems)):] {
		t.Errorf("unexpected problem: %s", extra)
	}
}

// TestProblemsInDefault breaks the default policy one way at a time and checks the problem's
// field and line.
func TestProblemsInDefault(t *testing.T) {
	src := string(defaultTOML)
	tests := []struct {
		name     string
		old, new string
		field    string
		offset   int // lines from the start of new to the problem
		header   bool
		count    int // problems expected; 0 means 1
	}{
		{name: "fever line too low", old: "fever_line = 37.3", new: "fever_line = 34", field: "health.fever_line"},
		{name: "fever line NaN", old: "fever_line = 37.3", new: "fever_line = nan", field: "health.fever_line"},
		{name: "unknown time zone", old: `time_zone = "Asia/Shanghai"`, new: `time_zone = "Mars/Olympus"`, field: "locality.time_zone"},
		{name: "Local time zone", old: `time_zone = "Asia/Shanghai"`, new: `time_zone = "Local"`, field: "locality.time_zone"},
		{name: "bad serial", old: `notice_serial = "复工〔{year}〕第{seq:04}号"`, new: `notice_serial = "复工〔{year}〕"`, field: "locality.notice_serial"},
		{name: "wrong type", old: "lead_time_hours = 48", new: `lead_time_hours = "48"`, field: "resumption.lead_time_hours"},
		{name: "float for integer", old: "lead_time_hours = 48", new: `lead_time_hours = 48.5`, field: "resumption.lead_time_hours"},
		{name: "non-positive", old: "max_per_room = 4", new: "max_per_room = 0", field: "dormitory.max_per_room"},
		{name: "pass valid no day", old: "pass_valid_days = 14", new: "pass_valid_days = 0", field: "health.pass_valid_days"},
		{name: "pass valid over a year", old: "pass_valid_days = 14", new: "pass_valid_days = 366", field: "health.pass_valid_days"},
		{name: "pass valid as text", old: "pass_valid_days = 14", new: `pass_valid_days = "14d"`, field: "health.pass_valid_days"},
		{name: "pass valid missing", old: "pass_valid_days = 14\n", new: "", field: "health.pass_valid_days", header: true},
		{name: "approval level", old: `early_resumption_approval = "county"`, new: `early_resumption_approval = "province"`, field: "resumption.early_resumption_approval"},
		{name: "date with a time", old: "acceptance_starts = 2020-02-06", new: "acceptance_starts = 2020-02-06T08:00:00+08:00", field: "resumption.acceptance_starts"},
		{name: "datetime string", old: "earliest_resumption = 2020-02-10T00:00:00+08:00", new: `earliest_resumption = "2020-02-09 24:00"`, field: "resumption.earliest_resumption"},
		{name: "missing key", old: "name_en = \"Hazardous chemicals\"\n", new: "", field: "categories[8].name_en", header: true},
		{name: "empty name", old: `name = "县能源局"`, new: `name = "  "`, field: "units[4].name"},
		{name: "duplicate unit", old: `code = "county_sme"`, new: `code = "county_industry"`, field: "units[3].code", count: 3},
		{name: "unknown origin measure", old: `measure = "monitor"`, new: `measure = "watch"`, field: "origin_classes[2].measure"},
		{name: "report to unknown unit", old: `report_to = ["county_health", "community"]`, new: `report_to = ["county_health", "village"]`, field: "origin_classes[3].report_to"},
		{name: "routing unknown unit", old: `unit = "county_energy"`, new: `unit = "county_power"`, field: "routing[2].unit"},
		{name: "routing unknown category", old: `categories = ["hazchem", "non_coal_mine"]`, new: `categories = ["hazchem", "mines"]`, field: "routing[3].categories"},
		{name: "first review is the unit", old: "unit = \"county_energy\"\nfirst_review = \"town_gov\"", new: "unit = \"county_energy\"\nfirst_review = \"county_energy\"", field: "routing[2].first_review", offset: 1},
		{name: "routing default unknown unit", old: "unit = \"town_gov\"\nclause = \"乙方案: 企业向镇政府", new: "unit = \"town\"\nclause = \"乙方案: 企业向镇政府", field: "routing_default.unit"},
		{name: "stage unknown role", old: "role = \"grid\"\nchecklist = true", new: "role = \"gridleader\"\nchecklist = true", field: "stages[4].role"},
		{name: "stage unknown unit", old: `unit = "town_command"`, new: `unit = "town_cmd"`, field: "stages[5].unit"},
		{name: "stage unit and unit_from", old: "unit_from = \"route\"", new: "unit_from = \"route\"\nunit = \"town_gov\"", field: "stages[3].unit_from"},
		{name: "stage unknown key", old: `code = "grid_acceptance"`, new: "code = \"grid_acceptance\"\nphoto = true", field: "stages[4].photo", offset: 1},
		{name: "material unknown category", old: `code = "application"`, new: "code = \"application\"\ncategories = [\"shops\"]", field: "materials[1].categories", offset: 1},
		{name: "material categories not strings", old: `code = "application"`, new: "code = \"application\"\ncategories = [1]", field: "materials[1].categories", offset: 1},
		{name: "material part of itself", old: `part_of = "prevention_plan"`, new: `part_of = "transport_plan"`, field: "materials[3].part_of"},
		{name: "unknown when", old: `when = "commuter_bus"`, new: `when = "bus"`, field: "materials[7].when"},
		{name: "checklist duplicate", old: `code = "used_masks"`, new: `code = "roster"`, field: "checklist[9].code"},
		{name: "negative weight", old: "key_industry = 3.0", new: "key_industry = -3.0", field: "priority.key_industry"},
		{name: "unknown clause", old: `dining.spacing_meters = "丙方案: 就餐时相隔1米以上"`, new: `dining.spacing = "丙方案: 就餐时相隔1米以上"`, field: "clauses.dining.spacing"},
		{name: "unknown clause section", old: `dining.spacing_meters = "丙方案: 就餐时相隔1米以上"`, new: `canteen.spacing_meters = "丙方案"`, field: "clauses.canteen"},
		{name: "unknown table", old: "[priority]", new: "[extra]\nx = 1\n\n[priority]", field: "extra"},
		// 包保 duties (responsibility).
		{name: "duty unknown when", old: "when = \"key_enterprise\"\nclause = \"庚方案", new: "when = \"key\"\nclause = \"庚方案", field: "duties[6].when"},
		{name: "duty unknown category", old: `code = "liaison"`, new: "code = \"liaison\"\ncategories = [\"mines\"]", field: "duties[5].categories", offset: 1},
		{name: "duty required as text", old: "required = true\nclause = \"甲方案: 镇级领导", new: "required = \"yes\"\nclause = \"甲方案: 镇级领导", field: "duties[4].required"},
		{name: "duty duplicate", old: `code = "village_cadre"`, new: `code = "village_secretary"`, field: "duties[2].code"},
		// Alerts upward.
		{name: "alert unknown kind", old: `kind = "major_hazard"`, new: `kind = "hazard"`, field: "alerts[4].kind"},
		{name: "alert unknown unit", old: `to = ["town_gov"]`, new: `to = ["town_hall"]`, field: "alerts[3].to"},
		{name: "alert duplicate kind", old: `kind = "rectification_overdue"`, new: `kind = "fever"`, field: "alerts[3].kind"},
		{name: "alert without units", old: `to = ["town_gov"]`, new: `to = []`, field: "alerts[3].to"},
		{name: "inline array of tables", old: "[routing_default]", new: "origin_extra = [\n  {a = 1},\n  {b = 2},\n]\n[routing_default]", field: "routing[12].origin_extra"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := strings.Index(src, tt.old)
			if at < 0 {
				t.Fatalf("%q not in default.toml", tt.old)
			}
			mutated := src[:at] + tt.new + src[at+len(tt.old):]
			line := strings.Count(src[:at], "\n") + 1 + tt.offset
			if tt.header {
				line = strings.Count(src[:strings.LastIndex(src[:at], "\n[")+1], "\n") + 1
			}
			p, problems := Parse("t.toml", []byte(mutated))
			if p != nil {
				t.Fatal("no problem found")
			}
			count := max(tt.count, 1)
			if len(problems) != count {
				t.Errorf("%d problems, want %d:", len(problems), count)
				for _, pr := range problems {
					t.Log(pr)
				}
			}
			found := false
			for _, pr := range problems {
				if pr.Field == tt.field && pr.Line == line {
					found = true
				}
				if pr.Message == "" || pr.MessageEN == "" || pr.File != "t.toml" {
					t.Errorf("incomplete problem %+v", pr)
				}
			}
			if !found {
				t.Errorf("want a problem with field %s at line %d; got:", tt.field, line)
				for _, pr := range problems {
					t.Log(pr)
				}
			}
		})
	}
}

func TestSyntaxProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
	}{
		{"unterminated string", "[locality]\nname = \"x\nlevel = 1\n", 2},
		{"duplicate key", "[locality]\nname = \"a\"\nname = \"b\"\n", 3},
		{"duplicate table", "[health]\n\n[dining]\n\n[health]\n", 5},
		{"missing value", "# comment\n\n[resumption]\nlead_time_hours =\n", 4},
		{"invalid UTF-8", "# ok\na = \"\xff\"\n", 2},
		{"bad date", "[resumption]\nacceptance_starts = 2020-02-30\n", 2},
		{"hour 24", "[resumption]\nearliest_resumption = 2020-02-09T24:00:00+08:00\n", 2},
		{"unclosed array", "a = [1,\n2,\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, problems := Parse("s.toml", []byte(tt.src))
			if p != nil || len(problems) != 1 {
				t.Fatalf("Parse = %v, %v; want one problem", p, problems)
			}
			pr := problems[0]
			if pr.Line != tt.line || !strings.Contains(pr.Message, "TOML 语法错误") || !strings.Contains(pr.MessageEN, "TOML syntax error") {
				t.Errorf("problem = %s (%s); want line %d", pr, pr.MessageEN, tt.line)
			}
		})
	}
}

func TestMissingSections(t *testing.T) {
	p, problems := Parse("empty.toml", []byte("# nothing here\n"))
	if p != nil {
		t.Fatal("empty file accepted")
	}
	want := map[string]bool{
		"locality": true, "resumption": true, "health": true, "dormitory": true, "dining": true,
		"categories": true, "units": true, "origin_classes": true, "routing_default": true,
		"stages": true, "materials": true, "checklist": true, "priority": true,
	}
	for _, pr := range problems {
		if pr.Line != 1 || !want[pr.Field] {
			t.Errorf("unexpected problem %s", pr)
		}
		delete(want, pr.Field)
	}
	for f := range want {
		t.Errorf("no problem for missing %s", f)
	}
}

func TestSectionsOfTheWrongType(t *testing.T) {
	_, problems := Parse("types.toml", []byte("locality = 5\nstages = [1]\ncategories = []\n"))
	want := map[string]struct {
		line int
		en   string
	}{
		"locality":   {1, "must be a table [locality], not an integer"},
		"stages":     {2, "must be an array of tables [[stages]], not an array"},
		"categories": {3, "[[categories]] needs at least one element"},
	}
	for _, pr := range problems {
		w, ok := want[pr.Field]
		if !ok {
			continue
		}
		if pr.Line != w.line || !strings.Contains(pr.MessageEN, w.en) {
			t.Errorf("problem %s (%s); want line %d, %q", pr, pr.MessageEN, w.line, w.en)
		}
		delete(want, pr.Field)
	}
	for f := range want {
		t.Errorf("no problem for %s", f)
	}
}

func TestProblemString(t *testing.T) {
	pr := Problem{File: "a.toml", Line: 7, Field: "health.fever_line", Message: "应在 35 到 42 之间", MessageEN: "must be from 35 to 42"}
	if got, want := pr.String(), "a.toml:7: health.fever_line: 应在 35 到 42 之间"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got, want := pr.StringEN(), "a.toml:7: health.fever_line: must be from 35 to 42"; got != want {
		t.Errorf("StringEN = %q, want %q", got, want)
	}
	pr.Field = ""
	if got, want := pr.String(), "a.toml:7: 应在 35 到 42 之间"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}
