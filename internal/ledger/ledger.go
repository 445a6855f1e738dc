// Package ledger holds an enterprise's daily ledgers (台账) — disinfection, supplies stock,
// used-mask collection, publicity and training — and the arithmetic of the daily report:
// the supplies' days of cover against the people on site.
package ledger

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/list"
	"fugong/internal/policy"
)

// Kind names a ledger.
type Kind string

// The ledgers.
const (
	Disinfection Kind = "disinfection" // 消毒台账
	Supplies     Kind = "supplies"     // 防控物资台账
	Masks        Kind = "masks"        // 废弃口罩收集台账
	Training     Kind = "training"     // 宣传培训台账
)

// Kinds lists the ledgers in display order.
var Kinds = []Kind{Disinfection, Supplies, Masks, Training}

// Names are the ledgers' Chinese and English names.
var Names = map[Kind][2]string{
	Disinfection: {"消毒台账", "Disinfection ledger"},
	Supplies:     {"防控物资台账", "Supplies ledger"},
	Masks:        {"废弃口罩收集台账", "Used-mask collection ledger"},
	Training:     {"宣传培训台账", "Publicity and training ledger"},
}

// Valid reports whether k is a ledger.
func (k Kind) Valid() bool { _, ok := Names[k]; return ok }

// Entry is one line of a ledger. Which fields are used depends on the kind:
// disinfection — At, Area, Agent, Person (operator); supplies — At, Item, Quantity
// (positive in, negative out), Note; masks — At, Quantity (collected), Person (handler);
// training — At (the day), Topic, Quantity (明白单 handed out), Names.
type Entry struct {
	ID             int64     `json:"id"`
	EnterpriseID   int64     `json:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name,omitempty"`
	Kind           Kind      `json:"kind"`
	At             time.Time `json:"at"`
	Area           string    `json:"area,omitempty"`
	Agent          string    `json:"agent,omitempty"`
	Person         string    `json:"person,omitempty"`
	Item           string    `json:"item,omitempty"`
	Quantity       int64     `json:"quantity"`
	Topic          string    `json:"topic,omitempty"`
	Names          string    `json:"names,omitempty"`
	Note           string    `json:"note,omitempty"`
	CreatedBy      string    `json:"created_by,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

// NameList splits the names of a training entry (separated by commas, 、, spaces or lines).
func NameList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '\uff0c' || r == '、' || r == ';' || r == '\uff1b' || r == '\n' || r == '\r' || r == ' ' || r == '\t'
	})
}

const maxQuantity = 100_000_000

func tooLong(ps *apperr.Problems, field, zh, en, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		ps.Add(field, fmt.Sprintf("%s不能超过%d个字", zh, max), fmt.Sprintf("%s must be at most %d characters", en, max))
	}
}

// Normalize trims the fields and, for training, counts the names when no count is given.
func (e *Entry) Normalize() {
	for _, s := range []*string{&e.Area, &e.Agent, &e.Person, &e.Item, &e.Topic, &e.Names, &e.Note} {
		*s = strings.TrimSpace(*s)
	}
	if e.Kind == Training && e.Quantity == 0 {
		e.Quantity = int64(len(NameList(e.Names)))
	}
}

// Validate lists the problems of the entry's fields for its kind. now bounds the time: an
// entry cannot be dated more than a day ahead.
func (e Entry) Validate(now time.Time) error {
	var ps apperr.Problems
	if !e.Kind.Valid() {
		ps.Add("kind", "未知的台账类别", "Unknown ledger")
		return ps.Err()
	}
	if e.EnterpriseID == 0 {
		ps.Add("enterprise_id", "请选择企业", "Choose the enterprise")
	}
	if e.At.IsZero() {
		ps.Add("at", "请填写时间", "Enter the time")
	} else if e.At.After(now.Add(24*time.Hour)) || e.At.Year() < 2000 {
		ps.Add("at", "时间不正确(不能晚于明天)", "The time is not valid (not later than tomorrow)")
	}
	switch e.Kind {
	case Disinfection:
		if e.Area == "" {
			ps.Add("area", "请填写消毒区域", "Enter the area disinfected")
		}
		if e.Agent == "" {
			ps.Add("agent", "请填写消毒剂名称", "Enter the disinfectant used")
		}
		if e.Person == "" {
			ps.Add("person", "请填写消毒人员", "Enter who disinfected")
		}
	case Supplies:
		if _, ok := application.SupplyNames[e.Item]; !ok {
			ps.Add("item", "请选择物资(口罩、一次性手套、防护服、体温计、酒精、消毒液)", "Choose the item (masks, gloves, suits, thermometers, alcohol, disinfectant)")
		}
		if e.Quantity == 0 || e.Quantity > maxQuantity || e.Quantity < -maxQuantity {
			ps.Add("quantity", "数量应为 1 到 100000000 之间的整数", "The quantity must be a whole number from 1 to 100,000,000")
		}
	case Masks:
		if e.Quantity <= 0 || e.Quantity > maxQuantity {
			ps.Add("quantity", "收集数量应为正整数", "The number collected must be a positive whole number")
		}
		if e.Person == "" {
			ps.Add("person", "请填写经手人", "Enter who handled the collection")
		}
	case Training:
		if e.Topic == "" {
			ps.Add("topic", "请填写宣传培训内容", "Enter the topic")
		}
		if e.Quantity <= 0 || e.Quantity > maxQuantity {
			ps.Add("quantity", "请填写发放明白单的人数或名单", "Enter how many workers received the 明白单, or their names")
		}
	}
	tooLong(&ps, "area", "消毒区域", "The area", e.Area, 100)
	tooLong(&ps, "agent", "消毒剂", "The disinfectant", e.Agent, 100)
	tooLong(&ps, "person", "人员", "The person", e.Person, 50)
	tooLong(&ps, "topic", "内容", "The topic", e.Topic, 200)
	tooLong(&ps, "names", "名单", "The names", e.Names, 5000)
	tooLong(&ps, "note", "备注", "The note", e.Note, 500)
	return ps.Err()
}

// DailyUse is how much of item one person on site uses in a day. Masks follow the policy
// (MasksPerPersonPerDay). The policy sets no figure for the other items; the assumption is
// one pair of disposable gloves per person per day, and none for protective suits,
// thermometers, alcohol and disinfectant, which are used by the prevention staff or per
// area rather than per person: their days of cover are not computed (0).
func DailyUse(pol *policy.Policy, item string) float64 {
	switch item {
	case application.ItemMasks:
		return float64(pol.Resumption.MasksPerPersonPerDay)
	case application.ItemGloves:
		return 1
	}
	return 0
}

// Cover is how many days a stock lasts for onSite people using perPerson each a day. It
// is +Inf when nobody is on site (or the item is not used per person) and the stock is
// positive, and 0 when there is no stock.
func Cover(stock int64, onSite int, perPerson float64) float64 {
	if stock <= 0 {
		return 0
	}
	if onSite <= 0 || perPerson <= 0 {
		return math.Inf(1)
	}
	return float64(stock) / (float64(onSite) * perPerson)
}

// Stock is one item's stock with its days of cover.
type Stock struct {
	Item      string  `json:"item"`
	Name      string  `json:"name"`
	Unit      string  `json:"unit"`
	Quantity  int64   `json:"quantity"`
	PerDay    float64 `json:"per_person_per_day"` // 0: not used per person, no cover computed
	CoverDays float64 `json:"cover_days"`         // -1 when not computed (see PerDay) or nobody on site
	Warning   bool    `json:"warning"`            // used per person and lasting fewer than the policy's reserve days
	Message   string  `json:"message,omitempty"`
	MessageEN string  `json:"message_en,omitempty"`
}

// Stocks computes every supply item's stock and days of cover for onSite people. The
// warning is raised for items used per person whose cover is below the policy's
// SuppliesReserveDays (also with an empty stock).
func Stocks(pol *policy.Policy, quantities map[string]int64, onSite int) []Stock {
	reserve := float64(pol.Resumption.SuppliesReserveDays)
	out := make([]Stock, 0, len(application.SupplyItems))
	for _, item := range application.SupplyItems {
		n := application.SupplyNames[item]
		st := Stock{Item: item, Name: n[0], Unit: n[2], Quantity: quantities[item], PerDay: DailyUse(pol, item), CoverDays: -1}
		if st.PerDay > 0 && onSite > 0 {
			st.CoverDays = Cover(st.Quantity, onSite, st.PerDay)
			if st.CoverDays < reserve {
				st.Warning = true
				st.Message = fmt.Sprintf("%s库存 %d %s,按在岗 %d 人每人每天 %g %s 仅够 %.1f 天,低于政策要求的 %d 天储备",
					n[0], st.Quantity, n[2], onSite, st.PerDay, n[2], st.CoverDays, pol.Resumption.SuppliesReserveDays)
				st.MessageEN = fmt.Sprintf("%s: %d in stock last %.1f days for %d people on site at %g a day each, below the %d days' reserve the policy requires",
					n[1], st.Quantity, st.CoverDays, onSite, st.PerDay, pol.Resumption.SuppliesReserveDays)
			}
		}
		out = append(out, st)
	}
	return out
}

// Round1 rounds days of cover to one decimal for reports (−1 and +Inf stay as they are).
func Round1(d float64) float64 {
	if d < 0 || math.IsInf(d, 0) {
		return d
	}
	return math.Floor(d*10+0.5) / 10
}

// Filter selects entries of one ledger of one enterprise.
type Filter struct {
	EnterpriseID int64
	Kind         Kind
	From, To     time.Time // [From, To); zero = open
	Page         list.Page
}
