package sign

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "sign.pem")
	s1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("new key file mode %04o, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), "-----BEGIN PRIVATE KEY-----") {
		t.Errorf("key file is not PKCS#8 PEM:\n%s", data)
	}
	s2, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s1.PublicKey(), s2.PublicKey()) || s1.KeyID() != s2.KeyID() {
		t.Fatal("reloading gave a different key")
	}
	tok := mustSign(t, s1, typicalNotice)
	if _, err := NewVerifier(s2.PublicKey()).Verify(tok, t0); err != nil {
		t.Errorf("token from first load, key from second: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("key directory holds %d entries, want only the key (temporary file left behind?)", len(entries))
	}
}

func TestLoadOrCreateKeyRefusesReadableFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	path := filepath.Join(t.TempDir(), "sign.pem")
	s, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o602} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := LoadOrCreateKey(path)
		if err == nil {
			t.Fatalf("mode %04o: loaded", mode)
		}
		if !strings.Contains(err.Error(), "chmod 600") || !strings.Contains(err.Error(), path) {
			t.Errorf("mode %04o: unhelpful error %q", mode, err)
		}
	}
	// The refusal must not have replaced the key.
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	s2, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.KeyID() != s2.KeyID() {
		t.Error("key changed")
	}
}

func TestLoadOrCreateKeyBadFiles(t *testing.T) {
	dir := t.TempDir()
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"empty":     nil,
		"not pem":   []byte("hello"),
		"wrong pem": pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1, 2, 3}}),
		"bad der":   pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}}),
		"ecdsa":     pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}),
		"huge":      bytes.Repeat([]byte("x"), 100<<10),
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreateKey(path); err == nil {
			t.Errorf("%s: loaded", name)
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(after, data) {
			t.Errorf("%s: file was overwritten", name)
		}
	}
	if _, err := LoadOrCreateKey(dir); err == nil {
		t.Error("directory: loaded")
	}
}

func TestLoadOrCreateKeyConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sign.pem")
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s, err := LoadOrCreateKey(path)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = s.KeyID()
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent creators disagree: %v", ids)
		}
	}
}

func TestPublicKeyText(t *testing.T) {
	s := testSigner("a")
	pub := s.PublicKey()
	text := PublicKeyText(pub)
	if len(text) != 43 || strings.ContainsAny(text, "+/=") {
		t.Errorf("PublicKeyText = %q", text)
	}
	for _, in := range []string{text, "  " + text + "\n", PublicKeyPEM(pub), "\n" + PublicKeyPEM(pub) + "\n"} {
		got, err := ParsePublicKey(in)
		if err != nil {
			t.Errorf("ParsePublicKey(%q): %v", in, err)
			continue
		}
		if !bytes.Equal(got, pub) {
			t.Errorf("ParsePublicKey(%q) = %x, want %x", in, got, pub)
		}
	}
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	for name, in := range map[string]string{
		"empty":         "",
		"short":         text[:42],
		"long":          text + "AA",
		"padded":        text + "=",
		"std alphabet":  strings.NewReplacer("-", "+", "_", "/").Replace(text) + "+",
		"low bits":      text[:42] + string(text[42]^1),
		"private pem":   string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}})),
		"bad der":       string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}})),
		"ecdsa":         string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecDER})),
		"two pem":       PublicKeyPEM(pub) + PublicKeyPEM(pub),
		"truncated pem": PublicKeyPEM(pub)[:40],
	} {
		if k, err := ParsePublicKey(in); err == nil {
			t.Errorf("%s: parsed %x", name, k)
		}
	}
}
