package web

import "net/http"

// Regions, parks and departments: pages and API. (Being written.)

func (s *Server) regionsPage(w http.ResponseWriter, r *http.Request) error         { return errTODO }
func (s *Server) regionSave(w http.ResponseWriter, r *http.Request) error          { return errTODO }
func (s *Server) regionImportPage(w http.ResponseWriter, r *http.Request) error    { return errTODO }
func (s *Server) regionImport(w http.ResponseWriter, r *http.Request) error        { return errTODO }
func (s *Server) regionExport(w http.ResponseWriter, r *http.Request) error        { return errTODO }
func (s *Server) apiRegions(w http.ResponseWriter, r *http.Request) error          { return errTODO }
func (s *Server) apiRegionsSave(w http.ResponseWriter, r *http.Request) error      { return errTODO }
func (s *Server) apiRegionsImport(w http.ResponseWriter, r *http.Request) error    { return errTODO }
func (s *Server) parksPage(w http.ResponseWriter, r *http.Request) error           { return errTODO }
func (s *Server) parkSave(w http.ResponseWriter, r *http.Request) error            { return errTODO }
func (s *Server) apiParks(w http.ResponseWriter, r *http.Request) error            { return errTODO }
func (s *Server) apiParkCreate(w http.ResponseWriter, r *http.Request) error       { return errTODO }
func (s *Server) apiParkUpdate(w http.ResponseWriter, r *http.Request) error       { return errTODO }
func (s *Server) departmentsPage(w http.ResponseWriter, r *http.Request) error     { return errTODO }
func (s *Server) departmentSave(w http.ResponseWriter, r *http.Request) error      { return errTODO }
func (s *Server) apiDepartments(w http.ResponseWriter, r *http.Request) error      { return errTODO }
func (s *Server) apiDepartmentCreate(w http.ResponseWriter, r *http.Request) error { return errTODO }
func (s *Server) apiDepartmentUpdate(w http.ResponseWriter, r *http.Request) error { return errTODO }
