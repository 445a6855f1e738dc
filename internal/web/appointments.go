package web

import (
	"net/http"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/appointment"
	"fugong/internal/auth"
	"fugong/internal/input"
)

// Appointments (预约服务), shared by the page and the API.

// parseWhen reads a time as a form (2020-02-12T09:00, the policy's time zone) or the API
// (RFC 3339) writes it; "" is the zero time.
func (s *Server) parseWhen(ps *apperr.Problems, field, v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", v, s.pol.Location()); err == nil {
		return t
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t
	}
	ps.Add(field, "时间格式应为 2020-02-12T09:00", "A time like 2020-02-12T09:00")
	return time.Time{}
}

// appointmentFilter reads the filter of the appointments.
func appointmentFilter(r *http.Request) (appointment.Filter, error) {
	f := appointment.Filter{Status: r.URL.Query().Get("status"), Page: pageOf(r)}
	if p := input.OneOf("status", f.Status, appointment.Statuses); p != nil {
		return f, apperr.Problems{*p}.Err()
	}
	return f, nil
}

// slotInput is a slot to publish, or a time to propose (with enterprise_id).
type slotInput struct {
	Unit          string              `json:"unit"`
	RegionCode    string              `json:"region_code"`
	Service       appointment.Service `json:"service"`
	StartsAt      string              `json:"starts_at"`
	EndsAt        string              `json:"ends_at"`
	Capacity      int                 `json:"capacity"`
	Place         string              `json:"place"`
	EnterpriseID  int64               `json:"enterprise_id"`  // a proposal: the enterprise
	ApplicationID int64               `json:"application_id"` // a proposal or a booking: its application
	SlotID        int64               `json:"slot_id"`        // a booking: the slot
	Note          string              `json:"note"`
}

func (s *Server) slotOf(in slotInput) (appointment.Slot, error) {
	var ps apperr.Problems
	sl := appointment.Slot{Unit: in.Unit, RegionCode: in.RegionCode, Service: in.Service, Capacity: in.Capacity, Place: in.Place,
		StartsAt: s.parseWhen(&ps, "starts_at", in.StartsAt), EndsAt: s.parseWhen(&ps, "ends_at", in.EndsAt)}
	return sl, ps.Err()
}

// appointmentCreate books a slot (an enterprise's account: slot_id) or proposes a time (a
// unit's official: enterprise_id).
func (s *Server) appointmentCreate(r *http.Request, in slotInput) (appointment.Appointment, error) {
	p := principal(r)
	if p.Role == auth.Enterprise {
		return s.db.Appointments().Book(r.Context(), p, in.SlotID, in.ApplicationID, in.Note)
	}
	sl, err := s.slotOf(in)
	if err != nil {
		return appointment.Appointment{}, err
	}
	return s.db.Appointments().Propose(r.Context(), p, appointment.Appointment{EnterpriseID: in.EnterpriseID, ApplicationID: in.ApplicationID,
		Unit: sl.Unit, Service: sl.Service, StartsAt: sl.StartsAt, EndsAt: sl.EndsAt, Place: sl.Place, Note: in.Note})
}
