package sign

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

var b64 = base64.RawURLEncoding.Strict()

// payload is the binary body of a token.
type payload struct {
	kind            Kind
	id, subjectID   uint64
	issued, expires uint64
	kid             [keyIDLen]byte
	serial, subject string
}

func (p *payload) marshal() []byte {
	b := make([]byte, 0, 2+5*binary.MaxVarintLen64+keyIDLen+len(p.serial)+len(p.subject))
	b = append(b, version, byte(p.kind))
	b = binary.AppendUvarint(b, p.id)
	b = binary.AppendUvarint(b, p.subjectID)
	b = binary.AppendUvarint(b, p.issued)
	b = binary.AppendUvarint(b, p.expires)
	b = append(b, p.kid[:]...)
	b = binary.AppendUvarint(b, uint64(len(p.serial)))
	b = append(b, p.serial...)
	b = binary.AppendUvarint(b, uint64(len(p.subject)))
	b = append(b, p.subject...)
	return b
}

func (p *payload) claims() Claims {
	c := Claims{
		Kind:      p.kind,
		ID:        int64(p.id),
		Serial:    p.serial,
		Subject:   p.subject,
		SubjectID: int64(p.subjectID),
		IssuedAt:  time.Unix(int64(p.issued), 0).UTC(),
		KeyID:     hex.EncodeToString(p.kid[:]),
	}
	if p.expires != 0 {
		c.ExpiresAt = time.Unix(int64(p.expires), 0).UTC()
	}
	return c
}

func checkString(s string) error {
	if len(s) > MaxStringBytes {
		return errors.New("longer than 200 bytes")
	}
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8")
	}
	return nil
}

// parseToken splits and decodes a bare token, checking that every part is canonical. It
// returns the payload, the signed message and the signature; it does not check the
// signature.
func parseToken(token string) (p payload, msg, sig []byte, err error) {
	if len(token) > maxTokenLen {
		return p, nil, nil, malformed("token is %d bytes, longer than %d", len(token), maxTokenLen)
	}
	rest, ok := strings.CutPrefix(token, prefix)
	if !ok {
		if strings.HasPrefix(token, "FG") {
			return p, nil, nil, malformed("unsupported token version (want %q)", prefix)
		}
		return p, nil, nil, malformed("missing %q prefix", prefix)
	}
	body64, sig64, ok := strings.Cut(rest, ".")
	if !ok {
		return p, nil, nil, malformed("missing signature part")
	}
	body, err := decode64(body64)
	if err != nil {
		return p, nil, nil, malformed("payload: %v", err)
	}
	sig, err = decode64(sig64)
	if err != nil {
		return p, nil, nil, malformed("signature: %v", err)
	}
	if len(sig) != ed25519.SignatureSize {
		return p, nil, nil, malformed("signature is %d bytes, want %d", len(sig), ed25519.SignatureSize)
	}
	if err := p.unmarshal(body); err != nil {
		return p, nil, nil, malformed("payload: %v", err)
	}
	msg = append([]byte(prefix), body...)
	return p, msg, sig, nil
}

// decode64 decodes unpadded base64url and insists that re-encoding gives s back, which
// rejects padding, non-zero trailing bits and the line breaks the decoder would skip.
func decode64(s string) ([]byte, error) {
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if b64.EncodeToString(b) != s {
		return nil, errors.New("non-canonical base64")
	}
	return b, nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(msg string) {
	if r.err == nil {
		r.err = errors.New(msg)
	}
}

func (r *reader) byte(what string) byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.fail(what + ": truncated")
		return 0
	}
	x := r.b[0]
	r.b = r.b[1:]
	return x
}

// uvarint reads a minimally encoded uvarint not above max.
func (r *reader) uvarint(what string, max uint64) uint64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Uvarint(r.b)
	switch {
	case n == 0:
		r.fail(what + ": truncated")
		return 0
	case n < 0:
		r.fail(what + ": varint overflows 64 bits")
		return 0
	case n != len(binary.AppendUvarint(nil, x)):
		r.fail(what + ": overlong varint")
		return 0
	case x > max:
		r.fail(what + ": out of range")
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *reader) bytes(what string, n int) []byte {
	if r.err != nil {
		return nil
	}
	if len(r.b) < n {
		r.fail(what + ": truncated")
		return nil
	}
	x := r.b[:n]
	r.b = r.b[n:]
	return x
}

func (r *reader) string(what string) string {
	n := r.uvarint(what+" length", MaxStringBytes)
	s := string(r.bytes(what, int(n)))
	if r.err == nil && !utf8.ValidString(s) {
		r.fail(what + ": not valid UTF-8")
	}
	return s
}

func (p *payload) unmarshal(b []byte) error {
	r := &reader{b: b}
	if v := r.byte("version"); r.err == nil && v != version {
		r.fail("unsupported payload version")
	}
	p.kind = Kind(r.byte("kind"))
	if r.err == nil && !p.kind.Valid() {
		r.fail("unknown kind")
	}
	p.id = r.uvarint("id", math.MaxInt64)
	p.subjectID = r.uvarint("subject id", math.MaxInt64)
	p.issued = r.uvarint("issued", maxUnix)
	p.expires = r.uvarint("expires", maxUnix)
	if r.err == nil && p.expires != 0 && p.expires <= p.issued {
		r.fail("expires not after issued")
	}
	copy(p.kid[:], r.bytes("key id", keyIDLen))
	p.serial = r.string("serial")
	p.subject = r.string("subject")
	if r.err == nil && len(r.b) != 0 {
		r.fail("trailing bytes")
	}
	return r.err
}
