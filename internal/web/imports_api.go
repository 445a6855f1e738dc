package web

import (
	"net/http"
)

func (s *Server) apiImportJob(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "导入任务")
	if err != nil {
		return err
	}
	job, err := s.db.GetImportJob(r.Context(), principal(r).UserID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, job)
	return nil
}

// importSchemas are the OpenAPI schemas of imports: the result of an import, and the job
// of one started from a web page.
func importSchemas() obj {
	return obj{
		"ImportResult": object("What an import did, or would do", []string{"rows", "created", "updated", "skipped", "errors", "written", "bad_rows", "duration"}, obj{
			"rows":    integer("Data rows read"),
			"created": integer(""),
			"updated": integer("Rows matched by credit code to an existing enterprise"),
			"skipped": integer("Invalid rows left out (valid_only)"),
			"errors": obj{"type": []string{"array", "null"}, "items": object("A problem with one row", []string{"row", "field", "message", "message_en"}, obj{
				"row":        integer("Row number in the sheet"),
				"field":      str(""),
				"message":    str(""),
				"message_en": str(""),
			})},
			"written":  boolean("Whether anything was written"),
			"bad_rows": integer("Rows with problems"),
			"duration": str("How long it took"),
		}),
		"ImportJob": object("An import started from the web page", []string{"id", "kind", "user_id", "file_name", "status", "total", "done", "message", "created_at"}, obj{
			"id":          id64(""),
			"kind":        str("What is imported (enterprises)"),
			"user_id":     id64(""),
			"file_name":   str(""),
			"status":      obj{"type": "string", "enum": []string{"running", "done", "failed"}},
			"total":       integer("Rows to process"),
			"done":        integer("Rows processed"),
			"message":     str("Why it failed"),
			"result":      ref("ImportResult"),
			"created_at":  timestamp(),
			"finished_at": timestamp(),
		}),
	}
}
