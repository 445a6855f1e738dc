package web

import "net/http"

// Accounts: pages and API. (Being written.)

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error     { return errTODO }
func (s *Server) userNewPage(w http.ResponseWriter, r *http.Request) error   { return errTODO }
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error    { return errTODO }
func (s *Server) userEditPage(w http.ResponseWriter, r *http.Request) error  { return errTODO }
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error    { return errTODO }
func (s *Server) userPassword(w http.ResponseWriter, r *http.Request) error  { return errTODO }
func (s *Server) userToken(w http.ResponseWriter, r *http.Request) error     { return errTODO }
func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) error      { return errTODO }
func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request) error { return errTODO }
