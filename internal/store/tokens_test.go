package store_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// API tokens carry an expiry, are listed without their secret and revoked one by one;
// an expired or revoked token is refused at once, also when its user is remembered.
func TestTokenLifecycle(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		seed(t, db)
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: "robot-a", Role: auth.Town, ScopeText: "region:330402001"}, "correct horse")
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now().UTC()
		db.Now = func() time.Time { return start }
		day, _ := auth.TokenExpiry("1d", start)
		short, shortSecret, err := db.IssueToken(ctx, auth.System, u.ID, " 东门平板 ", day)
		if err != nil {
			t.Fatal(err)
		}
		if short.Name != "东门平板" || short.State != auth.TokenActive || short.ExpiresAt == nil || !short.ExpiresAt.Equal(*day) || short.UserID != u.ID {
			t.Fatalf("issued: %+v", short)
		}
		forever, foreverSecret, err := db.IssueToken(ctx, auth.System, u.ID, "backup", nil)
		if err != nil || forever.ExpiresAt != nil {
			t.Fatalf("a token that never expires: %+v %v", forever, err)
		}
		plainSecret, err := storetest.Token(ctx, db, auth.System, u.ID, "default")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{shortSecret, foreverSecret, plainSecret} {
			if got, err := db.TokenUser(ctx, s); err != nil || got.ID != u.ID {
				t.Fatalf("token works: %+v %v", got, err)
			}
		}

		// The listing: newest first, the default lifetime, the use recorded, no secret.
		toks, n, err := db.Tokens(ctx, auth.System, u.ID, list.Page{})
		if err != nil || n != 3 || len(toks) != 3 || toks[0].Name != "default" || toks[2].ID != short.ID {
			t.Fatalf("tokens: %d %+v %v", n, toks, err)
		}
		if want := start.Add(auth.DefaultTokenDays * 24 * time.Hour).Truncate(time.Second); toks[0].ExpiresAt == nil || !toks[0].ExpiresAt.Equal(want) {
			t.Fatalf("default expiry %v, want %v", toks[0].ExpiresAt, want)
		}
		for _, tk := range toks {
			if tk.LastUsedAt == nil || !tk.LastUsedAt.Equal(start.Truncate(time.Microsecond)) {
				t.Errorf("token %s: last used %v, want %v", tk.Name, tk.LastUsedAt, start)
			}
		}
		b, _ := json.Marshal(toks)
		for _, s := range []string{shortSecret, foreverSecret, plainSecret, auth.HashSecret(shortSecret)} {
			if strings.Contains(string(b), s) {
				t.Fatalf("the listing shows a secret or its hash: %s", b)
			}
		}

		// Past its expiry the short token is refused at once, although remembered.
		db.Now = func() time.Time { return start.Add(24 * time.Hour) }
		if _, err := db.TokenUser(ctx, shortSecret); apperr.KindOf(err) != apperr.Unauthorized {
			t.Fatalf("expired token: %v", err)
		}
		if _, err := db.TokenUser(ctx, foreverSecret); err != nil {
			t.Fatalf("the token without expiry: %v", err)
		}
		if n, err := db.TokenCount(ctx, u.ID); err != nil || n != 2 {
			t.Fatalf("live tokens after one expired: %d %v", n, err)
		}
		toks, _, _ = db.Tokens(ctx, auth.System, u.ID, list.Page{})
		if toks[2].State != auth.TokenExpired || toks[1].State != auth.TokenActive {
			t.Fatalf("states: %+v", toks)
		}

		// Revoking one token stops it at once on this instance, and leaves the others.
		if _, err := db.TokenUser(ctx, plainSecret); err != nil { // remembered now
			t.Fatal(err)
		}
		rev, err := db.RevokeToken(ctx, auth.System, u.ID, toks[0].ID)
		if err != nil || !rev.Revoked || rev.State != auth.TokenRevoked || rev.RevokedAt == nil {
			t.Fatalf("revoke: %+v %v", rev, err)
		}
		if _, err := db.TokenUser(ctx, plainSecret); apperr.KindOf(err) != apperr.Unauthorized {
			t.Fatalf("revoked token: %v", err)
		}
		if _, err := db.TokenUser(ctx, foreverSecret); err != nil {
			t.Fatalf("another token of the user: %v", err)
		}
		// Again: nothing changes, nothing is recorded.
		again, err := db.RevokeToken(ctx, auth.System, u.ID, toks[0].ID)
		if err != nil || !again.RevokedAt.Equal(*rev.RevokedAt) {
			t.Fatalf("revoke twice: %+v %v", again, err)
		}
		entries, _, err := db.ListAudit(ctx, audit.Filter{ObjectType: "user", Action: "token."})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			if e.ObjectID == strconv.FormatInt(u.ID, 10) {
				actions = append(actions, e.Action)
			}
		}
		if strings.Join(actions, " ") != "token.revoke token.create token.create token.create" {
			t.Fatalf("audit: %v", actions)
		}

		// Another user's token, or one that does not exist, is not found.
		other, err := db.CreateUser(ctx, auth.System, auth.User{Username: "town-b2", Role: auth.Town, ScopeText: "region:330402002"}, "correct horse")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RevokeToken(ctx, auth.System, other.ID, forever.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("revoke through another user: %v", err)
		}
		if _, err := db.RevokeToken(ctx, auth.System, u.ID, 999999); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("revoke a token that does not exist: %v", err)
		}
		// An administrator of town B neither sees nor touches town A's accounts.
		adminB := auth.Principal{Role: auth.Admin, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: "330402002"}}
		if _, _, err := db.Tokens(ctx, adminB, u.ID, list.Page{}); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("town B lists town A's tokens: %v", err)
		}
		if _, err := db.RevokeToken(ctx, adminB, u.ID, forever.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("town B revokes town A's token: %v", err)
		}
		if _, _, err := db.IssueToken(ctx, adminB, u.ID, "x", nil); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("town B issues a token for town A: %v", err)
		}
		if _, _, err := db.Tokens(ctx, adminB, other.ID, list.Page{}); err != nil {
			t.Fatalf("town B lists its own account's tokens: %v", err)
		}
		// A label too long, or a disabled account, is refused and nothing is written.
		if _, _, err := db.IssueToken(ctx, auth.System, u.ID, strings.Repeat("长", auth.MaxTokenName+1), nil); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("long label: %v", err)
		}
		u.Disabled = true
		if _, err := db.UpdateUser(ctx, auth.System, u); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.IssueToken(ctx, auth.System, u.ID, "x", nil); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("token for a disabled account: %v", err)
		}
		toks, n, _ = db.Tokens(ctx, auth.System, u.ID, list.Page{})
		if n != 3 {
			t.Fatalf("refused tokens were written: %d", n)
		}
		for _, tk := range toks {
			if tk.State != auth.TokenRevoked || tk.RevokedAt == nil {
				t.Errorf("after disabling the account: %+v", tk)
			}
		}
	})
}
