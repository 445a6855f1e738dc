package web

import (
	"net/http"
)

func (s *Server) policyPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "policy", "Local policy", s.pol, nil)
}
