package web

import (
	"fmt"
	"net/http"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/policy"
	"fugong/internal/store"
)

// The grid chain (网格审批): the policy's levels, the passes waiting for the caller's level,
// and each level's decision.

type gridChainView struct {
	policy.GridChain
	LevelNames []string // the highest first
}

type gridRow struct {
	store.GridPass
	StepNames []string // the levels that approve, the lowest first, with what each decided
	NextName  string
}

type gridData struct {
	Chains []gridChainView
	Mine   []string // names of the levels the caller holds
	Items  []gridRow
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
		row := gridRow{GridPass: g, NextName: s.unitLabel(lang, g.Next)}
		for i, u := range g.Steps {
			n := s.unitLabel(lang, u)
			if i < len(g.Decisions) {
				n += " ✓"
			}
			row.StepNames = append(row.StepNames, n)
		}
		d.Items = append(d.Items, row)
	}
	return s.render(w, r, http.StatusOK, "grid", "Grid approval", d, nil)
}

func (s *Server) gridDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	if err := checkForm(r); err != nil {
		return err
	}
	approve := r.PostForm.Get("decision") != "refuse"
	g, err := s.db.Passes().GridDecide(r.Context(), principal(r), id, approve, r.PostForm.Get("reason"))
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
