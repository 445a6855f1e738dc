package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/roster"
	"fugong/internal/sign"
	"fugong/internal/store"
)

// --- passes (出入证) ---

type passesData struct {
	Items      []store.Pass
	Pager      pager
	Filter     store.PassFilter
	Statuses   []string
	Eligible   []store.EmployeeItem // people who may be asked a pass for (cleared or monitoring)
	CanApprove bool
	CanRequest bool
}

func passFilter(r *http.Request) store.PassFilter {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	return store.PassFilter{EnterpriseID: ent, Status: q.Get("status"), Page: pageOf(r)}
}

func (s *Server) passesPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	f := passFilter(r)
	items, total, err := s.roster.ListPasses(r.Context(), p, f)
	if err != nil {
		return err
	}
	d := passesData{Items: items, Pager: newPager(r, f.Page, total), Filter: f,
		Statuses:   []string{store.PassRequested, store.PassActive, store.PassSuspended, store.PassRevoked},
		CanApprove: p.Can(auth.PassesApprove), CanRequest: p.Can(auth.RosterEdit)}
	if d.CanRequest {
		for _, ph := range []roster.Phase{roster.Cleared, roster.Monitoring} {
			list, _, _, err := s.roster.List(r.Context(), p, store.EmployeeFilter{Phase: ph, Page: store.Page{Size: store.MaxPageSize}})
			if err != nil {
				return err
			}
			d.Eligible = append(d.Eligible, list...)
		}
	}
	return s.render(w, r, http.StatusOK, "passes", "Entry passes", d, nil)
}

// formIDs reads the repeated id values of a form field.
func formIDs(r *http.Request, field string) []int64 {
	if err := r.ParseForm(); err != nil {
		return nil
	}
	var out []int64
	for _, v := range r.PostForm[field] {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

func (s *Server) passRequest(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.roster.RequestPasses(r.Context(), principal(r), formIDs(r, "employee_id")); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Passes requested; they wait for the grid leader's approval"))
	http.Redirect(w, r, "/passes", http.StatusSeeOther)
	return nil
}

func (s *Server) passApprove(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.roster.ApprovePasses(r.Context(), principal(r), s.signer, formIDs(r, "id")); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Passes approved and issued"))
	http.Redirect(w, r, "/passes", http.StatusSeeOther)
	return nil
}

func (s *Server) passReactivate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	if _, err := s.roster.ReactivatePass(r.Context(), principal(r), id); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Pass re-activated"))
	http.Redirect(w, r, fmt.Sprintf("/passes/%d", id), http.StatusSeeOther)
	return nil
}

func (s *Server) passSuspendMissed(w http.ResponseWriter, r *http.Request) error {
	day := s.db.Now().AddDate(0, 0, -1)
	if v := strings.TrimSpace(r.FormValue("day")); v != "" {
		d, ok := roster.ParseDate(v, s.pol.Location())
		if !ok || d.IsZero() {
			return apperr.NewInvalid("day", "日期格式应为 YYYY-MM-DD", "The date must be YYYY-MM-DD")
		}
		day = d
	}
	n, err := s.roster.SuspendMissedChecks(r.Context(), principal(r), day)
	if err != nil {
		return err
	}
	flash(w, fmt.Sprintf("%s: %d", translate(langOf(r), "Passes suspended for missed checks"), n))
	http.Redirect(w, r, "/passes", http.StatusSeeOther)
	return nil
}

type passData struct {
	Pass     store.Pass
	Status   string
	CanReact bool
}

func (s *Server) passPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	p, err := s.roster.GetPass(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "pass", "Entry pass", passData{Pass: p, CanReact: principal(r).Can(auth.RosterView)}, nil)
}

func (s *Server) passQR(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	p, err := s.roster.GetPass(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	if p.Token == "" {
		return apperr.NewNotFound("出入证二维码")
	}
	png, err := sign.QRPNG(sign.VerifyURL(verifyBase(r), p.Token), 300)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	_, err = w.Write(png)
	return err
}

func (s *Server) apiPasses(w http.ResponseWriter, r *http.Request) error {
	f := passFilter(r)
	items, total, err := s.roster.ListPasses(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiPassRequest(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		EmployeeIDs []int64 `json:"employee_ids"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	out, err := s.roster.RequestPasses(r.Context(), principal(r), in.EmployeeIDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"items": out})
	return nil
}

func (s *Server) apiPassesApprove(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		IDs []int64 `json:"ids"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	out, err := s.roster.ApprovePasses(r.Context(), principal(r), s.signer, in.IDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiPassApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	out, err := s.roster.ApprovePasses(r.Context(), principal(r), s.signer, []int64{id})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out[0])
	return nil
}

func (s *Server) apiPassReactivate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	p, err := s.roster.ReactivatePass(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiPassRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.roster.RevokePass(r.Context(), principal(r), id, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiPassesRevoked(w http.ResponseWriter, r *http.Request) error {
	ids, err := s.roster.RevokedPasses(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"ids": ids, "generated_at": s.db.Now().UTC(), "public_key": sign.PublicKeyText(s.signer.PublicKey())})
	return nil
}

func (s *Server) apiSuspendMissed(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Day string `json:"day"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, ok := roster.ParseDate(in.Day, s.pol.Location())
	if !ok || d.IsZero() {
		return apperr.NewInvalid("day", "日期格式应为 YYYY-MM-DD", "The date must be YYYY-MM-DD")
	}
	n, err := s.roster.SuspendMissedChecks(r.Context(), principal(r), d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"suspended": n})
	return nil
}

// --- gate (门岗) ---

type gateData struct {
	Result    *store.ScanResult
	Entries   []store.GateEntry
	FeverLine float64
	Lang      string
	Gate      gateEntrance // the single entrance (handlers_gate_decode.go)
}

func (s *Server) renderGate(w http.ResponseWriter, r *http.Request, status int, res *store.ScanResult, ferr error) error {
	entries, err := s.roster.GateEntries(r.Context(), principal(r), 0)
	if err != nil {
		return err
	}
	ge, err := s.gateEntranceOf(r)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "gate", "Gate", gateData{Result: res, Entries: entries, FeverLine: s.pol.Health.FeverLine, Lang: langOf(r), Gate: ge}, ferr)
}

func (s *Server) gatePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderGate(w, r, http.StatusOK, nil, nil)
}

// parseTemp reads an optional temperature; "" is none.
func parseTemp(v string) (*float64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	t, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil, apperr.NewInvalid("temperature", "体温应为数字,例如 36.5", "The temperature must be a number, e.g. 36.5")
	}
	return &t, nil
}

func (s *Server) gateScan(w http.ResponseWriter, r *http.Request) error {
	temp, err := parseTemp(r.FormValue("temperature"))
	if err != nil {
		return s.renderGate(w, r, http.StatusUnprocessableEntity, nil, err)
	}
	res, err := s.roster.Scan(r.Context(), principal(r), s.verify, r.FormValue("token"), temp, r.FormValue("checkpoint"))
	if err != nil {
		if apperr.KindOf(err) == apperr.Invalid {
			return s.renderGate(w, r, http.StatusUnprocessableEntity, nil, err)
		}
		return err
	}
	return s.renderGate(w, r, http.StatusOK, &res, nil)
}

func gateEntryFromForm(r *http.Request) (store.GateEntry, string, error) {
	temp, err := parseTemp(r.FormValue("temperature"))
	if err != nil {
		return store.GateEntry{}, "", err
	}
	e := store.GateEntry{Kind: r.FormValue("kind"), Name: r.FormValue("name"), Phone: r.FormValue("phone"), Purpose: r.FormValue("purpose"),
		Host: r.FormValue("host"), Plate: r.FormValue("plate"), Temperature: temp, Checkpoint: r.FormValue("checkpoint")}
	if v := r.FormValue("freight_disinfected"); v != "" {
		b := v == "1" || v == "yes" || v == "true"
		e.FreightDisinfected = &b
	}
	return e, r.FormValue("id_number"), nil
}

func (s *Server) gateRegister(w http.ResponseWriter, r *http.Request) error {
	e, id, err := gateEntryFromForm(r)
	if err == nil {
		e, err = s.roster.Register(r.Context(), principal(r), e, id)
	}
	if err != nil {
		if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.NotFound {
			return s.renderGate(w, r, statusOf[k], nil, err)
		}
		return err
	}
	flash(w, registerFlash(langOf(r), e))
	http.Redirect(w, r, gateURL(e.Checkpoint), http.StatusSeeOther)
	return nil
}

func (s *Server) apiGateScan(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token       string          `json:"token"`
		Temperature json.RawMessage `json:"temperature"`
		Checkpoint  string          `json:"checkpoint"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var temp *float64
	if len(in.Temperature) > 0 && string(in.Temperature) != "null" {
		var t float64
		if err := json.Unmarshal(in.Temperature, &t); err != nil {
			return apperr.NewInvalid("temperature", "体温应为数字,例如 36.5", "The temperature must be a number, e.g. 36.5")
		}
		temp = &t
	}
	res, err := s.roster.Scan(r.Context(), principal(r), s.verify, in.Token, temp, in.Checkpoint)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) apiGateRegister(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		store.GateEntry
		IDNumber string `json:"id_number"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e, err := s.roster.Register(r.Context(), principal(r), in.GateEntry, in.IDNumber)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) apiGateEntries(w http.ResponseWriter, r *http.Request) error {
	ent, _ := strconv.ParseInt(r.URL.Query().Get("enterprise"), 10, 64)
	items, err := s.roster.GateEntries(r.Context(), principal(r), ent)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}
