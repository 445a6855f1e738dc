package web

import (
	"net/http"
)

func (s *Server) apiPolicy(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.pol)
	return nil
}
