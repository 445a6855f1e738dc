package web_test

import (
	"net/http"
	"strings"
	"testing"

	"fugong/internal/auth"
)

// No link leads nowhere: from every role's navigation, two clicks deep, every link of our
// own answers — a page, a file or an export — and none a missing page or a server error.
// (A link may lead where the role is refused: a 403 says so; a 404 is a broken link.)
func TestNoBrokenLinks(t *testing.T) {
	worlds(t, brokenLinks)
}

func brokenLinks(t *testing.T, w *world) {
	w.appApproved(t)
	w.issuedPasses(t, "链接员工")
	for _, role := range []auth.Role{auth.Admin, auth.Command, auth.Town, auth.Grid, auth.Park, auth.Enterprise, auth.Staff, auth.Guard, auth.Reviewer} {
		b := w.login(role)
		seen := map[string]bool{}
		from := map[string]string{}
		queue := []string{"/"}
		for depth := 0; depth < 3 && len(queue) > 0; depth++ {
			var next []string
			for _, path := range queue {
				if seen[path] || len(seen) >= 400 {
					continue
				}
				seen[path] = true
				st, body := b.get(path)
				if st == http.StatusNotFound || st >= 500 {
					t.Errorf("%s: %s (linked from %s) answers %d", role, path, from[path], st)
					continue
				}
				if st != http.StatusOK || !strings.Contains(body, "<html") {
					continue
				}
				for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
					link := strings.ReplaceAll(m[1], "&amp;", "&")
					if !seen[link] && !strings.HasPrefix(link, "/static/") {
						next = append(next, link)
						if _, ok := from[link]; !ok {
							from[link] = path
						}
					}
				}
			}
			queue = next
		}
		if len(seen) < 5 {
			t.Errorf("%s: only %d pages reached", role, len(seen))
		}
	}
}
