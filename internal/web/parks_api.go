package web

import (
	"net/http"

	"fugong/internal/region"
)

func (s *Server) apiParks(w http.ResponseWriter, r *http.Request) error {
	f := listFilterOf(r)
	items, total, err := s.db.ListParks(r.Context(), principal(r), f.Region, f.Q, f.Page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// parkInput is the API's body for parks: pointers tell which fields were sent.
type parkInput struct {
	Name       *string `json:"name"`
	RegionCode *string `json:"region_code"`
	Operator   *string `json:"operator"`
	Contact    *string `json:"contact"`
	Phone      *string `json:"phone"`
}

func (in parkInput) apply(pk *region.Park) {
	setStr(&pk.Name, in.Name)
	setStr(&pk.Operator, in.Operator)
	setStr(&pk.Contact, in.Contact)
	setStr(&pk.Phone, in.Phone)
	if in.RegionCode != nil {
		pk.RegionCode = normCode(*in.RegionCode)
	}
}

func (s *Server) apiParkCreate(w http.ResponseWriter, r *http.Request) error {
	var in parkInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var pk region.Park
	in.apply(&pk)
	saved, err := s.savePark(r.Context(), principal(r), pk)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, saved)
	return nil
}

func (s *Server) apiParkUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "园区")
	if err != nil {
		return err
	}
	ctx, p := r.Context(), principal(r)
	pk, err := s.db.GetPark(ctx, p, id)
	if err != nil {
		return err
	}
	var in parkInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	in.apply(&pk)
	saved, err := s.savePark(ctx, p, pk)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

// parkSchemas are the OpenAPI schemas of the park routes.
func parkSchemas() obj {
	return obj{
		"Park": object("An industrial or business park 园区", []string{"id", "name", "region_code"}, obj{
			"id":          readOnly(id64("")),
			"name":        str("At most 100 characters"),
			"region_code": str(""),
			"region_name": readOnly(str("")),
			"operator":    str("Operating company"),
			"contact":     str("Contact person"),
			"phone":       str(""),
			"created_at":  timestamp(),
			"updated_at":  timestamp(),
		}),
		"ParkList": listSchema("Park"),
	}
}
