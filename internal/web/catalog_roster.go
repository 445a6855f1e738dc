package web

func init() {
	addCatalog(map[string]string{
		"Roster": "员工花名册", "Employee": "员工档案", "Add an employee": "添加员工", "Employee added": "员工已添加",
		"Import the roster": "导入花名册", "Go to the roster": "返回花名册", "Quarantine clock": "隔离与监测",
		"Isolating": "隔离中", "Cleared": "可正常上岗", "Cleared tomorrow": "明日解除", "Advised not to return": "劝暂缓返岗",
		"Not returned": "未返岗", "Journey too long": "途中时长超标", "Until": "截止", "days left": "剩余天数",
		"Name, phone, department or full ID number": "姓名、手机号、部门或完整身份证号", "No employee matches.": "没有符合条件的员工。",
		"ID number": "身份证号", "Department": "部门", "Origin": "来源地类别", "Return date": "返岗日期", "Transport": "交通方式",
		"Journey hours": "途中时长(小时)", "Dormitory room": "宿舍房间", "Isolation room": "隔离房间", "Home address": "家庭住址",
		"Travel in the last 14 days": "14天行程", "Contact history": "接触史", "Cohabitants' health": "同住人健康状况", "Save": "保存",
		"18 characters, GB 11643; the last one is a check character": "18位,符合 GB 11643,最后一位为校验码",
		"Upload an .xlsx sheet whose first row holds these headers (columns marked * are required). An ID number already on the roster, or twice in the file, is reported by row.": "请上传 .xlsx 表格,首行为以下表头(带 * 的列必填)。已在花名册中的身份证号、或在文件中重复的身份证号,会按行报告。",
		"id_number": "身份证号", "origin": "来源地类别", "home_address": "家庭住址", "return_date": "返岗日期", "transport": "交通方式",
		"journey_hours": "途中时长", "trajectory": "14天行程", "contact_history": "接触史", "cohabitants_health": "同住人健康状况",
		"dorm_room": "宿舍房间", "isolation_room": "隔离房间",
	})
}
