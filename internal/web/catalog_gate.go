package web

// The single entrance and camera scanning at the gate.
func init() {
	addCatalog(map[string]string{
		"Single entrance": "唯一进出通道", "Entrance": "进出通道", "Entrance name": "通道名称", "e.g. East gate": "例如:东门",
		"Save": "保存", "Entrance saved": "进出通道已保存",
		"Scans and registrations at any other checkpoint are refused.": "在其他检测点扫码或登记一律禁止通行。",
		"The policy asks for a single entrance with a checkpoint: the enterprise administrator registers its name here. Until then, scans work at every checkpoint.": "按政策要求,企业只设1个进出通道并设置检测卡口:请企业管理员在此登记通道名称。登记前,各检测点均可正常扫码。",
		"wrong_entrance": "非本企业唯一进出通道", "entrance_error": "无法核对进出通道",
		"Scan with camera": "扫码", "Stop the camera": "关闭摄像头",
		"Hold the pass's QR code in front of the camera": "请将出入证二维码对准摄像头",
		"The photo could not be read; try again":         "照片无法识别,请重试",
		"Reading the photo…":                             "正在识别照片……",
	})
}
