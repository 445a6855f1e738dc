package policy

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// DefaultTimeZone is used when [locality] gives no time_zone.
const DefaultTimeZone = "Asia/Shanghai"

// figures are the keys [clauses] may explain, by section: [clauses] holds the words of the
// clause each figure comes from, e.g. resumption.lead_time_hours = "乙方案: …".
var figures = []struct {
	section string
	keys    []string
}{
	{"resumption", []string{"earliest_resumption", "acceptance_starts", "lead_time_hours",
		"early_resumption_approval", "supplies_reserve_days", "masks_per_person_per_day", "review_due_days"}},
	{"health", []string{"isolation_days", "monitoring_days", "journey_max_hours", "checks_per_day",
		"fever_line", "trajectory_days", "retention_days", "pass_valid_days"}},
	{"dormitory", []string{"max_per_room", "quarantine_single_room"}},
	{"dining", []string{"staggered", "spacing_meters"}},
	{"gate", []string{"single_entrance"}},
}

// approvalLevels may approve early resumption; localityLevels may own a policy.
var (
	approvalLevels = []string{"city", "county", "town"}
	localityLevels = []string{"city", "county", "town"}
	measures       = []string{MeasureNone, MeasureMonitor, MeasureIsolate, MeasureAdviseNotReturn}
	originCodes    = []string{OriginLocal, OriginCityOtherDistrict, OriginProvinceOtherCity, OriginOtherProvince}
)

// Parse reads a policy from TOML. name is used in problems and as Source. When anything is
// wrong it returns a nil policy and every problem found, ordered by line.
func Parse(name string, data []byte) (*Policy, []Problem) {
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return nil, []Problem{syntaxProblem(name, err)}
	}
	d := &decoder{file: name, lines: keyLines(string(data))}
	p := &Policy{Source: name, Version: version(data)}
	root := newTable("", 1, doc)
	d.policy(p, root)
	if len(d.problems) > 0 {
		sort.SliceStable(d.problems, func(i, j int) bool { return d.problems[i].Line < d.problems[j].Line })
		return nil, d.problems
	}
	return p, nil
}

func syntaxProblem(name string, err error) Problem {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return Problem{File: name, Line: 1, Message: "无法读取 TOML: " + err.Error(), MessageEN: "cannot read TOML: " + err.Error()}
	}
	line := max(pe.Position.Line, 1)
	return Problem{
		File:      name,
		Line:      line,
		Field:     pe.LastKey,
		Message:   fmt.Sprintf("TOML 语法错误: %s;请检查这一行的引号、括号、逗号和等号(文件须为 UTF-8 编码)", pe.Message),
		MessageEN: fmt.Sprintf("TOML syntax error: %s; check the quotes, brackets, commas and equals signs on this line (the file must be UTF-8)", pe.Message),
	}
}

func (d *decoder) policy(p *Policy, root *table) {
	d.locality(p, d.section(root, "locality"))
	d.resumption(p, d.section(root, "resumption"))
	d.health(p, d.section(root, "health"))
	d.dormitory(p, d.section(root, "dormitory"))
	d.dining(p, d.section(root, "dining"))
	d.gate(p, root)

	categories := d.categories(p, d.list(root, "categories", true))
	units := d.units(p, d.list(root, "units", true))
	d.originClasses(p, root, units)
	d.routing(p, d.list(root, "routing", false), categories, units)
	d.routingDefault(p, d.section(root, "routing_default"), units)
	d.stages(p, d.list(root, "stages", true), units)
	d.materials(p, d.list(root, "materials", true), categories)
	d.checklist(p, d.list(root, "checklist", true), units)
	d.priority(p, d.section(root, "priority"))
	d.supervision(p, root, categories, units)
	d.duties(p, d.list(root, "duties", false), categories)
	d.alerts(p, d.list(root, "alerts", false), units)
	d.gridChains(p, d.list(root, "grid_chains", false), units)
	d.tips(p, root, units)
	d.requests(p, root, units)
	d.clauses(p, root)
	d.finish(root)
}

func (d *decoder) locality(p *Policy, t *table) {
	l := &p.Locality
	l.Name = d.str(t, "name", true)
	l.NameEN = d.str(t, "name_en", false)
	l.Level = d.oneOf(t, "level", true, localityLevels)
	l.TimeZone = d.str(t, "time_zone", false)
	if l.TimeZone == "" {
		l.TimeZone = DefaultTimeZone
	}
	loc, err := time.LoadLocation(l.TimeZone)
	if err != nil || l.TimeZone == "Local" {
		d.bad(t, "time_zone",
			fmt.Sprintf("未知的时区 %q;请用 IANA 时区名,如 Asia/Shanghai", l.TimeZone),
			fmt.Sprintf("unknown time zone %q; use an IANA name like Asia/Shanghai", l.TimeZone))
		loc, _ = time.LoadLocation(DefaultTimeZone)
	}
	p.loc = loc
	l.NoticeSerial = d.serial(t, "notice_serial")
	l.BusLetterSerial = d.serial(t, "bus_letter_serial")
	d.finish(t)
}

func (d *decoder) serial(t *table, key string) string {
	s := d.str(t, key, true)
	if s == "" {
		return ""
	}
	if err := checkSerial(s); err != nil {
		d.bad(t, key,
			fmt.Sprintf("编号格式 %q 无效(%v);格式须含 {seq},可用 {year}、{seq}、{seq:04}(补零到4位),如 \"〔{year}〕第{seq:04}号\"", s, err),
			fmt.Sprintf("bad serial number format %q (%v); it must contain {seq} and may use {year}, {seq}, {seq:04} (zero-padded to 4 digits), like \"〔{year}〕第{seq:04}号\"", s, err))
		return ""
	}
	return s
}

func (d *decoder) resumption(p *Policy, t *table) {
	r := &p.Resumption
	var okE, okA bool
	r.EarliestResumption, okE = d.datetime(t, "earliest_resumption", p.loc)
	r.AcceptanceStarts, okA = d.date(t, "acceptance_starts", p.loc)
	if okE && okA && r.AcceptanceStarts.After(r.EarliestResumption) {
		d.bad(t, "acceptance_starts",
			fmt.Sprintf("验收开始日期 %s 晚于最早复工时间 %s;验收应在复工之前开始",
				r.AcceptanceStarts.Format(time.DateOnly), r.EarliestResumption.Format(time.RFC3339)),
			fmt.Sprintf("acceptance starts %s, after the earliest resumption %s; acceptance must start before resumption",
				r.AcceptanceStarts.Format(time.DateOnly), r.EarliestResumption.Format(time.RFC3339)))
	}
	r.LeadTimeHours = d.count(t, "lead_time_hours", 24*90)
	r.EarlyResumptionApproval = d.oneOf(t, "early_resumption_approval", true, approvalLevels)
	r.SuppliesReserveDays = d.count(t, "supplies_reserve_days", 365)
	r.MasksPerPersonPerDay = d.count(t, "masks_per_person_per_day", 100)
	r.ReviewDueDays = d.count(t, "review_due_days", 365)
	d.finish(t)
}

func (d *decoder) health(p *Policy, t *table) {
	h := &p.Health
	h.IsolationDays = d.count(t, "isolation_days", 365)
	h.MonitoringDays = d.count(t, "monitoring_days", 365)
	h.JourneyMaxHours = d.count(t, "journey_max_hours", 72)
	h.ChecksPerDay = d.count(t, "checks_per_day", 24)
	h.FeverLine = d.number(t, "fever_line", 35, 42)
	h.TrajectoryDays = d.count(t, "trajectory_days", 365)
	h.RetentionDays = d.count(t, "retention_days", 3650)
	h.PassValidDays = d.count(t, "pass_valid_days", 365)
	if longest := max(h.IsolationDays, h.MonitoringDays, h.TrajectoryDays); h.RetentionDays > 0 && h.RetentionDays < longest {
		d.bad(t, "retention_days",
			fmt.Sprintf("健康数据保存 %d 天,短于隔离/监测/行程期 %d 天,数据会在期满前被清除;请至少设为 %d", h.RetentionDays, longest, longest),
			fmt.Sprintf("health data kept %d days, shorter than the isolation/monitoring/trajectory period of %d days, would be purged too early; set at least %d", h.RetentionDays, longest, longest))
	}
	d.finish(t)
}

func (d *decoder) dormitory(p *Policy, t *table) {
	p.Dormitory.MaxPerRoom = d.count(t, "max_per_room", 100)
	p.Dormitory.QuarantineSingleRoom = d.boolean(t, "quarantine_single_room", true)
	d.finish(t)
}

func (d *decoder) dining(p *Policy, t *table) {
	p.Dining.Staggered = d.boolean(t, "staggered", true)
	p.Dining.SpacingMeters = d.number(t, "spacing_meters", 0.1, 10)
	d.finish(t)
}

// gate reads the optional [gate] table; without it no single entrance is asked for.
func (d *decoder) gate(p *Policy, root *table) {
	if _, ok := root.m["gate"]; !ok {
		root.seen["gate"] = true
		return
	}
	t := d.section(root, "gate")
	p.Gate.SingleEntrance = d.boolean(t, "single_entrance", true)
	d.finish(t)
}

func (d *decoder) categories(p *Policy, list []*table) map[string]int {
	codes := map[string]int{}
	for _, t := range list {
		c := Category{
			Code:   d.code(t, codes),
			Name:   d.str(t, "name", true),
			NameEN: d.str(t, "name_en", true),
			Clause: d.str(t, "clause", false),
		}
		p.Categories = append(p.Categories, c)
		d.finish(t)
	}
	return codes
}

func (d *decoder) units(p *Policy, list []*table) map[string]int {
	codes := map[string]int{}
	for _, t := range list {
		u := Unit{
			Code:   d.code(t, codes),
			Name:   d.str(t, "name", true),
			NameEN: d.str(t, "name_en", true),
			Level:  d.oneOf(t, "level", true, Levels),
			Role:   d.oneOf(t, "role", true, Roles),
		}
		p.Units = append(p.Units, u)
		d.finish(t)
	}
	return codes
}

func (d *decoder) originClasses(p *Policy, root *table, units map[string]int) {
	list := d.list(root, "origin_classes", true)
	codes := map[string]int{}
	for _, t := range list {
		o := OriginClass{
			Code:    d.code(t, codes),
			Name:    d.str(t, "name", true),
			NameEN:  d.str(t, "name_en", true),
			Measure: d.oneOf(t, "measure", true, measures),
			Clause:  d.str(t, "clause", false),
		}
		if o.Code != "" && !slices.Contains(originCodes, o.Code) {
			list := strings.Join(originCodes, ", ")
			d.bad(t, "code",
				fmt.Sprintf("不认识的来源类别 %q;可用: %s", o.Code, list),
				fmt.Sprintf("unknown origin class %q; use one of: %s", o.Code, list))
		}
		days, hasDays := d.integer(t, "days", o.Measure == MeasureMonitor || o.Measure == MeasureIsolate)
		switch {
		case !hasDays:
		case o.Measure == MeasureNone && days != 0:
			d.bad(t, "days",
				"措施为 none(无)时不应填写天数;请删除 days 或改变 measure",
				"measure none takes no days; remove days or change the measure")
		case days < 0 || days > 365 || days == 0 && o.Measure != MeasureNone:
			d.bad(t, "days",
				fmt.Sprintf("应为 1 到 365 之间的天数,实际是 %d", days),
				fmt.Sprintf("must be a number of days from 1 to 365, not %d", days))
		default:
			o.Days = days
		}
		o.ReportTo = d.strs(t, "report_to")
		for _, u := range o.ReportTo {
			d.ref(t, "report_to", u, units, unitRef)
		}
		p.OriginClasses = append(p.OriginClasses, o)
		d.finish(t)
	}
	if len(list) == 0 {
		return
	}
	for _, c := range originCodes {
		if _, ok := codes[c]; !ok {
			d.bad(root, "origin_classes",
				fmt.Sprintf("缺少来源类别 %q;四类(%s)都要定义", c, strings.Join(originCodes, ", ")),
				fmt.Sprintf("origin class %q is missing; define all four (%s)", c, strings.Join(originCodes, ", ")))
		}
	}
}

func (d *decoder) routing(p *Policy, list []*table, categories, units map[string]int) {
	catchAll := 0 // line of the first rule without conditions
	for _, t := range list {
		r := RoutingRule{
			Categories:    d.strs(t, "categories"),
			InPark:        d.optBool(t, "in_park", false),
			AboveScale:    d.optBool(t, "above_scale", false),
			KeyEnterprise: d.optBool(t, "key_enterprise", false),
			Sector:        d.str(t, "sector", false),
			Unit:          d.str(t, "unit", true),
			FirstReview:   d.str(t, "first_review", false),
			Clause:        d.str(t, "clause", false),
		}
		for _, c := range r.Categories {
			d.ref(t, "categories", c, categories, categoryRef)
		}
		d.ref(t, "unit", r.Unit, units, unitRef)
		d.ref(t, "first_review", r.FirstReview, units, unitRef)
		if r.FirstReview != "" && r.FirstReview == r.Unit {
			d.bad(t, "first_review",
				"初审单位与审核单位相同;请删除 first_review",
				"the first-review unit is the reviewing unit itself; remove first_review")
		}
		if catchAll > 0 {
			d.add(t.line, t.path,
				fmt.Sprintf("此规则永远不会生效:第 %d 行的规则没有任何条件,已匹配所有企业;请把无条件规则移到最后,或改用 [routing_default]", catchAll),
				fmt.Sprintf("this rule can never apply: the rule at line %d has no conditions and matches every enterprise; move it last or use [routing_default]", catchAll))
		} else if r.matchesAll() {
			catchAll = t.line
		}
		p.Routing = append(p.Routing, r)
		d.finish(t)
	}
}

func (d *decoder) routingDefault(p *Policy, t *table, units map[string]int) {
	r := Route{
		Unit:        d.str(t, "unit", true),
		FirstReview: d.str(t, "first_review", false),
		Clause:      d.str(t, "clause", false),
	}
	d.ref(t, "unit", r.Unit, units, unitRef)
	d.ref(t, "first_review", r.FirstReview, units, unitRef)
	p.DefaultRoute = r
	d.finish(t)
}

func (d *decoder) stages(p *Policy, list []*table, units map[string]int) {
	codes := map[string]int{}
	notice := false
	for i, t := range list {
		s := Stage{
			Code:      d.code(t, codes),
			Name:      d.str(t, "name", true),
			NameEN:    d.str(t, "name_en", true),
			Role:      d.oneOf(t, "role", false, Roles),
			Unit:      d.str(t, "unit", false),
			UnitFrom:  d.oneOf(t, "unit_from", false, []string{"route", "first_review"}),
			When:      d.when(t),
			Checklist: d.boolean(t, "checklist", false),
			Photos:    d.boolean(t, "photos", false),
			Issues:    d.oneOf(t, "issues", false, []string{"notice", "bus_letter"}),
			Clause:    d.str(t, "clause", false),
		}
		d.ref(t, "unit", s.Unit, units, unitRef)
		_, hasRole := t.m["role"]
		switch {
		case s.Unit != "" && s.UnitFrom != "":
			d.bad(t, "unit_from",
				"unit 与 unit_from 只能填一个:固定单位用 unit,按分流结果用 unit_from",
				"give either unit or unit_from, not both: unit for a fixed unit, unit_from to take it from the route")
		case !hasRole && s.UnitFrom == "":
			d.add(t.line, joinKey(t.path, "role"),
				fmt.Sprintf("缺少 role:请填写办理此阶段的角色(%s),或用 unit_from 按单位确定", strings.Join(Roles, ", ")),
				fmt.Sprintf("missing role: name the role acting in this stage (%s), or use unit_from to take it from the unit", strings.Join(Roles, ", ")))
		}
		if s.UnitFrom == "first_review" && s.When != FlagFirstReview {
			d.bad(t, "unit_from",
				`unit_from = "first_review" 的阶段须加 when = "first_review",否则没有初审单位的企业会卡在这一步`,
				`a stage with unit_from = "first_review" needs when = "first_review"; otherwise enterprises without a first-review unit would be stuck`)
		}
		if i == 0 && s.Role != "enterprise" && (s.Role != "" || s.UnitFrom != "") {
			d.bad(t, "role",
				`第一个阶段应由企业提交申请:role = "enterprise"`,
				`the first stage is the enterprise filing its application: role = "enterprise"`)
		}
		if s.Issues == "notice" {
			notice = true
		}
		p.Stages = append(p.Stages, s)
		d.finish(t)
	}
	if len(list) > 0 && !notice {
		d.add(list[len(list)-1].line, "stages",
			`没有签发复工通知书的阶段;请在批准阶段加 issues = "notice"`,
			`no stage issues the resumption notice; add issues = "notice" to the approving stage`)
	}
}

func (d *decoder) materials(p *Policy, list []*table, categories map[string]int) {
	codes := map[string]int{}
	type partRef struct {
		t    *table
		code string
	}
	var parts []partRef
	for _, t := range list {
		m := Material{
			Code:       d.code(t, codes),
			Name:       d.str(t, "name", true),
			NameEN:     d.str(t, "name_en", true),
			Required:   d.boolean(t, "required", true),
			Categories: d.strs(t, "categories"),
			When:       d.when(t),
			PartOf:     d.str(t, "part_of", false),
			Clause:     d.str(t, "clause", false),
		}
		for _, c := range m.Categories {
			d.ref(t, "categories", c, categories, categoryRef)
		}
		if m.PartOf != "" {
			if m.PartOf == m.Code {
				d.bad(t, "part_of", "材料不能是它自己的一部分", "a material cannot be part of itself")
			} else {
				parts = append(parts, partRef{t, m.PartOf})
			}
		}
		p.Materials = append(p.Materials, m)
		d.finish(t)
	}
	for _, r := range parts {
		d.ref(r.t, "part_of", r.code, codes, materialRef)
	}
}

func (d *decoder) checklist(p *Policy, list []*table, units map[string]int) {
	codes := map[string]int{}
	for _, t := range list {
		c := CheckItem{
			Code:   d.code(t, codes),
			Name:   d.str(t, "name", true),
			NameEN: d.str(t, "name_en", true),
			When:   d.when(t),
			Unit:   d.str(t, "unit", false),
			Clause: d.str(t, "clause", false),
		}
		d.ref(t, "unit", c.Unit, units, unitRef)
		p.Checklist = append(p.Checklist, c)
		d.finish(t)
	}
}

func (d *decoder) priority(p *Policy, t *table) {
	w := &p.Priority
	w.KeyIndustry = d.number(t, "key_industry", 0, 100)
	w.AboveScale = d.number(t, "above_scale", 0, 100)
	w.KeyCultivated = d.number(t, "key_cultivated", 0, 100)
	w.LocalStaffShare = d.number(t, "local_staff_share", 0, 100)
	w.SuppliesCover = d.number(t, "supplies_cover", 0, 100)
	w.Clause = d.str(t, "clause", false)
	if !t.missing && w.KeyIndustry+w.AboveScale+w.KeyCultivated+w.LocalStaffShare+w.SuppliesCover == 0 {
		d.add(t.line, "priority",
			"所有权重都是 0,无法排序复工批次;请至少给一项正的权重",
			"every weight is 0, so batches cannot be ordered; give at least one a positive weight")
	}
	d.finish(t)
}

func (d *decoder) clauses(p *Policy, root *table) {
	if _, ok := root.m["clauses"]; !ok {
		root.seen["clauses"] = true
		return
	}
	t := d.section(root, "clauses")
	p.Clauses = map[string]string{}
	for _, f := range figures {
		v, ok := d.get(t, f.section, false)
		if !ok {
			continue
		}
		m, isMap := v.(map[string]any)
		if !isMap {
			d.wrongType(t, f.section, v, "表", "a table")
			continue
		}
		sub := newTable(joinKey(t.path, f.section), d.keyLine(t, f.section), m)
		for _, k := range f.keys {
			if s := d.str(sub, k, false); s != "" {
				p.Clauses[f.section+"."+k] = s
			}
		}
		d.finish(sub)
	}
	d.finish(t)
}

// duties reads the optional [[duties]] of 包保 (responsibility.go).
func (d *decoder) duties(p *Policy, list []*table, categories map[string]int) {
	codes := map[string]int{}
	p.Duties = []Duty{}
	for _, t := range list {
		u := Duty{
			Code:       d.code(t, codes),
			Name:       d.str(t, "name", true),
			NameEN:     d.str(t, "name_en", true),
			Required:   d.boolean(t, "required", false),
			Categories: d.strs(t, "categories"),
			When:       d.when(t),
			Clause:     d.str(t, "clause", false),
		}
		for _, c := range u.Categories {
			d.ref(t, "categories", c, categories, categoryRef)
		}
		p.Duties = append(p.Duties, u)
		d.finish(t)
	}
}

// alerts reads the optional [[alerts]]: which units hear of what.
func (d *decoder) alerts(p *Policy, list []*table, units map[string]int) {
	p.Alerts = []AlertRoute{}
	seen := map[string]int{}
	for _, t := range list {
		a := AlertRoute{Kind: d.oneOf(t, "kind", true, AlertKinds), To: d.strs(t, "to"), Clause: d.str(t, "clause", false)}
		if first, dup := seen[a.Kind]; dup && a.Kind != "" {
			d.bad(t, "kind",
				fmt.Sprintf("预警类别 %q 重复,第 %d 行已经定义;请把接收单位合并到一处", a.Kind, first),
				fmt.Sprintf("alert kind %q is a duplicate of line %d; list all its units in one place", a.Kind, first))
		} else if a.Kind != "" {
			seen[a.Kind] = d.keyLine(t, "kind")
		}
		if len(a.To) == 0 {
			d.bad(t, "to", "请在 to 中列出接收预警的单位", "list the units that receive the alert in to")
		}
		for _, u := range a.To {
			d.ref(t, "to", u, units, unitRef)
		}
		p.Alerts = append(p.Alerts, a)
		d.finish(t)
	}
}

// gridChains reads the optional [[grid_chains]]: the levels of grid leaders that approve
// passes one after the other.
func (d *decoder) gridChains(p *Policy, list []*table, units map[string]int) {
	p.GridChains = []GridChain{}
	codes := map[string]int{}
	for _, t := range list {
		c := GridChain{Code: d.code(t, codes), Name: d.str(t, "name", true), NameEN: d.str(t, "name_en", true),
			AboveScale: d.optBool(t, "above_scale", false), Levels: d.strs(t, "levels"), Clause: d.str(t, "clause", false)}
		if len(c.Levels) == 0 {
			d.bad(t, "levels", "请在 levels 中从总网格长起列出各级网格长的单位", "list the units of the grid levels in levels, the highest first")
		}
		seen := map[string]bool{}
		for _, u := range c.Levels {
			d.ref(t, "levels", u, units, unitRef)
			if seen[u] {
				d.bad(t, "levels", fmt.Sprintf("单位 %q 在网格层级中出现两次", u), fmt.Sprintf("unit %q appears twice in the levels", u))
			}
			seen[u] = true
		}
		p.GridChains = append(p.GridChains, c)
		d.finish(t)
	}
}
