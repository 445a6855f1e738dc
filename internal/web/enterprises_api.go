package web

import (
	"bytes"
	"fmt"
	"net/http"

	"fugong/internal/enterprise"
)

func (s *Server) apiEnterprises(w http.ResponseWriter, r *http.Request) error {
	f := enterpriseFilter(r)
	items, total, err := s.db.ListEnterprises(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// enterpriseInput is the API's body for creating and patching: pointers tell which
// fields were sent.
type enterpriseInput struct {
	Name            *string `json:"name"`
	USCC            *string `json:"uscc"`
	Category        *string `json:"category"`
	RegionCode      *string `json:"region_code"`
	ParkID          *int64  `json:"park_id"`
	Status          *string `json:"status"`
	HasCanteen      *bool   `json:"has_canteen"`
	HasDormitory    *bool   `json:"has_dormitory"`
	HasBus          *bool   `json:"has_bus"`
	KeyEnterprise   *bool   `json:"key_enterprise"`
	LegalRep        *string `json:"legal_rep"`
	PreventionLead  *string `json:"prevention_lead"`
	PreventionPhone *string `json:"prevention_phone"`
	Address         *string `json:"address"`
	Headcount       *int    `json:"headcount"`
	Version         int     `json:"version,omitempty"`
}

func (in enterpriseInput) apply(e *enterprise.Enterprise) {
	setIf(&e.Name, in.Name)
	setIf(&e.USCC, in.USCC)
	setIf(&e.Category, in.Category)
	setIf(&e.RegionCode, in.RegionCode)
	setIf(&e.LegalRep, in.LegalRep)
	setIf(&e.PreventionLead, in.PreventionLead)
	setIf(&e.PreventionPhone, in.PreventionPhone)
	setIf(&e.Address, in.Address)
	setIf(&e.ParkID, in.ParkID)
	setIf(&e.Headcount, in.Headcount)
	setIf(&e.HasCanteen, in.HasCanteen)
	setIf(&e.HasDormitory, in.HasDormitory)
	setIf(&e.HasBus, in.HasBus)
	setIf(&e.KeyEnterprise, in.KeyEnterprise)
	if in.Status != nil {
		e.Status = enterprise.Status(*in.Status)
	}
}

func (s *Server) apiEnterpriseCreate(w http.ResponseWriter, r *http.Request) error {
	var in enterpriseInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e := enterprise.Enterprise{Status: enterprise.NotResumed}
	in.apply(&e)
	created, err := s.db.CreateEnterprise(r.Context(), principal(r), e, s.knownCategory)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/enterprises/%d", created.ID))
	writeJSON(w, http.StatusCreated, created)
	return nil
}

func (s *Server) apiEnterprise(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	e, err := s.db.GetEnterprise(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) apiEnterprisePatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	p := principal(r)
	e, err := s.db.GetEnterprise(r.Context(), p, id)
	if err != nil {
		return err
	}
	var in enterpriseInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	in.apply(&e)
	updated, err := s.db.UpdateEnterprise(r.Context(), p, e, in.Version, s.knownCategory)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, updated)
	return nil
}

func (s *Server) apiEnterpriseImport(w http.ResponseWriter, r *http.Request) error {
	b, _, err := uploadedFile(r)
	if err != nil {
		return err
	}
	validOnly := r.URL.Query().Get("valid_only") == "true" || r.URL.Query().Get("valid_only") == "1"
	res, err := s.runEnterpriseImport(r.Context(), nil, principal(r), bytes.NewReader(b), validOnly)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !res.Written {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, res)
	return nil
}
