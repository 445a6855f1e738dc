package roster

import (
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/idnum"
	"fugong/internal/policy"
	"fugong/internal/xlsx"
)

// Columns are the roster's spreadsheet columns, with Chinese headers, for import and
// export alike. A sheet may use the English keys as headers too.
var Columns = []xlsx.Column{
	{Key: "name", Header: "姓名", Width: 10, Required: true},
	{Key: "id_number", Header: "身份证号", Width: 22, Required: true, Text: true},
	{Key: "phone", Header: "手机号", Width: 14, Text: true},
	{Key: "department", Header: "部门", Width: 14},
	{Key: "origin", Header: "来源地类别", Width: 12, Required: true},
	{Key: "home_address", Header: "家庭住址", Width: 30},
	{Key: "return_date", Header: "返岗日期", Width: 12, Text: true},
	{Key: "transport", Header: "交通方式", Width: 12},
	{Key: "journey_hours", Header: "途中时长(小时)", Width: 10},
	{Key: "trajectory", Header: "14天行程", Width: 30},
	{Key: "contact_history", Header: "接触史", Width: 20},
	{Key: "cohabitants_health", Header: "同住人健康状况", Width: 16},
}

// ExportColumns are Columns followed by the clock, for exports.
var ExportColumns = append(append([]xlsx.Column(nil), Columns...),
	xlsx.Column{Key: "phase", Header: "状态", Width: 12},
	xlsx.Column{Key: "until", Header: "截止日期", Width: 12},
	xlsx.Column{Key: "dorm_room", Header: "宿舍房间", Width: 10},
	xlsx.Column{Key: "isolation_room", Header: "隔离房间", Width: 10},
	xlsx.Column{Key: "certificate", Header: "封闭期间情况证明", Width: 10},
)

// ParseDate reads a day as typed in a form or a sheet ("2020-01-30", "2020/1/30",
// "2020.1.30", "2020年1月30日", "20200130", or a sheet's "2020-01-30 00:00"), in loc.
func ParseDate(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	r := strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "")
	s = r.Replace(s)
	if len(s) == 8 && !strings.Contains(s, "-") {
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	t, err := time.ParseInLocation("2006-1-2", s, loc)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// FormatDate is the day of t in loc as 2006-01-02, or "" for the zero time.
func FormatDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02")
}

// FromRow reads an employee from a sheet row; problems are those of reading the cells
// (Validate finds the rest).
func FromRow(pol *policy.Policy, row xlsx.Row) (e Employee, ps apperr.Problems) {
	v := row.Values
	e.Name, e.IDNumber, e.Phone, e.Department = v["name"], idnum.Normalize(v["id_number"]), v["phone"], v["department"]
	e.HomeAddress, e.Transport, e.Trajectory = v["home_address"], v["transport"], v["trajectory"]
	e.ContactHistory, e.CohabitantsHealth = v["contact_history"], v["cohabitants_health"]
	if o := v["origin"]; o != "" {
		code, ok := OriginCode(pol, o)
		if !ok {
			names := make([]string, len(pol.OriginClasses))
			for i, c := range pol.OriginClasses {
				names[i] = c.Name
			}
			ps.Add("origin", "来源地类别「"+o+"」无法识别,可填:"+strings.Join(names, "、"), "Unknown origin class "+o)
			code = ""
		}
		e.Origin = code
	} else {
		ps.Add("origin", "请填写来源地类别", "Enter the origin class")
	}
	if d := v["return_date"]; d != "" {
		t, ok := ParseDate(d, pol.Location())
		if !ok {
			ps.Add("return_date", "返岗日期「"+d+"」无法识别,请填写如 2020-02-10", "Unreadable return date "+d+"; write it as 2020-02-10")
		}
		e.ReturnDate = t
	}
	if h := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(v["journey_hours"], "小时"), "h")); h != "" {
		f, err := strconv.ParseFloat(h, 64)
		if err != nil {
			ps.Add("journey_hours", "途中时长「"+v["journey_hours"]+"」应为小时数", "Journey hours must be a number of hours")
		}
		e.JourneyHours = f
	}
	e.Normalize()
	return e, ps
}

// ToRow is an employee as an export row in the order of ExportColumns, with the ID number
// masked unless full is set (and the plain number known).
func ToRow(pol *policy.Policy, e Employee, st Status, full bool) []any {
	loc := pol.Location()
	id := e.IDMasked
	if full && e.IDNumber != "" {
		id = e.IDNumber
	}
	return []any{e.Name, id, e.Phone, e.Department, OriginName(pol, e.Origin, "zh"), e.HomeAddress,
		FormatDate(e.ReturnDate, loc), e.Transport, e.JourneyHours, e.Trajectory, e.ContactHistory, e.CohabitantsHealth,
		PhaseNames[st.Phase][0], FormatDate(st.Until, loc), e.DormRoom, e.IsolationRoom, certificateCell(e.HasCertificate)}
}

// certificateCell says in the export whether the home grid certificate is on file.
func certificateCell(has bool) string {
	if has {
		return "已上传"
	}
	return "未上传"
}

// ImportRow is one parsed spreadsheet row of a roster import.
type ImportRow struct {
	Num      int // 1-based row number in the sheet
	E        Employee
	Problems apperr.Problems // problems found while reading the row
}
