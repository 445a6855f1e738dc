// Package crypt encrypts short personal fields (resident ID numbers) at rest.
//
// A Box holds one 32-byte master key, from which two keys are derived with HKDF-SHA256:
// an AES-256-GCM key for Seal/Open and an HMAC-SHA256 key for Index. Sealed values are
// text: "v1:" followed by the unpadded base64url of a random 12-byte nonce and the
// ciphertext with its tag, so they fit a TEXT column. Index gives a stable keyed digest of
// a value, for equality lookups and duplicate detection without decrypting; without the
// key it reveals nothing about the value.
package crypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
)

// KeySize is the length of a master key in bytes.
const KeySize = 32

const prefix = "v1:"

// ErrOpen is returned by Open for a value that is not a sealed value of this key: damaged,
// altered, or sealed with another key. It never contains the value.
var ErrOpen = errors.New("crypt: the sealed value cannot be opened (damaged, altered, or another key)")

// Box seals, opens and indexes values with one key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
	mac  []byte
}

// New makes a Box from a 32-byte master key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("crypt: key is %d bytes, want %d", len(key), KeySize)
	}
	enc, err := hkdf.Key(sha256.New, key, nil, "fugong crypt v1 aes-256-gcm", 32)
	if err != nil {
		return nil, err
	}
	mac, err := hkdf.Key(sha256.New, key, nil, "fugong crypt v1 index hmac-sha256", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead, mac: mac}, nil
}

// NewRandom makes a Box with a fresh random key that is kept nowhere (tests, and servers
// started without a key file).
func NewRandom() *Box {
	key := make([]byte, KeySize)
	rand.Read(key)
	b, err := New(key)
	if err != nil {
		panic(err)
	}
	return b
}

// LoadOrCreateKey reads the key file at path, or creates it with 32 random bytes and mode
// 0600 when it does not exist. A key file readable by group or others is refused.
func LoadOrCreateKey(path string) (*Box, error) {
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key = make([]byte, KeySize)
		rand.Read(key)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("create key file: %w", err)
		}
		if _, err := f.Write(key); err != nil {
			f.Close()
			return nil, fmt.Errorf("write key file: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, fmt.Errorf("write key file: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("write key file: %w", err)
		}
		return New(key)
	}
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if st.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("key file %s has mode %v: it must not be readable by group or others (chmod 600)", path, st.Mode().Perm())
		}
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("key file %s holds %d bytes, want %d", path, len(key), KeySize)
	}
	return New(key)
}

// Seal encrypts plain with a random nonce.
func (b *Box) Seal(plain string) string {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	rand.Read(nonce)
	out := b.aead.Seal(nonce, nonce, []byte(plain), []byte(prefix))
	return prefix + base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts a value made by Seal with the same key.
func (b *Box) Open(sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return "", ErrOpen
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(rest)
	if err != nil || len(raw) < b.aead.NonceSize()+b.aead.Overhead() {
		return "", ErrOpen
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(prefix))
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}

// Index is a keyed digest of plain (64 hex digits): equal values give equal indexes under
// one key, and nothing can be learnt from it without the key.
func (b *Box) Index(plain string) string {
	h := hmac.New(sha256.New, b.mac)
	h.Write([]byte(plain))
	return hex.EncodeToString(h.Sum(nil))
}
