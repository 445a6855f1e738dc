package web

import (
	"fmt"
	"net/http"

	"fugong/internal/enterprise"
	"fugong/internal/input"
)

func (s *Server) apiEnterprises(w http.ResponseWriter, r *http.Request) error {
	f, err := enterpriseFilter(r, s.pol)
	if err != nil {
		return err
	}
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
	b, _, err := uploadedSheet(r)
	if err != nil {
		return err
	}
	validOnly, err := input.Flag("valid_only", r.URL.Query().Get("valid_only"))
	if err != nil {
		return err
	}
	sh, err := openSheet(b)
	if err != nil {
		return err
	}
	res, err := s.runEnterpriseImport(r.Context(), nil, principal(r), sh, validOnly)
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

// enterpriseSchemas are the OpenAPI schemas of the enterprise registry's routes.
func enterpriseSchemas() obj {
	enterpriseFields := func(patch bool) obj {
		props := obj{
			"name":             str("Name (at most 100 characters)"),
			"uscc":             str("Unified social credit code 统一社会信用代码 (18 characters)"),
			"category":         str("Category code of the policy in force"),
			"region_code":      str("Code of the town or village"),
			"park_id":          id64("Park, when the enterprise is in one"),
			"status":           obj{"type": "string", "enum": enterprise.Statuses, "description": "Resumption status"},
			"has_canteen":      boolean("Runs a canteen"),
			"has_dormitory":    boolean("Runs a dormitory"),
			"has_bus":          boolean("Runs a commuter bus"),
			"key_enterprise":   boolean("Key enterprise 重点企业"),
			"legal_rep":        str("Legal representative"),
			"prevention_lead":  str("Person in charge of epidemic prevention"),
			"prevention_phone": str("Phone of the prevention lead"),
			"address":          str(""),
			"headcount":        obj{"type": "integer", "minimum": 0, "maximum": 1_000_000, "description": "Registered headcount"},
		}
		if patch {
			props["version"] = integer("The version that was read; when given and no longer current the change is refused with 409")
			return props
		}
		props["version"] = integer("Incremented by every change; send it back when patching")
		props["id"] = readOnly(id64(""))
		props["created_at"] = timestamp()
		props["updated_at"] = timestamp()
		props["region_name"] = readOnly(str(""))
		props["park_name"] = readOnly(str(""))
		return props
	}
	return obj{
		"Enterprise": object("A registered enterprise", []string{"id", "name", "uscc", "category", "region_code", "status", "version"},
			enterpriseFields(false)),
		"EnterprisePatch": object("Fields to change; fields not sent keep their value. Some fields only officials may change (name, uscc, category, region_code, park_id, status, key_enterprise)",
			nil, enterpriseFields(true)),
		"EnterpriseList": listSchema("Enterprise"),
	}
}
