package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/store"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status, code := "ok", http.StatusOK
	if err := s.db.Ping(ctx); err != nil {
		status, code = "database unavailable", http.StatusServiceUnavailable
	}
	writeJSON(w, code, map[string]any{"status": status, "engine": s.db.Engine, "version": s.version,
		"policy_version": s.pol.Version, "uptime_seconds": int(time.Since(s.started).Seconds())})
	return nil
}

type loginData struct{ Next, Username string }

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if user(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "login", "Sign in", loginData{Next: r.URL.Query().Get("next")}, nil)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	username, password := r.FormValue("username"), r.FormValue("password")
	u, err := s.db.Authenticate(r.Context(), username, password, clientAddr(r))
	if err != nil {
		status := statusOf[apperr.KindOf(err)]
		if apperr.KindOf(err) == apperr.Internal {
			return err
		}
		return s.render(w, r, status, "login", "Sign in", loginData{Next: r.FormValue("next"), Username: username}, err)
	}
	secret, err := s.db.CreateSession(r.Context(), u, clientAddr(r), r.UserAgent())
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: s.secure || r.TLS != nil,
		SameSite: http.SameSiteLaxMode, MaxAge: int(store.SessionTTL.Seconds())})
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.db.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, user(r))
	return nil
}

type homeData struct {
	Total      int
	Counts     map[enterprise.Status]int
	Statuses   []enterprise.Status
	Enterprise *enterprise.Enterprise // for enterprise-scoped users
	ScopeName  string
	Apps       map[string]int // applications in scope by status
	Open, Mine int            // under review; waiting for the user
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	d := homeData{Statuses: enterprise.Statuses}
	if auth.Can(p.Role, auth.EnterprisesView) {
		var err error
		if d.Counts, d.Total, err = s.db.CountEnterprises(r.Context(), p); err != nil {
			return err
		}
	}
	if auth.Can(p.Role, auth.AppsView) {
		var err error
		if d.Apps, err = s.db.CountApplications(r.Context(), p); err != nil {
			return err
		}
		for status, n := range d.Apps {
			if application.InReview(status) {
				d.Open += n
			}
		}
		if _, d.Mine, err = s.db.ListApplications(r.Context(), s.pol, p, store.AppFilter{Mine: true, Page: store.Page{Size: 1}}); err != nil {
			return err
		}
	}
	switch p.Scope.Kind {
	case auth.ScopeEnterprise:
		if e, err := s.db.GetEnterprise(r.Context(), p, p.Scope.ID); err == nil {
			d.Enterprise, d.ScopeName = &e, e.Name
		}
	case auth.ScopeRegion:
		if reg, err := s.db.GetRegion(r.Context(), p, p.Scope.Region); err == nil {
			d.ScopeName = reg.Name
		}
	case auth.ScopePark:
		if pk, err := s.db.GetPark(r.Context(), p, p.Scope.ID); err == nil {
			d.ScopeName = pk.Name
		}
	case auth.ScopeDept:
		if dp, err := s.db.GetDepartment(r.Context(), p, p.Scope.ID); err == nil {
			d.ScopeName = dp.Name
		}
	case auth.ScopeAll:
		d.ScopeName = translate(langOf(r), "Whole system")
	}
	return s.render(w, r, http.StatusOK, "home", "Home", d, nil)
}

// pager links the pages of a list, keeping the current filters.
type pager struct {
	Number, Pages, Total, Size int
	path                       string
	query                      url.Values
}

func newPager(r *http.Request, page store.Page, total int) pager {
	if page.Size <= 0 {
		page.Size = 20
	}
	if page.Number <= 0 {
		page.Number = 1
	}
	pages := (total + page.Size - 1) / page.Size
	return pager{Number: page.Number, Pages: pages, Total: total, Size: page.Size, path: r.URL.Path, query: r.URL.Query()}
}

// Link is the address of page n with the same filters.
func (p pager) Link(n int) string {
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return p.path + "?" + q.Encode()
}

// pageOf reads page and size from the query.
func pageOf(r *http.Request) store.Page {
	q := r.URL.Query()
	return store.Page{Number: intValue(q.Get("page")), Size: intValue(q.Get("size"))}
}
