package web

import (
	"fmt"
	"net/http"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/grid"
	"fugong/internal/policy"
)

// The grid chain (网格审批): the policy's levels, the passes waiting for the caller's level,
// and each level's decision.

type gridChainView struct {
	policy.GridChain
	LevelNames []string // the highest first
}

type gridRow struct {
	grid.Pass
	StepNames []string // the levels that approve, the lowest first, with what each decided
	NextName  string
}

// gridList is an enterprise's returning staff list (返岗人员名单): its passes waiting for
// the caller's level, decided one by one or together.
type gridList struct {
	EnterpriseID   int64
	EnterpriseName string
	Items          []gridRow
}

type gridData struct {
	Chains  []gridChainView
	Mine    []string // names of the levels the caller holds
	Waiting int      // passes waiting, over all lists
	Lists   []gridList
}

func (s *Server) unitLabel(lang, code string) string {
	if u, ok := s.pol.Unit(code); ok {
		if lang == "en" && u.NameEN != "" {
			return u.NameEN
		}
		return u.Name
	}
	return code
}

func (s *Server) gridPage(w http.ResponseWriter, r *http.Request) error {
	lang := langOf(r)
	items, units, err := s.db.Passes().GridWaiting(r.Context(), principal(r))
	if err != nil {
		return err
	}
	d := gridData{}
	for _, c := range s.pol.GridChains {
		v := gridChainView{GridChain: c}
		for _, u := range c.Levels {
			v.LevelNames = append(v.LevelNames, s.unitLabel(lang, u))
		}
		d.Chains = append(d.Chains, v)
	}
	for _, u := range units {
		d.Mine = append(d.Mine, s.unitLabel(lang, u))
	}
	for _, g := range items {
		row := gridRow{Pass: g, NextName: s.unitLabel(lang, g.Next)}
		for i, u := range g.Steps {
			n := s.unitLabel(lang, u)
			if i < len(g.Decisions) {
				n += " ✓"
			}
			row.StepNames = append(row.StepNames, n)
		}
		if n := len(d.Lists); n == 0 || d.Lists[n-1].EnterpriseID != g.EnterpriseID {
			d.Lists = append(d.Lists, gridList{EnterpriseID: g.EnterpriseID, EnterpriseName: g.EnterpriseName})
		}
		l := &d.Lists[len(d.Lists)-1]
		l.Items = append(l.Items, row)
		d.Waiting++
	}
	return s.render(w, r, http.StatusOK, "grid", "Grid approval", d, nil)
}

// gridForm reads the id of the path and a decision form: approve unless it says refuse.
func gridForm(r *http.Request, what string) (id int64, approve bool, reason string, err error) {
	if id, err = pathID(r, what); err != nil {
		return
	}
	if err = r.ParseForm(); err != nil {
		err = apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
		return
	}
	if err = checkForm(r); err != nil {
		return
	}
	return id, r.PostForm.Get("decision") != "refuse", r.PostForm.Get("reason"), nil
}

// gridDecideList decides on an enterprise's whole returning staff list at the caller's
// level.
func (s *Server) gridDecideList(w http.ResponseWriter, r *http.Request) error {
	id, approve, reason, err := gridForm(r, "企业")
	if err != nil {
		return err
	}
	gs, err := s.db.Passes().GridDecideList(r.Context(), principal(r), id, approve, reason)
	if err != nil {
		return err
	}
	lang := langOf(r)
	var msg string
	switch {
	case !approve:
		msg = fmt.Sprintf(translate(lang, "Refused: the list of %d is stopped"), len(gs))
	case gs[0].Next == "":
		msg = fmt.Sprintf(translate(lang, "Approved at the last level: %d passes are issued"), len(gs))
	default:
		msg = fmt.Sprintf(translate(lang, "Approved; the list of %d goes up to %s"), len(gs), s.unitLabel(lang, gs[0].Next))
	}
	flash(w, msg)
	http.Redirect(w, r, "/grid", http.StatusSeeOther)
	return nil
}

func (s *Server) gridDecide(w http.ResponseWriter, r *http.Request) error {
	id, approve, reason, err := gridForm(r, "出入证")
	if err != nil {
		return err
	}
	g, err := s.db.Passes().GridDecide(r.Context(), principal(r), id, approve, reason)
	if err != nil {
		return err
	}
	msg := translate(langOf(r), "Approved; the pass goes up to %s")
	switch {
	case !approve:
		msg = translate(langOf(r), "Refused: the pass of %s is stopped")
		msg = fmt.Sprintf(msg, g.Name)
	case g.Next == "":
		msg = fmt.Sprintf(translate(langOf(r), "Approved at the last level: the pass of %s is issued"), g.Name)
	default:
		msg = fmt.Sprintf(msg, s.unitLabel(langOf(r), g.Next))
	}
	flash(w, strings.TrimSpace(msg))
	http.Redirect(w, r, "/grid", http.StatusSeeOther)
	return nil
}
