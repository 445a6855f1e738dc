package main

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fugong/internal/sign"
)

func verifyCommand() *command {
	return &command{
		name:    "verify",
		zh:      "核验凭证",
		summary: "Verify the signed token of a notice, letter or pass",
		details: `
Checks the Ed25519 signature of a token (the text in a notice's QR code, or the whole
verification URL) with a public key, offline. The key is --key (the base64url text from
/api/v1/public-key, or a PEM file), or else the signing key in --data. With --online URL
the server at URL is asked too, which also tells whether the document was revoked.
Exit code 0 when the token is valid (and, online, not revoked), 1 otherwise.`,
		examples: []string{
			"fugong verify FG1.xxxx.yyyy",
			"fugong verify --key MCowBQYDK2VwAyEA... 'https://fugong.example/verify?t=FG1.xxxx.yyyy'",
			"fugong verify --online https://fugong.example FG1.xxxx.yyyy",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			key := fs.String("key", "", "public `key`: base64url text or a PEM file (default: the signing key in --data)")
			data := fs.String("data", a.env("FUGONG_DATA", "./data"), "data `directory` holding signing-key.pem (env FUGONG_DATA)")
			online := fs.String("online", "", "base `URL` of a Fugong server to ask about revocation")
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("give exactly one token")
				}
				pub, err := loadPublicKey(*key, *data)
				if err != nil {
					return err
				}
				claims, err := sign.NewVerifier(pub).Verify(args[0], time.Now())
				if err != nil {
					zh, en := sign.Message(err)
					fmt.Fprintf(a.stdout, "INVALID 无效: %s / %s\n", zh, en)
					return exitCode(exitFail)
				}
				expires := "never: valid until revoked 至撤销为止长期有效"
				if !claims.ExpiresAt.IsZero() {
					expires = claims.ExpiresAt.Format(time.RFC3339)
				}
				fmt.Fprintf(a.stdout, "VALID 有效 (offline): %s %s\n  subject: %s (id %d)\n  issued:  %s\n  expires: %s\n  key:     %s\n",
					claims.Kind.Label(), claims.Serial, claims.Subject, claims.SubjectID, claims.IssuedAt.Format(time.RFC3339), expires, claims.KeyID)
				if *online == "" {
					return nil
				}
				revoked, reason, err := askOnline(ctx, *online, args[0])
				if err != nil {
					return err
				}
				if revoked {
					fmt.Fprintf(a.stdout, "REVOKED 已撤销 (online): %s\n", reason)
					return exitCode(exitFail)
				}
				fmt.Fprintln(a.stdout, "not revoked 未撤销 (online)")
				return nil
			}
		},
	}
}

// loadPublicKey reads --key, or derives the public key from the data directory's signing key.
func loadPublicKey(key, data string) (ed25519.PublicKey, error) {
	if key != "" {
		if b, err := os.ReadFile(key); err == nil {
			key = string(b)
		}
		return sign.ParsePublicKey(strings.TrimSpace(key))
	}
	path := filepath.Join(data, "signing-key.pem")
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no --key given and no signing key at %s", path)
	}
	s, err := sign.LoadOrCreateKey(path)
	if err != nil {
		return nil, err
	}
	return s.PublicKey(), nil
}

// askOnline asks a server's verification API whether the token's document is revoked.
func askOnline(ctx context.Context, base, token string) (revoked bool, reason string, err error) {
	u := strings.TrimRight(base, "/") + "/api/v1/verify?token=" + url.QueryEscape(token)
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false, "", fmt.Errorf("online check: %w", err)
	}
	defer resp.Body.Close()
	var v struct {
		Valid        bool   `json:"valid"`
		Code         string `json:"code"`
		Message      string `json:"message"`
		RevokeReason string `json:"revoke_reason"`
	}
	if resp.StatusCode != http.StatusOK {
		return false, "", fmt.Errorf("online check: %s answered %s", base, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return false, "", fmt.Errorf("online check: %w", err)
	}
	if v.Code == "revoked" {
		// A pass suspended or revoked has no reason to give: its message says so.
		return true, cmp.Or(v.RevokeReason, v.Message), nil
	}
	if !v.Valid {
		return false, "", errors.New("online check: the server does not accept the token: " + v.Message)
	}
	return false, "", nil
}
