package policy

// Tips holds the figures of public tips (举报) about enterprises: 戊方案 「鼓励企业内部职工、
// 社会知情群众举报」. The [tips] table and the [[tip_categories]] are optional: without
// them the seed's figures and categories below apply (DefaultTips).
type Tips struct {
	AcceptHours       int    `json:"accept_hours"`         // a tip is accepted or declined within this many hours
	ReplyDays         int    `json:"reply_days"`           // the reporter is answered within this many days
	PerAddressPerHour int    `json:"per_address_per_hour"` // tips accepted from one address in an hour
	GlobalPerHour     int    `json:"global_per_hour"`      // tips accepted from everyone in an hour
	MaxPhotos         int    `json:"max_photos"`           // photos a tip may carry
	DuplicateDays     int    `json:"duplicate_days"`       // tips on one enterprise and category within this many days are grouped
	Unit              string `json:"unit"`                 // the unit that handles a tip whose category names none
	Clause            string `json:"clause,omitempty"`
}

// TipCategory is what a tip reports; Unit, when given, is the unit that handles it.
type TipCategory struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Unit   string `json:"unit,omitempty"`
	Clause string `json:"clause,omitempty"`
}

// TipCategory returns the tip category with code.
func (p *Policy) TipCategory(code string) (TipCategory, bool) {
	for _, c := range p.TipCategories {
		if c.Code == code {
			return c, true
		}
	}
	return TipCategory{}, false
}

// DefaultTips are the figures and categories used when a policy gives none.
func DefaultTips() Tips {
	return Tips{AcceptHours: 24, ReplyDays: 7, PerAddressPerHour: 5, GlobalPerHour: 300, MaxPhotos: 3, DuplicateDays: 3,
		Unit:   "town_gov",
		Clause: "戊方案: 鼓励企业内部职工、社会知情群众举报",
	}
}

// DefaultTipCategories are the seed's categories of tips, used when a policy gives none.
func DefaultTipCategories() []TipCategory {
	return []TipCategory{
		{Code: "unapproved", Name: "未经审核擅自复工", NameEN: "Resumed without approval"},
		{Code: "no_checks", Name: "未测温 / 未戴口罩", NameEN: "No temperature checks or no masks"},
		{Code: "dormitory", Name: "宿舍超员", NameEN: "Overcrowded dormitory"},
		{Code: "gathering", Name: "人员聚集", NameEN: "People gathering"},
		{Code: "isolation", Name: "隔离人员外出", NameEN: "Isolated person going out"},
		{Code: "safety", Name: "安全隐患", NameEN: "Safety hazard"},
		{Code: "other", Name: "其他", NameEN: "Other"},
	}
}

// tips reads the optional [tips] table and [[tip_categories]].
func (d *decoder) tips(p *Policy, root *table, units map[string]int) {
	p.Tips, p.TipCategories = DefaultTips(), DefaultTipCategories()
	list := d.list(root, "tip_categories", false)
	if list == nil {
		root.seen["tip_categories"] = true
	} else {
		p.TipCategories = nil
	}
	codes := map[string]int{}
	for _, t := range list {
		c := TipCategory{Code: d.code(t, codes), Name: d.str(t, "name", true), NameEN: d.str(t, "name_en", true),
			Unit: d.str(t, "unit", false), Clause: d.str(t, "clause", false)}
		d.ref(t, "unit", c.Unit, units, unitRef)
		p.TipCategories = append(p.TipCategories, c)
		d.finish(t)
	}
	if _, ok := root.m["tips"]; ok {
		t := d.section(root, "tips")
		tp := &p.Tips
		tp.AcceptHours = d.count(t, "accept_hours", 24*30)
		tp.ReplyDays = d.count(t, "reply_days", 365)
		tp.PerAddressPerHour = d.count(t, "per_address_per_hour", 10000)
		tp.GlobalPerHour = d.count(t, "global_per_hour", 1000000)
		tp.MaxPhotos = d.count(t, "max_photos", 20)
		tp.DuplicateDays = d.count(t, "duplicate_days", 365)
		tp.Unit = d.str(t, "unit", true)
		d.ref(t, "unit", tp.Unit, units, unitRef)
		tp.Clause = d.str(t, "clause", false)
		d.finish(t)
	} else {
		root.seen["tips"] = true
		if _, ok := units[p.Tips.Unit]; !ok && len(p.Units) > 0 {
			p.Tips.Unit = p.Units[0].Code
		}
	}

}
