package web

import (
	"net/http"

	"fugong/internal/apperr"
	"fugong/internal/roster"
	"fugong/internal/sign"
)

func (s *Server) apiPasses(w http.ResponseWriter, r *http.Request) error {
	f := passFilter(r)
	items, total, err := s.roster.ListPasses(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiPassRequest(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		EmployeeIDs []int64 `json:"employee_ids"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	out, err := s.roster.RequestPasses(r.Context(), principal(r), in.EmployeeIDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"items": out})
	return nil
}

func (s *Server) apiPassesApprove(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		IDs []int64 `json:"ids"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	out, err := s.roster.ApprovePasses(r.Context(), principal(r), s.signer, in.IDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiPassApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	out, err := s.roster.ApprovePasses(r.Context(), principal(r), s.signer, []int64{id})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out[0])
	return nil
}

func (s *Server) apiPassReactivate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	p, err := s.roster.ReactivatePass(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiPassRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.roster.RevokePass(r.Context(), principal(r), id, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiPassesRevoked(w http.ResponseWriter, r *http.Request) error {
	ids, err := s.roster.RevokedPasses(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"ids": ids, "generated_at": s.db.Now().UTC(), "public_key": sign.PublicKeyText(s.signer.PublicKey())})
	return nil
}

func (s *Server) apiSuspendMissed(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Day string `json:"day"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, ok := roster.ParseDate(in.Day, s.pol.Location())
	if !ok || d.IsZero() {
		return apperr.NewInvalid("day", "日期格式应为 YYYY-MM-DD", "The date must be YYYY-MM-DD")
	}
	n, err := s.roster.SuspendMissedChecks(r.Context(), principal(r), d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"suspended": n})
	return nil
}
