package web

import (
	"fmt"

	"fugong/internal/application"
)

// Chinese text of the application pages: the list and queue, the form, the detail page.
func init() {
	addCatalog(map[string]string{
		// Navigation, home, list.
		"Applications": "复工申请", "Resumption applications": "复工申请", "Resumption application": "复工申请",
		"All applications": "全部申请", "Waiting for me": "待我处理", "Under review": "审核中", "New application": "新建申请",
		"Under review (all stages)": "审核中(全部环节)", "Stage done": "已完成环节",
		"Draft": "草稿", "Returned": "已退回", "Rejected": "不予通过", "Withdrawn": "已撤回", "Approved": "已批准", "Revoked": "已撤销",
		"Enterprise name or credit code": "企业名称或信用代码", "Export .xlsx": "导出 .xlsx",
		"Your queue: green channel first, then by priority, then the oldest.": "待办队列:绿色通道优先,其次按优先级,再按提交先后。",
		"Priority": "优先级", "Enterprise": "企业", "Planned resumption": "计划复工时间", "Returning staff": "返岗人数",
		"Submitted": "提交时间", "Due": "办理时限", "Overdue": "已超时", "Green channel": "绿色通道", "Early resumption": "提前复工",
		"Filed on behalf": "帮办代办", "Nothing waits for you.": "暂无待您处理的申请。", "No application matches.": "没有符合条件的申请。",
		// Choosing the enterprise.
		"Choose the enterprise the application is for. Officials and park operators file on an enterprise's behalf (帮办代办).": "请选择要申请复工的企业。工作人员和园区运营方可代企业填报(帮办代办)。",
		"File for this enterprise": "为该企业填报",
		"The enterprise already has an application in progress or approved; continue with it.": "该企业已有一份办理中或已批准的申请,请在原申请上继续办理。",
		// The form.
		"Edit application": "修改复工申请", "Continue with the application in progress": "继续办理现有申请",
		"Saving keeps a draft: the policy's checks are shown on the next page and only stop the submission, not the draft.": "保存即为草稿:政策核验结果在下一页显示,只影响提交,不影响保存草稿。",
		"Resumption": "复工", "Local time": "当地时间",
		"Early resumption requested (before the earliest date; needs the county's approval)": "申请提前复工(早于最早复工时间,须经县级批准)",
		"Green channel (priority handling)":                                                  "绿色通道(优先办理)",
		"Returning staff by origin":                                                          "返岗人员来源", "Prevention supplies in stock": "防控物资储备",
		"Item": "物资", "Quantity": "数量", "Unit": "单位", "Isolation and observation rooms (single rooms)": "隔离留观室(单人单间)间数",
		"Dormitory rooms": "宿舍安排",
		"At most %d people per room; quarantined staff alone. Leave unused rows empty.": "每间不得多于 %d 人;隔离人员单人单间。不用的行留空即可。",
		"Room": "房间", "Beds": "床位", "People housed": "入住人数", "Materials": "申报材料",
		"Tick a material when it is included in another document you file (for example a part of the prevention plan). Files are uploaded on the application's page after saving.": "如某项材料已包含在其他文件中(例如防控方案的组成部分),请勾选。文件请在保存后于申请页面逐项上传。",
		"part of": "属于", "included in the plan": "已包含在方案中", "%d files attached": "已上传 %d 个文件",
		"Commitment letter": "承诺书", "Signed by": "签署人", "Date signed": "签署日期", "Self-check": "自查",
		"Tick each item that is in place; the on-site acceptance checks the same list.": "请逐项勾选已落实的内容;现场验收将按同一清单检查。",
		"Note": "说明", "Anything the reviewers should know (staggered schedule, production plan…)": "需要审核人员了解的情况(错时返岗安排、生产计划等)",
		"Save draft": "保存草稿", "Draft saved. Attach the materials below, then submit.": "草稿已保存。请在下方上传材料,然后提交。",
		"The application has been submitted and can no longer be changed.": "申请已提交,不能再修改。",
		// The detail page.
		"Waiting for": "当前环节", "Resumption notice": "复工复产通知书", "What you can do now": "您现在可以",
		"%d blocking checks fail: submitting will be refused until they are fixed.": "有 %d 项必须满足的条件未满足:修改前提交将被拒绝。",
		"Fill in the on-site checklist with photos.":                                "填写现场验收清单并拍照留存。",
		"Reason (required; the enterprise reads it)":                                "理由(必填,企业将看到)", "Comment (optional)": "意见(可不填)",
		"Policy checks": "政策核验", "as of now": "按当前时间核验", "as of submission": "按提交时核验",
		"%d of %d checks fail (%d blocking).": "%d/%d 项未满足(其中 %d 项必须满足)。", "All checks pass.": "全部核验通过。",
		"required": "必须满足", "advisory": "建议", "Application": "申请内容", "Supplies": "防控物资", "Isolation rooms": "隔离留观室",
		"not signed": "未签署", "Images, PDF or Office/WPS documents up to %d MB.": "可上传图片、PDF 或 Office/WPS 文档,每个不超过 %d MB。",
		"Upload": "上传", "Other files": "其他文件", "Passed": "合格", "Failed": "不合格", "Opinion": "意见", "signed": "签名",
		"History": "办理记录", "Comment": "意见", "Not submitted yet.": "尚未提交。",
		"local": "本地", "same city": "市内区外", "same province": "省内市外", "other provinces": "省外",
		"On-site acceptance":                     "现场验收",
		"Reject the application? This is final.": "确定不予通过吗?此操作不可撤销。",
		"Revoke the approval? The enterprise must stop production and its notice becomes invalid.":      "确定撤销批准吗?企业须停止生产,通知书随即失效。",
		"Withdraw the application? A withdrawn application cannot be resumed; a new one must be filed.": "确定撤回申请吗?撤回后不能恢复,需重新新建申请。",
		"Done: %s.": "已完成:%s。", "Resumption notice %s issued.": "已签发复工复产通知书 %s。", "File %s uploaded.": "文件 %s 已上传。",
		// Supply items (the application's JSON codes).
		application.ItemMasks: "口罩", application.ItemGloves: "一次性手套", application.ItemSuits: "防护服",
		application.ItemThermometers: "体温计", application.ItemAlcohol: "酒精", application.ItemDisinfectant: "消毒液",
		// Field names shown in error lists.
		"planned_at": "计划复工时间", "early_resumption": "提前复工", "isolation_rooms": "隔离留观室", "note": "说明",
		"returning.local": "本地返岗人数", "returning.city_other_district": "市内区外返岗人数",
		"returning.province_other_city": "省内市外返岗人数", "returning.other_province": "省外返岗人数",
		"commitment.signed_by": "承诺书签署人", "commitment.signed_at": "承诺书签署日期", "enterprise_id": "企业",
		"comment": "理由", "action": "操作", "material": "材料", "inspection": "现场验收清单", "version": "版本",
		// Rule codes, listed when a submission is refused.
		application.RuleEarliestResumption: "最早复工时间", application.RuleLeadTime: "提前申请时间",
		application.RuleReturning: "返岗人数", application.RuleSuppliesRequired: "必备防控物资",
		application.RuleSuppliesMasks: "口罩储备", application.RuleSuppliesOther: "其他防控物资",
		application.RuleIsolationRoom: "隔离留观室", application.RuleDormitoryRooms: "宿舍安排",
		application.RuleDormitoryMeasures: "宿舍防控措施", application.RuleCanteenMeasures: "食堂防控措施",
		application.RuleCommuterBus: "通勤班车", application.RuleMaterials: "必备材料", application.RuleMaterialsOptional: "建议材料",
		application.RuleCommitment: "承诺书", application.RuleSelfCheck: "自查", application.RuleGreenChannel: "绿色通道",
		application.RuleOnBehalf: "帮办代办",
	})
	// Supply and dormitory fields of the form, by item and by row.
	more := map[string]string{}
	for _, it := range application.SupplyItems {
		more["supplies."+it] = application.SupplyNames[it][0] + "数量"
	}
	for i := range 20 {
		more[fmt.Sprintf("dormitory[%d].name", i)] = fmt.Sprintf("第 %d 间宿舍名称", i+1)
		more[fmt.Sprintf("dormitory[%d].beds", i)] = fmt.Sprintf("第 %d 间宿舍床位", i+1)
		more[fmt.Sprintf("dormitory[%d].assigned", i)] = fmt.Sprintf("第 %d 间宿舍入住人数", i+1)
	}
	addCatalog(more)
}
