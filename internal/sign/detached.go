package sign

import "crypto/ed25519"

// detachedPrefix starts every message signed by SignDetached. Tokens sign "FG1." and
// their payload, so no detached signature can pass for a token's, nor a token's for one.
const detachedPrefix = "FGD1."

// detachedMessage is what a detached signature of msg for purpose covers: the prefix,
// the purpose, a zero byte and msg, so that one purpose's signature never checks for
// another's.
func detachedMessage(purpose string, msg []byte) []byte {
	b := make([]byte, 0, len(detachedPrefix)+len(purpose)+1+len(msg))
	b = append(b, detachedPrefix...)
	b = append(b, purpose...)
	b = append(b, 0)
	return append(b, msg...)
}

// SignDetached signs msg for purpose (such as "audit-checkpoint") with the installation's
// key, for statements that are not tokens. VerifyDetached checks the signature.
func (s *Signer) SignDetached(purpose string, msg []byte) []byte {
	return ed25519.Sign(s.priv, detachedMessage(purpose, msg))
}

// VerifyDetached reports whether sig is pub's signature of msg for purpose.
func VerifyDetached(pub ed25519.PublicKey, purpose string, msg, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	return ed25519.Verify(pub, detachedMessage(purpose, msg), sig)
}
