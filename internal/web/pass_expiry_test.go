package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/pass"
	"fugong/internal/policy"
	"fugong/internal/sign"
)

// A pass is signed with the policy's expiry: the gate, the holder's own page and the
// verify page see it; past it the gate refuses the pass, and re-activating renews it with
// a new token (the old one no longer opens the gate).
func TestPassExpiryAndRenewal(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		pol := policy.Default()
		w.appApproved(t)
		before := time.Now()
		p := w.issuedPasses(t, "钱到期")[0]
		var list struct {
			Items []struct {
				ID        int64      `json:"id"`
				IssuedAt  *time.Time `json:"issued_at"`
				ExpiresAt *time.Time `json:"expires_at"`
			} `json:"items"`
		}
		if st := w.api(auth.Enterprise, "GET", "/api/v1/passes", nil, &list); st != http.StatusOK || len(list.Items) != 1 || list.Items[0].ExpiresAt == nil {
			t.Fatalf("passes: %d %+v", st, list)
		}
		expires := *list.Items[0].ExpiresAt
		if want := pass.Expiry(*list.Items[0].IssuedAt, pol.Health, pol.Location()); !expires.Equal(want) {
			t.Fatalf("expires at %v, want %v", expires, want)
		}
		if d := expires.Sub(before); d < time.Duration(pol.Health.PassValidDays-1)*24*time.Hour || d > time.Duration(pol.Health.PassValidDays)*24*time.Hour {
			t.Fatalf("a pass valid %d days expires after %v", pol.Health.PassValidDays, d)
		}
		// The token carries it: a gate checking offline refuses the pass from then on.
		claims, err := sign.NewVerifier(w.signer.PublicKey()).Verify(p.Token, time.Now())
		if err != nil || !claims.ExpiresAt.Equal(expires) {
			t.Fatalf("the token's expiry: %v %v, want %v", claims.ExpiresAt, err, expires)
		}
		if _, err := sign.NewVerifier(w.signer.PublicKey()).Verify(p.Token, expires); err == nil {
			t.Fatal("offline, the token still verifies at its expiry")
		}
		// The verify page names it 出入证 and gives its last day.
		anon := noRedirects()
		last := pass.LastDay(expires, pol.Location())
		page := w.send(t, anon, "GET", "/verify?t="+url.QueryEscape(p.Token), nil, "")
		if !strings.Contains(page.body, "有效 VALID") || !strings.Contains(page.body, "出入证") || strings.Contains(page.body, "通行证") ||
			!strings.Contains(page.body, fmt.Sprintf("%d年%d月%d日", last.Year(), int(last.Month()), last.Day())) || strings.Contains(page.body, "钱") {
			t.Fatalf("verify page of a pass:\n%s", page.body)
		}
		// The holder's own page.
		staff := w.users[auth.Staff]
		if st := w.api(auth.Enterprise, "POST", fmt.Sprintf("/api/v1/employees/%d/account", p.EmployeeID), map[string]any{"user_id": staff.ID}, nil); st != http.StatusOK {
			t.Fatalf("link the staff account: %d", st)
		}
		var me struct {
			State string `json:"state"`
			Allow bool   `json:"allow"`
		}
		if st := w.api(auth.Staff, "GET", "/api/v1/me/pass", nil, &me); st != http.StatusOK || me.State != pass.StateOK || !me.Allow {
			t.Fatalf("my pass: %d %+v", st, me)
		}
		// The holder's page, and the enterprise's list of passes, give the same last day as
		// the verify page (valid through it), never the midnight after it.
		lastZH := fmt.Sprintf("有效期至 %d年%d月%d日", last.Year(), int(last.Month()), last.Day())
		if _, body := w.login(auth.Staff).get("/me"); !strings.Contains(body, lastZH) {
			t.Errorf("the holder's page does not give the pass's last day %q", lastZH)
		}
		if _, body := w.login(auth.Enterprise).get("/passes"); !strings.Contains(body, fmt.Sprintf("%d年%d月%d日", last.Year(), int(last.Month()), last.Day())) {
			t.Errorf("the passes list does not give the pass's last day")
		}
		// Not expired yet: it cannot be renewed.
		renew := "/api/v1/passes/" + itoa(p.ID) + "/reactivate"
		if st := w.api(auth.Enterprise, "POST", renew, nil, nil); st != http.StatusConflict {
			t.Fatalf("renew a pass that has not expired: %d", st)
		}

		// From its expiry on, the gate refuses it and says why; so does the holder's page.
		clock := w.db.Now
		defer func() { w.db.Now = clock }()
		w.db.Now = func() time.Time { return expires.Add(time.Minute) }
		got := w.scan(t, p.Token, 36.5)
		if got.Allow || got.Code != "expired" || !strings.Contains(got.Reason, "出入证已过期") {
			t.Fatalf("scan of an expired pass: %+v", got)
		}
		if st := w.api(auth.Staff, "GET", "/api/v1/me/pass", nil, &me); st != http.StatusOK || me.State != pass.StateExpired || me.Allow {
			t.Fatalf("my expired pass: %d %+v", st, me)
		}
		b := w.login(auth.Enterprise)
		if st, body := b.get("/policy"); st != http.StatusOK || !strings.Contains(body, fmt.Sprintf("出入证有效期</dt><dd>%d 天", pol.Health.PassValidDays)) {
			t.Fatalf("the policy page does not give the pass's validity: %d\n%s", st, body)
		}
		if st, body := b.get("/passes/" + itoa(p.ID)); st != http.StatusOK || !strings.Contains(body, "已过期") || !strings.Contains(body, "续办出入证") {
			t.Fatalf("the page of an expired pass: %d\n%s", st, body)
		}
		if st, body := b.get("/passes"); st != http.StatusOK || !strings.Contains(body, "已过期") {
			t.Fatalf("the list with an expired pass: %d\n%s", st, body)
		}

		// Renewed: a new token with a new expiry from now; the old one stays refused.
		var back struct {
			Status    string     `json:"status"`
			Token     string     `json:"token"`
			ExpiresAt *time.Time `json:"expires_at"`
		}
		if st := w.api(auth.Enterprise, "POST", renew, nil, &back); st != http.StatusOK || back.Status != "active" || back.Token == p.Token ||
			back.ExpiresAt == nil || !back.ExpiresAt.After(expires) {
			t.Fatalf("renew: %d %+v", st, back)
		}
		if got := w.scan(t, back.Token, 36.5); !got.Allow {
			t.Fatalf("scan of the renewed pass: %+v", got)
		}
		if got := w.scan(t, p.Token, 36.5); got.Allow {
			t.Fatalf("scan of the old token after renewal: %+v", got)
		}
		if st := w.api(auth.Staff, "GET", "/api/v1/me/pass", nil, &me); st != http.StatusOK || me.State != pass.StateOK {
			t.Fatalf("my renewed pass: %d %+v", st, me)
		}
	})
}
