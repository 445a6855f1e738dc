package web

import (
	"bytes"
	"fugong/internal/health"
	"fugong/internal/input"
	"net/http"
	"strconv"
)

// apiHealthChecks takes one reading or an array of readings; all are recorded (and
// committed) or none.
func (s *Server) apiHealthChecks(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	body = bytes.TrimSpace(body)
	var readings []health.Reading
	batch := len(body) > 0 && body[0] == '['
	if batch {
		err = decodeJSONBody(r, body, &readings)
	} else {
		var one health.Reading
		err = decodeJSONBody(r, body, &one)
		readings = []health.Reading{one}
	}
	if err != nil {
		return err
	}
	res, err := s.db.Health().Record(r.Context(), principal(r), readings)
	if err != nil {
		return err
	}
	if batch {
		writeJSON(w, http.StatusCreated, map[string]any{"items": res})
	} else {
		writeJSON(w, http.StatusCreated, res[0])
	}
	return nil
}

func (s *Server) apiUnchecked(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	items, err := s.db.Health().Unchecked(r.Context(), principal(r), ent, q.Get("checkpoint"))
	if err != nil {
		return err
	}
	rep, err := s.db.Health().Repeats(r.Context(), principal(r), ent)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "repeated_declarations": rep, "checks_per_day": s.pol.Health.ChecksPerDay})
	return nil
}

func (s *Server) apiFollowUps(w http.ResponseWriter, r *http.Request) error {
	open, err := input.Flag("open", r.URL.Query().Get("open"))
	if err != nil {
		return err
	}
	f := health.FollowUpFilter{OpenOnly: open, Page: pageOf(r)}
	items, total, err := s.db.Health().FollowUps(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiFollowUpClose(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "健康跟踪记录")
	if err != nil {
		return err
	}
	var in health.FollowUpClose
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	f, err := s.db.Health().CloseFollowUp(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

// healthSchemas are the OpenAPI schemas of the health check (体温检测) and follow-up
// routes. They follow the JSON tags of store.CheckResult and store.FollowUp and the
// bodies the handlers decode; openapi_workforce_test.go calls the routes and compares.
func healthSchemas() obj {
	return obj{
		"HealthReading": object("One temperature reading: the person by employee_id or by the token of the pass",
			[]string{"temperature"}, obj{
				"employee_id": id64("The employee; or give pass_token"),
				"pass_token":  str("The token of the person's pass (from its QR code); or give employee_id"),
				"temperature": temperature("°C, rounded to one decimal; at or above the policy's fever line suspends the pass and opens a follow-up"),
				"symptoms":    array(str(""), "Symptoms reported (such as 咳嗽); any symptom counts like a fever"),
				"at":          stamp("When it was taken (RFC 3339); now when absent or more than five minutes ahead"),
				"checkpoint":  obj{"type": "string", "maxLength": 50, "description": "Where it was taken"},
			}),
		"HealthReadings": obj{
			"description": "One reading (answered with one HealthCheck) or an array of at most 1000 (answered with HealthCheckList); all are recorded or none",
			"oneOf": []obj{
				ref("HealthReading"),
				{"type": "array", "minItems": 1, "maxItems": health.MaxBatch, "items": ref("HealthReading")},
			},
		},
		"HealthCheck": object("A recorded reading", []string{"id", "employee_id", "name", "temperature", "at", "source", "fever", "passes_suspended"}, obj{
			"id":               id64(""),
			"employee_id":      id64(""),
			"name":             str("Masked name"),
			"temperature":      number("°C"),
			"at":               stamp(""),
			"source":           enum("checkpoint: taken by a guard or an enterprise admin; declared: by the person; gate: at a pass scan", health.SourceCheckpoint, health.SourceDeclared, health.SourceGate),
			"fever":            boolean("At or above the fever line, or with a symptom"),
			"passes_suspended": integer("Passes this reading suspended"),
			"follow_up_id":     id64("The follow-up opened (or added to) by a fever; absent otherwise"),
		}),
		"HealthCheckResult": obj{
			"description": "The recorded reading when one was sent, or {items} when an array was sent",
			"oneOf": []obj{
				ref("HealthCheck"),
				object("The recorded readings, in the order sent", []string{"items"}, obj{"items": array(ref("HealthCheck"), "")}),
			},
		},
		"UncheckedReport": object("Who still needs a check today, and declarations that look copied", []string{"items", "repeated_declarations", "checks_per_day"}, obj{
			"items": array(object("A holder of an active pass with fewer checks today than the policy asks", []string{"employee_id", "name", "department", "checks"}, obj{
				"employee_id": id64(""),
				"name":        str("Masked name"),
				"department":  str(""),
				"checks":      integer("Checks today (at the checkpoint, when one is named)"),
			}), ""),
			"repeated_declarations": array(object("A person whose own declarations repeat one value on three or more days in a row (last 14 days)",
				[]string{"employee_id", "name", "temperature", "days", "last_day"}, obj{
					"employee_id": id64(""),
					"name":        str("Masked name"),
					"temperature": number("The repeated value, °C"),
					"days":        integer("Consecutive days"),
					"last_day":    date("Last day of the run"),
				}), ""),
			"checks_per_day": integer("Checks a day the policy asks of each person"),
		}),
		"FollowUp": object("The follow-up a fever or symptom opens: isolation, referral and outcome", []string{"id", "employee_id", "enterprise_id", "enterprise_name", "name", "check_id",
			"temperature", "symptoms", "opened_at", "isolation", "referral", "outcome"}, obj{
			"id":              id64(""),
			"employee_id":     id64(""),
			"enterprise_id":   id64(""),
			"enterprise_name": str(""),
			"name":            str("Masked name"),
			"check_id":        id64("The reading that opened it"),
			"temperature":     number("That reading, °C"),
			"symptoms":        str("That reading's symptoms, comma-separated; empty when none"),
			"opened_at":       stamp(""),
			"isolation":       str("Where and how the person is isolated; empty while open"),
			"referral":        str("Where the person was referred; empty while open"),
			"outcome":         str("How it ended; empty while open"),
			"closed_at":       stamp("Absent while open"),
		}),
		"FollowUpList": listSchema("FollowUp"),
		"FollowUpClose": object("What closing a follow-up records; the suspended pass may then be re-activated", []string{"outcome"}, obj{
			"isolation": str(""),
			"referral":  str(""),
			"outcome":   obj{"type": "string", "minLength": 1, "description": "Required"},
		}),
	}
}

// temperature is a temperature in °C within the range the store accepts.
func temperature(desc string) obj {
	return obj{"type": "number", "minimum": health.MinTemperature, "maximum": health.MaxTemperature, "description": desc}
}
