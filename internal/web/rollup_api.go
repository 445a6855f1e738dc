package web

import (
	"net/http"
	"strings"
)

// apiRollup answers GET /api/v1/daily-reports/summary?region=&day=.
func (s *Server) apiRollup(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ro, err := s.db.Dashboard().Rollup(r.Context(), principal(r), strings.TrimSpace(q.Get("region")), strings.TrimSpace(q.Get("day")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ro)
	return nil
}

type summaryInput struct {
	Day  string `json:"day"`
	Note string `json:"note"`
}

// apiRollupConfirm answers POST /api/v1/daily-reports/summary/confirm: the caller's own
// level's summary of a day.
func (s *Server) apiRollupConfirm(w http.ResponseWriter, r *http.Request) error {
	var in summaryInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	sum, err := s.db.Dashboard().ConfirmSummary(r.Context(), principal(r), strings.TrimSpace(in.Day), in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// rollupSchemas are the OpenAPI schemas of the roll-up of daily reports; they follow the
// JSON tags of dashboard.Rollup, ReportLine, Unreported and Summary.
func rollupSchemas() obj {
	line := obj{
		"key": str("Region code"), "name": str(""), "due": integer("Enterprises asked for a report (allowed to produce)"),
		"reported": integer("Of those, confirmed"), "on_site": integer(""), "isolating": integer(""), "monitoring": integer(""), "fevers": integer(""),
		"summarized": boolean("The level below confirmed its own summary"),
	}
	lineReq := []string{"key", "name", "due", "reported", "on_site", "isolating", "monitoring", "fevers", "summarized"}
	return obj{
		"ReportLine": object("One level below, with the reports of its enterprises", lineReq, line),
		"ReportSummary": object("A level's confirmed summary of a day", []string{"region", "day", "due", "reported", "on_site", "isolating", "monitoring", "fevers", "note", "confirmed_by", "confirmed_at"}, obj{
			"region": str(""), "day": date(""), "due": integer(""), "reported": integer(""), "on_site": integer(""), "isolating": integer(""),
			"monitoring": integer(""), "fevers": integer(""), "note": str("Why some enterprises have not reported"), "confirmed_by": str(""), "confirmed_at": stamp(""),
		}),
		"ReportRollup": object("The daily reports of a level on a day (village → town → county)", []string{"region", "region_name", "day", "lines", "total", "unreported"}, obj{
			"region": str("The level (\"\" for the whole installation)"), "region_name": str(""), "day": date(""),
			"lines":      array(ref("ReportLine"), "A line per region one level down (at a village: the village)"),
			"total":      ref("ReportLine"),
			"unreported": array(object("An enterprise asked that has not reported", []string{"enterprise_id", "name", "region_name"}, obj{"enterprise_id": id64(""), "name": str(""), "region_name": str("")}), "At most 500, by name"),
			"summary":    ref("ReportSummary"),
		}),
		"ReportSummaryConfirm": object("Confirm the caller's own level's summary of a day, once; a note is required while some enterprise has not reported", nil, obj{
			"day": date("Today or earlier; today when empty"), "note": str(""),
		}),
	}
}
