package auth

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
)

// API tokens: each is issued to one account with an expiry chosen then, and is revoked
// one by one (or all at once when the account is disabled). Only its hash is stored; the
// listing shows everything but the secret.

const (
	// DefaultTokenDays is how long a token lives when nothing else is asked for.
	DefaultTokenDays = 90
	// MaxTokenDays bounds a token's life in days; a token that never expires is given only
	// when "never" is asked for explicitly.
	MaxTokenDays = 365
	// NeverExpires is the word that asks for a token without expiry.
	NeverExpires = "never"
	// MaxTokenName bounds the label saying what a token is for, in characters.
	MaxTokenName = 64
	// TokenTouchEvery is how stale a token's "last used" may grow before it is written
	// again: the time is kept to the hour, so that a busy token costs one write an hour.
	TokenTouchEvery = time.Hour
)

// States of a token.
const (
	TokenActive  = "active"
	TokenExpired = "expired"
	TokenRevoked = "revoked"
)

// TokenStateNames are the Chinese and English words of the states.
var TokenStateNames = map[string][2]string{
	TokenActive:  {"有效", "Active"},
	TokenExpired: {"已过期", "Expired"},
	TokenRevoked: {"已撤销", "Revoked"},
}

// Token is an API token as an administrator sees it: never its secret.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"` // null when never used; kept to the hour
	ExpiresAt  *time.Time `json:"expires_at"`   // null when it never expires
	Revoked    bool       `json:"revoked"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	State      string     `json:"state"` // active, expired, revoked (at the time of the answer)
}

// TokenLive reports whether a token that is not revoked and expires at expires (nil:
// never) works at now. A token is expired from the instant of its expiry onward.
func TokenLive(expires *time.Time, now time.Time) bool {
	return expires == nil || now.Before(*expires)
}

// TokenState is the state of a token at now.
func TokenState(revoked bool, expires *time.Time, now time.Time) string {
	switch {
	case revoked:
		return TokenRevoked
	case !TokenLive(expires, now):
		return TokenExpired
	}
	return TokenActive
}

// TouchDue reports whether a token last used at last (nil: never) should have its time
// of use written at now.
func TouchDue(last *time.Time, now time.Time) bool {
	return last == nil || now.Sub(*last) >= TokenTouchEvery
}

// TokenExpiry reads how long a new token lives, as an administrator writes it: "" for the
// default (DefaultTokenDays), "90d" or "90" for a number of days from 1 to MaxTokenDays,
// or "never". It returns the instant the token expires at, counted from now (to the
// second), or nil for a token that never expires.
func TokenExpiry(s string, now time.Time) (*time.Time, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == NeverExpires {
		return nil, nil
	}
	days := DefaultTokenDays
	if s != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil || strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
			return nil, apperr.NewInvalid("expires", "有效期应写成天数,例如 90d,或写 never(永不过期)",
				"Write the lifetime as a number of days such as 90d, or never")
		}
		if n < 1 || n > MaxTokenDays {
			return nil, apperr.NewInvalid("expires", "有效期应为 1 至 "+strconv.Itoa(MaxTokenDays)+" 天,或写 never(永不过期)",
				"The lifetime must be 1 to "+strconv.Itoa(MaxTokenDays)+" days, or never")
		}
		days = n
	}
	t := now.Add(time.Duration(days) * 24 * time.Hour).Truncate(time.Second)
	return &t, nil
}

// TokenName checks and trims the label of a new token; "" stays "" (the caller names it).
func TokenName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > MaxTokenName {
		return name, apperr.NewInvalid("name", "令牌用途最多 64 个字", "The token's label can have at most 64 characters")
	}
	return name, nil
}

// TokenLabel is TokenName where a label is required (a token issued through the API): an
// account's tokens are told apart, and revoked, by what they are for.
func TokenLabel(name string) (string, error) {
	name, err := TokenName(name)
	if err == nil && name == "" {
		err = apperr.NewInvalid("name", "请写明令牌用途", "Say what the token is for")
	}
	return name, err
}

// CanIssueToken refuses a token for a disabled account.
func CanIssueToken(u User) error {
	if u.Disabled {
		return apperr.NewInvalid("user", "账号已停用,不能签发令牌", "The account is disabled; no token can be issued")
	}
	return nil
}
