package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugong/internal/sign"
)

func TestVerify(t *testing.T) {
	dir := t.TempDir()
	signer, err := sign.LoadOrCreateKey(filepath.Join(dir, "signing-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	token, err := signer.SignNotice(7, "〔2020〕第0007号", "示范精密机械有限公司", 3, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// A pass carries its expiry: valid before it, refused from it on.
	issued := time.Now().Add(-time.Hour).Truncate(time.Second)
	passToken, err := signer.Sign(sign.Claims{Kind: sign.PassKind, ID: 9, Subject: "张*", SubjectID: 4, IssuedAt: issued, ExpiresAt: issued.Add(14 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	expiredToken, err := signer.Sign(sign.Claims{Kind: sign.PassKind, ID: 9, Subject: "张*", SubjectID: 4, IssuedAt: issued.Add(-15 * 24 * time.Hour), ExpiresAt: issued.Add(-24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	pub := sign.PublicKeyText(signer.PublicKey())
	tampered := token[:len(token)-3] + "AAA"
	if strings.HasSuffix(token, "AAA") {
		tampered = token[:len(token)-3] + "BBB"
	}
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"verify", "--data", dir, token}, 0, "〔2020〕第0007号"},
		{[]string{"verify", "--data", dir, token}, 0, "expires: never: valid until revoked"},
		{[]string{"verify", "--data", dir, passToken}, 0, "出入证"},
		{[]string{"verify", "--data", dir, passToken}, 0, "expires: " + issued.Add(14*24*time.Hour).Format(time.RFC3339)},
		{[]string{"verify", "--data", dir, expiredToken}, 1, "凭证已过期"},
		{[]string{"verify", "--key", pub, sign.VerifyURL("https://fugong.example", token)}, 0, "VALID"},
		{[]string{"verify", "--key", pub, tampered}, 1, "INVALID"},
		{[]string{"verify", "--data", dir, "not-a-token"}, 1, "INVALID"},
		{[]string{"verify", "--data", filepath.Join(dir, "none"), token}, 1, "no signing key"},
		{[]string{"verify", "--data", dir}, 2, "exactly one token"},
	} {
		r := fugong(t, "", nil, c.args...)
		if r.code != c.code || !strings.Contains(r.stdout+r.stderr, c.out) {
			t.Errorf("fugong %v: %s; want exit %d and %q", c.args, r, c.code, c.out)
		}
	}
}
