package policy

import (
	"fmt"
	"slices"
	"strings"
)

// Supervision after resumption (督导检查, 整改, 安全生产隐患排查治理): how often a resumed
// enterprise is inspected, who inspects what, the checklists, the rectification deadlines
// and escalation, and the key sectors of the hazard register. The whole of it is optional:
// a policy without [supervision] has no supervision (Supervision.Enabled is false).
type Supervision struct {
	Enabled bool `json:"-"`
	// InspectEveryDays: a resumed enterprise is inspected at least this often (0: no plan).
	InspectEveryDays int `json:"inspect_every_days"`
	// Rectification deadlines, in days from the order, by severity.
	GeneralDays int `json:"general_days"` // 一般问题
	SeriousDays int `json:"serious_days"` // 较严重问题
	SuspendDays int `json:"suspend_days"` // 停产整顿: the time to rectify before a re-inspection
	// EscalateTo names the units an overdue order is escalated to, in order: the first once
	// the deadline has passed, the next after EscalateAfterDays more, and so on.
	EscalateTo        []string `json:"escalate_to"`
	EscalateAfterDays int      `json:"escalate_after_days"`
	// Hazards (隐患): deadlines by grade and who is told of a major one at once.
	HazardGeneralDays int      `json:"hazard_general_days"`
	HazardMajorDays   int      `json:"hazard_major_days"`
	HazardReportTo    []string `json:"hazard_report_to"`
	// Serial is the format of the rectification notices' numbers (like notice_serial).
	Serial string `json:"serial,omitempty"`
	Clause string `json:"clause,omitempty"`
}

// SplitRule says which unit inspects the enterprises it matches ([[supervision_split]]).
// Rules are tried in order: the first matching rule without Also names the responsible
// unit; every matching rule with Also adds a unit of its own (the food-safety office for
// enterprises with a canteen).
type SplitRule struct {
	Categories []string `json:"categories,omitempty"`
	InPark     *bool    `json:"in_park,omitempty"`
	AboveScale *bool    `json:"above_scale,omitempty"`
	When       string   `json:"when,omitempty"` // a flag (canteen, dormitory, commuter_bus, …), "!flag" or ""
	Also       bool     `json:"also,omitempty"`
	Unit       string   `json:"unit"`
	Kind       string   `json:"kind,omitempty"` // the kind of inspection this unit makes by default
	Clause     string   `json:"clause,omitempty"`
}

// SupervisionItem is one item of a supervision checklist ([[supervision_checklist]]).
type SupervisionItem struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	NameEN string   `json:"name_en"`
	Kinds  []string `json:"kinds"`          // the inspection kinds that check it
	When   string   `json:"when,omitempty"` // a flag, "!flag" or ""
	Fact   string   `json:"fact,omitempty"` // the facts Fugong holds that bear on it (see Facts)
	Clause string   `json:"clause,omitempty"`
}

// HazardSector is a key sector of the hazard register ([[hazard_sectors]]) with what is
// checked there.
type HazardSector struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	NameEN  string   `json:"name_en"`
	Items   []string `json:"items,omitempty"`
	ItemsEN []string `json:"items_en,omitempty"` // the items in English, in the same order; optional
	Clause  string   `json:"clause,omitempty"`
}

// ItemEN is item i in English, "" when the policy does not give it.
func (s HazardSector) ItemEN(i int) string {
	if i < 0 || i >= len(s.ItemsEN) {
		return ""
	}
	return s.ItemsEN[i]
}

// ItemName is item (one of Items, as a hazard records it) in English when en is set and
// the policy gives it; otherwise item as it is.
func (s HazardSector) ItemName(item string, en bool) string {
	if en {
		if n := s.ItemEN(slices.Index(s.Items, item)); n != "" {
			return n
		}
	}
	return item
}

// Inspection kinds.
const (
	KindRoutine      = "routine"      // 日常巡查
	KindSpot         = "spot"         // 抽查
	KindUnannounced  = "unannounced"  // 明察暗访
	KindRemote       = "remote"       // 远程视频
	KindCanteen      = "canteen"      // 食堂专项检查
	KindSafety       = "safety"       // 安全检查
	KindReinspection = "reinspection" // 复查
)

// InspectionKinds lists the kinds in display order.
var InspectionKinds = []string{KindRoutine, KindSpot, KindUnannounced, KindRemote, KindCanteen, KindSafety, KindReinspection}

// Facts a supervision checklist item may show next to it.
const (
	FactSupplies  = "supplies"   // days of cover of the supplies in stock
	FactRoster    = "roster"     // the roster and its person files
	FactDormitory = "dormitory"  // dormitory occupancy
	FactChecks    = "checks"     // temperature checks per day
	FactEntrance  = "entrance"   // the registered single entrance
	FactBusLetter = "bus_letter" // commuter bus letters
)

// FactKinds lists every fact an item may name.
var FactKinds = []string{FactSupplies, FactRoster, FactDormitory, FactChecks, FactEntrance, FactBusLetter}

// RectificationSerial formats the serial number of a rectification notice (整改通知书).
func (p *Policy) RectificationSerial(year, seq int) string {
	f := p.Supervision.Serial
	if f == "" {
		f = DefaultRectificationSerial
	}
	return FormatSerial(f, year, seq)
}

// DefaultRectificationSerial numbers rectification notices when [supervision] gives no
// serial.
const DefaultRectificationSerial = "整改〔{year}〕第{seq:04}号"

// SupervisionChecklist returns the items a kind of inspection checks, given the flags.
func (p *Policy) SupervisionChecklist(kind string, flags map[string]bool) []SupervisionItem {
	var out []SupervisionItem
	for _, it := range p.SupervisionItems {
		if slices.Contains(it.Kinds, kind) && Applies(it.When, flags) {
			out = append(out, it)
		}
	}
	return out
}

// HazardSector returns the sector with the code.
func (p *Policy) HazardSector(code string) (HazardSector, bool) {
	for _, s := range p.HazardSectors {
		if s.Code == code {
			return s, true
		}
	}
	return HazardSector{}, false
}

// Matches reports whether the rule applies to an enterprise with the flags.
func (r SplitRule) Matches(e RouteInput, flags map[string]bool) bool {
	if len(r.Categories) > 0 && !slices.Contains(r.Categories, e.Category) {
		return false
	}
	if r.InPark != nil && *r.InPark != e.InPark {
		return false
	}
	if r.AboveScale != nil && *r.AboveScale != e.AboveScale {
		return false
	}
	return Applies(r.When, flags)
}

// supervision reads the optional [supervision], [[supervision_split]],
// [[supervision_checklist]] and [[hazard_sectors]].
func (d *decoder) supervision(p *Policy, root *table, categories, units map[string]int) {
	_, has := root.m["supervision"]
	if !has {
		root.seen["supervision"] = true
		for _, k := range []string{"supervision_split", "supervision_checklist", "hazard_sectors"} {
			if _, ok := root.m[k]; ok {
				d.add(d.keyLine(root, k), k,
					fmt.Sprintf("有 [[%s]] 却没有 [supervision];请添加 [supervision] 或删除它", k),
					fmt.Sprintf("[[%s]] is given without [supervision]; add [supervision] or remove it", k))
			}
			root.seen[k] = true
		}
		return
	}
	t := d.section(root, "supervision")
	s := &p.Supervision
	s.Enabled = true
	if n, ok := d.integer(t, "inspect_every_days", false); ok {
		if n < 0 || n > 365 {
			d.bad(t, "inspect_every_days", fmt.Sprintf("应为 0 到 365 之间的天数,实际是 %d", n), fmt.Sprintf("must be from 0 to 365 days, not %d", n))
		} else {
			s.InspectEveryDays = n
		}
	}
	s.GeneralDays = d.count(t, "general_days", 365)
	s.SeriousDays = d.count(t, "serious_days", 365)
	s.SuspendDays = d.count(t, "suspend_days", 365)
	if s.SeriousDays > 0 && s.GeneralDays > 0 && s.SeriousDays > s.GeneralDays {
		d.bad(t, "serious_days",
			fmt.Sprintf("较严重问题的整改期限 %d 天长于一般问题的 %d 天;严重的问题应更快整改", s.SeriousDays, s.GeneralDays),
			fmt.Sprintf("serious problems get %d days, longer than the %d days of general ones; serious ones must be fixed sooner", s.SeriousDays, s.GeneralDays))
	}
	s.EscalateTo = d.strs(t, "escalate_to")
	if len(s.EscalateTo) == 0 {
		d.bad(t, "escalate_to", "请列出逾期整改逐级上报的单位,如 [\"town_gov\", \"county_command\"]",
			`list the units an overdue order escalates to, like ["town_gov", "county_command"]`)
	}
	for _, u := range s.EscalateTo {
		d.ref(t, "escalate_to", u, units, unitRef)
	}
	s.EscalateAfterDays = d.count(t, "escalate_after_days", 365)
	s.HazardGeneralDays = d.count(t, "hazard_general_days", 365)
	s.HazardMajorDays = d.count(t, "hazard_major_days", 365)
	s.HazardReportTo = d.strs(t, "hazard_report_to")
	if len(s.HazardReportTo) == 0 {
		d.bad(t, "hazard_report_to", "请列出重大隐患立即报告的单位(应急管理部门)", "list the units a major hazard is reported to at once (the emergency management level)")
	}
	for _, u := range s.HazardReportTo {
		d.ref(t, "hazard_report_to", u, units, unitRef)
	}
	if _, ok := t.m["serial"]; ok {
		s.Serial = d.serial(t, "serial")
	} else {
		t.seen["serial"] = true
	}
	s.Clause = d.str(t, "clause", false)
	d.finish(t)

	for _, t := range d.list(root, "supervision_split", true) {
		r := SplitRule{
			Categories: d.strs(t, "categories"),
			InPark:     d.optBool(t, "in_park", false),
			AboveScale: d.optBool(t, "above_scale", false),
			When:       d.when(t),
			Also:       d.boolean(t, "also", false),
			Unit:       d.str(t, "unit", true),
			Kind:       d.oneOf(t, "kind", false, InspectionKinds),
			Clause:     d.str(t, "clause", false),
		}
		for _, c := range r.Categories {
			d.ref(t, "categories", c, categories, categoryRef)
		}
		d.ref(t, "unit", r.Unit, units, unitRef)
		p.SupervisionSplit = append(p.SupervisionSplit, r)
		d.finish(t)
	}

	codes := map[string]int{}
	covered := map[string]bool{}
	for _, t := range d.list(root, "supervision_checklist", true) {
		it := SupervisionItem{
			Code:   d.code(t, codes),
			Name:   d.str(t, "name", true),
			NameEN: d.str(t, "name_en", true),
			Kinds:  d.strs(t, "kinds"),
			When:   d.when(t),
			Fact:   d.oneOf(t, "fact", false, FactKinds),
			Clause: d.str(t, "clause", false),
		}
		if len(it.Kinds) == 0 {
			d.bad(t, "kinds", "请列出检查此项的检查类型,如 [\"spot\", \"reinspection\"]", `list the inspection kinds that check this item, like ["spot", "reinspection"]`)
		}
		for _, k := range it.Kinds {
			if !slices.Contains(InspectionKinds, k) {
				d.bad(t, "kinds", fmt.Sprintf("不认识的检查类型 %q,可选: %s", k, strings.Join(InspectionKinds, ", ")),
					fmt.Sprintf("unknown inspection kind %q; use one of: %s", k, strings.Join(InspectionKinds, ", ")))
			}
			covered[k] = true
		}
		p.SupervisionItems = append(p.SupervisionItems, it)
		d.finish(t)
	}
	for _, k := range InspectionKinds {
		if len(codes) > 0 && !covered[k] {
			d.add(t.line, "supervision_checklist",
				fmt.Sprintf("检查类型 %q 没有任何检查项;请在 [[supervision_checklist]] 的 kinds 中加入它", k),
				fmt.Sprintf("inspection kind %q has no checklist item; add it to the kinds of a [[supervision_checklist]] item", k))
		}
	}

	sectors := map[string]int{}
	for _, t := range d.list(root, "hazard_sectors", true) {
		hs := HazardSector{
			Code:    d.code(t, sectors),
			Name:    d.str(t, "name", true),
			NameEN:  d.str(t, "name_en", true),
			Items:   d.strs(t, "items"),
			ItemsEN: d.strs(t, "items_en"),
			Clause:  d.str(t, "clause", false),
		}
		if len(hs.ItemsEN) > 0 && len(hs.ItemsEN) != len(hs.Items) {
			d.bad(t, "items_en", fmt.Sprintf("items_en 有 %d 项,items 有 %d 项:请按 items 的顺序逐项给出英文", len(hs.ItemsEN), len(hs.Items)),
				fmt.Sprintf("items_en has %d entries and items %d: give each item in English, in the order of items", len(hs.ItemsEN), len(hs.Items)))
		}
		p.HazardSectors = append(p.HazardSectors, hs)
		d.finish(t)
	}
}
