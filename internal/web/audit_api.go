package web

import (
	"net/http"
)

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	f := auditFilter(r)
	entries, total, err := s.db.ListAudit(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(entries, total, f.Page))
	return nil
}
