package web

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/store"
)

// --- health checks (体温检测) ---

type healthData struct {
	Unchecked  []store.Unchecked
	Repeats    []store.RepeatFlag
	FollowUps  []store.FollowUp
	Last       *store.CheckResult
	FeverLine  float64
	PerDay     int
	Checkpoint string
	CanFollow  bool
}

func (s *Server) renderHealth(w http.ResponseWriter, r *http.Request, status int, last *store.CheckResult, ferr error) error {
	p := principal(r)
	cp := strings.TrimSpace(r.FormValue("checkpoint"))
	d := healthData{Last: last, FeverLine: s.pol.Health.FeverLine, PerDay: s.pol.Health.ChecksPerDay, Checkpoint: cp, CanFollow: p.Can(auth.RosterView)}
	var err error
	if d.Unchecked, err = s.roster.NotCheckedToday(r.Context(), p, 0, r.URL.Query().Get("at")); err != nil {
		return err
	}
	if d.Repeats, err = s.roster.RepeatedDeclarations(r.Context(), p, 0); err != nil {
		return err
	}
	if d.CanFollow {
		if d.FollowUps, err = s.roster.ListFollowUps(r.Context(), p, false); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "health", "Health checks", d, ferr)
}

func (s *Server) healthPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderHealth(w, r, http.StatusOK, nil, nil)
}

func readingFromForm(r *http.Request) (store.Reading, error) {
	temp, err := parseTemp(r.FormValue("temperature"))
	if err != nil {
		return store.Reading{}, err
	}
	if temp == nil {
		return store.Reading{}, apperr.NewInvalid("temperature", "请填写体温", "Enter the temperature")
	}
	rd := store.Reading{Temperature: *temp, Checkpoint: r.FormValue("checkpoint")}
	who := strings.TrimSpace(r.FormValue("person"))
	if id, err := strconv.ParseInt(who, 10, 64); err == nil {
		rd.EmployeeID = id
	} else {
		rd.PassToken = who
	}
	for _, sym := range strings.Split(r.FormValue("symptoms"), ",") {
		if sym = strings.TrimSpace(sym); sym != "" {
			rd.Symptoms = append(rd.Symptoms, sym)
		}
	}
	if r.Form != nil {
		for _, sym := range r.Form["symptom"] {
			rd.Symptoms = append(rd.Symptoms, sym)
		}
	}
	return rd, nil
}

// healthRecord records one reading from the checkpoint page and shows the page again,
// ready for the next person.
func (s *Server) healthRecord(w http.ResponseWriter, r *http.Request) error {
	rd, err := readingFromForm(r)
	var res []store.CheckResult
	if err == nil {
		res, err = s.roster.RecordChecks(r.Context(), principal(r), s.verify, []store.Reading{rd})
	}
	if err != nil {
		if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.NotFound {
			return s.renderHealth(w, r, statusOf[k], nil, err)
		}
		return err
	}
	return s.renderHealth(w, r, http.StatusOK, &res[0], nil)
}

type declareData struct {
	Token     string
	Last      *store.CheckResult
	FeverLine float64
}

func (s *Server) healthDeclarePage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "health_declare", "Declare my temperature",
		declareData{Token: r.URL.Query().Get("t"), FeverLine: s.pol.Health.FeverLine}, nil)
}

func (s *Server) healthDeclare(w http.ResponseWriter, r *http.Request) error {
	rd, err := readingFromForm(r)
	d := declareData{Token: r.FormValue("person"), FeverLine: s.pol.Health.FeverLine}
	var res []store.CheckResult
	if err == nil {
		res, err = s.roster.RecordChecks(r.Context(), principal(r), s.verify, []store.Reading{rd})
	}
	if err != nil {
		if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.NotFound {
			return s.render(w, r, statusOf[k], "health_declare", "Declare my temperature", d, err)
		}
		return err
	}
	d.Last = &res[0]
	return s.render(w, r, http.StatusOK, "health_declare", "Declare my temperature", d, nil)
}

func (s *Server) followUpClose(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "健康跟踪记录")
	if err != nil {
		return err
	}
	if _, err := s.roster.CloseFollowUp(r.Context(), principal(r), id, store.FollowUpClose{Isolation: r.FormValue("isolation"),
		Referral: r.FormValue("referral"), Outcome: r.FormValue("outcome")}); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Follow-up closed; the pass may be re-activated"))
	to := "/passes?status=suspended"
	if principal(r).Can(auth.HealthRecord) {
		to = "/health"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

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
