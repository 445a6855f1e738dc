package web

import (
	"context"
	"net/http"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
)

// Accounts: pages and API. Password hashes never leave the store; a generated password
// or a new API token is shown once, on the page answering the request that made it.

func userFilterOf(r *http.Request) (auth.UserFilter, error) {
	q := r.URL.Query()
	f := auth.UserFilter{Q: strings.TrimSpace(q.Get("q")), Role: q.Get("role"), Page: pageOf(r)}
	return f, f.Check()
}

// checkGrant refuses to give an account a scope beyond the administrator's own.
func (s *Server) checkGrant(ctx context.Context, p auth.Principal, scopeText string) error {
	sc, err := auth.ParseScope(scopeText)
	if err != nil {
		return nil // the store reports the malformed scope
	}
	ok, err := s.db.ScopeCovers(ctx, p, sc)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.NewInvalid("scope", "范围超出了您自己的管辖范围:"+sc.String(), "The scope reaches beyond your own: "+sc.String())
	}
	return nil
}

// grantProblems is checkGrant reporting the account's other problems along with it.
func (s *Server) grantProblems(ctx context.Context, p auth.Principal, u auth.User) error {
	err := s.checkGrant(ctx, p, u.ScopeText)
	if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
		c := u
		return mergeInvalid(e.Problems, c.Validate())
	}
	return err
}
