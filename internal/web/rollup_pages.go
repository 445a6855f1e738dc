package web

import (
	"net/http"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/dashboard"
	"fugong/internal/region"
)

type rollupPageData struct {
	R          dashboard.Rollup
	Today      string
	Lines      []rollupLineView
	CanConfirm bool // the caller's own level, not confirmed yet
	Up         string
}

type rollupLineView struct {
	dashboard.ReportLine
	Drill string
}

func (s *Server) rollupPage(w http.ResponseWriter, r *http.Request) error {
	return s.rollupRender(w, r, http.StatusOK, nil)
}

func (s *Server) rollupRender(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	p := principal(r)
	q := r.URL.Query()
	code, day := strings.TrimSpace(q.Get("region")), strings.TrimSpace(q.Get("day"))
	ro, err := s.db.Dashboard().Rollup(r.Context(), p, code, day)
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		ferr, status = err, http.StatusUnprocessableEntity
		if ro, err = s.db.Dashboard().Rollup(r.Context(), p, code, ""); err != nil {
			return err
		}
	}
	d := rollupPageData{R: ro, Today: s.db.Today(),
		CanConfirm: p.Can(auth.ReportsSummarize) && p.Scope.Kind == auth.ScopeRegion && p.Scope.Region == ro.Region && ro.Summary == nil}
	for _, l := range ro.Lines {
		v := rollupLineView{ReportLine: l}
		if l.Key != ro.Region {
			v.Drill = "/reports/summary?region=" + urlEscape(l.Key) + "&day=" + urlEscape(ro.Day)
		}
		d.Lines = append(d.Lines, v)
	}
	// One level up, while still inside the caller's scope.
	if top := s.db.Dashboard().ScopeRegion(r.Context(), p); ro.Region != "" && len(ro.Region) > len(top) {
		if up := region.Ancestors(ro.Region); len(up) > 0 && len(up[0]) >= len(top) {
			d.Up = "/reports/summary?region=" + urlEscape(up[0]) + "&day=" + urlEscape(ro.Day)
		}
	}
	return s.render(w, r, status, "report_summary", "Daily reports by level", d, ferr)
}

func (s *Server) rollupConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	day := strings.TrimSpace(r.PostFormValue("day"))
	if _, err := s.db.Dashboard().ConfirmSummary(r.Context(), principal(r), day, r.PostFormValue("note")); err != nil {
		if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict {
			q := r.URL.Query()
			q.Set("day", day)
			r.URL.RawQuery = q.Encode()
			status := http.StatusUnprocessableEntity
			if k == apperr.Conflict {
				status = http.StatusConflict
			}
			return s.rollupRender(w, r, status, err)
		}
		return err
	}
	flash(w, translate(langOf(r), "Summary confirmed"))
	http.Redirect(w, r, "/reports/summary?day="+urlEscape(day), http.StatusSeeOther)
	return nil
}
