package web

// Chinese text of the regions, parks, departments and accounts pages.
func init() {
	addCatalog(map[string]string{
		// Regions.
		"Where you are": "当前位置", "All regions": "全部区域", "Name or code": "名称或代码",
		"Search covers every region in your scope.": "搜索范围为您管辖的全部区域。",
		"Export all regions (.xlsx)":                "导出全部区域(.xlsx)", "Subregions": "下级区域",
		"Rename": "改名", "No region matches.": "没有符合条件的区域。", "No subregions yet.": "还没有下级区域。",
		"Rename a region": "区域改名", "Add a region": "新增区域", "Add": "添加", "Division code": "行政区划代码",
		"6 digits for a county, 9 for a town or street, 12 for a village or community":                      "县级 6 位,乡镇街道 9 位,村社区 12 位",
		"A region is placed under its parent by its code. Entering a code that exists renames that region.": "区域按代码自动归入上级。填写已有的代码即为该区域改名。",
		"Region %s added": "区域 %s 已添加", "Region %s renamed": "区域 %s 已改名", "Nothing changed": "没有变化",
		"Import regions": "导入区域",
		"Upload an .xlsx sheet whose first row holds these headers (columns marked * are required). A code that already exists renames that region; nothing is written while any row has a problem.": "上传 .xlsx 表格,第一行为以下表头(带 * 的列必填)。已有的代码将为该区域改名;只要有任何一行出错,就不写入任何数据。",
		"The parent code may be left empty: a region is placed under its parent by its own code. Format the code columns as text so that long codes stay exact.":                                     "上级代码可以不填:区域按自身代码归入上级。请把代码列设为文本格式,以免长代码被改成科学计数法。",
		"Download the regions in your scope as a starting point": "下载您管辖的区域作为模板",
		"Upload and import": "上传并导入", "Regions imported: %d new, %d renamed": "区域导入完成:新增 %d 个,改名 %d 个",
		// Parks and departments.
		"Name or operator": "名称或运营方", "Add a park": "新增园区", "Operator": "运营方", "Contact": "联系人", "Phone": "电话",
		"No park matches.": "没有符合条件的园区。", "Edit park": "编辑园区", "No.": "编号",
		"The operating company or property manager": "园区运营公司或物业",
		"Park %s added": "园区 %s 已添加", "Park %s saved": "园区 %s 已保存",
		"Name or unit code": "名称或单位代码", "Add a department": "新增部门", "Acts as": "单位类型",
		"No department matches.": "没有符合条件的部门。", "Edit department": "编辑部门",
		"The unit of the local policy this department is: applications routed to that unit come to it": "本部门对应本地政策中的哪个单位:分派给该单位的申请将由本部门审核",
		"(not in the policy in force)": "(现行政策中没有)",
		"Department %s added":          "部门 %s 已添加", "Department %s saved": "部门 %s 已保存",
		// Accounts.
		"User name, name, phone or scope": "用户名、姓名、电话或范围", "Role": "角色", "New account": "新建账号",
		"Disabled": "已停用", "Active": "正常", "No account matches.": "没有符合条件的账号。", "Edit account": "编辑账号",
		"2–64 letters, digits or . _ @ -; used to sign in and cannot be changed later": "2–64 位字母、数字或 . _ @ -,用于登录,创建后不能修改",
		"Full name": "姓名",
		"The scope is the part of the jurisdiction the account acts in. Which kind fits each role:":                          "管辖范围是账号可以操作的辖区部分。各角色适用的范围:",
		"Department and park numbers are shown on their lists; an enterprise's number is the last part of its page address.": "部门和园区的编号见其列表;企业编号是企业页面地址的最后一段数字。",
		"At least 8 characters. Leave empty to have one generated; it is shown once on the next page.":                       "至少 8 个字符。留空则由系统生成,只在下一页显示一次。",
		"Create account": "创建账号", "Account status": "账号状态",
		"Change the account's status? A disabled account is signed out at once and its API tokens stop working for good.": "确定更改账号状态吗?停用后该账号会立即退出登录,其接口令牌也将永久失效。",
		"Disabled: the account cannot sign in or use the API":                                                             "停用:该账号不能登录,也不能使用接口",
		"Save status": "保存状态", "New password": "新密码", "Set password": "设置密码",
		"Set a new password? The user is signed out everywhere.": "确定设置新密码吗?该用户将在所有设备上退出登录。",
		"API tokens": "接口令牌", "API token": "接口令牌", "Tokens in use": "有效令牌数",
		"A token lets a program act as this account through the API (header Authorization: Bearer …). It is shown once when issued.": "令牌让程序以本账号身份调用接口(请求头 Authorization: Bearer …)。令牌只在签发时显示一次。",
		"What the token is for": "令牌用途", "e.g. the gate tablet at the east entrance": "例如:东门测温平板",
		"Issue a token": "签发令牌", "Account created": "账号已创建", "New API token": "新接口令牌",
		"Copy the token now: it cannot be shown again. Only its fingerprint is kept; if it is lost, issue a new one.":      "请立即复制令牌:它不会再次显示。系统只保存其指纹;如果遗失,请重新签发。",
		"Copy the password now and hand it to the user in person: it cannot be shown again. If it is lost, set a new one.": "请立即复制密码并当面交给用户:它不会再次显示。如果遗失,请重新设置。",
		"Done": "完成", "Create another account": "再建一个账号",
		"Account disabled; its sessions and API tokens no longer work": "账号已停用,其登录和接口令牌均已失效",
		"Account enabled": "账号已启用", "Password changed; the user must sign in again": "密码已修改,该用户需要重新登录",
		// Field names shown in error lists.
		"contact": "联系人", "token_name": "令牌用途", "regions": "区域", "parent": "上级代码", "disabled": "停用",
	})
}
