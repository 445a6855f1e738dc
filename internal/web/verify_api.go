package web

import (
	"net/http"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/sign"
)

func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSpace(r.URL.Query().Get("token"))
	if token == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{
			"code": "invalid", "message": "缺少参数 token(通知书二维码中的凭证文本或核验网址)",
			"message_en": "The token parameter is missing (the credential text of a QR code, or its verification URL)",
			"problems":   []apperr.Problem{{Field: "token", Message: "请提供要核验的凭证", MessageEN: "Give the token to verify"}},
		}})
		return nil
	}
	v, err := s.verifyToken(r.Context(), token)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

type publicKey struct {
	KeyID     string `json:"key_id"`
	PublicKey string `json:"public_key"`
	PEM       string `json:"pem"`
}

func (s *Server) apiPublicKey(w http.ResponseWriter, r *http.Request) error {
	pub := s.pub
	writeJSON(w, http.StatusOK, publicKey{KeyID: sign.KeyIDOf(pub), PublicKey: sign.PublicKeyText(pub), PEM: sign.PublicKeyPEM(pub)})
	return nil
}

// verifySchemas are the OpenAPI schemas of the verification routes.
func verifySchemas() obj {
	dateTime := func(desc string) obj { return obj{"type": "string", "format": "date-time", "description": desc} }
	return obj{
		"Verification": object("The outcome of verifying a signed token: the signature with the public key, then (for notices and bus letters) whether this server holds the document and whether it was revoked. The claims (kind … issued_at) are given whenever the signature is genuine.",
			[]string{"valid", "code", "message", "message_en"}, obj{
				"valid":         boolean("The token is genuine, in force and not revoked"),
				"code":          obj{"type": "string", "enum": verificationCodes, "description": "ok when valid; otherwise why not. For a pass, revoked means suspended or revoked (or its enterprise's notice revoked): the answer never tells which, why or since when"},
				"message":       str("Outcome for a person, in Chinese"),
				"message_en":    str("Outcome for a person, in English"),
				"kind":          obj{"type": "string", "enum": []string{"notice", "bus_letter", "pass"}, "description": "The document the token stands for"},
				"id":            id64("The document's id"),
				"serial":        str("The document's serial number, e.g. 复工〔2020〕第0001号"),
				"subject":       str("The enterprise (or bus, or person) the document is about"),
				"issued_at":     dateTime("When the document was issued"),
				"expires_at":    dateTime("When the token stops being valid (passes); absent for notices and bus letters, which are valid until revoked"),
				"revoked_at":    dateTime("When the document was revoked (code revoked; never for a pass)"),
				"revoke_reason": str("Why it was revoked, in the words of the official who revoked it (notices and bus letters; never for a pass)"),
			}),
		"PublicKey": object("The Ed25519 public key that verifies tokens offline (gate devices, fugong verify --key)", []string{"key_id", "public_key", "pem"}, obj{
			"key_id":     str("First 8 hex digits of the SHA-256 of the key; every token names the key that signed it"),
			"public_key": str("The 32-byte key in unpadded base64url (43 characters)"),
			"pem":        str("The key as a PEM \"PUBLIC KEY\" block"),
		}),
	}
}
