package dashboard

import "time"

// StatRow is one line of the resumption statistics table (复工统计表): a region one level
// below the caller's and a category, on a day.
type StatRow struct {
	Region       string `json:"region"`
	RegionName   string `json:"region_name"`
	Category     string `json:"category"`
	CategoryName string `json:"category_name"`
	Registered   int    `json:"registered"` // enterprises registered by the day's end
	Filed        int    `json:"filed"`      // of those, that submitted an application (备案) by then
	Approved     int    `json:"approved"`   // that were approved (a notice issued) by then
	Resumed      int    `json:"resumed"`    // holding a notice in force at the day's end
	Staff        int    `json:"staff"`      // employees registered, not left
	Back         int    `json:"back"`       // employees returned by the day
	OnSite       int    `json:"on_site"`    // employees admitted at a gate on the day
}

// Rate is the row's resumption rate by enterprises.
func (r StatRow) Rate() Rate { return Rate{r.Resumed, r.Registered} }

// add adds another row's counts.
func (r *StatRow) add(o StatRow) {
	r.Registered += o.Registered
	r.Filed += o.Filed
	r.Approved += o.Approved
	r.Resumed += o.Resumed
	r.Staff += o.Staff
	r.Back += o.Back
	r.OnSite += o.OnSite
}

// The names StatTable gives its sum rows: a region's subtotal in its category column, the
// grand total in its region column.
const (
	SubtotalName = "小计"
	TotalName    = "合计"
)

// Sum tells whether the row is a subtotal or the total that StatTable adds.
func (r StatRow) Sum() bool {
	return r.Category == "" && (r.CategoryName == SubtotalName || r.RegionName == TotalName)
}

// StatTable lays the rows out as the clerk hands the table in: the rows of each region
// by category, then the region's subtotal (小计) when it has more than one category, and
// the grand total (合计) last. Rows must come ordered by region.
func StatTable(rows []StatRow) []StatRow {
	var out []StatRow
	var total StatRow
	total.RegionName, total.CategoryName = TotalName, ""
	for i := 0; i < len(rows); {
		j := i
		sub := StatRow{Region: rows[i].Region, RegionName: rows[i].RegionName, CategoryName: SubtotalName}
		for ; j < len(rows) && rows[j].Region == rows[i].Region; j++ {
			out = append(out, rows[j])
			sub.add(rows[j])
		}
		if j-i > 1 {
			out = append(out, sub)
		}
		total.add(sub)
		i = j
	}
	return append(out, total)
}

// StatHeaders are the columns of the 复工统计表, as the table is handed in.
var StatHeaders = []string{"区域", "行业类别", "登记企业数", "已申报备案企业数", "已批准企业数", "已复工企业数", "复工率(按企业)",
	"在册员工数", "已返岗人数", "当日到岗人数"}

// Filing is one line of the filing summary (复工企业备案汇总表, variant D's 附件3): an
// enterprise that filed, with its latest application and notice.
type Filing struct {
	EnterpriseID int64      `json:"enterprise_id"`
	Name         string     `json:"name"`
	USCC         string     `json:"uscc"`
	RegionName   string     `json:"region_name"`
	Category     string     `json:"category"`
	Unit         string     `json:"unit"`
	PlannedAt    *time.Time `json:"planned_at,omitempty"`
	SubmittedAt  time.Time  `json:"submitted_at"`
	Headcount    int        `json:"headcount"`
	Status       string     `json:"status"`
	Serial       string     `json:"serial,omitempty"`
}

// FilingHeaders are the columns of the 备案汇总表.
var FilingHeaders = []string{"序号", "企业名称", "统一社会信用代码", "所属区域", "行业类别", "审核单位", "计划复工日期", "申报时间",
	"在册人数", "办理状态", "通知书编号"}
