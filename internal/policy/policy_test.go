package policy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// examplesDir holds the example policies, relative to this package.
const examplesDir = "../../policies"

func examplePaths(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(examplesDir, "*.toml"))
	if err != nil || len(paths) < 3 {
		t.Fatalf("example policies in %s: %v, %v", examplesDir, paths, err)
	}
	return paths
}

func loadExample(t *testing.T, name string) *Policy {
	t.Helper()
	p, problems, err := Load(filepath.Join(examplesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range problems {
		t.Error(pr)
	}
	if p == nil {
		t.Fatalf("%s: no policy", name)
	}
	return p
}

func TestDefaultParses(t *testing.T) {
	if _, problems := Parse("default.toml", defaultTOML); len(problems) > 0 {
		for _, pr := range problems {
			t.Error(pr)
		}
		t.FailNow()
	}
	p := Default()
	if p.Source != "default" {
		t.Errorf("Source = %q, want default", p.Source)
	}
	if len(p.Version) != 16 {
		t.Errorf("Version = %q, want 16 hex digits", p.Version)
	}
	if Default() != p {
		t.Error("Default returns a new policy each time")
	}
}

// TestDefaultFigures pins the figures of DOMAIN.md §3.
func TestDefaultFigures(t *testing.T) {
	p := Default()
	r, h := p.Resumption, p.Health
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	// 2020-02-09 24:00 in Shanghai.
	wantEarliest := time.Date(2020, 2, 9, 24, 0, 0, 0, shanghai)
	tests := []struct {
		name      string
		got, want any
	}{
		{"earliest_resumption", r.EarliestResumption.Equal(wantEarliest), true},
		{"acceptance_starts", r.AcceptanceStarts.Format(time.RFC3339), "2020-02-06T00:00:00+08:00"},
		{"lead_time", r.LeadTime(), 48 * time.Hour},
		{"early_resumption_approval", r.EarlyResumptionApproval, "county"},
		{"supplies_reserve_days", r.SuppliesReserveDays, 7},
		{"masks_per_person_per_day", r.MasksPerPersonPerDay, 1},
		{"review_due_days", r.ReviewDueDays, 3},
		{"isolation_days", h.IsolationDays, 14},
		{"monitoring_days", h.MonitoringDays, 14},
		{"journey_max_hours", h.JourneyMaxHours, 6},
		{"checks_per_day", h.ChecksPerDay, 2},
		{"fever_line", h.FeverLine, 37.3},
		{"retention_days", h.RetentionDays, 90},
		{"pass_valid_days", h.PassValidDays, 14},
		{"pass_valid_days clause", strings.Contains(p.Clause("health.pass_valid_days"), "两周内"), true},
		{"max_per_room", p.Dormitory.MaxPerRoom, 4},
		{"quarantine_single_room", p.Dormitory.QuarantineSingleRoom, true},
		{"spacing_meters", p.Dining.SpacingMeters, 1.0},
		{"single_entrance", p.Gate.SingleEntrance, true},
		{"single_entrance clause", strings.Contains(p.Clause("gate.single_entrance"), "只设1个进出通道"), true},
		{"time_zone", p.Location().String(), "Asia/Shanghai"},
		{"stages", len(p.Stages), 6},
		{"checklist", len(p.Checklist), 11},
		{"categories", len(p.Categories), 10},
		{"clause", strings.Contains(p.Clause("resumption.lead_time_hours"), "48小时"), true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestExamplesParse(t *testing.T) {
	for _, path := range examplePaths(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			p := loadExample(t, filepath.Base(path))
			if p.Source != path {
				t.Errorf("Source = %q, want %q", p.Source, path)
			}
			if p.Stages[0].Role != "enterprise" {
				t.Errorf("first stage role = %q", p.Stages[0].Role)
			}
			for _, c := range []string{"industry_above", "industry_below", "retail_services", "hq_park",
				"construction", "street_front", "coal", "hazchem", "non_coal_mine", "other"} {
				if _, ok := p.Category(c); !ok {
					t.Errorf("category %s missing", c)
				}
			}
			for _, o := range []string{OriginLocal, OriginCityOtherDistrict, OriginProvinceOtherCity, OriginOtherProvince} {
				if _, ok := p.OriginClass(o); !ok {
					t.Errorf("origin class %s missing", o)
				}
			}
		})
	}
}

func TestExampleSpecifics(t *testing.T) {
	b := loadExample(t, "variant-b-town.toml")
	c := loadExample(t, "variant-c-county.toml")
	d := loadExample(t, "variant-d-street.toml")
	stageCodes := func(p *Policy, flags map[string]bool) string {
		var codes []string
		for _, s := range p.StagesFor(flags) {
			codes = append(codes, s.Code)
		}
		return strings.Join(codes, " ")
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"B stages", stageCodes(b, nil), "submitted town_review grid_acceptance town_approval"},
		{"B stages early", stageCodes(b, map[string]bool{FlagEarlyResumption: true}), "submitted town_review grid_acceptance county_approval"},
		{"B checklist", len(b.Checklist), 11},
		{"B lead time", b.Resumption.LeadTimeHours, 48},
		{"C stages", stageCodes(c, nil), "submitted department_review deputy_sign office_filing county_acceptance leading_group notice"},
		{"C stages coal washing", stageCodes(c, map[string]bool{FlagFirstReview: true}), "submitted town_first_review department_review deputy_sign office_filing county_acceptance leading_group notice"},
		{"C checklist", len(c.Checklist), 11},
		{"C isolation", c.Health.IsolationDays, 14},
		{"C journey", c.Health.JourneyMaxHours, 6},
		{"C province_other_city", mustOrigin(t, c, OriginProvinceOtherCity).Measure, MeasureIsolate},
		{"C city_other_district", mustOrigin(t, c, OriginCityOtherDistrict).Measure, MeasureNone},
		{"D stages", stageCodes(d, nil), "submitted unit_review inspection notice"},
		{"D stages park bus", stageCodes(d, map[string]bool{FlagFirstReview: true, FlagCommuterBus: true}), "submitted park_review unit_review bus_letter park_inspection notice"},
		{"D checklist", len(d.Checklist), 9},
		{"D checklist plain", len(d.ChecklistFor(nil)), 6},
		{"D plan parts", countPartsOf(d, "resumption_plan"), 10},
		{"D materials plain", len(d.MaterialsFor("industry_above", nil)), 12},
		{"D materials all", len(d.MaterialsFor("industry_above", map[string]bool{FlagCanteen: true, FlagDormitory: true, FlagCommuterBus: true})), 16},
		{"D other_province", mustOrigin(t, d, OriginOtherProvince).Measure, MeasureAdviseNotReturn},
		{"D city_other_district", mustOrigin(t, d, OriginCityOtherDistrict).Measure, MeasureMonitor},
		{"D dorm", d.Dormitory.MaxPerRoom, 4},
		{"D bus letter", d.BusLetterSerial(2020, 7), "街道班车函〔2020〕第007号"},
		{"B single entrance", b.Gate.SingleEntrance, false},
		{"C single entrance", c.Gate.SingleEntrance, false},
		{"D single entrance", d.Gate.SingleEntrance, true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func mustOrigin(t *testing.T, p *Policy, code string) OriginClass {
	t.Helper()
	o, ok := p.OriginClass(code)
	if !ok {
		t.Fatalf("%s: no origin class %s", p.Source, code)
	}
	return o
}

func countPartsOf(p *Policy, code string) int {
	n := 0
	for _, m := range p.Materials {
		if m.PartOf == code {
			n++
		}
	}
	return n
}

func TestStageActor(t *testing.T) {
	p := Default()
	stage := func(code string) Stage {
		for _, s := range p.Stages {
			if s.Code == code {
				return s
			}
		}
		t.Fatalf("no stage %s", code)
		return Stage{}
	}
	park := p.Route(RouteInput{Category: "industry_above", InPark: true})
	coal := p.Route(RouteInput{Category: "coal"})
	shop := p.Route(RouteInput{Category: "street_front"})
	tests := []struct {
		stage              string
		route              Route
		wantRole, wantUnit string
	}{
		{"first_review", park, "park", "park_operator"},
		{"first_review", coal, "town", "town_gov"},
		{"review", park, "reviewer", "county_industry"},
		{"review", shop, "grid", "community"},
		{"grid_acceptance", shop, "grid", ""},
		{"town_approval", park, "command", "town_command"},
		{"submitted", coal, "enterprise", ""},
	}
	for _, tt := range tests {
		role, unit := p.StageActor(stage(tt.stage), tt.route)
		if role != tt.wantRole || unit != tt.wantUnit {
			t.Errorf("StageActor(%s, %+v) = %q, %q; want %q, %q", tt.stage, tt.route, role, unit, tt.wantRole, tt.wantUnit)
		}
	}
}

func TestVersion(t *testing.T) {
	a, _ := Parse("a.toml", defaultTOML)
	b, _ := Parse("b.toml", append([]byte(nil), defaultTOML...))
	changed := strings.Replace(string(defaultTOML), "lead_time_hours = 48", "lead_time_hours = 72", 1)
	c, problems := Parse("c.toml", []byte(changed))
	comment := strings.Replace(string(defaultTOML), "# Fugong default policy", "# Fugong default policy, edited", 1)
	d, _ := Parse("d.toml", []byte(comment))
	if a == nil || b == nil || c == nil || d == nil {
		t.Fatalf("parse failed: %v", problems)
	}
	if a.Version != b.Version {
		t.Errorf("same content, different versions %s %s", a.Version, b.Version)
	}
	if a.Version == c.Version {
		t.Errorf("changed figure, same version %s", a.Version)
	}
	if a.Version == d.Version {
		t.Errorf("changed comment, same version %s", a.Version)
	}
	if c.Resumption.LeadTimeHours != 72 {
		t.Errorf("lead time = %d", c.Resumption.LeadTimeHours)
	}
	for _, v := range []string{a.Version, c.Version} {
		if len(v) != 16 || strings.Trim(v, "0123456789abcdef") != "" {
			t.Errorf("version %q is not 16 hex digits", v)
		}
	}
}

func TestLocation(t *testing.T) {
	src := strings.Replace(string(defaultTOML), `time_zone = "Asia/Shanghai"`, `time_zone = "Asia/Urumqi"`, 1)
	p, problems := Parse("tz.toml", []byte(src))
	if p == nil {
		t.Fatal(problems)
	}
	if p.Location().String() != "Asia/Urumqi" {
		t.Errorf("Location = %s", p.Location())
	}
	// A local date-time is read in the policy's time zone.
	src = strings.Replace(src, "earliest_resumption = 2020-02-10T00:00:00+08:00", "earliest_resumption = 2020-02-10T00:00:00", 1)
	p, problems = Parse("tz.toml", []byte(src))
	if p == nil {
		t.Fatal(problems)
	}
	if _, off := p.Resumption.EarliestResumption.Zone(); off != 6*3600 {
		t.Errorf("earliest resumption %s not in Asia/Urumqi", p.Resumption.EarliestResumption)
	}
	// Without time_zone the default applies.
	src = strings.Replace(string(defaultTOML), `time_zone = "Asia/Shanghai"`, ``, 1)
	p, problems = Parse("tz.toml", []byte(src))
	if p == nil {
		t.Fatal(problems)
	}
	if p.Locality.TimeZone != DefaultTimeZone || p.Location().String() != DefaultTimeZone {
		t.Errorf("default time zone = %q, %s", p.Locality.TimeZone, p.Location())
	}
	// A Policy built by hand still has a location.
	if (&Policy{}).Location() == nil {
		t.Error("nil location")
	}
}

func TestFormatSerial(t *testing.T) {
	tests := []struct {
		format string
		year   int
		seq    int
		want   string
		valid  bool
	}{
		{"〔{year}〕第{seq:04}号", 2020, 7, "〔2020〕第0007号", true},
		{"复工{seq}", 2020, 12, "复工12", true},
		{"{year}-{seq:03}", 2021, 1234, "2021-1234", true},
		{"{seq:09}", 2020, 1, "000000001", true},
		{"〔{year}〕号", 2020, 1, "〔{year}〕号", false},
		{"{seq:4}", 2020, 1, "{seq:4}", false},
		{"{seq:010}", 2020, 1, "{seq:010}", false},
		{"{seq", 2020, 1, "{seq", false},
		{"seq}", 2020, 1, "seq}", false},
		{"{month}{seq}", 2020, 1, "{month}{seq}", false},
		{"", 2020, 1, "", false},
	}
	for _, tt := range tests {
		if got := FormatSerial(tt.format, tt.year, tt.seq); got != tt.want {
			t.Errorf("FormatSerial(%q) = %q, want %q", tt.format, got, tt.want)
		}
		if err := checkSerial(tt.format); (err == nil) != tt.valid {
			t.Errorf("checkSerial(%q) = %v, want valid %v", tt.format, err, tt.valid)
		}
	}
	if got := Default().NoticeSerial(2020, 3); got != "复工〔2020〕第0003号" {
		t.Errorf("NoticeSerial = %q", got)
	}
}

func TestPriorityScore(t *testing.T) {
	p := Default() // weights 3, 2, 1.5, 1, 1; reserve 7 days
	tests := []struct {
		in   PriorityInput
		want float64
	}{
		{PriorityInput{}, 0},
		{PriorityInput{KeyIndustry: true, AboveScale: true, KeyCultivated: true}, 6.5},
		{PriorityInput{LocalStaffShare: 0.5}, 0.5},
		{PriorityInput{LocalStaffShare: 3}, 1},
		{PriorityInput{SuppliesDays: 3.5}, 0.5},
		{PriorityInput{SuppliesDays: 30}, 1},
		{PriorityInput{SuppliesDays: -1}, 0},
	}
	for _, tt := range tests {
		if got := p.PriorityScore(tt.in); got != tt.want {
			t.Errorf("PriorityScore(%+v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLoadIOError(t *testing.T) {
	p, problems, err := Load(filepath.Join(t.TempDir(), "missing.toml"))
	if err == nil || p != nil || problems != nil {
		t.Errorf("Load(missing) = %v, %v, %v", p, problems, err)
	}
	path := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(path, []byte("[locality]\nname = \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, problems, err = Load(path)
	if err != nil || p != nil || len(problems) != 1 || problems[0].Line != 2 || problems[0].File != path {
		t.Errorf("Load(bad) = %v, %v, %v", p, problems, err)
	}
}

func TestDefaultTOMLCopy(t *testing.T) {
	b := DefaultTOML()
	b[0] = 'X'
	if defaultTOML[0] == 'X' {
		t.Error("DefaultTOML returns the embedded bytes themselves")
	}
}

// The units an account acts for: one answer for every noun that asks.
func TestUnitsOf(t *testing.T) {
	p := Default()
	cases := []struct {
		name string
		a    Acting
		want []string
	}{
		{"town government", Acting{Role: "town", Level: "town"}, []string{"town_gov"}},
		{"county command", Acting{Role: "command", Level: "county"}, []string{"county_command"}},
		{"town command", Acting{Role: "command", Level: "town"}, []string{"town_command"}},
		{"command of the whole installation", Acting{Role: "command", All: true}, []string{"county_command", "town_command"}},
		{"health bureau", Acting{Role: "reviewer", Dept: "county_health"}, []string{"county_health"}},
		{"department without unit", Acting{Role: "reviewer"}, nil},
		{"department of a unit the policy lacks", Acting{Role: "reviewer", Dept: "nowhere"}, nil},
		{"village grid", Acting{Role: "grid", Level: "village"}, []string{"community"}},
		{"grid of a town", Acting{Role: "grid", Level: "town"}, nil},
		{"town official without a region", Acting{Role: "town"}, nil},
		{"park operator", Acting{Role: "park", Park: true}, []string{"park_operator"}},
		{"administrator", Acting{Role: "admin", All: true}, nil},
		{"enterprise", Acting{Role: "enterprise"}, nil},
		{"staff", Acting{Role: "staff"}, nil},
	}
	for _, c := range cases {
		if got := p.UnitsOf(c.a); !slices.Equal(got, c.want) {
			t.Errorf("%s: UnitsOf = %v, want %v", c.name, got, c.want)
		}
	}
}
