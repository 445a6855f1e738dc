package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/inspection"
	"fugong/internal/list"
	"fugong/internal/rectify"
	"fugong/internal/xlsx"
)

// Rectification orders (整改通知书): the list (overdue first), an order with its answer
// and the unit's actions, and the printable numbered notice.

type orderRow struct {
	rectify.Order
	UnitName     string
	SeverityName string
	StatusName   string
	LevelName    string
	Overdue      bool
}

func (s *Server) orderRow(lang string, o rectify.Order) orderRow {
	pick := func(zh, en string) string {
		if lang == "en" {
			return en
		}
		return zh
	}
	row := orderRow{Order: o, UnitName: s.unitName(lang, o.Unit), SeverityName: pick(inspection.SeverityName(o.Severity)),
		StatusName: pick(rectify.StatusName(o.Status)), Overdue: rectify.Overdue(o, s.db.Now())}
	if u := rectify.LevelUnit(s.pol, o.Level); u != "" {
		row.LevelName = s.unitName(lang, u)
	}
	return row
}

type rectificationsData struct {
	Items      []orderRow
	Pager      pager
	Filter     rectify.Filter
	Severities []kindOption
}

func (s *Server) rectificationsPage(w http.ResponseWriter, r *http.Request) error {
	lang := langOf(r)
	f, err := rectificationFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Rectifications().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	d := rectificationsData{Pager: newPager(r, f.Page, total), Filter: f}
	for _, o := range items {
		d.Items = append(d.Items, s.orderRow(lang, o))
	}
	for _, sv := range inspection.Severities {
		zh, en := inspection.SeverityName(sv)
		if lang == "en" {
			zh = en
		}
		d.Severities = append(d.Severities, kindOption{sv, zh})
	}
	return s.render(w, r, http.StatusOK, "rectifications", "Rectification orders", d, nil)
}

type rectificationData struct {
	O          orderRow
	E          enterprise.Enterprise
	ItemName   string
	PhotoIDs   []int64
	CanAnswer  bool
	CanDecide  bool
	CanEscal   bool
	Text       string
	Suspended  string
	Locality   string
	IssuedDate string
	Deadline   string
}

func (s *Server) rectificationData(r *http.Request) (rectificationData, error) {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	id, err := pathID(r, "整改通知书")
	if err != nil {
		return rectificationData{}, err
	}
	o, err := s.db.Rectifications().Get(ctx, p, id)
	if err != nil {
		return rectificationData{}, err
	}
	d := rectificationData{O: s.orderRow(lang, o), Locality: s.pol.Locality.Name,
		IssuedDate: o.CreatedAt.In(s.pol.Location()).Format("2006年1月2日"), Deadline: o.Deadline.In(s.pol.Location()).Format("2006年1月2日 15:04")}
	if d.E, err = s.db.GetEnterprise(ctx, p, o.EnterpriseID); err != nil {
		return d, err
	}
	d.ItemName = o.Item
	for _, it := range s.pol.SupervisionItems {
		if it.Code == o.Item {
			d.ItemName = it.Name
			if lang == "en" {
				d.ItemName = it.NameEN
			}
		}
	}
	photos, err := s.db.Inspections().Photos(ctx, "rectification", o.ID)
	if err != nil {
		return d, err
	}
	d.PhotoIDs = photos[o.Item]
	own := p.Scope.Kind == auth.ScopeEnterprise && p.Scope.ID == o.EnterpriseID
	d.CanAnswer = own && p.Can(auth.SupervisionAnswer) && o.Status == rectify.Open
	d.CanDecide = p.Can(auth.SupervisionInspect) && o.Status == rectify.Answered
	d.CanEscal = p.Can(auth.SupervisionInspect) && d.O.Overdue && o.Level < len(s.pol.Supervision.EscalateTo)
	d.Suspended, err = s.db.Rectifications().SuspendedNotice(ctx, p, o.EnterpriseID)
	return d, err
}

func (s *Server) rectificationPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.rectificationData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "rectification", "Rectification order", d, nil)
}

func (s *Server) rectificationNotice(w http.ResponseWriter, r *http.Request) error {
	d, err := s.rectificationData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "rectification_notice", "Rectification notice", d, nil)
}

// rectificationTransition applies the action of the form; the enterprise's answer may
// carry photos, kept first.
func (s *Server) rectificationTransition(w http.ResponseWriter, r *http.Request) error {
	if err := parseUploadForm(r); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	ctx, p := r.Context(), principal(r)
	id, err := pathID(r, "整改通知书")
	if err != nil {
		return err
	}
	req := rectify.Request{Action: r.FormValue("action"), Text: r.FormValue("text")}
	req.Version, _ = strconv.Atoi(r.FormValue("version"))
	if r.MultipartForm != nil && req.Action == rectify.Respond {
		for _, fh := range r.MultipartForm.File["photo"] {
			ph, err := s.keepPhoto("", fh)
			if err == nil {
				err = s.db.Rectifications().AddPhoto(ctx, p, id, ph)
			}
			if err != nil {
				return s.rerenderOrder(w, r, err, req.Text)
			}
		}
	}
	if _, err := s.db.Rectifications().Transition(ctx, p, id, req); err != nil {
		return s.rerenderOrder(w, r, err, req.Text)
	}
	flash(w, translate(langOf(r), "Rectification order updated"))
	http.Redirect(w, r, fmt.Sprintf("/rectifications/%d", id), http.StatusSeeOther)
	return nil
}

func (s *Server) rerenderOrder(w http.ResponseWriter, r *http.Request, err error, text string) error {
	k := apperr.KindOf(err)
	if k != apperr.Invalid && k != apperr.Conflict {
		return err
	}
	d, e := s.rectificationData(r)
	if e != nil {
		return e
	}
	d.Text = text
	return s.render(w, r, statusOf[k], "rectification", "Rectification order", d, err)
}

var rectificationColumns = []xlsx.Column{
	{Key: "serial", Header: "通知书编号", Width: 22}, {Key: "enterprise", Header: "企业名称", Width: 30}, {Key: "unit", Header: "检查单位", Width: 20},
	{Key: "problem", Header: "存在问题", Width: 40}, {Key: "severity", Header: "问题程度", Width: 12}, {Key: "deadline", Header: "整改期限", Width: 18},
	{Key: "status", Header: "状态", Width: 10}, {Key: "overdue", Header: "是否逾期", Width: 10}, {Key: "level", Header: "已上报至", Width: 20},
	{Key: "answer", Header: "整改情况", Width: 40},
}

// rectificationsExport writes the orders the filters select as .xlsx.
func (s *Server) rectificationsExport(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	f, err := rectificationFilter(r)
	if err != nil {
		return err
	}
	return exportPages(w, "rectifications.xlsx", "整改通知书.xlsx", "整改", rectificationColumns, func(pg list.Page) ([]rectify.Order, error) {
		f.Page = pg
		items, _, err := s.db.Rectifications().List(r.Context(), p, f)
		return items, err
	}, func(o rectify.Order) []any {
		row := s.orderRow("zh", o)
		return []any{o.Serial, o.EnterpriseName, row.UnitName, o.Problem, row.SeverityName,
			o.Deadline.In(s.pol.Location()).Format(time.DateTime), row.StatusName, yesNo("zh", row.Overdue), row.LevelName, o.Answer}
	})
}

// ordersHomeBlock is the home page's block of rectification orders: an enterprise's orders
// to answer, each with its deadline; a unit's orders to verify and those overdue.
func (s *Server) ordersHomeBlock(r *http.Request, p auth.Principal) (homeBlock, bool, error) {
	ctx, lang := r.Context(), langOf(r)
	switch {
	case p.Can(auth.SupervisionAnswer):
		orders, n, err := s.db.Rectifications().List(ctx, p, rectify.Filter{Status: rectify.Open, Page: list.Page{Size: 5}})
		if err != nil || n == 0 {
			return homeBlock{}, false, err
		}
		b := homeBlock{Key: "orders", Title: "Rectification orders to answer"}
		for _, o := range orders {
			b.Lines = append(b.Lines, dashCrumb{Name: s.dueLine(lang, o.Serial+" · "+o.Item, o.Deadline), Link: fmt.Sprintf("/rectifications/%d", o.ID)})
		}
		b.more(lang, "All %d orders", n, "/rectifications?status=open")
		return b, true, nil
	case p.Can(auth.SupervisionInspect):
		_, toVerify, err := s.db.Rectifications().List(ctx, p, rectify.Filter{Status: rectify.Answered, Page: list.Page{Size: 1}})
		if err != nil {
			return homeBlock{}, false, err
		}
		_, overdue, err := s.db.Rectifications().List(ctx, p, rectify.Filter{Status: "active", Overdue: true, Page: list.Page{Size: 1}})
		if err != nil || toVerify+overdue == 0 {
			return homeBlock{}, false, err
		}
		return homeBlock{Key: "orders", Title: "Rectification orders", Cards: []dashCard{
			{Label: "To verify", Value: strconv.Itoa(toVerify), Link: "/rectifications?status=" + rectify.Answered, Warn: toVerify > 0},
			{Label: "Overdue", Value: strconv.Itoa(overdue), Link: "/rectifications?overdue=1", Warn: overdue > 0},
		}}, true, nil
	}
	return homeBlock{}, false, nil
}
