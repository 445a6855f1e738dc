// Package policy holds a locality's resumption rules as data: dates, lead time, quarantine
// and monitoring periods, supplies, dormitories, which unit reviews which enterprise, the
// workflow stages, the materials to file, the acceptance checklist and the priority weights.
//
// A policy is a TOML file (see policies/README.md). Parse checks it and reports every problem
// with its line; Default returns the embedded default built from the seed's figures. Each
// Policy carries a Version (a hash of the file's bytes) that decisions record.
package policy

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"
	_ "time/tzdata" // rules are evaluated in the policy's time zone, also on a bare machine
)

// Policy is one locality's rules.
//
// Its JSON form (GET /api/v1/policy) names everything as the TOML file does (snake_case
// keys, one object per table), with the figures' clauses as one object keyed by figure
// ("resumption.lead_time_hours") and the version and source of the file.
type Policy struct {
	Locality      Locality      `json:"locality"`
	Resumption    Resumption    `json:"resumption"`
	Health        Health        `json:"health"`
	Dormitory     Dormitory     `json:"dormitory"`
	Dining        Dining        `json:"dining"`
	Gate          Gate          `json:"gate"`
	Categories    []Category    `json:"categories"`
	Units         []Unit        `json:"units"`
	OriginClasses []OriginClass `json:"origin_classes"`
	Routing       []RoutingRule `json:"routing"`
	DefaultRoute  Route         `json:"routing_default"` // [routing_default]: where an enterprise goes when no rule matches
	Stages        []Stage       `json:"stages"`
	Materials     []Material    `json:"materials"`
	Checklist     []CheckItem   `json:"checklist"`
	Priority      Priority      `json:"priority"`
	// Supervision after resumption (optional; see supervision.go).
	Supervision      Supervision       `json:"supervision"`
	SupervisionSplit []SplitRule       `json:"supervision_split,omitempty"`
	SupervisionItems []SupervisionItem `json:"supervision_checklist,omitempty"`
	HazardSectors    []HazardSector    `json:"hazard_sectors,omitempty"`
	// Duties are the 包保 duties officials are assigned to enterprises in ([[duties]],
	// optional), with which enterprises must have someone in each.
	Duties []Duty `json:"duties"`
	// Alerts say which units hear of what happens at an enterprise ([[alerts]], optional):
	// a fever, a suspended notice, an overdue rectification, a major hazard. Out-of-city
	// returners are reported to their origin class's report_to, and to the units of an
	// alert of kind "returners" when there is one.
	Alerts []AlertRoute `json:"alerts"`
	// GridChains are the grid leaders' levels ([[grid_chains]], optional): where a chain
	// applies to an enterprise, its passes are approved level by level, from the lowest up.
	// Without chains a pass is approved in one step.
	GridChains    []GridChain   `json:"grid_chains"`
	Tips          Tips          `json:"tips"`           // [tips]: public tips (tips.go)
	TipCategories []TipCategory `json:"tip_categories"` // [[tip_categories]]: what a tip reports, and who handles it
	Requests      Requests      `json:"requests"`       // [requests]: enterprise requests (requests.go)
	RequestKinds  []RequestKind `json:"request_kinds"`  // [[request_kinds]]: what an enterprise asks about, and who answers
	// Clauses maps a figure's key ("resumption.lead_time_hours") to the words of the clause
	// it comes from, so that a rule outcome can cite them. See Clause.
	Clauses map[string]string `json:"clauses"`

	Version string `json:"version"` // first 16 hex digits of the SHA-256 of the file's bytes
	Source  string `json:"source"`  // the file name, or "default"

	loc *time.Location
}

// Locality names the locality and the formats of its serial numbers.
type Locality struct {
	Name     string `json:"name"`
	NameEN   string `json:"name_en"`
	Level    string `json:"level"`     // "city", "county" or "town" (a street 街道 is a town-level unit)
	TimeZone string `json:"time_zone"` // IANA name, "Asia/Shanghai" when not given
	// Serial number formats: literal text with {year}, {seq} or {seq:0N} (zero-padded to N
	// digits). See FormatSerial.
	NoticeSerial    string `json:"notice_serial"`     // resumption notices 复工复产通知书
	BusLetterSerial string `json:"bus_letter_serial"` // commuter bus letters 通勤班车使用意见函
}

// Resumption holds the dates and figures of the application.
type Resumption struct {
	EarliestResumption      time.Time `json:"earliest_resumption"`       // no enterprise resumes before this instant
	AcceptanceStarts        time.Time `json:"acceptance_starts"`         // midnight (policy time zone) of the day acceptance starts
	LeadTimeHours           int       `json:"lead_time_hours"`           // an application is filed at least this long before the planned date
	EarlyResumptionApproval string    `json:"early_resumption_approval"` // level that approves resumption before EarliestResumption
	SuppliesReserveDays     int       `json:"supplies_reserve_days"`     // supplies must cover the returning headcount this many days
	MasksPerPersonPerDay    int       `json:"masks_per_person_per_day"`
	ReviewDueDays           int       `json:"review_due_days"` // a reviewer should decide within this many days
}

// LeadTime is LeadTimeHours as a duration.
func (r Resumption) LeadTime() time.Duration { return time.Duration(r.LeadTimeHours) * time.Hour }

// Health holds the health-monitoring figures.
type Health struct {
	IsolationDays   int     `json:"isolation_days"`
	MonitoringDays  int     `json:"monitoring_days"`
	JourneyMaxHours int     `json:"journey_max_hours"` // longest allowed journey back to the enterprise
	ChecksPerDay    int     `json:"checks_per_day"`    // temperature checks per person per day
	FeverLine       float64 `json:"fever_line"`        // °C; a temperature at or above it stops entry
	TrajectoryDays  int     `json:"trajectory_days"`   // days of travel history a returning person declares
	RetentionDays   int     `json:"retention_days"`    // health data is purged after this many days
	PassValidDays   int     `json:"pass_valid_days"`   // a pass's signed token is valid this many days (re-issued on re-activation)
}

// Dormitory holds the dormitory rules.
type Dormitory struct {
	MaxPerRoom           int  `json:"max_per_room"`
	QuarantineSingleRoom bool `json:"quarantine_single_room"`
}

// Dining holds the canteen rules.
type Dining struct {
	Staggered     bool    `json:"staggered"`
	SpacingMeters float64 `json:"spacing_meters"`
}

// Gate holds the rules of the enterprise's gate ([gate], optional: absent, nothing is asked).
type Gate struct {
	// SingleEntrance: the enterprise keeps one entrance with the checkpoint; once it has
	// registered that entrance, scans and registrations at any other checkpoint are refused.
	SingleEntrance bool `json:"single_entrance"`
}

// Category is a kind of enterprise; routing, materials and statistics use its code.
type Category struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Clause string `json:"clause,omitempty"`
}

// Unit is a department, office or body that acts in the process.
type Unit struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Level  string `json:"level"` // "city", "county", "town", "village" or "park"
	Role   string `json:"role"`  // the role of the people acting for this unit (see Roles)
}

// OriginClass is where a returning person comes from, and what is done about it.
type OriginClass struct {
	Code     string   `json:"code"` // one of OriginLocal, OriginCityOtherDistrict, OriginProvinceOtherCity, OriginOtherProvince
	Name     string   `json:"name"`
	NameEN   string   `json:"name_en"`
	Measure  string   `json:"measure"`             // one of MeasureNone, MeasureMonitor, MeasureIsolate, MeasureAdviseNotReturn
	Days     int      `json:"days,omitempty"`      // length of monitoring or isolation
	ReportTo []string `json:"report_to,omitempty"` // unit codes the enterprise reports such persons to
	Clause   string   `json:"clause,omitempty"`
}

// RoutingRule sends the enterprises it matches to a reviewing unit. Empty Categories match
// every category; nil conditions match anything.
type RoutingRule struct {
	Categories    []string `json:"categories,omitempty"`
	InPark        *bool    `json:"in_park,omitempty"`
	AboveScale    *bool    `json:"above_scale,omitempty"`
	KeyEnterprise *bool    `json:"key_enterprise,omitempty"`
	Sector        string   `json:"sector,omitempty"` // matched exactly when not empty
	Unit          string   `json:"unit"`
	FirstReview   string   `json:"first_review,omitempty"` // unit that reviews first, e.g. the park operator; may be empty
	Clause        string   `json:"clause,omitempty"`
}

// RouteInput describes an enterprise for routing.
type RouteInput struct {
	Category      string
	InPark        bool
	AboveScale    bool
	KeyEnterprise bool
	Sector        string
}

// Route is the outcome of routing: the reviewing unit, the unit that reviews first (or ""),
// and the clause that says so.
type Route struct {
	Unit        string `json:"unit"`
	FirstReview string `json:"first_review,omitempty"`
	Clause      string `json:"clause,omitempty"`
}

// Stage is one step of the resumption workflow.
type Stage struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	// Role acts in the stage. It may be empty when UnitFrom is set: then the role is that of
	// the unit the route names (see StageActor).
	Role string `json:"role,omitempty"`
	Unit string `json:"unit,omitempty"` // a fixed unit, or empty
	// UnitFrom takes the unit from the route: "route" (the reviewing unit) or
	// "first_review" (the first-review unit); empty when Unit is fixed or no unit applies.
	UnitFrom  string `json:"unit_from,omitempty"`
	When      string `json:"when,omitempty"`      // a flag (see Flags), "!flag" for its negation, or "" for always
	Checklist bool   `json:"checklist,omitempty"` // the stage fills in the acceptance checklist
	Photos    bool   `json:"photos,omitempty"`    // the stage must keep photos or video as evidence
	Issues    string `json:"issues,omitempty"`    // "notice" or "bus_letter" when the stage issues that document
	Clause    string `json:"clause,omitempty"`
}

// Material is a document an enterprise files.
type Material struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	NameEN     string   `json:"name_en"`
	Required   bool     `json:"required"`
	Categories []string `json:"categories,omitempty"` // empty: every category
	When       string   `json:"when,omitempty"`       // a flag, "!flag" or ""
	PartOf     string   `json:"part_of,omitempty"`    // code of the material this is a part of, or ""
	Clause     string   `json:"clause,omitempty"`
}

// CheckItem is one item of the acceptance or supervision checklist.
type CheckItem struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	When   string `json:"when,omitempty"` // a flag, "!flag" or ""
	Unit   string `json:"unit,omitempty"` // unit that checks this item when it is not the reviewing unit
	Clause string `json:"clause,omitempty"`
}

// Priority holds the weights for ordering resumption batches.
type Priority struct {
	KeyIndustry     float64 `json:"key_industry"`
	AboveScale      float64 `json:"above_scale"`
	KeyCultivated   float64 `json:"key_cultivated"`
	LocalStaffShare float64 `json:"local_staff_share"`
	SuppliesCover   float64 `json:"supplies_cover"`
	Clause          string  `json:"clause,omitempty"`
}

// Roles an actor may have, as named by package auth.
var Roles = []string{"admin", "command", "reviewer", "town", "grid", "park", "enterprise", "staff", "guard"}

// Levels a unit may have.
var Levels = []string{"city", "county", "town", "village", "park"}

// Origin class codes.
const (
	OriginLocal             = "local"
	OriginCityOtherDistrict = "city_other_district"
	OriginProvinceOtherCity = "province_other_city"
	OriginOtherProvince     = "other_province"
)

// Measures for origin classes.
const (
	MeasureNone            = "none"
	MeasureMonitor         = "monitor"           // temperature checks for Days days
	MeasureIsolate         = "isolate"           // isolation for Days days
	MeasureAdviseNotReturn = "advise_not_return" // advised not to return early; isolate Days days if they do
)

// Duty is a 包保 duty: a post an official holds towards an enterprise (村书记, 包保镇级领导,
// 驻企联络员, A岗/B岗 …). Required duties must be held for every enterprise they apply to:
// those of Categories (all when empty) for which When holds.
type Duty struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	NameEN     string   `json:"name_en"`
	Required   bool     `json:"required"`
	Categories []string `json:"categories,omitempty"`
	When       string   `json:"when,omitempty"` // a flag, "!flag" or ""
	Clause     string   `json:"clause,omitempty"`
}

// Applies reports whether the duty concerns an enterprise of the category with the flags.
func (d Duty) Applies(category string, flags map[string]bool) bool {
	return (len(d.Categories) == 0 || slices.Contains(d.Categories, category)) && Applies(d.When, flags)
}

// Alert kinds an [[alerts]] entry may name.
const (
	AlertFever                = "fever"                 // a fever or a symptom at a check
	AlertReturners            = "returners"             // staff returning from outside the city (报备)
	AlertNoticeSuspended      = "notice_suspended"      // the resumption notice revoked, or suspended (停产整顿): production stops
	AlertRectificationOverdue = "rectification_overdue" // a rectification order not done by its deadline
	AlertMajorHazard          = "major_hazard"          // a major hazard found (重大隐患)
)

// AlertKinds lists the kinds.
var AlertKinds = []string{AlertFever, AlertReturners, AlertNoticeSuspended, AlertRectificationOverdue, AlertMajorHazard}

// AlertRoute sends the alerts of a kind to units of the policy.
type AlertRoute struct {
	Kind   string   `json:"kind"`
	To     []string `json:"to"`
	Clause string   `json:"clause,omitempty"`
}

// AlertUnits lists the units an alert of the kind goes to, in the policy's order and
// without repeats; for returners, the report_to units of the origin classes come first.
func (p *Policy) AlertUnits(kind string) []string {
	var out []string
	add := func(us []string) {
		for _, u := range us {
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	if kind == AlertReturners {
		for _, o := range p.OriginClasses {
			add(o.ReportTo)
		}
	}
	for _, a := range p.Alerts {
		if a.Kind == kind {
			add(a.To)
		}
	}
	return out
}

// GridChain is the chain of grid leaders of the enterprises it matches: Levels are unit
// codes, the highest (总网格长) first; the enterprise itself is the level below the last.
type GridChain struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	NameEN     string   `json:"name_en"`
	AboveScale *bool    `json:"above_scale,omitempty"` // nil: every enterprise
	Levels     []string `json:"levels"`
	Clause     string   `json:"clause,omitempty"`
}

// Duty returns the duty with the code.
func (p *Policy) Duty(code string) (Duty, bool) {
	for _, d := range p.Duties {
		if d.Code == code {
			return d, true
		}
	}
	return Duty{}, false
}

// Flags that Stage.When, Material.When and CheckItem.When may name.
const (
	FlagEarlyResumption = "early_resumption" // planned date before EarliestResumption
	FlagFirstReview     = "first_review"     // the route has a first-review unit
	FlagInPark          = "in_park"
	FlagAboveScale      = "above_scale"
	FlagKeyEnterprise   = "key_enterprise"
	FlagCanteen         = "canteen"
	FlagDormitory       = "dormitory"
	FlagCommuterBus     = "commuter_bus"
)

// Flags lists every flag a When may name.
var Flags = []string{FlagEarlyResumption, FlagFirstReview, FlagInPark, FlagAboveScale,
	FlagKeyEnterprise, FlagCanteen, FlagDormitory, FlagCommuterBus}

//go:embed default.toml
var defaultTOML []byte

var (
	defaultOnce   sync.Once
	defaultPolicy *Policy
)

// Default returns the embedded default policy (DOMAIN.md §3). It panics only if the
// embedded file is invalid, which a test rules out. The same *Policy is returned each time;
// do not modify it.
func Default() *Policy {
	defaultOnce.Do(func() {
		p, problems := Parse("default", defaultTOML)
		if len(problems) > 0 {
			panic(fmt.Sprintf("policy: embedded default.toml is invalid: %v", problems))
		}
		defaultPolicy = p
	})
	return defaultPolicy
}

// DefaultTOML returns the bytes of the embedded default policy, e.g. to write it out as a
// starting point for a locality.
func DefaultTOML() []byte { return slices.Clone(defaultTOML) }

// Load reads and parses a policy file. The error is only for I/O; problems with the
// content are returned as Problems (and then the policy is nil).
func Load(path string) (*Policy, []Problem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	p, problems := Parse(path, data)
	return p, problems, nil
}

// version is the first 16 hex digits of the SHA-256 of data.
func version(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:16]
}

// Location is the policy's time zone; rules are evaluated in it.
func (p *Policy) Location() *time.Location {
	if p.loc != nil {
		return p.loc
	}
	if loc, err := time.LoadLocation(p.Locality.TimeZone); err == nil && p.Locality.TimeZone != "" {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}

// Category returns the category with the code.
func (p *Policy) Category(code string) (Category, bool) {
	for _, c := range p.Categories {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}

// Unit returns the unit with the code.
func (p *Policy) Unit(code string) (Unit, bool) {
	for _, u := range p.Units {
		if u.Code == code {
			return u, true
		}
	}
	return Unit{}, false
}

// Acting is what an account acts as, for the units of the policy: its role (as package
// auth names it), the level of its region ("county", "town", "village"; "" when its scope
// is no region), a department's unit, whether it operates a park, and whether its scope
// is the whole installation.
type Acting struct {
	Role  string
	Level string
	Dept  string // a department's unit code, "" for none
	Park  bool
	All   bool
}

// UnitsOf lists the units an account acts for — the one answer for alerts, reviews,
// inspections, hazards, rectifications and appointments: a department's reviewer its
// department's unit (when the policy has it); a park's operator the park units; a
// command, town or grid account the units of its role at its region's level, or at every
// level when its scope is the whole installation. Administrators, enterprises, staff and
// guards act for none.
func (p *Policy) UnitsOf(a Acting) []string {
	var out []string
	for _, u := range p.Units {
		ok := false
		switch a.Role {
		case "reviewer":
			ok = a.Dept != "" && u.Code == a.Dept
		case "park":
			ok = a.Park && u.Role == a.Role
		case "command", "town", "grid":
			ok = u.Role == a.Role && (a.All || a.Level != "" && u.Level == a.Level)
		}
		if ok && !slices.Contains(out, u.Code) {
			out = append(out, u.Code)
		}
	}
	return out
}

// OriginClass returns the origin class with the code.
func (p *Policy) OriginClass(code string) (OriginClass, bool) {
	for _, o := range p.OriginClasses {
		if o.Code == code {
			return o, true
		}
	}
	return OriginClass{}, false
}

// Clause returns the clause text recorded for a figure key such as
// "resumption.lead_time_hours", or "" when the policy gives none.
func (p *Policy) Clause(key string) string { return p.Clauses[key] }

// Route returns the reviewing unit for an enterprise: the first matching rule wins, and
// DefaultRoute applies when none matches.
func (p *Policy) Route(e RouteInput) Route {
	for _, r := range p.Routing {
		if r.Matches(e) {
			return Route{Unit: r.Unit, FirstReview: r.FirstReview, Clause: r.Clause}
		}
	}
	return p.DefaultRoute
}

// Matches reports whether the rule applies to the enterprise.
func (r RoutingRule) Matches(e RouteInput) bool {
	if len(r.Categories) > 0 && !slices.Contains(r.Categories, e.Category) {
		return false
	}
	if r.InPark != nil && *r.InPark != e.InPark {
		return false
	}
	if r.AboveScale != nil && *r.AboveScale != e.AboveScale {
		return false
	}
	if r.KeyEnterprise != nil && *r.KeyEnterprise != e.KeyEnterprise {
		return false
	}
	if r.Sector != "" && r.Sector != e.Sector {
		return false
	}
	return true
}

// matchesAll reports whether the rule has no condition at all.
func (r RoutingRule) matchesAll() bool {
	return len(r.Categories) == 0 && r.InPark == nil && r.AboveScale == nil &&
		r.KeyEnterprise == nil && r.Sector == ""
}

// Applies evaluates a When condition against a set of flags: "" is always true, "flag"
// is flags[flag], "!flag" is its negation.
func Applies(when string, flags map[string]bool) bool {
	if when == "" {
		return true
	}
	if when[0] == '!' {
		return !flags[when[1:]]
	}
	return flags[when]
}

// Applies reports whether the stage applies given the flags.
func (s Stage) Applies(flags map[string]bool) bool { return Applies(s.When, flags) }

// Applies reports whether the material is asked for given the flags.
func (m Material) Applies(flags map[string]bool) bool { return Applies(m.When, flags) }

// Applies reports whether the checklist item applies given the flags.
func (c CheckItem) Applies(flags map[string]bool) bool { return Applies(c.When, flags) }

// StagesFor returns the stages that apply, in order. Set flags[FlagFirstReview] when the
// route has a first-review unit.
func (p *Policy) StagesFor(flags map[string]bool) []Stage {
	var out []Stage
	for _, s := range p.Stages {
		if s.Applies(flags) {
			out = append(out, s)
		}
	}
	return out
}

// MaterialsFor returns the materials asked of an enterprise of the category, in order.
func (p *Policy) MaterialsFor(category string, flags map[string]bool) []Material {
	var out []Material
	for _, m := range p.Materials {
		if (len(m.Categories) == 0 || slices.Contains(m.Categories, category)) && m.Applies(flags) {
			out = append(out, m)
		}
	}
	return out
}

// ChecklistFor returns the checklist items that apply, in order.
func (p *Policy) ChecklistFor(flags map[string]bool) []CheckItem {
	var out []CheckItem
	for _, c := range p.Checklist {
		if c.Applies(flags) {
			out = append(out, c)
		}
	}
	return out
}

// StageActor returns who acts in a stage for an enterprise with the route: the unit (fixed,
// or taken from the route) and the role (the stage's, or else the unit's).
func (p *Policy) StageActor(s Stage, r Route) (role, unit string) {
	unit = s.Unit
	switch s.UnitFrom {
	case "route":
		unit = r.Unit
	case "first_review":
		unit = r.FirstReview
	}
	role = s.Role
	if role == "" {
		if u, ok := p.Unit(unit); ok {
			role = u.Role
		}
	}
	return role, unit
}

// PriorityInput describes an enterprise for batch ordering.
type PriorityInput struct {
	KeyIndustry     bool
	AboveScale      bool
	KeyCultivated   bool
	LocalStaffShare float64 // 0..1, share of returning staff who are local
	SuppliesDays    float64 // days the supplies in stock cover the returning headcount
}

// PriorityScore is the weighted sum used to order resumption batches (higher goes first).
// Supplies count as covered in full once they last SuppliesReserveDays.
func (p *Policy) PriorityScore(in PriorityInput) float64 {
	w := p.Priority
	score := 0.0
	if in.KeyIndustry {
		score += w.KeyIndustry
	}
	if in.AboveScale {
		score += w.AboveScale
	}
	if in.KeyCultivated {
		score += w.KeyCultivated
	}
	score += w.LocalStaffShare * clamp01(in.LocalStaffShare)
	if days := p.Resumption.SuppliesReserveDays; days > 0 {
		score += w.SuppliesCover * clamp01(in.SuppliesDays/float64(days))
	}
	return score
}

func clamp01(x float64) float64 {
	if !(x > 0) { // also NaN
		return 0
	}
	return min(x, 1)
}

// NoticeSerial formats the serial number of a resumption notice.
func (p *Policy) NoticeSerial(year, seq int) string {
	return FormatSerial(p.Locality.NoticeSerial, year, seq)
}

// BusLetterSerial formats the serial number of a commuter bus letter.
func (p *Policy) BusLetterSerial(year, seq int) string {
	return FormatSerial(p.Locality.BusLetterSerial, year, seq)
}
