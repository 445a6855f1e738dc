package tip

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/policy"
)

// A receipt code is 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L,
// no U), written XXXXX-XXXXX: short enough to write down, 30^10 ≈ 2^49 codes, so that
// guessing one among the tips is hopeless. Only its digest is stored.
const receiptAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// ReceiptLen is the number of characters of a receipt code (without the dash).
const ReceiptLen = 10

// NewReceipt draws a receipt code.
func NewReceipt() string {
	var b [ReceiptLen]byte
	out := make([]byte, 0, ReceiptLen+1)
	for i := 0; i < ReceiptLen; {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err) // the system's random source failed
		}
		for _, c := range b {
			if c >= 240 || i == ReceiptLen { // 240 = 8 × 30: no bias
				continue
			}
			if i == 5 {
				out = append(out, '-')
			}
			out = append(out, receiptAlphabet[int(c)%len(receiptAlphabet)])
			i++
		}
	}
	return string(out)
}

// NormReceipt reads a code as a person types it: any case, with or without the dash or
// spaces; the look-alikes are read as the characters they resemble. ok is false when it
// cannot be a receipt code.
func NormReceipt(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case '-', ' ', '—', '－':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r == '0' || r == '1' || !strings.ContainsRune(receiptAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	c := b.String()
	if len(c) != ReceiptLen {
		return "", false
	}
	return c[:5] + "-" + c[5:], true
}

// ReceiptDigest is what is stored of a receipt code.
func ReceiptDigest(code string) string {
	sum := sha256.Sum256([]byte("fugong tip receipt\x00" + code))
	return hex.EncodeToString(sum[:])
}

// The form token replaces a third-party captcha: the form carries the time it was served,
// signed with the server's key. A tip sent sooner than FormMinAge after its form (a
// script), or later than FormMaxAge (a stale or harvested token), is refused.
const (
	FormMinAge = 3 * time.Second
	FormMaxAge = 2 * time.Hour
)

// FormToken is the token of a form served at now.
func FormToken(key []byte, now time.Time) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(now.Unix()))
	m := hmac.New(sha256.New, key)
	m.Write(b[:])
	return base64.RawURLEncoding.EncodeToString(append(b[:], m.Sum(nil)[:16]...))
}

// CheckFormToken checks a form token at now.
func CheckFormToken(key []byte, token string, now time.Time) error {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(token))
	bad := apperr.NewInvalid("form_token", "表单已失效,请刷新页面后重新提交", "The form has expired; reload the page and send it again")
	if err != nil || len(raw) != 24 {
		return bad
	}
	m := hmac.New(sha256.New, key)
	m.Write(raw[:8])
	if !hmac.Equal(m.Sum(nil)[:16], raw[8:]) {
		return bad
	}
	served := time.Unix(int64(binary.BigEndian.Uint64(raw[:8])), 0)
	switch age := now.Sub(served); {
	case age < FormMinAge:
		return apperr.NewInvalid("form_token", "提交太快了,请核对内容后再提交", "Sent too quickly; check what you wrote and send it again")
	case age > FormMaxAge:
		return bad
	}
	return nil
}

// Window is the span the rate limits count tips over.
const Window = time.Hour

// Recent is what the store counts of the tips heard in the last Window: from the
// sender's address and from everyone, each with its oldest.
type Recent struct {
	FromAddress, All             int
	OldestFromAddress, OldestAll time.Time
}

// Admit refuses a tip when its address, or everyone, has sent as many as the policy
// hears in a Window; the answer tells how long to wait (until the oldest counted leaves
// the window). Real reporters rarely meet it: a handful from one address an hour.
func Admit(pol *policy.Policy, r Recent, now time.Time) error {
	var until time.Time
	if pol.Tips.PerAddressPerHour > 0 && r.FromAddress >= pol.Tips.PerAddressPerHour {
		until = r.OldestFromAddress.Add(Window)
	}
	if pol.Tips.GlobalPerHour > 0 && r.All >= pol.Tips.GlobalPerHour && r.OldestAll.Add(Window).After(until) {
		until = r.OldestAll.Add(Window)
	}
	if !until.After(now) {
		return nil
	}
	wait := until.Sub(now)
	mins := int((wait + time.Minute - 1) / time.Minute)
	return &apperr.Error{Kind: apperr.TooMany, Err: waitErr(wait),
		Message:   fmt.Sprintf("提交的举报过多,请 %d 分钟后再试;紧急情况请直接拨打当地防控指挥部电话", mins),
		MessageEN: fmt.Sprintf("Too many tips sent; try again in %d minutes. In an emergency, call the local prevention command", mins)}
}

// waitErr carries the wait of a refusal, for the Retry-After header.
type waitErr time.Duration

func (w waitErr) Error() string { return fmt.Sprintf("retry after %s", time.Duration(w)) }

// RetryAfter is the wait, in whole seconds, that a refusal of Admit asks for.
func RetryAfter(err error) (int, bool) {
	e, ok := apperr.As(err)
	if !ok {
		return 0, false
	}
	w, ok := e.Err.(waitErr)
	if !ok {
		return 0, false
	}
	return max(int((time.Duration(w)+time.Second-1)/time.Second), 1), true
}

// Route is where a tip goes: the unit its category names (a matter of its own, such as
// safety or persons in isolation); otherwise, for a registered enterprise, the unit that
// supervises it (supervisor: the first unit of its supervision split, inspection.Split);
// otherwise the policy's tips unit. The region is the enterprise's — or, without a
// registered enterprise, the town the reporter named — cut to the unit's level (a county
// bureau handles it county-wide, a town office in its town).
func Route(pol *policy.Policy, category, supervisor, enterpriseRegion, town string) (unit, regionCode string) {
	unit = pol.Tips.Unit
	if supervisor != "" {
		unit = supervisor
	}
	if c, ok := pol.TipCategory(category); ok && c.Unit != "" {
		unit = c.Unit
	}
	regionCode = enterpriseRegion
	if regionCode == "" {
		regionCode = town
	}
	level := ""
	for _, u := range pol.Units {
		if u.Code == unit {
			level = u.Level
		}
	}
	return unit, cutTo(regionCode, level)
}

// cutTo is the region containing code at a unit's level: 6 digits for a county, 9 for a
// town, 12 for a village (a code already shorter stays); any other level keeps it.
func cutTo(code, level string) string {
	n := map[string]int{"county": 6, "town": 9, "village": 12}[level]
	if n == 0 || len(code) <= n {
		return code
	}
	return code[:n]
}

// AcceptDue is when a tip received at t must be accepted or declined.
func AcceptDue(pol *policy.Policy, t time.Time) time.Time {
	return t.Add(time.Duration(pol.Tips.AcceptHours) * time.Hour)
}

// ReplyDue is when the reporter of a tip received at t must be answered.
func ReplyDue(pol *policy.Policy, t time.Time) time.Time {
	return t.AddDate(0, 0, pol.Tips.ReplyDays)
}

// Overdue reports whether a tip in status s is late at now: not yet accepted after its
// accept deadline, or not yet replied after its reply deadline.
func Overdue(s Status, acceptDue, replyDue, now time.Time) bool {
	switch {
	case s.Closed():
		return false
	case s == Received && now.After(acceptDue):
		return true
	}
	return now.After(replyDue)
}

// Earlier is an open tip that a new one may duplicate.
type Earlier struct {
	ID, GroupID  int64
	EnterpriseID int64
	Name         string // the enterprise's name as given
	Category     string
	Status       Status
	CreatedAt    time.Time
}

// GroupOf is the group a new tip joins: the first tip of an open group on the same
// enterprise (the registered one, or the same name given in the same region) and
// category within the policy's duplicate days; 0 when it starts none. Candidates are the
// open tips the store found in the region.
func GroupOf(pol *policy.Policy, enterpriseID int64, name, category string, candidates []Earlier, now time.Time) int64 {
	since := now.AddDate(0, 0, -pol.Tips.DuplicateDays)
	var best int64
	for _, c := range candidates {
		if c.Category != category || c.Status.Closed() || c.CreatedAt.Before(since) {
			continue
		}
		same := enterpriseID != 0 && c.EnterpriseID == enterpriseID ||
			enterpriseID == 0 && c.EnterpriseID == 0 && sameName(c.Name, name)
		if !same {
			continue
		}
		lead := c.ID
		if c.GroupID != 0 {
			lead = c.GroupID
		}
		if best == 0 || lead < best {
			best = lead
		}
	}
	return best
}

func sameName(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }
	return a != "" && norm(a) == norm(b)
}

// Receipt is what a receipt code shows: the category, the status with its dates, the
// reason of a decline and the reply — nothing of the enterprise, the reporter, the
// handler or the investigation.
type Receipt struct {
	Receipt      string     `json:"receipt"`
	Category     string     `json:"category"`
	CategoryName string     `json:"category_name"`
	Status       Status     `json:"status"`
	StatusName   string     `json:"status_name"`
	StatusNameEN string     `json:"status_name_en"`
	ReceivedAt   time.Time  `json:"received_at"`
	ReplyDue     time.Time  `json:"reply_due"`
	Reason       string     `json:"reason,omitempty"` // why it was not accepted
	Reply        string     `json:"reply,omitempty"`
	RepliedAt    *time.Time `json:"replied_at,omitempty"`
}

// ReceiptOf is what the reporter of t reads with code.
func ReceiptOf(pol *policy.Policy, code string, t Tip) Receipt {
	r := Receipt{Receipt: code, Category: t.Category, Status: t.Status, ReceivedAt: t.CreatedAt, ReplyDue: t.ReplyDue}
	if c, ok := pol.TipCategory(t.Category); ok {
		r.CategoryName = c.Name
	}
	r.StatusName, r.StatusNameEN = t.Status.Name()
	switch t.Status {
	case Declined:
		r.Reason = t.Comment
	case Replied:
		r.Reply, r.RepliedAt = t.Reply, t.RepliedAt
	}
	return r
}
