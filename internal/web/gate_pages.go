package web

import (
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/gate"
)

// --- the single entrance (唯一进出通道) ---

// gateEntrance is what the gate page shows about the enterprise's entrance.
type gateEntrance struct {
	Known      bool // the page is about one enterprise (the user's own)
	Entrance   gate.Entrance
	CanEdit    bool   // the user may register the entrance
	Checkpoint string // where scans and registrations are made: the form's value, else the entrance
}

// gateEntranceOf reads the entrance of the user's own enterprise for the gate page; users
// not scoped to an enterprise see none.
func (s *Server) gateEntranceOf(r *http.Request) (gateEntrance, error) {
	p := principal(r)
	g := gateEntrance{Checkpoint: strings.TrimSpace(r.FormValue("checkpoint"))}
	if p.Scope.Kind != auth.ScopeEnterprise {
		return g, nil
	}
	e, err := s.db.Gate().Entrance(r.Context(), p, 0)
	if err != nil {
		return g, err
	}
	g.Known, g.Entrance, g.CanEdit = true, e, p.Can(auth.EnterprisesEdit)
	if g.Checkpoint == "" {
		g.Checkpoint = e.Name
	}
	return g, nil
}

// gateEntranceSave registers the entrance of an enterprise (the gate page's form).
func (s *Server) gateEntranceSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	p := principal(r)
	onGate := p.Can(auth.GateScan) && p.Scope.Kind == auth.ScopeEnterprise && p.Scope.ID == id
	if _, err := s.db.Gate().SetEntrance(r.Context(), p, id, r.FormValue("entrance")); err != nil {
		if apperr.KindOf(err) == apperr.Invalid && onGate {
			return s.renderGate(w, r, http.StatusUnprocessableEntity, nil, err)
		}
		return err
	}
	flash(w, translate(langOf(r), "Entrance saved"))
	if onGate {
		http.Redirect(w, r, "/gate", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/enterprises/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	}
	return nil
}

// registerFlash says that a visitor or vehicle was registered, and refused when it was.
func registerFlash(lang string, e gate.Entry) string {
	msg := translate(lang, "Entry registered")
	if e.Allow {
		return msg
	}
	reason := map[string][2]string{
		"fever":           {"体温异常", "fever"},
		"not_disinfected": {"货物未消毒", "the freight is not disinfected"},
		"wrong_entrance":  {"非本企业唯一进出通道", "not the enterprise's single entrance"},
		"entrance_error":  {"暂时无法核对进出通道", "the entrance cannot be checked now"},
	}[e.Reason]
	if reason[0] == "" {
		reason = [2]string{e.Reason, e.Reason}
	}
	if lang == "en" {
		return msg + "; entry refused: " + reason[1]
	}
	return msg + ",禁止入内:" + reason[0]
}

// gateURL is the gate page, keeping the checkpoint the guard works at.
func gateURL(checkpoint string) string {
	if c := strings.TrimSpace(checkpoint); c != "" {
		return "/gate?checkpoint=" + url.QueryEscape(c)
	}
	return "/gate"
}

// --- gate (门岗) ---

type gateData struct {
	Result    *gate.Result
	Entries   []gate.Entry
	FeverLine float64
	Lang      string
	Gate      gateEntrance // the single entrance (gateEntranceOf)
}

func (s *Server) renderGate(w http.ResponseWriter, r *http.Request, status int, res *gate.Result, ferr error) error {
	entries, err := s.db.Gate().Entries(r.Context(), principal(r), 0)
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

func (s *Server) gateScan(w http.ResponseWriter, r *http.Request) error {
	temp, err := parseTemp(r.FormValue("temperature"))
	if err != nil {
		return s.renderGate(w, r, http.StatusUnprocessableEntity, nil, err)
	}
	if err := gate.CheckToken(r.FormValue("token")); err != nil {
		return s.renderGate(w, r, http.StatusUnprocessableEntity, nil, err)
	}
	res, err := s.db.Gate().Scan(r.Context(), principal(r), r.FormValue("token"), temp, r.FormValue("checkpoint"))
	if err != nil {
		if apperr.KindOf(err) == apperr.Invalid {
			return s.renderGate(w, r, http.StatusUnprocessableEntity, nil, err)
		}
		return err
	}
	return s.renderGate(w, r, http.StatusOK, &res, nil)
}

func gateEntryFromForm(r *http.Request) (gate.Entry, string, error) {
	temp, err := parseTemp(r.FormValue("temperature"))
	if err != nil {
		return gate.Entry{}, "", err
	}
	e := gate.Entry{Kind: r.FormValue("kind"), Name: r.FormValue("name"), Phone: r.FormValue("phone"), Purpose: r.FormValue("purpose"),
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
		e, err = s.db.Gate().Register(r.Context(), principal(r), e, id)
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
