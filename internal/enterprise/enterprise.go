// Package enterprise holds the enterprise registry's domain: the record, its validation
// and who may change which fields.
package enterprise

import (
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/list"
)

// Status is an enterprise's standing in the resumption process.
type Status string

const (
	NotResumed Status = "not_resumed" // no notice issued: 严禁复工
	Resumed    Status = "resumed"     // resumption notice in force
	Suspended  Status = "suspended"   // stopped for rectification
	Closed     Status = "closed"      // closed down or deregistered
)

// Statuses lists the statuses in display order.
var Statuses = []Status{NotResumed, Resumed, Suspended, Closed}

// StatusNames are the statuses' Chinese and English names.
var StatusNames = map[Status][2]string{
	NotResumed: {"未复工(严禁复工)", "Not resumed (production forbidden)"},
	Resumed:    {"已复工", "Resumed"},
	Suspended:  {"停工整改", "Suspended for rectification"},
	Closed:     {"已关停/注销", "Closed"},
}

// Enterprise is one registered enterprise.
type Enterprise struct {
	ID              int64     `json:"id"`
	Name            string    `json:"name"`
	USCC            string    `json:"uscc"`
	Category        string    `json:"category"`
	RegionCode      string    `json:"region_code"`
	ParkID          int64     `json:"park_id,omitempty"`
	Status          Status    `json:"status"`
	HasCanteen      bool      `json:"has_canteen"`
	HasDormitory    bool      `json:"has_dormitory"`
	HasBus          bool      `json:"has_bus"`
	KeyEnterprise   bool      `json:"key_enterprise"`
	LegalRep        string    `json:"legal_rep"`
	PreventionLead  string    `json:"prevention_lead"`
	PreventionPhone string    `json:"prevention_phone"`
	Address         string    `json:"address"`
	Headcount       int       `json:"headcount"`
	Version         int       `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`

	// Filled from joins for display.
	RegionName string `json:"region_name,omitempty"`
	ParkName   string `json:"park_name,omitempty"`
}

// Normalize trims every text field and normalises the credit code.
func (e *Enterprise) Normalize() {
	for _, f := range []*string{&e.Name, &e.Category, &e.RegionCode, &e.LegalRep, &e.PreventionLead, &e.PreventionPhone, &e.Address} {
		*f = strings.TrimSpace(*f)
	}
	e.USCC = NormalizeUSCC(e.USCC)
	if e.Status == "" {
		e.Status = NotResumed
	}
}

// Validate normalises the enterprise and lists every field problem. knownCategory reports
// whether a category code is in the policy in force.
func (e *Enterprise) Validate(knownCategory func(string) bool) apperr.Problems {
	e.Normalize()
	var ps apperr.Problems
	switch n := utf8.RuneCountInString(e.Name); {
	case n == 0:
		ps.Add("name", "请填写企业名称", "Enter the enterprise's name")
	case n > 100:
		ps.Add("name", "企业名称最多 100 个字", "The name can have at most 100 characters")
	}
	if e.USCC == "" {
		ps.Add("uscc", "请填写统一社会信用代码(18 位)", "Enter the unified social credit code (18 characters)")
	} else if err := ValidateUSCC(e.USCC); err != nil {
		zh, en := err.Error(), err.Error()
		if ue, ok := err.(*USCCError); ok {
			zh, en = ue.Reason, ue.ReasonEN
		}
		ps.Add("uscc", "统一社会信用代码有误:"+zh, "The credit code is not valid: "+en)
	}
	if e.Category == "" {
		ps.Add("category", "请选择企业类别", "Choose a category")
	} else if knownCategory != nil && !knownCategory(e.Category) {
		ps.Add("category", "当前政策中没有这个企业类别:"+e.Category, "The policy in force has no category "+e.Category)
	}
	if e.RegionCode == "" {
		ps.Add("region_code", "请选择所在区域(镇街或村社区)", "Choose the region (town or village)")
	}
	if !validStatus(e.Status) {
		ps.Add("status", "未知状态:"+string(e.Status), "Unknown status: "+string(e.Status))
	}
	if e.PreventionPhone != "" && !auth.PhoneRE.MatchString(e.PreventionPhone) {
		ps.Add("prevention_phone", "电话号码格式不正确,例如 13800000000 或 0573-88888888", "The phone number is not valid, e.g. 13800000000 or 0573-88888888")
	}
	if e.Headcount < 0 || e.Headcount > 1_000_000 {
		ps.Add("headcount", "在册人数应为 0 到 1000000 之间的整数", "The registered headcount must be a whole number from 0 to 1,000,000")
	}
	for field, v := range map[string]string{"legal_rep": e.LegalRep, "prevention_lead": e.PreventionLead} {
		if utf8.RuneCountInString(v) > 32 {
			ps.Add(field, "姓名最多 32 个字", "A name can have at most 32 characters")
		}
	}
	if utf8.RuneCountInString(e.Address) > 200 {
		ps.Add("address", "地址最多 200 个字", "The address can have at most 200 characters")
	}
	return ps
}

func validStatus(s Status) bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// Restricted lists the fields that only officials may change: an enterprise's own admin
// and a park operator keep the contacts, flags and headcount up to date, but the identity,
// place, category and standing are the government's record.
var Restricted = []string{"name", "uscc", "category", "region_code", "park_id", "status", "key_enterprise"}

// MayChange reports whether role r may change field.
func MayChange(r auth.Role, field string) bool {
	switch r {
	case auth.Admin, auth.Command, auth.Town:
		return true
	case auth.Park:
		return field != "status" && field != "park_id" && field != "region_code" && field != "key_enterprise"
	}
	for _, f := range Restricted {
		if f == field {
			return false
		}
	}
	return true
}

// Filter selects enterprises; every field is optional.
type Filter struct {
	Q        string // name, credit code or contact
	Region   string // region subtree
	ParkID   int64
	Category string
	Status   string
	Key      bool    // key enterprises only
	IDs      []int64 // these enterprises only (a page's, looked up at once)
	Page     list.Page
}
