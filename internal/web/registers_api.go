package web

import (
	"net/http"

	"fugong/internal/ledger"
)

type gateRegisterList struct {
	Date        string           `json:"date"`
	Items       []ledger.GateRow `json:"items"`
	Checkpoints []string         `json:"checkpoints"`
	Total       int              `json:"total"`
	Page        int              `json:"page"`
	Size        int              `json:"size"`
}

type temperatureRegisterList struct {
	Date        string                  `json:"date"`
	Items       []ledger.TemperatureRow `json:"items"`
	Checkpoints []string                `json:"checkpoints"`
	Total       int                     `json:"total"`
	Page        int                     `json:"page"`
	Size        int                     `json:"size"`
}

// apiGateLog answers GET /api/v1/gate/register.
func (s *Server) apiGateLog(w http.ResponseWriter, r *http.Request) error {
	f, err := registerFilter(r)
	if err != nil {
		return err
	}
	items, total, points, err := s.db.GateRegister(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	if f.Day == "" {
		f.Day = s.db.Today()
	}
	pg := newList(items, total, f.Page)
	writeJSON(w, http.StatusOK, gateRegisterList{Date: f.Day, Items: items, Checkpoints: points, Total: total, Page: pg.Page, Size: pg.Size})
	return nil
}

// apiTemperatureRegister answers GET /api/v1/health-checks/register.
func (s *Server) apiTemperatureRegister(w http.ResponseWriter, r *http.Request) error {
	f, err := registerFilter(r)
	if err != nil {
		return err
	}
	items, total, points, err := s.db.TemperatureRegister(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	if f.Day == "" {
		f.Day = s.db.Today()
	}
	pg := newList(items, total, f.Page)
	writeJSON(w, http.StatusOK, temperatureRegisterList{Date: f.Day, Items: items, Checkpoints: points, Total: total, Page: pg.Page, Size: pg.Size})
	return nil
}

// registerSchemas are the OpenAPI schemas of the registers.
func registerSchemas() obj {
	list := func(desc, item string) obj {
		return object(desc, []string{"date", "items", "checkpoints", "total", "page", "size"}, obj{
			"date": date("The day (today when not asked)"), "items": array(ref(item), "Newest first"),
			"checkpoints": array(str(""), "The checkpoints with rows that day, for the filter; listed where the scope holds at most 30,000 rows that day (otherwise only the one filtered by): narrow it by enterprise to see them"),
			"total":       integer("Rows on all pages"), "page": integer(""), "size": integer(""),
		})
	}
	return obj{
		"GateRegisterRow": object("A row of the gate register: a scan or a registration", []string{"id", "enterprise_id", "enterprise_name", "kind", "allow", "reason", "name", "at"}, obj{
			"id": id64(""), "enterprise_id": id64(""), "enterprise_name": str(""), "kind": enum("", "employee", "visitor", "vehicle"),
			"allow": boolean(""), "reason": str(""), "temperature": number(""), "name": str("A visitor's or driver's name, or the person's masked name"),
			"phone": str(""), "id_masked": str(""), "purpose": str(""), "host": str(""), "plate": str(""), "freight_disinfected": boolean(""),
			"checkpoint": str("Where it was scanned or registered"), "at": stamp(""),
		}),
		"GateRegister": list("The gate register (进出登记台账) of a day", "GateRegisterRow"),
		"TemperatureRegisterRow": object("A reading of the temperature register; the name masked", []string{"id", "enterprise_id", "enterprise_name", "name", "department",
			"temperature", "symptoms", "checkpoint", "source", "fever", "at"}, obj{
			"id": id64(""), "enterprise_id": id64(""), "enterprise_name": str(""), "name": str(""), "department": str(""), "temperature": number(""),
			"symptoms": str(""), "checkpoint": str("A gate, a workshop, a commuter bus"), "source": enum("", "checkpoint", "declared", "gate"),
			"fever": boolean(""), "at": stamp(""),
		}),
		"TemperatureRegister": list("The temperature register (体温检测登记台账, buses included) of a day", "TemperatureRegisterRow"),
	}
}
