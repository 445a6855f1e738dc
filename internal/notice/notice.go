// Package notice holds the documents the government issues and signs: the resumption
// notice (复工复产通知书) and the commuter-bus letter (通勤班车使用意见函), with the rules of
// who issues them and how they are numbered.
//
// Seed, variant C: 「工信局下达复工复产通知书」; variant D: 「由街道办事处出具《通勤班车使用意见函》,
// 报区交通管控组备案」. Serial formats are the policy's ([serials]); a series runs per issuer
// and year, unique and gapless.
package notice

import (
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/list"
	"fugong/internal/policy"
)

// Series of serial numbers.
const (
	SeriesNotice    = "notice"
	SeriesBusLetter = "bus_letter"
)

// Year is the year a document issued at now is numbered in: the policy's time zone.
func Year(pol *policy.Policy, now time.Time) int { return now.In(pol.Location()).Year() }

// Notice is an issued resumption notice.
type Notice struct {
	ID             int64      `json:"id"`
	ApplicationID  int64      `json:"application_id"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name"`
	USCC           string     `json:"uscc"`
	IssuerUnit     string     `json:"issuer_unit"`
	Year           int        `json:"year"`
	Seq            int        `json:"seq"`
	Serial         string     `json:"serial"`
	Token          string     `json:"token"`
	IssuedAt       time.Time  `json:"issued_at"`
	RevokedAt      *time.Time `json:"revoked_at,omitempty"`
	RevokeReason   string     `json:"revoke_reason,omitempty"`
}

// Status is what the public verification of a signed document may tell: no personal data.
type Status struct {
	Found        bool       `json:"found"`
	Serial       string     `json:"serial,omitempty"`
	Enterprise   string     `json:"enterprise,omitempty"`
	IssuedAt     time.Time  `json:"issued_at,omitzero"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokeReason string     `json:"revoke_reason,omitempty"`
	// NotInForce is set for a document that no longer stands where nothing may be told of
	// why or since when (a pass suspended or revoked: the reason may be a person's
	// health); RevokedAt and RevokeReason then stay empty.
	NotInForce bool `json:"not_in_force,omitempty"`
}

// Bus is a commuter bus of an enterprise (通勤班车).
type Bus struct {
	ID             int64      `json:"id"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name,omitempty"`
	Plate          string     `json:"plate"`
	Route          string     `json:"route"`
	Seats          int        `json:"seats"`
	Driver         string     `json:"driver"`
	DriverPhone    string     `json:"driver_phone"`
	Status         string     `json:"status"` // pending, approved, rejected, letter_issued
	Comment        string     `json:"comment,omitempty"`
	Version        int        `json:"version"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
	Letter         *BusLetter `json:"letter,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// BusLetter is a numbered commuter-bus letter.
type BusLetter struct {
	ID           int64      `json:"id"`
	BusID        int64      `json:"bus_id"`
	IssuerUnit   string     `json:"issuer_unit"`
	Serial       string     `json:"serial"`
	Token        string     `json:"token"`
	IssuedAt     time.Time  `json:"issued_at"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokeReason string     `json:"revoke_reason,omitempty"`
}

// Bus statuses.
const (
	BusPending  = "pending"
	BusApproved = "approved"
	BusRejected = "rejected"
	BusLettered = "letter_issued"
)

// CheckBus normalises a bus and lists its problems.
func CheckBus(b *Bus) error {
	b.Plate = enterprise.NormalizePlate(b.Plate)
	b.Route, b.Driver, b.DriverPhone = strings.TrimSpace(b.Route), strings.TrimSpace(b.Driver), strings.TrimSpace(b.DriverPhone)
	var ps apperr.Problems
	if b.EnterpriseID <= 0 {
		ps.Add("enterprise_id", "请选择企业", "Choose the enterprise")
	}
	if !enterprise.ValidPlate(b.Plate) {
		ps.Add("plate", "车牌号格式不正确,例如 浙F12345", "The plate is not valid, e.g. 浙F12345")
	}
	if b.Route == "" || utf8.RuneCountInString(b.Route) > 200 {
		ps.Add("route", "请填写行驶路线(最多 200 字)", "Enter the route (at most 200 characters)")
	}
	if b.Seats < 1 || b.Seats > 80 {
		ps.Add("seats", "座位数应在 1 到 80 之间", "Seats must be from 1 to 80")
	}
	if b.Driver == "" || utf8.RuneCountInString(b.Driver) > 32 {
		ps.Add("driver", "请填写驾驶员姓名", "Enter the driver's name")
	}
	if b.DriverPhone != "" && !auth.PhoneRE.MatchString(b.DriverPhone) {
		ps.Add("driver_phone", "电话号码格式不正确", "The phone number is not valid")
	}
	return ps.Err()
}

// ErrBusRegistered refuses registering the same bus twice.
var ErrBusRegistered = apperr.NewInvalid("plate", "该车已登记", "This bus is already registered")

// CanDecideBus refuses a role that does not decide on buses: the department reviewing the
// enterprise, the street or town office, the command and the administrator do.
func CanDecideBus(role auth.Role) error {
	switch role {
	case auth.Reviewer, auth.Town, auth.Command, auth.Admin:
		return nil
	}
	return apperr.NewForbidden()
}

// DecideBus is the decision on a bus: the status it takes. A pending bus is approved or
// rejected, a rejected one may still be approved; refusing needs a reason.
func DecideBus(b Bus, approve bool, comment string) (string, error) {
	if b.Status != BusPending && !(b.Status == BusRejected && approve) {
		return "", apperr.NewConflict("该班车已审核", "The bus has already been decided")
	}
	if !approve && strings.TrimSpace(comment) == "" {
		return "", apperr.NewInvalid("comment", "不同意时请写明理由", "Give the reason for refusing")
	}
	if approve {
		return BusApproved, nil
	}
	return BusRejected, nil
}

// CanIssueLetter refuses a role other than the street or town office (or the
// administrator): they alone issue bus letters.
func CanIssueLetter(role auth.Role) error {
	if role != auth.Town && role != auth.Admin {
		return &apperr.Error{Kind: apperr.Forbidden, Message: "通勤班车使用意见函由街道(镇)办出具", MessageEN: "Commuter-bus letters are issued by the street or town office"}
	}
	return nil
}

// LetterIssuer is the series the principal issues the letter of bus b in: the street or
// town office's own ("town:<region code>"); only for an approved bus.
func LetterIssuer(p auth.Principal, b Bus) (string, error) {
	if err := CanIssueLetter(p.Role); err != nil {
		return "", err
	}
	if b.Status != BusApproved {
		return "", apperr.NewConflict("只有审核同意的班车才能出具意见函", "A letter can only be issued for an approved bus")
	}
	if p.Scope.Kind == auth.ScopeRegion {
		return "town:" + p.Scope.Region, nil
	}
	return "all", nil
}

// BusFilter selects buses.
type BusFilter struct {
	Enterprise int64
	Status     string
	Page       list.Page
}

// IssuingAuthority is the issuer as a printed document names it: the unit with its place
// (「甲镇疫情防控应急指挥部」 for the unit 「镇疫情防控应急指挥部」 of 甲镇). A unit named
// after its level (镇…, 县…, 街道…) takes the place's name instead of the level's word;
// any other unit is prefixed with the place; without a place, the unit alone.
func IssuingAuthority(place, unit string) string {
	if place == "" || strings.HasPrefix(unit, place) {
		return unit
	}
	for _, level := range []string{"街道", "乡镇", "镇", "乡", "县", "区", "市", "村", "社区"} {
		if rest, ok := strings.CutPrefix(unit, level); ok && rest != "" {
			return place + rest
		}
	}
	return place + unit
}

// PlaceCode is the code of the region a unit of a level acts for, for an enterprise in
// regionCode: its village, town, county or city; "" when the level names no region
// (a park, a department of the city's own).
func PlaceCode(level, regionCode string) string {
	cut := map[string]int{"village": 12, "town": 9, "county": 6}
	if n, ok := cut[level]; ok && len(regionCode) >= n {
		return regionCode[:n]
	}
	if level == "city" && len(regionCode) >= 4 {
		return regionCode[:4] + "00"
	}
	return ""
}
