// Package application holds the resumption application's domain (复工复产申请 / 备案): the
// record an enterprise files, the explained checks of the local policy against it, the flags
// that select the policy's stages and materials, the workflow as a state machine whose stages
// come from the policy, and the priority that orders the review queue.
//
// It is pure: no SQL, no HTTP. Times are evaluated in the policy's time zone.
package application

import (
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/policy"
)

// Statuses outside the policy's stages. While an application is under review its Status is
// the code of the last stage it has completed (the first stage, "submitted" in every example
// policy, right after filing); the stage after it is the one waiting for its actor (StageOf).
const (
	StatusDraft     = "draft"     // being written by the enterprise (or on its behalf)
	StatusReturned  = "returned"  // sent back to the enterprise to correct and resubmit
	StatusRejected  = "rejected"  // refused; final
	StatusWithdrawn = "withdrawn" // withdrawn by the enterprise before any review; final
	StatusApproved  = "approved"  // the final stage approved; the notice is in force
	StatusRevoked   = "revoked"   // approval revoked after resumption; final
)

// FixedStatuses lists the statuses that are not stage codes.
var FixedStatuses = []string{StatusDraft, StatusReturned, StatusRejected, StatusWithdrawn, StatusApproved, StatusRevoked}

// IsFixedStatus reports whether s is one of FixedStatuses (and so not a stage code).
func IsFixedStatus(s string) bool {
	for _, f := range FixedStatuses {
		if f == s {
			return true
		}
	}
	return false
}

// Terminal reports whether no action can follow the status.
func Terminal(s string) bool {
	return s == StatusRejected || s == StatusWithdrawn || s == StatusRevoked
}

// Editable reports whether the enterprise may change the application in this status.
func Editable(s string) bool { return s == StatusDraft || s == StatusReturned }

// InReview reports whether the status is a stage code (submitted and not yet decided).
func InReview(s string) bool { return s != "" && !IsFixedStatus(s) }

// Application is one enterprise's application to resume work.
type Application struct {
	ID            int64  `json:"id"`
	EnterpriseID  int64  `json:"enterprise_id"`
	Status        string `json:"status"`
	Version       int    `json:"version"`
	PolicyVersion string `json:"policy_version,omitempty"` // policy in force when it was last submitted

	PlannedAt       time.Time `json:"planned_at"`       // planned date and time of resumption
	EarlyResumption bool      `json:"early_resumption"` // the enterprise asks to resume before the earliest date
	GreenChannel    bool      `json:"green_channel"`    // 绿色通道: priority handling
	FiledBy         int64     `json:"filed_by"`         // user who filed it
	OnBehalf        bool      `json:"on_behalf"`        // 帮办代办: filed by an official or the park operator

	Returning      Returning       `json:"returning"`
	Supplies       []SupplyItem    `json:"supplies"`
	IsolationRooms int             `json:"isolation_rooms"` // single rooms set aside for isolation and observation
	Dormitory      []DormRoom      `json:"dormitory,omitempty"`
	Attachments    []Attachment    `json:"attachments,omitempty"`
	Parts          map[string]bool `json:"parts,omitempty"` // material codes declared present inside another document (e.g. the ten parts of a plan)
	Commitment     Commitment      `json:"commitment"`
	SelfCheck      map[string]bool `json:"self_check,omitempty"` // checklist item code → the enterprise checked it and it holds
	Note           string          `json:"note,omitempty"`

	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	DecidedAt   time.Time `json:"decided_at,omitzero"`
}

// Returning is the returning headcount by origin class (DOMAIN.md §2.6). The JSON names are
// the policy's origin class codes.
type Returning struct {
	Local             int `json:"local"`
	CityOtherDistrict int `json:"city_other_district"`
	ProvinceOtherCity int `json:"province_other_city"`
	OtherProvince     int `json:"other_province"`
}

// Total is the whole returning headcount.
func (r Returning) Total() int {
	return r.Local + r.CityOtherDistrict + r.ProvinceOtherCity + r.OtherProvince
}

// Of returns the headcount of an origin class code (policy.OriginLocal, …).
func (r Returning) Of(class string) int {
	switch class {
	case policy.OriginLocal:
		return r.Local
	case policy.OriginCityOtherDistrict:
		return r.CityOtherDistrict
	case policy.OriginProvinceOtherCity:
		return r.ProvinceOtherCity
	case policy.OriginOtherProvince:
		return r.OtherProvince
	}
	return 0
}

// OriginClasses lists the origin class codes in the order Returning holds them.
var OriginClasses = []string{policy.OriginLocal, policy.OriginCityOtherDistrict, policy.OriginProvinceOtherCity, policy.OriginOtherProvince}

// Supply item codes (variant D's list: 口罩、一次性手套、防护服、电子温度计、酒精、消毒液).
const (
	ItemMasks        = "masks"
	ItemGloves       = "gloves"
	ItemSuits        = "suits"
	ItemThermometers = "thermometers"
	ItemAlcohol      = "alcohol"
	ItemDisinfectant = "disinfectant"
)

// SupplyItems lists the supply item codes in display order.
var SupplyItems = []string{ItemMasks, ItemGloves, ItemSuits, ItemThermometers, ItemAlcohol, ItemDisinfectant}

// RequiredSupplies must be in stock: variant C's 「配备防护口罩、消毒液、红外测温仪等疫情防控用品」.
var RequiredSupplies = []string{ItemMasks, ItemThermometers, ItemDisinfectant}

// SupplyNames are the items' Chinese name, English name, default unit and the unit's
// English.
var SupplyNames = map[string][4]string{
	ItemMasks:        {"口罩", "masks", "只", "pcs"},
	ItemGloves:       {"一次性手套", "disposable gloves", "副", "pairs"},
	ItemSuits:        {"防护服", "protective suits", "套", "suits"},
	ItemThermometers: {"体温计", "thermometers", "支", "pcs"},
	ItemAlcohol:      {"酒精", "alcohol", "升", "L"},
	ItemDisinfectant: {"消毒液", "disinfectant", "升", "L"},
}

// SupplyUnit is how unit, the unit of an item as filed, reads in lang: the item's
// default unit (also for an empty one) in that language; a unit of the enterprise's own
// as written.
func SupplyUnit(item, unit, lang string) string {
	n, ok := SupplyNames[item]
	if !ok || unit != "" && unit != n[2] {
		return unit
	}
	if lang == "en" {
		return n[3]
	}
	return n[2]
}

// SupplyItem is a quantity of one item in stock. Masks are counted one by one (只).
type SupplyItem struct {
	Item     string `json:"item"`
	Quantity int    `json:"quantity"`
	Unit     string `json:"unit,omitempty"` // for display; the item's default unit when empty
}

// Stock returns the total quantity of an item over all lines, and the unit to show.
func (a Application) Stock(item string) (qty int, unit string) {
	for _, s := range a.Supplies {
		if s.Item == item {
			qty += s.Quantity
			if unit == "" {
				unit = s.Unit
			}
		}
	}
	if unit == "" {
		unit = SupplyNames[item][2]
	}
	return qty, unit
}

// DormRoom is one dormitory room and how many staff it houses.
type DormRoom struct {
	Name     string `json:"name"`
	Beds     int    `json:"beds"`
	Assigned int    `json:"assigned"`
}

// Attachment is an uploaded file that stands for a material (stored content-addressed).
type Attachment struct {
	Material    string `json:"material"` // the policy's material code
	Name        string `json:"name"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
}

// Commitment is the signed commitment letter (承诺书).
type Commitment struct {
	SignedBy string    `json:"signed_by"`
	SignedAt time.Time `json:"signed_at,omitzero"`
}

// Signed reports whether a named person signed the letter on a known date.
func (c Commitment) Signed() bool { return strings.TrimSpace(c.SignedBy) != "" && !c.SignedAt.IsZero() }

// Has reports whether the material is present: a file is attached for it, or it is declared
// present as a part of another document.
func (a Application) Has(material string) bool {
	if a.Parts[material] {
		return true
	}
	for _, at := range a.Attachments {
		if at.Material == material {
			return true
		}
	}
	return false
}

// Normalize trims the text fields.
func (a *Application) Normalize() {
	a.Commitment.SignedBy = strings.TrimSpace(a.Commitment.SignedBy)
	a.Note = strings.TrimSpace(a.Note)
	for i := range a.Supplies {
		a.Supplies[i].Item = strings.TrimSpace(a.Supplies[i].Item)
		a.Supplies[i].Unit = strings.TrimSpace(a.Supplies[i].Unit)
	}
	for i := range a.Dormitory {
		a.Dormitory[i].Name = strings.TrimSpace(a.Dormitory[i].Name)
	}
	for i := range a.Attachments {
		a.Attachments[i].Material = strings.TrimSpace(a.Attachments[i].Material)
		a.Attachments[i].Name = strings.TrimSpace(a.Attachments[i].Name)
		a.Attachments[i].SHA256 = strings.ToLower(strings.TrimSpace(a.Attachments[i].SHA256))
	}
	if a.Status == "" {
		a.Status = StatusDraft
	}
}

// Validate normalises the application and lists every field problem: the shape of the
// input, not the policy's rules (see Check). pol may be nil; then material and checklist
// codes are not checked against it.
func (a *Application) Validate(pol *policy.Policy) apperr.Problems {
	a.Normalize()
	var ps apperr.Problems
	if a.PlannedAt.IsZero() {
		ps.Add("planned_at", "请填写计划复工时间", "Enter the planned date and time of resumption")
	}
	r := a.Returning
	for _, f := range []struct {
		field string
		n     int
	}{{"returning.local", r.Local}, {"returning.city_other_district", r.CityOtherDistrict},
		{"returning.province_other_city", r.ProvinceOtherCity}, {"returning.other_province", r.OtherProvince}} {
		if f.n < 0 || f.n > 1_000_000 {
			ps.Add(f.field, "人数应为 0 到 1000000 之间的整数", "The number must be a whole number from 0 to 1,000,000")
		}
	}
	for i, s := range a.Supplies {
		field := "supplies[" + strconv.Itoa(i) + "]"
		if _, ok := SupplyNames[s.Item]; !ok {
			ps.Add(field+".item", "未知物资: "+s.Item+"(可选: 口罩 masks、一次性手套 gloves、防护服 suits、体温计 thermometers、酒精 alcohol、消毒液 disinfectant)",
				"Unknown item "+s.Item+" (one of masks, gloves, suits, thermometers, alcohol, disinfectant)")
		}
		if s.Quantity < 0 || s.Quantity > 100_000_000 {
			ps.Add(field+".quantity", "数量应为 0 到 100000000 之间的整数", "The quantity must be a whole number from 0 to 100,000,000")
		}
		if utf8.RuneCountInString(s.Unit) > 8 {
			ps.Add(field+".unit", "单位最多 8 个字", "The unit can have at most 8 characters")
		}
	}
	if a.IsolationRooms < 0 || a.IsolationRooms > 10_000 {
		ps.Add("isolation_rooms", "隔离留观室间数应为 0 到 10000 之间的整数", "The number of isolation rooms must be a whole number from 0 to 10,000")
	}
	names := map[string]bool{}
	for i, d := range a.Dormitory {
		field := "dormitory[" + strconv.Itoa(i) + "]"
		switch {
		case d.Name == "":
			ps.Add(field+".name", "请填写宿舍房间名称或编号", "Enter the room's name or number")
		case utf8.RuneCountInString(d.Name) > 32:
			ps.Add(field+".name", "房间名称最多 32 个字", "The room's name can have at most 32 characters")
		case names[d.Name]:
			ps.Add(field+".name", "房间 "+d.Name+" 重复填写", "Room "+d.Name+" is listed twice")
		}
		names[d.Name] = true
		if d.Beds < 0 || d.Beds > 1000 {
			ps.Add(field+".beds", "床位数应为 0 到 1000 之间的整数", "The number of beds must be a whole number from 0 to 1,000")
		}
		if d.Assigned < 0 || d.Assigned > 1000 {
			ps.Add(field+".assigned", "入住人数应为 0 到 1000 之间的整数", "The number of occupants must be a whole number from 0 to 1,000")
		}
	}
	knownMaterial := func(code string) bool {
		if pol == nil {
			return code != ""
		}
		for _, m := range pol.Materials {
			if m.Code == code {
				return true
			}
		}
		return false
	}
	for i, at := range a.Attachments {
		field := "attachments[" + strconv.Itoa(i) + "]"
		if !knownMaterial(at.Material) {
			ps.Add(field+".material", "当前政策中没有这项材料: "+at.Material, "The policy in force has no material "+at.Material)
		}
		if at.Name == "" || utf8.RuneCountInString(at.Name) > 200 {
			ps.Add(field+".name", "文件名应为 1 到 200 个字", "The file name must have 1 to 200 characters")
		}
		if b, err := hex.DecodeString(at.SHA256); err != nil || len(b) != 32 {
			ps.Add(field+".sha256", "文件摘要应为 64 位十六进制 SHA-256", "The digest must be a SHA-256 in 64 hex digits")
		}
		if at.Size < 0 {
			ps.Add(field+".size", "文件大小不能为负数", "The size cannot be negative")
		}
	}
	for code := range a.Parts {
		if !knownMaterial(code) {
			ps.Add("parts."+code, "当前政策中没有这项材料: "+code, "The policy in force has no material "+code)
		}
	}
	if pol != nil {
		for code := range a.SelfCheck {
			known := false
			for _, c := range pol.Checklist {
				known = known || c.Code == code
			}
			if !known {
				ps.Add("self_check."+code, "当前政策的检查清单中没有这一项: "+code, "The policy's checklist has no item "+code)
			}
		}
	}
	if utf8.RuneCountInString(a.Commitment.SignedBy) > 32 {
		ps.Add("commitment.signed_by", "姓名最多 32 个字", "A name can have at most 32 characters")
	}
	if utf8.RuneCountInString(a.Note) > 2000 {
		ps.Add("note", "说明最多 2000 个字", "The note can have at most 2,000 characters")
	}
	return ps
}
