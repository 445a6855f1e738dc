package web_test

import (
	"net/http"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// navOf is the paths the top navigation of a page links to, in order, and how many of
// them sit in a menu.
func navOf(t *testing.T, page string) (paths []string, inMenus int) {
	t.Helper()
	i, j := strings.Index(page, `<nav class="nav">`), strings.Index(page, `</nav>`)
	if i < 0 || j < i {
		t.Fatal("no top navigation on the page")
	}
	nav := page[i:j]
	for _, m := range hrefRE.FindAllStringSubmatch(nav, -1) {
		paths = append(paths, m[1])
	}
	for _, menu := range strings.Split(nav, `<div class="menu-links">`)[1:] {
		inMenus += len(hrefRE.FindAllString(menu[:strings.Index(menu, `</div>`)], -1))
	}
	return paths, inMenus
}

// Every role's navigation links each page it may open once, and each link opens: a group
// the role sees one page of is that link, a larger one a menu (nav.go). The county's
// command reaches the public's and enterprises' pages too, which used to sit past the
// edge of a laptop's screen.
func TestNavigationReachesEveryPage(t *testing.T) {
	w := newWorld(t, storetest.Open(t, store.SQLite))
	want := map[auth.Role][]string{
		auth.Command: {"/", "/dashboard", "/enterprises", "/applications", "/buses", "/roster", "/roster/rooms", "/passes",
			"/ledgers", "/reports/daily", "/supervision", "/rectifications", "/hazards", "/assignments", "/alerts",
			"/tips", "/requests", "/appointments", "/guidance", "/regions", "/parks", "/departments", "/policy"},
		auth.Staff: {"/", "/enterprises", "/me", "/guidance", "/policy"},
	}
	for _, role := range []auth.Role{auth.Admin, auth.Command, auth.Reviewer, auth.Town, auth.Grid, auth.Park, auth.Enterprise, auth.Staff, auth.Guard} {
		b := w.login(role)
		st, home := b.get("/")
		if st != http.StatusOK {
			t.Fatalf("%s: home %d", role, st)
		}
		paths, inMenus := navOf(t, home)
		if len(paths) == 0 || paths[0] != "/" {
			t.Errorf("%s: navigation %v, want the home page first", role, paths)
		}
		seen := map[string]bool{}
		for _, p := range paths {
			if seen[p] {
				t.Errorf("%s: %s linked twice", role, p)
			}
			seen[p] = true
			if st, _ := b.get(p); st != http.StatusOK {
				t.Errorf("%s: the navigation links %s, which answers %d", role, p, st)
			}
		}
		if exp, ok := want[role]; ok {
			for _, p := range exp {
				if !seen[p] {
					t.Errorf("%s: %s missing from the navigation %v", role, p, paths)
				}
			}
		}
		// A menu holds two links or more; more than nine top-level items would not fit.
		if top := len(paths) - inMenus; top > 9 {
			t.Errorf("%s: %d items on the top line (%v)", role, top, paths)
		}
		if strings.Count(home, `<details class="menu">`)*2 > inMenus {
			t.Errorf("%s: a menu with fewer than two links", role)
		}
	}
	// A visitor's public pages lead to the sign-in page.
	anon := &browser{w: w, c: &http.Client{}}
	if st, page := anon.get("/report"); st != http.StatusOK || !strings.Contains(page, `<a href="/login">登录</a>`) {
		t.Errorf("the public tip form: %d, a link to sign in %t", st, strings.Contains(page, `<a href="/login">`))
	}
	// A page that does not exist says so inside the signed-in user's navigation.
	if st, page := w.login(auth.Command).get("/no-such-page"); st != http.StatusNotFound || !strings.Contains(page, `<nav class="nav">`) {
		t.Errorf("a missing page: %d, navigation shown %t", st, strings.Contains(page, `<nav class="nav">`))
	}
	// The page shown is marked, and so is the menu that holds it.
	_, page := w.login(auth.Command).get("/requests")
	i := strings.Index(page, `<nav class="nav">`)
	nav := page[i : i+strings.Index(page[i:], `</nav>`)]
	if !strings.Contains(nav, `<a href="/requests" class="on" aria-current="page">`) || !strings.Contains(nav, `<summary class="on">诉求与服务</summary>`) {
		t.Errorf("the requests page does not mark itself in the navigation: %s", nav)
	}
}
