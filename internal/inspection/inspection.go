// Package inspection holds the rules of supervision after resumption (督导检查): the kinds
// of inspection, who inspects which enterprise (the policy's split), the checklist of each
// kind, the validation of a plan and of a completed checklist, the inspection plan (who is
// overdue) and what an enterprise may see of its inspections.
//
// Seed, variant D 「复工复产后检查」: the unit that reviewed an enterprise checks that its real
// situation matches the filed plan, the food-safety office checks canteens; variant B:
// the daily checks; variant A: 「现场办公、抽查检查、明察暗访」; variant E: safety checks.
package inspection

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/list"
	"fugong/internal/policy"
)

// Statuses of an inspection.
const (
	Planned = "planned" // planned, not yet recorded
	Done    = "done"    // recorded with its result
)

// Results of a completed inspection and of one item.
const (
	Pass = "pass"
	Fail = "fail"
	NA   = "na"
)

// Severities of a failed item: they set the rectification deadline; suspend orders
// 停产整顿.
const (
	General = "general" // 一般问题
	Serious = "serious" // 较严重问题
	Suspend = "suspend" // 停产整顿
)

// Severities lists them from light to grave.
var Severities = []string{General, Serious, Suspend}

var kindNames = map[string][2]string{
	policy.KindRoutine:      {"日常巡查", "Routine patrol"},
	policy.KindSpot:         {"抽查", "Spot check"},
	policy.KindUnannounced:  {"明察暗访", "Unannounced visit"},
	policy.KindRemote:       {"远程视频", "Remote video"},
	policy.KindCanteen:      {"食堂专项检查", "Canteen special check"},
	policy.KindSafety:       {"安全检查", "Safety check"},
	policy.KindReinspection: {"复查", "Re-inspection"},
}

// KindName is a kind's Chinese and English name.
func KindName(kind string) (zh, en string) {
	if n, ok := kindNames[kind]; ok {
		return n[0], n[1]
	}
	return kind, kind
}

var severityNames = map[string][2]string{
	General: {"一般问题", "General"},
	Serious: {"较严重问题", "Serious"},
	Suspend: {"停产整顿", "Stop production for rectification"},
}

// SeverityName is a severity's Chinese and English name.
func SeverityName(s string) (zh, en string) {
	if n, ok := severityNames[s]; ok {
		return n[0], n[1]
	}
	return s, s
}

// Subject is what the split and the checklists need to know of an enterprise.
type Subject struct {
	Category    string
	InPark      bool
	AboveScale  bool
	Flags       map[string]bool // canteen, dormitory, commuter_bus, …
	ReviewUnit  string          // the unit that reviewed its application (the split's fallback)
	ReviewRoute string          // clause of that route, if any
}

// Assignment is a unit responsible for inspecting an enterprise, the kind of inspection it
// makes by default and the clause that says so.
type Assignment struct {
	Unit   string `json:"unit"`
	Kind   string `json:"kind"`
	Clause string `json:"clause,omitempty"`
}

// Split returns the units that supervise an enterprise under the policy: first the
// responsible unit (the first matching rule without also; the reviewing unit when none
// matches), then every unit a matching also-rule adds (the food-safety office for a
// canteen). It is the one answer to "which unit supervises this enterprise".
func Split(pol *policy.Policy, s Subject) []Assignment {
	in := policy.RouteInput{Category: s.Category, InPark: s.InPark, AboveScale: s.AboveScale}
	var main *Assignment
	var also []Assignment
	for _, r := range pol.SupervisionSplit {
		if !r.Matches(in, s.Flags) {
			continue
		}
		a := Assignment{Unit: r.Unit, Kind: r.Kind, Clause: r.Clause}
		if a.Kind == "" {
			a.Kind = policy.KindSpot
		}
		if r.Also {
			also = append(also, a)
		} else if main == nil {
			main = &a
		}
	}
	if main == nil {
		main = &Assignment{Unit: s.ReviewUnit, Kind: policy.KindSpot, Clause: s.ReviewRoute}
	}
	out := []Assignment{*main}
	for _, a := range also {
		if !slices.ContainsFunc(out, func(b Assignment) bool { return b.Unit == a.Unit }) {
			out = append(out, a)
		}
	}
	return out
}

// Supervises reports whether unit is one of the units that supervise the enterprise.
func Supervises(pol *policy.Policy, s Subject, unit string) bool {
	return slices.ContainsFunc(Split(pol, s), func(a Assignment) bool { return a.Unit == unit })
}

// Inspection is one inspection of an enterprise by a unit.
type Inspection struct {
	ID             int64        `json:"id"`
	EnterpriseID   int64        `json:"enterprise_id"`
	EnterpriseName string       `json:"enterprise_name,omitempty"`
	Unit           string       `json:"unit"`
	Kind           string       `json:"kind"`
	PlannedOn      string       `json:"planned_on"` // YYYY-MM-DD in the policy's time zone
	Inspectors     string       `json:"inspectors"`
	Status         string       `json:"status"`           // planned, done
	Result         string       `json:"result,omitempty"` // pass, fail once done
	Items          []ItemResult `json:"items,omitempty"`
	Opinion        string       `json:"opinion,omitempty"`
	Signature      string       `json:"signature,omitempty"`
	Photos         int          `json:"photos"`
	Version        int          `json:"version"`
	CompletedAt    *time.Time   `json:"completed_at,omitempty"`
	CreatedAt      time.Time    `json:"created_at"`
}

// ItemResult is one checklist item as the inspector found it.
type ItemResult struct {
	Code     string `json:"code"`
	Result   string `json:"result"` // pass, fail, na
	Note     string `json:"note,omitempty"`
	Severity string `json:"severity,omitempty"` // for a failed item: general, serious, suspend
	Photos   int    `json:"photos,omitempty"`
}

// Completion is what an inspector records.
type Completion struct {
	Items     []ItemResult `json:"items"`
	Opinion   string       `json:"opinion"`
	Signature string       `json:"signature"`
	Version   int          `json:"version"`
}

// CheckPlan normalises a planned inspection and lists its problems: the kind is known,
// the unit is one of the policy's, the date is a day, the inspectors are named.
func CheckPlan(pol *policy.Policy, in *Inspection) error {
	in.Inspectors = strings.TrimSpace(in.Inspectors)
	in.PlannedOn = strings.TrimSpace(in.PlannedOn)
	var ps apperr.Problems
	if in.EnterpriseID <= 0 {
		ps.Add("enterprise_id", "请选择被检查的企业", "Choose the enterprise to inspect")
	}
	if !slices.Contains(policy.InspectionKinds, in.Kind) {
		ps.Add("kind", "请选择检查类型(日常巡查、抽查、明察暗访、远程视频、食堂专项检查、安全检查、复查)",
			"Choose the kind of inspection (routine, spot, unannounced, remote, canteen, safety, reinspection)")
	}
	if _, ok := pol.Unit(in.Unit); !ok {
		ps.Add("unit", "请选择检查单位", "Choose the inspecting unit")
	}
	if _, err := time.Parse(time.DateOnly, in.PlannedOn); err != nil {
		ps.Add("planned_on", "请填写计划检查日期,如 2020-03-02", "Enter the planned date, e.g. 2020-03-02")
	}
	if in.Inspectors == "" || utf8.RuneCountInString(in.Inspectors) > 100 {
		ps.Add("inspectors", "请填写检查人员(最多 100 字)", "Name the inspectors (at most 100 characters)")
	}
	return ps.Err()
}

// CheckCompletion checks a completed checklist against the items of the inspection: every
// item answered pass, fail or not applicable; a failed item says what is wrong and how
// grave it is; notes are short; the inspector signs. It returns the inspection's result:
// fail when any item failed.
func CheckCompletion(items []policy.SupervisionItem, in *Completion) (string, error) {
	in.Opinion, in.Signature = strings.TrimSpace(in.Opinion), strings.TrimSpace(in.Signature)
	got := map[string]*ItemResult{}
	for i := range in.Items {
		in.Items[i].Note = strings.TrimSpace(in.Items[i].Note)
		got[in.Items[i].Code] = &in.Items[i]
	}
	var ps apperr.Problems
	failed := 0
	for _, item := range items {
		r, ok := got[item.Code]
		field := "items." + item.Code
		switch {
		case !ok || (r.Result != Pass && r.Result != Fail && r.Result != NA):
			ps.Add(field, "请为「"+item.Name+"」选择 合格 / 不合格 / 不适用", "Choose pass, fail or not applicable for “"+item.NameEN+"”")
		case utf8.RuneCountInString(r.Note) > 500:
			ps.Add(field, "说明最多 500 字", "The note takes at most 500 characters")
		case r.Result == Fail:
			failed++
			if r.Note == "" {
				ps.Add(field, "「"+item.Name+"」不合格,请写明存在的问题", "“"+item.NameEN+"” failed: say what is wrong")
			}
			if !slices.Contains(Severities, r.Severity) {
				ps.Add(field, "「"+item.Name+"」不合格,请选择问题程度(一般 / 较严重 / 停产整顿)", "“"+item.NameEN+"” failed: choose how grave (general, serious, stop production)")
			}
		default:
			r.Severity = ""
		}
	}
	for code := range got {
		if !slices.ContainsFunc(items, func(it policy.SupervisionItem) bool { return it.Code == code }) {
			ps.Add("items."+code, "不是本次检查的检查项:"+code, "Not an item of this inspection: "+code)
		}
	}
	if in.Signature == "" || utf8.RuneCountInString(in.Signature) > 32 {
		ps.Add("signature", "检查人须签名", "The inspector must sign")
	}
	if utf8.RuneCountInString(in.Opinion) > 1000 {
		ps.Add("opinion", "检查意见最多 1000 字", "The opinion takes at most 1000 characters")
	}
	if err := ps.Err(); err != nil {
		return "", err
	}
	if failed > 0 {
		return Fail, nil
	}
	return Pass, nil
}

// MayComplete refuses recording an inspection that is already recorded.
func MayComplete(in Inspection) error {
	if in.Status == Done {
		return apperr.NewConflict("该检查已记录结果,不能再次提交", "The inspection is already recorded")
	}
	return nil
}

// VisibleToEnterprise reports whether the enterprise inspected may see the inspection: an
// unannounced visit (明察暗访) stays hidden until it is recorded.
func VisibleToEnterprise(in Inspection) bool {
	return in.Kind != policy.KindUnannounced || in.Status == Done
}

// Due is an enterprise's standing in the inspection plan.
type Due struct {
	Last    string `json:"last,omitempty"` // day of the last recorded inspection, or "" for none
	DueOn   string `json:"due_on"`         // day the next inspection is due
	Overdue bool   `json:"overdue"`
	Days    int    `json:"days_overdue,omitempty"`
}

// NextDue computes when a resumed enterprise is next due for an inspection under the
// policy's interval: every days after the last recorded inspection, or after it resumed
// when it was never inspected. ok is false when the policy sets no interval.
func NextDue(pol *policy.Policy, resumed, last time.Time, now time.Time) (d Due, ok bool) {
	every := pol.Supervision.InspectEveryDays
	if !pol.Supervision.Enabled || every <= 0 {
		return Due{}, false
	}
	loc := pol.Location()
	from := resumed
	if !last.IsZero() {
		from = last
		d.Last = last.In(loc).Format(time.DateOnly)
	}
	day := func(t time.Time) time.Time {
		t = t.In(loc)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	due := day(from).AddDate(0, 0, every)
	today := day(now)
	d.DueOn = due.Format(time.DateOnly)
	if today.After(due) {
		d.Overdue = true
		d.Days = int(today.Sub(due).Hours()/24 + 0.5)
	}
	return d, true
}

// Oversees reports whether a role oversees every unit's supervision in its scope, beyond
// the units it acts for: the administrator, the epidemic command and the town's officials
// plan and record inspections, and follow hazards and rectification orders, of any unit.
func Oversees(r auth.Role) bool { return r == auth.Admin || r == auth.Command || r == auth.Town }

// Facts are what Fugong already holds about an enterprise that bears on a checklist item.
type Facts struct {
	SuppliesDays  float64 // days the supplies in stock cover the headcount (-1: no stock recorded)
	ReserveDays   int     // the policy's reserve
	Roster        int     // people on the roster (not left)
	PersonFiles   int     // of them, with a health record on file
	Rooms         int     // dormitory rooms
	OverfullRooms int     // rooms over the policy's maximum
	MaxPerRoom    int
	ChecksToday   int // temperature readings today
	ChecksPerDay  int // the policy's checks per person per day
	Entrance      string
	Buses         int // commuter buses registered
	BusLetters    int // of them, with a bus letter
}

// FactLine is what the page shows next to an item: the facts in words, and whether they
// raise a doubt (shown as a warning, never decided for the inspector).
func FactLine(fact string, f Facts) (zh, en string, warn bool) {
	switch fact {
	case policy.FactSupplies:
		if f.SuppliesDays < 0 {
			return "台账中尚无物资库存记录", "No stock recorded in the ledger", true
		}
		return fmt.Sprintf("物资台账:现有库存可用 %.1f 天(要求 %d 天以上)", f.SuppliesDays, f.ReserveDays),
			fmt.Sprintf("Ledger: stock lasts %.1f days (at least %d required)", f.SuppliesDays, f.ReserveDays),
			f.SuppliesDays < float64(f.ReserveDays)
	case policy.FactRoster:
		return fmt.Sprintf("花名册 %d 人,已有健康记录 %d 人", f.Roster, f.PersonFiles),
			fmt.Sprintf("Roster %d, with a health record %d", f.Roster, f.PersonFiles),
			f.Roster == 0 || f.PersonFiles < f.Roster
	case policy.FactDormitory:
		return fmt.Sprintf("宿舍 %d 间,超过每间 %d 人的 %d 间", f.Rooms, f.MaxPerRoom, f.OverfullRooms),
			fmt.Sprintf("Dormitory rooms %d, over %d per room: %d", f.Rooms, f.MaxPerRoom, f.OverfullRooms),
			f.OverfullRooms > 0
	case policy.FactChecks:
		want := f.Roster * f.ChecksPerDay
		return fmt.Sprintf("今日体温检测 %d 次(应 %d 人 × %d 次 = %d 次)", f.ChecksToday, f.Roster, f.ChecksPerDay, want),
			fmt.Sprintf("Temperature checks today %d (due %d people × %d = %d)", f.ChecksToday, f.Roster, f.ChecksPerDay, want),
			f.ChecksToday < want
	case policy.FactEntrance:
		if f.Entrance == "" {
			return "尚未登记唯一进出通道", "No single entrance registered", true
		}
		return "登记的唯一进出通道:" + f.Entrance, "Registered single entrance: " + f.Entrance, false
	case policy.FactBusLetter:
		return fmt.Sprintf("通勤班车 %d 辆,已出具意见函 %d 辆", f.Buses, f.BusLetters),
			fmt.Sprintf("Commuter buses %d, with a bus letter %d", f.Buses, f.BusLetters),
			f.BusLetters < f.Buses
	}
	return "", "", false
}

// SubjectOf describes an enterprise for the split and the checklists: its category, park,
// size and facilities, and the unit that reviews it under the policy's routing.
func SubjectOf(pol *policy.Policy, e enterprise.Enterprise) Subject {
	r := application.RouteFor(pol, e)
	return Subject{Category: e.Category, InPark: e.ParkID != 0, AboveScale: application.AboveScale(e),
		Flags: application.Flags(e, application.Application{}, pol), ReviewUnit: r.Unit, ReviewRoute: r.Clause}
}

// SplitFor is Split for an enterprise record: the units that supervise it.
func SplitFor(pol *policy.Policy, e enterprise.Enterprise) []Assignment {
	return Split(pol, SubjectOf(pol, e))
}

// ChecklistFor is the checklist of an inspection of kind of the enterprise.
func ChecklistFor(pol *policy.Policy, e enterprise.Enterprise, kind string) []policy.SupervisionItem {
	return pol.SupervisionChecklist(kind, SubjectOf(pol, e).Flags)
}

// Filter narrows a list of inspections; a field left empty narrows nothing.
type Filter struct {
	Status       string // planned, done or ""
	Kind         string
	Unit         string
	Result       string
	EnterpriseID int64
	Q            string // part of the enterprise's name
	Page         list.Page
}

// Checklist is an inspection's checklist with the facts Fugong holds next to its items.
type Checklist struct {
	Enterprise enterprise.Enterprise
	Items      []policy.SupervisionItem
	Facts      Facts
	Photos     map[string]int // photos kept so far, by item
}

// Photo is an uploaded photo of a supervision item.
type Photo struct {
	Item        string
	Name        string
	SHA256      string
	Size        int64
	ContentType string
}

// PlanRow is a resumed enterprise in the inspection plan: the units that inspect it and
// when it is next due.
type PlanRow struct {
	EnterpriseID   int64    `json:"enterprise_id"`
	EnterpriseName string   `json:"enterprise_name"`
	Units          []string `json:"units"`
	Due            Due      `json:"due"`
}
