package web

import (
	"net/http"
)

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	f := auditFilter(r)
	entries, total, err := s.db.AuditTrail(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(entries, total, f.Page))
	return nil
}

// auditSchemas are the OpenAPI schemas of the audit trail's routes.
func auditSchemas() obj {
	return obj{
		"AuditEntry": object("A row of the hash-chained audit trail", []string{"seq", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "summary", "prev_hash", "hash"}, obj{
			"seq":         id64("Position in the chain, from 1"),
			"at":          obj{"type": "string", "format": "date-time"},
			"actor_id":    id64("0 for the system"),
			"actor_name":  str(""),
			"action":      str("Such as enterprise.update"),
			"object_type": str(""),
			"object_id":   str(""),
			"summary":     str("A JSON object describing the change"),
			"prev_hash":   str("Hash of the previous row"),
			"hash":        str("SHA-256 over prev_hash and this row's fields"),
		}),
		"AuditList": listSchema("AuditEntry"),
	}
}
