package web

// The rooms page, the home grid certificate and the full-number export.
func init() {
	addCatalog(map[string]string{
		"Rooms": "房间安排", "Rooms of %s saved": "已保存%s的房间安排",
		"A dormitory room takes at most %d people.": "宿舍每间最多住 %d 人。",
		"People in isolation have single rooms: one person per isolation room, and nobody else in their dormitory room.": "隔离期人员单人单间:每个隔离房间只住一人,其宿舍房间也不再安排他人。",
		"To assign: in isolation without an isolation room":                                                              "待安排:隔离期内尚无隔离房间的人员",
		"Everyone in isolation has an isolation room.":                                                                   "隔离期人员均已安排隔离房间。",
		"Assign": "安排", "Assign or move a person": "安排或调整人员房间", "Person": "人员",
		"Empty clears the room.":             "留空表示取消该房间安排。",
		"Isolation rooms and who is in them": "隔离房间及入住人员", "Dormitory rooms and who is in them": "宿舍房间及入住人员",
		"Beds taken": "已住/床位", "Occupants": "入住人员", "Full": "已满", "Over capacity": "超员",
		"Move to room": "调至房间", "Move": "调整", "No room in use.": "暂无使用中的房间。",

		"Home grid certificate": "网格长封闭期间情况证明",
		"Issued by the grid leader of the village or community where the person lives: the person's movements in the last 14 days, any contact with patients, and the health of the person and of those living with them.": "由居住地所在村、社区网格长出具,内容包括近14天本人活动轨迹、与病人接触史及本人与同住人员身体健康状况。",
		"Uploaded": "上传于", "No certificate on file yet.": "尚未上传封闭期间情况证明。",
		"Replace the certificate": "更换证明", "Upload the certificate": "上传证明",
		"An image (jpg, png, webp) or a PDF, at most %d MB": "图片(jpg、png、webp)或 PDF,不超过 %d MB",
		"Certificate uploaded":                              "证明已上传", "Certificate": "证明", "Certificate on file": "已上传证明", "No certificate": "未上传证明",
		"certificate": "证明", "employee_id": "人员",

		"with full ID numbers (recorded in the audit trail)": "含完整身份证号(将记入审计日志)",
	})
}
