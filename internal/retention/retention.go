// Package retention says which personal data is due to go under the local policy's
// health.retention_days, and what stays: temperature readings, fever follow-ups, gate
// scans, the visitor and vehicle register, and the person files (with their passes,
// staff accounts and home-grid certificates) of people who left, once the period has
// passed. Aggregate figures stay: confirmed daily reports are kept whole, though what
// they summarise may go. The store applies the plan (internal/store/purge.go).
package retention

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"fugong/internal/policy"
)

// Kind is a kind of record the purge removes.
type Kind string

const (
	Readings     Kind = "readings"      // temperature readings and declarations
	FollowUps    Kind = "follow_ups"    // fever follow-ups
	GateScans    Kind = "gate_scans"    // scans of passes at the gate
	Visitors     Kind = "visitors"      // visitors and vehicles registered at the gate
	PersonFiles  Kind = "person_files"  // the person files of people who left
	Passes       Kind = "passes"        // their entry passes
	Accounts     Kind = "accounts"      // their staff accounts: unlinked and disabled, not deleted
	Certificates Kind = "certificates"  // their home-grid certificates: the uploaded files
	Files        Kind = "files_removed" // uploaded files no longer referenced, removed from disk
)

// Rule says of a kind what goes and what stays, in Chinese and English.
type Rule struct {
	Kind           Kind
	Name, NameEN   string
	Goes, GoesEN   string
	Keeps, KeepsEN string
}

// Rules are the kinds in the order the purge reports them.
var Rules = []Rule{
	{Kind: Readings, Name: "体温记录", NameEN: "temperature readings",
		Goes: "保存期满之日前的体温记录和申报", GoesEN: "readings and declarations of days before the cut-off",
		Keeps: "仍保留的随访所依据的那次体温", KeepsEN: "the reading a follow-up still kept rests on"},
	{Kind: FollowUps, Name: "发热随访", NameEN: "fever follow-ups",
		Goes: "保存期满之日前已结束的随访", GoesEN: "follow-ups closed before the cut-off",
		Keeps: "未结束的随访", KeepsEN: "open follow-ups"},
	{Kind: GateScans, Name: "门岗扫码记录", NameEN: "gate scans",
		Goes: "保存期满之日前的扫码记录", GoesEN: "scans of days before the cut-off"},
	{Kind: Visitors, Name: "访客和车辆登记", NameEN: "visitors and vehicles",
		Goes: "保存期满之日前的访客和车辆登记", GoesEN: "registrations of days before the cut-off"},
	{Kind: PersonFiles, Name: "离职人员档案", NameEN: "person files of people who left",
		Goes: "保存期满之日前离职人员的档案及其全部体温、随访、扫码记录", GoesEN: "the files of people who left before the cut-off, with all their readings, follow-ups and scans",
		Keeps: "已确认的日报中的汇总数字", KeepsEN: "the figures of the confirmed daily reports"},
	{Kind: Passes, Name: "离职人员出入证", NameEN: "their passes",
		Goes: "这些人员的出入证", GoesEN: "the passes of those people"},
	{Kind: Accounts, Name: "离职人员员工账号", NameEN: "their staff accounts",
		Goes: "解除与档案的关联并停用", GoesEN: "unlinked from the file and disabled",
		Keeps: "账号本身(审计日志引用它)", KeepsEN: "the account itself (the audit trail refers to it)"},
	{Kind: Certificates, Name: "离职人员网格证明", NameEN: "their home-grid certificates",
		Goes: "这些人员的网格长证明", GoesEN: "the certificates on those files"},
	{Kind: Files, Name: "删除的上传文件", NameEN: "uploaded files removed",
		Goes: "不再被任何记录引用的证明文件", GoesEN: "certificate files no record refers to any more",
		Keeps: "仍被其他档案或申请材料引用的文件", KeepsEN: "files another file or application still refers to"},
}

// RuleOf is the rule of a kind.
func RuleOf(k Kind) (Rule, bool) {
	for _, r := range Rules {
		if r.Kind == k {
			return r, true
		}
	}
	return Rule{}, false
}

// Plan is what is due on a day under the policy.
type Plan struct {
	Days     int       // the policy's retention_days
	Today    string    // YYYY-MM-DD in the policy's time zone
	Cutoff   string    // records of a day before this one are due
	CutoffAt time.Time // the start of Cutoff: a person who left, a follow-up closed, before it is due
}

// Due returns the plan at now under the health section of the policy, in its time zone:
// the records of the days before today minus retention_days are due (with 90 days, on
// 20 May those of 19 February and before). ok is false when the policy sets no period
// (then nothing is ever due).
func Due(now time.Time, h policy.Health, loc *time.Location) (p Plan, ok bool) {
	if h.RetentionDays < 1 {
		return Plan{}, false
	}
	t := now.In(loc)
	y, m, d := t.Date()
	cut := time.Date(y, m, d-h.RetentionDays, 0, 0, 0, 0, loc)
	return Plan{
		Days:     h.RetentionDays,
		Today:    time.Date(y, m, d, 0, 0, 0, 0, loc).Format(time.DateOnly),
		Cutoff:   cut.Format(time.DateOnly),
		CutoffAt: cut.UTC(),
	}, true
}

// DayDue says whether a record of day (YYYY-MM-DD in the policy's time zone) is due.
// The store applies the same test in SQL (day < Cutoff).
func (p Plan) DayDue(day string) bool { return p.Cutoff != "" && day < p.Cutoff }

// InstantDue says whether something that happened at t (a person leaving, a follow-up
// closing) is due. The store applies the same test in SQL (t < CutoffAt); nil (still
// employed, still open) is never due.
func (p Plan) InstantDue(t *time.Time) bool {
	return p.Cutoff != "" && t != nil && t.Before(p.CutoffAt)
}

// Counts are how many records of each kind went (or, in a dry run, would go).
type Counts map[Kind]int64

// Total is the number of records of every kind.
func (c Counts) Total() int64 {
	var n int64
	for _, v := range c {
		n += v
	}
	return n
}

// Summary is what the audit row of a purge says: the period, the cut-off and the counts;
// never anything of a person.
func (c Counts) Summary(p Plan) map[string]any {
	m := map[string]any{"retention_days": p.Days, "cutoff": p.Cutoff}
	for _, r := range Rules {
		m[string(r.Kind)] = c[r.Kind]
	}
	return m
}

// Report lists the counts one kind a line, in the order of Rules, in English with the
// Chinese name.
func (c Counts) Report(p Plan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "retention %d days: records of days before %s (today %s in the policy's time zone)\n", p.Days, p.Cutoff, p.Today)
	width := 0
	for _, r := range Rules {
		width = max(width, len(r.NameEN))
	}
	for _, r := range Rules {
		fmt.Fprintf(&b, "  %-*s  %8d  %s\n", width, r.NameEN, c[r.Kind], r.Name)
	}
	var unknown []string
	for k := range c {
		if _, ok := RuleOf(k); !ok {
			unknown = append(unknown, string(k))
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		fmt.Fprintf(&b, "  %-*s  %8d\n", width, k, c[Kind(k)])
	}
	return b.String()
}
