package store

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/appointment"
	"fugong/internal/auth"
	"fugong/internal/policy"
)

// Appointments are the units' slots and the enterprises' appointments (预约服务)
// (appointments.go).
type Appointments struct{ s *Store }

// Appointments returns the appointments' handle.
func (s *Store) Appointments() *Appointments { return &s.appointments }

const slotCols = `s.id, s.unit_code, s.region_code, s.service, s.starts_at, s.ends_at, s.capacity, s.place,
	(SELECT COUNT(*) FROM appointments a WHERE a.slot_id = s.id AND a.status IN ('proposed', 'booked'))`

func scanSlot(sc interface{ Scan(...any) error }) (appointment.Slot, error) {
	var s appointment.Slot
	err := sc.Scan(&s.ID, &s.Unit, &s.RegionCode, &s.Service, &s.StartsAt, &s.EndsAt, &s.Capacity, &s.Place, &s.Booked)
	s.StartsAt, s.EndsAt = s.StartsAt.UTC(), s.EndsAt.UTC()
	return s, err
}

const appointmentCols = `a.id, COALESCE(a.slot_id, 0), a.enterprise_id, e.name, COALESCE(a.application_id, 0), a.unit_code, a.region_code, a.service,
	a.starts_at, a.ends_at, a.place, a.status, a.changes, a.note, a.created_at, a.updated_at, a.version`

const appointmentFrom = ` FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id`

func scanAppointment(sc interface{ Scan(...any) error }) (appointment.Appointment, error) {
	var a appointment.Appointment
	err := sc.Scan(&a.ID, &a.SlotID, &a.EnterpriseID, &a.EnterpriseName, &a.ApplicationID, &a.Unit, &a.RegionCode, &a.Service,
		&a.StartsAt, &a.EndsAt, &a.Place, &a.Status, &a.Changes, &a.Note, &a.CreatedAt, &a.UpdatedAt, &a.Version)
	a.StartsAt, a.EndsAt, a.CreatedAt, a.UpdatedAt = a.StartsAt.UTC(), a.EndsAt.UTC(), a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	a.Actions = []appointment.Action{}
	return a, err
}

// unitRegion is the region and unit a manager acts for: a department's own (its unit
// code when it has one); an official's region.
func (db *DB) unitRegion(ctx context.Context, p auth.Principal) (region, unit string, err error) {
	switch p.Scope.Kind {
	case auth.ScopeRegion:
		return p.Scope.Region, "", nil
	case auth.ScopeDept:
		region, unit, ok, err := db.deptUnit(ctx, p)
		if err == nil && !ok {
			err = apperr.NewNotFound("部门")
		}
		return region, unit, err
	}
	return "", "", nil
}

// deptUnit is the region and the policy unit (its unit code, "" for none) of a
// department principal's department; ok is false when the department is gone.
func (db *DB) deptUnit(ctx context.Context, p auth.Principal) (region, unit string, ok bool, err error) {
	err = db.queryRow(ctx, `SELECT region_code, unit_code FROM departments WHERE id = ?`, p.Scope.ID).Scan(&region, &unit)
	if isNoRows(err) {
		return "", "", false, nil
	}
	return region, unit, err == nil, err
}

// unitProblems are the problems of unit as the unit p offers appointments for
// (appointment.CheckUnit).
func (h *Appointments) unitProblems(ctx context.Context, p auth.Principal, unit string) (apperr.Problems, error) {
	offered, err := h.Units(ctx, p)
	if err != nil {
		return nil, err
	}
	var ps apperr.Problems
	if e, ok := apperr.As(appointment.CheckUnit(unit, offered)); ok {
		ps = append(ps, e.Problems...)
	}
	return ps, nil
}

// Units lists the units of the policy p offers appointments for (appointment.OfferedUnits).
func (h *Appointments) Units(ctx context.Context, p auth.Principal) ([]policy.Unit, error) {
	acting, err := h.s.actorUnits(ctx, p)
	if err != nil {
		return nil, err
	}
	return appointment.OfferedUnits(h.s.pol.Units, acting, p.Scope.Kind == auth.ScopeAll), nil
}

// PublishSlot offers a slot of a unit of the policy in the manager's region (a
// department: its own unit; the administrator of everything names the region).
func (h *Appointments) PublishSlot(ctx context.Context, p auth.Principal, sl appointment.Slot) (appointment.Slot, error) {
	db := h.s.DB
	if !p.Can(auth.AppointmentsManage) {
		return sl, apperr.NewForbidden()
	}
	region, unit, err := db.unitRegion(ctx, p)
	if err != nil {
		return sl, err
	}
	if unit != "" {
		sl.Unit = unit
	}
	if region != "" && sl.RegionCode == "" {
		sl.RegionCode = region
	}
	ps, err := h.unitProblems(ctx, p, sl.Unit)
	if err != nil {
		return sl, err
	}
	if e, ok := apperr.As(appointment.CheckSlot(&sl, db.Now())); ok {
		ps = append(ps, e.Problems...)
	}
	if err := ps.Err(); err != nil {
		return sl, err
	}
	if err := db.regionInScope(ctx, p, "region_code", sl.RegionCode); err != nil {
		return sl, err
	}
	err = db.write(ctx, func(tx *txn) error {
		var err error
		sl.ID, err = tx.insertID(`INSERT INTO appointment_slots (unit_code, region_code, service, starts_at, ends_at, capacity, place, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, sl.Unit, sl.RegionCode, sl.Service, sl.StartsAt.UTC(), sl.EndsAt.UTC(), sl.Capacity, sl.Place, nullID(p.UserID), tx.now())
		if err != nil {
			return err
		}
		return tx.audit(p, "appointment.slot", "appointment_slot", sl.ID, map[string]any{"unit": sl.Unit, "region": sl.RegionCode,
			"service": string(sl.Service), "starts_at": sl.StartsAt, "capacity": sl.Capacity})
	})
	return sl, err
}

// Slots lists the slots to come on the principal's side: an enterprise's those of the
// units over its region; an official's those of its region.
func (h *Appointments) Slots(ctx context.Context, p auth.Principal, f appointment.Filter) ([]appointment.Slot, int, error) {
	db := h.s.DB
	var w where
	switch {
	case p.Scope.Kind == auth.ScopeEnterprise && p.Can(auth.AppointmentsView):
		var region string
		if err := db.queryRow(ctx, `SELECT region_code FROM enterprises WHERE id = ?`, p.Scope.ID).Scan(&region); err != nil {
			return nil, 0, notFound(err, "企业")
		}
		w.add("? LIKE s.region_code || '%'", region)
	case p.Can(auth.AppointmentsManage):
		if err := db.regionScope(ctx, p, &w, "s.region_code"); err != nil {
			return nil, 0, err
		}
	default:
		w.add("1 = 0")
	}
	w.add("s.ends_at > ?", db.Now())
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM appointment_slots s`+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+slotCols+` FROM appointment_slots s`+w.sql()+` ORDER BY s.starts_at, s.id`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []appointment.Slot{}
	for rows.Next() {
		s, err := scanSlot(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, s)
	}
	return out, total, rows.Err()
}

// appointmentSides says whether the principal stands on the unit's side of appointment id,
// on the enterprise's, or neither.
func (db *DB) appointmentSides(ctx context.Context, p auth.Principal, id int64) (unit, firm bool, err error) {
	var u, f where
	if p.Can(auth.AppointmentsManage) {
		if p.Scope.Kind == auth.ScopeDept {
			region, code, err := db.unitRegion(ctx, p)
			if err != nil {
				return false, false, err
			}
			regionCond(&u, "a.region_code", region)
			if code != "" {
				u.add("a.unit_code = ?", code)
			}
		} else if err := db.regionScope(ctx, p, &u, "a.region_code"); err != nil {
			return false, false, err
		}
	} else {
		u.add("1 = 0")
	}
	if p.Role == auth.Enterprise {
		if err := db.enterpriseScope(ctx, p, &f); err != nil {
			return false, false, err
		}
	} else {
		f.add("1 = 0")
	}
	for i, w := range []where{u, f} {
		w.add("a.id = ?", id)
		var n int
		if err := db.queryRow(ctx, `SELECT COUNT(*)`+appointmentFrom+w.sql(), w.args...).Scan(&n); err != nil {
			return false, false, err
		}
		if i == 0 {
			unit = n > 0
		} else {
			firm = n > 0
		}
	}
	return unit, firm, nil
}

// appointmentScope is either side's scope: the unit's region, or the enterprises in scope.
func (db *DB) appointmentScope(ctx context.Context, p auth.Principal, w *where) error {
	if !p.Can(auth.AppointmentsView) {
		w.add("1 = 0")
		return nil
	}
	var u, f where
	if p.Can(auth.AppointmentsManage) {
		if err := db.regionScope(ctx, p, &u, "a.region_code"); err != nil {
			return err
		}
	} else {
		u.add("1 = 0")
	}
	if err := db.enterpriseScope(ctx, p, &f); err != nil {
		return err
	}
	cond := func(x where) string {
		if len(x.conds) == 0 {
			return "1 = 1"
		}
		return strings.Join(x.conds, " AND ")
	}
	w.add("(("+cond(u)+") OR ("+cond(f)+"))", append(u.args, f.args...)...)
	return nil
}

// Book books a slot for the enterprise of the principal's account (for its application,
// when given), and tells the unit.
func (h *Appointments) Book(ctx context.Context, p auth.Principal, slotID, applicationID int64, note string) (appointment.Appointment, error) {
	db := h.s.DB
	if p.Role != auth.Enterprise || p.Scope.Kind != auth.ScopeEnterprise {
		return appointment.Appointment{}, apperr.NewForbidden()
	}
	slots, _, err := h.Slots(ctx, p, appointment.Filter{})
	if err != nil {
		return appointment.Appointment{}, err
	}
	var sl *appointment.Slot
	for i := range slots {
		if slots[i].ID == slotID {
			sl = &slots[i]
		}
	}
	if sl == nil {
		return appointment.Appointment{}, apperr.NewInvalid("slot_id", "请选择一个可预约的时段", "Choose a slot open to you")
	}
	e, err := db.GetEnterprise(ctx, p, p.Scope.ID)
	if err != nil {
		return appointment.Appointment{}, err
	}
	var id int64
	err = db.write(ctx, func(tx *txn) error {
		var booked int
		if err := tx.queryRow(`SELECT COUNT(*) FROM appointments WHERE slot_id = ? AND status IN ('proposed', 'booked')`, slotID).Scan(&booked); err != nil {
			return err
		}
		cur := *sl
		cur.Booked = booked
		if err := appointment.CanBook(cur, tx.now()); err != nil {
			return err
		}
		if applicationID != 0 {
			var n int
			if err := tx.queryRow(`SELECT COUNT(*) FROM applications WHERE id = ? AND enterprise_id = ?`, applicationID, e.ID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return apperr.NewInvalid("application_id", "不是本企业的申请", "Not an application of this enterprise")
			}
		}
		var err error
		id, err = tx.insertID(`INSERT INTO appointments (slot_id, enterprise_id, application_id, unit_code, region_code, service, starts_at, ends_at, place,
			status, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sl.ID, e.ID, nullID(applicationID), sl.Unit, sl.RegionCode, sl.Service, sl.StartsAt, sl.EndsAt, sl.Place, appointment.Booked,
			strings.TrimSpace(note), tx.now(), tx.now())
		if err != nil {
			return err
		}
		if err := tx.audit(p, "appointment.book", "appointment", id, map[string]any{"slot_id": sl.ID, "enterprise_id": e.ID, "starts_at": sl.StartsAt,
			"service": string(sl.Service)}); err != nil {
			return err
		}
		return tx.notifyUnit(h.s.pol, sl.Unit, e, "appointment", "企业已预约:"+e.Name+" "+h.when(sl.StartsAt), "/appointments")
	})
	if err != nil {
		return appointment.Appointment{}, err
	}
	return h.Get(ctx, p, id)
}

// when writes a time in the policy's time zone for a message.
func (h *Appointments) when(t time.Time) string {
	return t.In(h.s.pol.Location()).Format("2006-01-02 15:04")
}

// Propose proposes a time to an enterprise in scope, for the manager's unit; the
// enterprise accepts it or changes it.
func (h *Appointments) Propose(ctx context.Context, p auth.Principal, a appointment.Appointment) (appointment.Appointment, error) {
	db := h.s.DB
	if !p.Can(auth.AppointmentsManage) {
		return a, apperr.NewForbidden()
	}
	if a.EnterpriseID == 0 {
		return a, apperr.NewInvalid("enterprise_id", "请选择企业", "Choose the enterprise")
	}
	e, err := db.GetEnterprise(ctx, p, a.EnterpriseID)
	if err != nil {
		return a, err
	}
	region, unit, err := db.unitRegion(ctx, p)
	if err != nil {
		return a, err
	}
	if unit != "" {
		a.Unit = unit
	}
	a.RegionCode = cmp.Or(region, e.RegionCode)
	sl := appointment.Slot{Service: a.Service, StartsAt: a.StartsAt, EndsAt: a.EndsAt, Capacity: 1, Place: a.Place}
	ps, err := h.unitProblems(ctx, p, a.Unit)
	if err != nil {
		return a, err
	}
	if e, ok := apperr.As(appointment.CheckSlot(&sl, db.Now())); ok {
		ps = append(ps, e.Problems...)
	}
	if err := ps.Err(); err != nil {
		return a, err
	}
	var id int64
	err = db.write(ctx, func(tx *txn) error {
		var err error
		id, err = tx.insertID(`INSERT INTO appointments (enterprise_id, application_id, unit_code, region_code, service, starts_at, ends_at, place,
			status, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, nullID(a.ApplicationID), a.Unit, a.RegionCode, a.Service, a.StartsAt.UTC(), a.EndsAt.UTC(), sl.Place, appointment.Proposed,
			strings.TrimSpace(a.Note), tx.now(), tx.now())
		if err != nil {
			return err
		}
		if err := tx.audit(p, "appointment.propose", "appointment", id, map[string]any{"enterprise_id": e.ID, "starts_at": a.StartsAt, "service": string(a.Service)}); err != nil {
			return err
		}
		users, err := tx.usersActing(string(auth.Enterprise), "", e)
		if err != nil {
			return err
		}
		return tx.notify(users, "appointment", "预约提醒:"+h.when(a.StartsAt)+" "+sl.Place+",请确认", "", "/appointments")
	})
	if err != nil {
		return a, err
	}
	return h.Get(ctx, p, id)
}

// List lists the appointments on the principal's side, the next first.
func (h *Appointments) List(ctx context.Context, p auth.Principal, f appointment.Filter) ([]appointment.Appointment, int, error) {
	db := h.s.DB
	var w where
	if err := db.appointmentScope(ctx, p, &w); err != nil {
		return nil, 0, err
	}
	if f.Status != "" {
		w.add("a.status = ?", f.Status)
	}
	if f.Enterprise != 0 {
		w.add("a.enterprise_id = ?", f.Enterprise)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*)`+appointmentFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+appointmentCols+appointmentFrom+w.sql()+` ORDER BY a.starts_at DESC, a.id DESC`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	var out []appointment.Appointment
	for rows.Next() {
		a, err := scanAppointment(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for i := range out {
		if err := h.actions(ctx, p, &out[i]); err != nil {
			return nil, 0, err
		}
	}
	return append([]appointment.Appointment{}, out...), total, nil
}

func (h *Appointments) actions(ctx context.Context, p auth.Principal, a *appointment.Appointment) error {
	unit, firm, err := h.s.DB.appointmentSides(ctx, p, a.ID)
	if err != nil {
		return err
	}
	if unit {
		a.Actions = append(a.Actions, appointment.Allowed(*a, appointment.Unit)...)
	}
	if firm {
		for _, act := range appointment.Allowed(*a, appointment.Firm) {
			if !slices.Contains(a.Actions, act) {
				a.Actions = append(a.Actions, act)
			}
		}
	}
	return nil
}

// Get is one appointment on the principal's side.
func (h *Appointments) Get(ctx context.Context, p auth.Principal, id int64) (appointment.Appointment, error) {
	db := h.s.DB
	var w where
	if err := db.appointmentScope(ctx, p, &w); err != nil {
		return appointment.Appointment{}, err
	}
	w.add("a.id = ?", id)
	a, err := scanAppointment(db.queryRow(ctx, `SELECT `+appointmentCols+appointmentFrom+w.sql(), w.args...))
	if err != nil {
		return a, notFound(err, "预约")
	}
	return a, h.actions(ctx, p, &a)
}

// Act accepts, changes, cancels or records an appointment; a change counts, and the other
// side is told.
func (h *Appointments) Act(ctx context.Context, p auth.Principal, id int64, act appointment.Action, reason string, starts, ends time.Time, version int) (appointment.Appointment, error) {
	db := h.s.DB
	a, err := h.Get(ctx, p, id)
	if err != nil {
		return a, err
	}
	if !slices.Contains(appointment.Actions, act) {
		return a, apperr.NewInvalid("action", "未知的操作", "Unknown action")
	}
	unit, firm, err := db.appointmentSides(ctx, p, id)
	if err != nil {
		return a, err
	}
	side := appointment.Firm
	if unit && (!firm || act == appointment.Hold || act == appointment.Miss) {
		side = appointment.Unit
	}
	if !unit && !firm {
		return a, apperr.NewForbidden()
	}
	to, err := appointment.Apply(a, side, act, reason, starts, ends, db.Now())
	if err != nil {
		return a, err
	}
	e, err := db.GetEnterprise(ctx, auth.System, a.EnterpriseID)
	if err != nil {
		return a, err
	}
	reason = strings.TrimSpace(reason)
	err = db.write(ctx, func(tx *txn) error {
		set, args := `status = ?, version = version + 1, updated_at = ?`, []any{to, tx.now()}
		summary := map[string]any{"action": string(act), "from": string(a.Status), "to": string(to), "comment": reason}
		if act == appointment.Change {
			set += `, starts_at = ?, ends_at = ?, changes = changes + 1, slot_id = NULL`
			args = append(args, starts.UTC(), ends.UTC())
			summary["old_starts_at"], summary["starts_at"] = a.StartsAt, starts.UTC()
		}
		if reason != "" {
			set += `, note = ?`
			args = append(args, reason)
		}
		res, err := tx.exec(`UPDATE appointments SET `+set+` WHERE id = ? AND version = ?`, append(args, id, cmp.Or(version, a.Version))...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewConflict("预约已被他人修改,请刷新", "Someone else changed the appointment meanwhile; reload")
		}
		if err := tx.audit(p, "appointment."+string(act), "appointment", id, summary); err != nil {
			return err
		}
		zh, _ := act.Name()
		title := "预约" + zh + ":" + e.Name + " " + h.when(cmp.Or(starts, a.StartsAt))
		if side == appointment.Unit {
			users, err := tx.usersActing(string(auth.Enterprise), "", e)
			if err != nil {
				return err
			}
			return tx.notify(users, "appointment", title, reason, "/appointments")
		}
		return tx.notifyUnit(h.s.pol, a.Unit, e, "appointment", title, "/appointments")
	})
	if err != nil {
		return a, err
	}
	return h.Get(ctx, p, id)
}

// remind tells both sides, once, of each appointment booked for the day after now's day
// in the policy's time zone (the daily jobs run it); it returns how many were reminded.
func (h *Appointments) remind(ctx context.Context, now time.Time) (int, error) {
	db, pol := h.s.DB, h.s.pol
	loc := pol.Location()
	y, m, d := now.In(loc).Date()
	from := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	to := from.AddDate(0, 0, 1)
	ids, err := db.queryIDs(ctx, `SELECT id FROM appointments WHERE status = ? AND reminded_at IS NULL AND starts_at >= ? AND starts_at < ? ORDER BY id`,
		string(appointment.Booked), from.UTC(), to.UTC())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		a, err := h.Get(ctx, auth.System, id)
		if err != nil {
			return n, err
		}
		err = db.write(ctx, func(tx *txn) error {
			res, err := tx.exec(`UPDATE appointments SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL`, tx.now(), id)
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil || k == 0 {
				return err // reminded already, by another instance
			}
			n++
			e, err := tx.enterpriseBrief(a.EnterpriseID)
			if err != nil {
				return err
			}
			title := "预约提醒:明天 " + h.when(a.StartsAt) + " " + a.Place
			firm, err := tx.usersActing(string(auth.Enterprise), "", e)
			if err != nil {
				return err
			}
			unit, err := tx.unitUsers(pol, []string{a.Unit}, e)
			if err != nil {
				return err
			}
			if err := tx.notify(append(firm, unit...), "appointment", title, e.Name, "/appointments"); err != nil {
				return err
			}
			return tx.audit(auth.System, "appointment.remind", "appointment", id, map[string]any{"starts_at": a.StartsAt})
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
