package web

import (
	"net/http"

	"fugong/internal/store"
)

// meSchemas are the OpenAPI schemas of the staff account's own pass (/me), the link
// between accounts and person files, and the enterprise's single entrance.
func meSchemas() obj {
	stamp := obj{"type": "string", "format": "date-time"}
	staff := object("A staff account of the enterprise", []string{"user_id", "username", "display_name", "disabled"}, obj{
		"user_id": id64(""), "username": str(""), "display_name": str(""), "disabled": boolean(""),
		"employee_id": id64("The person it is linked to; absent when none"),
	})
	return obj{
		"StaffAccount": staff,
		"EmployeeAccount": object("The account linked to a person and, for roster.edit, the enterprise's staff accounts free to link",
			[]string{"employee_id", "account", "candidates"}, obj{
				"employee_id": id64(""),
				"account":     obj{"oneOf": []obj{ref("StaffAccount"), {"type": "null"}}, "description": "null when none is linked"},
				"candidates":  obj{"type": "array", "items": ref("StaffAccount"), "description": "Empty unless the caller may link"},
			}),
		"AccountLink": object("The staff account to link, or null to unlink", []string{"user_id"}, obj{
			"user_id": obj{"type": []string{"integer", "null"}, "format": "int64"},
		}),
		"Declaration": object("A temperature the staff account declares for its own person", []string{"temperature"}, obj{
			"temperature": obj{"type": "number", "minimum": store.MinTemperature, "maximum": store.MaxTemperature},
			"symptoms":    obj{"type": "array", "items": str(""), "maxItems": 20},
		}),
		"MyCheck": object("One of today's readings of the person", []string{"at", "temperature", "symptoms", "source", "fever"}, obj{
			"at": stamp, "temperature": obj{"type": "number"}, "symptoms": obj{"type": []string{"array", "null"}, "items": str("")},
			"source": obj{"type": "string", "enum": []string{store.SourceCheckpoint, store.SourceDeclared, store.SourceGate}}, "fever": boolean(""),
		}),
		"MePass": object("What a staff account sees of itself: its person, the clock, the current pass and what the gate answers now",
			[]string{"linked", "pass", "state", "allow", "message", "message_en", "day", "today", "checks_per_day", "fever_line"}, obj{
				"linked":      boolean("false when the account is linked to no person; then only the state fields are given"),
				"employee_id": id64(""), "name": str("The person's own name, in full"), "enterprise_id": id64(""), "enterprise_name": str(""),
				"department": str(""), "status": ref("ClockStatus"),
				"pass":    obj{"oneOf": []obj{ref("Pass"), {"type": "null"}}, "description": "The current pass; null when none"},
				"state":   obj{"type": "string", "enum": []string{store.MeOK, store.MeNoPass, store.MeNotApproved, store.MeSuspended, store.MeRevoked, store.MeLeft, store.MeNoNotice}},
				"allow":   boolean("Whether the gate lets the person in now, before the temperature"),
				"message": str("The state in words"), "message_en": str(""),
				"day":            obj{"type": "string", "format": "date"},
				"today":          obj{"type": "array", "items": ref("MyCheck")},
				"checks_per_day": integer(""), "fever_line": obj{"type": "number"},
			}),
		"Entrance": object("The enterprise's registered single entrance", []string{"enterprise_id", "entrance", "single_entrance"}, obj{
			"enterprise_id": id64(""), "entrance": str("Empty until registered"),
			"single_entrance": boolean("The policy asks for a single entrance: scans elsewhere are refused once one is registered"),
		}),
		"EntranceInput": object("The entrance to register; empty clears it", []string{"entrance"}, obj{
			"entrance": obj{"type": "string", "maxLength": store.MaxEntranceLen},
		}),
	}
}

func (s *Server) apiMePass(w http.ResponseWriter, r *http.Request) error {
	me, err := s.roster.Me(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, me)
	return nil
}

func (s *Server) apiMeDeclare(w http.ResponseWriter, r *http.Request) error {
	var in store.Declaration
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.roster.DeclareMine(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, res)
	return nil
}
