package application

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
)

// Outcome is one rule of the policy evaluated against an application, explained in words a
// clerk understands, with the figures and the clause it enforces.
type Outcome struct {
	Rule      string `json:"rule"`
	Clause    string `json:"clause"`
	Blocking  bool   `json:"blocking"` // a failed blocking rule stops the application; an advisory one only warns
	Passed    bool   `json:"passed"`
	Message   string `json:"message"`    // Chinese
	MessageEN string `json:"message_en"` // English
}

// Rule codes, in the order Check lists them.
const (
	RuleEarliestResumption = "earliest_resumption"
	RuleLeadTime           = "lead_time"
	RuleReturning          = "returning_headcount"
	RuleSuppliesRequired   = "supplies_required"
	RuleSuppliesMasks      = "supplies_masks"
	RuleSuppliesOther      = "supplies_other"
	RuleIsolationRoom      = "isolation_room"
	RuleDormitoryRooms     = "dormitory_rooms"
	RuleDormitoryMeasures  = "dormitory_measures"
	RuleCanteenMeasures    = "canteen_measures"
	RuleCommuterBus        = "commuter_bus"
	RuleMaterials          = "materials"
	RuleMaterialsOptional  = "materials_optional"
	RuleCommitment         = "commitment"
	RuleSelfCheck          = "self_check"
	RuleOrigin             = "origin_" // + origin class code, e.g. "origin_other_province"
	RuleGreenChannel       = "green_channel"
	RuleOnBehalf           = "on_behalf"
)

// CommitmentMaterial is the material code of the commitment letter in every example policy;
// when the policy asks for it, a named person must have signed it.
const CommitmentMaterial = "commitment"

// Clauses cited when the policy gives none for a rule: the seed's own words.
const (
	seedIsolationRoom = "丙方案: 企业要落实专门疫情防控管控人员、设立企业测温点或临时隔离室,配备防护口罩、消毒液、红外测温仪等疫情防控用品"
	seedSupplies      = "丙方案: 企业要落实专门疫情防控管控人员、设立企业测温点或临时隔离室,配备防护口罩、消毒液、红外测温仪等疫情防控用品"
	seedReturning     = "丁方案: 明确企业返岗人员数量和来源,企业错时返青人员计划"
	seedSelfCheck     = "丙方案: 企业复工复产员工疫情防控自查表"
	seedGreenChannel  = "己方案: 开通“预约服务、提前介入、即到即办、帮办代办”审批绿色通道"
	seedOnBehalf      = "己方案: 专班为企业开办、恢复生产等审批事项开展帮办代办服务,帮助联系企业提交复工复产申请"
	seedFiling        = "丙方案: 对于未制定防疫工作方案、未开展开工前人员排查、未组织消毒安全检查、未经审核报备的企业,严禁复工生产"
)

// Check evaluates every rule of the policy against the application and lists each outcome,
// passed or not, blocking and advisory alike, so that all problems are shown at once.
// Rules that do not apply (no dormitory, no commuter bus …) are left out.
//
// now is the filing time while the application is a draft or returned; once submitted, the
// lead time is measured from SubmittedAt. Times are shown in the policy's time zone.
func Check(pol *policy.Policy, e enterprise.Enterprise, a Application, now time.Time) []Outcome {
	c := checker{pol: pol, e: e, a: a, now: now, loc: pol.Location(), flags: Flags(e, a, pol)}
	c.earliest()
	c.leadTime()
	c.returning()
	c.supplies()
	c.isolationRoom()
	c.dormitoryRooms()
	c.measures(RuleDormitoryMeasures, policy.FlagDormitory, "有宿舍的企业", "An enterprise with a dormitory")
	c.measures(RuleCanteenMeasures, policy.FlagCanteen, "有食堂的企业", "An enterprise with a canteen")
	c.measures(RuleCommuterBus, policy.FlagCommuterBus, "有通勤班车的企业", "An enterprise with commuter buses")
	c.materials()
	c.commitment()
	c.selfCheck()
	c.origins()
	c.notes()
	return c.out
}

// Problems returns the outcomes that failed, blocking and advisory, in order.
func Problems(outs []Outcome) []Outcome {
	var ps []Outcome
	for _, o := range outs {
		if !o.Passed {
			ps = append(ps, o)
		}
	}
	return ps
}

// Blocked reports whether a blocking rule failed.
func Blocked(outs []Outcome) bool {
	for _, o := range outs {
		if o.Blocking && !o.Passed {
			return true
		}
	}
	return false
}

// CheckErr is nil unless a blocking rule failed; then it is an Invalid error listing every
// failed blocking rule as a problem (Field = the rule's code).
func CheckErr(outs []Outcome) error {
	var ps apperr.Problems
	for _, o := range outs {
		if o.Blocking && !o.Passed {
			ps = append(ps, apperr.Problem{Field: o.Rule, Message: o.Message, MessageEN: o.MessageEN, Rule: o.Rule, Clause: o.Clause})
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &apperr.Error{Kind: apperr.Invalid,
		Message:   "申请尚未满足复工条件,请按提示修改后再提交",
		MessageEN: "The application does not meet the conditions for resumption yet; correct it and submit again",
		Problems:  ps}
}

// FilingTime is when the application counts as filed: SubmittedAt once it is under review
// or decided, otherwise now.
func FilingTime(a Application, now time.Time) time.Time {
	if !a.SubmittedAt.IsZero() && !Editable(a.Status) && a.Status != "" {
		return a.SubmittedAt
	}
	return now
}

type checker struct {
	pol   *policy.Policy
	e     enterprise.Enterprise
	a     Application
	now   time.Time
	loc   *time.Location
	flags map[string]bool
	out   []Outcome
}

func (c *checker) add(rule, clause string, blocking, passed bool, zh, en string) {
	c.out = append(c.out, Outcome{Rule: rule, Clause: clause, Blocking: blocking, Passed: passed, Message: zh, MessageEN: en})
}

// clause joins the policy's clauses for the keys; fallback when it gives none.
func (c *checker) clause(fallback string, keys ...string) string {
	var cs []string
	for _, k := range keys {
		if s := c.pol.Clause(k); s != "" && !slices.Contains(cs, s) {
			cs = append(cs, s)
		}
	}
	if len(cs) == 0 {
		return fallback
	}
	return strings.Join(cs, "; ")
}

// local words a figure of the policy as its clause, when the policy cites none for it.
func (c *checker) local(format string, args ...any) string {
	return "本地政策《" + c.pol.Locality.Name + "》: " + fmt.Sprintf(format, args...)
}

func (c *checker) tf(t time.Time) string { return t.In(c.loc).Format("2006-01-02 15:04") }

func (c *checker) earliest() {
	r := c.pol.Resumption
	earliest := c.tf(r.EarliestResumption)
	cl := c.clause(c.local("企业复工时间不得早于 %s", earliest), "resumption.earliest_resumption")
	switch {
	case c.a.PlannedAt.IsZero():
		c.add(RuleEarliestResumption, cl, true, false, "未填写计划复工时间", "The planned date of resumption is missing")
	case c.a.PlannedAt.Before(r.EarliestResumption):
		zhBy, enBy := c.earlyApprover()
		planned := c.tf(c.a.PlannedAt)
		if c.a.EarlyResumption {
			c.add(RuleEarliestResumption, c.clause(cl, "resumption.early_resumption_approval", "resumption.earliest_resumption"), true, true,
				fmt.Sprintf("申请提前复工: 计划复工时间 %s 早于最早复工时间 %s, 须经%s批准", planned, earliest, zhBy),
				fmt.Sprintf("Early resumption requested: planned %s is before the earliest resumption %s; it needs the approval of %s", planned, earliest, enBy))
			return
		}
		c.add(RuleEarliestResumption, cl, true, false,
			fmt.Sprintf("计划复工时间 %s 早于最早复工时间 %s; 确需提前复工的, 请申请提前复工(须经%s批准)", planned, earliest, zhBy),
			fmt.Sprintf("Planned resumption %s is before the earliest resumption %s; to resume early, request early resumption (approved by %s)", planned, earliest, enBy))
	default:
		c.add(RuleEarliestResumption, cl, true, true,
			fmt.Sprintf("计划复工时间 %s 不早于最早复工时间 %s", c.tf(c.a.PlannedAt), earliest),
			fmt.Sprintf("Planned resumption %s is not before the earliest resumption %s", c.tf(c.a.PlannedAt), earliest))
	}
}

// earlyApprover names who approves early resumption: the unit of the stage that applies only
// to early resumption, or else the level the policy names.
func (c *checker) earlyApprover() (zh, en string) {
	for _, s := range c.pol.Stages {
		if s.When == policy.FlagEarlyResumption && s.Unit != "" {
			if u, ok := c.pol.Unit(s.Unit); ok {
				return u.Name, cmp.Or(u.NameEN, u.Name)
			}
		}
	}
	switch c.pol.Resumption.EarlyResumptionApproval {
	case "city":
		return "市级", "the city"
	case "town":
		return "镇级", "the town"
	}
	return "县级", "the county"
}

func (c *checker) leadTime() {
	if c.a.PlannedAt.IsZero() {
		return
	}
	hours := c.pol.Resumption.LeadTimeHours
	lead := c.pol.Resumption.LeadTime()
	cl := c.clause(c.local("复工申请须至少提前 %d 小时提交", hours), "resumption.lead_time_hours")
	filed := FilingTime(c.a, c.now)
	planned := c.a.PlannedAt
	latest := c.tf(planned.Add(-lead))
	d := planned.Sub(filed)
	switch {
	case d >= lead:
		c.add(RuleLeadTime, cl, true, true,
			fmt.Sprintf("提交时间 %s 距计划复工时间 %s 有 %d 小时, 不少于 %d 小时", c.tf(filed), c.tf(planned), int(d/time.Hour), hours),
			fmt.Sprintf("Filed %s, %d hours before the planned resumption %s (at least %d required)", c.tf(filed), int(d/time.Hour), c.tf(planned), hours))
	case d > 0:
		left := int(d / time.Hour) // floor: 47 h 59 min counts as 47
		c.add(RuleLeadTime, cl, true, false,
			fmt.Sprintf("须至少提前 %d 小时提交,现距计划复工时间仅 %d 小时; 最迟应于 %s 前提交(计划复工时间 %s)", hours, left, latest, c.tf(planned)),
			fmt.Sprintf("The application must be filed at least %d hours ahead, but only %d hours remain before the planned resumption; the latest time to file was %s (planned %s)", hours, left, latest, c.tf(planned)))
	default:
		c.add(RuleLeadTime, cl, true, false,
			fmt.Sprintf("须至少提前 %d 小时提交,计划复工时间 %s 已过(提交时间 %s); 最迟应于 %s 前提交", hours, c.tf(planned), c.tf(filed), latest),
			fmt.Sprintf("The application must be filed at least %d hours ahead, but the planned resumption %s has passed (filed %s); the latest time to file was %s", hours, c.tf(planned), c.tf(filed), latest))
	}
}

// originName returns an origin class's names.
func (c *checker) originName(code string) (zh, en string) {
	if o, ok := c.pol.OriginClass(code); ok {
		return o.Name, cmp.Or(o.NameEN, o.Name)
	}
	return code, code
}

func (c *checker) materialClause(code string) string {
	for _, m := range c.pol.Materials {
		if m.Code == code {
			return m.Clause
		}
	}
	return ""
}

func (c *checker) returning() {
	r := c.a.Returning
	total := r.Total()
	cl := cmp.Or(c.materialClause("plan_staff"), seedReturning)
	if total <= 0 {
		c.add(RuleReturning, cl, true, false,
			"请填写返岗人数(本地、市内区外、省内市外、省外), 返岗人数须大于 0",
			"Enter the returning headcount (local, same city, same province, other provinces); it must be more than 0")
		return
	}
	var zh, en []string
	for _, code := range OriginClasses {
		if n := r.Of(code); n > 0 {
			nz, ne := c.originName(code)
			zh = append(zh, nz+" "+strconv.Itoa(n))
			en = append(en, ne+" "+strconv.Itoa(n))
		}
	}
	breakdown := fmt.Sprintf("返岗 %d 人(%s)", total, strings.Join(zh, "、"))
	breakdownEN := fmt.Sprintf("%d returning (%s)", total, strings.Join(en, "; "))
	if h := c.e.Headcount; h > 0 {
		if total > h {
			c.add(RuleReturning, cl, false, false,
				fmt.Sprintf("返岗人数 %d 人超过企业在册人数 %d 人, 请核实", total, h),
				fmt.Sprintf("The returning headcount %d is above the registered headcount %d; please check", total, h))
			return
		}
		breakdown += fmt.Sprintf(", 在册 %d 人", h)
		breakdownEN += fmt.Sprintf(", %d registered", h)
	}
	c.add(RuleReturning, cl, true, true, breakdown, breakdownEN)
}

func (c *checker) supplies() {
	r := c.pol.Resumption
	suppliesCl := c.clause(cmp.Or(c.materialClause("plan_supplies"), seedSupplies), "resumption.supplies_reserve_days")

	var missing, missingEN, have, haveEN []string
	for _, item := range RequiredSupplies {
		n := SupplyNames[item]
		if q, unit := c.a.Stock(item); q > 0 {
			have = append(have, fmt.Sprintf("%s %d %s", n[0], q, unit))
			haveEN = append(haveEN, fmt.Sprintf("%s %d", n[1], q))
		} else {
			missing = append(missing, n[0])
			missingEN = append(missingEN, n[1])
		}
	}
	if len(missing) > 0 {
		c.add(RuleSuppliesRequired, suppliesCl, true, false,
			"缺少必备防控物资: "+strings.Join(missing, "、"),
			"Required supplies missing: "+strings.Join(missingEN, ", "))
	} else {
		c.add(RuleSuppliesRequired, suppliesCl, true, true,
			"必备防控物资已储备: "+strings.Join(have, "、"),
			"Required supplies in stock: "+strings.Join(haveEN, ", "))
	}

	if total := c.a.Returning.Total(); total > 0 {
		days, per := r.SuppliesReserveDays, r.MasksPerPersonPerDay
		need := total * days * per
		stock, unit := c.a.Stock(ItemMasks)
		cl := c.clause(c.local("防控物资须满足复工人员 %d 天以上的用量, 每人每天至少 %d 个口罩", days, per),
			"resumption.supplies_reserve_days", "resumption.masks_per_person_per_day")
		if stock < need {
			covered := 0
			if days*per > 0 {
				covered = stock / (days * per)
			}
			c.add(RuleSuppliesMasks, cl, true, false,
				fmt.Sprintf("供应不足: 口罩 %d %s, 需 %d 人 × %d 天 × %d %s = %d %s; 现有库存最多支持 %d 人复工", stock, unit, total, days, per, unit, need, unit, covered),
				fmt.Sprintf("Supplies short: %d masks, need %d persons × %d days × %d = %d; the stock covers at most %d persons", stock, total, days, per, need, covered))
		} else {
			c.add(RuleSuppliesMasks, cl, true, true,
				fmt.Sprintf("口罩 %d %s, 满足 %d 人 × %d 天 × %d %s = %d %s", stock, unit, total, days, per, unit, need, unit),
				fmt.Sprintf("%d masks cover %d persons × %d days × %d = %d", stock, total, days, per, need))
		}
	}

	missing, missingEN = nil, nil
	for _, item := range SupplyItems {
		if slices.Contains(RequiredSupplies, item) {
			continue
		}
		if q, _ := c.a.Stock(item); q <= 0 {
			missing = append(missing, SupplyNames[item][0])
			missingEN = append(missingEN, SupplyNames[item][1])
		}
	}
	if len(missing) > 0 {
		c.add(RuleSuppliesOther, suppliesCl, false, false,
			"建议储备: "+strings.Join(missing, "、")+"(防护服供测量体温人员使用)",
			"Advised to stock: "+strings.Join(missingEN, ", ")+" (suits for the staff who take temperatures)")
	} else {
		c.add(RuleSuppliesOther, suppliesCl, false, true, "一次性手套、防护服、酒精已储备", "Gloves, protective suits and alcohol in stock")
	}
}

func (c *checker) isolationRoom() {
	cl := c.clause(cmp.Or(c.materialClause("plan_isolation_room"), seedIsolationRoom), "dormitory.quarantine_single_room")
	if n := c.a.IsolationRooms; n >= 1 {
		c.add(RuleIsolationRoom, cl, true, true,
			fmt.Sprintf("隔离留观室 %d 间", n), fmt.Sprintf("%d isolation rooms", n))
		return
	}
	c.add(RuleIsolationRoom, cl, true, false,
		"未设置隔离留观室: 须至少 1 间单人单间、相对独立的隔离留观室",
		"No isolation room: at least one separate single room for isolation and observation is required")
}

func (c *checker) dormitoryRooms() {
	if !c.e.HasDormitory && len(c.a.Dormitory) == 0 {
		return
	}
	max := c.pol.Dormitory.MaxPerRoom
	cl := c.clause(c.local("宿舍单间不得安排多于 %d 人", max), "dormitory.max_per_room")
	if len(c.a.Dormitory) == 0 {
		c.add(RuleDormitoryRooms, cl, false, false,
			fmt.Sprintf("企业有宿舍, 但未填写宿舍房间安排, 无法核对每间不多于 %d 人", max),
			fmt.Sprintf("The enterprise has a dormitory but no rooms are listed, so at most %d per room cannot be checked", max))
		return
	}
	var bad, badEN []string
	people := 0
	for _, d := range c.a.Dormitory {
		people += d.Assigned
		switch {
		case d.Assigned > max:
			bad = append(bad, fmt.Sprintf("%s 安排 %d 人, 超过每间最多 %d 人", d.Name, d.Assigned, max))
			badEN = append(badEN, fmt.Sprintf("room %s houses %d, more than %d per room", d.Name, d.Assigned, max))
		case d.Beds > 0 && d.Assigned > d.Beds:
			bad = append(bad, fmt.Sprintf("%s 安排 %d 人, 超过床位 %d 张", d.Name, d.Assigned, d.Beds))
			badEN = append(badEN, fmt.Sprintf("room %s houses %d, more than its %d beds", d.Name, d.Assigned, d.Beds))
		}
	}
	if len(bad) > 0 {
		c.add(RuleDormitoryRooms, cl, true, false,
			"宿舍超员: "+strings.Join(bad, "; "), "Dormitory over capacity: "+strings.Join(badEN, "; "))
		return
	}
	c.add(RuleDormitoryRooms, cl, true, true,
		fmt.Sprintf("宿舍 %d 间, 共住 %d 人, 每间不多于 %d 人且不超过床位", len(c.a.Dormitory), people, max),
		fmt.Sprintf("%d dormitory rooms house %d, at most %d per room and within the beds", len(c.a.Dormitory), people, max))
}

// conditional reports whether a required material is owned by one of the flag rules
// (dormitory, canteen, commuter bus) rather than by the general materials rule.
func conditional(m policy.Material) bool {
	switch m.When {
	case policy.FlagDormitory, policy.FlagCanteen, policy.FlagCommuterBus:
		return true
	}
	return false
}

// measures checks the required materials that the policy asks of enterprises with the flag
// (when = flag): variant D's canteen and dormitory parts of the plan, the bus details.
func (c *checker) measures(rule, flag, whoZH, whoEN string) {
	if !c.flags[flag] {
		return
	}
	var asked []policy.Material
	for _, m := range c.pol.MaterialsFor(c.e.Category, c.flags) {
		if m.Required && m.When == flag {
			asked = append(asked, m)
		}
	}
	if len(asked) == 0 {
		return
	}
	var missing, missingEN, all, allEN, clauses []string
	for _, m := range asked {
		all = append(all, m.Name)
		allEN = append(allEN, cmp.Or(m.NameEN, m.Name))
		if !c.a.Has(m.Code) {
			missing = append(missing, m.Name)
			missingEN = append(missingEN, cmp.Or(m.NameEN, m.Name))
			if m.Clause != "" && !slices.Contains(clauses, m.Clause) {
				clauses = append(clauses, m.Clause)
			}
		}
	}
	if len(missing) > 0 {
		c.add(rule, strings.Join(clauses, "; "), true, false,
			whoZH+"须提交: "+strings.Join(missing, "、"), whoEN+" must file: "+strings.Join(missingEN, "; "))
		return
	}
	for _, m := range asked {
		if m.Clause != "" && !slices.Contains(clauses, m.Clause) {
			clauses = append(clauses, m.Clause)
		}
	}
	c.add(rule, strings.Join(clauses, "; "), true, true, "已提交: "+strings.Join(all, "、"), "Filed: "+strings.Join(allEN, "; "))
}

func (c *checker) materials() {
	mats := c.pol.MaterialsFor(c.e.Category, c.flags)
	byCode := map[string]policy.Material{}
	parts := map[string]int{} // parent code → number of required parts asked
	for _, m := range mats {
		byCode[m.Code] = m
		if m.Required && m.PartOf != "" {
			parts[m.PartOf]++
		}
	}
	var missing, missingEN, clauses []string
	required := 0
	for _, m := range mats {
		if !m.Required || conditional(m) {
			continue
		}
		required++
		if c.a.Has(m.Code) {
			continue
		}
		parent, isPart := byCode[m.PartOf]
		switch {
		case isPart && !c.a.Has(parent.Code):
			continue // the missing parent is listed, with its parts
		case isPart:
			missing = append(missing, fmt.Sprintf("%s(%s的组成部分)", m.Name, parent.Name))
			missingEN = append(missingEN, fmt.Sprintf("%s (part of %s)", cmp.Or(m.NameEN, m.Name), cmp.Or(parent.NameEN, parent.Name)))
		case parts[m.Code] > 0:
			missing = append(missing, fmt.Sprintf("%s(含 %d 个组成部分)", m.Name, parts[m.Code]))
			missingEN = append(missingEN, fmt.Sprintf("%s (with its %d parts)", cmp.Or(m.NameEN, m.Name), parts[m.Code]))
		default:
			missing = append(missing, m.Name)
			missingEN = append(missingEN, cmp.Or(m.NameEN, m.Name))
		}
		if m.Clause != "" && !slices.Contains(clauses, m.Clause) {
			clauses = append(clauses, m.Clause)
		}
	}
	filing := seedFiling
	if len(c.pol.Stages) > 0 && c.pol.Stages[0].Clause != "" {
		filing = c.pol.Stages[0].Clause
	}
	if len(missing) > 0 {
		c.add(RuleMaterials, cmp.Or(strings.Join(clauses, "; "), filing), true, false,
			fmt.Sprintf("缺少 %d 项必备材料: %s", len(missing), strings.Join(missing, "、")),
			fmt.Sprintf("%d required materials are missing: %s", len(missing), strings.Join(missingEN, "; ")))
	} else {
		c.add(RuleMaterials, filing, true, true,
			fmt.Sprintf("必备材料齐全(%d 项)", required), fmt.Sprintf("All %d required materials are filed", required))
	}

	missing, missingEN, clauses = nil, nil, nil
	optional := 0
	for _, m := range mats {
		if m.Required {
			continue
		}
		optional++
		if !c.a.Has(m.Code) {
			missing = append(missing, m.Name)
			missingEN = append(missingEN, cmp.Or(m.NameEN, m.Name))
			if m.Clause != "" && !slices.Contains(clauses, m.Clause) {
				clauses = append(clauses, m.Clause)
			}
		}
	}
	switch {
	case optional == 0:
	case len(missing) > 0:
		c.add(RuleMaterialsOptional, strings.Join(clauses, "; "), false, false,
			"建议提交: "+strings.Join(missing, "、"), "Advised to file: "+strings.Join(missingEN, "; "))
	default:
		c.add(RuleMaterialsOptional, "", false, true, "建议提交的材料均已提交", "The advised materials are filed")
	}
}

func (c *checker) commitment() {
	var m policy.Material
	found := false
	for _, x := range c.pol.MaterialsFor(c.e.Category, c.flags) {
		if x.Code == CommitmentMaterial {
			m, found = x, true
		}
	}
	if !found {
		return
	}
	cm := c.a.Commitment
	if !cm.Signed() {
		c.add(RuleCommitment, m.Clause, true, false,
			m.Name+"须由具名人员签署: 请填写签署人姓名和签署日期",
			cmp.Or(m.NameEN, m.Name)+" must be signed by a named person: enter the signer's name and the date")
		return
	}
	day := cm.SignedAt.In(c.loc).Format("2006-01-02")
	c.add(RuleCommitment, m.Clause, true, true,
		fmt.Sprintf("%s已由 %s 于 %s 签署", m.Name, cm.SignedBy, day),
		fmt.Sprintf("%s signed by %s on %s", cmp.Or(m.NameEN, m.Name), cm.SignedBy, day))
}

func (c *checker) selfCheck() {
	items := c.pol.ChecklistFor(c.flags)
	if len(items) == 0 {
		return
	}
	cl := c.materialClause("self_check")
	for _, s := range c.pol.StagesFor(c.flags) {
		if s.Checklist && cl == "" {
			cl = s.Clause
		}
	}
	cl = cmp.Or(cl, seedSelfCheck)
	if len(c.a.SelfCheck) == 0 {
		c.add(RuleSelfCheck, cl, false, false,
			fmt.Sprintf("未填写自查: 请对照 %d 项检查内容逐项自查", len(items)),
			fmt.Sprintf("No self-check: check the %d items of the checklist one by one", len(items)))
		return
	}
	var open, openEN []string
	for _, it := range items {
		if !c.a.SelfCheck[it.Code] {
			open = append(open, it.Name)
			openEN = append(openEN, cmp.Or(it.NameEN, it.Name))
		}
	}
	if len(open) > 0 {
		c.add(RuleSelfCheck, cl, false, false,
			fmt.Sprintf("自查未落实 %d 项: %s", len(open), strings.Join(open, "; ")),
			fmt.Sprintf("%d self-check items not in place: %s", len(open), strings.Join(openEN, "; ")))
		return
	}
	c.add(RuleSelfCheck, cl, false, true,
		fmt.Sprintf("自查 %d 项均已落实", len(items)), fmt.Sprintf("All %d self-check items are in place", len(items)))
}

func (c *checker) origins() {
	for _, code := range OriginClasses[1:] {
		n := c.a.Returning.Of(code)
		o, ok := c.pol.OriginClass(code)
		if n <= 0 || !ok {
			continue
		}
		name, nameEN := o.Name, cmp.Or(o.NameEN, o.Name)
		var reportZH, reportEN []string
		for _, u := range o.ReportTo {
			if unit, ok := c.pol.Unit(u); ok {
				reportZH = append(reportZH, unit.Name)
				reportEN = append(reportEN, cmp.Or(unit.NameEN, unit.Name))
			}
		}
		report, reportE := "", ""
		if len(reportZH) > 0 {
			report = ", 并向" + strings.Join(reportZH, "、") + "报告"
			reportE = "; report them to " + strings.Join(reportEN, ", ")
		}
		rule := RuleOrigin + code
		switch o.Measure {
		case policy.MeasureAdviseNotReturn:
			c.add(rule, o.Clause, false, false,
				fmt.Sprintf("%s返岗 %d 人: 原则上倡导不提前返岗; 如返岗须隔离 %d 天%s", name, n, o.Days, report),
				fmt.Sprintf("%d returning from %s: advised not to return early; if they do, isolate them %d days%s", n, strings.ToLower(nameEN), o.Days, reportE))
		case policy.MeasureIsolate:
			c.add(rule, o.Clause, false, true,
				fmt.Sprintf("%s返岗 %d 人: 须单独隔离 %d 天%s", name, n, o.Days, report),
				fmt.Sprintf("%d returning from %s: isolate them %d days%s", n, strings.ToLower(nameEN), o.Days, reportE))
		case policy.MeasureMonitor:
			c.add(rule, o.Clause, false, true,
				fmt.Sprintf("%s返岗 %d 人: 连续 %d 天每天监测体温 %d 次%s", name, n, o.Days, c.pol.Health.ChecksPerDay, report),
				fmt.Sprintf("%d returning from %s: take their temperature %d times a day for %d days%s", n, strings.ToLower(nameEN), c.pol.Health.ChecksPerDay, o.Days, reportE))
		}
	}
}

func (c *checker) notes() {
	if c.a.GreenChannel {
		c.add(RuleGreenChannel, seedGreenChannel, false, true,
			"绿色通道: 预约服务、提前介入、即到即办, 优先办理",
			"Green channel: appointments, early involvement, handled at once, with priority")
	}
	if c.a.OnBehalf {
		c.add(RuleOnBehalf, seedOnBehalf, false, true,
			"帮办代办: 由工作人员或园区运营方代企业填报", "Filed on the enterprise's behalf by an official or the park operator")
	}
}
