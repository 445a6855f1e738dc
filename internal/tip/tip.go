// Package tip holds the rules of public tips (举报) about enterprises: 戊方案 「鼓励企业内部
// 职工、社会知情群众举报」. Anyone, without an account, tells what is wrong (a category of the
// policy), about which enterprise, where and when; the tip is routed to the unit that
// handles it in the enterprise's (or the address's) region, handled against the policy's
// deadlines (accepted or declined with a reason, investigated, a result, a reply), and the
// reporter follows it with a receipt code that shows the status and the reply — nothing
// else. The reporter's name and phone are for the handler only.
package tip

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/policy"
)

// Status is where a tip stands.
type Status string

const (
	Received      Status = "received"      // 已收到: waiting to be accepted or declined
	Accepted      Status = "accepted"      // 已受理
	Declined      Status = "declined"      // 不予受理 (with the reason, which the reporter reads)
	Investigating Status = "investigating" // 调查核实中
	Resulted      Status = "resulted"      // 已查明: the result is recorded, the reply not yet given
	Replied       Status = "replied"       // 已答复: the reporter reads the reply
)

// Statuses lists every status in order.
var Statuses = []Status{Received, Accepted, Declined, Investigating, Resulted, Replied}

var statusNames = map[Status][2]string{
	Received: {"已收到,待受理", "Received, awaiting acceptance"}, Accepted: {"已受理", "Accepted"},
	Declined: {"不予受理", "Not accepted"}, Investigating: {"调查核实中", "Under investigation"},
	Resulted: {"已查明,待答复", "Result recorded, reply pending"}, Replied: {"已答复", "Replied"},
}

// Name is the status in Chinese and English.
func (s Status) Name() (zh, en string) { n := statusNames[s]; return n[0], n[1] }

// Closed reports whether nothing more is done on a tip in this status.
func (s Status) Closed() bool { return s == Declined || s == Replied }

// Action is what a handler does to a tip.
type Action string

const (
	Accept      Action = "accept"
	Decline     Action = "decline"     // needs the reason
	Investigate Action = "investigate" // optionally opening an inspection of the enterprise
	Result      Action = "result"      // needs the result
	Reply       Action = "reply"       // needs the reply the reporter reads
)

// Actions lists every action.
var Actions = []Action{Accept, Decline, Investigate, Result, Reply}

var actionNames = map[Action][2]string{
	Accept: {"受理", "Accept"}, Decline: {"不予受理", "Decline"}, Investigate: {"开始调查核实", "Investigate"},
	Result: {"记录查处结果", "Record the result"}, Reply: {"答复举报人", "Reply to the reporter"},
}

// Name is the action in Chinese and English.
func (a Action) Name() (zh, en string) { n := actionNames[a]; return n[0], n[1] }

// transitions: from a status, what each action leads to.
var transitions = map[Status]map[Action]Status{
	Received:      {Accept: Accepted, Decline: Declined},
	Accepted:      {Investigate: Investigating, Result: Resulted},
	Investigating: {Result: Resulted},
	Resulted:      {Reply: Replied},
}

// NeedsText reports whether an action needs words: the reason of a decline, the result,
// the reply.
func NeedsText(a Action) bool { return a == Decline || a == Result || a == Reply }

// Allowed lists the actions open on a tip in status s.
func Allowed(s Status) []Action {
	var out []Action
	for _, a := range Actions {
		if _, ok := transitions[s][a]; ok {
			out = append(out, a)
		}
	}
	return out
}

// Next is the status action leads to from s, with the text it carries; it refuses an
// action the status does not allow and a text-needing action without text.
func Next(s Status, a Action, text string) (Status, error) {
	to, ok := transitions[s][a]
	if !ok {
		if _, known := actionNames[a]; !known {
			return s, apperr.NewInvalid("action", "未知的操作", "Unknown action")
		}
		zh, en := a.Name()
		szh, sen := s.Name()
		return s, apperr.NewConflict("举报当前状态为“"+szh+"”,不能"+zh, "The tip is "+strings.ToLower(sen)+": it cannot be given the action "+en)
	}
	if NeedsText(a) && strings.TrimSpace(text) == "" {
		switch a {
		case Decline:
			return s, apperr.NewInvalid("comment", "请写明不予受理的理由,举报人将看到它", "Give the reason for declining; the reporter reads it")
		case Result:
			return s, apperr.NewInvalid("comment", "请写明调查核实的结果", "Give the result of the investigation")
		default:
			return s, apperr.NewInvalid("comment", "请写明答复内容,举报人凭回执码查看", "Write the reply; the reporter reads it with the receipt code")
		}
	}
	return to, nil
}

// MayHandle reports whether a principal may handle tips: the officials of the
// jurisdiction and the departments. An enterprise, its park, its staff and guards never
// see a tip (nor who sent it).
func MayHandle(p auth.Principal) bool { return p.Can(auth.TipsHandle) }

// Photo is a photo attached to a tip.
type Photo struct {
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// Tip is one tip as its handler sees it.
type Tip struct {
	ID             int64      `json:"id"`
	Category       string     `json:"category"`
	EnterpriseID   int64      `json:"enterprise_id,omitempty"` // a registered enterprise, or 0
	EnterpriseName string     `json:"enterprise_name"`         // the registered name, or the name the reporter gave
	Address        string     `json:"address"`                 // the address the reporter gave
	Place          string     `json:"place"`                   // where it happens (workshop, dormitory …)
	HappenedAt     *time.Time `json:"happened_at,omitempty"`
	Description    string     `json:"description"`
	ReporterName   string     `json:"reporter_name"`  // for the handler only
	ReporterPhone  string     `json:"reporter_phone"` // for the handler only
	RegionCode     string     `json:"region_code"`    // where it is handled
	RegionName     string     `json:"region_name"`
	Unit           string     `json:"unit"` // the policy's unit that handles it
	Status         Status     `json:"status"`
	GroupID        int64      `json:"group_id,omitempty"` // the first tip of its group of duplicates; 0 when it is the first
	Duplicates     int        `json:"duplicates"`         // further tips grouped with this one
	Comment        string     `json:"comment"`            // the decline reason, or the investigation's note
	Result         string     `json:"result"`
	Reply          string     `json:"reply"`
	InspectionID   int64      `json:"inspection_id,omitempty"` // an inspection opened on it (supervision), 0 when none
	Photos         []Photo    `json:"photos"`
	AcceptDue      time.Time  `json:"accept_due"`
	ReplyDue       time.Time  `json:"reply_due"`
	Overdue        bool       `json:"overdue"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	RepliedAt      *time.Time `json:"replied_at,omitempty"`
	Version        int        `json:"version"`
	Actions        []Action   `json:"actions"`
}

// Filter selects tips.
type Filter struct {
	Status   string
	Category string
	Q        string // enterprise name, address, place or description
	Overdue  bool
	Page     list.Page
}

// Input is what a reporter sends.
type Input struct {
	Category       string     `json:"category"`
	EnterpriseID   int64      `json:"enterprise_id"`   // a registered enterprise found by name, or 0
	EnterpriseName string     `json:"enterprise_name"` // the name, when not registered (or not found)
	Address        string     `json:"address"`         // the enterprise's address, when not registered
	Town           string     `json:"town"`            // the region (town or street) of the address, when not registered
	Place          string     `json:"place"`
	HappenedAt     *time.Time `json:"happened_at"`
	Description    string     `json:"description"`
	ReporterName   string     `json:"reporter_name"`
	ReporterPhone  string     `json:"reporter_phone"`
	FormToken      string     `json:"form_token"`
}

// Validate normalises the input and reports every problem by field. photos is how many
// photos come with it.
func (in *Input) Validate(pol *policy.Policy, photos int, now time.Time) error {
	for _, s := range []*string{&in.Category, &in.EnterpriseName, &in.Address, &in.Town, &in.Place, &in.Description, &in.ReporterName, &in.ReporterPhone} {
		*s = strings.TrimSpace(*s)
	}
	var ps apperr.Problems
	if _, ok := pol.TipCategory(in.Category); !ok {
		ps.Add("category", "请选择举报类别", "Choose what is wrong")
	}
	if in.EnterpriseID == 0 {
		if in.EnterpriseName == "" {
			ps.Add("enterprise_name", "请填写被举报企业的名称", "Give the name of the enterprise")
		}
		if in.Address == "" {
			ps.Add("address", "未找到登记的企业时,请填写企业地址", "Without a registered enterprise, give its address")
		}
		if in.Town == "" {
			ps.Add("town", "未找到登记的企业时,请选择企业所在的乡镇(街道)", "Without a registered enterprise, choose the town or street it is in")
		}
	}
	maxLen(&ps, "enterprise_name", in.EnterpriseName, 100)
	maxLen(&ps, "address", in.Address, 200)
	maxLen(&ps, "place", in.Place, 200)
	maxLen(&ps, "reporter_name", in.ReporterName, 32)
	switch n := utf8.RuneCountInString(in.Description); {
	case n < 5:
		ps.Add("description", "请描述看到的情况(至少 5 个字)", "Describe what you saw (at least 5 characters)")
	case n > 2000:
		ps.Add("description", "描述最多 2000 字", "The description can have at most 2000 characters")
	}
	if in.ReporterPhone != "" && !auth.PhoneRE.MatchString(in.ReporterPhone) {
		ps.Add("reporter_phone", "电话号码格式不正确,例如 13800000000", "The phone number is not valid, e.g. 13800000000")
	}
	if in.HappenedAt != nil && in.HappenedAt.After(now.Add(10*time.Minute)) {
		ps.Add("happened_at", "发生时间不能晚于现在", "The time cannot be in the future")
	}
	if photos > pol.Tips.MaxPhotos {
		ps.Add("photos", "照片最多 "+itoa(pol.Tips.MaxPhotos)+" 张", "At most "+itoa(pol.Tips.MaxPhotos)+" photos")
	}
	return ps.Err()
}

func maxLen(ps *apperr.Problems, field, s string, n int) {
	if utf8.RuneCountInString(s) > n {
		ps.Add(field, "最多 "+itoa(n)+" 个字", "At most "+itoa(n)+" characters")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// Enterprise is what the public form finds of a registered enterprise: its name
// and its town, nothing else.
type Enterprise struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Town string `json:"town"`
}

// Town is a town or street the public may name as the place of an enterprise.
type Town struct {
	Code string `json:"code"`
	Name string `json:"name"`
}
