package web

import (
	"fugong/internal/notice"
	"net/http"
)

func (s *Server) apiBuses(w http.ResponseWriter, r *http.Request) error {
	f, err := busFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Buses().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiBusCreate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		EnterpriseID int64  `json:"enterprise_id"`
		Plate        string `json:"plate"`
		Route        string `json:"route"`
		Seats        int    `json:"seats"`
		Driver       string `json:"driver"`
		DriverPhone  string `json:"driver_phone"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	b, err := s.db.Buses().Add(r.Context(), principal(r), notice.Bus{EnterpriseID: in.EnterpriseID, Plate: in.Plate, Route: in.Route,
		Seats: in.Seats, Driver: in.Driver, DriverPhone: in.DriverPhone})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, b)
	return nil
}

func (s *Server) apiBusDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "班车")
	if err != nil {
		return err
	}
	var in struct {
		Approve bool   `json:"approve"`
		Comment string `json:"comment"`
		Version int    `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	b, err := s.db.Buses().Decide(r.Context(), principal(r), id, in.Approve, in.Comment, in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) apiBusLetter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "班车")
	if err != nil {
		return err
	}
	if err := noBody(r); err != nil {
		return err
	}
	b, err := s.db.Buses().IssueLetter(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, b)
	return nil
}

// busSchemas are the OpenAPI schemas of the bus routes.
func busSchemas() obj {
	letter := object("A numbered commuter-bus letter", []string{"id", "serial", "token", "issued_at"}, obj{
		"id": id64(""), "bus_id": id64(""), "issuer_unit": str("The issuing office, town:<region code>"),
		"serial": str("Such as 〔2020〕班车第0001号"), "token": str("Signed token carried by the letter's QR code"),
		"issued_at": obj{"type": "string", "format": "date-time"}, "revoked_at": obj{"type": "string", "format": "date-time"},
		"revoke_reason": str(""),
	})
	return obj{
		"Bus": object("A commuter bus of an enterprise", []string{"enterprise_id", "plate", "route", "seats", "driver"}, obj{
			"id": id64(""), "enterprise_id": id64(""), "enterprise_name": str(""), "plate": str("Plate, e.g. 浙F12345"),
			"route": str("Route"), "seats": obj{"type": "integer", "minimum": 1, "maximum": 80}, "driver": str(""), "driver_phone": str(""),
			"status":  obj{"type": "string", "enum": []string{"pending", "approved", "rejected", "letter_issued"}},
			"comment": str("The reviewer's comment"), "version": obj{"type": "integer"},
			"decided_at": obj{"type": "string", "format": "date-time"}, "letter": letter,
			"created_at": obj{"type": "string", "format": "date-time"},
		}),
		"BusList": listSchema("Bus"),
		"BusDecision": object("Approve or refuse a bus", []string{"approve"}, obj{
			"approve": obj{"type": "boolean"}, "comment": str("Required when refusing"), "version": obj{"type": "integer"},
		}),
	}
}
