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
