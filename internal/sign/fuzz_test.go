package sign

import (
	"errors"
	"testing"
)

// FuzzVerify checks that Verify never panics, and that whatever it accepts as authentic
// is canonical: signing the returned claims again with the same key gives back exactly
// the token that was verified (Ed25519 is deterministic), and those claims again.
func FuzzVerify(f *testing.F) {
	s, other := testSigner("fuzz"), testSigner("other")
	signers := map[string]*Signer{s.KeyID(): s, other.KeyID(): other}
	v := NewVerifier(s.PublicKey(), other.PublicKey())
	tok := mustSign(f, s, typicalNotice)
	f.Add(tok)
	f.Add(VerifyURL("https://fugong.example.gov.cn/verify", tok))
	f.Add(mustSign(f, s, Claims{Kind: PassKind, ID: 1, IssuedAt: t0}))
	f.Add(mustSign(f, s, Claims{Kind: BusLetterKind, ID: 300, Serial: "包车〔2020〕3号", Subject: "某厂",
		SubjectID: 5, IssuedAt: t0, ExpiresAt: t0.Add(3600e9)}))
	f.Add(mustSign(f, other, typicalNotice))
	f.Add(mustSign(f, testSigner("unknown"), typicalNotice))
	f.Add(signRaw(s, goodRaw(s).bytes()))
	f.Add("")
	f.Add("FG1..")
	f.Add("FG1.AQ.AA")
	f.Add("https://x/verify?t=FG1.")

	f.Fuzz(func(t *testing.T, in string) {
		c, err := v.Verify(in, t0)
		authentic := err == nil || errors.Is(err, ErrExpired) || errors.Is(err, ErrNotYetValid)
		if !authentic {
			if c != (Claims{}) {
				t.Fatalf("error %v with non-zero claims %+v", err, c)
			}
			return
		}
		signer := signers[c.KeyID]
		if signer == nil {
			t.Fatalf("verified with key id %s", c.KeyID)
		}
		again, err := signer.Sign(c)
		if err != nil {
			t.Fatalf("verified claims %+v do not sign: %v", c, err)
		}
		bare, _ := extractToken(in)
		if again != bare {
			t.Fatalf("non-canonical token accepted:\n in  %q\n out %q", bare, again)
		}
		c2, err2 := v.Verify(again, t0)
		if c2 != c || (err == nil) != (err2 == nil) {
			t.Fatalf("re-signed claims differ:\n%+v %v\n%+v %v", c, err, c2, err2)
		}
	})
}
