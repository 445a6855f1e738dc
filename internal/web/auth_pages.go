package web

import (
	"net/http"
	"strconv"

	"fugong/internal/apperr"
	"fugong/internal/auth"
)

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
		if secs, ok := auth.RetryAfter(err); ok {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		return s.render(w, r, status, "login", "Sign in", loginData{Next: r.FormValue("next"), Username: username}, err)
	}
	secret, err := s.db.CreateSession(r.Context(), u, clientAddr(r), r.UserAgent())
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: s.secure || r.TLS != nil,
		SameSite: http.SameSiteLaxMode, MaxAge: int(auth.SessionTTL.Seconds())})
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
