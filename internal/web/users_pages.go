package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/list"
)

// scopeName names the object a scope points at ("甲镇", "甲镇经贸办"), or "" when it
// cannot be found in the principal's scope.
func (s *Server) scopeName(ctx context.Context, p auth.Principal, lang string, sc auth.Scope) (string, error) {
	var name string
	var err error
	switch sc.Kind {
	case auth.ScopeAll:
		return translate(lang, "Whole system"), nil
	case auth.ScopeRegion:
		reg, e := s.db.GetRegion(ctx, p, sc.Region)
		name, err = reg.Name, e
	case auth.ScopeDept:
		d, e := s.db.GetDepartment(ctx, p, sc.ID)
		name, err = d.Name, e
	case auth.ScopePark:
		pk, e := s.db.GetPark(ctx, p, sc.ID)
		name, err = pk.Name, e
	case auth.ScopeEnterprise:
		en, e := s.db.GetEnterprise(ctx, p, sc.ID)
		name, err = en.Name, e
	}
	if err != nil {
		if apperr.KindOf(err) == apperr.NotFound {
			return "", nil
		}
		return "", err
	}
	return name, nil
}

type usersData struct {
	Filter     auth.UserFilter
	Roles      []auth.Role
	Items      []auth.User
	ScopeNames map[string]string // scope text → name of its object
	Pager      pager
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	f, err := userFilterOf(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.ListUsers(ctx, p, f)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, u := range items {
		if _, done := names[u.ScopeText]; done {
			continue
		}
		if names[u.ScopeText], err = s.scopeName(ctx, p, langOf(r), u.Scope); err != nil {
			return err
		}
	}
	d := usersData{Filter: f, Roles: auth.Roles, Items: items, ScopeNames: names, Pager: newPager(r, f.Page, total)}
	return s.render(w, r, http.StatusOK, "users", "Users", d, nil)
}

// scopeHint says which scope a role takes, for the form.
type scopeHint struct {
	Role auth.Role
	Hint string
}

// scopeOption is a suggestion for the scope input.
type scopeOption struct{ Value, Label string }

type userFormData struct {
	U         auth.User
	New       bool
	Roles     []auth.Role
	Hints     []scopeHint
	Scopes    []scopeOption
	ScopeName string
	Tokens    int        // live API tokens
	TokenList []tokenRow // every token of the account, newest first
	Lifetimes []scopeOption
}

// tokenRow is a token as the account's page lists it.
type tokenRow struct {
	ID                               int64
	Name, Created, LastUsed, Expires string // "" for never used, never expiring
	State, StateName                 string
}

// tokenLifetimes are the choices of the form; the API and the command line take any
// number of days.
func tokenLifetimes(lang string) []scopeOption {
	out := []scopeOption{}
	for _, d := range []int{30, auth.DefaultTokenDays, 180, auth.MaxTokenDays} {
		label := fmt.Sprintf(translate(lang, "%d days"), d)
		if d == auth.DefaultTokenDays {
			label += " " + translate(lang, "(default)")
		}
		out = append(out, scopeOption{Value: fmt.Sprintf("%dd", d), Label: label})
	}
	return append(out, scopeOption{Value: auth.NeverExpires, Label: translate(lang, "Never expires")})
}

// tokenRows lists the tokens for the page, in the policy's time zone.
func (s *Server) tokenRows(ctx context.Context, p auth.Principal, lang string, userID int64) ([]tokenRow, error) {
	toks, _, err := s.db.Tokens(ctx, p, userID, list.Page{Size: list.MaxSize})
	if err != nil {
		return nil, err
	}
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(s.pol.Location()).Format("2006-01-02 15:04")
	}
	rows := make([]tokenRow, 0, len(toks))
	for _, t := range toks {
		n := auth.TokenStateNames[t.State]
		name := n[0]
		if lang == "en" {
			name = n[1]
		}
		rows = append(rows, tokenRow{ID: t.ID, Name: t.Name, Created: stamp(&t.CreatedAt), LastUsed: stamp(t.LastUsedAt),
			Expires: stamp(t.ExpiresAt), State: t.State, StateName: name})
	}
	return rows, nil
}

func (s *Server) userForm(w http.ResponseWriter, r *http.Request, status int, u auth.User, isNew bool, err error) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	d := userFormData{U: u, New: isNew, Roles: auth.Roles}
	for _, role := range auth.Roles {
		h := auth.ScopeHint(role)
		if lang == "en" {
			h = auth.ScopeHintEN(role)
		}
		d.Hints = append(d.Hints, scopeHint{Role: role, Hint: h})
	}
	if p.Scope.Kind == auth.ScopeAll {
		d.Scopes = append(d.Scopes, scopeOption{Value: "all", Label: translate(lang, "Whole system")})
	}
	regions, rerr := s.db.AllRegions(ctx, p)
	if rerr != nil {
		return rerr
	}
	for _, reg := range regions {
		d.Scopes = append(d.Scopes, scopeOption{Value: "region:" + reg.Code, Label: reg.Name})
	}
	depts, _, derr := s.db.ListDepartments(ctx, p, "", "", list.Page{Size: list.MaxSize})
	if derr != nil {
		return derr
	}
	for _, dp := range depts {
		d.Scopes = append(d.Scopes, scopeOption{Value: "dept:" + strconv.FormatInt(dp.ID, 10), Label: dp.Name})
	}
	parks, _, perr := s.db.ListParks(ctx, p, "", "", list.Page{Size: list.MaxSize})
	if perr != nil {
		return perr
	}
	for _, pk := range parks {
		d.Scopes = append(d.Scopes, scopeOption{Value: "park:" + strconv.FormatInt(pk.ID, 10), Label: pk.Name})
	}
	if !isNew {
		var e error
		if d.ScopeName, e = s.scopeName(ctx, p, lang, u.Scope); e != nil {
			return e
		}
		if d.Tokens, e = s.db.TokenCount(ctx, u.ID); e != nil {
			return e
		}
		if d.TokenList, e = s.tokenRows(ctx, p, lang, u.ID); e != nil {
			return e
		}
		d.Lifetimes = tokenLifetimes(lang)
	}
	title := "Edit account"
	if isNew {
		title = "New account"
	}
	return s.render(w, r, status, "user_form", title, d, err)
}

func (s *Server) userNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.userForm(w, r, http.StatusOK, auth.User{}, true, nil)
}

// formUser reads the account form over base: fields the form lacks keep their value;
// the disabled box counts only when the form carries the "status" marker.
func formUser(r *http.Request, base auth.User) (auth.User, error) {
	if err := r.ParseForm(); err != nil {
		return base, apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	u := base
	f := r.PostForm
	str := func(key string, dst *string) {
		if v, ok := f[key]; ok {
			*dst = v[0]
		}
	}
	str("username", &u.Username)
	str("display_name", &u.DisplayName)
	str("phone", &u.Phone)
	str("scope", &u.ScopeText)
	if v, ok := f["role"]; ok {
		u.Role = auth.Role(v[0])
	}
	if f.Has("status") {
		u.Disabled = f.Has("disabled")
	}
	return u, nil
}

// secretData is what the one-time page shows: a generated password or a new token.
type secretData struct {
	U        auth.User
	Password string
	Token    string
	Created  bool   // the account was just created
	Back     string // where "Done" leads; the account's page when empty
}

func (s *Server) showSecret(w http.ResponseWriter, r *http.Request, status int, d secretData) error {
	title := "New password"
	switch {
	case d.Token != "":
		title = "New API token"
	case d.Created:
		title = "Account created"
	}
	return s.render(w, r, status, "user_secret", title, d, nil)
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := formUser(r, auth.User{})
	if err != nil {
		return err
	}
	password := r.PostForm.Get("password")
	generated := password == ""
	if generated {
		password = auth.NewPassword()
	}
	created, err := u, s.grantProblems(r.Context(), principal(r), u)
	if err == nil {
		created, err = s.db.CreateUser(r.Context(), principal(r), u, password)
	}
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.userForm(w, r, http.StatusUnprocessableEntity, u, true, err)
	}
	if generated {
		return s.showSecret(w, r, http.StatusOK, secretData{U: created, Password: password, Created: true})
	}
	flash(w, translate(langOf(r), "Account created"))
	http.Redirect(w, r, fmt.Sprintf("/users/%d", created.ID), http.StatusSeeOther)
	return nil
}

// pathUser reads the {id} of the path and loads that user; an account whose scope lies
// outside the administrator's own is not found.
func (s *Server) pathUser(r *http.Request) (auth.User, error) {
	id, err := pathID(r, "用户")
	if err != nil {
		return auth.User{}, err
	}
	return s.db.ManagedUser(r.Context(), principal(r), id)
}

func (s *Server) userEditPage(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	return s.userForm(w, r, http.StatusOK, u, false, nil)
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.pathUser(r)
	if err != nil {
		return err
	}
	u, err := formUser(r, old)
	if err != nil {
		return err
	}
	u.Username = old.Username // the user name never changes
	ctx, p := r.Context(), principal(r)
	updated, err := u, s.grantProblems(ctx, p, u)
	if err == nil {
		updated, err = s.db.UpdateUser(ctx, p, u)
	}
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.userForm(w, r, http.StatusUnprocessableEntity, u, false, err)
	}
	msg := "Changes saved"
	switch {
	case updated.Disabled && !old.Disabled:
		// Disabling ends the sessions and revokes the tokens for good (in the store).
		msg = "Account disabled; its sessions and API tokens no longer work"
	case !updated.Disabled && old.Disabled:
		msg = "Account enabled"
	}
	flash(w, translate(langOf(r), msg))
	http.Redirect(w, r, fmt.Sprintf("/users/%d", updated.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) userPassword(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	password := r.PostForm.Get("password")
	generated := password == ""
	if generated {
		password = auth.NewPassword()
	}
	if err := s.db.SetPassword(r.Context(), principal(r), u.ID, password); err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.userForm(w, r, http.StatusUnprocessableEntity, u, false, err)
	}
	if generated {
		return s.showSecret(w, r, http.StatusOK, secretData{U: u, Password: password})
	}
	flash(w, translate(langOf(r), "Password changed; the user must sign in again"))
	http.Redirect(w, r, fmt.Sprintf("/users/%d", u.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) userToken(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	name, err := auth.TokenName(r.PostForm.Get("token_name"))
	ps := problemsOf(err)
	until, err := auth.TokenExpiry(r.PostForm.Get("token_expires"), s.db.Now())
	ps = append(ps, problemsOf(err)...)
	ps = append(ps, problemsOf(auth.CanIssueToken(u))...)
	// The form's fields are named after the token.
	for i, p := range ps {
		ps[i].Field = map[string]string{"name": "token_name", "user": "token_name", "expires": "token_expires"}[p.Field]
	}
	if err := ps.Err(); err != nil {
		return s.userForm(w, r, http.StatusUnprocessableEntity, u, false, err)
	}
	if name == "" {
		name = "web"
	}
	_, token, err := s.db.IssueToken(r.Context(), principal(r), u.ID, name, until)
	if err != nil {
		return err
	}
	return s.showSecret(w, r, http.StatusOK, secretData{U: u, Token: token})
}

func (s *Server) userTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	tokenID, err := pathTokenID(r)
	if err != nil {
		return err
	}
	t, err := s.db.RevokeToken(r.Context(), principal(r), u.ID, tokenID)
	if err != nil {
		return err
	}
	flash(w, fmt.Sprintf(translate(langOf(r), "Token “%s” revoked: it no longer works"), t.Name))
	http.Redirect(w, r, fmt.Sprintf("/users/%d", u.ID), http.StatusSeeOther)
	return nil
}
