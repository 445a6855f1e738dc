package web

import (
	"net/http"

	"fugong/internal/apperr"
	"fugong/internal/appointment"
)

func (s *Server) apiAppointments(w http.ResponseWriter, r *http.Request) error {
	f, err := appointmentFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Appointments().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiAppointmentCreate(w http.ResponseWriter, r *http.Request) error {
	var in slotInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.appointmentCreate(r, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) apiSlots(w http.ResponseWriter, r *http.Request) error {
	page := pageOf(r)
	items, total, err := s.db.Appointments().Slots(r.Context(), principal(r), appointment.Filter{Page: page})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, page))
	return nil
}

func (s *Server) apiSlotCreate(w http.ResponseWriter, r *http.Request) error {
	var in slotInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	sl, err := s.slotOf(in)
	if err != nil {
		return err
	}
	if sl, err = s.db.Appointments().PublishSlot(r.Context(), principal(r), sl); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sl)
	return nil
}

// appointmentTransition is the body of POST /api/v1/appointments/{id}/transitions.
type appointmentTransition struct {
	Action   appointment.Action `json:"action"`
	Comment  string             `json:"comment"`
	StartsAt string             `json:"starts_at"`
	EndsAt   string             `json:"ends_at"`
	Version  int                `json:"version"`
}

func (s *Server) apiAppointmentTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "预约")
	if err != nil {
		return err
	}
	p := principal(r)
	var req appointmentTransition
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if _, err := s.db.Appointments().Get(r.Context(), p, id); err != nil {
		return err // outside the scope: not found, whatever the action
	}
	var ps apperr.Problems
	starts, ends := s.parseWhen(&ps, "starts_at", req.StartsAt), s.parseWhen(&ps, "ends_at", req.EndsAt)
	if err := ps.Err(); err != nil {
		return err
	}
	a, err := s.db.Appointments().Act(r.Context(), p, id, req.Action, req.Comment, starts, ends, req.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// appointmentSchemas are the OpenAPI schemas of the appointments.
func appointmentSchemas() obj {
	services := []string{string(appointment.Acceptance), string(appointment.Counter)}
	statuses := make([]string, len(appointment.Statuses))
	for i, st := range appointment.Statuses {
		statuses[i] = string(st)
	}
	actions := make([]string, len(appointment.Actions))
	for i, a := range appointment.Actions {
		actions[i] = string(a)
	}
	slot := obj{
		"id":          id64("Slot id"),
		"unit":        str("The policy's unit that offers it"),
		"region_code": str("The region it serves: enterprises in it (or below) may book it"),
		"service":     enum("acceptance 现场验收, counter 窗口办理", services...),
		"starts_at":   stamp("Start"),
		"ends_at":     stamp("End"),
		"capacity":    integer("Appointments it takes (1–50)"),
		"booked":      integer("Appointments booked in it"),
		"place":       str("Where"),
	}
	return obj{
		"AppointmentSlot":     object("A time a unit offers", []string{"id", "unit", "region_code", "service", "starts_at", "ends_at", "capacity", "booked", "place"}, slot),
		"AppointmentSlotList": listSchema("AppointmentSlot"),
		"AppointmentInput": object("A slot to publish (unit, region_code, service, starts_at, ends_at, capacity, place); or, to /api/v1/appointments, a booking by an enterprise's account (slot_id, application_id, note) or a proposal by a unit (enterprise_id, unit, service, starts_at, ends_at, place, note). Times as RFC 3339 or 2020-02-12T09:00 in the policy's time zone",
			nil, obj{
				"unit": str("The unit (a department's own when it has one)"), "region_code": str("The region served (the manager's own when empty)"),
				"service": enum("The service", services...), "starts_at": str("Start"), "ends_at": str("End"), "capacity": integer("Capacity"),
				"place": str("Where"), "enterprise_id": id64("A proposal: the enterprise"), "application_id": id64("Its application, when any"),
				"slot_id": id64("A booking: the slot"), "note": str("A note for the other side"),
			}),
		"Appointment": object("An appointment; actions are what the caller may do now", []string{"id", "enterprise_id", "enterprise_name", "unit", "region_code", "service", "starts_at", "ends_at", "place", "status", "changes", "version", "actions"}, obj{
			"id": id64("Id"), "slot_id": id64("The slot it was booked in (none once moved or proposed)"), "enterprise_id": id64("The enterprise"),
			"enterprise_name": str("Its name"), "application_id": id64("Its application"), "unit": str("The unit"), "region_code": str("The region served"),
			"service": enum("The service", services...), "starts_at": stamp("Start"), "ends_at": stamp("End"), "place": str("Where"),
			"status": enum("proposed: waiting for the enterprise; booked; done; missed; cancelled", statuses...), "changes": integer("Times it was moved"),
			"note": str("The last note or reason"), "created_at": timestamp(), "updated_at": timestamp(), "version": integer("Send it back to guard against concurrent changes"),
			"actions": array(enum("", actions...), "What the caller may do now"),
		}),
		"AppointmentList": listSchema("Appointment"),
		"AppointmentTransition": object("Act on an appointment: accept (the enterprise, a proposal), change (either side: starts_at, ends_at, comment), cancel (either side: comment), done or missed (the unit, once begun)",
			[]string{"action"}, obj{
				"action": enum("The action", actions...), "comment": str("The reason"), "starts_at": str("change: the new start"),
				"ends_at": str("change: the new end"), "version": integer("The version read"),
			}),
	}
}
