package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/dashboard"
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
	Alerts     homeAlerts     // alerts not acknowledged yet (alerts_pages.go)
	// Work is today's figures of the user's own scope (nil for staff and guards): what
	// the home's cards show.
	Work *dashboard.Figures
	// Cards are the user's work as figures with the list behind each: an enterprise's
	// fevers, passes waiting, report and supplies; a grid leader's passes to approve and
	// readings owed; a town's and the command's headline figures and what is overdue.
	Cards []dashCard
	// Blocks are what other features add to the home page (orders to answer): see
	// homeBlocks.
	Blocks []homeBlock
	Voice  voiceHome // the guidance that concerns an enterprise (guidance.go)
}

// homeBlock is a section another feature adds to the home page: a title and figures, or
// lines with links.
type homeBlock struct {
	Key   string
	Title string // catalogue key, or text in the user's language
	Cards []dashCard
	Lines []dashCrumb // Name, Link
}

// more ends a block that lists the first of n things with a link to all of them (format
// names the count), when there are more than it lists.
func (b *homeBlock) more(lang, format string, n int, link string) {
	if n > len(b.Lines) {
		b.Lines = append(b.Lines, dashCrumb{Name: fmt.Sprintf(translate(lang, format), n), Link: link})
	}
}

// dueLine is a block's line of a thing with a deadline: what it is, then the deadline.
func (s *Server) dueLine(lang, what string, due time.Time) string {
	return what + " · " + translate(lang, "Deadline") + " " + due.In(s.pol.Location()).Format("2006-01-02 15:04")
}

// homeBlocks are the blocks features add to the home page, in order: each returns its
// block for the user, or ok false to show none.
func (s *Server) homeBlocks() []func(r *http.Request, p auth.Principal) (homeBlock, bool, error) {
	return []func(*http.Request, auth.Principal) (homeBlock, bool, error){
		s.ordersHomeBlock,  // rectification orders to answer or to verify (rectifications_pages.go)
		s.hazardsHomeBlock, // hazards to rectify or to accept (hazards_pages.go)
	}
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
	var err error
	if d.Alerts, err = s.homeAlerts(r); err != nil {
		return err
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
	if p.Role != auth.Staff && p.Role != auth.Guard && p.Can(auth.EnterprisesView) {
		fig, err := s.db.Dashboard().Work(r.Context(), p)
		if err != nil {
			return err
		}
		d.Work = &fig
		d.Cards = s.homeCards(r, p, fig)
	}
	for _, b := range s.homeBlocks() {
		blk, ok, err := b(r, p)
		if err != nil {
			return err
		}
		if ok {
			for i := range blk.Cards {
				blk.Cards[i].Label = translate(langOf(r), blk.Cards[i].Label)
			}
			d.Blocks = append(d.Blocks, blk)
		}
	}
	if d.Voice, err = s.voiceHome(r); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "home", "Home", d, nil)
}

// homeCards are the user's work as figures, by role.
func (s *Server) homeCards(r *http.Request, p auth.Principal, f dashboard.Figures) []dashCard {
	lang := langOf(r)
	n := strconv.Itoa
	day := f.Day
	var cards []dashCard
	switch {
	case p.Role == auth.Enterprise || p.Scope.Kind == auth.ScopeEnterprise:
		report := dashCard{Label: "Today's daily report", Value: translate(lang, "Confirmed"), Link: "/reports/daily?date=" + urlEscape(day)}
		switch {
		case f.ReportsDue == 0:
			report.Value = translate(lang, "Not asked")
		case f.ReportsMissing() > 0:
			report.Value, report.Warn = translate(lang, "Not yet confirmed"), true
		}
		cards = []dashCard{
			{Label: "Fevers today", Value: n(f.Fevers), Link: "/health", Warn: f.Fevers > 0},
			{Label: "Open follow-ups", Value: n(f.Followups), Link: "/health", Warn: f.Followups > 0},
			{Label: "Passes waiting for approval", Value: n(f.Passes["requested"]), Link: "/passes?status=requested", Warn: f.Passes["requested"] > 0},
			{Label: "Passes suspended", Value: n(f.Passes["suspended"]), Link: "/passes?status=suspended", Warn: f.Passes["suspended"] > 0},
			{Label: "Readings today", Value: n(f.Readings), Sub: translate(lang, "owed") + " " + n(f.Owed), Link: "/health", Warn: f.Readings < f.Owed},
			report,
			{Label: "Supplies below the reserve days", Value: yesNo(lang, f.LowCover > 0), Link: "/ledgers/supplies", Warn: f.LowCover > 0},
		}
	case p.Role == auth.Grid:
		cards = []dashCard{
			{Label: "Passes waiting for approval", Value: n(f.Passes["requested"]), Link: "/passes?status=requested", Warn: f.Passes["requested"] > 0},
			{Label: "Readings today", Value: n(f.Readings), Sub: translate(lang, "owed") + " " + n(f.Owed), Link: "/reports/daily?date=" + urlEscape(day), Warn: f.Readings < f.Owed},
			{Label: "Fevers today", Value: n(f.Fevers), Link: "/followups", Warn: f.Fevers > 0},
			{Label: "Daily reports missing", Value: n(f.ReportsMissing()), Sub: n(f.Reports) + " / " + n(f.ReportsDue), Link: "/reports/summary", Warn: f.ReportsMissing() > 0},
		}
	default:
		cards = []dashCard{
			{Label: "Resumption rate by enterprises", Value: f.ByEnterprises().String(), Sub: n(f.WithNotice) + " / " + n(f.Registered), Link: "/dashboard"},
			{Label: "Resumption rate by workers", Value: f.ByWorkers().String(), Sub: n(f.OnSite) + " / " + n(f.Staff), Link: "/dashboard"},
			{Label: "Fevers today", Value: n(f.Fevers), Link: "/followups", Warn: f.Fevers > 0},
			{Label: "Overdue reviews", Value: n(f.Overdue), Link: "/applications?overdue=1", Warn: f.Overdue > 0},
			{Label: "Daily reports missing", Value: n(f.ReportsMissing()), Sub: n(f.Reports) + " / " + n(f.ReportsDue), Link: "/reports/summary", Warn: f.ReportsMissing() > 0},
		}
		if p.Can(auth.PassesApprove) {
			cards = append(cards, dashCard{Label: "Passes waiting for approval", Value: n(f.Passes["requested"]), Link: "/passes?status=requested", Warn: f.Passes["requested"] > 0})
		}
	}
	for i := range cards {
		cards[i].Label = translate(lang, cards[i].Label)
		if !s.mayOpen(p, cards[i].Link) {
			cards[i].Link = ""
		}
	}
	return cards
}

func yesNo(lang string, b bool) string {
	if b {
		return translate(lang, "Yes")
	}
	return translate(lang, "No")
}
