// Package files keeps uploaded documents (photos, scanned letters, plans) on disk,
// content-addressed by their SHA-256: the same file uploaded twice is stored once, and a
// stored file can never change under its name. The database keeps only the metadata.
package files

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"fugong/internal/apperr"
)

// MaxSize is the largest file accepted.
const MaxSize = 20 << 20

// Allowed maps accepted file extensions to their content type.
var Allowed = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif",
	".pdf":  "application/pdf",
	".doc":  "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".wps":  "application/vnd.ms-works", ".et": "application/vnd.ms-excel",
	".ofd": "application/ofd",
}

// sniffed is what the first bytes of each allowed kind look like to http.DetectContentType.
var sniffed = map[string][]string{
	"image/jpeg": {"image/jpeg"}, "image/png": {"image/png"}, "image/webp": {"image/webp"}, "image/gif": {"image/gif"},
	"application/pdf": {"application/pdf"},
	// Office files are zip (OOXML, OFD) or OLE compound files.
	"application/msword": {"application/octet-stream"}, "application/vnd.ms-excel": {"application/octet-stream"},
	"application/vnd.ms-works": {"application/octet-stream"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"application/zip"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       {"application/zip"},
	"application/ofd": {"application/zip"},
}

// Stored describes a stored file.
type Stored struct {
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
}

// Store is a directory of content-addressed files.
type Store struct{ dir string }

// New opens (creating) the directory.
func New(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	return &Store{dir: dir}, nil
}

func (s *Store) path(sum string) string { return filepath.Join(s.dir, sum[:2], sum[2:4], sum) }

// Put checks and stores the content of a file named name. It refuses types outside
// Allowed, content that does not look like its extension, and files over MaxSize.
func (s *Store) Put(name string, r io.Reader) (Stored, error) {
	ext := strings.ToLower(filepath.Ext(name))
	ct, ok := Allowed[ext]
	if !ok {
		return Stored{}, apperr.NewInvalid("file", "不支持的文件类型 "+ext+":请上传图片(jpg、png)、PDF 或 Office/WPS 文档",
			"Unsupported file type "+ext+": upload an image (jpg, png), a PDF or an Office/WPS document")
	}
	tmp, err := os.CreateTemp(s.dir, "upload-*")
	if err != nil {
		return Stored{}, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Stored{}, err
	}
	head = head[:n]
	if n == 0 {
		return Stored{}, apperr.NewInvalid("file", "文件是空的", "The file is empty")
	}
	got := http.DetectContentType(head)
	if !sniffOK(ct, got) {
		return Stored{}, apperr.NewInvalid("file", "文件内容与扩展名 "+ext+" 不符,请确认文件没有损坏", "The content does not match the extension "+ext+"; check that the file is not damaged")
	}
	size, err := io.Copy(io.MultiWriter(tmp, h), io.MultiReader(strings.NewReader(string(head)), io.LimitReader(r, MaxSize+1-int64(n))))
	if err != nil {
		return Stored{}, err
	}
	if size > MaxSize {
		return Stored{}, apperr.NewInvalid("file", fmt.Sprintf("文件超过 %d MB", MaxSize>>20), fmt.Sprintf("The file is larger than %d MB", MaxSize>>20))
	}
	if err := tmp.Sync(); err != nil {
		return Stored{}, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	dst := s.path(sum)
	if _, err := os.Stat(dst); err == nil {
		return Stored{SHA256: sum, Size: size, ContentType: ct}, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return Stored{}, err
	}
	if err := tmp.Close(); err != nil {
		return Stored{}, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return Stored{}, err
	}
	return Stored{SHA256: sum, Size: size, ContentType: ct}, nil
}

func sniffOK(declared, got string) bool {
	got, _, _ = strings.Cut(got, ";")
	for _, want := range sniffed[declared] {
		if got == want {
			return true
		}
	}
	return false
}

// Open returns a stored file for reading.
func (s *Store) Open(sum string) (*os.File, error) {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return nil, apperr.NewNotFound("文件")
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, apperr.NewNotFound("文件")
	}
	return f, err
}
