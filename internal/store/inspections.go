package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/inspection"
	"fugong/internal/ledger"
	"fugong/internal/policy"
	"fugong/internal/rectify"
)

// Supervision after resumption (督导检查): inspections planned and recorded by the units
// of the policy's split; a recorded failure opens rectification orders (rectifications.go)
// and may stop production (停产整顿).

// supervisionScope restricts a query over a supervision table (alias x) joined with its
// enterprise (alias e) to what the principal may see: the enterprises of its scope; a
// department, a grid or a park operator only what its unit supervises (a town, the
// command and the administrator all of their region); the enterprise never an
// unannounced visit before it is recorded.
func (s *Store) supervisionScope(ctx context.Context, p auth.Principal, w *where, unannounced bool) error {
	if err := s.DB.enterpriseScope(ctx, p, w); err != nil {
		return err
	}
	switch p.Role {
	case auth.Reviewer, auth.Grid, auth.Park:
		// A department, a grid, a park operator: what its unit supervises.
		units, err := s.actorUnits(ctx, p)
		if err != nil {
			return err
		}
		if len(units) == 0 {
			w.add("1 = 0")
			return nil
		}
		args := make([]any, len(units))
		for i, u := range units {
			args[i] = u
		}
		w.add("x.unit IN (?"+strings.Repeat(", ?", len(units)-1)+")", args...)
	case auth.Enterprise, auth.Staff, auth.Guard:
		if unannounced {
			w.add("NOT (x.kind = ? AND x.status <> ?)", policy.KindUnannounced, inspection.Done)
		}
	}
	return nil
}

// actsFor checks that the principal inspects for unit: one of its units, or an overseer.
func (s *Store) actsFor(ctx context.Context, p auth.Principal, unit string) error {
	if !p.Can(auth.SupervisionInspect) {
		return apperr.NewForbidden()
	}
	if inspection.Oversees(p.Role) {
		return nil
	}
	units, err := s.actorUnits(ctx, p)
	if err != nil {
		return err
	}
	if !slices.Contains(units, unit) {
		u, _ := s.pol.Unit(unit)
		return &apperr.Error{Kind: apperr.Forbidden, Message: "此项检查由「" + u.Name + "」负责", MessageEN: "This inspection is " + u.NameEN + "'s"}
	}
	return nil
}

const inspectionCols = `x.id, x.enterprise_id, e.name, x.unit, x.kind, x.planned_on, x.inspectors, x.status, x.result, x.items,
	x.opinion, x.signature, x.version, x.completed_at, x.created_at,
	(SELECT COUNT(*) FROM supervision_photos ph WHERE ph.owner = 'inspection' AND ph.owner_id = x.id)`

const inspectionFrom = ` FROM inspections x JOIN enterprises e ON e.id = x.enterprise_id`

func scanInspection(sc interface{ Scan(...any) error }) (inspection.Inspection, error) {
	var in inspection.Inspection
	var items string
	var done sql.NullTime
	err := sc.Scan(&in.ID, &in.EnterpriseID, &in.EnterpriseName, &in.Unit, &in.Kind, &in.PlannedOn, &in.Inspectors, &in.Status, &in.Result,
		&items, &in.Opinion, &in.Signature, &in.Version, &done, &in.CreatedAt, &in.Photos)
	if err != nil {
		return in, err
	}
	in.CreatedAt = in.CreatedAt.UTC()
	if done.Valid {
		t := done.Time.UTC()
		in.CompletedAt = &t
	}
	err = json.Unmarshal([]byte(items), &in.Items)
	return in, err
}

// List lists the inspections in the principal's scope, the planned ones first by date,
// then the recorded ones newest first; with the total.
func (h *Inspections) List(ctx context.Context, p auth.Principal, f inspection.Filter) ([]inspection.Inspection, int, error) {
	s := h.s
	if !p.Can(auth.SupervisionView) {
		return nil, 0, apperr.NewForbidden()
	}
	var w where
	if err := s.supervisionScope(ctx, p, &w, true); err != nil {
		return nil, 0, err
	}
	for col, v := range map[string]string{"x.status": f.Status, "x.kind": f.Kind, "x.unit": f.Unit, "x.result": f.Result} {
		if v != "" {
			w.add(col+" = ?", v)
		}
	}
	if f.EnterpriseID != 0 {
		w.add("x.enterprise_id = ?", f.EnterpriseID)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		w.add(`e.name LIKE ? ESCAPE '\'`, "%"+likeEscape(q)+"%")
	}
	var total int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*)`+inspectionFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.query(ctx, `SELECT `+inspectionCols+inspectionFrom+w.sql()+
		` ORDER BY CASE WHEN x.status = 'planned' THEN 0 ELSE 1 END, CASE WHEN x.status = 'planned' THEN x.planned_on END, x.id DESC`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []inspection.Inspection
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, in)
	}
	return out, total, rows.Err()
}

// Get returns an inspection the principal may see.
func (h *Inspections) Get(ctx context.Context, p auth.Principal, id int64) (inspection.Inspection, error) {
	s := h.s
	if !p.Can(auth.SupervisionView) {
		return inspection.Inspection{}, apperr.NewForbidden()
	}
	var w where
	if err := s.supervisionScope(ctx, p, &w, true); err != nil {
		return inspection.Inspection{}, err
	}
	w.add("x.id = ?", id)
	in, err := scanInspection(s.DB.queryRow(ctx, `SELECT `+inspectionCols+inspectionFrom+w.sql(), w.args...))
	return in, notFound(err, "检查")
}

// Plan records a planned inspection of an enterprise in scope by a unit the principal
// inspects for. The enterprise is told, unless the visit is unannounced (明察暗访).
func (h *Inspections) Plan(ctx context.Context, p auth.Principal, in inspection.Inspection) (inspection.Inspection, error) {
	s := h.s
	if !p.Can(auth.SupervisionInspect) {
		return inspection.Inspection{}, apperr.NewForbidden()
	}
	if err := inspection.CheckPlan(s.pol, &in); err != nil {
		return inspection.Inspection{}, err
	}
	if err := s.enterpriseInScope(ctx, p, in.EnterpriseID); err != nil {
		return inspection.Inspection{}, err
	}
	if err := s.actsFor(ctx, p, in.Unit); err != nil {
		return inspection.Inspection{}, err
	}
	var id int64
	err := s.DB.write(ctx, func(tx *txn) error {
		var err error
		id, err = tx.planInspection(p, in)
		return err
	})
	if err != nil {
		return inspection.Inspection{}, err
	}
	return h.Get(ctx, p, id)
}

// planInspection records a checked plan with its audit row; the enterprise is told,
// unless the visit is unannounced.
func (tx *txn) planInspection(p auth.Principal, in inspection.Inspection) (int64, error) {
	id, err := tx.insertID(`INSERT INTO inspections (enterprise_id, unit, kind, planned_on, inspectors, status, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, in.EnterpriseID, in.Unit, in.Kind, in.PlannedOn, in.Inspectors, inspection.Planned, nullID(p.UserID), tx.now())
	if err != nil {
		return 0, err
	}
	if err := tx.audit(p, "inspection.plan", "inspection", id, map[string]any{"enterprise_id": in.EnterpriseID, "unit": in.Unit, "kind": in.Kind, "planned_on": in.PlannedOn}); err != nil {
		return 0, err
	}
	if in.Kind == policy.KindUnannounced {
		return id, nil
	}
	zh, _ := inspection.KindName(in.Kind)
	return id, tx.alertEnterprise(in.EnterpriseID, "inspection_planned", "督导检查安排", fmt.Sprintf("将于 %s 接受%s", in.PlannedOn, zh), fmt.Sprintf("/supervision/%d", id))
}

// Reschedule changes the date and the inspectors of a planned inspection.
func (h *Inspections) Reschedule(ctx context.Context, p auth.Principal, id int64, plannedOn, inspectors string, version int) (inspection.Inspection, error) {
	s := h.s
	cur, err := h.Get(ctx, p, id)
	if err != nil {
		return cur, err
	}
	if err := s.actsFor(ctx, p, cur.Unit); err != nil {
		return cur, err
	}
	if err := inspection.MayComplete(cur); err != nil {
		return cur, err
	}
	next := cur
	if plannedOn != "" {
		next.PlannedOn = plannedOn
	}
	if inspectors != "" {
		next.Inspectors = inspectors
	}
	if err := inspection.CheckPlan(s.pol, &next); err != nil {
		return cur, err
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		res, err := tx.exec(`UPDATE inspections SET planned_on = ?, inspectors = ?, version = version + 1 WHERE id = ? AND status = ? AND (version = ? OR ? = 0)`,
			next.PlannedOn, next.Inspectors, id, inspection.Planned, version, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewConflict("检查已被他人修改,请刷新后重试", "The inspection was changed meanwhile; reload and try again")
		}
		return tx.audit(p, "inspection.update", "inspection", id, map[string]any{"planned_on": next.PlannedOn, "inspectors": next.Inspectors})
	})
	if err != nil {
		return cur, err
	}
	return h.Get(ctx, p, id)
}

// Checklist returns the checklist of an inspection in scope with the facts of its
// enterprise: supplies days of cover, roster and health records, dormitory rooms,
// temperature checks today, the registered entrance and the bus letters.
func (h *Inspections) Checklist(ctx context.Context, p auth.Principal, in inspection.Inspection) (inspection.Checklist, error) {
	s := h.s
	var c inspection.Checklist
	var err error
	if c.Enterprise, err = s.DB.GetEnterprise(ctx, p, in.EnterpriseID); err != nil {
		return c, err
	}
	c.Items = inspection.ChecklistFor(s.pol, c.Enterprise, in.Kind)
	if c.Facts, err = s.supervisionFacts(ctx, c.Enterprise); err != nil {
		return c, err
	}
	c.Photos = map[string]int{}
	rows, err := s.DB.query(ctx, `SELECT item, COUNT(*) FROM supervision_photos WHERE owner = 'inspection' AND owner_id = ? GROUP BY item`, in.ID)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var item string
		var n int
		if err := rows.Scan(&item, &n); err != nil {
			return c, err
		}
		c.Photos[item] = n
	}
	return c, rows.Err()
}

// supervisionFacts gathers what Fugong holds about an enterprise for the checklist.
func (s *Store) supervisionFacts(ctx context.Context, e enterprise.Enterprise) (inspection.Facts, error) {
	db, pol := s.DB, s.pol
	f := inspection.Facts{ReserveDays: pol.Resumption.SuppliesReserveDays, MaxPerRoom: pol.Dormitory.MaxPerRoom,
		ChecksPerDay: pol.Health.ChecksPerDay}
	if err := db.queryRow(ctx, `SELECT entrance FROM enterprises WHERE id = ?`, e.ID).Scan(&f.Entrance); err != nil {
		return f, err
	}
	if err := db.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM health_checks h WHERE h.employee_id = m.id) THEN 1 ELSE 0 END), 0)
		FROM employees m WHERE m.enterprise_id = ? AND m.left_at IS NULL`, e.ID).Scan(&f.Roster, &f.PersonFiles); err != nil {
		return f, err
	}
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM health_checks WHERE enterprise_id = ? AND day = ?`, e.ID, s.Today()).Scan(&f.ChecksToday); err != nil {
		return f, err
	}
	rows, err := db.query(ctx, `SELECT COUNT(*) FROM employees WHERE enterprise_id = ? AND left_at IS NULL AND dorm_room <> '' GROUP BY dorm_room`, e.ID)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return f, err
		}
		f.Rooms++
		if f.MaxPerRoom > 0 && n > f.MaxPerRoom {
			f.OverfullRooms++
		}
	}
	rows.Close()
	if err := db.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'letter_issued' THEN 1 ELSE 0 END), 0) FROM buses WHERE enterprise_id = ?`, e.ID).
		Scan(&f.Buses, &f.BusLetters); err != nil {
		return f, err
	}
	stock, err := supplyStock(ctx, func(q string, a ...any) (*sql.Rows, error) { return db.query(ctx, q, a...) }, e.ID, time.Time{})
	if err != nil {
		return f, err
	}
	f.SuppliesDays = -1
	for _, st := range ledger.Stocks(pol, stock, max(f.Roster, 1)) {
		if st.PerDay > 0 && st.Quantity > 0 && (f.SuppliesDays < 0 || st.CoverDays < f.SuppliesDays) {
			f.SuppliesDays = ledger.Round1(st.CoverDays)
		}
	}
	return f, nil
}

// AddPhoto keeps a photo of an item of a planned inspection the principal inspects for.
func (h *Inspections) AddPhoto(ctx context.Context, p auth.Principal, id int64, ph inspection.Photo) error {
	s := h.s
	in, err := h.Get(ctx, p, id)
	if err != nil {
		return err
	}
	if err := s.actsFor(ctx, p, in.Unit); err != nil {
		return err
	}
	if err := inspection.MayComplete(in); err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *txn) error { return tx.addPhoto(p, "inspection", id, ph) })
}

func (tx *txn) addPhoto(p auth.Principal, owner string, id int64, ph inspection.Photo) error {
	pid, err := tx.insertID(`INSERT INTO supervision_photos (owner, owner_id, item, name, sha256, size, content_type, uploaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, owner, id, ph.Item, ph.Name, ph.SHA256, ph.Size, ph.ContentType, nullID(p.UserID), tx.now())
	if err != nil {
		return err
	}
	return tx.audit(p, owner+".photo", owner, id, map[string]any{"photo": pid, "item": ph.Item, "sha256": ph.SHA256})
}

// PhotoSHA returns the stored file of a photo of a supervision record the principal may
// see (owner inspection or rectification), by the photo's id.
func (h *Inspections) PhotoSHA(ctx context.Context, p auth.Principal, photoID int64) (name, sha, contentType string, err error) {
	s := h.s
	var owner string
	var ownerID int64
	if err = s.DB.queryRow(ctx, `SELECT owner, owner_id, name, sha256, content_type FROM supervision_photos WHERE id = ?`, photoID).
		Scan(&owner, &ownerID, &name, &sha, &contentType); err != nil {
		return "", "", "", notFound(err, "照片")
	}
	switch owner {
	case "inspection":
		_, err = h.Get(ctx, p, ownerID)
	case "rectification":
		_, err = s.Rectifications().Get(ctx, p, ownerID)
	default:
		err = apperr.NewNotFound("照片")
	}
	return name, sha, contentType, err
}

// Complete records the result of a planned inspection: the checklist, the opinion and the
// signature. Each failed item opens a numbered rectification order with its deadline; a
// failure graded 停产整顿 stops the enterprise at once (its status, its notice suspended with
// the reason, so the gate refuses); a passed re-inspection lifts the stop and closes the
// orders it was for. All in one transaction with its audit rows; the enterprise and the
// units concerned are told.
func (h *Inspections) Complete(ctx context.Context, p auth.Principal, id int64, c inspection.Completion) (inspection.Inspection, []rectify.Order, error) {
	s := h.s
	in, err := h.Get(ctx, p, id)
	if err != nil {
		return in, nil, err
	}
	if err := s.actsFor(ctx, p, in.Unit); err != nil {
		return in, nil, err
	}
	if err := inspection.MayComplete(in); err != nil {
		return in, nil, err
	}
	e, err := s.DB.GetEnterprise(ctx, p, in.EnterpriseID)
	if err != nil {
		return in, nil, err
	}
	items := inspection.ChecklistFor(s.pol, e, in.Kind)
	result, err := inspection.CheckCompletion(items, &c)
	if err != nil {
		return in, nil, err
	}
	byCode := map[string]policy.SupervisionItem{}
	for _, it := range items {
		byCode[it.Code] = it
	}
	var orders []rectify.Order
	err = s.DB.write(ctx, func(tx *txn) error {
		body, _ := json.Marshal(c.Items)
		res, err := tx.exec(`UPDATE inspections SET status = ?, result = ?, items = ?, opinion = ?, signature = ?, inspector_id = ?, completed_at = ?, version = version + 1
			WHERE id = ? AND status = ? AND (version = ? OR ? = 0)`, inspection.Done, result, string(body), c.Opinion, c.Signature, nullID(p.UserID), tx.now(),
			id, inspection.Planned, c.Version, c.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewConflict("检查已被他人记录或修改,请刷新后重试", "The inspection was recorded or changed meanwhile; reload and try again")
		}
		if err := tx.audit(p, "inspection.complete", "inspection", id, map[string]any{"result": result, "items": len(c.Items)}); err != nil {
			return err
		}
		in.Status, in.Result = inspection.Done, result
		for _, it := range c.Items {
			if it.Result != inspection.Fail {
				continue
			}
			o := rectify.Order{InspectionID: id, EnterpriseID: e.ID, EnterpriseName: e.Name, Unit: in.Unit, Item: it.Code, Problem: it.Note,
				Clause: byCode[it.Code].Clause, Severity: it.Severity, Responsible: cmp.Or(e.PreventionLead, e.LegalRep)}
			if o, err = tx.openOrder(s.pol, p, o); err != nil {
				return err
			}
			orders = append(orders, o)
		}
		if rectify.Reinstates(in) {
			if err := tx.reinstate(s.pol, p, e, id); err != nil {
				return err
			}
		}
		zh, _ := inspection.KindName(in.Kind)
		msg := zh + "结果:合格"
		if result == inspection.Fail {
			msg = fmt.Sprintf("%s结果:不合格,%d 项须整改", zh, len(orders))
		}
		return tx.alertEnterprise(e.ID, "inspection_done", "督导检查结果", msg, fmt.Sprintf("/supervision/%d", id))
	})
	if err != nil {
		return in, nil, err
	}
	in, err = h.Get(ctx, p, id)
	return in, orders, err
}

// Plan lists the resumed enterprises in scope with when each is next due for an
// inspection under the policy's interval, the overdue first; a department sees those
// its unit supervises.
func (h *Inspections) Due(ctx context.Context, p auth.Principal, overdueOnly bool) ([]inspection.PlanRow, error) {
	s := h.s
	if !p.Can(auth.SupervisionView) || p.Scope.Kind == auth.ScopeEnterprise {
		return nil, apperr.NewForbidden()
	}
	// Notices, inspections and enterprises change only by a Write, which forgets what is
	// kept; a reviewer's list depends on the reviewer's units.
	key := fmt.Sprint("due|", p.Role, "|", p.Scope, "|", overdueOnly)
	if p.Role == auth.Reviewer {
		key += fmt.Sprint("|", p.UserID)
	}
	out, err := keep(ctx, s.DB, &s.DB.counts, key, countTTL, func(ctx context.Context) ([]inspection.PlanRow, bool, error) {
		out, err := h.due(ctx, p, overdueOnly)
		return out, true, err
	})
	return slices.Clone(out), err
}

// due is Due, computed.
func (h *Inspections) due(ctx context.Context, p auth.Principal, overdueOnly bool) ([]inspection.PlanRow, error) {
	s := h.s
	var w where
	if err := s.DB.enterpriseScope(ctx, p, &w); err != nil {
		return nil, err
	}
	resumed, err := s.latest(ctx, `SELECT n.enterprise_id, n.issued_at FROM notices n JOIN enterprises e ON e.id = n.enterprise_id`, w)
	if err != nil {
		return nil, err
	}
	last, err := s.latest(ctx, `SELECT x.enterprise_id, x.completed_at FROM inspections x JOIN enterprises e ON e.id = x.enterprise_id`,
		where{conds: append(slices.Clone(w.conds), "x.status = 'done'"), args: w.args})
	if err != nil {
		return nil, err
	}
	w.add("e.status = ?", string(enterprise.Resumed))
	rows, err := s.DB.query(ctx, `SELECT `+enterpriseCols+enterpriseFrom+w.sql()+` ORDER BY e.name LIMIT 5000`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var units []string
	if p.Role == auth.Reviewer {
		if units, err = s.actorUnits(ctx, p); err != nil {
			return nil, err
		}
	}
	now := s.DB.Now()
	var out []inspection.PlanRow
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, err
		}
		split := inspection.SplitFor(s.pol, e)
		row := inspection.PlanRow{EnterpriseID: e.ID, EnterpriseName: e.Name}
		for _, a := range split {
			row.Units = append(row.Units, a.Unit)
		}
		if len(units) > 0 && !slices.ContainsFunc(units, func(u string) bool { return slices.Contains(row.Units, u) }) {
			continue
		}
		from := resumed[e.ID]
		if from.IsZero() {
			from = e.UpdatedAt
		}
		d, ok := inspection.NextDue(s.pol, from, last[e.ID], now)
		if !ok || overdueOnly && !d.Overdue {
			continue
		}
		row.Due = d
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b inspection.PlanRow) int {
		if a.Due.Overdue != b.Due.Overdue {
			if a.Due.Overdue {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Due.DueOn, b.Due.DueOn)
	})
	return out, rows.Err()
}

// Subject is the supervision split of an enterprise in scope (who inspects it) with its
// application's flags.
func (h *Inspections) Split(ctx context.Context, p auth.Principal, enterpriseID int64) (enterprise.Enterprise, []inspection.Assignment, error) {
	e, err := h.s.DB.GetEnterprise(ctx, p, enterpriseID)
	if err != nil {
		return e, nil, err
	}
	return e, inspection.SplitFor(h.s.pol, e), nil
}

// latest reads (enterprise id, instant) rows of q within scope w and keeps the latest
// instant of each enterprise.
func (s *Store) latest(ctx context.Context, q string, w where) (map[int64]time.Time, error) {
	rows, err := s.DB.query(ctx, q+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var at sql.NullTime
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		if at.Valid && at.Time.After(out[id]) {
			out[id] = at.Time
		}
	}
	return out, rows.Err()
}
