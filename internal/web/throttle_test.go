package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/policy"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
	"fugong/internal/web"
)

// proxied is a server behind a reverse proxy at 10.0.0.1, over a seeded world's database,
// whose clock stands still (a wait never ends by itself during the test).
type proxied struct {
	t   *testing.T
	w   *world
	srv *web.Server
}

func newProxied(t *testing.T, raw *store.DB) *proxied {
	w := newWorld(t, raw)
	fixed := time.Now().UTC()
	raw.Now = func() time.Time { return fixed }
	proxies, err := auth.ParseProxies("10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{DB: raw, Policy: policy.Default(), Logger: slog.New(slog.NewTextHandler(&w.logs, nil)), Version: "test",
		Signer: w.signer, Crypt: w.box, TrustedProxies: proxies})
	if err != nil {
		t.Fatal(err)
	}
	return &proxied{t: t, w: w, srv: srv}
}

// login posts the login form from peer (host:port), with an X-Forwarded-For header
// when forwarded is not empty.
func (p *proxied) login(peer, forwarded, username, password string) *httptest.ResponseRecorder {
	p.t.Helper()
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"username": {username}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = peer
	if forwarded != "" {
		req.Header.Set("X-Forwarded-For", forwarded)
	}
	rec := httptest.NewRecorder()
	p.srv.ServeHTTP(rec, req)
	return rec
}

// viaProxy is a login from client through the proxy.
func (p *proxied) viaProxy(client, username, password string) *httptest.ResponseRecorder {
	return p.login("10.0.0.1:40000", client, username, password)
}

// signedIn checks that an answer signed the user in: a redirect with a session cookie
// that opens the user's own JSON record.
func (p *proxied) signedIn(rec *httptest.ResponseRecorder, username string) {
	p.t.Helper()
	if rec.Code != http.StatusSeeOther {
		p.t.Fatalf("login as %s: %d %s", username, rec.Code, rec.Body.String())
	}
	req := httptest.NewRequest("GET", "/api/v1/me", nil)
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	me := httptest.NewRecorder()
	p.srv.ServeHTTP(me, req)
	if me.Code != http.StatusOK || !strings.Contains(me.Body.String(), `"username":"`+username+`"`) {
		p.t.Fatalf("the session of %s: %d %s", username, me.Code, me.Body.String())
	}
}

// waits checks a 429 answer: its Retry-After and the wait in its message.
func (p *proxied) waits(rec *httptest.ResponseRecorder, what string) int {
	p.t.Helper()
	secs, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	if rec.Code != http.StatusTooManyRequests || err != nil || secs < 1 {
		p.t.Fatalf("%s: %d, Retry-After %q; want 429 with a wait", what, rec.Code, rec.Header().Get("Retry-After"))
	}
	if body := rec.Body.String(); !strings.Contains(body, fmt.Sprintf("请 %d 秒后再试", secs)) && !strings.Contains(body, "分钟后再试") {
		p.t.Fatalf("%s: the page does not say the wait of %d s:\n%s", what, secs, body)
	}
	return secs
}

// Behind the proxy every request comes from the proxy's address; the clients are told
// apart by the X-Forwarded-For the proxy writes.
func TestLoginBehindProxy(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, raw *store.DB) {
		p := newProxied(t, raw)
		const stranger = "203.0.113.66"

		// 20 wrong passwords from one client, on many names, admin among them.
		for i := 0; i < 20; i++ {
			name := fmt.Sprintf("nobody%02d", i)
			if i%5 == 0 {
				name = "admin"
			}
			if rec := p.viaProxy(stranger, name, "guess-"+strconv.Itoa(i)); rec.Code != http.StatusUnauthorized {
				t.Fatalf("wrong password %d: %d", i+1, rec.Code)
			}
		}
		// Another client behind the same proxy signs in with its right password.
		p.signedIn(p.viaProxy("198.51.100.7", string(auth.Town), testPassword), string(auth.Town))
		// The guesser itself now waits after each failure, and while it waits even a
		// right password is refused.
		p.waits(p.viaProxy(stranger, "nobody99", "guess"), "the 21st failure")
		p.waits(p.viaProxy(stranger, string(auth.Grid), testPassword), "the guesser's right password while it waits")

		// Strangers at many addresses guess at admin; one of them keeps at it.
		for i := 1; i <= 8; i++ {
			p.viaProxy(fmt.Sprintf("203.0.113.%d", i), "admin", "admin123")
		}
		for i := 0; i < 10; i++ {
			rec := p.viaProxy("203.0.113.1", "admin", "password")
			if rec.Code != http.StatusTooManyRequests {
				t.Fatalf("the persistent stranger's guess %d: %d", i+1, rec.Code)
			}
			p.waits(rec, "the persistent stranger")
		}
		// The administrator still signs in, from its own address.
		p.signedIn(p.viaProxy("198.51.100.10", "admin", testPassword), "admin")

		// A client that is no trusted proxy cannot pick its address: X-Forwarded-For from
		// it is ignored, so changing it does not escape the waits.
		for i := 0; i < auth.NameFree; i++ {
			if rec := p.login("198.51.100.99:5000", fmt.Sprintf("192.0.2.%d", i), string(auth.Staff), "guess"); rec.Code != http.StatusUnauthorized {
				t.Fatalf("direct guess %d: %d", i+1, rec.Code)
			}
		}
		p.waits(p.login("198.51.100.99:5000", "192.0.2.200", string(auth.Staff), "guess"), "a direct guesser naming a new address")
		p.waits(p.login("198.51.100.99:5001", "192.0.2.201", string(auth.Staff), testPassword), "the direct guesser's right password")
		// Nor can a client behind the proxy, by sending a header of its own that the
		// proxy extends: only the address the proxy adds is believed.
		p.waits(p.viaProxy("192.0.2.77, "+stranger, string(auth.Grid), testPassword), "the guesser behind the proxy naming another address")
	})
}

// Without trusted proxies X-Forwarded-For is ignored, and the operator is told once that
// it arrives: behind a proxy every client would count as the proxy.
func TestForwardedWithoutTrustedProxies(t *testing.T) {
	w := newWorld(t, storetest.Open(t, store.SQLite))
	for i := 0; i < 3; i++ {
		req := httptest.NewRequest("GET", "/login", nil)
		req.RemoteAddr = "10.0.0.1:40000"
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		w.srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	if n := strings.Count(w.logs.String(), "no trusted proxies are set"); n != 1 {
		t.Errorf("the warning is logged %d times; want once:\n%s", n, w.logs.String())
	}
}
