package web

import (
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/roster"
)

// --- home grid certificate ---

// certMaxSize is the largest certificate accepted: a phone photo or a scanned page.
const certMaxSize = 10 << 20

// certTypes are the certificate's accepted extensions: images and PDF.
var certTypes = []string{".jpg", ".jpeg", ".png", ".webp", ".pdf"}

func certAccept() string { return strings.Join(certTypes, ",") }

// readCertificate reads the "file" part of a multipart upload: an image or a PDF of at
// most certMaxSize, whose content must look like its type; it is kept in the file store.
func (s *Server) readCertificate(r *http.Request) (roster.Certificate, error) {
	fl, h, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return roster.Certificate{}, err
		}
		return roster.Certificate{}, apperr.NewInvalid("file", "请选择要上传的证明文件(图片或 PDF)", "Choose the certificate file to upload (an image or a PDF)")
	}
	defer fl.Close()
	if err := checkForm(r); err != nil {
		return roster.Certificate{}, err
	}
	name := filepath.Base(strings.ReplaceAll(h.Filename, `\`, "/"))
	if filepath.Ext(name) == "" {
		name += photoExt[h.Header.Get("Content-Type")]
	}
	for utf8.RuneCountInString(name) > 200 {
		_, size := utf8.DecodeRuneInString(name)
		name = name[size:]
	}
	ext := strings.ToLower(filepath.Ext(name))
	ok := false
	for _, t := range certTypes {
		ok = ok || t == ext
	}
	if !ok {
		return roster.Certificate{}, apperr.NewInvalid("file", "证明须为图片(jpg、png、webp)或 PDF 文件", "The certificate must be an image (jpg, png, webp) or a PDF")
	}
	if h.Size > certMaxSize {
		return roster.Certificate{}, apperr.NewInvalid("file", fmt.Sprintf("证明文件不能超过 %d MB", certMaxSize>>20), fmt.Sprintf("The certificate must be at most %d MB", certMaxSize>>20))
	}
	st, err := s.files.Put(name, http.MaxBytesReader(nil, fl, certMaxSize))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return roster.Certificate{}, apperr.NewInvalid("file", fmt.Sprintf("证明文件不能超过 %d MB", certMaxSize>>20), fmt.Sprintf("The certificate must be at most %d MB", certMaxSize>>20))
		}
		return roster.Certificate{}, err
	}
	return roster.Certificate{SHA256: st.SHA256, Name: name, ContentType: st.ContentType, Size: st.Size}, nil
}
