package web

import (
	"net/http"
)

func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request) error {
	f, err := alertFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Alerts().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiAlertAck(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	id, err := pathID(r, "预警")
	if err != nil {
		return err
	}
	items, err := s.db.Alerts().Ack(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items)
	return nil
}

// alertSchemas are the OpenAPI schemas of the alert routes.
func alertSchemas() obj {
	return obj{
		"AlertFacts": object("What is known of the event; persons' names are masked for a recipient whose role may not read rosters", nil, obj{
			"persons":     array(str(""), "Names of the persons concerned"),
			"temperature": number("°C, for a fever"),
			"symptoms":    array(str(""), ""),
			"origin":      str("Origin class of returners"),
			"count":       integer("How many persons or items"),
			"text":        str("What else is known"),
			"link":        str("The page of the event"),
		}),
		"Alert": object("An alert sent to one recipient unit of the policy", []string{"id", "kind", "enterprise_id", "enterprise_name", "facts", "unit", "created_at"}, obj{
			"id":              id64(""),
			"kind":            enum("", "fever", "returners", "notice_suspended", "rectification_overdue", "major_hazard"),
			"enterprise_id":   id64(""),
			"enterprise_name": str(""),
			"region_code":     str(""),
			"facts":           ref("AlertFacts"),
			"unit":            str("The recipient unit (a unit code of the policy)"),
			"created_at":      timestamp(),
			"acked_at":        timestamp(),
			"acked_by":        str("Who acknowledged it"),
		}),
		"AlertList":  listSchema("Alert"),
		"AlertItems": array(ref("Alert"), "The alert as acknowledged for each of the caller's units"),
	}
}
