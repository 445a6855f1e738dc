package web

import (
	"net/http"

	"fugong/internal/dashboard"
)

// apiDashboard answers GET /api/v1/dashboard: the figures of the caller's scope narrowed
// by region, park, category, unit and day, the four breakdowns and the 30-day trend.
func (s *Server) apiDashboard(w http.ResponseWriter, r *http.Request) error {
	f, err := dashFilter(r)
	if err != nil {
		return err
	}
	rep, err := s.dashLoad(r, f, langOf(r), true)
	if err != nil {
		return err
	}
	if rep.Figures.Sections == nil {
		rep.Figures.Sections = []dashboard.Section{}
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// dashboardSchemas are the OpenAPI schemas of the dashboard's routes; they follow the JSON
// tags of dashboard.Figures, dashboard.Row and the page's dashReport.
func dashboardSchemas() obj {
	row := object("One line of a breakdown: a region one level down (or, below a village, an enterprise), a park (key 0: not in a park), a category or a reviewing unit",
		[]string{"key", "name", "registered", "resumed", "with_notice", "staff", "on_site", "fevers", "reports_confirmed", "reports_due"}, obj{
			"key":               str("Region code, park id, category or unit code"),
			"name":              str(""),
			"registered":        integer("Enterprises registered"),
			"resumed":           integer("Of those, in the status resumed"),
			"with_notice":       integer("Holding a resumption notice in force"),
			"staff":             integer("Employees registered, not left"),
			"on_site":           integer("Employees admitted at a gate on the day"),
			"fevers":            integer("People with a fever or a symptom on the day"),
			"reports_confirmed": integer("Daily reports confirmed for the day (of enterprises asked for one)"),
			"reports_due":       integer("Enterprises asked for a daily report: those allowed to produce"),
		})
	counts := obj{"type": "object", "additionalProperties": obj{"type": "integer"}}
	return obj{
		"Rate":         object("A share: n out of d (d = 0: nothing to share)", []string{"n", "d"}, obj{"n": integer(""), "d": integer("")}),
		"DashboardRow": row,
		"DashboardSection": object("Figures another feature adds (supervision, responsibility)", []string{"key", "title", "title_en", "items"}, obj{
			"key": str(""), "title": str(""), "title_en": str(""),
			"items": array(object("One figure of a section", []string{"label", "label_en", "value"}, obj{
				"label": str(""), "label_en": str(""), "value": integer(""), "link": str("The list behind the figure"), "warn": boolean("Needs attention when not zero"),
			}), ""),
		}),
		"DashboardFigures": object("The dashboard of one level on one day", []string{"day", "registered", "by_status", "with_notice", "staff", "on_site", "phases",
			"readings", "readings_owed", "fevers", "open_followups", "passes", "applications", "overdue_reviews", "reports_confirmed", "reports_due", "supplies_below_reserve"}, obj{
			"day":         date("The day (today when not asked)"),
			"registered":  integer("Enterprises registered by the day's end"),
			"by_status":   withDesc(counts, "Enterprises by status (not_resumed, resumed, suspended, closed)"),
			"with_notice": integer("Enterprises holding a notice in force at the day's end"),
			"staff":       integer("Employees registered (not left) at the day's end"),
			"on_site":     integer("Employees admitted at a gate on the day"),
			"phases": object("Staff by phase of the quarantine clock", []string{"isolating", "monitoring", "cleared", "not_back"}, obj{
				"isolating": integer(""), "monitoring": integer(""), "cleared": integer(""), "not_back": integer("Not returned yet, or advised not to return"),
			}),
			"readings":               integer("Temperature readings taken on the day"),
			"readings_owed":          integer("Readings owed: everyone back, the policy's checks per day"),
			"fevers":                 integer("People with a fever or a symptom on the day"),
			"open_followups":         integer("Fever follow-ups open at the day's end"),
			"passes":                 withDesc(counts, "Entry passes by status, as they stand now"),
			"applications":           withDesc(counts, "Applications by status or stage, as they stand now"),
			"overdue_reviews":        integer("Applications under review past their due time"),
			"reports_confirmed":      integer("Daily reports confirmed for the day"),
			"reports_due":            integer("Enterprises asked for a daily report (allowed to produce)"),
			"supplies_below_reserve": integer("Confirmed reports whose masks last fewer days than the reserve"),
			"sections":               array(ref("DashboardSection"), "Figures of other features"),
		}),
		"Dashboard": object("The dashboard of the caller's scope", []string{"filter", "figures", "rates", "by", "trend"}, obj{
			"filter":  object("The filter applied", nil, obj{"region": str(""), "park": id64(""), "category": str(""), "unit": str(""), "day": date("")}),
			"figures": ref("DashboardFigures"),
			"rates":   object("Resumption rates", []string{"by_enterprises", "by_workers"}, obj{"by_enterprises": ref("Rate"), "by_workers": ref("Rate")}),
			"by": object("Breakdowns", []string{"region", "park", "category", "unit"}, obj{
				"region": array(ref("DashboardRow"), ""), "park": array(ref("DashboardRow"), ""), "category": array(ref("DashboardRow"), ""), "unit": array(ref("DashboardRow"), ""),
			}),
			"trend": array(object("One day of the trend", []string{"day", "by_enterprises", "by_workers", "fevers"}, obj{
				"day": date(""), "by_enterprises": ref("Rate"), "by_workers": ref("Rate"), "fevers": integer(""),
			}), "The last 30 days, oldest first"),
		}),
	}
}

func withDesc(o obj, desc string) obj {
	out := obj{}
	for k, v := range o {
		out[k] = v
	}
	out["description"] = desc
	return out
}
