package web

import (
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/hazard"
)

// hazardFilter reads the register's filters: status (or open), grade, sector,
// enterprise, q.
func (s *Server) hazardFilter(r *http.Request) (hazard.Filter, error) {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f := hazard.Filter{Status: q.Get("status"), Grade: q.Get("grade"), Sector: q.Get("sector"), EnterpriseID: ent, Q: q.Get("q"), Page: pageOf(r)}
	var ps apperr.Problems
	if f.Status != "" && f.Status != "open" && !slices.Contains(hazard.Statuses, f.Status) {
		ps.Add("status", "未知的状态", "Unknown status")
	}
	if f.Grade != "" && !slices.Contains(hazard.Grades, f.Grade) {
		ps.Add("grade", "等级应为 general 或 major", "grade must be general or major")
	}
	if _, ok := s.pol.HazardSector(f.Sector); f.Sector != "" && !ok {
		ps.Add("sector", "未知的行业领域", "Unknown sector")
	}
	if utf8.RuneCountInString(f.Q) > 100 {
		ps.Add("q", "搜索词过长", "The search is too long")
	}
	return f, ps.Err()
}
