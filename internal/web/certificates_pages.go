package web

import (
	"errors"
	"fmt"
	"net/http"

	"fugong/internal/apperr"
)

// certificateUpload is the employee page's upload form.
func (s *Server) certificateUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	it, err := s.db.Roster().Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	c, err := s.readCertificate(r)
	if err == nil {
		_, err = s.db.Roster().SetCertificate(r.Context(), p, id, c)
	}
	if err == nil {
		flash(w, translate(langOf(r), "Certificate uploaded"))
		http.Redirect(w, r, fmt.Sprintf("/employees/%d#certificate", id), http.StatusSeeOther)
		return nil
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = apperr.NewInvalid("file", fmt.Sprintf("证明文件不能超过 %d MB", certMaxSize>>20), fmt.Sprintf("The certificate must be at most %d MB", certMaxSize>>20))
	}
	if apperr.KindOf(err) != apperr.Invalid {
		return err
	}
	return s.employeeForm(w, r, http.StatusUnprocessableEntity, it, false, err)
}
