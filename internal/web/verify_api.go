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
	pub := s.signer.PublicKey()
	writeJSON(w, http.StatusOK, publicKey{KeyID: s.signer.KeyID(), PublicKey: sign.PublicKeyText(pub), PEM: sign.PublicKeyPEM(pub)})
	return nil
}
