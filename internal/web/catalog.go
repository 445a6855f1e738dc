package web

// catalogZH is the Chinese text of every English key used in pages and messages.
// Other files may add their keys with addCatalog in an init function.
var catalogZH = map[string]string{
	"Fugong": "复工", "Work resumption": "企业复工复产管理", "Menu": "菜单", "Home": "首页", "Enterprises": "企业",
	"Regions": "区域", "Parks": "园区", "Departments": "部门", "Users": "账号", "Audit trail": "审计日志", "Policy": "政策",
	"Sign out": "退出", "Sign in": "登录", "Policy version": "政策版本", "Previous": "上一页", "Next": "下一页",
	"Back to the home page": "返回首页", "User name": "用户名", "Password": "密码", "Error": "出错了",
	"Welcome": "欢迎", "Scope": "管辖范围", "Whole system": "全系统",
	"No resumption notice has been issued: production is not allowed.": "尚未取得复工复产通知书,严禁复工生产。",
	"Update our details": "更新本企业信息", "Enterprises in scope": "辖区内企业", "What you can do": "您可以",
	"Register an enterprise": "登记企业", "Import enterprises from a spreadsheet": "用表格批量导入企业",
	"Search the enterprise registry": "查询企业名录", "Manage regions, parks and departments": "管理区域、园区和部门",
	"Manage accounts and API tokens": "管理账号和接口令牌", "Review the audit trail": "查看审计日志",
	"Read the local policy in force": "查看现行本地政策",
	"Search":                         "搜索", "Name, credit code or contact": "名称、信用代码或联系人", "Region": "区域", "All": "全部",
	"Park": "园区", "Category": "类别", "Status": "状态", "Key enterprises only": "仅重点企业", "Filter": "筛选", "Clear": "清除",
	"Import .xlsx": "导入 .xlsx", "Export what is shown (.xlsx)": "导出当前结果(.xlsx)", "Name": "名称", "Credit code": "统一社会信用代码",
	"Headcount": "在册人数", "Key": "重点", "No enterprise matches.": "没有符合条件的企业。",
	"Key enterprise": "重点企业", "Edit": "编辑", "Change history": "变更记录", "Back to the list": "返回列表",
	"Not in a park": "不在园区", "Legal representative": "法定代表人", "Prevention lead": "防疫负责人",
	"Registered headcount": "在册人数", "Address": "地址", "Canteen": "食堂", "Dormitory": "宿舍", "Commuter bus": "通勤班车",
	"Registered at": "登记时间", "Last changed": "最后修改", "version": "版本",
	"Edit enterprise": "编辑企业信息", "18 characters, GB 32100-2015; the last one is a check character": "18 位,符合 GB 32100-2015,最后一位为校验码",
	"Prevention lead's phone": "防疫负责人电话", "Facilities": "设施", "Register": "登记", "Save changes": "保存修改", "Cancel": "取消",
	"Enterprise registered": "企业已登记", "Changes saved": "修改已保存",
	"Import enterprises": "导入企业",
	"Upload an .xlsx sheet whose first row holds these headers (columns marked * are required). Rows whose credit code is already registered update that enterprise.": "上传 .xlsx 表格,第一行为以下表头(带 * 的列必填)。信用代码已登记的行将更新该企业的信息。",
	"Download the template": "下载导入模板", "Spreadsheet (.xlsx)": "表格文件(.xlsx)",
	"Import the valid rows even if some rows have errors":                                                         "即使部分行有错误,也导入正确的行",
	"Without this box, nothing is written while any row has an error: you get the list of problems to fix first.": "不勾选时,只要有任何一行出错就不写入任何数据,并列出需要修改的问题。",
	"Upload and check": "上传并检查", "Import": "导入", "Checking and importing… this page updates by itself.": "正在检查并导入……本页会自动刷新。",
	"Try again": "重试", "Imported.": "导入完成。", "New": "新增", "Updated": "更新", "Rows left out": "未导入的行", "Time": "时间",
	"Nothing was written.": "未写入任何数据。", "of": "/", "rows have problems. Fix them and upload again, or choose to import the valid rows.": "行有问题。请修改后重新上传,或选择只导入正确的行。",
	"Go to the registry": "查看企业名录", "Go to the list": "查看列表", "Upload another file": "再上传一个文件", "Problems by row": "逐行问题", "Row": "行",
	"Column": "列", "Problem": "问题", "Back": "返回", "Object type": "对象类型", "Object ID": "对象编号", "Action": "操作",
	"Who": "操作人", "Object": "对象", "Change": "变更内容", "No entries.": "暂无记录。",
	"Every change is chained to the previous one by a SHA-256 hash; the command fugong audit verify proves that no row was altered, removed or reordered.": "每条变更都以 SHA-256 哈希与上一条相连;命令 fugong audit verify 可证明没有记录被篡改、删除或调换顺序。",
	"enterprise": "企业", "region": "区域", "park": "园区", "department": "部门", "user": "账号",
	"Local policy": "本地政策", "Version": "版本", "Source": "来源", "Time zone": "时区", "Resumption": "复工",
	"Earliest resumption": "最早复工时间", "Application lead time": "申请提前时间", "hours": "小时", "Supplies reserve": "物资储备",
	"days": "天", "Masks per person per day": "每人每天口罩数", "Review due within": "审核时限", "Health": "健康监测",
	"Isolation": "隔离", "Monitoring": "健康监测期", "Longest journey": "返程最长时间", "Temperature checks per day": "每日测温次数",
	"Fever line": "发热标准", "Dormitory: people per room at most": "宿舍每间最多人数", "Enterprise categories": "企业类别",
	"Code": "代码", "Clause": "依据条款", "Units": "单位", "Level": "层级", "Routing": "审核分工", "Categories": "类别",
	"Reviewing unit": "审核单位", "First review": "初审单位", "in a park": "园区内", "Stages": "流程环节", "when": "条件",
	"Acceptance checklist": "现场验收清单", "Yes": "是", "No": "否",
	"Something went wrong on our side; please try again. If it persists, tell the administrator.": "系统出现错误,请重试;如仍有问题请联系管理员。",
	// Field names shown in error lists.
	"name": "名称", "uscc": "统一社会信用代码", "category": "类别", "region_code": "区域", "park_id": "园区", "status": "状态",
	"legal_rep": "法定代表人", "prevention_lead": "防疫负责人", "prevention_phone": "防疫负责人电话", "headcount": "在册人数",
	"address": "地址", "file": "文件", "form": "表单", "username": "用户名", "password": "密码", "scope": "管辖范围", "role": "角色",
	"display_name": "姓名", "phone": "电话", "code": "代码", "unit_code": "单位类型", "operator": "运营方", "body": "请求内容",
}

// addCatalog adds Chinese text for more keys.
func addCatalog(m map[string]string) {
	for k, v := range m {
		catalogZH[k] = v
	}
}
