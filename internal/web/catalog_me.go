package web

// The staff account's own pass (/me) and the account section of an employee's page.
func init() {
	addCatalog(map[string]string{
		"Today's readings": "今日体温记录", "No reading yet today.": "今天还没有体温记录。",
		"checkpoint": "检测点", "declared": "自主申报", "gate": "门岗",
		"Feeling feverish": "发热", "Cough": "咳嗽", "Fatigue": "乏力",
		"A fever or a symptom suspends the pass until the enterprise closes the follow-up.":                                  "体温异常或有症状将暂停出入证,待企业结案后方可恢复。",
		"This account is not linked to your employee record yet. Ask the enterprise admin to link it on your employee page.": "本账号尚未关联您的员工档案,请联系企业管理员(防疫专人)在您的员工页面关联账号。",
		"Until then, declare your temperature with the token of your pass:":                                                  "关联之前,请凭出入证编码申报体温:",
		"Account": "账号", "Linked account": "已关联账号", "Staff account": "员工账号", "Link the account": "关联账号", "Unlink": "解除关联",
		"No account is linked to this person.": "该员工尚未关联账号。",
		"This account sees the person's own entry pass on its My pass page and declares the person's temperature there.": "该账号可在“我的出入证”页面查看本人出入证并申报体温。",
		"Unlink this account from the person? It will no longer see the person's pass.":                                  "确定解除该账号与员工的关联?解除后该账号将无法查看此人的出入证。",
		"New staff account: user name": "开通员工账号:用户名", "Open an account": "开通账号",
		"Opens an account for this person (role staff, this enterprise) and links it; the password is shown once, to hand over in person.": "为该员工开通账号(员工角色,本企业范围)并自动关联;密码仅显示一次,请当面交给本人。",
		"Account linked": "账号已关联", "Account unlinked": "已解除账号关联",
		"user_id": "账号", "temperature": "体温", "symptoms": "症状",
	})
}
