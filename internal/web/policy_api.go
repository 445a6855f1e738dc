package web

import (
	"net/http"
)

func (s *Server) apiPolicy(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.pol)
	return nil
}

// policySchemas are the OpenAPI schemas of the policy route.
func policySchemas() obj {
	return obj{
		"Policy": obj{"type": "object", "additionalProperties": true,
			"description": "The local policy in force, as loaded from its file (categories, units, stages, checklist …) with its Version"},
	}
}
