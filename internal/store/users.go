package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
)

const userCols = `id, username, display_name, phone, role, scope, disabled, created_at, updated_at`

// scanUser reads the userCols of a row, then the extra columns into extra.
func scanUser(sc interface{ Scan(...any) error }, extra ...any) (auth.User, error) {
	var u auth.User
	err := sc.Scan(append([]any{&u.ID, &u.Username, &u.DisplayName, &u.Phone, &u.Role, &u.ScopeText, &u.Disabled, &u.CreatedAt, &u.UpdatedAt}, extra...)...)
	if err == nil {
		u.Scope, _ = auth.ParseScope(u.ScopeText)
	}
	return u, err
}

// checkScopeTarget verifies that the object a scope names exists.
func (tx *txn) checkScopeTarget(s auth.Scope) error {
	var q string
	var arg any
	switch s.Kind {
	case auth.ScopeAll:
		return nil
	case auth.ScopeRegion:
		q, arg = `SELECT COUNT(*) FROM regions WHERE code = ?`, s.Region
	case auth.ScopeDept:
		q, arg = `SELECT COUNT(*) FROM departments WHERE id = ?`, s.ID
	case auth.ScopePark:
		q, arg = `SELECT COUNT(*) FROM parks WHERE id = ?`, s.ID
	case auth.ScopeEnterprise:
		q, arg = `SELECT COUNT(*) FROM enterprises WHERE id = ?`, s.ID
	}
	var n int
	if err := tx.queryRow(q, arg).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return apperr.NewInvalid("scope", "范围所指的对象不存在:"+s.String(), "The scope names nothing that exists: "+s.String())
	}
	return nil
}

// CreateUser adds an account with the given password (already checked for strength).
func (db *DB) CreateUser(ctx context.Context, actor auth.Principal, u auth.User, password string) (auth.User, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	if err := auth.CheckPasswordStrength(password); err != nil {
		return u, apperr.NewInvalid("password", "密码太弱:至少 8 个字符", "The password is too weak: at least 8 characters")
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return u, err
	}
	err = db.write(ctx, func(tx *txn) error { return tx.insertUser(actor, &u, hash) })
	return u, err
}

// insertUser adds the validated account u with its password hash, audited.
func (tx *txn) insertUser(actor auth.Principal, u *auth.User, hash string) error {
	if err := tx.checkScopeTarget(u.Scope); err != nil {
		return err
	}
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM users WHERE username = ?`, u.Username).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return apperr.NewInvalid("username", "用户名已被使用", "That user name is taken")
	}
	u.CreatedAt, u.UpdatedAt = tx.now(), tx.now()
	var err error
	u.ID, err = tx.insertID(`INSERT INTO users (username, display_name, phone, role, scope, password_hash, disabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Username, u.DisplayName, u.Phone, u.Role, u.ScopeText, hash, u.Disabled, u.CreatedAt, u.UpdatedAt)
	if err != nil {
		return err
	}
	return tx.audit(actor, "user.create", "user", u.ID, map[string]any{
		"username": u.Username, "display_name": u.DisplayName, "role": u.Role, "scope": u.ScopeText})
}

// UpdateUser changes a user's name, phone, role, scope and disabled flag.
func (db *DB) UpdateUser(ctx context.Context, actor auth.Principal, u auth.User) (auth.User, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	err := db.write(ctx, func(tx *txn) error {
		old, err := scanUser(tx.queryRow(`SELECT `+userCols+` FROM users WHERE id = ?`, u.ID))
		if err != nil {
			return notFound(err, "用户")
		}
		if err := tx.checkScopeTarget(u.Scope); err != nil {
			return err
		}
		if old.ID == actor.UserID && (u.Disabled || u.Role != old.Role) {
			return apperr.NewInvalid("role", "不能停用自己或更改自己的角色", "You cannot disable yourself or change your own role")
		}
		u.Username, u.CreatedAt, u.UpdatedAt = old.Username, old.CreatedAt, tx.now()
		if _, err := tx.exec(`UPDATE users SET display_name = ?, phone = ?, role = ?, scope = ?, disabled = ?, updated_at = ? WHERE id = ?`,
			u.DisplayName, u.Phone, u.Role, u.ScopeText, u.Disabled, u.UpdatedAt, u.ID); err != nil {
			return err
		}
		if u.Disabled || u.Role != old.Role || u.ScopeText != old.ScopeText {
			// A changed authority starts from a fresh login.
			if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return err
			}
		}
		summary := diff(map[string][2]any{
			"display_name": {old.DisplayName, u.DisplayName}, "phone": {old.Phone, u.Phone},
			"role": {old.Role, u.Role}, "scope": {old.ScopeText, u.ScopeText}, "disabled": {old.Disabled, u.Disabled}})
		if u.Disabled && !old.Disabled {
			// Tokens are revoked for good: enabling the account again does not revive them.
			res, err := tx.exec(`UPDATE api_tokens SET revoked = TRUE, revoked_at = ? WHERE user_id = ? AND revoked = FALSE`, tx.now(), u.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				summary["tokens_revoked"] = n
			}
		}
		return tx.audit(actor, "user.update", "user", u.ID, summary)
	})
	return u, err
}

// SetPassword replaces a user's password and ends their sessions.
func (db *DB) SetPassword(ctx context.Context, actor auth.Principal, userID int64, password string) error {
	if err := auth.CheckPasswordStrength(password); err != nil {
		return apperr.NewInvalid("password", "密码太弱:至少 8 个字符", "The password is too weak: at least 8 characters")
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *txn) error {
		res, err := tx.exec(`UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, tx.now(), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewNotFound("用户")
		}
		if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		return tx.audit(actor, "user.password", "user", userID, nil)
	})
}

// diff keeps the fields whose value changed, as audit.Change values.
func diff(fields map[string][2]any) map[string]any {
	out := map[string]any{}
	for k, v := range fields {
		if fmt.Sprint(v[0]) != fmt.Sprint(v[1]) {
			out[k] = map[string]any{"from": v[0], "to": v[1]}
		}
	}
	return out
}

// GetUser returns a user by id.
func (db *DB) GetUser(ctx context.Context, id int64) (auth.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	return u, notFound(err, "用户")
}

// GetUserByName returns a user by user name.
func (db *DB) GetUserByName(ctx context.Context, username string) (auth.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE username = ?`, strings.TrimSpace(username)))
	return u, notFound(err, "用户")
}

// ListUsers lists the accounts whose scope lies within the administrator's own.
func (db *DB) ListUsers(ctx context.Context, p auth.Principal, f auth.UserFilter) ([]auth.User, int, error) {
	var w where
	prefix, all, none, err := db.scopeRegionPrefix(ctx, p)
	switch {
	case err != nil:
		return nil, 0, err
	case none:
		w.add("1 = 0")
	case !all:
		like := likeEscape(prefix) + "%"
		w.add(`(scope LIKE ? ESCAPE '\'
			OR EXISTS (SELECT 1 FROM departments d WHERE 'dept:' || d.id = users.scope AND d.region_code LIKE ? ESCAPE '\')
			OR EXISTS (SELECT 1 FROM parks k WHERE 'park:' || k.id = users.scope AND k.region_code LIKE ? ESCAPE '\')
			OR EXISTS (SELECT 1 FROM enterprises e WHERE 'enterprise:' || e.id = users.scope AND e.region_code LIKE ? ESCAPE '\'))`,
			"region:"+like, like, like, like)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + likeEscape(q) + "%"
		w.add(`(username LIKE ? ESCAPE '\' OR display_name LIKE ? ESCAPE '\' OR phone LIKE ? ESCAPE '\' OR scope = ?)`, like, like, like, q)
	}
	if f.Role != "" {
		w.add("role = ?", f.Role)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM users`+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+userCols+` FROM users`+w.sql()+` ORDER BY id`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// Authenticate checks a user name and password from a client address. The throttle
// (auth.Throttle) decides: the attempt is counted as a failure when it begins, and given
// back when the password proves right, so that attempts sent at once are all counted.
func (db *DB) Authenticate(ctx context.Context, username, password, client string) (auth.User, error) {
	username = strings.TrimSpace(username)
	keys := auth.KeysFor(username, client)
	var begun time.Time
	var ifWrong error
	err := db.write(ctx, func(tx *txn) error {
		t, err := tx.throttle(keys)
		if err != nil {
			return err
		}
		next, wrong, err := t.Begin(tx.now())
		if err != nil {
			return err
		}
		begun, ifWrong = tx.now(), wrong
		// Counters quiet for long are worth nothing; they go (on PostgreSQL, those another
		// login holds are left for later: the purge waits for no one).
		purge := `DELETE FROM login_failures WHERE last_at < ?`
		if tx.engine() == Postgres {
			purge = `DELETE FROM login_failures WHERE key IN (SELECT key FROM login_failures WHERE last_at < ? FOR UPDATE SKIP LOCKED)`
		}
		if _, err := tx.exec(purge, auth.Stale(tx.now())); err != nil {
			return err
		}
		return tx.saveThrottle(keys, next)
	})
	if err != nil {
		return auth.User{}, err
	}
	var hash string
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+`, password_hash FROM users WHERE username = ?`, username), &hash)
	ok := false
	switch {
	case isNoRows(err):
		auth.CheckNoUser(password)
	case err != nil:
		return auth.User{}, err
	default:
		ok = auth.CheckPassword(hash, password) && !u.Disabled
	}
	if !ok {
		return auth.User{}, ifWrong
	}
	err = db.write(ctx, func(tx *txn) error {
		t, err := tx.throttle(keys)
		if err != nil {
			return err
		}
		return tx.saveThrottle(keys, t.Succeed(tx.now(), begun))
	})
	if err != nil {
		return auth.User{}, err
	}
	return u, nil
}

// throttle reads the counters of a login. SQLite has one writer; on PostgreSQL each row is
// made if missing and locked until the transaction ends, in the same order in every
// login, so that concurrent attempts queue, the first ones on a new name included.
func (tx *txn) throttle(keys auth.ThrottleKeys) (auth.Throttle, error) {
	read := func(key string) (auth.Counter, error) {
		var c auth.Counter
		var until sql.NullTime
		q := `SELECT failures, last_at, wait_until FROM login_failures WHERE key = ?`
		if tx.engine() == Postgres {
			if _, err := tx.exec(`INSERT INTO login_failures (key, failures, last_at) VALUES (?, 0, ?) ON CONFLICT DO NOTHING`, key, tx.now()); err != nil {
				return c, err
			}
			q += ` FOR UPDATE`
		}
		err := tx.queryRow(q, key).Scan(&c.Failures, &c.Last, &until)
		if isNoRows(err) {
			return auth.Counter{}, nil
		}
		c.Until = until.Time
		return c, err
	}
	var t auth.Throttle
	var err error
	if t.Name, err = read(keys.Name); err != nil {
		return t, err
	}
	if t.Pair, err = read(keys.Pair); err != nil {
		return t, err
	}
	t.Client, err = read(keys.Client)
	return t, err
}

// saveThrottle writes the counters of a login; an empty one is deleted.
func (tx *txn) saveThrottle(keys auth.ThrottleKeys, t auth.Throttle) error {
	for _, kc := range []struct {
		key string
		c   auth.Counter
	}{{keys.Name, t.Name}, {keys.Pair, t.Pair}, {keys.Client, t.Client}} {
		var err error
		if kc.c.Zero() {
			_, err = tx.exec(`DELETE FROM login_failures WHERE key = ?`, kc.key)
		} else {
			var until any
			if !kc.c.Until.IsZero() {
				until = kc.c.Until.UTC()
			}
			_, err = tx.exec(`INSERT INTO login_failures (key, failures, last_at, wait_until) VALUES (?, ?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at, wait_until = excluded.wait_until`,
				kc.key, kc.c.Failures, kc.c.Last.UTC(), until)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// session is a session's user and expiry, as kept by the memo.
type session struct {
	user    auth.User
	expires time.Time
}

// CreateSession starts a session for the user and returns the cookie value.
func (db *DB) CreateSession(ctx context.Context, u auth.User, addr, userAgent string) (string, error) {
	secret := auth.NewSecret("fgs_", 32)
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	err := db.write(ctx, func(tx *txn) error {
		if _, err := tx.exec(`DELETE FROM sessions WHERE expires_at < ?`, tx.now()); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?)`,
			auth.HashSecret(secret), u.ID, tx.now(), tx.now().Add(auth.SessionTTL), addr, userAgent); err != nil {
			return err
		}
		return tx.audit(u.Principal(), "auth.login", "user", u.ID, map[string]any{"addr": addr})
	})
	return secret, err
}

// SessionUser returns the user of a live session.
func (db *DB) SessionUser(ctx context.Context, secret string) (auth.User, error) {
	hash, now := auth.HashSecret(secret), db.Now()
	se, found, err := remember(db, "session "+hash, func() (session, bool, error) {
		var se session
		var err error
		se.user, err = scanUser(db.queryRow(ctx, sqlSessionUser, hash, now), &se.expires)
		if isNoRows(err) {
			return se, false, nil
		}
		return se, err == nil, err
	})
	if err != nil {
		return auth.User{}, err
	}
	if !found || !now.Before(se.expires) {
		return auth.User{}, apperr.NewUnauthorized()
	}
	return se.user, nil
}

// DeleteSession ends a session (logout).
func (db *DB) DeleteSession(ctx context.Context, secret string) error {
	return db.write(ctx, func(tx *txn) error {
		_, err := tx.exec(`DELETE FROM sessions WHERE token_hash = ?`, auth.HashSecret(secret))
		return err
	})
}
