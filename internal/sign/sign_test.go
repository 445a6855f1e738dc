package sign

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.token")

// testSigner returns a deterministic signer derived from name.
func testSigner(name string) *Signer {
	seed := sha256.Sum256([]byte("fugong sign test key " + name))
	return NewSigner(ed25519.NewKeyFromSeed(seed[:]))
}

var (
	t0 = time.Date(2020, 2, 10, 9, 30, 0, 0, time.UTC)

	typicalNotice = Claims{
		Kind:      NoticeKind,
		ID:        1234,
		Serial:    "〔2020〕第0001号",
		Subject:   "杭州市余杭区良渚某某精密机械制造有限公司",
		SubjectID: 56789,
		IssuedAt:  t0,
		ExpiresAt: t0.Add(30 * 24 * time.Hour),
	}
)

func mustSign(t testing.TB, s *Signer, c Claims) string {
	t.Helper()
	tok, err := s.Sign(c)
	if err != nil {
		t.Fatalf("Sign(%+v): %v", c, err)
	}
	return tok
}

func TestRoundTrip(t *testing.T) {
	s := testSigner("a")
	v := NewVerifier(s.PublicKey())
	cases := []struct {
		name string
		c    Claims
	}{
		{"notice", typicalNotice},
		{"bus letter", Claims{Kind: BusLetterKind, ID: 7, Serial: "余杭复工包车〔2020〕12号", Subject: "某某电子有限公司",
			SubjectID: 99, IssuedAt: t0, ExpiresAt: t0.Add(72 * time.Hour)}},
		{"pass", Claims{Kind: PassKind, ID: 1 << 40, Subject: "张*明", SubjectID: 2_000_000, IssuedAt: t0}},
		{"pass no subject", Claims{Kind: PassKind, ID: 0, IssuedAt: time.Unix(0, 0)}},
		{"extremes", Claims{Kind: NoticeKind, ID: math.MaxInt64, SubjectID: math.MaxInt64,
			Serial: strings.Repeat("号", 66), Subject: strings.Repeat("x", MaxStringBytes),
			IssuedAt: time.Unix(maxUnix-1, 0), ExpiresAt: time.Unix(maxUnix, 0)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := mustSign(t, s, tc.c)
			if len(tok) > maxTokenLen {
				t.Errorf("token is %d bytes, over maxTokenLen %d", len(tok), maxTokenLen)
			}
			want := tc.c
			want.KeyID = s.KeyID()
			want.IssuedAt = want.IssuedAt.UTC()
			if !want.ExpiresAt.IsZero() {
				want.ExpiresAt = want.ExpiresAt.UTC()
			}
			for _, in := range []string{tok, " " + tok + "\r\n", VerifyURL("https://fugong.example.gov.cn/verify", tok)} {
				got, err := v.Verify(in, tc.c.IssuedAt)
				if err != nil {
					t.Fatalf("Verify(%q): %v", in, err)
				}
				if got != want {
					t.Fatalf("Verify(%q)\n got %+v\nwant %+v", in, got, want)
				}
			}
			// Deterministic: the same claims give the same token.
			if again := mustSign(t, s, tc.c); again != tok {
				t.Errorf("second Sign gave a different token:\n%s\n%s", tok, again)
			}
		})
	}
}

func TestSignTruncatesToSeconds(t *testing.T) {
	s := testSigner("a")
	c := typicalNotice
	c.IssuedAt = t0.Add(999 * time.Millisecond)
	c.ExpiresAt = typicalNotice.ExpiresAt.Add(500 * time.Millisecond)
	c.KeyID = "ignored"
	got, err := NewVerifier(s.PublicKey()).Verify(mustSign(t, s, c), t0)
	if err != nil {
		t.Fatal(err)
	}
	if !got.IssuedAt.Equal(t0) || !got.ExpiresAt.Equal(typicalNotice.ExpiresAt) || got.KeyID != s.KeyID() {
		t.Errorf("got %+v", got)
	}
}

func TestTypicalTokenSize(t *testing.T) {
	s := testSigner("a")
	tok := mustSign(t, s, typicalNotice)
	url := VerifyURL("https://fugong.example.gov.cn/verify", tok)
	qt, err := qrcode.New(tok, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	qu, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("typical notice (serial %q, subject %q, %d chars): token %d chars, QR version %d-M; as verify URL %d chars, QR version %d-M",
		typicalNotice.Serial, typicalNotice.Subject, len([]rune(typicalNotice.Subject)),
		len(tok), qt.VersionNumber, len(url), qu.VersionNumber)
	t.Logf("token: %s", tok)
	// The fixed part (prefix, ids, times, key id, signature) is about 120 characters; the
	// rest is the serial and subject at 4/3 characters per UTF-8 byte.
	if len(tok) > 240 {
		t.Errorf("typical token is %d chars, want at most 240", len(tok))
	}
}

func TestGolden(t *testing.T) {
	// The token format is read by gate devices in the field: a change that breaks this
	// test breaks every printed notice. Bump the version instead.
	s := testSigner("golden")
	tok := mustSign(t, s, typicalNotice)
	path := filepath.Join("testdata", "golden.token")
	if *update {
		if err := os.WriteFile(path, []byte(tok+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden := strings.TrimSpace(string(data))
	if tok != golden {
		t.Errorf("token format changed:\n got %s\nwant %s", tok, golden)
	}
	got, err := NewVerifier(s.PublicKey()).Verify(golden, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Serial != typicalNotice.Serial || got.ID != typicalNotice.ID || got.KeyID != s.KeyID() {
		t.Errorf("golden claims %+v", got)
	}
}

func splitToken(t *testing.T, tok string) (body, sig []byte) {
	t.Helper()
	b64body, b64sig, _ := strings.Cut(strings.TrimPrefix(tok, prefix), ".")
	body, err := b64.DecodeString(b64body)
	if err != nil {
		t.Fatal(err)
	}
	sig, err = b64.DecodeString(b64sig)
	if err != nil {
		t.Fatal(err)
	}
	return body, sig
}

func joinToken(body, sig []byte) string {
	return prefix + b64.EncodeToString(body) + "." + b64.EncodeToString(sig)
}

// checkRejected fails unless err is one of allowed; it also catches a success.
func checkRejected(t *testing.T, what string, err error, allowed ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: verified", what)
	}
	for _, a := range allowed {
		if errors.Is(err, a) {
			return
		}
	}
	t.Fatalf("%s: error %v, want one of %v", what, err, allowed)
}

func TestTamperEveryByte(t *testing.T) {
	s := testSigner("a")
	v := NewVerifier(s.PublicKey())
	tok := mustSign(t, s, typicalNotice)
	body, sig := splitToken(t, tok)
	kid := s.kid
	kidAt := bytes.Index(body, kid[:])
	if kidAt < 0 {
		t.Fatal("key id not found in payload")
	}
	for _, mask := range []byte{0x01, 0x80, 0xff} {
		for i := range body {
			b := bytes.Clone(body)
			b[i] ^= mask
			_, err := v.Verify(joinToken(b, sig), t0)
			allowed := []error{ErrBadSignature, ErrMalformed}
			if i >= kidAt && i < kidAt+keyIDLen {
				// The key id is signed too, so a changed one names a key nobody has.
				allowed = append(allowed, ErrUnknownKey)
			}
			checkRejected(t, "payload byte "+strconv.Itoa(i), err, allowed...)
		}
		for i := range sig {
			g := bytes.Clone(sig)
			g[i] ^= mask
			_, err := v.Verify(joinToken(body, g), t0)
			checkRejected(t, "signature byte "+strconv.Itoa(i), err, ErrBadSignature, ErrMalformed)
		}
	}
	// Dropping or adding a byte anywhere.
	for i := 0; i <= len(body); i++ {
		short := append(bytes.Clone(body[:max(0, i-1)]), body[i:]...)
		if i > 0 {
			_, err := v.Verify(joinToken(short, sig), t0)
			checkRejected(t, "payload without byte "+strconv.Itoa(i-1), err, ErrBadSignature, ErrMalformed, ErrUnknownKey)
		}
		long := append(append(bytes.Clone(body[:i]), 0), body[i:]...)
		_, err := v.Verify(joinToken(long, sig), t0)
		checkRejected(t, "payload with byte at "+strconv.Itoa(i), err, ErrBadSignature, ErrMalformed, ErrUnknownKey)
	}
}

func TestTamperEveryCharacter(t *testing.T) {
	s := testSigner("a")
	v := NewVerifier(s.PublicKey())
	tok := mustSign(t, s, typicalNotice)
	// The genuine token first: the verifier remembers it, which must not let a changed
	// copy through.
	if _, err := v.Verify(tok, t0); err != nil {
		t.Fatal(err)
	}
	for i := range tok {
		for _, c := range []byte{'A', 'B', 'g', 'Q', 'w', '0', '-', '_', '.', '=', '+', '/', '\n', ' ', 0, 0xe5} {
			if tok[i] == c {
				continue
			}
			bad := tok[:i] + string([]byte{c}) + tok[i+1:]
			_, err := v.Verify(bad, t0)
			checkRejected(t, "char "+strconv.Itoa(i)+" = "+string(rune(c)), err, ErrBadSignature, ErrMalformed, ErrUnknownKey)
		}
	}
}

func TestTimeBoundaries(t *testing.T) {
	s := testSigner("a")
	v := NewVerifier(s.PublicKey())
	tok := mustSign(t, s, typicalNotice)
	exp := typicalNotice.ExpiresAt
	cases := []struct {
		now  time.Time
		want error
	}{
		{t0.Add(-ClockSkew - time.Second), ErrNotYetValid},
		{t0.Add(-ClockSkew - time.Nanosecond), ErrNotYetValid},
		{t0.Add(-ClockSkew), nil},
		{t0, nil},
		{exp.Add(-time.Nanosecond), nil},
		{exp.Add(-time.Second), nil},
		{exp, ErrExpired},
		{exp.Add(time.Second), ErrExpired},
		{exp.In(time.FixedZone("CST", 8*3600)), ErrExpired},
	}
	for _, tc := range cases {
		c, err := v.Verify(tok, tc.now)
		if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
			t.Errorf("now %v: err %v, want %v", tc.now, err, tc.want)
		}
		// Time errors come with the authentic claims.
		if c.ID != typicalNotice.ID {
			t.Errorf("now %v: claims %+v", tc.now, c)
		}
	}
	// No expiry: valid for ever.
	c := typicalNotice
	c.ExpiresAt = time.Time{}
	if _, err := v.Verify(mustSign(t, s, c), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("no expiry: %v", err)
	}
}

func TestUnknownKeyAndRotation(t *testing.T) {
	oldS, newS, other := testSigner("old"), testSigner("new"), testSigner("other")
	oldTok, newTok := mustSign(t, oldS, typicalNotice), mustSign(t, newS, typicalNotice)

	_, err := NewVerifier(oldS.PublicKey()).Verify(newTok, t0)
	checkRejected(t, "new token, old verifier", err, ErrUnknownKey)
	if !strings.Contains(err.Error(), newS.KeyID()) {
		t.Errorf("error %q does not name key id %s", err, newS.KeyID())
	}
	_, err = NewVerifier().Verify(oldTok, t0)
	checkRejected(t, "no keys", err, ErrUnknownKey)

	v := NewVerifier(oldS.PublicKey(), newS.PublicKey())
	for _, tc := range []struct {
		tok string
		kid string
	}{{oldTok, oldS.KeyID()}, {newTok, newS.KeyID()}} {
		c, err := v.Verify(tc.tok, t0)
		if err != nil || c.KeyID != tc.kid {
			t.Errorf("rotation: claims %+v, err %v; want key id %s", c, err, tc.kid)
		}
	}
	_, err = v.Verify(mustSign(t, other, typicalNotice), t0)
	checkRejected(t, "other key", err, ErrUnknownKey)

	// A key id collision (forced here) must not let a wrong key's signature through,
	// nor stop the right key from being tried. (A fresh verifier each time: a verifier
	// remembers the tokens it has checked, its keys being fixed.)
	v = NewVerifier()
	v.keys[other.kid] = append([]ed25519.PublicKey{oldS.PublicKey()}, other.PublicKey())
	if _, err := v.Verify(mustSign(t, other, typicalNotice), t0); err != nil {
		t.Errorf("colliding key ids: %v", err)
	}
	v = NewVerifier()
	v.keys[other.kid] = []ed25519.PublicKey{oldS.PublicKey()}
	_, err = v.Verify(mustSign(t, other, typicalNotice), t0)
	checkRejected(t, "colliding key id, wrong key", err, ErrBadSignature)

	if KeyIDOf(oldS.PublicKey()) != oldS.KeyID() || len(oldS.KeyID()) != 8 {
		t.Errorf("KeyIDOf %s, KeyID %s", KeyIDOf(oldS.PublicKey()), oldS.KeyID())
	}
}

// rawPayload builds a payload byte by byte, so tests can make ones Sign never would.
type rawPayload struct {
	version, kind   byte
	id, subjectID   []byte
	issued, expires []byte
	kid             []byte
	serial, subject []byte // including their length prefixes
	trailing        []byte
}

func uv(x uint64) []byte { return binary.AppendUvarint(nil, x) }

func lp(s string) []byte { return append(uv(uint64(len(s))), s...) }

func goodRaw(s *Signer) rawPayload {
	return rawPayload{
		version: version, kind: 'N',
		id: uv(1234), subjectID: uv(56789),
		issued: uv(uint64(t0.Unix())), expires: uv(uint64(t0.Unix() + 3600)),
		kid:    s.kid[:],
		serial: lp("〔2020〕第0001号"), subject: lp("某某有限公司"),
	}
}

func (r rawPayload) bytes() []byte {
	var b []byte
	b = append(b, r.version, r.kind)
	for _, part := range [][]byte{r.id, r.subjectID, r.issued, r.expires, r.kid, r.serial, r.subject, r.trailing} {
		b = append(b, part...)
	}
	return b
}

// signRaw signs arbitrary payload bytes, so that a rejection can only be structural.
func signRaw(s *Signer, body []byte) string {
	sig := ed25519.Sign(s.priv, append([]byte(prefix), body...))
	return joinToken(body, sig)
}

func TestMalformedPayload(t *testing.T) {
	s := testSigner("a")
	v := NewVerifier(s.PublicKey())
	if _, err := v.Verify(signRaw(s, goodRaw(s).bytes()), t0); err != nil {
		t.Fatalf("good raw payload: %v", err)
	}
	overlong := func(x uint64) []byte { // x encoded with one redundant continuation byte
		b := uv(x)
		b[len(b)-1] |= 0x80
		return append(b, 0)
	}
	cases := map[string]func(r *rawPayload){
		"version 0":            func(r *rawPayload) { r.version = 0 },
		"version 2":            func(r *rawPayload) { r.version = 2 },
		"kind lower case":      func(r *rawPayload) { r.kind = 'n' },
		"kind zero":            func(r *rawPayload) { r.kind = 0 },
		"overlong id":          func(r *rawPayload) { r.id = overlong(1234) },
		"overlong zero id":     func(r *rawPayload) { r.id = []byte{0x80, 0x00} },
		"overlong subject id":  func(r *rawPayload) { r.subjectID = overlong(56789) },
		"overlong issued":      func(r *rawPayload) { r.issued = overlong(uint64(t0.Unix())) },
		"overlong expires":     func(r *rawPayload) { r.expires = overlong(0) },
		"overlong serial len":  func(r *rawPayload) { r.serial = append([]byte{0x80 | r.serial[0], 0}, r.serial[1:]...) },
		"id over int64":        func(r *rawPayload) { r.id = uv(math.MaxInt64 + 1) },
		"subject id over 64":   func(r *rawPayload) { r.subjectID = bytes.Repeat([]byte{0xff}, 10) },
		"varint 11 bytes":      func(r *rawPayload) { r.id = append(bytes.Repeat([]byte{0x80}, 10), 1) },
		"issued after 9999":    func(r *rawPayload) { r.issued = uv(maxUnix + 1) },
		"expires after 9999":   func(r *rawPayload) { r.expires = uv(maxUnix + 1) },
		"expires = issued":     func(r *rawPayload) { r.expires = r.issued },
		"expires < issued":     func(r *rawPayload) { r.expires = uv(uint64(t0.Unix() - 1)) },
		"serial bad UTF-8":     func(r *rawPayload) { r.serial = append(uv(3), 0xe3, 0x80, 0x41) },
		"subject bad UTF-8":    func(r *rawPayload) { r.subject = append(uv(1), 0xff) },
		"subject surrogate":    func(r *rawPayload) { r.subject = append(uv(3), 0xed, 0xa0, 0x80) },
		"serial 201 bytes":     func(r *rawPayload) { r.serial = lp(strings.Repeat("a", 201)) },
		"subject 201 bytes":    func(r *rawPayload) { r.subject = lp(strings.Repeat("a", 201)) },
		"subject len too long": func(r *rawPayload) { r.subject = append(uv(50), "short"...) },
		"no subject":           func(r *rawPayload) { r.subject = nil },
		"short key id":         func(r *rawPayload) { r.kid = r.kid[:3]; r.serial = nil; r.subject = nil },
		"trailing byte":        func(r *rawPayload) { r.trailing = []byte{0} },
		"trailing string":      func(r *rawPayload) { r.trailing = lp("x") },
	}
	for name, mutate := range cases {
		r := goodRaw(s)
		mutate(&r)
		_, err := v.Verify(signRaw(s, r.bytes()), t0)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err %v, want ErrMalformed", name, err)
		}
	}
	// Every proper prefix of a good payload is rejected.
	good := goodRaw(s).bytes()
	for n := range len(good) {
		if _, err := v.Verify(signRaw(s, good[:n]), t0); !errors.Is(err, ErrMalformed) {
			t.Errorf("payload cut to %d bytes: err %v, want ErrMalformed", n, err)
		}
	}
}

func TestMalformedText(t *testing.T) {
	s := testSigner("a")
	v := NewVerifier(s.PublicKey())
	tok := mustSign(t, s, typicalNotice)
	body64, sig64, _ := strings.Cut(strings.TrimPrefix(tok, prefix), ".")
	body, sig := splitToken(t, tok)

	// Change the last character of a base64 part so only its unused low bits differ.
	lowBits := func(s string) string {
		alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		i := strings.IndexByte(alphabet, s[len(s)-1])
		return s[:len(s)-1] + string(alphabet[i^1])
	}
	if len(body)%3 == 0 {
		t.Fatalf("test needs a payload whose base64 has spare bits; len %d", len(body))
	}
	cases := map[string]string{
		"empty":              "",
		"spaces":             "   ",
		"prefix only":        prefix,
		"no signature":       prefix + body64,
		"empty signature":    prefix + body64 + ".",
		"empty payload":      prefix + "." + sig64,
		"extra part":         tok + ".AAAA",
		"version 2":          "FG2." + body64 + "." + sig64,
		"lower case prefix":  "fg1." + body64 + "." + sig64,
		"no prefix":          body64 + "." + sig64,
		"padded payload":     prefix + base64Std(body) + "." + sig64,
		"padded signature":   prefix + body64 + "." + sig64 + "==",
		"std alphabet":       prefix + strings.NewReplacer("-", "+", "_", "/").Replace(body64) + "." + sig64 + "+/",
		"payload low bits":   prefix + lowBits(body64) + "." + sig64,
		"signature low bits": prefix + body64 + "." + lowBits(sig64),
		"newline in payload": prefix + body64[:10] + "\n" + body64[10:] + "." + sig64,
		"CR in signature":    prefix + body64 + "." + sig64[:10] + "\r" + sig64[10:],
		"short signature":    joinToken(body, sig[:63]),
		"long signature":     joinToken(body, append(bytes.Clone(sig), 0)),
		"huge":               prefix + strings.Repeat("A", maxTokenLen) + "." + sig64,
		"huge input":         strings.Repeat(" ", maxInputLen+1) + tok,
		"URL without t":      "https://x.example/verify?x=" + tok,
		"URL with two t":     "https://x.example/verify?t=" + tok + "&t=" + tok,
		"URL bad query":      "https://x.example/verify?t=" + tok + "&%zz",
		"URL bad escape":     "https://x.example/verify?t=%zz",
		"URL token in path":  "https://x.example/verify/" + tok,
		"bad URL":            "http://[::1",
	}
	for name, in := range cases {
		if _, err := v.Verify(in, t0); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err %v, want ErrMalformed", name, err)
		}
	}
}

func base64Std(b []byte) string {
	s := b64.EncodeToString(b)
	for len(s)%4 != 0 {
		s += "="
	}
	return s
}

func TestSignRejects(t *testing.T) {
	s := testSigner("a")
	cases := map[string]func(c *Claims){
		"kind":               func(c *Claims) { c.Kind = 'X' },
		"negative id":        func(c *Claims) { c.ID = -1 },
		"negative subject":   func(c *Claims) { c.SubjectID = -5 },
		"no issued":          func(c *Claims) { c.IssuedAt = time.Time{} },
		"issued before 1970": func(c *Claims) { c.IssuedAt = time.Unix(-1, 0); c.ExpiresAt = time.Time{} },
		"issued after 9999":  func(c *Claims) { c.IssuedAt = time.Unix(maxUnix+1, 0); c.ExpiresAt = time.Time{} },
		"expires = issued":   func(c *Claims) { c.ExpiresAt = c.IssuedAt },
		"expires same second": func(c *Claims) {
			c.ExpiresAt = c.IssuedAt.Add(999 * time.Millisecond)
		},
		"expires before issued": func(c *Claims) { c.ExpiresAt = c.IssuedAt.Add(-time.Hour) },
		"expires after 9999":    func(c *Claims) { c.ExpiresAt = time.Unix(maxUnix+1, 0) },
		"serial too long":       func(c *Claims) { c.Serial = strings.Repeat("号", 67) },
		"subject too long":      func(c *Claims) { c.Subject = strings.Repeat("a", 201) },
		"subject bad UTF-8":     func(c *Claims) { c.Subject = "\xff" },
	}
	for name, mutate := range cases {
		c := typicalNotice
		mutate(&c)
		if tok, err := s.Sign(c); err == nil {
			t.Errorf("%s: signed %s", name, tok)
		}
	}
}

func TestMessages(t *testing.T) {
	for _, e := range []*Error{ErrMalformed, ErrBadSignature, ErrExpired, ErrUnknownKey, ErrNotYetValid} {
		wrapped := errors.Join(errors.New("context"), e)
		zh, en := Message(wrapped)
		if zh == "" || en == "" || e.Code() == "" {
			t.Errorf("%v: zh %q en %q code %q", e, zh, en, e.Code())
		}
		if z, n := e.Message(); z != zh || n != en {
			t.Errorf("%v: method and function disagree", e)
		}
		if !strings.HasPrefix(e.Error(), "sign: ") {
			t.Errorf("Error() = %q", e.Error())
		}
	}
	s := testSigner("a")
	tok := mustSign(t, s, typicalNotice)
	body, sig := splitToken(t, tok)
	sig[0] ^= 1
	_, err := NewVerifier(s.PublicKey()).Verify(joinToken(body, sig), t0)
	if zh, _ := Message(err); zh != "签名无效:此凭证可能被篡改或伪造" {
		t.Errorf("bad signature message %q (err %v)", zh, err)
	}
	var se *Error
	if !errors.As(err, &se) || se.Code() != "bad_signature" {
		t.Errorf("errors.As: %v", err)
	}
	if zh, en := Message(errors.New("other")); zh == "" || en == "" {
		t.Error("no generic message")
	}
	if zh, en := Message(nil); zh != "" || en != "" {
		t.Error("message for nil")
	}
}

func TestVerifyURL(t *testing.T) {
	for _, tc := range []struct{ base, want string }{
		{"https://a.example/verify", "https://a.example/verify?t=TOK"},
		{"https://a.example/verify?lang=en", "https://a.example/verify?lang=en&t=TOK"},
		{"https://a.example/verify?", "https://a.example/verify?t=TOK"},
	} {
		if got := VerifyURL(tc.base, "TOK"); got != tc.want {
			t.Errorf("VerifyURL(%q) = %q, want %q", tc.base, got, tc.want)
		}
	}
	s := testSigner("a")
	tok := mustSign(t, s, typicalNotice)
	v := NewVerifier(s.PublicKey())
	for _, u := range []string{
		VerifyURL("https://a.example/verify?lang=en", tok),
		VerifyURL("HTTP://10.0.0.5:8080/verify", tok),
		"https://a.example/verify?t=" + strings.ReplaceAll(tok, ".", "%2E"),
	} {
		if _, err := v.Verify(u, t0); err != nil {
			t.Errorf("Verify(%q): %v", u, err)
		}
	}
}

func TestKindNames(t *testing.T) {
	for _, k := range []Kind{NoticeKind, BusLetterKind, PassKind} {
		if !k.Valid() || strings.HasPrefix(k.String(), "Kind(") || k.Label() == "未知凭证" {
			t.Errorf("kind %c: %v %q %q", k, k.Valid(), k.String(), k.Label())
		}
	}
	// The seed's word for the pass is 出入证, as everywhere else in the system; the
	// token keeps its letter.
	if PassKind.Label() != "出入证" || byte(PassKind) != 'P' {
		t.Errorf("the pass is called %q (kind %c)", PassKind.Label(), PassKind)
	}
	if Kind('X').Valid() || Kind('X').String() != "Kind(0x58)" {
		t.Errorf("Kind('X') = %v", Kind('X'))
	}
}

func TestConstructorsPanicOnBadKeys(t *testing.T) {
	for name, f := range map[string]func(){
		"signer":   func() { NewSigner(make([]byte, 10)) },
		"verifier": func() { NewVerifier(make([]byte, 31)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func BenchmarkSign(b *testing.B) {
	s := testSigner("a")
	for b.Loop() {
		if _, err := s.Sign(typicalNotice); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	s := testSigner("a")
	v := NewVerifier(testSigner("old").PublicKey(), s.PublicKey())
	tok := mustSign(b, s, typicalNotice)
	for b.Loop() {
		if _, err := v.Verify(tok, t0); err != nil {
			b.Fatal(err)
		}
	}
}
