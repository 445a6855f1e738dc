package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"fugong/internal/application"
	"fugong/internal/appointment"
	"fugong/internal/auth"
	"fugong/internal/guidance"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/request"
	"fugong/internal/store"
	"fugong/internal/tip"
)

// seedVoice tells the public's and the enterprises' voice: tips in every state (one that
// asked for an inspection, one grouped with another), requests of several kinds (one
// answered and rated, one transferred, one escalated and overdue) and the guidance the
// seed names, published for the county and for 清溪镇.
func seedVoice(ctx context.Context, db *store.Store, pol *policy.Policy, people []auth.Principal, own int64) error {
	by := func(role auth.Role) auth.Principal {
		for _, p := range people {
			if p.Role == role {
				return p
			}
		}
		return auth.System
	}
	town, ent, county := by(auth.Town), by(auth.Enterprise), by(auth.Command)
	// The officials who may handle, nearest first: the town, its command, its grid, the
	// reviewer, the county command.
	var handlers []auth.Principal
	for _, role := range []auth.Role{auth.Town, auth.Command, auth.Grid, auth.Reviewer} {
		for _, p := range people {
			if p.Role == role && (role != auth.Command || p.Scope.Region == qingxi) {
				handlers = append(handlers, p)
			}
		}
	}
	for _, p := range people {
		if p.Role == auth.Command && p.Scope.Region != qingxi {
			county = p
			handlers = append(handlers, p)
		}
	}
	tipHandler := func(id int64) auth.Principal {
		for _, p := range handlers {
			if _, err := db.Tips().Get(ctx, p, id); err == nil {
				return p
			}
		}
		return auth.System
	}
	requestHandler := func(id int64, a request.Action) auth.Principal {
		for _, p := range handlers {
			if r, err := db.Requests().Get(ctx, p, id); err == nil && slices.Contains(r.Actions, a) {
				return p
			}
		}
		return auth.System
	}
	real := db.DB.Now
	defer func() { db.DB.Now = real }()
	at := func(ago time.Duration) { t := real().Add(-ago); db.DB.Now = func() time.Time { return t } }

	// Tips. Each sender its own address: the demo is not throttled.
	tips := []struct {
		in      tip.Input
		ago     time.Duration
		actions []tip.Action
		texts   []string
	}{
		{tip.Input{Category: "dormitory", EnterpriseID: own, Place: "二号宿舍楼", Description: "二号宿舍楼一间住了八个人,晚上很挤", ReporterName: "匿名职工", ReporterPhone: "13957300201"},
			72 * time.Hour, []tip.Action{tip.Accept, tip.Investigate, tip.Result, tip.Reply},
			[]string{"", "派网格员会同园区实地核查", "情况属实:二号楼 203、205 室各住 6 人,已责令当日调整", "经查属实,已责令企业调整宿舍,每间不超过 4 人。感谢您的监督。"}},
		{tip.Input{Category: "dormitory", EnterpriseID: own, Description: "宿舍太挤了,没人管"}, 70 * time.Hour, nil, nil}, // grouped with the first, replied with it
		{tip.Input{Category: "no_checks", EnterpriseID: own, Place: "东门", Description: "早上东门进厂没有人测体温", ReporterPhone: "13957300202"},
			30 * time.Hour, []tip.Action{tip.Accept, tip.Investigate}, []string{"", "明察暗访东门卡口,同时安排复工后检查"}},
		{tip.Input{Category: "unapproved", EnterpriseName: "桑园村无名小作坊", Address: "桑园村南港路18号", Town: qingxi, Description: "晚上偷偷开工,十几个工人进出"},
			20 * time.Hour, []tip.Action{tip.Decline}, []string{"经核实该地址为居民住宅,无生产经营活动,不予受理"}},
		{tip.Input{Category: "gathering", EnterpriseID: own, Place: "食堂", Description: "中午食堂排队吃饭人挨人"}, 10 * time.Hour, []tip.Action{tip.Accept}, []string{""}},
		{tip.Input{Category: "isolation", EnterpriseID: own, Description: "厂里一个刚从外地回来的人在村里到处走", ReporterName: "村民"},
			2 * time.Hour, nil, nil},
	}
	for i, t := range tips {
		at(t.ago)
		if _, err := db.Tips().Submit(ctx, t.in, nil, fmt.Sprintf("192.0.2.%d", 10+i)); err != nil {
			return fmt.Errorf("demo tip %d: %w", i+1, err)
		}
	}
	sent, _, err := db.Tips().List(ctx, auth.System, tip.Filter{})
	if err != nil {
		return err
	}
	for i, t := range tips {
		for j, a := range t.actions {
			at(t.ago - time.Duration(j+1)*time.Hour)
			var id int64
			for _, x := range sent {
				if x.Description == t.in.Description {
					id = x.ID
				}
			}
			inspect := a == tip.Investigate && i == 2 // the gate's tip asks for an inspection
			if _, err := db.Tips().Act(ctx, tipHandler(id), id, a, t.texts[j], 0, inspect); err != nil {
				return fmt.Errorf("demo tip %d %s: %w", i+1, a, err)
			}
		}
	}

	// Requests.
	raise := func(p auth.Principal, ago time.Duration, in request.Input) (request.Request, error) {
		at(ago)
		in.EnterpriseID = own
		return db.Requests().Raise(ctx, p, in)
	}
	act := func(p auth.Principal, ago time.Duration, id int64, c request.Change) error {
		at(ago)
		if p.Role != auth.Enterprise {
			p = requestHandler(id, c.Action)
		}
		_, err := db.Requests().Act(ctx, p, id, c, 0)
		return err
	}
	r, err := raise(ent, 50*time.Hour, request.Input{Kind: "logistics", Description: "一批原材料货车在高速出口被拦,需要办理通行证"})
	if err == nil {
		err = act(town, 46*time.Hour, r.ID, request.Change{Action: request.Answer, Text: "已为 3 辆货车办理通行证,请凭证通行"})
	}
	if err == nil {
		err = act(ent, 40*time.Hour, r.ID, request.Change{Action: request.Confirm, Rating: 5, Text: "当天解决,谢谢"})
	}
	if err != nil {
		return fmt.Errorf("demo request (logistics): %w", err)
	}
	if _, err := raise(ent, 6*time.Hour, request.Input{Kind: "labour", Description: "外地员工返岗不足,缺少 40 名普工"}); err != nil {
		return fmt.Errorf("demo request (labour): %w", err)
	}
	r, err = raise(town, 20*time.Hour, request.Input{Kind: "finance", Description: "企业流动资金紧张,希望对接贴息贷款"})
	if err == nil && r.Unit != pol.Requests.Unit {
		err = act(town, 18*time.Hour, r.ID, request.Change{Action: request.Transfer, Unit: pol.Requests.Unit, Text: "贴息贷款由属地政府统一对接"})
	} else if err == nil {
		err = act(town, 18*time.Hour, r.ID, request.Change{Action: request.Answer, Text: "已推荐至县中小企业发展促进中心,对接贴息贷款"})
	}
	if err != nil {
		return fmt.Errorf("demo request (finance): %w", err)
	}
	r, err = raise(ent, 4*24*time.Hour, request.Input{Kind: "supplies", Description: "口罩和消毒液只够两天,采购不到", Urgent: true})
	if err == nil && r.Unit != pol.Requests.EscalateTo {
		err = act(town, 3*24*time.Hour, r.ID, request.Change{Action: request.Escalate, Text: "镇级储备不足,请县指挥部统筹调配"})
	}
	if err != nil {
		return fmt.Errorf("demo request (supplies): %w", err)
	}

	// Appointments: the town offers acceptance times; the enterprise books one for its
	// application, then moves it.
	db.DB.Now = real
	apps, _, err := db.Applications().List(ctx, auth.System, application.Filter{Enterprise: own, Page: list.Page{Size: 1}})
	if err != nil {
		return err
	}
	var appID int64
	if len(apps) > 0 {
		appID = apps[0].ID
	}
	day := real().In(pol.Location())
	day = time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, pol.Location())
	unit := pol.Requests.Unit
	var slots []int64
	for i := 1; i <= 3; i++ {
		start := day.AddDate(0, 0, i)
		sl, err := db.Appointments().PublishSlot(ctx, town, appointment.Slot{Unit: unit, RegionCode: qingxi, Service: appointment.Acceptance,
			StartsAt: start, EndsAt: start.Add(3 * time.Hour), Capacity: 2, Place: "企业现场(验收组上门)"})
		if err != nil {
			return fmt.Errorf("demo slot: %w", err)
		}
		slots = append(slots, sl.ID)
	}
	if _, err := db.Appointments().PublishSlot(ctx, town, appointment.Slot{Unit: unit, RegionCode: qingxi, Service: appointment.Counter,
		StartsAt: day.AddDate(0, 0, 1).Add(5 * time.Hour), EndsAt: day.AddDate(0, 0, 1).Add(8 * time.Hour), Capacity: 5, Place: "镇便民服务中心 3 号窗口"}); err != nil {
		return fmt.Errorf("demo slot: %w", err)
	}
	a, err := db.Appointments().Book(ctx, ent, slots[0], appID, "请验收组带好验收登记表")
	if err == nil {
		moved := day.AddDate(0, 0, 2).Add(time.Hour)
		_, err = db.Appointments().Act(ctx, ent, a.ID, appointment.Change, "隔离观察室消毒未完成,改约后天", moved, moved.Add(2*time.Hour), 0)
	}
	if err != nil {
		return fmt.Errorf("demo appointment: %w", err)
	}

	// Guidance, with the seed's own titles.
	at(5 * 24 * time.Hour)
	from := db.DB.Now()
	known := func(c string) bool { _, ok := pol.Category(c); return ok }
	items := []guidance.Item{
		{Kind: guidance.FAQ, Title: "企业开复工“十问十答”", Regions: []string{County}, Public: true, Body: faq},
		{Kind: guidance.Other, Title: "企业复工防疫“九个一”", Regions: []string{County}, Public: true, Body: nineOnes},
		{Kind: guidance.Local, Title: "属地须知", Regions: []string{qingxi}, Public: true, Body: "# 属地须知\n\n- 镇政府负责辖区企业复工申请的受理、审核和现场验收\n- 村(社区)落实返岗人员排查和健康监测"},
		{Kind: guidance.ForFirms, Title: "企业须知", Regions: []string{qingxi}, AskConfirm: true, Body: "# 企业须知\n\n1. 复工前至少提前 48 小时提交书面申请\n2. 员工每人每天至少配备 1 个口罩\n3. 每日上下午两次测温,发热或咳嗽者阻止进入"},
		{Kind: guidance.ForStaff, Title: "员工须知", Regions: []string{qingxi}, Public: true, Body: "# 员工须知\n\n- 返岗途中全程佩戴口罩\n- 进厂主动接受体温检测,出示出入证"},
		{Kind: guidance.Measures, Title: "应对疫情惠企政策措施", Regions: []string{County}, Categories: []string{"industry_above", "industry_below"}, Body: "**宣讲应对疫情惠企政策措施**,协调解决复工复产中难点问题。"},
		{Kind: guidance.RentRelief, Title: "园区承租企业“2月租金全免,三、四月租金减半”", Regions: []string{qingxi}, Body: "对园区内承租企业实行“2月租金全免,三、四月租金减半”政策,为园区内小微企业复工保驾护航。"},
	}
	for _, it := range items {
		it.PublishAt = from
		if it.Kind == guidance.RentRelief {
			e, err := db.GetEnterprise(ctx, auth.System, own)
			if err != nil || e.ParkID == 0 {
				continue
			}
			it.ParkID = e.ParkID
		}
		if _, err := db.Guidance().Publish(ctx, county, it, known); err != nil {
			return fmt.Errorf("demo guidance %s: %w", it.Title, err)
		}
	}
	return nil
}

const faq = `# 企业开复工“十问十答”

1. **问:复工前要提交什么?** 答:至少提前 48 小时向镇政府提交书面申请、防疫方案和承诺书。
2. **问:员工返岗前要做什么?** 答:申报 14 天行程,外地返岗人员按政策隔离或监测。
3. **问:每天要测几次体温?** 答:上下午各一次,发热或咳嗽者阻止进入工作场所。
4. **问:宿舍怎么安排?** 答:单间不多于 4 人,隔离观察室单人单间。
5. **问:遇到用工、物流、资金困难找谁?** 答:在系统“企业诉求”中提出,按类别分派到承办单位并限时答复。`

const nineOnes = `# 企业复工防疫“九个一”

- 一套防控方案
- 一名防疫负责人
- 一个检测卡口
- 一间隔离观察室
- 一份员工花名册
- 一本消毒台账
- 一批防护物资
- 一张明白单
- 一次全员培训`
