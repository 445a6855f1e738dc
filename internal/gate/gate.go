// Package gate holds the rules of the enterprise's gate (门岗, 检测卡口): whether a pass
// lets its holder in, and whether a visitor or a vehicle may enter.
//
// Seed, variant C: 「实行出入证管理」, 「体温超过37.3℃或有咳嗽等症状的禁止进入」; variant D:
// 「企业只设1个进出通道,在通道设置检测卡口」; B: the in/out register of persons and vehicles
// with temperatures, freight vehicles disinfected.
package gate

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/health"
	"fugong/internal/idnum"
	"fugong/internal/pass"
	"fugong/internal/policy"
	"fugong/internal/sign"
)

// Codes of the gate's answer, in the order Decide checks them.
const (
	OK              = "ok"
	BadToken        = "bad_token"        // the signature or the kind of document
	Expired         = "expired"          // a genuine pass past the expiry its token carries
	NotFound        = "not_found"        // no such pass, or the token is not the pass's
	OtherEnterprise = "other_enterprise" // a pass of another enterprise, or of one outside the scanner's scope
	NotApproved     = "not_approved"     // requested, not approved yet
	Suspended       = "suspended"        // fever, symptom, missed checks
	Revoked         = "revoked"          // revoked, or the holder left
	NoNotice        = "no_notice"        // the enterprise holds no valid resumption notice
	WrongEntrance   = "wrong_entrance"   // not the enterprise's single entrance
	Fever           = "fever"            // at or above the fever line: refused, pass suspended
	NotDisinfected  = "not_disinfected"  // a freight vehicle not disinfected
	EntranceError   = "entrance_error"   // the registered entrance could not be read
)

// Result is the gate's answer to a pass scan.
type Result struct {
	Allow    bool   `json:"allow"`
	Code     string `json:"code"` // ok, bad_token, expired, not_found, not_approved, suspended, revoked (also when the holder left), other_enterprise, no_notice, wrong_entrance, fever
	Reason   string `json:"reason"`
	ReasonEN string `json:"reason_en"`
	Person   string `json:"person,omitempty"` // masked name
	Color    string `json:"color"`            // green or red
	PassID   int64  `json:"pass_id,omitempty"`
}

// Facts are what the gate knows of a scan when it decides.
type Facts struct {
	Claims   sign.Claims // the token's claims
	TokenErr error       // why the token's signature or expiry failed, or nil

	Found        bool // the pass exists, the token is its own and names its holder
	Status       string
	Reason       string // of a suspension or revocation
	Left         bool   // the holder has left the enterprise
	Enterprise   int64  // the holder's enterprise
	ScannerScope auth.Scope
	InScope      bool // the holder's enterprise lies in the scanner's scope (read with the scope's own query)
	NoticeValid  bool // the holder's enterprise holds an unrevoked notice
	// NoticeSuspended: the enterprise's notice stands but is suspended (停产整顿): it may
	// not produce until a re-inspection passes.
	NoticeSuspended bool

	Entrance   string // the enterprise's registered entrance ("" if none)
	Checkpoint string // where the scan is

	Temperature *float64 // taken with the scan, if any
}

func deny(code, zh, en string) Result {
	return Result{Code: code, Reason: zh, ReasonEN: en, Color: "red"}
}

// Decide is the gate's decision, checked in this order: the token's signature, its expiry
// and kind;
// the pass exists and is the token's; the pass belongs here (its enterprise lies in the
// scanner's scope, and is the scanner's own enterprise for a guard of an enterprise);
// approved; not suspended; not revoked; the holder has not left; the enterprise holds a
// valid notice; the checkpoint is the single entrance (where the policy asks for one); the
// temperature is below the fever line.
//
// Whether the pass belongs here comes before its state: a scanner learns nothing of a
// pass that is not its own to check, least of all why it was suspended (a fever).
func Decide(pol *policy.Policy, f Facts) Result {
	if f.TokenErr != nil {
		if errors.Is(f.TokenErr, sign.ErrExpired) && f.Claims.Kind == sign.PassKind {
			zh, en := pass.ExpiredWords(f.Claims.ExpiresAt, pol.Location())
			r := deny(Expired, zh+",禁止入内", en+": entry refused")
			r.Person, r.PassID = f.Claims.Subject, f.Claims.ID
			return r
		}
		zh, en := sign.Message(f.TokenErr)
		return deny(BadToken, "无效出入证:"+zh, "Invalid pass: "+en)
	}
	if f.Claims.Kind != sign.PassKind {
		return deny(BadToken, "这不是出入证,请出示本人出入证", "This is not an entry pass")
	}
	if !f.Found {
		return deny(NotFound, "查无此出入证,禁止入内", "No such pass: entry refused")
	}
	fail := func(code, zh, en string) Result {
		r := deny(code, zh, en)
		r.Person, r.PassID = f.Claims.Subject, f.Claims.ID
		return r
	}
	if !Belongs(f) {
		if f.ScannerScope.Kind == auth.ScopeEnterprise {
			return fail(OtherEnterprise, "非本企业出入证,禁止入内", "Not a pass of this enterprise: entry refused")
		}
		return fail(OtherEnterprise, "非本辖区企业的出入证,禁止入内", "Not a pass of an enterprise in your scope: entry refused")
	}
	switch f.Status {
	case pass.Requested:
		return fail(NotApproved, "出入证尚未批准,禁止入内", "The pass is not approved yet: entry refused")
	case pass.Suspended:
		zh, en := pass.ReasonName(f.Reason)
		return fail(Suspended, "出入证已暂停("+zh+"),禁止入内", "The pass is suspended ("+en+"): entry refused")
	case pass.Revoked:
		zh, en := pass.ReasonName(f.Reason)
		return fail(Revoked, "出入证已撤销("+zh+"),禁止入内", "The pass is revoked ("+en+"): entry refused")
	}
	if f.Left {
		return fail(Revoked, "持证人已离职,出入证作废", "The holder has left: the pass is void")
	}
	if !f.NoticeValid && f.NoticeSuspended {
		return fail(NoNotice, "企业停产整顿中,不得生产,禁止入内", "The enterprise is stopped for rectification and not allowed to produce: entry refused")
	}
	if !f.NoticeValid {
		zh, en := pass.ReasonName(pass.ReasonNoticeRevoked)
		return fail(NoNotice, zh, en)
	}
	if pol.Gate.SingleEntrance && !AtEntrance(f.Entrance, f.Checkpoint) {
		cp := strings.TrimSpace(f.Checkpoint)
		return fail(WrongEntrance, "「"+cp+"」非本企业唯一进出通道,禁止入内;请从「"+f.Entrance+"」进出",
			"“"+cp+"” is not the enterprise's single entrance: entry refused; use “"+f.Entrance+"”")
	}
	if f.Temperature != nil {
		t := health.Round(*f.Temperature)
		if isFever(pol.Health, t) {
			return fail(Fever, fmt.Sprintf("体温 %.1f℃ 异常,禁止入内,出入证已暂停", t), fmt.Sprintf("Temperature %.1f °C: entry refused, the pass is suspended", t))
		}
	}
	return Result{Allow: true, Code: OK, Reason: "准予通行", ReasonEN: "Allowed", Color: "green", Person: f.Claims.Subject, PassID: f.Claims.ID}
}

// Belongs reports whether a found pass is the scanner's to check: its enterprise lies in
// the scanner's scope, and a guard of an enterprise checks that enterprise's passes only.
// A scan of a pass that does not belong is logged with the scanner, never in the log of
// the pass's enterprise.
func Belongs(f Facts) bool {
	if !f.InScope {
		return false
	}
	return f.ScannerScope.Kind != auth.ScopeEnterprise || f.ScannerScope.ID == f.Enterprise
}

// Reads reports whether a scan with this answer records its temperature as a reading:
// it passed every check but the temperature (a fever reading suspends the pass).
func Reads(r Result, temperature *float64) bool {
	return temperature != nil && (r.Allow || r.Code == Fever)
}

// Entry is a logged entry at the gate: a pass scan, a visitor or a vehicle.
type Entry struct {
	ID                 int64     `json:"id"`
	EnterpriseID       int64     `json:"enterprise_id"`
	Kind               string    `json:"kind"` // employee, visitor, vehicle
	Allow              bool      `json:"allow"`
	Reason             string    `json:"reason"`
	Temperature        *float64  `json:"temperature,omitempty"`
	Name               string    `json:"name"`
	Phone              string    `json:"phone,omitempty"`
	IDMasked           string    `json:"id_masked,omitempty"`
	Purpose            string    `json:"purpose,omitempty"`
	Host               string    `json:"host,omitempty"`
	Plate              string    `json:"plate,omitempty"`
	FreightDisinfected *bool     `json:"freight_disinfected,omitempty"`
	Checkpoint         string    `json:"checkpoint,omitempty"` // where it was registered (not stored)
	At                 time.Time `json:"at"`
}

// Kinds of entry.
const (
	KindEmployee = "employee"
	KindVisitor  = "visitor"
	KindVehicle  = "vehicle"
)

// CheckEntry validates and normalises a visitor (name, phone, the ID number kept masked
// only, purpose, host, temperature) or a vehicle (plate, driver, driver's temperature,
// whether the freight was disinfected).
func CheckEntry(e *Entry, idNumber string) error {
	var ps apperr.Problems
	e.ID, e.IDMasked = 0, ""
	e.Name, e.Phone, e.Purpose, e.Host = strings.TrimSpace(e.Name), strings.TrimSpace(e.Phone), strings.TrimSpace(e.Purpose), strings.TrimSpace(e.Host)
	e.Plate = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(e.Plate), " ", ""))
	for _, f := range []struct{ name, v string }{{"name", e.Name}, {"phone", e.Phone}, {"purpose", e.Purpose}, {"host", e.Host}, {"plate", e.Plate}} {
		if utf8.RuneCountInString(f.v) > 100 {
			ps.Add(f.name, "内容过长", "Too long")
		}
	}
	switch e.Kind {
	case KindVisitor:
		if e.Name == "" {
			ps.Add("name", "请填写访客姓名", "Enter the visitor's name")
		}
		if e.Phone != "" && !auth.PhoneRE.MatchString(e.Phone) {
			ps.Add("phone", "电话号码格式不正确", "The phone number is not valid")
		}
		if id := idnum.Normalize(idNumber); id != "" {
			if idnum.Validate(id) != nil {
				ps.Add("id_number", "身份证号码无效", "Invalid identity number")
			} else {
				e.IDMasked = idnum.Mask(id)
			}
		}
		e.Plate, e.FreightDisinfected = "", nil
	case KindVehicle:
		if !enterprise.ValidPlate(enterprise.NormalizePlate(e.Plate)) {
			ps.Add("plate", "车牌号格式不正确,例如 浙F12345", "The plate is not valid, e.g. 浙F12345")
		}
	default:
		ps.Add("kind", "请选择访客或车辆", "Choose visitor or vehicle")
	}
	if e.Temperature == nil {
		ps.Add("temperature", "请测量体温", "Take the temperature")
	} else if err := health.CheckTemperature("temperature", *e.Temperature); err != nil {
		ae, _ := apperr.As(err)
		ps = append(ps, ae.Problems...)
	}
	if err := ps.Err(); err != nil {
		return err
	}
	t := health.Round(*e.Temperature)
	e.Temperature = &t
	return nil
}

// DecideEntry decides whether a checked visitor or vehicle may enter: a fever, freight
// not disinfected, or (where the policy asks for a single entrance) another checkpoint
// than the registered entrance refuse it. entranceErr is set when the entrance could not
// be read.
func DecideEntry(pol *policy.Policy, e *Entry, entrance string, entranceErr bool) {
	e.Allow, e.Reason = true, OK
	switch {
	case isFever(pol.Health, *e.Temperature):
		e.Allow, e.Reason = false, Fever
	case e.Kind == KindVehicle && e.FreightDisinfected != nil && !*e.FreightDisinfected:
		e.Allow, e.Reason = false, NotDisinfected
	case !pol.Gate.SingleEntrance || strings.TrimSpace(e.Checkpoint) == "":
	case entranceErr:
		e.Allow, e.Reason = false, EntranceError
	case !AtEntrance(entrance, e.Checkpoint):
		e.Allow, e.Reason = false, WrongEntrance
	}
}

func isFever(h policy.Health, t float64) bool {
	fever, _ := health.Fever(h, t, nil)
	return fever
}
