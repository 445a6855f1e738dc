package enterprise

import (
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/policy"
	"fugong/internal/xlsx"
)

// Columns are the spreadsheet columns of the registry, with Chinese headers, for import
// and export alike. A sheet may use the English keys as headers too.
var Columns = []xlsx.Column{
	{Key: "name", Header: "企业名称", Width: 30, Required: true},
	{Key: "uscc", Header: "统一社会信用代码", Width: 22, Required: true, Text: true},
	{Key: "category", Header: "企业类别", Width: 20, Required: true},
	{Key: "region_code", Header: "区划代码", Width: 15, Required: true, Text: true},
	{Key: "region_name", Header: "所在区域", Width: 14},
	{Key: "park", Header: "所属园区", Width: 18},
	{Key: "status", Header: "复工状态", Width: 14},
	{Key: "has_canteen", Header: "有食堂", Width: 8},
	{Key: "has_dormitory", Header: "有宿舍", Width: 8},
	{Key: "has_bus", Header: "有通勤班车", Width: 10},
	{Key: "key_enterprise", Header: "重点企业", Width: 9},
	{Key: "legal_rep", Header: "法定代表人", Width: 12},
	{Key: "prevention_lead", Header: "防疫负责人", Width: 12},
	{Key: "prevention_phone", Header: "防疫负责人电话", Width: 16, Text: true},
	{Key: "headcount", Header: "在册人数", Width: 10},
	{Key: "address", Header: "地址", Width: 30},
}

// categoryCode finds a category by its code, Chinese or English name.
func categoryCode(pol *policy.Policy, v string) (string, bool) {
	for _, c := range pol.Categories {
		if v == c.Code || v == c.Name || strings.EqualFold(v, c.NameEN) {
			return c.Code, true
		}
	}
	return "", false
}

// CategoryName is the category's name in the policy, or its code.
func CategoryName(pol *policy.Policy, code, lang string) string {
	if c, ok := pol.Category(code); ok {
		if lang == "en" && c.NameEN != "" {
			return c.NameEN
		}
		return c.Name
	}
	return code
}

func parseFlag(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "否", "无", "n", "no", "false", "0", "×":
		return false, true
	case "是", "有", "y", "yes", "true", "1", "√", "✓":
		return true, true
	}
	return false, false
}

// FromRow reads an enterprise from a spreadsheet row; the park is returned by name.
// Problems with single cells are returned with the row; the record's own validation
// happens later, with the rest.
func FromRow(pol *policy.Policy, row xlsx.Row) (e Enterprise, park string, ps apperr.Problems) {
	v := row.Values
	e.Name, e.USCC, e.RegionCode = v["name"], v["uscc"], v["region_code"]
	e.LegalRep, e.PreventionLead, e.PreventionPhone, e.Address = v["legal_rep"], v["prevention_lead"], v["prevention_phone"], v["address"]
	park = v["park"]
	if c := v["category"]; c != "" {
		code, ok := categoryCode(pol, c)
		if !ok {
			names := make([]string, len(pol.Categories))
			for i, c := range pol.Categories {
				names[i] = c.Name
			}
			ps.Add("category", "企业类别「"+c+"」不在政策中,可选:"+strings.Join(names, "、"), "Category "+c+" is not in the policy")
		}
		e.Category = code
	}
	if s := v["status"]; s != "" {
		e.Status = Status("?")
		for _, st := range Statuses {
			if s == string(st) || s == StatusNames[st][0] || strings.EqualFold(s, StatusNames[st][1]) || strings.HasPrefix(StatusNames[st][0], s) {
				e.Status = st
				break
			}
		}
		if e.Status == "?" {
			ps.Add("status", "复工状态「"+s+"」无法识别,可填:未复工、已复工、停工整改、已关停", "Unknown status "+s)
			e.Status = NotResumed
		}
	}
	for key, dst := range map[string]*bool{"has_canteen": &e.HasCanteen, "has_dormitory": &e.HasDormitory, "has_bus": &e.HasBus, "key_enterprise": &e.KeyEnterprise} {
		b, ok := parseFlag(v[key])
		if !ok {
			ps.Add(key, "请填写「是」或「否」,而不是「"+v[key]+"」", "Write 是 (yes) or 否 (no), not "+v[key])
		}
		*dst = b
	}
	if h := strings.ReplaceAll(v["headcount"], ",", ""); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil {
			ps.Add("headcount", "在册人数须为整数,而不是「"+v["headcount"]+"」", "The headcount must be a whole number, not "+v["headcount"])
		}
		e.Headcount = n
	}
	return e, park, ps
}

// ToRow is an enterprise as a spreadsheet row in the order of Columns.
func ToRow(pol *policy.Policy, e Enterprise) []any {
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	}
	return []any{e.Name, e.USCC, CategoryName(pol, e.Category, "zh"), e.RegionCode, e.RegionName, e.ParkName,
		StatusNames[e.Status][0], yes(e.HasCanteen), yes(e.HasDormitory), yes(e.HasBus), yes(e.KeyEnterprise),
		e.LegalRep, e.PreventionLead, e.PreventionPhone, e.Headcount, e.Address}
}

// ImportRow is one parsed spreadsheet row of an enterprise import.
type ImportRow struct {
	Num      int // 1-based row number in the sheet
	E        Enterprise
	ParkName string          // park given by name, resolved against the parks in scope
	Problems apperr.Problems // problems found while parsing the row
}
