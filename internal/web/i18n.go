package web

import (
	"net/http"
	"net/url"
)

// Pages are written with English keys, T "…", and shown in Chinese unless the user
// chose English. catalogZH holds the Chinese text; a test checks that every key used in
// a template has an entry.
func translate(lang, key string) string {
	if lang == "en" {
		return key
	}
	if s, ok := catalogZH[key]; ok {
		return s
	}
	return key
}

// withLang picks the page language: Chinese, unless the user chose English with the
// switch (a cookie) or asks for it with ?lang=en.
func (s *Server) withLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := "zh"
		if c, err := r.Cookie(langCookie); err == nil && c.Value == "en" {
			lang = "en"
		}
		switch r.URL.Query().Get("lang") {
		case "en":
			lang = "en"
		case "zh":
			lang = "zh"
		}
		if ex := exchangeOf(r); ex != nil {
			ex.lang = lang
		}
		next.ServeHTTP(w, r)
	})
}

func langOf(r *http.Request) string {
	if ex := exchangeOf(r); ex != nil && ex.lang != "" {
		return ex.lang
	}
	return "zh"
}

// setLang stores the language choice and returns to the page it came from.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	lang := r.FormValue("lang")
	if lang != "en" {
		lang = "zh"
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
	return nil
}

// safeNext keeps redirects on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || len(next) < 1 || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		return "/"
	}
	return next
}

func urlEscape(s string) string            { return url.QueryEscape(s) }
func urlUnescape(s string) (string, error) { return url.QueryUnescape(s) }
