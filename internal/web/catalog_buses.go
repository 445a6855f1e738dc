package web

func init() {
	addCatalog(map[string]string{
		"Commuter buses": "通勤班车",
		"Departments approve the use of commuter buses; the street or town office issues a numbered letter that rides on the bus and is reported to the traffic control group.": "主管部门审核通勤班车的使用,街道(镇)出具编号的《通勤班车使用意见函》,随车携带并报交通管控组。",
		"Export issued letters (.xlsx)": "导出已出具的意见函(.xlsx)", "Enterprise": "企业", "Plate": "车牌号", "Route": "行驶路线",
		"Seats": "座位", "Driver": "驾驶员", "Driver's phone": "驾驶员电话", "Approve": "同意", "Refuse": "不同意",
		"Reason for refusing": "不同意的理由", "Issue the numbered letter now?": "现在出具编号意见函吗?", "Issue the letter": "出具意见函",
		"No buses registered.": "暂无登记的班车。", "Register a bus": "登记班车", "Bus registered; it waits for approval": "班车已登记,等待审核",
		"Decision recorded": "审核意见已记录", "Commuter bus letter": "通勤班车使用意见函", "Verification QR code": "核验二维码",
		"pending": "待审核", "approved": "已同意", "rejected": "不同意", "letter_issued": "已出具意见函",
		"plate": "车牌号", "route": "行驶路线", "seats": "座位", "driver": "驾驶员", "driver_phone": "驾驶员电话", "enterprise_id": "企业", "comment": "意见",
	})
}
