package gate

import (
	"strings"

	"fugong/internal/apperr"
)

// CheckToken refuses a scan that carries no token at all: there is nothing to check and
// nothing to log. A token that is there but unreadable is scanned, and answered and
// logged as bad_token like every refused pass.
func CheckToken(token string) error {
	if strings.TrimSpace(token) == "" {
		return apperr.NewInvalid("token", "请扫描出入证二维码,或填写其凭证", "Scan the pass's QR code, or type its token")
	}
	return nil
}
