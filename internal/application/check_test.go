package application

import (
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/enterprise"
)

// Every example policy passes a good application of every kind of enterprise without a
// single problem, blocking or advisory.
func TestCheckGoodApplicationPasses(t *testing.T) {
	ents := map[string]enterprise.Enterprise{
		"plain":            ent("industry_above"),
		"canteen+dorm+bus": ent("industry_below", canteen, dormitory, bus),
		"park":             ent("industry_above", inPark, key),
		"street front":     ent("street_front", canteen),
		"coal":             ent("coal", dormitory),
	}
	for _, name := range examplePolicies {
		pol := load(t, name)
		for kind, e := range ents {
			a := good(pol, e)
			outs := Check(pol, e, a, goodNow)
			if ps := Problems(outs); len(ps) > 0 {
				t.Errorf("%s, %s: problems in a good application:", name, kind)
				for _, p := range ps {
					t.Errorf("    %s: %s", p.Rule, p.Message)
				}
			}
			if Blocked(outs) || CheckErr(outs) != nil {
				t.Errorf("%s, %s: Blocked", name, kind)
			}
			for _, o := range outs {
				if o.Message == "" || o.MessageEN == "" {
					t.Errorf("%s, %s: %s has no message: %+v", name, kind, o.Rule, o)
				}
			}
			for _, rule := range []string{RuleEarliestResumption, RuleLeadTime, RuleReturning, RuleSuppliesRequired,
				RuleSuppliesMasks, RuleIsolationRoom, RuleMaterials} {
				o, ok := find(outs, rule)
				if !ok {
					t.Errorf("%s, %s: rule %s not evaluated", name, kind, rule)
				} else if o.Clause == "" {
					t.Errorf("%s, %s: rule %s cites no clause", name, kind, rule)
				}
			}
		}
	}
}

// Each rule with the seed's figures: one change to a good application, and the outcome of
// the rule it concerns.
func TestCheckRules(t *testing.T) {
	type want struct {
		rule     string
		blocking bool
		passed   bool
		msg      string // exact message, or a substring when contains is set
		contains []string
		clause   string // substring of the clause
	}
	tests := []struct {
		name   string
		policy string
		e      enterprise.Enterprise
		change func(*Application)
		now    time.Time // goodNow when zero
		want   want
	}{
		// Supplies: 100 returning × 7 days × 1 mask.
		{"650 masks for 100 staff", "default", ent("industry_above"),
			func(a *Application) { a.Supplies[0].Quantity = 650 }, time.Time{},
			want{rule: RuleSuppliesMasks, blocking: true, msg: "供应不足: 口罩 650 只, 需 100 人 × 7 天 × 1 只 = 700 只; 现有库存最多支持 92 人复工", clause: "7天以上"}},
		{"650 masks, English", "default", ent("industry_above"),
			func(a *Application) { a.Supplies[0].Quantity = 650 }, time.Time{},
			want{rule: RuleSuppliesMasks, blocking: true, contains: []string{"650 masks, need 100 persons × 7 days × 1 = 700", "at most 92 persons"}}},
		{"700 masks for 100 staff", "default", ent("industry_above"),
			func(a *Application) { a.Supplies[0].Quantity = 700 }, time.Time{},
			want{rule: RuleSuppliesMasks, blocking: true, passed: true, msg: "口罩 700 只, 满足 100 人 × 7 天 × 1 只 = 700 只"}},
		{"masks over two lines", "variant-d-street.toml", ent("industry_above"),
			func(a *Application) {
				a.Supplies[0].Quantity = 400
				a.Supplies = append(a.Supplies, SupplyItem{Item: ItemMasks, Quantity: 300})
			}, time.Time{},
			want{rule: RuleSuppliesMasks, blocking: true, passed: true, contains: []string{"口罩 700 只"}}},
		{"699 masks", "variant-c-county.toml", ent("industry_above"),
			func(a *Application) { a.Supplies[0].Quantity = 699 }, time.Time{},
			want{rule: RuleSuppliesMasks, blocking: true, contains: []string{"最多支持 99 人复工"}, clause: "1个口罩"}},
		{"no masks at all", "default", ent("industry_above"),
			func(a *Application) { a.Supplies = a.Supplies[1:] }, time.Time{},
			want{rule: RuleSuppliesMasks, blocking: true, contains: []string{"口罩 0 只", "最多支持 0 人复工"}}},
		{"thermometers and disinfectant missing", "variant-d-street.toml", ent("industry_above"),
			func(a *Application) { a.Supplies = a.Supplies[:3] }, time.Time{},
			want{rule: RuleSuppliesRequired, blocking: true, msg: "缺少必备防控物资: 体温计、消毒液"}},
		{"gloves, suits and alcohol missing are advisory", "variant-d-street.toml", ent("industry_above"),
			func(a *Application) { a.Supplies = []SupplyItem{a.Supplies[0], a.Supplies[3], a.Supplies[5]} }, time.Time{},
			want{rule: RuleSuppliesOther, contains: []string{"一次性手套、防护服、酒精"}, clause: "丁方案"}},

		// Lead time: at least 48 hours before the planned date (2020-02-15 08:00).
		{"submitted 47 h before", "variant-b-town.toml", ent("industry_above"), nil, plannedAt.Add(-47 * time.Hour),
			want{rule: RuleLeadTime, blocking: true, contains: []string{"须至少提前 48 小时提交,现距计划复工时间仅 47 小时", "最迟应于 2020-02-13 08:00 前提交"}, clause: "48小时"}},
		{"47 h 59 min is still 47", "variant-b-town.toml", ent("industry_above"), nil, plannedAt.Add(-48*time.Hour + time.Minute),
			want{rule: RuleLeadTime, blocking: true, contains: []string{"仅 47 小时"}}},
		{"submitted 48 h before", "variant-b-town.toml", ent("industry_above"), nil, plannedAt.Add(-48 * time.Hour),
			want{rule: RuleLeadTime, blocking: true, passed: true, msg: "提交时间 2020-02-13 08:00 距计划复工时间 2020-02-15 08:00 有 48 小时, 不少于 48 小时"}},
		{"planned date passed", "default", ent("industry_above"), nil, plannedAt.Add(time.Hour),
			want{rule: RuleLeadTime, blocking: true, contains: []string{"计划复工时间 2020-02-15 08:00 已过", "2020-02-13 08:00"}}},
		{"times shown in the policy's zone", "default", ent("industry_above"), nil, plannedAt.Add(-47 * time.Hour).UTC(),
			want{rule: RuleLeadTime, blocking: true, contains: []string{"最迟应于 2020-02-13 08:00 前提交(计划复工时间 2020-02-15 08:00)"}}},
		{"once submitted, SubmittedAt counts", "default", ent("industry_above"),
			func(a *Application) { a.Status, a.SubmittedAt = "submitted", plannedAt.Add(-50*time.Hour) }, plannedAt.Add(24 * time.Hour),
			want{rule: RuleLeadTime, blocking: true, passed: true, contains: []string{"有 50 小时"}}},
		{"returned: now counts again", "default", ent("industry_above"),
			func(a *Application) { a.Status, a.SubmittedAt = StatusReturned, plannedAt.Add(-50*time.Hour) }, plannedAt.Add(-10 * time.Hour),
			want{rule: RuleLeadTime, blocking: true, contains: []string{"仅 10 小时"}}},

		// Earliest resumption: 2020-02-09 24:00 = 2020-02-10 00:00 +08:00.
		{"planned before the earliest date", "variant-b-town.toml", ent("industry_above"),
			func(a *Application) { a.PlannedAt = at("2020-02-09 23:59") }, at("2020-02-01 08:00"),
			want{rule: RuleEarliestResumption, blocking: true, msg: "计划复工时间 2020-02-09 23:59 早于最早复工时间 2020-02-10 00:00; 确需提前复工的, 请申请提前复工(须经县疫情防控应急指挥部批准)", clause: "不得早于2020年2月9日24时"}},
		{"early resumption requested", "variant-b-town.toml", ent("industry_above"),
			func(a *Application) { a.PlannedAt, a.EarlyResumption = at("2020-02-08 08:00"), true }, at("2020-02-01 08:00"),
			want{rule: RuleEarliestResumption, blocking: true, passed: true, msg: "申请提前复工: 计划复工时间 2020-02-08 08:00 早于最早复工时间 2020-02-10 00:00, 须经县疫情防控应急指挥部批准", clause: "提前复工的,须上报县疫情防控应急指挥部批准"}},
		{"early resumption in a policy without an early stage", "variant-c-county.toml", ent("industry_above"),
			func(a *Application) { a.PlannedAt, a.EarlyResumption = at("2020-02-08 08:00"), true }, at("2020-02-01 08:00"),
			want{rule: RuleEarliestResumption, blocking: true, passed: true, contains: []string{"须经县级批准"}}},
		{"planned at the earliest instant", "variant-b-town.toml", ent("industry_above"),
			func(a *Application) { a.PlannedAt = at("2020-02-10 00:00") }, at("2020-02-01 08:00"),
			want{rule: RuleEarliestResumption, blocking: true, passed: true, msg: "计划复工时间 2020-02-10 00:00 不早于最早复工时间 2020-02-10 00:00"}},
		{"the same instant in UTC", "default", ent("industry_above"),
			func(a *Application) { a.PlannedAt = time.Date(2020, 2, 9, 16, 0, 0, 0, time.UTC) }, at("2020-02-01 08:00"),
			want{rule: RuleEarliestResumption, blocking: true, passed: true}},
		{"one second early in UTC", "default", ent("industry_above"),
			func(a *Application) { a.PlannedAt = time.Date(2020, 2, 9, 15, 59, 59, 0, time.UTC) }, at("2020-02-01 08:00"),
			want{rule: RuleEarliestResumption, blocking: true, contains: []string{"2020-02-09 23:59"}}},
		{"no planned date", "default", ent("industry_above"),
			func(a *Application) { a.PlannedAt = time.Time{} }, time.Time{},
			want{rule: RuleEarliestResumption, blocking: true, msg: "未填写计划复工时间"}},

		// Returning headcount.
		{"nobody returning", "default", ent("industry_above"),
			func(a *Application) { a.Returning = Returning{} }, time.Time{},
			want{rule: RuleReturning, blocking: true, contains: []string{"返岗人数须大于 0"}}},
		{"more returning than registered", "default", ent("industry_above"),
			func(a *Application) { a.Returning.Local = 160 }, time.Time{},
			want{rule: RuleReturning, msg: "返岗人数 160 人超过企业在册人数 150 人, 请核实"}},
		{"breakdown by origin", "variant-d-street.toml", ent("industry_above"),
			func(a *Application) {
				a.Returning = Returning{Local: 80, CityOtherDistrict: 10, ProvinceOtherCity: 6, OtherProvince: 4}
			}, time.Time{},
			want{rule: RuleReturning, blocking: true, passed: true, msg: "返岗 100 人(本地 80、市内区外 10、省内市外 6、省外 4), 在册 150 人"}},

		// Isolation room.
		{"no isolation room", "variant-d-street.toml", ent("industry_above"),
			func(a *Application) { a.IsolationRooms = 0 }, time.Time{},
			want{rule: RuleIsolationRoom, blocking: true, contains: []string{"未设置隔离留观室"}, clause: "单人单间"}},

		// Dormitory: at most 4 per room.
		{"5 in a dormitory room", "variant-d-street.toml", ent("industry_above", dormitory),
			func(a *Application) { a.Dormitory[1].Assigned = 5 }, time.Time{},
			want{rule: RuleDormitoryRooms, blocking: true, msg: "宿舍超员: A-102 安排 5 人, 超过每间最多 4 人", clause: "单间不得安排多于4人"}},
		{"more than the beds", "default", ent("industry_above", dormitory),
			func(a *Application) { a.Dormitory[0].Beds = 3 }, time.Time{},
			want{rule: RuleDormitoryRooms, blocking: true, msg: "宿舍超员: A-101 安排 4 人, 超过床位 3 张"}},
		{"every crowded room named", "default", ent("industry_above", dormitory),
			func(a *Application) {
				a.Dormitory = append(a.Dormitory, DormRoom{Name: "B-201", Beds: 8, Assigned: 6})
				a.Dormitory[0].Assigned = 5
			}, time.Time{},
			want{rule: RuleDormitoryRooms, blocking: true, msg: "宿舍超员: A-101 安排 5 人, 超过每间最多 4 人; B-201 安排 6 人, 超过每间最多 4 人"}},
		{"4 in a room passes", "variant-b-town.toml", ent("industry_above", dormitory), nil, time.Time{},
			want{rule: RuleDormitoryRooms, blocking: true, passed: true, msg: "宿舍 2 间, 共住 7 人, 每间不多于 4 人且不超过床位"}},
		{"dormitory without rooms listed", "default", ent("industry_above", dormitory),
			func(a *Application) { a.Dormitory = nil }, time.Time{},
			want{rule: RuleDormitoryRooms, contains: []string{"未填写宿舍房间安排"}}},
		{"dormitory measures missing (variant D)", "variant-d-street.toml", ent("industry_above", dormitory),
			func(a *Application) { *a = without(*a, "plan_dormitory") }, time.Time{},
			want{rule: RuleDormitoryMeasures, blocking: true, msg: "有宿舍的企业须提交: (10)宿舍管理措施", clause: "单间不得安排多于4人"}},

		// Canteen and buses (variant D asks for them).
		{"canteen without canteen measures", "variant-d-street.toml", ent("retail_services", canteen),
			func(a *Application) { *a = without(*a, "plan_canteen") }, time.Time{},
			want{rule: RuleCanteenMeasures, blocking: true, msg: "有食堂的企业须提交: (9)食堂环境卫生管理和就餐管理措施", clause: "食堂环境卫生管理"}},
		{"canteen measures present", "variant-d-street.toml", ent("retail_services", canteen), nil, time.Time{},
			want{rule: RuleCanteenMeasures, blocking: true, passed: true, msg: "已提交: (9)食堂环境卫生管理和就餐管理措施"}},
		{"bus without its papers (variant D)", "variant-d-street.toml", ent("industry_above", bus),
			func(a *Application) { *a = without(*a, "bus_details", "commitment") }, time.Time{},
			want{rule: RuleCommuterBus, blocking: true, msg: "有通勤班车的企业须提交: 疫情防控承诺书(附件4)、通勤班车明细表(附件5)", clause: "通勤班车明细表"}},
		{"bus without details (default)", "default", ent("industry_above", bus),
			func(a *Application) { *a = without(*a, "bus_details") }, time.Time{},
			want{rule: RuleCommuterBus, blocking: true, msg: "有通勤班车的企业须提交: 通勤班车明细表"}},

		// Materials: every missing one at once.
		{"no materials (variant B)", "variant-b-town.toml", ent("industry_above"),
			func(a *Application) { a.Attachments, a.Parts = nil, nil }, time.Time{},
			want{rule: RuleMaterials, blocking: true, msg: "缺少 4 项必备材料: 复工书面申请报告、复工疫情防控实施方案(含 2 个组成部分)、上岗员工花名册、承诺书", clause: "上岗员工花名册"}},
		{"no materials (variant C)", "variant-c-county.toml", ent("industry_above"),
			func(a *Application) { a.Attachments, a.Parts = nil, nil }, time.Time{},
			want{rule: RuleMaterials, blocking: true, msg: "缺少 5 项必备材料: 企业疫情防控实施方案(经镇领导小组备案)、复工复产方案(经县级主管部门审核)、县工业企业复工复产申请表、企业复工复产员工疫情防控自查表、企业承诺书"}},
		{"no materials (variant D)", "variant-d-street.toml", ent("industry_above"),
			func(a *Application) { a.Attachments, a.Parts = nil, nil }, time.Time{},
			want{rule: RuleMaterials, blocking: true, msg: "缺少 4 项必备材料: 企业复工复产工作方案(含 8 个组成部分)、企业复工申请表(附件1)、复工企业职工排查登记表(附件2)、复工企业备案汇总表(附件3)"}},
		{"plan without three of its parts (variant D)", "variant-d-street.toml", ent("industry_above"),
			func(a *Application) { *a = without(*a, "plan_supplies", "plan_isolation_room", "plan_risk") }, time.Time{},
			want{rule: RuleMaterials, blocking: true, contains: []string{"缺少 3 项必备材料: (3)防护物资储备量", "(5)隔离留观室(单人单间、相对独立)(企业复工复产工作方案的组成部分)", "(7)风险评估、疫情防控措施、应急预案(企业复工复产工作方案的组成部分)"}, clause: "7天以上"}},
		{"missing materials in English", "variant-b-town.toml", ent("industry_above"),
			func(a *Application) { *a = without(*a, "roster", "emergency_plan") }, time.Time{},
			want{rule: RuleMaterials, blocking: true, msg: "缺少 2 项必备材料: 应急处置预案(复工疫情防控实施方案的组成部分)、上岗员工花名册"}},
		{"optional isolation plan (variant C)", "variant-c-county.toml", ent("industry_above"),
			func(a *Application) { *a = without(*a, "isolation_plan") }, time.Time{},
			want{rule: RuleMaterialsOptional, msg: "建议提交: 市外返岗人员隔离方案", clause: "隔离方案"}},

		// Commitment letter.
		{"commitment not signed", "variant-b-town.toml", ent("industry_above"),
			func(a *Application) { a.Commitment = Commitment{} }, time.Time{},
			want{rule: RuleCommitment, blocking: true, msg: "承诺书须由具名人员签署: 请填写签署人姓名和签署日期", clause: "两周内"}},
		{"commitment signed by nobody", "variant-c-county.toml", ent("industry_above"),
			func(a *Application) { a.Commitment.SignedBy = "  " }, time.Time{},
			want{rule: RuleCommitment, blocking: true, contains: []string{"须由具名人员签署"}}},
		{"commitment signed", "default", ent("industry_above"), nil, time.Time{},
			want{rule: RuleCommitment, blocking: true, passed: true, msg: "承诺书已由 张三 于 2020-02-10 签署"}},

		// Self-check against the checklist.
		{"no self-check", "variant-c-county.toml", ent("industry_above"),
			func(a *Application) { a.SelfCheck = nil }, time.Time{},
			want{rule: RuleSelfCheck, msg: "未填写自查: 请对照 10 项检查内容逐项自查", clause: "自查表"}},
		{"self-check with open items", "variant-b-town.toml", ent("industry_above"),
			func(a *Application) { a.SelfCheck["checkpoint"], a.SelfCheck["used_masks"] = false, false }, time.Time{},
			want{rule: RuleSelfCheck, msg: "自查未落实 2 项: 企业疫情检查点落实情况; 废弃口罩收集处置情况"}},

		// Origins (variant D: 省外 advised not to return early).
		{"staff from other provinces (variant D)", "variant-d-street.toml", ent("industry_above"),
			func(a *Application) { a.Returning = Returning{Local: 95, OtherProvince: 5} }, time.Time{},
			want{rule: RuleOrigin + "other_province", msg: "省外返岗 5 人: 原则上倡导不提前返岗; 如返岗须隔离 14 天, 并向街道办事处、社区居委会(所在网格)报告", clause: "不提前返青"}},
		{"staff from other provinces (variant C isolates them)", "variant-c-county.toml", ent("industry_above"),
			func(a *Application) { a.Returning = Returning{Local: 95, OtherProvince: 5} }, time.Time{},
			want{rule: RuleOrigin + "other_province", passed: true, msg: "省外返岗 5 人: 须单独隔离 14 天, 并向县卫健局、镇人民政府报告"}},
		{"staff from the same city (variant D)", "variant-d-street.toml", ent("industry_above"),
			func(a *Application) { a.Returning = Returning{Local: 90, CityOtherDistrict: 10} }, time.Time{},
			want{rule: RuleOrigin + "city_other_district", passed: true, msg: "市内区外返岗 10 人: 连续 14 天每天监测体温 2 次"}},

		// Notes.
		{"green channel", "default", ent("industry_above", key),
			func(a *Application) { a.GreenChannel = true }, time.Time{},
			want{rule: RuleGreenChannel, passed: true, contains: []string{"绿色通道"}, clause: "帮办代办"}},
		{"filed on behalf", "default", ent("industry_above"),
			func(a *Application) { a.OnBehalf = true }, time.Time{},
			want{rule: RuleOnBehalf, passed: true, contains: []string{"帮办代办"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := load(t, tt.policy)
			a := good(pol, tt.e)
			if tt.change != nil {
				tt.change(&a)
			}
			now := tt.now
			if now.IsZero() {
				now = goodNow
			}
			outs := Check(pol, tt.e, a, now)
			o, ok := find(outs, tt.want.rule)
			if !ok {
				t.Fatalf("rule %s not evaluated; outcomes: %+v", tt.want.rule, outs)
			}
			if o.Blocking != tt.want.blocking || o.Passed != tt.want.passed {
				t.Errorf("%s: blocking %v passed %v; want blocking %v passed %v (%s)", o.Rule, o.Blocking, o.Passed, tt.want.blocking, tt.want.passed, o.Message)
			}
			if tt.want.msg != "" && o.Message != tt.want.msg {
				t.Errorf("%s: message\n got %q\nwant %q", o.Rule, o.Message, tt.want.msg)
			}
			for _, s := range tt.want.contains {
				if !strings.Contains(o.Message, s) && !strings.Contains(o.MessageEN, s) {
					t.Errorf("%s: message %q / %q does not contain %q", o.Rule, o.Message, o.MessageEN, s)
				}
			}
			if !strings.Contains(o.Clause, tt.want.clause) {
				t.Errorf("%s: clause %q does not contain %q", o.Rule, o.Clause, tt.want.clause)
			}
			if o.MessageEN == "" {
				t.Errorf("%s: no English message", o.Rule)
			}
			// The change concerns that rule only: every other blocking rule still passes,
			// except where one fact feeds two rules.
			for _, p := range Problems(outs) {
				if p.Rule != tt.want.rule && p.Blocking && !related(tt.want.rule, p.Rule) {
					t.Errorf("unrelated blocking problem %s: %s", p.Rule, p.Message)
				}
			}
		})
	}
}

// related lists rules that one change may fail together.
func related(a, b string) bool {
	pairs := map[[2]string]bool{
		{RuleSuppliesMasks, RuleSuppliesRequired}:   true, // no masks at all
		{RuleSuppliesRequired, RuleSuppliesMasks}:   true,
		{RuleEarliestResumption, RuleLeadTime}:      true,
		{RuleReturning, RuleSuppliesMasks}:          true,
		{RuleCommuterBus, RuleCommitment}:           true, // variant D: the commitment comes with the bus papers
		{RuleMaterials, RuleCanteenMeasures}:        true,
		{RuleMaterials, RuleDormitoryMeasures}:      true,
		{RuleMaterials, RuleCommuterBus}:            true,
		{RuleEarliestResumption, RuleSuppliesMasks}: true,
	}
	return pairs[[2]string{a, b}]
}

// All problems are listed at once, blocking and advisory apart, in the order of the rules.
func TestCheckListsAllProblems(t *testing.T) {
	pol := load(t, "variant-d-street.toml")
	e := ent("industry_above", canteen, dormitory, bus)
	a := good(pol, e)
	a.Supplies[0].Quantity = 650
	a.IsolationRooms = 0
	a.Dormitory[0].Assigned = 5
	a.Returning = Returning{Local: 95, OtherProvince: 5}
	a = without(a, "plan_canteen", "application_form", "bus_details")
	outs := Check(pol, e, a, plannedAt.Add(-47*time.Hour))

	var got []string
	for _, p := range Problems(outs) {
		kind := "advisory"
		if p.Blocking {
			kind = "blocking"
		}
		got = append(got, p.Rule+" "+kind)
	}
	want := []string{
		"lead_time blocking",
		"supplies_masks blocking",
		"isolation_room blocking",
		"dormitory_rooms blocking",
		"canteen_measures blocking",
		"commuter_bus blocking",
		"materials blocking",
		"origin_other_province advisory",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !Blocked(outs) {
		t.Error("Blocked = false")
	}
	if len(outs) <= len(got) {
		t.Errorf("Check lists only %d outcomes; passed rules are listed too", len(outs))
	}

	err := CheckErr(outs)
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.Invalid {
		t.Fatalf("CheckErr = %v; want an Invalid error", err)
	}
	if len(ae.Problems) != 7 || ae.Problems[0].Field != RuleLeadTime || !strings.Contains(ae.Problems[1].Message, "最多支持 92 人复工") {
		t.Errorf("CheckErr problems = %+v", ae.Problems)
	}

	// Advisory problems alone do not block.
	a = good(pol, e)
	a.Returning = Returning{Local: 95, OtherProvince: 5}
	a.Supplies = []SupplyItem{{Item: ItemMasks, Quantity: 700}, {Item: ItemThermometers, Quantity: 5}, {Item: ItemDisinfectant, Quantity: 10}}
	outs = Check(pol, e, a, goodNow)
	if n := len(Problems(outs)); n != 2 || Blocked(outs) || CheckErr(outs) != nil {
		t.Errorf("advisory only: %d problems, blocked %v; want 2, false: %+v", n, Blocked(outs), Problems(outs))
	}
}

// Rules that do not apply are not listed.
func TestCheckLeavesOutRulesThatDoNotApply(t *testing.T) {
	pol := load(t, "variant-d-street.toml")
	e := ent("industry_above")
	outs := Check(pol, e, good(pol, e), goodNow)
	for _, rule := range []string{RuleDormitoryRooms, RuleDormitoryMeasures, RuleCanteenMeasures, RuleCommuterBus,
		RuleCommitment, RuleGreenChannel, RuleOnBehalf, RuleOrigin + "other_province", RuleMaterialsOptional} {
		if o, ok := find(outs, rule); ok {
			t.Errorf("rule %s listed for an enterprise it does not concern: %+v", rule, o)
		}
	}
	// Variant B asks for no canteen material: nothing to check before the site visit.
	pol = load(t, "variant-b-town.toml")
	e = ent("industry_above", canteen)
	if o, ok := find(Check(pol, e, good(pol, e), goodNow), RuleCanteenMeasures); ok {
		t.Errorf("variant B: canteen rule listed: %+v", o)
	}
}
