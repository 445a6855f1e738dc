package policy

// Requests holds the figures of enterprise requests (诉求): 己方案's special teams
// 「了解企业生产经营状况和政务服务需求…及时帮助解决企业复工实际问题」. The [requests] table and
// the [[request_kinds]] are optional: without them the figures and kinds below apply.
type Requests struct {
	DueDays       int    `json:"due_days"`        // a request is answered within this many days
	UrgentDueDays int    `json:"urgent_due_days"` // an urgent one within this many days
	Unit          string `json:"unit"`            // the unit that answers a kind naming none
	EscalateTo    string `json:"escalate_to"`     // the unit a request is escalated to
	Clause        string `json:"clause,omitempty"`
}

// RequestKind is what an enterprise asks about; Unit, when given, is the unit that answers.
type RequestKind struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Unit   string `json:"unit,omitempty"`
	Clause string `json:"clause,omitempty"`
}

// RequestKind returns the request kind with code.
func (p *Policy) RequestKind(code string) (RequestKind, bool) {
	for _, k := range p.RequestKinds {
		if k.Code == code {
			return k, true
		}
	}
	return RequestKind{}, false
}

// DefaultRequests are the figures used when a policy gives none.
func DefaultRequests() Requests {
	return Requests{DueDays: 3, UrgentDueDays: 1, Unit: "town_gov", EscalateTo: "county_command",
		Clause: "己方案: 了解企业生产经营状况和政务服务需求,及时帮助解决企业复工实际问题"}
}

// DefaultRequestKinds are the kinds used when a policy gives none.
func DefaultRequestKinds() []RequestKind {
	return []RequestKind{
		{Code: "labour", Name: "用工", NameEN: "Workers"},
		{Code: "materials", Name: "原材料", NameEN: "Raw materials"},
		{Code: "logistics", Name: "物流运输", NameEN: "Logistics and transport"},
		{Code: "finance", Name: "资金 / 融资", NameEN: "Funds and financing"},
		{Code: "supplies", Name: "防疫物资", NameEN: "Prevention supplies"},
		{Code: "policy", Name: "政策咨询", NameEN: "Policy questions"},
		{Code: "approval", Name: "审批事项", NameEN: "Approvals"},
		{Code: "other", Name: "其他", NameEN: "Other"},
	}
}

// requests reads the optional [requests] table and [[request_kinds]].
func (d *decoder) requests(p *Policy, root *table, units map[string]int) {
	p.Requests, p.RequestKinds = DefaultRequests(), DefaultRequestKinds()
	list := d.list(root, "request_kinds", false)
	if list == nil {
		root.seen["request_kinds"] = true
	} else {
		p.RequestKinds = nil
	}
	codes := map[string]int{}
	for _, t := range list {
		k := RequestKind{Code: d.code(t, codes), Name: d.str(t, "name", true), NameEN: d.str(t, "name_en", true),
			Unit: d.str(t, "unit", false), Clause: d.str(t, "clause", false)}
		d.ref(t, "unit", k.Unit, units, unitRef)
		p.RequestKinds = append(p.RequestKinds, k)
		d.finish(t)
	}
	if _, ok := root.m["requests"]; !ok {
		root.seen["requests"] = true
		// Without [requests], units the policy lacks fall back to its first units.
		if _, ok := units[p.Requests.Unit]; !ok && len(p.Units) > 0 {
			p.Requests.Unit = p.Units[0].Code
		}
		if _, ok := units[p.Requests.EscalateTo]; !ok && len(p.Units) > 0 {
			p.Requests.EscalateTo = p.Units[0].Code
		}
		return
	}
	t := d.section(root, "requests")
	r := &p.Requests
	r.DueDays = d.count(t, "due_days", 365)
	r.UrgentDueDays = d.count(t, "urgent_due_days", 365)
	r.Unit = d.str(t, "unit", true)
	d.ref(t, "unit", r.Unit, units, unitRef)
	r.EscalateTo = d.str(t, "escalate_to", true)
	d.ref(t, "escalate_to", r.EscalateTo, units, unitRef)
	r.Clause = d.str(t, "clause", false)
	d.finish(t)
}
