package web

import (
	"context"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/region"
)

func (s *Server) knownUnit(code string) bool { _, ok := s.pol.Unit(code); return ok }

// saveDepartment checks what Department.Validate does not (the phone) and saves.
func (s *Server) saveDepartment(ctx context.Context, p auth.Principal, d region.Department) (region.Department, error) {
	var ps apperr.Problems
	checkPhone(&ps, "phone", d.Phone)
	if len(ps) > 0 {
		c := d
		return d, mergeInvalid(ps, c.Validate(s.knownUnit))
	}
	return s.db.SaveDepartment(ctx, p, d, s.knownUnit)
}
