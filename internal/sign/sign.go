// Package sign issues and checks the compact Ed25519-signed tokens carried by resumption
// notices, commuter-bus letters and entry passes. A token is printed as a QR code; a gate
// device or an inspector holding only the public key verifies it offline, and the server
// verifies it online and then checks revocation itself (this package only exposes the
// token's kind and id so the server can look the document up).
//
// Token text (all base64 is base64url without padding, and must be canonical):
//
//	FG1.<payload>.<signature>
//
// payload is, in order:
//
//	version   1 byte, 1
//	kind      1 byte, 'N' notice, 'B' bus letter, 'P' pass
//	id        uvarint (≤ MaxInt64)
//	subjectID uvarint (≤ MaxInt64)
//	issued    uvarint unix seconds (≤ 9999-12-31T23:59:59Z)
//	expires   uvarint unix seconds, 0 = no expiry, otherwise > issued
//	keyID     4 bytes, the first 4 bytes of sha256(public key)
//	serial    uvarint length + UTF-8 bytes (≤ 200)
//	subject   uvarint length + UTF-8 bytes (≤ 200)
//
// and nothing after. Every varint must be minimally encoded. The signature is the 64-byte
// Ed25519 signature over the ASCII prefix "FG1." followed by the raw payload bytes.
// Because Ed25519 signatures are deterministic and the encoding is canonical, the same
// claims signed by the same key always give the same token, and a token verifies only
// in exactly the form Sign produced.
package sign

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Kind says which document a token stands for.
type Kind byte

const (
	NoticeKind    Kind = 'N' // 复工通知书 resumption notice
	BusLetterKind Kind = 'B' // 通勤包车函 commuter-bus letter
	PassKind      Kind = 'P' // 出入证 entry pass
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	return k == NoticeKind || k == BusLetterKind || k == PassKind
}

func (k Kind) String() string {
	switch k {
	case NoticeKind:
		return "notice"
	case BusLetterKind:
		return "bus letter"
	case PassKind:
		return "pass"
	}
	return fmt.Sprintf("Kind(%#02x)", byte(k))
}

// Label is the kind's Chinese name, for a verify page.
func (k Kind) Label() string {
	switch k {
	case NoticeKind:
		return "复工通知书"
	case BusLetterKind:
		return "通勤包车函"
	case PassKind:
		return "出入证"
	}
	return "未知凭证"
}

// Claims is what a token asserts.
type Claims struct {
	Kind      Kind
	ID        int64     // the document's id
	Serial    string    // human serial e.g. "〔2020〕第0001号" (may be empty for passes)
	Subject   string    // short subject: enterprise name or person's masked name
	SubjectID int64     // enterprise id (notices, letters) or employee id (passes)
	IssuedAt  time.Time // second precision
	ExpiresAt time.Time // zero = no expiry
	KeyID     string    // which key signed (first 8 hex of sha256 of the public key), set by Sign
}

const (
	// MaxStringBytes bounds Serial and Subject, in UTF-8 bytes.
	MaxStringBytes = 200
	// ClockSkew is how far in the future IssuedAt may lie before Verify says ErrNotYetValid.
	ClockSkew = 5 * time.Minute

	prefix      = "FG1."
	version     = 1
	keyIDLen    = 4
	maxUnix     = 253402300799 // 9999-12-31T23:59:59Z
	maxPayload  = 2 + 2*10 + 2*6 + keyIDLen + 2*(2+MaxStringBytes)
	maxTokenLen = len(prefix) + (maxPayload*8+5)/6 + 1 + (ed25519.SignatureSize*8+5)/6
	maxInputLen = 4096 // a verify URL carrying a token
)

// Error is the type of the sentinel errors below. Verify wraps them with detail; use
// errors.Is to test for one and Message (or errors.As and the methods) for the text
// shown on a verify page.
type Error struct {
	code, text string
	zh, en     string
}

func (e *Error) Error() string { return "sign: " + e.text }

// Code is a stable machine-readable name, e.g. "bad_signature", for JSON responses.
func (e *Error) Code() string { return e.code }

// Message returns the Chinese and English sentences for a verify page.
func (e *Error) Message() (zh, en string) { return e.zh, e.en }

var (
	ErrMalformed = &Error{"malformed", "malformed token",
		"凭证格式错误:无法识别此二维码内容,它不是有效的复工凭证",
		"Malformed credential: this QR code is not a valid Fugong credential"}
	ErrBadSignature = &Error{"bad_signature", "bad signature",
		"签名无效:此凭证可能被篡改或伪造",
		"Invalid signature: this credential may have been altered or forged"}
	ErrExpired = &Error{"expired", "token expired",
		"凭证已过期:签名真实,但已超过有效期",
		"Expired: the signature is genuine but the credential is past its expiry time"}
	ErrUnknownKey = &Error{"unknown_key", "unknown key",
		"签名密钥未知:此凭证不是由本设备已知的密钥签发,请更新公钥或联网核验",
		"Unknown signing key: this credential was not signed by a key this device knows; update the public keys or verify online"}
	ErrNotYetValid = &Error{"not_yet_valid", "token not yet valid",
		"凭证尚未生效:签发时间晚于当前时间,请检查本设备时钟",
		"Not yet valid: the credential is issued in the future; check this device's clock"}
)

// Message returns the Chinese and English sentences for err on a verify page. An error
// that is none of this package's gives a generic sentence; nil gives empty strings.
func Message(err error) (zh, en string) {
	if err == nil {
		return "", ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message()
	}
	return "无法核验此凭证", "This credential could not be verified"
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

// KeyIDOf is the key id of pub: the first 8 hex digits of sha256(pub).
func KeyIDOf(pub ed25519.PublicKey) string {
	id := keyID(pub)
	return hex.EncodeToString(id[:])
}

func keyID(pub ed25519.PublicKey) [keyIDLen]byte {
	sum := sha256.Sum256(pub)
	return [keyIDLen]byte(sum[:keyIDLen])
}

// Signer signs tokens with one Ed25519 private key. It is safe for concurrent use.
type Signer struct {
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
	kid  [keyIDLen]byte
}

// NewSigner returns a Signer for priv. It panics if priv is not an Ed25519 private key
// (ed25519.PrivateKeySize bytes).
func NewSigner(priv ed25519.PrivateKey) *Signer {
	if len(priv) != ed25519.PrivateKeySize {
		panic(fmt.Sprintf("sign: private key is %d bytes, want %d", len(priv), ed25519.PrivateKeySize))
	}
	priv = append(ed25519.PrivateKey(nil), priv...)
	pub := priv.Public().(ed25519.PublicKey)
	return &Signer{priv: priv, pub: pub, kid: keyID(pub)}
}

// PublicKey returns the public half of the signing key.
func (s *Signer) PublicKey() ed25519.PublicKey {
	return append(ed25519.PublicKey(nil), s.pub...)
}

// KeyID is the id written into every token this Signer signs.
func (s *Signer) KeyID() string { return hex.EncodeToString(s.kid[:]) }

// Sign returns the token text for c. IssuedAt is required; IssuedAt and ExpiresAt are
// truncated to whole seconds; c.KeyID is ignored (the token carries the signer's id).
func (s *Signer) Sign(c Claims) (string, error) {
	if !c.Kind.Valid() {
		return "", fmt.Errorf("sign: unknown kind %v", c.Kind)
	}
	if c.ID < 0 || c.SubjectID < 0 {
		return "", fmt.Errorf("sign: negative id (id %d, subject id %d)", c.ID, c.SubjectID)
	}
	if c.IssuedAt.IsZero() {
		return "", errors.New("sign: IssuedAt is required")
	}
	issued := c.IssuedAt.Unix()
	if issued < 0 || issued > maxUnix {
		return "", fmt.Errorf("sign: IssuedAt %v out of range", c.IssuedAt)
	}
	var expires int64
	if !c.ExpiresAt.IsZero() {
		expires = c.ExpiresAt.Unix()
		if expires <= issued || expires > maxUnix {
			return "", fmt.Errorf("sign: ExpiresAt %v must be after IssuedAt %v (to the second) and before year 10000",
				c.ExpiresAt, c.IssuedAt)
		}
	}
	for _, f := range []struct{ name, v string }{{"Serial", c.Serial}, {"Subject", c.Subject}} {
		if err := checkString(f.v); err != nil {
			return "", fmt.Errorf("sign: %s: %v", f.name, err)
		}
	}
	p := payload{
		kind: c.Kind, id: uint64(c.ID), subjectID: uint64(c.SubjectID),
		issued: uint64(issued), expires: uint64(expires), kid: s.kid,
		serial: c.Serial, subject: c.Subject,
	}
	body := p.marshal()
	msg := append([]byte(prefix), body...)
	sig := ed25519.Sign(s.priv, msg)
	return prefix + b64.EncodeToString(body) + "." + b64.EncodeToString(sig), nil
}

// Verifier checks tokens against one or more public keys, so that tokens signed before
// a key rotation keep verifying. It is safe for concurrent use.
type Verifier struct {
	keys map[[keyIDLen]byte][]ed25519.PublicKey

	// A gate sees the same passes many times a day. A token whose signature checked
	// out once always will (the keys never change), so its claims are remembered and
	// only the times are checked again. Bounded: emptied when full.
	mu   sync.Mutex
	good map[string]Claims
}

// maxRemembered bounds Verifier.good: a day's passes of a city (tens of MB at most).
const maxRemembered = 1 << 17

// NewVerifier returns a Verifier trusting pubs. It panics if a key is not
// ed25519.PublicKeySize bytes; ParsePublicKey returns keys of the right size.
func NewVerifier(pubs ...ed25519.PublicKey) *Verifier {
	v := &Verifier{keys: make(map[[keyIDLen]byte][]ed25519.PublicKey)}
	for _, pub := range pubs {
		if len(pub) != ed25519.PublicKeySize {
			panic(fmt.Sprintf("sign: public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize))
		}
		pub = append(ed25519.PublicKey(nil), pub...)
		kid := keyID(pub)
		v.keys[kid] = append(v.keys[kid], pub)
	}
	return v
}

// Verify checks token, which may also be a verify URL as made by VerifyURL (the token is
// taken from its "t" parameter), and returns its claims. Surrounding white space is
// ignored. The error wraps one of ErrMalformed, ErrUnknownKey, ErrBadSignature,
// ErrExpired or ErrNotYetValid. With ErrExpired and ErrNotYetValid the signature is
// genuine and the returned claims are authentic (a verify page may show them); with the
// other errors the claims are zero.
//
// A token is expired from the instant ExpiresAt onward, and not yet valid while IssuedAt
// is more than ClockSkew after now.
func (v *Verifier) Verify(token string, now time.Time) (Claims, error) {
	token, err := extractToken(token)
	if err != nil {
		return Claims{}, err
	}
	c, err := v.signed(token)
	if err != nil {
		return Claims{}, err
	}
	if !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt) {
		return c, fmt.Errorf("%w: expired at %s", ErrExpired, c.ExpiresAt.Format(time.RFC3339))
	}
	if c.IssuedAt.After(now.Add(ClockSkew)) {
		return c, fmt.Errorf("%w: issued at %s, now %s", ErrNotYetValid,
			c.IssuedAt.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return c, nil
}

// signed parses token and checks its signature, or recalls that it checked out before.
func (v *Verifier) signed(token string) (Claims, error) {
	v.mu.Lock()
	c, ok := v.good[token]
	v.mu.Unlock()
	if ok {
		return c, nil
	}
	p, msg, sig, err := parseToken(token)
	if err != nil {
		return Claims{}, err
	}
	keys, ok := v.keys[p.kid]
	if !ok {
		return Claims{}, fmt.Errorf("%w: key id %x", ErrUnknownKey, p.kid[:])
	}
	good := false
	for _, pub := range keys {
		if ed25519.Verify(pub, msg, sig) {
			good = true
			break
		}
	}
	if !good {
		return Claims{}, fmt.Errorf("%w: key id %x", ErrBadSignature, p.kid[:])
	}
	c = p.claims()
	v.mu.Lock()
	if v.good == nil || len(v.good) >= maxRemembered {
		v.good = make(map[string]Claims)
	}
	v.good[token] = c
	v.mu.Unlock()
	return c, nil
}

// VerifyURL returns the URL to put in a QR code so that a phone camera opens the verify
// page: base (e.g. "https://fugong.example.gov.cn/verify") with the query parameter
// t=token. Tokens are URL-safe, so nothing is escaped.
func VerifyURL(base, token string) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
		if strings.HasSuffix(base, "?") || strings.HasSuffix(base, "&") {
			sep = ""
		}
	}
	return base + sep + "t=" + token
}

// extractToken returns the bare token from s, which is a token or an http(s) URL with
// exactly one t parameter.
func extractToken(s string) (string, error) {
	if len(s) > maxInputLen {
		return "", malformed("input is %d bytes, longer than %d", len(s), maxInputLen)
	}
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s[:min(len(s), 8)])
	if !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "http://") {
		return s, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", malformed("bad URL: %v", err)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "", malformed("bad URL query: %v", err)
	}
	ts := q["t"]
	if len(ts) != 1 {
		return "", malformed("URL has %d t parameters, want 1", len(ts))
	}
	return ts[0], nil
}
