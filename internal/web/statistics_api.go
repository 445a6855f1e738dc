package web

import (
	"net/http"

	"fugong/internal/dashboard"
)

type statisticsAnswer struct {
	Day  string              `json:"day"`
	Rows []dashboard.StatRow `json:"rows"`
}

// apiStatistics answers GET /api/v1/statistics/resumption?day=&region=: the rows of the
// 复工统计表, subtotals and the total last (region "" and category "" on the total).
func (s *Server) apiStatistics(w http.ResponseWriter, r *http.Request) error {
	f := statFilter(r)
	rows, err := s.db.Dashboard().Statistics(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	if f.Day == "" {
		f.Day = s.db.Today()
	}
	writeJSON(w, http.StatusOK, statisticsAnswer{Day: f.Day, Rows: dashboard.StatTable(rows)})
	return nil
}

// statisticsSchemas are the OpenAPI schemas of the statistics tables.
func statisticsSchemas() obj {
	return obj{
		"StatisticsRow": object("A row of the 复工统计表: a region one level down and a category; 小计 rows sum a region, the 合计 row everything", []string{"region", "region_name", "category",
			"category_name", "registered", "filed", "approved", "resumed", "staff", "back", "on_site"}, obj{
			"region": str(""), "region_name": str(""), "category": str(""), "category_name": str(""),
			"registered": integer("Enterprises registered by the day's end"), "filed": integer("That submitted an application by then"),
			"approved": integer("That were approved (a notice issued) by then"), "resumed": integer("Holding a notice in force at the day's end"),
			"staff": integer("Employees registered, not left"), "back": integer("Employees returned by the day"), "on_site": integer("Employees admitted at a gate on the day"),
		}),
		"Statistics": object("The 复工统计表 of a day", []string{"day", "rows"}, obj{"day": date(""), "rows": array(ref("StatisticsRow"), "")}),
	}
}
