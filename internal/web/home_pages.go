package web

import (
	"net/http"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/list"
)

type homeData struct {
	Total      int
	Counts     map[enterprise.Status]int
	Statuses   []enterprise.Status
	Enterprise *enterprise.Enterprise // for enterprise-scoped users
	ScopeName  string
	Apps       map[string]int // applications in scope by status
	Open, Mine int            // under review; waiting for the user
	Voice      voiceHome      // the guidance that concerns an enterprise (guidance.go)
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
		if d.Apps, err = s.db.Applications().Count(r.Context(), p); err != nil {
			return err
		}
		for status, n := range d.Apps {
			if application.InReview(status) {
				d.Open += n
			}
		}
		if _, d.Mine, err = s.db.Applications().List(r.Context(), p, application.Filter{Mine: true, Page: list.Page{Size: 1}}); err != nil {
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
	var err error
	if d.Voice, err = s.voiceHome(r); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "home", "Home", d, nil)
}
