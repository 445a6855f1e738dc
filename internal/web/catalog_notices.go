package web

import "fugong/internal/policy"

// Chinese text of the on-site acceptance, acceptance form, notice, verify and inbox pages.
func init() {
	addCatalog(map[string]string{
		// On-site acceptance.
		"On-site acceptance": "现场验收", "Enterprise": "企业", "Planned resumption": "计划复工时间", "Returning headcount": "返岗人数",
		"Stage": "环节",
		"Keep photos of every item as evidence: tap the camera field of the item to take them.": "请对各项内容拍照留存影像资料:点击该项的拍照栏即可拍摄。",
		"Up to standard": "合格", "Not up to standard": "不合格", "Not applicable": "不适用",
		"Note (required when not up to standard: what must be fixed)": "说明(不合格时必填:需要整改的内容)",
		"Photos": "现场照片", "kept so far": "已留存", "Opinion and signature": "初验收意见与签名",
		"Inspector's initial opinion": "初验收意见", "Signature: type your full name": "验收人签名:请输入您的姓名",
		"Acceptance passed": "验收合格", "Acceptance failed: return for correction": "验收不合格,退回整改",
		"A failed acceptance returns the application to the enterprise with the failed items and their notes.": "验收不合格时,申请将连同不合格项目及说明一并退回企业整改。",
		"Back to the application": "返回申请",
		"On-site acceptance passed; the application goes on for approval":                                "现场验收合格,申请已上报审批",
		"On-site acceptance failed; the application is returned to the enterprise with the items to fix": "现场验收不合格,申请已退回企业整改",
		// Acceptance registration form.
		"Acceptance registration form": "验收登记表", "Acceptance registration form for the resumption of work": "企业复工验收登记表",
		"Print": "打印", "Or press Ctrl+P: the page is laid out for A4.": "也可按 Ctrl+P 打印,版面为 A4。",
		"Record no.": "记录号", "Item no.": "序号", "Item checked": "检查项目", "Result": "结果", "Note": "说明",
		"local": "本地", "same city": "市内区外", "same province": "省内市外", "other provinces": "省外",
		"Conclusion": "验收结论", "Inspector's signature": "验收人签名", "Date": "日期", "Recorded by account": "录入账号",
		"Photos and video of every item are kept with the application as evidence.": "各项内容的影像资料随申请存档备查。",
		"Other acceptance records of this application":                              "本申请的其他验收记录",
		// Notice.
		"Resumption notice": "复工复产通知书", "Notice of the resumption of work and production": "复工复产通知书",
		"Revoked on": "撤销日期", "Reason": "理由", "Unified social credit code": "统一社会信用代码",
		"Your application to resume work and production and your epidemic-prevention measures have been reviewed and accepted on site.": "你单位提交的复工复产申请及疫情防控措施已经审核和现场验收合格。",
		"You may resume production as planned from":                   "同意你单位自",
		", while keeping every epidemic-prevention measure in place:": "起按计划复工复产。复工后须严格落实各项疫情防控措施:",
		"temperature checks at the gate, registration of persons and vehicles, disinfection, masks, and reporting of anyone with fever or cough.": "进出人员测温、人员车辆登记、场所消毒、佩戴口罩,发现发热、咳嗽等症状人员及时报告。",
		"Keep this notice at the enterprise; inspectors may check it by scanning the QR code.":                                                    "本通知书请留存于企业备查,检查人员可扫描二维码核验真伪。",
		"Verification QR code": "核验二维码", "Scan to verify": "扫码核验", "Signed token": "签名凭证",
		"Verification address": "核验地址", "verify this notice": "核验本通知书",
		// Verification.
		"Verify a credential": "凭证核验", "Document": "凭证类型", "Serial number": "编号", "Issued on": "签发日期",
		"Reason for revoking": "撤销理由", "Verify": "核验",
		"Paste the text of the QR code (a token starting with FG1. or a verification address)":                                                                                               "粘贴二维码中的内容(以 FG1. 开头的凭证,或核验网址)",
		"The signature is checked with this system's public key; the system also tells whether the document was revoked. Gate devices can check offline with the key at /api/v1/public-key.": "系统用本系统公钥核验签名,并查询凭证是否已被撤销。门岗设备可使用 /api/v1/public-key 提供的公钥离线核验。",
		// Inbox.
		"Inbox": "消息", "Unread": "未读", "Mark all as read": "全部标为已读", "Mark as read": "标为已读",
		"No notifications yet.": "暂无消息。", "All notifications marked as read": "全部消息已标为已读",
		// Field names shown in error lists.
		"opinion": "初验收意见", "signature": "验收人签名", "items": "验收项目", "action": "操作", "inspection": "验收清单", "token": "凭证",
	})
	// Problems with one checklist item are reported as items.<code>; the message names the item.
	items := map[string]string{}
	for _, c := range policy.Default().Checklist {
		items["items."+c.Code] = "验收项目"
	}
	addCatalog(items)
}
