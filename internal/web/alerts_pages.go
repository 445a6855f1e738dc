package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"fugong/internal/alert"
	"fugong/internal/auth"
	"fugong/internal/input"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/xlsx"
)

// Alerts upward (预警): the recipient's list, acknowledgement, and the home page's block of
// what is not acknowledged yet.

type alertRow struct {
	alert.Alert
	KindName  string
	UnitName  string
	Summary   string
	AckedText string // when and by whom it was acknowledged
}

type alertsData struct {
	Filter alert.Filter
	Kinds  []codeName
	Items  []alertRow
	Pager  pager
}

func alertFilter(r *http.Request) (alert.Filter, error) {
	q := r.URL.Query()
	open, err := input.Flag("open", q.Get("open"))
	f := alert.Filter{Open: open, Kind: q.Get("kind"), Page: pageOf(r)}
	return f, joinErrors(err, input.Join(input.OneOf("kind", f.Kind, policy.AlertKinds)))
}

// alertRows names the alerts' kinds and units and says in one line what is known.
func (s *Server) alertRows(lang string, as []alert.Alert) []alertRow {
	pick := func(pair [2]string) string {
		if lang == "en" {
			return pair[1]
		}
		return pair[0]
	}
	out := make([]alertRow, 0, len(as))
	for _, a := range as {
		row := alertRow{Alert: a, KindName: pick(alert.KindNames[a.Kind]), UnitName: a.Unit}
		if u, ok := s.pol.Unit(a.Unit); ok {
			row.UnitName = pick([2]string{u.Name, u.NameEN})
		}
		var parts []string
		f := a.Facts
		if len(f.Persons) > 0 {
			parts = append(parts, strings.Join(f.Persons, "、"))
		}
		if f.Temperature > 0 {
			parts = append(parts, fmt.Sprintf("%.1f °C", f.Temperature))
		}
		if len(f.Symptoms) > 0 {
			parts = append(parts, strings.Join(f.Symptoms, "、"))
		}
		if f.Origin != "" {
			parts = append(parts, s.originNames(f.Origin, lang))
		}
		if f.Count > 1 {
			parts = append(parts, fmt.Sprintf(translate(lang, "%d persons"), f.Count))
		}
		if f.Text != "" {
			parts = append(parts, f.Text)
		}
		row.Summary = strings.Join(parts, " · ")
		if a.AckedAt != nil {
			row.AckedText = a.AckedAt.In(s.pol.Location()).Format("2006-01-02 15:04") + " " + a.AckedBy
		}
		out = append(out, row)
	}
	return out
}

// originNames is an alert's origins, named in Chinese as the alert keeps them
// (alert.JoinOrigins), in lang: a name the policy's origin classes no longer hold stays.
func (s *Server) originNames(origins, lang string) string {
	if lang != "en" {
		return origins
	}
	names := strings.Split(origins, "、")
	for i, n := range names {
		for _, o := range s.pol.OriginClasses {
			if o.Name == n && o.NameEN != "" {
				names[i] = o.NameEN
			}
		}
	}
	return strings.Join(names, ", ")
}

func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request) error {
	f, err := alertFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Alerts().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	lang := langOf(r)
	d := alertsData{Filter: f, Items: s.alertRows(lang, items), Pager: newPager(r, f.Page, total)}
	for _, k := range policy.AlertKinds {
		n := alert.KindNames[k][0]
		if lang == "en" {
			n = alert.KindNames[k][1]
		}
		d.Kinds = append(d.Kinds, codeName{k, n})
	}
	return s.render(w, r, http.StatusOK, "alerts", "Alerts", d, nil)
}

func (s *Server) alertAck(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "预警")
	if err != nil {
		return err
	}
	if _, err := s.db.Alerts().Ack(r.Context(), principal(r), id); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Alert acknowledged"))
	back := "/alerts?open=1"
	if r.FormValue("from") == "home" {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// homeAlerts is the home page's block: the alerts waiting for the user's acknowledgement
// (the first few) and how many there are. It is empty for those who receive none.
type homeAlerts struct {
	Items []alertRow
	Open  int
}

func (s *Server) homeAlerts(r *http.Request) (homeAlerts, error) {
	p := principal(r)
	if !p.Can(auth.AlertsView) {
		return homeAlerts{}, nil
	}
	items, n, err := s.db.Alerts().List(r.Context(), p, alert.Filter{Open: true, Page: list.Page{Size: 5}})
	if err != nil {
		return homeAlerts{}, err
	}
	return homeAlerts{Items: s.alertRows(langOf(r), items), Open: n}, nil
}

var alertColumns = []xlsx.Column{
	{Key: "time", Header: "预警时间", Width: 18}, {Key: "kind", Header: "预警类别", Width: 18}, {Key: "enterprise", Header: "企业名称", Width: 30},
	{Key: "summary", Header: "预警内容", Width: 40}, {Key: "unit", Header: "发送至", Width: 20}, {Key: "acked", Header: "签收", Width: 24},
}

// alertsExport writes the alerts the filter selects, every page, as the register of
// alerts and their acknowledgement (预警签收台账), persons as the recipient may see them.
func (s *Server) alertsExport(w http.ResponseWriter, r *http.Request) error {
	f, err := alertFilter(r)
	if err != nil {
		return err
	}
	ctx, p, loc := r.Context(), principal(r), s.pol.Location()
	return exportPages(w, "alerts.xlsx", "预警签收台账.xlsx", "预警", alertColumns, func(pg list.Page) ([]alertRow, error) {
		f.Page = pg
		items, _, err := s.db.Alerts().List(ctx, p, f)
		return s.alertRows("zh", items), err
	}, func(a alertRow) []any {
		return []any{a.CreatedAt.In(loc).Format(time.DateTime), a.KindName, a.EnterpriseName, a.Summary, a.UnitName, a.AckedText}
	})
}
