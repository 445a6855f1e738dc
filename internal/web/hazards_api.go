package web

import (
	"net/http"

	"fugong/internal/hazard"
)

func (s *Server) apiHazards(w http.ResponseWriter, r *http.Request) error {
	f, err := s.hazardFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Hazards().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// hazardInput is the body of a hazard being registered.
type hazardInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Sector       string `json:"sector"`
	Grade        string `json:"grade"`
	Source       string `json:"source"`
	InspectionID int64  `json:"inspection_id"`
	Unit         string `json:"unit"`
	Item         string `json:"item"`
	Description  string `json:"description"`
}

func (in hazardInput) hazard() hazard.Hazard {
	return hazard.Hazard{EnterpriseID: in.EnterpriseID, Sector: in.Sector, Grade: in.Grade, Source: in.Source, InspectionID: in.InspectionID,
		Unit: in.Unit, Item: in.Item, Description: in.Description}
}

func (s *Server) apiHazardCreate(w http.ResponseWriter, r *http.Request) error {
	var in hazardInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	h, err := s.db.Hazards().Register(r.Context(), principal(r), in.hazard())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, h)
	return nil
}

func (s *Server) apiHazard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "隐患")
	if err != nil {
		return err
	}
	h, err := s.db.Hazards().Get(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

func (s *Server) apiHazardTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "隐患")
	if err != nil {
		return err
	}
	var in struct {
		Action  string `json:"action"`
		Text    string `json:"text"`
		Version int    `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	h, err := s.db.Hazards().Transition(r.Context(), principal(r), id, in.Action, in.Text, in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

// hazardSchemas are the OpenAPI schemas of the hazard register's routes.
func hazardSchemas() obj {
	return obj{
		"Hazard": object("A safety-production hazard (安全生产隐患)", []string{"id", "enterprise_id", "sector", "grade", "source", "unit", "description", "deadline", "status"}, obj{
			"id": id64(""), "enterprise_id": id64(""), "enterprise_name": str(""),
			"sector": str("Key sector (policy hazard_sectors code)"), "grade": enum("general 一般隐患, major 重大隐患", hazard.Grades...),
			"source":        enum("inspection: found by an inspection; self: the enterprise's own check (企业自查)", hazard.FromInspection, hazard.FromSelfCheck),
			"inspection_id": id64("The inspection that found it"), "unit": str("The supervising unit"), "item": str("The sector's item it concerns"),
			"description": str(""), "measures": str("What was done, and the unit's words"), "deadline": timestamp(),
			"status":  enum("registered 已登记 → rectified 已整改 → accepted 已验收 → closed 已销号", hazard.Statuses...),
			"version": integer("Optimistic lock"), "created_at": timestamp(), "closed_at": timestamp(),
		}),
		"HazardList": listSchema("Hazard"),
		"HazardRegistration": object("Register a hazard; the enterprise's own account registers its own (source self)", []string{"sector", "grade", "description"}, obj{
			"enterprise_id": id64("Required for a unit; an enterprise's account registers its own"), "sector": str(""),
			"grade": enum("", hazard.Grades...), "source": enum("", hazard.FromInspection, hazard.FromSelfCheck),
			"inspection_id": id64(""), "unit": str("Default: the unit that supervises the enterprise"), "item": str(""), "description": str(""),
		}),
		"HazardTransition": object("An action on a hazard", []string{"action"}, obj{
			"action":  enum("rectify (the enterprise or the unit), accept, return, close (the unit)", hazard.Actions...),
			"text":    str("What was done (rectify), what is still to do (return)"),
			"version": integer("The version read; 0 skips the check"),
		}),
	}
}
