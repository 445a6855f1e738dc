// Package guidance holds the rules of the guidance officials publish for enterprises and
// the public (己方案 「做好电话、网上咨询辅导」, 丙方案 「宣讲应对疫情惠企政策措施」, 庚方案's
// 「十问十答」 and the 属地 / 企业 / 员工须知, a park's rent relief): what it concerns (regions,
// categories of enterprise, a park), when it is in force, whether it is public and whether
// enterprises must confirm reading it, and how its body is shown (Render: no HTML ever
// passes through).
package guidance

import (
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/list"
)

// Kind is what a piece of guidance is.
type Kind string

const (
	Measures   Kind = "measures"    // 惠企政策
	FAQ        Kind = "faq"         // 十问十答
	Local      Kind = "local"       // 属地须知
	ForFirms   Kind = "enterprise"  // 企业须知
	ForStaff   Kind = "staff"       // 员工须知
	RentRelief Kind = "rent_relief" // 园区租金减免
	Other      Kind = "other"
)

// Kinds lists every kind.
var Kinds = []Kind{Measures, FAQ, Local, ForFirms, ForStaff, RentRelief, Other}

var kindNames = map[Kind][2]string{
	Measures: {"惠企政策", "Support measures"}, FAQ: {"十问十答", "Ten questions, ten answers"}, Local: {"属地须知", "Local notice"},
	ForFirms: {"企业须知", "Notice to enterprises"}, ForStaff: {"员工须知", "Notice to employees"}, RentRelief: {"园区租金减免", "Rent relief of a park"},
	Other: {"其他", "Other"},
}

// Name is the kind in Chinese and English.
func (k Kind) Name() (zh, en string) { n := kindNames[k]; return n[0], n[1] }

// Item is one published piece of guidance.
type Item struct {
	ID          int64      `json:"id"`
	Kind        Kind       `json:"kind"`
	Title       string     `json:"title"`
	Body        string     `json:"body"` // plain text or Markdown (see Render)
	Regions     []string   `json:"regions"`
	Categories  []string   `json:"categories"` // enterprise categories; empty: every category
	ParkID      int64      `json:"park_id,omitempty"`
	Public      bool       `json:"public"`
	AskConfirm  bool       `json:"ask_confirm"`
	PublishAt   time.Time  `json:"publish_at"`
	EndAt       *time.Time `json:"end_at,omitempty"`
	Publisher   string     `json:"publisher"`
	CreatedAt   time.Time  `json:"created_at"`
	Confirmed   bool       `json:"confirmed"` // the caller's enterprise confirmed reading it
	Confirms    int        `json:"confirms"`  // enterprises that confirmed reading it
	Attachments []File     `json:"attachments"`
}

// File is an attachment of a piece of guidance.
type File struct {
	Name        string `json:"name"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// HTML is the body rendered safely.
func (it Item) HTML() template.HTML { return Render(it.Body) }

// InForce reports whether the item is published at now: after its publication, before its end.
func (it Item) InForce(now time.Time) bool {
	return !now.Before(it.PublishAt) && (it.EndAt == nil || now.Before(*it.EndAt))
}

// Reader is an enterprise reading guidance: its region, category and park.
type Reader struct {
	Region   string
	Category string
	ParkID   int64
}

// Concerns reports whether the item concerns an enterprise: one of its regions holds the
// enterprise's, its categories (if any) name the enterprise's, its park (if any) is the
// enterprise's.
func (it Item) Concerns(r Reader) bool {
	inRegion := false
	for _, code := range it.Regions {
		if strings.HasPrefix(r.Region, code) {
			inRegion = true
		}
	}
	if !inRegion {
		return false
	}
	if len(it.Categories) > 0 {
		found := false
		for _, c := range it.Categories {
			found = found || c == r.Category
		}
		if !found {
			return false
		}
	}
	return it.ParkID == 0 || it.ParkID == r.ParkID
}

// Filter selects guidance.
type Filter struct {
	Kind    string
	Q       string
	Current bool // only what is in force now
	Page    list.Page
}

// Validate normalises an item to publish and reports every problem by field.
// knownCategory tells the policy's categories.
func (it *Item) Validate(knownCategory func(string) bool) error {
	it.Title, it.Body = strings.TrimSpace(it.Title), strings.TrimSpace(it.Body)
	var ps apperr.Problems
	if _, ok := kindNames[it.Kind]; !ok {
		ps.Add("kind", "请选择类别", "Choose the kind")
	}
	switch n := utf8.RuneCountInString(it.Title); {
	case n == 0:
		ps.Add("title", "请填写标题", "Give the title")
	case n > 100:
		ps.Add("title", "标题最多 100 字", "At most 100 characters")
	}
	if it.Body == "" {
		ps.Add("body", "请填写正文", "Write the body")
	}
	if len(it.Regions) == 0 {
		ps.Add("regions", "请选择适用的区域", "Choose the regions it concerns")
	}
	for _, c := range it.Categories {
		if !knownCategory(c) {
			ps.Add("categories", "未知的企业类别 "+c, "Unknown category "+c)
		}
	}
	if it.Kind == RentRelief && it.ParkID == 0 {
		ps.Add("park_id", "租金减免须选择园区", "Rent relief names its park")
	}
	if it.PublishAt.IsZero() {
		ps.Add("publish_at", "请填写发布日期", "Give the publication date")
	}
	if it.EndAt != nil && !it.EndAt.After(it.PublishAt) {
		ps.Add("end_at", "截止日期须晚于发布日期", "The end must come after the publication")
	}
	return ps.Err()
}

// MaxFiles is how many files one item holds.
const MaxFiles = 10

// CheckAttach refuses a file an item cannot take: past MaxFiles, or without a name.
func CheckAttach(it Item, f File) error {
	if strings.TrimSpace(f.Name) == "" || f.SHA256 == "" {
		return apperr.NewInvalid("file", "请选择要上传的文件", "Choose a file to upload")
	}
	if len(it.Attachments) >= MaxFiles {
		return apperr.NewInvalid("file", fmt.Sprintf("每条公告最多 %d 个附件", MaxFiles), fmt.Sprintf("At most %d files per item", MaxFiles))
	}
	return nil
}
