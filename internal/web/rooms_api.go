package web

import (
	"fugong/internal/roster"
	"net/http"
	"strconv"
)

func (s *Server) apiRooms(w http.ResponseWriter, r *http.Request) error {
	ent, _ := strconv.ParseInt(r.URL.Query().Get("enterprise"), 10, 64)
	b, err := s.db.Roster().Rooms(r.Context(), principal(r), ent)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) apiEmployeeRoom(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	if _, err := s.db.Roster().Get(r.Context(), p, id); err != nil {
		return err // 404 outside the scope before the body is read
	}
	var a roster.RoomAssignment
	if err := decodeJSON(r, &a); err != nil {
		return err
	}
	it, err := s.db.Roster().AssignRoom(r.Context(), p, id, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.employeeOut(p, it))
	return nil
}

// roomSchemas are the OpenAPI schemas of the room board and room assignments.
func roomSchemas() obj {
	stamp := obj{"type": "string", "format": "date-time"}
	person := object("A person on the room board with the clock's phase today", []string{"id", "enterprise_id", "name", "phase"}, obj{
		"id": id64(""), "enterprise_id": id64(""), "enterprise_name": str(""), "name": str(""), "department": str(""),
		"dorm_room": str(""), "isolation_room": str(""), "version": obj{"type": "integer"}, "until": stamp,
		"phase": obj{"type": "string", "enum": []string{"isolating", "monitoring", "advised_not_return", "cleared", "not_returned"}},
	})
	room := object("A dormitory or isolation room with the people in it", []string{"enterprise_id", "kind", "name", "capacity", "occupants"}, obj{
		"enterprise_id": id64(""), "enterprise_name": str(""), "kind": obj{"type": "string", "enum": []string{roster.RoomDorm, roster.RoomIsolation}},
		"name": str(""), "capacity": obj{"type": "integer", "minimum": 0, "description": "From the policy; 0 = no limit"},
		"occupants": obj{"type": "array", "items": obj{"$ref": schemaRef + "RoomPerson"}},
		"full":      obj{"type": "boolean"}, "over": obj{"type": "boolean", "description": "More people than the policy allows now"},
	})
	return obj{
		"RoomPerson": person,
		"Room":       room,
		"RoomBoard": object("The rooms of an enterprise (or of every enterprise in scope): who must isolate and has no isolation room yet, then the rooms",
			[]string{"to_assign", "isolation_rooms", "dorm_rooms", "dorm_capacity", "isolation_capacity"}, obj{
				"to_assign":          obj{"type": "array", "items": obj{"$ref": schemaRef + "RoomPerson"}},
				"isolation_rooms":    obj{"type": "array", "items": obj{"$ref": schemaRef + "Room"}},
				"dorm_rooms":         obj{"type": "array", "items": obj{"$ref": schemaRef + "Room"}},
				"dorm_capacity":      obj{"type": "integer", "description": "People per dormitory room at most (policy [dormitory] max_per_room; 0 = no limit)"},
				"isolation_capacity": obj{"type": "integer", "description": "People per isolation room at most (1 when quarantine_single_room)"},
			}),
		"RoomAssignment": object("Rooms of a person: a field not sent stays, an empty string clears the room", nil, obj{
			"dorm_room": str("Dormitory room"), "isolation_room": str("Isolation room"), "version": obj{"type": "integer"},
		}),
	}
}
