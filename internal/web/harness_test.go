package web_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/enterprise"
	"fugong/internal/pgtest"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/sign"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
	"fugong/internal/web"
	"fugong/internal/xlsx"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// world is a running server over a seeded database: a county with two towns, a park in
// town A, a department, one enterprise in each town, and one user per role whose scope
// lies in town A (or on its objects).
type world struct {
	t      testing.TB
	db     *store.Store
	signer *sign.Signer // the server's key
	box    *crypt.Box   // the server's sealing key
	logs   lockedBuffer // what the server logged (level info and above)
	srv    *web.Server
	ts     *httptest.Server
	ctx    context.Context
	townA  string // region codes
	townB  string
	parkA  int64
	deptA  int64
	entA   int64 // enterprise in town A (in park A)
	entB   int64 // enterprise in town B
	tokens map[auth.Role]string
	users  map[auth.Role]auth.User
}

const testPassword = "test-password-1"

// uscc makes a valid credit code from a serial number.
func uscc(t testing.TB, n int) string {
	t.Helper()
	first := fmt.Sprintf("91330402MA%07d", n)
	c, err := enterprise.USCCCheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

func newWorld(t testing.TB, raw *store.DB) *world {
	t.Helper()
	ctx := context.Background()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, box := sign.NewSigner(key), crypt.NewRandom()
	db := store.New(raw, store.Config{Policy: policy.Default(), Signer: signer, Box: box})
	w := &world{t: t, db: db, signer: signer, box: box, ctx: ctx, townA: "330402001", townB: "330402002", tokens: map[auth.Role]string{}, users: map[auth.Role]auth.User{}}
	sys := auth.System
	if _, _, err := db.SaveRegions(ctx, sys, []region.Region{{Code: "330402", Name: "示范县"}, {Code: w.townA, Name: "甲镇"},
		{Code: w.townB, Name: "乙街道"}, {Code: "330402001001", Name: "一村"}}); err != nil {
		t.Fatal(err)
	}
	pk, err := db.SavePark(ctx, sys, region.Park{Name: "甲镇工业园", RegionCode: w.townA, Operator: "甲园物业"})
	if err != nil {
		t.Fatal(err)
	}
	w.parkA = pk.ID
	pol := policy.Default()
	dept, err := db.SaveDepartment(ctx, sys, region.Department{Name: "甲镇经贸办", RegionCode: w.townA}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.deptA = dept.ID
	cat := pol.Categories[0].Code
	ea, err := db.CreateEnterprise(ctx, sys, enterprise.Enterprise{Name: "甲镇精密机械有限公司", USCC: uscc(t, 1), Category: cat, RegionCode: "330402001001", ParkID: pk.ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	eb, err := db.CreateEnterprise(ctx, sys, enterprise.Enterprise{Name: "乙街道便民超市", USCC: uscc(t, 2), Category: cat, RegionCode: w.townB}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.entA, w.entB = ea.ID, eb.ID
	scopes := map[auth.Role]string{
		auth.Admin: "all", auth.Command: "region:330402", auth.Reviewer: fmt.Sprintf("dept:%d", dept.ID),
		auth.Town: "region:" + w.townA, auth.Grid: "region:330402001001", auth.Park: fmt.Sprintf("park:%d", pk.ID),
		auth.Enterprise: fmt.Sprintf("enterprise:%d", ea.ID), auth.Staff: fmt.Sprintf("enterprise:%d", ea.ID),
		auth.Guard: fmt.Sprintf("enterprise:%d", ea.ID),
	}
	for _, role := range auth.Roles {
		u, err := db.CreateUser(ctx, sys, auth.User{Username: string(role), DisplayName: "测试" + string(role), Role: role, ScopeText: scopes[role]}, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		w.users[role] = u
		if w.tokens[role], err = storetest.Token(ctx, db.DB, sys, u.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	w.srv, err = web.New(web.Config{DB: raw, Policy: pol, Logger: slog.New(slog.NewTextHandler(&w.logs, nil)), Version: "test", Signer: signer, Crypt: box,
		MetricsToken: testMetricsToken})
	if err != nil {
		t.Fatal(err)
	}
	w.ts = httptest.NewServer(w.srv)
	t.Cleanup(w.ts.Close)
	return w
}

// worlds runs fn on a seeded server over each engine.
func worlds(t *testing.T, fn func(t *testing.T, w *world)) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) { fn(t, newWorld(t, db)) })
}

// api calls the JSON API as role ("" for no token) and decodes the answer into out
// (when not nil). It returns the status code.
func (w *world) api(role auth.Role, method, path string, body any, out any) int {
	w.t.Helper()
	token := ""
	if role != "" {
		token = w.tokens[role]
	}
	return w.appAPI(token, method, path, body, out)
}

// browser is a cookie-keeping client signed in as role.
type browser struct {
	w *world
	c *http.Client
}

func (w *world) login(role auth.Role) *browser {
	w.t.Helper()
	return w.loginAs(string(role), testPassword)
}

// loginAs signs in with a user name and password, as a browser does.
func (w *world) loginAs(username, password string) *browser {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	b := &browser{w: w, c: c}
	status, _ := b.post("/login", url.Values{"username": {username}, "password": {password}})
	if status != http.StatusSeeOther {
		w.t.Fatalf("login as %s: status %d", username, status)
	}
	return b
}

func (b *browser) get(path string) (int, string) {
	b.w.t.Helper()
	resp, err := b.c.Get(b.w.ts.URL + path)
	if err != nil {
		b.w.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	// A value a template could not format ("%!f(*float64=…)") is a bug on any page.
	if strings.Contains(resp.Header.Get("Content-Type"), "text/html") && strings.Contains(string(body), "%!") {
		i := strings.Index(string(body), "%!")
		b.w.t.Errorf("GET %s: badly formatted value: …%s…", path, body[max(0, i-40):min(len(body), i+60)])
	}
	return resp.StatusCode, string(body)
}

// post submits a form as a same-origin browser would.
func (b *browser) post(path string, form url.Values) (int, string) {
	b.w.t.Helper()
	req, _ := http.NewRequest("POST", b.w.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.w.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.c.Do(req)
	if err != nil {
		b.w.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusSeeOther {
		return resp.StatusCode, resp.Header.Get("Location")
	}
	return resp.StatusCode, string(body)
}

// lockedBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// exported downloads the export at path as b and reads its rows: the cells under the
// headers named, keyed by header.
func exported(t *testing.T, b *browser, path string, headers ...string) []map[string]string {
	t.Helper()
	resp, err := b.c.Get(b.w.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("%s: %d %v", path, resp.StatusCode, resp.Header)
	}
	cols := make([]xlsx.Column, len(headers))
	for i, h := range headers {
		cols[i] = xlsx.Column{Key: h, Header: h, Required: true}
	}
	var out []map[string]string
	if err := xlsx.Read(resp.Body, cols, func(r xlsx.Row) error {
		out = append(out, maps.Clone(r.Values))
		return nil
	}, nil); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}
