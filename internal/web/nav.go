package web

import "fugong/internal/auth"

// The top navigation: one table of its links, in groups, each shown to whoever holds its
// permission. A group of which the user sees one link shows as that link; a larger one as
// a menu, so that a county's 25 pages fit on one line of a laptop and none hides past its
// edge.

// navLink is a link of the top navigation, shown when show says so for the signed-in user.
type navLink struct {
	Path, Label string
	show        func(p auth.Principal) bool
}

// navGroup is a group of links under one label (a catalogue key, like the links').
type navGroup struct {
	Label string
	Links []navLink
}

// can shows a link to the holders of perm.
func can(perm auth.Permission) func(auth.Principal) bool {
	return func(p auth.Principal) bool { return p.Can(perm) }
}

func everyone(auth.Principal) bool { return true }

var navGroups = []navGroup{
	{"Home", []navLink{{"/", "Home", everyone}}},
	{"Dashboard", []navLink{{"/dashboard", "Dashboard", can(auth.DashboardView)}}},
	{"Enterprises & filings", []navLink{
		{"/enterprises", "Enterprises", can(auth.EnterprisesView)},
		{"/applications", "Applications", can(auth.AppsView)},
		{"/buses", "Commuter buses", can(auth.AppsView)},
	}},
	{"People & gate", []navLink{
		{"/roster", "Roster", can(auth.RosterView)},
		{"/roster/rooms", "Rooms", can(auth.RosterView)},
		{"/passes", "Entry passes", can(auth.RosterView)},
		{"/health", "Health checks", can(auth.HealthRecord)},
		// Who records no one's temperature sees their own pass, or declares their own.
		{"/me", "My pass", func(p auth.Principal) bool { return !p.Can(auth.HealthRecord) && p.Can(auth.OwnPass) }},
		{"/health/declare", "Declare my temperature", func(p auth.Principal) bool {
			return !p.Can(auth.HealthRecord) && !p.Can(auth.OwnPass) && p.Can(auth.HealthDeclare)
		}},
		{"/gate", "Gate", can(auth.GateScan)},
		{"/grid", "Grid", can(auth.GridDecide)},
	}},
	{"Ledgers & reports", []navLink{
		{"/ledgers", "Ledgers", can(auth.LedgersView)},
		{"/reports/daily", "Daily report", can(auth.LedgersView)},
	}},
	{"Supervision", []navLink{
		{"/supervision", "Inspections", can(auth.SupervisionView)},
		{"/rectifications", "Rectification", can(auth.SupervisionView)},
		{"/hazards", "Hazards", can(auth.SupervisionView)},
		{"/mine", "My enterprises", can(auth.VisitsLog)},
		{"/assignments", "Responsibility", can(auth.AssignView)},
		{"/alerts", "Alerts", can(auth.AlertsView)},
	}},
	{"Services", []navLink{
		{"/tips", "Tips", can(auth.TipsHandle)},
		{"/requests", "Requests", can(auth.RequestsView)},
		{"/appointments", "Appointments", can(auth.AppointmentsView)},
		{"/guidance", "Guidance", everyone},
	}},
	{"Settings", []navLink{
		{"/regions", "Regions", can(auth.RegionsView)},
		{"/parks", "Parks", can(auth.RegionsView)},
		{"/departments", "Departments", can(auth.RegionsView)},
		{"/users", "Users", can(auth.UsersManage)},
		{"/audit", "Audit trail", can(auth.AuditAll)},
		{"/policy", "Policy", can(auth.PolicyView)},
	}},
}

// navShown is a group as the signed-in user sees it: its links, and whether the page
// shown is one of them.
type navShown struct {
	Label string
	Links []navLinkShown
	On    bool
}

type navLinkShown struct {
	Path, Label string
	On          bool
}

// Nav is the top navigation of the signed-in user on this page: the groups with a link
// the user may follow, in order.
func (v view) Nav() []navShown {
	if v.User == nil {
		return nil
	}
	p := v.User.Principal()
	var out []navShown
	for _, g := range navGroups {
		s := navShown{Label: g.Label}
		for _, l := range g.Links {
			if l.show(p) {
				on := l.Path == v.Path
				s.Links = append(s.Links, navLinkShown{Path: l.Path, Label: l.Label, On: on})
				s.On = s.On || on
			}
		}
		if len(s.Links) > 0 {
			out = append(out, s)
		}
	}
	return out
}
