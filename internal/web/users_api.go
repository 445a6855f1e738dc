package web

import (
	"fmt"
	"net/http"
	"strconv"

	"fugong/internal/apperr"
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

// pathTokenID reads the {token_id} of the path; a malformed one is not found.
func pathTokenID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("token_id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NewNotFound("令牌")
	}
	return id, nil
}

func (s *Server) apiUserTokens(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "用户")
	if err != nil {
		return err
	}
	page := pageOf(r)
	items, total, err := s.db.Tokens(r.Context(), principal(r), id, page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, page))
	return nil
}

type tokenCreateInput struct {
	Name    string `json:"name"`
	Expires string `json:"expires"`
}

// tokenCreated is the answer to issuing a token: the token as listed and its secret,
// this once.
type tokenCreated struct {
	auth.Token
	Secret string `json:"token"`
}

func (s *Server) apiUserTokenCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "用户")
	if err != nil {
		return err
	}
	var in tokenCreateInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	name, nerr := auth.TokenLabel(in.Name)
	until, err := auth.TokenExpiry(in.Expires, s.db.Now())
	if err := mergeInvalid(problemsOf(nerr), err); err != nil {
		return err
	}
	t, secret, err := s.db.IssueToken(r.Context(), principal(r), id, name, until)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, tokenCreated{Token: t, Secret: secret})
	return nil
}

func (s *Server) apiUserTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	id, err := pathID(r, "用户")
	if err != nil {
		return err
	}
	tokenID, err := pathTokenID(r)
	if err != nil {
		return err
	}
	t, err := s.db.RevokeToken(r.Context(), principal(r), id, tokenID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// problemsOf lists the field problems of an invalid-input error (none for nil).
func problemsOf(err error) apperr.Problems {
	if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
		return e.Problems
	}
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
		"UserList":  listSchema("User"),
		"Token":     object("An API token of an account, as its administrator sees it: never its secret", []string{"id", "user_id", "name", "created_at", "last_used_at", "expires_at", "revoked", "state"}, tokenProps),
		"TokenList": listSchema("Token"),
		"TokenCreate": object("A new API token", nil, obj{
			"name":    str("What the token is for (at most 64 characters)"),
			"expires": str(fmt.Sprintf("How long it lives: days such as 30d or 30 (1 to %d), or never; %dd when empty or left out", auth.MaxTokenDays, auth.DefaultTokenDays)),
		}),
		"NewToken": object("The token just issued and its secret, shown this once", []string{"id", "user_id", "name", "created_at", "last_used_at", "expires_at", "revoked", "state", "token"},
			withProps(tokenProps, obj{"token": readOnly(str("The secret to send as Authorization: Bearer …; only its hash is kept, so it cannot be shown again"))})),
	}
}

// tokenProps are the fields of a token as listed.
var tokenProps = obj{
	"id":           readOnly(id64("")),
	"user_id":      readOnly(id64("The account the token acts as")),
	"name":         str("What the token is for"),
	"created_at":   timestamp(),
	"last_used_at": obj{"type": []string{"string", "null"}, "format": "date-time", "readOnly": true, "description": "When it was last used, to the hour; null when never"},
	"expires_at":   obj{"type": []string{"string", "null"}, "format": "date-time", "readOnly": true, "description": "From this instant on it is refused; null when it never expires"},
	"revoked":      boolean("Revoked for good (one by one, or all when the account was disabled)"),
	"revoked_at":   obj{"type": "string", "format": "date-time", "readOnly": true, "description": "When it was revoked; absent when it is not"},
	"state":        enum("Its state now", auth.TokenActive, auth.TokenExpired, auth.TokenRevoked),
}

// withProps is a copy of props with extra ones.
func withProps(props, extra obj) obj {
	o := obj{}
	for k, v := range props {
		o[k] = v
	}
	for k, v := range extra {
		o[k] = v
	}
	return o
}
