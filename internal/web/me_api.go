package web

import (
	"fugong/internal/health"
	"fugong/internal/pass"
	"net/http"
)

// meSchemas are the OpenAPI schemas of the staff account's own pass (/me).
func meSchemas() obj {
	stamp := obj{"type": "string", "format": "date-time"}
	return obj{
		"Declaration": object("A temperature the staff account declares for its own person", []string{"temperature"}, obj{
			"temperature": obj{"type": "number", "minimum": health.MinTemperature, "maximum": health.MaxTemperature},
			"symptoms":    obj{"type": "array", "items": str(""), "maxItems": 20},
		}),
		"MyCheck": object("One of today's readings of the person", []string{"at", "temperature", "symptoms", "source", "fever"}, obj{
			"at": stamp, "temperature": obj{"type": "number"}, "symptoms": obj{"type": []string{"array", "null"}, "items": str("")},
			"source": obj{"type": "string", "enum": []string{health.SourceCheckpoint, health.SourceDeclared, health.SourceGate}}, "fever": boolean(""),
		}),
		"MePass": object("What a staff account sees of itself: its person, the clock, the current pass and what the gate answers now",
			[]string{"linked", "pass", "state", "allow", "message", "message_en", "day", "today", "checks_per_day", "fever_line"}, obj{
				"linked":      boolean("false when the account is linked to no person; then only the state fields are given"),
				"employee_id": id64(""), "name": str("The person's own name, in full"), "enterprise_id": id64(""), "enterprise_name": str(""),
				"department": str(""), "status": ref("ClockStatus"),
				"pass":    obj{"oneOf": []obj{ref("Pass"), {"type": "null"}}, "description": "The current pass; null when none"},
				"state":   obj{"type": "string", "enum": []string{pass.StateOK, pass.StateNoPass, pass.StateNotApproved, pass.StateExpired, pass.StateSuspended, pass.StateRevoked, pass.StateLeft, pass.StateNoNotice}},
				"allow":   boolean("Whether the gate lets the person in now, before the temperature"),
				"message": str("The state in words"), "message_en": str(""),
				"day":            obj{"type": "string", "format": "date"},
				"today":          obj{"type": "array", "items": ref("MyCheck")},
				"checks_per_day": integer(""), "fever_line": obj{"type": "number"},
			}),
	}
}

func (s *Server) apiMePass(w http.ResponseWriter, r *http.Request) error {
	me, err := s.db.Passes().Mine(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, me)
	return nil
}

func (s *Server) apiMeDeclare(w http.ResponseWriter, r *http.Request) error {
	var in health.Declaration
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.db.Health().Declare(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, res)
	return nil
}
