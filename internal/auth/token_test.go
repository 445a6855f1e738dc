package auth

import (
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
)

func TestTokenExpiry(t *testing.T) {
	now := time.Date(2020, 2, 10, 8, 30, 0, 999, time.UTC)
	days := func(n int) *time.Time {
		t := now.Add(time.Duration(n) * 24 * time.Hour).Truncate(time.Second)
		return &t
	}
	for _, c := range []struct {
		in      string
		want    *time.Time
		problem string // part of the Chinese message when refused
	}{
		{"", days(DefaultTokenDays), ""},
		{"90d", days(90), ""},
		{" 30D ", days(30), ""},
		{"7", days(7), ""},
		{"1d", days(1), ""},
		{"365d", days(MaxTokenDays), ""},
		{"never", nil, ""},
		{"NEVER", nil, ""},
		{"0d", nil, "1 至 365 天"},
		{"366d", nil, "1 至 365 天"},
		{"-5d", nil, "天数"},
		{"+5d", nil, "天数"},
		{"3w", nil, "天数"},
		{"90 days", nil, "天数"},
		{"d", nil, "天数"},
		{"forever", nil, "天数"},
	} {
		got, err := TokenExpiry(c.in, now)
		if c.problem != "" {
			e, ok := apperr.As(err)
			if !ok || e.Kind != apperr.Invalid || len(e.Problems) != 1 || e.Problems[0].Field != "expires" ||
				!strings.Contains(e.Problems[0].Message, c.problem) || e.Problems[0].MessageEN == "" {
				t.Errorf("TokenExpiry(%q) = %v, %v; want a problem with expires saying %q", c.in, got, err, c.problem)
			}
			continue
		}
		if err != nil || (got == nil) != (c.want == nil) || got != nil && !got.Equal(*c.want) {
			t.Errorf("TokenExpiry(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestTokenState(t *testing.T) {
	now := time.Date(2020, 2, 10, 8, 30, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	for _, c := range []struct {
		name    string
		revoked bool
		expires *time.Time
		want    string
	}{
		{"never expires", false, nil, TokenActive},
		{"expires later", false, at(time.Second), TokenActive},
		{"expires at this instant", false, at(0), TokenExpired},
		{"expired", false, at(-time.Hour), TokenExpired},
		{"revoked", true, at(time.Hour), TokenRevoked},
		{"revoked and expired", true, at(-time.Hour), TokenRevoked},
		{"revoked, never expires", true, nil, TokenRevoked},
	} {
		if got := TokenState(c.revoked, c.expires, now); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
		if live := TokenLive(c.expires, now); !c.revoked && live != (c.want == TokenActive) {
			t.Errorf("%s: live %v", c.name, live)
		}
		if _, ok := TokenStateNames[c.want]; !ok {
			t.Errorf("state %s has no name", c.want)
		}
	}
}

func TestTouchDue(t *testing.T) {
	now := time.Date(2020, 2, 10, 8, 30, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	for _, c := range []struct {
		last *time.Time
		want bool
	}{
		{nil, true},
		{at(-TokenTouchEvery), true},
		{at(-TokenTouchEvery + time.Second), false},
		{at(0), false},
	} {
		if got := TouchDue(c.last, now); got != c.want {
			t.Errorf("TouchDue(%v) = %v, want %v", c.last, got, c.want)
		}
	}
}

func TestTokenName(t *testing.T) {
	if n, err := TokenName("  东门测温平板 "); err != nil || n != "东门测温平板" {
		t.Fatalf("TokenName: %q %v", n, err)
	}
	if _, err := TokenName(strings.Repeat("门", MaxTokenName)); err != nil {
		t.Fatalf("64 characters: %v", err)
	}
	if _, err := TokenName(strings.Repeat("门", MaxTokenName+1)); apperr.KindOf(err) != apperr.Invalid {
		t.Fatalf("65 characters: %v", err)
	}
	if err := CanIssueToken(User{Disabled: true}); apperr.KindOf(err) != apperr.Invalid {
		t.Fatalf("disabled account: %v", err)
	}
	if err := CanIssueToken(User{}); err != nil {
		t.Fatalf("enabled account: %v", err)
	}
}

func TestTokenLabel(t *testing.T) {
	if n, err := TokenLabel("  门岗平板 "); err != nil || n != "门岗平板" {
		t.Errorf("TokenLabel = %q, %v", n, err)
	}
	for _, bad := range []string{"", "   ", strings.Repeat("令", MaxTokenName+1)} {
		if _, err := TokenLabel(bad); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("TokenLabel(%q) accepted", bad)
		}
	}
}
