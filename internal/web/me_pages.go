package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/sign"
	"fugong/internal/store"
)

// --- my pass (我的出入证): a staff account linked to its own employee record ---

type meData struct {
	Me   store.Me
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
	me, err := s.roster.Me(r.Context(), principal(r))
	if err != nil {
		return err
	}
	return s.render(w, r, status, "me", "My pass", meData{Me: me, Help: s.rosterHelp(r), Lang: langOf(r)}, ferr)
}

func (s *Server) mePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMe(w, r, http.StatusOK, nil)
}

// declarationFromForm reads the one-tap declaration: a temperature and ticked symptoms.
func declarationFromForm(r *http.Request) (store.Declaration, error) {
	temp, err := parseTemp(r.FormValue("temperature"))
	if err != nil {
		return store.Declaration{}, err
	}
	if temp == nil {
		return store.Declaration{}, apperr.NewInvalid("temperature", "请填写体温", "Enter the temperature")
	}
	d := store.Declaration{Temperature: *temp}
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
	var res store.CheckResult
	if err == nil {
		res, err = s.roster.DeclareMine(r.Context(), principal(r), d)
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
	tok, err := s.roster.MyPassToken(r.Context(), principal(r))
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
		linked, err := s.roster.Linked(r.Context(), principal(r))
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

func (s *Server) apiMePass(w http.ResponseWriter, r *http.Request) error {
	me, err := s.roster.Me(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, me)
	return nil
}

func (s *Server) apiMeDeclare(w http.ResponseWriter, r *http.Request) error {
	var in store.Declaration
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.roster.DeclareMine(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, res)
	return nil
}

// --- the account of an employee (on the employee's page) ---

// employeeAccount is the account section of an employee's page.
func (s *Server) employeeAccount(r *http.Request, employeeID int64) (*store.EmployeeAccount, error) {
	acc, err := s.roster.EmployeeAccount(r.Context(), principal(r), employeeID)
	if err != nil {
		return nil, err
	}
	return &acc, nil
}

// employeeAccountSave links (user_id) or unlinks (action=unlink) the employee's account
// from the employee's page.
func (s *Server) employeeAccountSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	lang := langOf(r)
	msg := "Account unlinked"
	switch r.FormValue("action") {
	case "create":
		var acc store.NewAccount
		if acc, err = s.roster.CreateAccount(r.Context(), p, id, r.FormValue("username")); err == nil {
			return s.showSecret(w, r, http.StatusCreated, secretData{U: acc.User, Password: acc.Password, Created: true, Back: fmt.Sprintf("/employees/%d", id)})
		}
	case "unlink":
		_, err = s.roster.UnlinkAccount(r.Context(), p, id)
	default:
		msg = "Account linked"
		uid, perr := strconv.ParseInt(strings.TrimSpace(r.FormValue("user_id")), 10, 64)
		if perr != nil || uid <= 0 {
			uid = 0 // the store says what is missing
		}
		_, err = s.roster.LinkAccount(r.Context(), p, id, uid)
	}
	if err != nil {
		k := apperr.KindOf(err)
		if k != apperr.Invalid && k != apperr.Conflict {
			return err
		}
		it, gerr := s.roster.Get(r.Context(), p, id)
		if gerr != nil {
			return gerr
		}
		return s.employeeForm(w, r, statusOf[k], it, false, err)
	}
	flash(w, translate(lang, msg))
	http.Redirect(w, r, fmt.Sprintf("/employees/%d", id), http.StatusSeeOther)
	return nil
}

// apiEmployeeAccountCreate opens a staff account for the employee and links it.
func (s *Server) apiEmployeeAccountCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	var in struct {
		Username string `json:"username"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	acc, err := s.roster.CreateAccount(r.Context(), principal(r), id, in.Username)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, acc)
	return nil
}

func (s *Server) apiEmployeeAccountGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	acc, err := s.roster.EmployeeAccount(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, acc)
	return nil
}

// apiEmployeeAccount links {"user_id": N} or unlinks {"user_id": null} the employee's
// account.
func (s *Server) apiEmployeeAccount(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	var in struct {
		UserID json.RawMessage `json:"user_id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var acc store.EmployeeAccount
	switch v := strings.TrimSpace(string(in.UserID)); v {
	case "":
		return apperr.NewInvalid("user_id", "请填写 user_id:要关联的员工账号编号,或 null 解除关联",
			"Give user_id: the staff account to link, or null to unlink")
	case "null":
		acc, err = s.roster.UnlinkAccount(r.Context(), principal(r), id)
	default:
		uid, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || uid <= 0 {
			return apperr.NewInvalid("user_id", "user_id 应为账号编号(正整数)或 null", "user_id must be an account id (a positive whole number) or null")
		}
		acc, err = s.roster.LinkAccount(r.Context(), principal(r), id, uid)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, acc)
	return nil
}

// Other is key in the language the page is not shown in, for the few messages that must
// be read whatever the language chosen.
func (d meData) Other(key string) string {
	if d.Lang == "en" {
		return translate("zh", key)
	}
	return key
}
