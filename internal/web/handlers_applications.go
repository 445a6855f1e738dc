package web

import "net/http"

// Resumption applications: pages and API. (Being written.)

func (s *Server) applicationsPage(w http.ResponseWriter, r *http.Request) error      { return errTODO }
func (s *Server) applicationsExport(w http.ResponseWriter, r *http.Request) error    { return errTODO }
func (s *Server) applicationNewPage(w http.ResponseWriter, r *http.Request) error    { return errTODO }
func (s *Server) applicationCreate(w http.ResponseWriter, r *http.Request) error     { return errTODO }
func (s *Server) applicationPage(w http.ResponseWriter, r *http.Request) error       { return errTODO }
func (s *Server) applicationEditPage(w http.ResponseWriter, r *http.Request) error   { return errTODO }
func (s *Server) applicationUpdate(w http.ResponseWriter, r *http.Request) error     { return errTODO }
func (s *Server) applicationAttach(w http.ResponseWriter, r *http.Request) error     { return errTODO }
func (s *Server) applicationFile(w http.ResponseWriter, r *http.Request) error       { return errTODO }
func (s *Server) applicationTransition(w http.ResponseWriter, r *http.Request) error { return errTODO }
func (s *Server) apiApplications(w http.ResponseWriter, r *http.Request) error       { return errTODO }
func (s *Server) apiApplicationCreate(w http.ResponseWriter, r *http.Request) error  { return errTODO }
func (s *Server) apiApplication(w http.ResponseWriter, r *http.Request) error        { return errTODO }
func (s *Server) apiApplicationPatch(w http.ResponseWriter, r *http.Request) error   { return errTODO }
func (s *Server) apiApplicationSubmit(w http.ResponseWriter, r *http.Request) error  { return errTODO }
func (s *Server) apiApplicationTransition(w http.ResponseWriter, r *http.Request) error {
	return errTODO
}
func (s *Server) apiApplicationAttach(w http.ResponseWriter, r *http.Request) error { return errTODO }

// applicationSchemas are the OpenAPI schemas of the application routes.
func applicationSchemas() obj { return obj{} }
