package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/notice"
	"fugong/internal/sign"
	"fugong/internal/xlsx"
)

type busesData struct {
	Items       []notice.Bus
	Pager       pager
	Filter      notice.BusFilter
	Enterprises *entPicker // for the registration form
	Form        notice.Bus
	CanDecide   bool
	CanIssue    bool
	Statuses    []string
}

func (s *Server) busesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderBuses(w, r, http.StatusOK, notice.Bus{Seats: 30}, nil)
}

func (s *Server) renderBuses(w http.ResponseWriter, r *http.Request, status int, form notice.Bus, ferr error) error {
	p := principal(r)
	f, err := busFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Buses().List(r.Context(), p, f)
	if err != nil {
		return err
	}
	d := busesData{Items: items, Pager: newPager(r, f.Page, total), Filter: f, Form: form,
		CanDecide: p.Role == auth.Reviewer || p.Role == auth.Town || p.Role == auth.Command || p.Role == auth.Admin,
		CanIssue:  p.Role == auth.Town || p.Role == auth.Admin,
		Statuses:  []string{notice.BusPending, notice.BusApproved, notice.BusRejected, notice.BusLettered}}
	if auth.Can(p.Role, auth.AppsFile) {
		ents, err := s.enterprisePicker(r, "enterprise_id", "eq", "entpick", form.EnterpriseID)
		if err != nil {
			return err
		}
		d.Enterprises = ents
	}
	return s.render(w, r, status, "buses", "Commuter buses", d, ferr)
}

func busFromForm(r *http.Request) notice.Bus {
	seats, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("seats")))
	ent, _ := strconv.ParseInt(r.FormValue("enterprise_id"), 10, 64)
	return notice.Bus{EnterpriseID: ent, Plate: r.FormValue("plate"), Route: r.FormValue("route"), Seats: seats,
		Driver: r.FormValue("driver"), DriverPhone: r.FormValue("driver_phone")}
}

func (s *Server) busCreate(w http.ResponseWriter, r *http.Request) error {
	b := busFromForm(r)
	if _, err := s.db.Buses().Add(r.Context(), principal(r), b); err != nil {
		if apperr.KindOf(err) == apperr.Invalid || apperr.KindOf(err) == apperr.NotFound {
			return s.renderBuses(w, r, statusOf[apperr.KindOf(err)], b, err)
		}
		return err
	}
	flash(w, translate(langOf(r), "Bus registered; it waits for approval"))
	http.Redirect(w, r, "/buses", http.StatusSeeOther)
	return nil
}

func (s *Server) busDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "班车")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.FormValue("version"))
	if _, err := s.db.Buses().Decide(r.Context(), principal(r), id, r.FormValue("approve") == "1", r.FormValue("comment"), version); err != nil {
		if apperr.KindOf(err) == apperr.Invalid || apperr.KindOf(err) == apperr.Conflict {
			return s.renderBuses(w, r, statusOf[apperr.KindOf(err)], notice.Bus{Seats: 30}, err)
		}
		return err
	}
	flash(w, translate(langOf(r), "Decision recorded"))
	http.Redirect(w, r, "/buses", http.StatusSeeOther)
	return nil
}

func (s *Server) busIssueLetter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "班车")
	if err != nil {
		return err
	}
	if _, err := s.db.Buses().IssueLetter(r.Context(), principal(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/buses/%d/letter", id), http.StatusSeeOther)
	return nil
}

type busLetterData struct {
	Bus      notice.Bus
	Locality string
	Issued   string
	Issuer   string
}

func (s *Server) busWithLetter(r *http.Request) (notice.Bus, error) {
	id, err := pathID(r, "班车")
	if err != nil {
		return notice.Bus{}, err
	}
	b, err := s.db.Buses().Get(r.Context(), principal(r), id)
	if err != nil {
		return b, err
	}
	if b.Letter == nil {
		return b, apperr.NewNotFound("意见函")
	}
	return b, nil
}

func (s *Server) busLetterPage(w http.ResponseWriter, r *http.Request) error {
	b, err := s.busWithLetter(r)
	if err != nil {
		return err
	}
	issuer := s.pol.Locality.Name
	if code, ok := strings.CutPrefix(b.Letter.IssuerUnit, "town:"); ok {
		if reg, err := s.db.GetRegion(r.Context(), auth.System, code); err == nil {
			issuer = reg.Name
		}
	}
	d := busLetterData{Bus: b, Locality: s.pol.Locality.Name, Issuer: issuer,
		Issued: b.Letter.IssuedAt.In(s.pol.Location()).Format("2006年1月2日")}
	return s.render(w, r, http.StatusOK, "bus_letter", "Commuter bus letter", d, nil)
}

func (s *Server) busLetterQR(w http.ResponseWriter, r *http.Request) error {
	b, err := s.busWithLetter(r)
	if err != nil {
		return err
	}
	png, err := sign.QRPNG(sign.VerifyURL(verifyBase(r), b.Letter.Token), 300)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = w.Write(png)
	return err
}

var busLetterColumns = []xlsx.Column{
	{Key: "serial", Header: "意见函编号", Width: 20}, {Key: "enterprise", Header: "企业名称", Width: 30},
	{Key: "plate", Header: "车牌号", Width: 12}, {Key: "route", Header: "行驶路线", Width: 30}, {Key: "seats", Header: "核定座位", Width: 10},
	{Key: "driver", Header: "驾驶员", Width: 10}, {Key: "phone", Header: "驾驶员电话", Width: 15, Text: true},
	{Key: "issued", Header: "出具日期", Width: 18}, {Key: "status", Header: "状态", Width: 10},
}

// busLettersExport is the list of issued letters for the traffic control group.
func (s *Server) busLettersExport(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	return exportPages(w, "bus-letters.xlsx", "通勤班车意见函.xlsx", "通勤班车", busLetterColumns, func(pg list.Page) ([]notice.Bus, error) {
		items, _, err := s.db.Buses().List(r.Context(), p, notice.BusFilter{Status: notice.BusLettered, Page: pg})
		return items, err
	}, func(b notice.Bus) []any {
		status := "有效"
		if b.Letter.RevokedAt != nil {
			status = "已撤销"
		}
		return []any{b.Letter.Serial, b.EnterpriseName, b.Plate, b.Route, b.Seats, b.Driver, b.DriverPhone,
			b.Letter.IssuedAt.In(s.pol.Location()).Format(time.DateTime), status}
	})
}
