package crypt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	b := NewRandom()
	for _, s := range []string{"", "330402199001011234", "张三 13800000000"} {
		sealed := b.Seal(s)
		if !strings.HasPrefix(sealed, "v1:") || (s != "" && strings.Contains(sealed, s)) {
			t.Fatalf("Seal(%q) = %q", s, sealed)
		}
		got, err := b.Open(sealed)
		if err != nil || got != s {
			t.Fatalf("Open(Seal(%q)) = %q, %v", s, got, err)
		}
		if b.Seal(s) == sealed {
			t.Errorf("two seals of %q are equal: the nonce must be random", s)
		}
	}
}

func TestTamper(t *testing.T) {
	b := NewRandom()
	sealed := b.Seal("330402199001011234")
	raw := []byte(sealed)
	for i := len("v1:"); i < len(raw); i++ {
		c := raw[i]
		raw[i] = map[bool]byte{true: 'A', false: 'B'}[c != 'A']
		if _, err := b.Open(string(raw)); err == nil {
			t.Fatalf("changed character %d opened without error", i)
		}
		raw[i] = c
	}
	for _, bad := range []string{"", "v1:", "v2:" + sealed[3:], sealed[:len(sealed)-2], "v1:!!!!", sealed + "AA"} {
		if _, err := b.Open(bad); err != ErrOpen {
			t.Errorf("Open(%q) = %v, want ErrOpen", bad, err)
		}
	}
}

func TestWrongKey(t *testing.T) {
	a, b := NewRandom(), NewRandom()
	if _, err := b.Open(a.Seal("secret")); err != ErrOpen {
		t.Fatalf("opened with another key: %v", err)
	}
}

func TestIndex(t *testing.T) {
	a, b := NewRandom(), NewRandom()
	x := "330402199001011234"
	if a.Index(x) != a.Index(x) {
		t.Fatal("index not stable")
	}
	if len(a.Index(x)) != 64 || strings.Contains(a.Index(x), x) {
		t.Fatalf("index %q", a.Index(x))
	}
	if a.Index(x) == b.Index(x) {
		t.Fatal("index does not depend on the key")
	}
	if a.Index(x) == a.Index(x[:17]+"5") {
		t.Fatal("different values, same index")
	}
	// Same key, separate boxes: same index (lookups survive restarts).
	key := make([]byte, KeySize)
	key[0] = 7
	c1, _ := New(key)
	c2, _ := New(key)
	if c1.Index(x) != c2.Index(x) {
		t.Fatal("index differs across boxes of one key")
	}
	if _, err := c2.Open(c1.Seal(x)); err != nil {
		t.Fatal(err)
	}
	if _, err := New(key[:16]); err == nil {
		t.Fatal("short key accepted")
	}
}

func TestKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "id-key")
	b1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 || st.Size() != KeySize {
		t.Fatalf("key file: %v %v", st, err)
	}
	b2, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b2.Open(b1.Seal("x")); err != nil || got != "x" {
		t.Fatalf("reloaded key cannot open: %q %v", got, err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKey(path); err == nil {
		t.Fatal("a world-readable key file was accepted")
	}
	short := filepath.Join(t.TempDir(), "short")
	os.WriteFile(short, []byte("abc"), 0o600)
	if _, err := LoadOrCreateKey(short); err == nil {
		t.Fatal("a short key file was accepted")
	}
}
