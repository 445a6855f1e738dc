package sign

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// zbarimg returns the path of zbarimg, skipping the test when it is missing, except in
// CI (CI=true), where its absence is a failure.
func zbarimg(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("zbarimg not found; CI must install it (Debian package zbar-tools)")
		}
		t.Skip("zbarimg not found; install zbar-tools to check that QR codes decode")
	}
	return path
}

func TestQRPNGDecodes(t *testing.T) {
	bin := zbarimg(t)
	s := testSigner("a")
	tok := mustSign(t, s, typicalNotice)
	pass := mustSign(t, s, Claims{Kind: PassKind, ID: 42, Subject: "张*明", SubjectID: 7, IssuedAt: t0})
	contents := map[string]string{
		"notice token": tok,
		"verify URL":   VerifyURL("https://fugong.example.gov.cn/verify", tok),
		"pass token":   pass,
	}
	dir := t.TempDir()
	for name, content := range contents {
		for _, size := range []int{160, 300, 512} {
			img, err := QRPNG(content, size)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(img))
			if err != nil {
				t.Fatalf("%s: not a PNG: %v", name, err)
			}
			if cfg.Width != cfg.Height || cfg.Width > size {
				t.Errorf("%s size %d: image is %dx%d", name, size, cfg.Width, cfg.Height)
			}
			file := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".png")
			if err := os.WriteFile(file, img, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(bin, "--raw", "-q", file).Output()
			if err != nil {
				t.Fatalf("%s size %d: zbarimg: %v", name, size, err)
			}
			if got := strings.TrimSuffix(string(out), "\n"); got != content {
				t.Errorf("%s size %d: zbarimg read\n%q\nwant\n%q", name, size, got, content)
			}
			if _, err := NewVerifier(s.PublicKey()).Verify(string(out), t0); err != nil {
				t.Errorf("%s size %d: scanned content does not verify: %v", name, size, err)
			}
		}
	}
}

func TestQRPNGRejects(t *testing.T) {
	for _, tc := range []struct {
		content string
		size    int
	}{
		{"", 256},
		{"x", 0},
		{"x", -4},
		{"x", 100000},
		{strings.Repeat("x", 3000), 256}, // over the capacity of version 40-M
	} {
		if _, err := QRPNG(tc.content, tc.size); err == nil {
			t.Errorf("QRPNG(%d bytes, %d): no error", len(tc.content), tc.size)
		}
	}
}
