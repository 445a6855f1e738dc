package web

import (
	"net/http"
	"strconv"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/appointment"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/xlsx"
)

type slotRow struct {
	appointment.Slot
	ServiceName, UnitName string
	Free                  bool
}

type appointmentRow struct {
	appointment.Appointment
	ServiceName, StatusName, UnitName string
	Acts                              []tipOption
}

type appointmentsData struct {
	Slots       []slotRow
	Items       []appointmentRow
	Pager       pager
	Filter      appointment.Filter
	Statuses    []tipOption
	Services    []tipOption
	CanManage   bool
	CanBook     bool
	Units       []policy.Unit
	Enterprises *entPicker
	Form        slotInput
}

func (s *Server) appointmentsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAppointments(w, r, http.StatusOK, slotInput{Capacity: 1}, nil)
}

func (s *Server) renderAppointments(w http.ResponseWriter, r *http.Request, status int, form slotInput, ferr error) error {
	f, err := appointmentFilter(r)
	if err != nil {
		return err
	}
	p := principal(r)
	ctx := r.Context()
	now := s.db.Now()
	slots, _, err := s.db.Appointments().Slots(ctx, p, appointment.Filter{Page: list.Page{Size: 50}})
	if err != nil {
		return err
	}
	items, total, err := s.db.Appointments().List(ctx, p, f)
	if err != nil {
		return err
	}
	d := appointmentsData{Pager: newPager(r, f.Page, total), Filter: f, Form: form, CanManage: p.Can(auth.AppointmentsManage),
		CanBook: p.Role == auth.Enterprise && p.Scope.Kind == auth.ScopeEnterprise}
	for _, sl := range slots {
		zh, en := sl.Service.Name()
		d.Slots = append(d.Slots, slotRow{Slot: sl, ServiceName: pickLang(langOf(r), zh, en), UnitName: s.unitName(langOf(r), sl.Unit), Free: sl.Free(now)})
	}
	for _, a := range items {
		zh, en := a.Service.Name()
		szh, sen := a.Status.Name()
		row := appointmentRow{Appointment: a, ServiceName: pickLang(langOf(r), zh, en), StatusName: pickLang(langOf(r), szh, sen), UnitName: s.unitName(langOf(r), a.Unit)}
		for _, act := range a.Actions {
			azh, aen := act.Name()
			row.Acts = append(row.Acts, tipOption{string(act), pickLang(langOf(r), azh, aen)})
		}
		d.Items = append(d.Items, row)
	}
	for _, st := range appointment.Statuses {
		zh, en := st.Name()
		d.Statuses = append(d.Statuses, tipOption{string(st), pickLang(langOf(r), zh, en)})
	}
	for _, sv := range appointment.Services {
		zh, en := sv.Name()
		d.Services = append(d.Services, tipOption{string(sv), pickLang(langOf(r), zh, en)})
	}
	if d.CanManage {
		if d.Units, err = s.db.Appointments().Units(r.Context(), p); err != nil {
			return err
		}
		if d.Enterprises, err = s.enterprisePicker(r, "enterprise_id", "eq", "entpick", 0); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "appointments", "Appointments", d, ferr)
}

func (s *Server) slotInputOf(r *http.Request) slotInput {
	atoi := func(k string) int64 { n, _ := strconv.ParseInt(r.FormValue(k), 10, 64); return n }
	return slotInput{Unit: r.FormValue("unit"), Service: appointment.Service(r.FormValue("service")), StartsAt: r.FormValue("starts_at"),
		EndsAt: r.FormValue("ends_at"), Capacity: int(atoi("capacity")), Place: r.FormValue("place"), EnterpriseID: atoi("enterprise_id"),
		ApplicationID: atoi("application_id"), SlotID: atoi("slot_id"), Note: r.FormValue("note")}
}

// appointmentSlotCreate publishes a slot from the page.
func (s *Server) appointmentSlotCreate(w http.ResponseWriter, r *http.Request) error {
	in := s.slotInputOf(r)
	sl, err := s.slotOf(in)
	if err == nil {
		_, err = s.db.Appointments().PublishSlot(r.Context(), principal(r), sl)
	}
	return s.appointmentsDone(w, r, in, err, "The slot is published")
}

// appointmentCreatePage books a slot or proposes a time from the page.
func (s *Server) appointmentCreatePage(w http.ResponseWriter, r *http.Request) error {
	in := s.slotInputOf(r)
	_, err := s.appointmentCreate(r, in)
	return s.appointmentsDone(w, r, in, err, "The appointment is made")
}

func (s *Server) appointmentTransitionPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "预约")
	if err != nil {
		return err
	}
	var ps apperr.Problems
	starts, ends := s.parseWhen(&ps, "starts_at", r.FormValue("starts_at")), s.parseWhen(&ps, "ends_at", r.FormValue("ends_at"))
	version, _ := strconv.Atoi(r.FormValue("version"))
	err = ps.Err()
	if err == nil {
		_, err = s.db.Appointments().Act(r.Context(), principal(r), id, appointment.Action(r.FormValue("action")), r.FormValue("comment"), starts, ends, version)
	}
	return s.appointmentsDone(w, r, slotInput{Capacity: 1}, err, "The appointment is updated")
}

func (s *Server) appointmentsDone(w http.ResponseWriter, r *http.Request, in slotInput, err error, done string) error {
	switch k := apperr.KindOf(err); k {
	case 0:
	case apperr.Invalid, apperr.Conflict, apperr.NotFound:
		return s.renderAppointments(w, r, statusOf[k], in, err)
	default:
		return err
	}
	flash(w, translate(langOf(r), done))
	http.Redirect(w, r, "/appointments", http.StatusSeeOther)
	return nil
}

var appointmentColumns = []xlsx.Column{
	{Key: "starts", Header: "开始时间", Width: 18}, {Key: "ends", Header: "结束时间", Width: 18}, {Key: "enterprise", Header: "企业名称", Width: 30},
	{Key: "service", Header: "服务", Width: 12}, {Key: "unit", Header: "单位", Width: 20}, {Key: "place", Header: "地点", Width: 24},
	{Key: "status", Header: "状态", Width: 10}, {Key: "changes", Header: "改约次数", Width: 10}, {Key: "note", Header: "备注", Width: 30},
}

// appointmentsExport writes the appointments the filter selects, every page, as the
// register of appointments (预约服务台账).
func (s *Server) appointmentsExport(w http.ResponseWriter, r *http.Request) error {
	f, err := appointmentFilter(r)
	if err != nil {
		return err
	}
	ctx, p, loc := r.Context(), principal(r), s.pol.Location()
	return exportPages(w, "appointments.xlsx", "预约服务台账.xlsx", "预约服务", appointmentColumns, func(pg list.Page) ([]appointment.Appointment, error) {
		f.Page = pg
		items, _, err := s.db.Appointments().List(ctx, p, f)
		return items, err
	}, func(a appointment.Appointment) []any {
		service, _ := a.Service.Name()
		status, _ := a.Status.Name()
		return []any{a.StartsAt.In(loc).Format(time.DateTime), a.EndsAt.In(loc).Format(time.DateTime), a.EnterpriseName, service,
			s.unitName("zh", a.Unit), a.Place, status, a.Changes, a.Note}
	})
}
