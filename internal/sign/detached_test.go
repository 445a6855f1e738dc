package sign

import (
	"bytes"
	"crypto/ed25519"
	"testing"
	"time"
)

func TestDetached(t *testing.T) {
	s := NewSigner(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize)))
	other := NewSigner(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, ed25519.SeedSize)))
	msg := []byte("row 12 hash abc")
	sig := s.SignDetached("audit-checkpoint", msg)
	for _, c := range []struct {
		name    string
		pub     ed25519.PublicKey
		purpose string
		msg     []byte
		sig     []byte
		want    bool
	}{
		{"genuine", s.PublicKey(), "audit-checkpoint", msg, sig, true},
		{"another purpose", s.PublicKey(), "audit", msg, sig, false},
		{"purpose and message shifted", s.PublicKey(), "audit-checkpoint\x00row", []byte(" 12 hash abc"), sig, false},
		{"altered message", s.PublicKey(), "audit-checkpoint", []byte("row 13 hash abc"), sig, false},
		{"another key", other.PublicKey(), "audit-checkpoint", msg, sig, false},
		{"short signature", s.PublicKey(), "audit-checkpoint", msg, sig[:10], false},
		{"no key", nil, "audit-checkpoint", msg, sig, false},
	} {
		if got := VerifyDetached(c.pub, c.purpose, c.msg, c.sig); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// A token's signature is no detached signature, whatever the purpose.
	tok, err := s.Sign(Claims{Kind: NoticeKind, ID: 1, SubjectID: 2, IssuedAt: time.Date(2020, 2, 10, 0, 0, 0, 0, time.UTC), Serial: "1", Subject: "甲"})
	if err != nil {
		t.Fatal(err)
	}
	_, msg, tsig, err := parseToken(tok)
	if err != nil || !ed25519.Verify(s.PublicKey(), msg, tsig) {
		t.Fatalf("token: %v", err)
	}
	if VerifyDetached(s.PublicKey(), "", msg[len(prefix):], tsig) || VerifyDetached(s.PublicKey(), "", msg, tsig) ||
		VerifyDetached(s.PublicKey(), "1.", msg[len(prefix):], tsig) {
		t.Error("a token's signature checks as a detached one")
	}
}
