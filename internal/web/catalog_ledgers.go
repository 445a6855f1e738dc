package web

func init() {
	addCatalog(map[string]string{
		"Ledgers": "台账", "Daily report": "疫情日报", "Disinfection ledger": "消毒台账", "Supplies ledger": "防控物资台账",
		"Used-mask collection ledger": "废弃口罩收集台账", "Publicity and training ledger": "宣传培训台账",
		"Choose the enterprise": "请选择企业", "Open the ledgers": "打开台账", "No enterprise in your scope.": "辖区内没有企业。",
		"Supplies in stock": "防控物资库存", "On site today": "今日在岗人数", "Reserve required": "储备要求",
		"Stock": "库存", "Per person per day": "每人每天用量", "Days of cover": "可用天数", "Below the reserve": "低于储备要求",
		"Days of cover = stock ÷ (people on site × daily use per person). Masks use the policy's figure; gloves are assumed at one pair a day; the other items are not used per person and have no days of cover.": "可用天数 = 库存 ÷(在岗人数 × 每人每天用量)。口罩按政策规定的用量计算;一次性手套按每人每天 1 副估算;其他物资不按人头消耗,不计算可用天数。",
		"Add an entry": "新增登记", "Area": "消毒区域", "Disinfectant": "消毒剂", "Disinfected by": "消毒人员",
		"Movement": "出入库", "In": "入库", "Out": "出库", "Used masks collected": "废弃口罩数量(只)",
		"Handler": "经手人", "Topic": "宣传培训内容", "明白单 handed out": "明白单发放人数", "Leave empty to count the names": "不填则按名单人数计",
		"Workers who received it": "领取人员名单", "Record": "登记", "From": "起始日期", "To": "截止日期",
		"Recorded by": "登记人", "Entry recorded": "已登记", "On site": "在岗人数", "Fevers": "发热/有症状",
		"Passes suspended": "暂停出入证", "Masks: days of cover": "口罩可用天数", "Confirmed": "已确认", "Zero report": "零报告",
		"Not yet confirmed": "未确认", "Note (optional)": "备注(可不填)", "Confirm a zero report": "确认零报告",
		"Confirm the report": "确认上报", "Daily report confirmed": "日报已确认上报", "Zero report confirmed": "零报告已确认上报",
		"On site = cleared and monitoring people on the roster. A report with no fever, no suspended pass and nobody isolating is a zero report.": "在岗人数 = 花名册中可正常上岗和健康监测中的人员。无发热、无暂停出入证、无隔离人员的日报即为零报告。",
		"at": "时间", "area": "消毒区域", "agent": "消毒剂", "person": "人员", "item": "物资", "quantity": "数量", "topic": "内容",
		"names": "名单", "date": "日期", "kind": "台账类别",
	})
}
