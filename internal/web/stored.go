package web

import (
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"fugong/internal/files"
)

// serveStored sends a stored file (by its SHA-256) under its name: inline for images and
// PDF, as a download otherwise; the name's extension only when it is one uploads may have.
func (s *Server) serveStored(w http.ResponseWriter, r *http.Request, name, sha, contentType string) error {
	f, err := s.files.Open(sha)
	if err != nil {
		return err
	}
	defer f.Close()
	disposition := "attachment"
	if strings.HasPrefix(contentType, "image/") || contentType == "application/pdf" {
		disposition = "inline"
	}
	ext := strings.ToLower(path.Ext(name))
	if _, ok := files.Allowed[ext]; !ok {
		ext = ""
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", disposition+"; filename=\"file"+ext+"\"; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "private, max-age=3600")
	http.ServeContent(w, r, "", time.Time{}, f)
	return nil
}
