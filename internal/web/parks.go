package web

import (
	"context"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/region"
)

// savePark checks what Park.Validate does not (the phone) and saves the park.
func (s *Server) savePark(ctx context.Context, p auth.Principal, pk region.Park) (region.Park, error) {
	var ps apperr.Problems
	checkPhone(&ps, "phone", pk.Phone)
	if len(ps) > 0 {
		c := pk
		return pk, mergeInvalid(ps, c.Validate())
	}
	return s.db.SavePark(ctx, p, pk)
}
