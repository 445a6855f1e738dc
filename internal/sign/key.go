package sign

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// LoadOrCreateKey reads the Ed25519 private key stored PEM-encoded (PKCS#8, block type
// "PRIVATE KEY") at path, or, when there is no file at path, creates one holding a new
// key with permissions 0600 (and the directory with 0700 if it is missing). It refuses an
// existing file that group or others may read or write: a leaked key lets anyone forge
// notices and passes.
//
// Creation is atomic: the key is written to a temporary file in the same directory and
// hard-linked into place, so two instances starting at once both end up with the key
// that won, and a crash never leaves a half-written key behind.
func LoadOrCreateKey(path string) (*Signer, error) {
	s, err := loadKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return s, err
	}
	if err := createKey(path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	return loadKey(path)
}

func loadKey(path string) (*Signer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // fs.ErrNotExist tells the caller to create it
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("sign: key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("sign: key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("sign: key file %s has permissions %04o, so other users may read the signing key; "+
			"it must be readable by its owner only (chmod 600 %s), and if others may have read it, replace the key",
			path, perm, path)
	}
	data, err := readLimited(f, 64<<10)
	if err != nil {
		return nil, fmt.Errorf("sign: read key file %s: %w", path, err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("sign: key file %s: no PEM \"PRIVATE KEY\" block", path)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("sign: key file %s: %w", path, err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("sign: key file %s holds a %T, want an Ed25519 key", path, key)
	}
	return NewSigner(priv), nil
}

func readLimited(f *os.File, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, nil
}

func createKey(path string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("sign: generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return fmt.Errorf("sign: marshal key: %w", err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})

	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("sign: create key directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".fugong-key-*")
	if err != nil {
		return fmt.Errorf("sign: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("sign: create key file: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("sign: write key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sign: write key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("sign: write key file: %w", err)
	}
	// Link fails if path exists, so a key another process created first is never replaced.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		// No hard links on this file system: create the file exclusively instead.
		if err := writeExclusive(path, data); err != nil {
			return err
		}
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the new name durable; not all systems support this
		d.Close()
	}
	return nil
}

func writeExclusive(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		return fmt.Errorf("sign: create key file: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("sign: write key file: %w", err)
	}
	return nil
}

// PublicKeyText is pub in unpadded base64url (43 characters), for printing in documents
// and configuring offline devices. ParsePublicKey reads it back.
func PublicKeyText(pub ed25519.PublicKey) string {
	return b64.EncodeToString(pub)
}

// PublicKeyPEM is pub as a PEM "PUBLIC KEY" (PKIX) block. ParsePublicKey reads it back.
func PublicKeyPEM(pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic("sign: " + err.Error()) // only for keys of the wrong size
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// ParsePublicKey reads an Ed25519 public key given as a PEM "PUBLIC KEY" block or in the
// base64url form PublicKeyText gives. Surrounding white space is ignored.
func ParsePublicKey(text string) (ed25519.PublicKey, error) {
	text = strings.TrimSpace(text)
	if strings.HasPrefix(text, "-----BEGIN") {
		block, rest := pem.Decode([]byte(text))
		if block == nil || block.Type != "PUBLIC KEY" {
			return nil, errors.New("sign: public key: no PEM \"PUBLIC KEY\" block")
		}
		if len(bytes.TrimSpace(rest)) != 0 {
			return nil, errors.New("sign: public key: text after the PEM block")
		}
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("sign: public key: %w", err)
		}
		pub, ok := key.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("sign: public key is a %T, want an Ed25519 key", key)
		}
		return pub, nil
	}
	b, err := decode64(text)
	if err != nil {
		return nil, fmt.Errorf("sign: public key: %w", err)
	}
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("sign: public key is %d bytes, want %d", len(b), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}
