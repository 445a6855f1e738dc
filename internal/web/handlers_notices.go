package web

import "net/http"

// On-site acceptance, notices, verification and the inbox. (Being written.)

func (s *Server) inspectPage(w http.ResponseWriter, r *http.Request) error        { return errTODO }
func (s *Server) inspectSubmit(w http.ResponseWriter, r *http.Request) error      { return errTODO }
func (s *Server) acceptanceFormPage(w http.ResponseWriter, r *http.Request) error { return errTODO }
func (s *Server) noticePage(w http.ResponseWriter, r *http.Request) error         { return errTODO }
func (s *Server) noticeQR(w http.ResponseWriter, r *http.Request) error           { return errTODO }
func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) error         { return errTODO }
func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request) error          { return errTODO }
func (s *Server) apiPublicKey(w http.ResponseWriter, r *http.Request) error       { return errTODO }
func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) error          { return errTODO }
func (s *Server) inboxRead(w http.ResponseWriter, r *http.Request) error          { return errTODO }
func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request) error   { return errTODO }

// noticeSchemas are the OpenAPI schemas of the notice, verification and inbox routes.
func noticeSchemas() obj { return obj{} }
