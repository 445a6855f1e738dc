package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/health"
	"fugong/internal/pass"
	"fugong/internal/sign"
)

// --- my pass (我的出入证): a staff account linked to its own employee record ---

type meData struct {
	Me   pass.Me
	Help rosterHelp
	Lang string
}

// Message is the pass's state in the page's language.
func (d meData) Message() string {
	if d.Lang == "en" {
		return d.Me.MessageEN
	}
	return d.Me.Message
}

func (s *Server) renderMe(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	me, err := s.db.Passes().Mine(r.Context(), principal(r))
	if err != nil {
		return err
	}
	return s.render(w, r, status, "me", "My pass", meData{Me: me, Help: s.rosterHelp(r), Lang: langOf(r)}, ferr)
}

func (s *Server) mePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMe(w, r, http.StatusOK, nil)
}

// declarationFromForm reads the one-tap declaration: a temperature and ticked symptoms.
func declarationFromForm(r *http.Request) (health.Declaration, error) {
	temp, err := parseTemp(r.FormValue("temperature"))
	if err != nil {
		return health.Declaration{}, err
	}
	if temp == nil {
		return health.Declaration{}, apperr.NewInvalid("temperature", "请填写体温", "Enter the temperature")
	}
	d := health.Declaration{Temperature: *temp}
	for _, sym := range r.Form["symptom"] {
		if sym = strings.TrimSpace(sym); sym != "" {
			d.Symptoms = append(d.Symptoms, sym)
		}
	}
	return d, nil
}

// meDeclare records the declaration for the linked person and goes back to /me, where
// the pass shows what the reading did to it.
func (s *Server) meDeclare(w http.ResponseWriter, r *http.Request) error {
	d, err := declarationFromForm(r)
	var res health.CheckResult
	if err == nil {
		res, err = s.db.Health().Declare(r.Context(), principal(r), d)
	}
	if err != nil {
		if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict {
			return s.renderMe(w, r, statusOf[k], err)
		}
		return err
	}
	lang := langOf(r)
	msg := translate(lang, "Recorded")
	if res.Fever {
		msg = translate(lang, "Fever: the pass is suspended")
	}
	flash(w, fmt.Sprintf("%.1f ℃ — %s", res.Temperature, msg))
	http.Redirect(w, r, "/me", http.StatusSeeOther)
	return nil
}

// mePassQR is the QR code of the account's own pass: the staff account needs no
// roster.view to show it.
func (s *Server) mePassQR(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.db.Passes().MyToken(r.Context(), principal(r))
	if err != nil {
		return err
	}
	png, err := sign.QRPNG(sign.VerifyURL(verifyBase(r), tok), 300)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	_, err = w.Write(png)
	return err
}

// healthDeclareOrMe keeps /health/declare working by token, and sends a linked staff
// account that comes without one to its own page, where it declares without the token.
func (s *Server) healthDeclareOrMe(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Get("t") == "" {
		linked, err := s.db.Passes().Linked(r.Context(), principal(r))
		if err != nil {
			return err
		}
		if linked {
			http.Redirect(w, r, "/me", http.StatusSeeOther)
			return nil
		}
	}
	return s.healthDeclarePage(w, r)
}

// Other is key in the language the page is not shown in, for the few messages that must
// be read whatever the language chosen.
func (d meData) Other(key string) string {
	if d.Lang == "en" {
		return translate("zh", key)
	}
	return key
}
