package web

import (
	"net/http"
	"strconv"

	"fugong/internal/auth"
)

// enterpriseOverview fills the enterprise's one view: today's fevers, passes, readings
// and report, and links to its applications, notice, roster, passes, ledgers, daily
// reports, gate log and temperatures — only those the user may open.
func (s *Server) enterpriseOverview(r *http.Request, d *enterpriseData) error {
	p, lang := principal(r), langOf(r)
	id := strconv.FormatInt(d.E.ID, 10)
	fig, noticeID, serial, err := s.db.Dashboard().Enterprise(r.Context(), p, d.E.ID)
	if err != nil {
		return err
	}
	n := strconv.Itoa
	report := translate(lang, "Not asked")
	switch {
	case fig.ReportsDue > 0 && fig.ReportsMissing() > 0:
		report = translate(lang, "Not yet confirmed")
	case fig.ReportsDue > 0:
		report = translate(lang, "Confirmed")
	}
	d.Cards = []dashCard{
		{Label: "Staff registered", Value: n(fig.Staff), Link: "/roster?enterprise=" + id},
		{Label: "On site today", Value: n(fig.OnSite), Link: "/registers/gate?enterprise=" + id},
		{Label: "Readings today", Value: n(fig.Readings), Sub: translate(lang, "owed") + " " + n(fig.Owed), Link: "/registers/temperature?enterprise=" + id, Warn: fig.Readings < fig.Owed},
		{Label: "Fevers today", Value: n(fig.Fevers), Link: "/registers/temperature?fever=1&enterprise=" + id, Warn: fig.Fevers > 0},
		{Label: "Passes active", Value: n(fig.Passes["active"]), Link: "/passes?status=active&enterprise=" + id},
		{Label: "Passes waiting for approval", Value: n(fig.Passes["requested"]), Link: "/passes?status=requested&enterprise=" + id, Warn: fig.Passes["requested"] > 0},
		{Label: "Today's daily report", Value: report, Link: "/reports/daily", Warn: fig.ReportsMissing() > 0},
	}
	links := []dashCrumb{
		{Name: "Applications", Link: "/applications?enterprise=" + id},
		{Name: "Roster", Link: "/roster?enterprise=" + id},
		{Name: "Entry passes", Link: "/passes?enterprise=" + id},
		{Name: "Ledgers", Link: "/ledgers?enterprise=" + id},
		{Name: "Gate register", Link: "/registers/gate?enterprise=" + id},
		{Name: "Temperature register", Link: "/registers/temperature?enterprise=" + id},
		{Name: "Commuter buses", Link: "/buses?enterprise=" + id},
	}
	if noticeID != 0 {
		links = append([]dashCrumb{{Name: translate(lang, "Resumption notice") + " " + serial, Link: "/notices/" + strconv.FormatInt(noticeID, 10)}}, links...)
	}
	links = append(links, supervisionLinks(id)...)    // inspections, orders, hazards
	links = append(links, responsibilityLinks(id)...) // 包保 officials, requests
	for i := range d.Cards {
		d.Cards[i].Label = translate(lang, d.Cards[i].Label)
		if !s.mayOpen(p, d.Cards[i].Link) {
			d.Cards[i].Link = ""
		}
	}
	for _, l := range links {
		if l.Link == "" || s.mayOpenPrefix(p, l.Link) {
			d.Links = append(d.Links, dashCrumb{Name: translate(lang, l.Name), Link: l.Link})
		}
	}
	return nil
}

// mayOpenPrefix is mayOpen for links to an object page (/notices/7): the route of the
// table whose path, with its value, matches.
func (s *Server) mayOpenPrefix(p auth.Principal, href string) bool {
	if s.mayOpen(p, href) {
		for _, rt := range s.routes {
			if rt.Method == http.MethodGet && len(href) > 9 && href[:9] == "/notices/" && rt.Path == "/notices/{id}" {
				return p.Can(rt.Perm)
			}
		}
		return true
	}
	return false
}
