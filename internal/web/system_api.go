package web

import (
	"context"
	"net/http"
	"slices"
	"time"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status, code := "ok", http.StatusOK
	if err := s.db.Ping(ctx); err != nil {
		status, code = "database unavailable", http.StatusServiceUnavailable
	}
	writeJSON(w, code, map[string]any{"status": status, "engine": s.db.Engine, "version": s.version,
		"policy_version": s.pol.Version, "uptime_seconds": int(time.Since(s.started).Seconds())})
	return nil
}

// systemSchemas are the OpenAPI schemas every part of the API uses: the error answer,
// the liveness answer and the document itself.
func systemSchemas() obj {
	codes := make([]string, 0, len(kindName))
	for _, c := range kindName {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return obj{
		"object": obj{"type": "object"},
		"Error": object("An error: code is one of a few kinds, message is for the user", []string{"error"}, obj{
			"error": object("", []string{"code", "message", "message_en"}, obj{
				"code":       obj{"type": "string", "enum": codes},
				"message":    str("Message in Chinese"),
				"message_en": str("Message in English"),
				"problems":   obj{"type": "array", "items": ref("Problem"), "description": "For invalid input: one entry per problem"},
			}),
		}),
		"Problem": object("A problem with one field of the input", []string{"field", "message", "message_en"}, obj{
			"field":      str("The field's JSON name (regions[2].code for an item of a list)"),
			"message":    str("In Chinese"),
			"message_en": str("In English"),
			"rule":       str("For a problem found by a rule of the local policy: the rule's code (e.g. supplies_masks)"),
			"clause":     str("For a problem found by a rule of the local policy: the clause it enforces"),
		}),
		"Health": object("Liveness", []string{"status", "engine", "version", "policy_version", "uptime_seconds"}, obj{
			"status":         str("ok, or database unavailable"),
			"engine":         str("sqlite or postgres"),
			"version":        str("Build version"),
			"policy_version": str("Version of the policy in force"),
			"uptime_seconds": integer(""),
		}),
	}
}
