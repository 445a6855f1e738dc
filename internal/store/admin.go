package store

import (
	"context"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/region"
)

// scopeRegionPrefix returns the code prefix of the region subtree the principal acts in:
// all is true for an unlimited scope; none is true when the scope reaches no region.
func (db *DB) scopeRegionPrefix(ctx context.Context, p auth.Principal) (prefix string, all, none bool, err error) {
	var q string
	switch p.Scope.Kind {
	case auth.ScopeAll:
		return "", true, false, nil
	case auth.ScopeRegion:
		return region.Prefix(p.Scope.Region), false, false, nil
	case auth.ScopeDept:
		q = `SELECT region_code FROM departments WHERE id = ?`
	case auth.ScopePark:
		q = `SELECT region_code FROM parks WHERE id = ?`
	case auth.ScopeEnterprise:
		q = `SELECT region_code FROM enterprises WHERE id = ?`
	default:
		return "", false, true, nil
	}
	var code string
	if err := db.queryRow(ctx, q, p.Scope.ID).Scan(&code); err != nil {
		if isNoRows(err) {
			return "", false, true, nil
		}
		return "", false, false, err
	}
	return region.Prefix(code), false, false, nil
}

// CountEnterprisesIn counts, for each region code, the enterprises in the principal's
// scope that lie in the region's subtree.
func (db *DB) CountEnterprisesIn(ctx context.Context, p auth.Principal, codes []string) (map[string]int, error) {
	out := make(map[string]int, len(codes))
	for _, code := range codes {
		var w where
		if err := db.enterpriseScope(ctx, p, &w); err != nil {
			return nil, err
		}
		regionCond(&w, "e.region_code", code)
		var n int
		if err := db.queryRow(ctx, `SELECT COUNT(*) FROM enterprises e`+w.sql(), w.args...).Scan(&n); err != nil {
			return nil, err
		}
		out[code] = n
	}
	return out, nil
}

// ScopeCovers reports whether scope s lies within the actor's own scope, so that an
// administrator of one region can neither see nor hand out authority beyond it (a
// region-scoped administrator creating an "all" account, say). A scope naming an object
// that does not exist is left for CreateUser and UpdateUser to report.
func (db *DB) ScopeCovers(ctx context.Context, actor auth.Principal, s auth.Scope) (bool, error) {
	prefix, all, none, err := db.scopeRegionPrefix(ctx, actor)
	switch {
	case err != nil:
		return false, err
	case all:
		return true, nil
	case none:
		return false, nil
	}
	var q string
	switch s.Kind {
	case auth.ScopeRegion:
		return strings.HasPrefix(s.Region, prefix), nil
	case auth.ScopeDept:
		q = `SELECT region_code FROM departments WHERE id = ?`
	case auth.ScopePark:
		q = `SELECT region_code FROM parks WHERE id = ?`
	case auth.ScopeEnterprise:
		q = `SELECT region_code FROM enterprises WHERE id = ?`
	default:
		return false, nil
	}
	var code string
	if err := db.queryRow(ctx, q, s.ID).Scan(&code); err != nil {
		if isNoRows(err) {
			return true, nil
		}
		return false, err
	}
	return strings.HasPrefix(code, prefix), nil
}

// ManagedUser returns account id to an administrator (users.manage) whose scope covers
// the account's; any other account is not found, as if it did not exist.
func (db *DB) ManagedUser(ctx context.Context, actor auth.Principal, id int64) (auth.User, error) {
	if !actor.Can(auth.UsersManage) {
		return auth.User{}, apperr.NewNotFound("用户")
	}
	u, err := db.GetUser(ctx, id)
	if err != nil {
		return auth.User{}, err
	}
	ok, err := db.ScopeCovers(ctx, actor, u.Scope)
	if err != nil {
		return auth.User{}, err
	}
	if !ok {
		return auth.User{}, apperr.NewNotFound("用户")
	}
	return u, nil
}
