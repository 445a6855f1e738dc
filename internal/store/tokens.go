package store

import (
	"context"
	"database/sql"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/list"
)

// API tokens: issued to an account with an expiry, listed without their secret, revoked
// one by one. Only the hash of a token is stored. The rules (default and longest life,
// "never", the state of a token) are package auth's.

const tokenCols = `id, user_id, name, created_at, last_used_at, expires_at, revoked, revoked_at`

// scanToken reads the tokenCols of a row; the state is the one at now.
func scanToken(sc interface{ Scan(...any) error }, now time.Time) (auth.Token, error) {
	var t auth.Token
	var last, expires, revoked sql.NullTime
	err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &last, &expires, &t.Revoked, &revoked)
	t.CreatedAt = t.CreatedAt.UTC()
	t.LastUsedAt, t.ExpiresAt, t.RevokedAt = utcOrNil(last), utcOrNil(expires), utcOrNil(revoked)
	t.State = auth.TokenState(t.Revoked, t.ExpiresAt, now)
	return t, err
}

func utcOrNil(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// nullTimePtr is a nullable timestamp argument.
func nullTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// userInScope returns the account with the id when its scope lies within the actor's;
// any other account is not found.
func (db *DB) userInScope(ctx context.Context, actor auth.Principal, userID int64) (auth.User, error) {
	u, err := db.GetUser(ctx, userID)
	if err != nil {
		return u, err
	}
	ok, err := db.ScopeCovers(ctx, actor, u.Scope)
	if err != nil {
		return u, err
	}
	if !ok {
		return auth.User{}, apperr.NewNotFound("用户")
	}
	return u, nil
}

// IssueToken issues an API token for an account in the actor's scope, expiring at
// expires (nil: never, see auth.TokenExpiry), audited. It returns the token as listed and
// its secret, which is shown this once.
func (db *DB) IssueToken(ctx context.Context, actor auth.Principal, userID int64, name string, expires *time.Time) (auth.Token, string, error) {
	name, err := auth.TokenName(name)
	if err != nil {
		return auth.Token{}, "", err
	}
	u, err := db.userInScope(ctx, actor, userID)
	if err != nil {
		return auth.Token{}, "", err
	}
	if err := auth.CanIssueToken(u); err != nil {
		return auth.Token{}, "", err
	}
	secret := auth.NewSecret("fgt_", 32)
	var t auth.Token
	err = db.write(ctx, func(tx *txn) error {
		id, err := tx.insertID(`INSERT INTO api_tokens (user_id, token_hash, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			userID, auth.HashSecret(secret), name, tx.now(), nullTimePtr(expires))
		if err != nil {
			return err
		}
		if t, err = scanToken(tx.queryRow(`SELECT `+tokenCols+` FROM api_tokens WHERE id = ?`, id), tx.now()); err != nil {
			return err
		}
		summary := map[string]any{"token_id": id, "name": name, "expires_at": auth.NeverExpires}
		if expires != nil {
			summary["expires_at"] = t.ExpiresAt
		}
		return tx.audit(actor, "token.create", "user", userID, summary)
	})
	if err != nil {
		return auth.Token{}, "", err
	}
	return t, secret, nil
}

// Tokens lists the API tokens of an account in the actor's scope, newest first, with
// how many there are.
func (db *DB) Tokens(ctx context.Context, actor auth.Principal, userID int64, page list.Page) ([]auth.Token, int, error) {
	if _, err := db.userInScope(ctx, actor, userID); err != nil {
		return nil, 0, err
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM api_tokens WHERE user_id = ?`, userID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`+limit(page), userID)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	now := db.Now()
	out := []auth.Token{}
	for rows.Next() {
		t, err := scanToken(rows, now)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, t)
	}
	return out, total, rows.Err()
}

// RevokeToken revokes one API token of an account in the actor's scope, audited; it
// stops working at once on this instance (the memo forgets it with the write). Revoking
// a revoked token again changes nothing and records nothing.
func (db *DB) RevokeToken(ctx context.Context, actor auth.Principal, userID, tokenID int64) (auth.Token, error) {
	if _, err := db.userInScope(ctx, actor, userID); err != nil {
		return auth.Token{}, err
	}
	var t auth.Token
	err := db.write(ctx, func(tx *txn) error {
		var err error
		t, err = scanToken(tx.queryRow(`SELECT `+tokenCols+` FROM api_tokens WHERE id = ? AND user_id = ?`, tokenID, userID), tx.now())
		if err != nil {
			return notFound(err, "令牌")
		}
		if t.Revoked {
			return nil
		}
		if _, err := tx.exec(`UPDATE api_tokens SET revoked = TRUE, revoked_at = ? WHERE id = ?`, tx.now(), tokenID); err != nil {
			return err
		}
		now := tx.now()
		t.Revoked, t.RevokedAt, t.State = true, &now, auth.TokenRevoked
		return tx.audit(actor, "token.revoke", "user", userID, map[string]any{"token_id": tokenID, "name": t.Name})
	})
	return t, err
}

// TokenCount counts a user's API tokens that work now.
func (db *DB) TokenCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM api_tokens WHERE user_id = ? AND revoked = FALSE AND (expires_at IS NULL OR expires_at > ?)`,
		userID, db.Now()).Scan(&n)
	return n, err
}

// tokenHit is what the memo keeps of a token: its user and what is checked on every
// request.
type tokenHit struct {
	user    auth.User
	id      int64
	expires *time.Time
}

// TokenUser returns the user an API token belongs to. A revoked token, an expired one or
// one of a disabled account is refused; the expiry is checked on every call, also when
// the answer is remembered. The time the token was last used is written at most once an
// hour (auth.TokenTouchEvery), outside the memo's way.
func (db *DB) TokenUser(ctx context.Context, secret string) (auth.User, error) {
	hash, now := auth.HashSecret(secret), db.Now()
	hit, found, err := remember(db, "token "+hash, func() (tokenHit, bool, error) {
		var h tokenHit
		var expires, last sql.NullTime
		var err error
		h.user, err = scanUser(db.queryRow(ctx, sqlTokenUser, hash), &h.id, &expires, &last)
		if isNoRows(err) {
			return h, false, nil
		}
		if err != nil {
			return h, false, err
		}
		h.expires = utcOrNil(expires)
		if auth.TokenLive(h.expires, now) && auth.TouchDue(utcOrNil(last), now) {
			err = db.writeGrouped(ctx, func(tx *txn) error {
				_, err := tx.exec(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, tx.now(), h.id)
				return err
			})
		}
		return h, err == nil, err
	})
	if err != nil {
		return auth.User{}, err
	}
	if !found || !auth.TokenLive(hit.expires, now) {
		return auth.User{}, apperr.NewUnauthorized()
	}
	return hit.user, nil
}
