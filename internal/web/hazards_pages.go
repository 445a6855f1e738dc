package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/hazard"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/xlsx"
)

// The hazard register (安全生产隐患排查治理): the list with its filters (open major hazards
// first), the register form, and the loop's actions on each row.

type hazardRow struct {
	hazard.Hazard
	SectorName string
	ItemName   string
	GradeName  string
	StatusName string
	UnitName   string
	Overdue    bool
}

type hazardsData struct {
	Items       []hazardRow
	Pager       pager
	Grade       string
	Status      string
	Statuses    []tipOption // each status, for the filter
	Sector      string
	Q           string
	Sectors     []policy.HazardSector
	Enterprises *entPicker
	CanRegister bool
	Own         bool // an enterprise's account: registers its own (企业自查)
	Form        hazardInput
}

func (s *Server) hazardRow(lang string, h hazard.Hazard) hazardRow {
	pick := func(zh, en string) string {
		if lang == "en" {
			return en
		}
		return zh
	}
	sec, _ := s.pol.HazardSector(h.Sector)
	return hazardRow{Hazard: h, SectorName: pick(sec.Name, sec.NameEN), ItemName: sec.ItemName(h.Item, lang == "en"), GradeName: pick(hazard.GradeName(h.Grade)),
		StatusName: pick(hazard.StatusName(h.Status)), UnitName: s.unitName(lang, h.Unit), Overdue: hazard.Overdue(h, s.db.Now())}
}

func (s *Server) hazardsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderHazards(w, r, http.StatusOK, hazardInput{Grade: hazard.General}, nil)
}

func (s *Server) renderHazards(w http.ResponseWriter, r *http.Request, status int, form hazardInput, ferr error) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	f, err := s.hazardFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Hazards().List(ctx, p, f)
	if err != nil {
		return err
	}
	d := hazardsData{Pager: newPager(r, f.Page, total), Grade: f.Grade, Status: f.Status, Sector: f.Sector, Q: f.Q, Sectors: s.pol.HazardSectors, Form: form,
		Own: p.Scope.Kind == auth.ScopeEnterprise && p.Can(auth.SupervisionAnswer)}
	d.CanRegister = d.Own || p.Can(auth.SupervisionInspect)
	for _, st := range hazard.Statuses {
		zh, en := hazard.StatusName(st)
		d.Statuses = append(d.Statuses, tipOption{st, pickLang(lang, zh, en)})
	}
	for _, h := range items {
		d.Items = append(d.Items, s.hazardRow(lang, h))
	}
	if p.Can(auth.SupervisionInspect) {
		if d.Enterprises, err = s.enterprisePicker(r, "enterprise_id", "eq", "entpick", form.EnterpriseID); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "hazards", "Hazard register", d, ferr)
}

func (s *Server) hazardCreate(w http.ResponseWriter, r *http.Request) error {
	ent, _ := strconv.ParseInt(r.FormValue("enterprise_id"), 10, 64)
	in := hazardInput{EnterpriseID: ent, Sector: r.FormValue("sector"), Grade: r.FormValue("grade"), Item: r.FormValue("item"), Description: r.FormValue("description")}
	_, err := s.db.Hazards().Register(r.Context(), principal(r), in.hazard())
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.NotFound {
		return s.renderHazards(w, r, statusOf[k], in, err)
	}
	if err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Hazard registered"))
	http.Redirect(w, r, "/hazards?status=open", http.StatusSeeOther)
	return nil
}

func (s *Server) hazardTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "隐患")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.FormValue("version"))
	_, err = s.db.Hazards().Transition(r.Context(), principal(r), id, r.FormValue("action"), r.FormValue("text"), version)
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict {
		return s.renderHazards(w, r, statusOf[k], hazardInput{Grade: hazard.General}, err)
	}
	if err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Hazard updated"))
	http.Redirect(w, r, fmt.Sprintf("/hazards?status=open#hazard-%d", id), http.StatusSeeOther)
	return nil
}

var hazardColumns = []xlsx.Column{
	{Key: "enterprise", Header: "企业名称", Width: 30}, {Key: "sector", Header: "行业领域", Width: 12}, {Key: "grade", Header: "隐患等级", Width: 10},
	{Key: "source", Header: "来源", Width: 10}, {Key: "item", Header: "排查项目", Width: 24}, {Key: "description", Header: "隐患描述", Width: 40},
	{Key: "unit", Header: "监管单位", Width: 20}, {Key: "deadline", Header: "整改期限", Width: 18}, {Key: "status", Header: "状态", Width: 14},
	{Key: "measures", Header: "整改措施", Width: 40},
}

// hazardsExport writes the hazards the filters select as .xlsx.
func (s *Server) hazardsExport(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	f, err := s.hazardFilter(r)
	if err != nil {
		return err
	}
	return exportPages(w, "hazards.xlsx", "安全生产隐患.xlsx", "隐患台账", hazardColumns, func(pg list.Page) ([]hazard.Hazard, error) {
		f.Page = pg
		items, _, err := s.db.Hazards().List(r.Context(), p, f)
		return items, err
	}, func(h hazard.Hazard) []any {
		row := s.hazardRow("zh", h)
		source := "检查发现"
		if h.Source == hazard.FromSelfCheck {
			source = "企业自查"
		}
		return []any{h.EnterpriseName, row.SectorName, row.GradeName, source, h.Item, h.Description, row.UnitName,
			h.Deadline.In(s.pol.Location()).Format(time.DateTime), row.StatusName, h.Measures}
	})
}

// hazardsHomeBlock is the home page's block of hazards: an enterprise's own still to
// rectify, by deadline; for those who inspect, the rectified hazards waiting for their
// acceptance and the overdue ones.
func (s *Server) hazardsHomeBlock(r *http.Request, p auth.Principal) (homeBlock, bool, error) {
	ctx, lang := r.Context(), langOf(r)
	switch {
	case p.Scope.Kind == auth.ScopeEnterprise && p.Can(auth.SupervisionAnswer):
		items, n, err := s.db.Hazards().List(ctx, p, hazard.Filter{Status: hazard.Registered, Page: list.Page{Size: 5}})
		if err != nil || n == 0 {
			return homeBlock{}, false, err
		}
		b := homeBlock{Key: "hazards", Title: "Hazards to rectify"}
		for _, h := range items {
			row := s.hazardRow(lang, h)
			what := row.ItemName
			if what == "" {
				what = h.Description
			}
			b.Lines = append(b.Lines, dashCrumb{Name: s.dueLine(lang, row.GradeName+" · "+what, h.Deadline), Link: fmt.Sprintf("/hazards?status=open#hazard-%d", h.ID)})
		}
		b.more(lang, "All %d hazards", n, "/hazards?status=open")
		return b, true, nil
	case p.Can(auth.SupervisionInspect):
		_, toAccept, err := s.db.Hazards().List(ctx, p, hazard.Filter{Status: hazard.Rectified, Page: list.Page{Size: 1}})
		if err != nil || toAccept == 0 {
			return homeBlock{}, false, err
		}
		return homeBlock{Key: "hazards", Title: "Hazards", Cards: []dashCard{
			{Label: "To accept", Value: strconv.Itoa(toAccept), Link: "/hazards?status=" + hazard.Rectified, Warn: true},
		}}, true, nil
	}
	return homeBlock{}, false, nil
}
