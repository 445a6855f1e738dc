package web

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"fugong/internal/files"
)

// certificateFile sends the certificate of an employee in scope: shown in the browser
// (images and PDF only are accepted).
func (s *Server) certificateFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	c, err := s.db.Roster().Certificate(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	f, err := s.files.Open(c.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	ext := strings.ToLower(filepath.Ext(c.Name))
	if _, ok := files.Allowed[ext]; !ok {
		ext = ""
	}
	w.Header().Set("Content-Type", c.ContentType)
	w.Header().Set("Content-Disposition", "inline; filename=\"certificate"+ext+"\"; filename*=UTF-8''"+url.PathEscape(c.Name))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", c.UploadedAt, f)
	return nil
}

func (s *Server) apiCertificatePut(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	if _, err := s.db.Roster().Get(r.Context(), p, id); err != nil {
		return err
	}
	c, err := s.readCertificate(r)
	if err != nil {
		return err
	}
	c, err = s.db.Roster().SetCertificate(r.Context(), p, id, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// certificateSchemas are the OpenAPI schemas of the home grid certificate routes.
func certificateSchemas() obj {
	stamp := obj{"type": "string", "format": "date-time"}
	return obj{
		"Certificate": object("The home grid certificate (网格长出具的封闭期间情况证明) on file", []string{"employee_id", "sha256", "name", "content_type", "size", "uploaded_at"}, obj{
			"employee_id": id64(""), "sha256": str("SHA-256 of the file"), "name": str("File name as uploaded"),
			"content_type": obj{"type": "string", "enum": []string{"image/jpeg", "image/png", "image/webp", "application/pdf"}},
			"size":         obj{"type": "integer"}, "uploaded_at": stamp, "uploaded_by": id64("User who uploaded it"), "uploaded_by_name": str(""),
		}),
	}
}
