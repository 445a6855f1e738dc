package web

import (
	"net/http"

	"fugong/internal/auth"
)

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, user(r))
	return nil
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) error {
	f, err := userFilterOf(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.ListUsers(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

type userCreateInput struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Phone       string `json:"phone"`
	Role        string `json:"role"`
	Scope       string `json:"scope"`
	Password    string `json:"password"`
}

// userCreated is the answer to creating a user: the account and, when the server
// generated it, the password (this once only).
type userCreated struct {
	auth.User
	Password string `json:"password,omitempty"`
}

func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request) error {
	var in userCreateInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	password := in.Password
	generated := password == ""
	if generated {
		password = auth.NewPassword()
	}
	u := auth.User{Username: in.Username, DisplayName: in.DisplayName, Phone: in.Phone, Role: auth.Role(in.Role), ScopeText: in.Scope}
	if err := s.grantProblems(r.Context(), principal(r), u); err != nil {
		return err
	}
	created, err := s.db.CreateUser(r.Context(), principal(r), u, password)
	if err != nil {
		return err
	}
	out := userCreated{User: created}
	if generated {
		out.Password = password
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// userSchemas are the OpenAPI schemas of the account routes.
func userSchemas() obj {
	userProps := obj{
		"username":     str("Sign-in name: 2–64 letters, digits or . _ @ -"),
		"display_name": str("Name shown (at most 64 characters)"),
		"phone":        str(""),
		"role":         obj{"type": "string", "enum": auth.Roles},
		"scope":        str("all, region:<code>, dept:<id>, park:<id> or enterprise:<id>, as the role allows"),
	}
	withUser := func(extra obj) obj {
		o := obj{}
		for k, v := range userProps {
			o[k] = v
		}
		for k, v := range extra {
			o[k] = v
		}
		return o
	}
	return obj{
		"User": object("An account", []string{"id", "username", "display_name", "phone", "role", "scope", "disabled", "created_at", "updated_at"},
			withUser(obj{"id": readOnly(id64("")), "disabled": boolean("A disabled user cannot sign in"), "created_at": timestamp(), "updated_at": timestamp(),
				"password": readOnly(str("Only in the answer to creating a user whose password the server made: shown this once"))})),
		"UserCreate": object("A new account", []string{"username", "role", "scope"},
			withUser(obj{"password": obj{"type": "string", "writeOnly": true,
				"description": "The first password, at least 8 characters; when empty or left out the server makes one and answers it once"}})),
		"UserList": listSchema("User"),
	}
}
