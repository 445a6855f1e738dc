package web

func init() {
	addCatalog(map[string]string{
		"Entry passes": "出入证", "Entry pass": "出入证", "No passes.": "暂无出入证。", "Open": "查看", "Select": "选择",
		"A pass is issued only to a cleared (or monitored) person of an enterprise holding a valid resumption notice, after the grid leader's approval.": "出入证仅发给已取得有效复工通知书的企业中可正常上岗(或健康监测中)的员工,并须经网格长批准。",
		"Approve the selected passes": "批准所选出入证", "Day": "日期", "Suspend passes of people who missed checks": "暂停未按规定测温人员的出入证",
		"Request passes": "申请出入证", "Request": "申请", "Nobody on the roster may hold a pass now.": "花名册中暂无可办理出入证的人员。",
		"QR code of the pass": "出入证二维码", "Issued": "签发于", "Re-activate": "恢复出入证", "Declare my temperature": "自主申报体温",
		"requested": "待批准", "active": "有效", "suspended": "已暂停", "revoked": "已撤销",
		"fever": "发热", "symptom": "有症状", "missed_checks": "未按规定测温", "left": "已离职", "manual": "人工撤销", "notice_revoked": "通知书已撤销",
		"not_disinfected": "货物未消毒", "bad_token": "无效凭证", "not_found": "查无此证", "not_approved": "未批准", "other_enterprise": "非本企业",
		"no_notice": "严禁复工", "ok": "通过", "employee": "员工", "visitor": "访客", "vehicle": "车辆",
		"Passes requested; they wait for the grid leader's approval": "已提交出入证申请,等待网格长批准",
		"Passes approved and issued":                                 "出入证已批准并签发", "Pass re-activated": "出入证已恢复",
		"Passes suspended for missed checks": "因未按规定测温暂停的出入证", "Entry registered": "已登记",
		"Follow-up closed; the pass may be re-activated": "跟踪记录已结案,可恢复出入证",
		"Health checks": "体温检测", "Fever: the pass is suspended": "体温异常:出入证已暂停", "Recorded": "已记录",
		"Pass (scan) or employee number": "出入证(扫码)或员工编号", "Temperature": "体温", "Symptoms (comma-separated)": "症状(用逗号分隔)",
		"Checkpoint": "检测点", "Record and next": "记录,下一位", "Fever line": "发热标准", "Checks per day": "每日检测次数",
		"Not yet checked today": "今日尚未检测", "Everybody is checked.": "全部人员已检测。",
		"Declarations repeating the same value": "连续多日申报相同体温", "Follow-ups": "健康异常跟踪", "Closed": "已结案",
		"Medical referral": "就医转诊", "Outcome": "处置结果", "Close": "结案", "No follow-ups.": "暂无跟踪记录。",
		"My pass": "我的出入证", "Symptoms": "症状", "Declare": "申报",
		"Gate": "门岗", "ALLOW": "准予通行", "DENY": "禁止通行", "Scan a pass": "请扫描出入证", "Pass": "出入证", "Check": "核验",
		"Register a visitor or a vehicle": "登记访客或车辆", "Kind": "类别", "Visitor": "访客", "Vehicle": "车辆",
		"Name or driver": "姓名或驾驶员", "Purpose": "来访事由", "Host": "被访人", "Freight disinfected": "货物已消毒",
		"Today at the gate": "今日进出登记",
	})
}
