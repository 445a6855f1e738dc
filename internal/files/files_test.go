package files

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"strings"
	"testing"

	"fugong/internal/apperr"
)

func pngBytes(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPutAndOpen(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	img := pngBytes(t)
	a, err := s.Put("现场照片.PNG", bytes.NewReader(img))
	if err != nil || a.Size != int64(len(img)) || a.ContentType != "image/png" || len(a.SHA256) != 64 {
		t.Fatalf("put: %+v %v", a, err)
	}
	b, err := s.Put("again.png", bytes.NewReader(img))
	if err != nil || b.SHA256 != a.SHA256 {
		t.Fatalf("same content, other name: %+v %v", b, err)
	}
	f, err := s.Open(a.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, img) {
		t.Fatal("stored content differs")
	}
	for _, c := range []struct{ name, content string }{
		{"virus.exe", "MZ\x90\x00"},
		{"fake.png", "%PDF-1.4 not a png"},
		{"empty.pdf", ""},
		{"noext", "hello"},
	} {
		if _, err := s.Put(c.name, strings.NewReader(c.content)); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("%s accepted: %v", c.name, err)
		}
	}
	for _, bad := range []string{"", "../etc/passwd", strings.Repeat("z", 64), strings.Repeat("0", 64)} {
		if _, err := s.Open(bad); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("open %q: %v", bad, err)
		}
	}
}

func TestPutTooLarge(t *testing.T) {
	s, _ := New(t.TempDir())
	big := io.MultiReader(strings.NewReader("%PDF-1.4\n"), bytes.NewReader(make([]byte, MaxSize)))
	if _, err := s.Put("big.pdf", big); apperr.KindOf(err) != apperr.Invalid {
		t.Fatalf("oversized file: %v", err)
	}
}
