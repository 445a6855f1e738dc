package web

import (
	"bytes"
	"io"
	"net/http"
	"strconv"

	"fugong/internal/store"
)

// apiHealthChecks takes one reading or an array of readings; all are recorded (and
// committed) or none.
func (s *Server) apiHealthChecks(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	body = bytes.TrimSpace(body)
	var readings []store.Reading
	batch := len(body) > 0 && body[0] == '['
	r.Body = io.NopCloser(bytes.NewReader(body))
	if batch {
		err = decodeJSON(r, &readings)
	} else {
		var one store.Reading
		err = decodeJSON(r, &one)
		readings = []store.Reading{one}
	}
	if err != nil {
		return err
	}
	res, err := s.roster.RecordChecks(r.Context(), principal(r), s.verify, readings)
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
	items, err := s.roster.NotCheckedToday(r.Context(), principal(r), ent, q.Get("checkpoint"))
	if err != nil {
		return err
	}
	rep, err := s.roster.RepeatedDeclarations(r.Context(), principal(r), ent)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "repeated_declarations": rep, "checks_per_day": s.pol.Health.ChecksPerDay})
	return nil
}

func (s *Server) apiFollowUps(w http.ResponseWriter, r *http.Request) error {
	items, err := s.roster.ListFollowUps(r.Context(), principal(r), r.URL.Query().Get("open") == "true")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) apiFollowUpClose(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "健康跟踪记录")
	if err != nil {
		return err
	}
	var in store.FollowUpClose
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	f, err := s.roster.CloseFollowUp(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}
