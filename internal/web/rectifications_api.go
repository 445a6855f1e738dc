package web

import (
	"net/http"

	"fugong/internal/inspection"
	"fugong/internal/rectify"
)

func (s *Server) apiRectifications(w http.ResponseWriter, r *http.Request) error {
	f, err := rectificationFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Rectifications().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiRectification(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "整改通知书")
	if err != nil {
		return err
	}
	o, err := s.db.Rectifications().Get(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

func (s *Server) apiRectificationTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "整改通知书")
	if err != nil {
		return err
	}
	var in rectify.Request
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	o, err := s.db.Rectifications().Transition(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

// rectificationSchemas are the OpenAPI schemas of the rectification routes.
func rectificationSchemas() obj {
	return obj{
		"Rectification": object("A rectification order (整改通知书)", []string{"id", "enterprise_id", "unit", "item", "problem", "severity", "serial", "deadline", "status", "level"}, obj{
			"id": id64(""), "inspection_id": id64("The inspection that found it"), "enterprise_id": id64(""), "enterprise_name": str(""),
			"unit": str("The ordering unit"), "item": str("Checklist item code"), "problem": str("What is wrong"),
			"clause": str("The seed's clause"), "severity": enum("general 一般, serious 较严重, suspend 停产整顿", inspection.Severities...),
			"responsible": str("The enterprise's responsible person"), "serial": str("Number of the notice, such as 整改〔2020〕第0001号"),
			"deadline": timestamp(), "status": enum("open: to rectify; answered: to verify; closed: verified (销号)", rectify.Open, rectify.Answered, rectify.Closed),
			"level":  integer("Escalation level: 0 none, 1 the first unit the policy escalates to, …"),
			"answer": str("The enterprise's answer"), "answer_photos": integer(""), "comment": str("The unit's last word"),
			"version": integer("Optimistic lock"), "created_at": timestamp(), "closed_at": timestamp(),
		}),
		"RectificationList": listSchema("Rectification"),
		"RectificationTransition": object("An action on an order", []string{"action"}, obj{
			"action":  enum("respond (the enterprise), verify / return (the unit), escalate (an overdue order)", rectify.Actions...),
			"text":    str("The answer (respond), what is still to do (return), or a comment"),
			"version": integer("The version read; 0 skips the check"),
		}),
	}
}
