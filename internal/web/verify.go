package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"fugong/internal/pass"
	"fugong/internal/sign"
)

// Verification of signed tokens (notices, bus letters, passes), shared by the verify page
// and the API; the address of the verify page and the dates of printed documents also serve
// the notice, letter and pass pages.

// verifyBase is the address of the verify page on this server as the client reached it.
func verifyBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/verify"
}

// dateZH and dateEN write a day as a printed document does, in the policy's time zone.
func (s *Server) dateZH(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(s.pol.Location())
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

func (s *Server) dateEN(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.pol.Location()).Format("2 January 2006")
}

// verification is the answer of /api/v1/verify and what the verify page shows.
type verification struct {
	Valid        bool       `json:"valid"`
	Code         string     `json:"code"` // ok, bad_signature, malformed, expired, not_yet_valid, unknown_key, revoked, not_found
	Message      string     `json:"message"`
	MessageEN    string     `json:"message_en"`
	Kind         string     `json:"kind,omitempty"` // notice, bus_letter, pass
	ID           int64      `json:"id,omitempty"`
	Serial       string     `json:"serial,omitempty"`
	Subject      string     `json:"subject,omitempty"`
	IssuedAt     time.Time  `json:"issued_at,omitzero"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty"` // absent: valid until revoked (notices, letters)
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokeReason string     `json:"revoke_reason,omitempty"`
}

// verificationCodes lists every code of a verification, for the API document.
var verificationCodes = []string{"ok", "bad_signature", "malformed", "expired", "not_yet_valid", "unknown_key", "revoked", "not_found"}

func kindCode(k sign.Kind) string {
	switch k {
	case sign.NoticeKind:
		return "notice"
	case sign.BusLetterKind:
		return "bus_letter"
	case sign.PassKind:
		return "pass"
	}
	return ""
}

// verifyToken checks the signature with the public key, as an offline gate device does,
// then asks the database whether the document exists and was revoked.
func (s *Server) verifyToken(ctx context.Context, token string) (verification, error) {
	claims, err := s.verify.Verify(token, time.Now())
	var v verification
	if claims.Kind != 0 {
		v.Kind, v.ID, v.Serial, v.Subject, v.IssuedAt = kindCode(claims.Kind), claims.ID, claims.Serial, claims.Subject, claims.IssuedAt
		if !claims.ExpiresAt.IsZero() {
			e := claims.ExpiresAt
			v.ExpiresAt = &e
		}
	}
	if err != nil {
		v.Code = "malformed"
		var se *sign.Error
		if errors.As(err, &se) {
			v.Code = se.Code()
		}
		v.Message, v.MessageEN = sign.Message(err)
		return v, nil
	}
	label, labelEN := claims.Kind.Label(), claims.Kind.String()
	st, err := s.db.Notices().Verify(ctx, claims.Kind, claims.ID)
	if err != nil {
		return v, err
	}
	switch {
	case !st.Found || st.Serial != claims.Serial:
		v.Code = "not_found"
		v.Message = "无效:签名真实,但本系统中没有这份" + label + ",请向签发单位核实"
		v.MessageEN = "Invalid: the signature is genuine but this system holds no such " + labelEN + "; check with the issuer"
	case claims.Kind == sign.PassKind && pass.Superseded(claims.IssuedAt, st.IssuedAt):
		// An older token of a pass issued again (re-activated, renewed): void, and nothing
		// of the holder is said.
		zh, en := pass.ReasonName(pass.ReasonReissued)
		v.Code = "revoked"
		v.Message, v.MessageEN = "已作废:"+zh, "Void: "+en
	case st.NotInForce:
		// A pass suspended or revoked: the same words whatever the reason (it may be the
		// holder's health), with the code of a revoked document for machines.
		v.Code = "revoked"
		v.Message, v.MessageEN = pass.NotInForce[0], pass.NotInForce[1]
	case st.RevokedAt != nil:
		v.Code, v.RevokedAt, v.RevokeReason = "revoked", st.RevokedAt, st.RevokeReason
		v.Message = "已撤销:这份" + label + "已于 " + s.dateZH(*st.RevokedAt) + " 撤销,不得凭此复工复产或通行"
		v.MessageEN = "Revoked: this " + labelEN + " was revoked on " + s.dateEN(*st.RevokedAt) + " and no longer permits work or passage"
		if st.RevokeReason != "" {
			v.Message += "。撤销理由:" + st.RevokeReason
			v.MessageEN += ". Reason given (in Chinese): " + st.RevokeReason
		}
	default:
		v.Valid, v.Code = true, "ok"
		v.Message = "有效:这份" + label + "由本系统签发,签名真实,且未被撤销"
		v.MessageEN = "Valid: this " + labelEN + " was issued by this system, its signature is genuine and it has not been revoked"
	}
	return v, nil
}
