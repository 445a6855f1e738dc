package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong/internal/alert"
	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/inspection"
	"fugong/internal/notice"
	"fugong/internal/policy"
	"fugong/internal/rectify"
)

// Rectification orders (整改通知书): opened by a failed inspection item, numbered in the
// ordering unit's series, answered by the enterprise, verified or returned by the unit,
// escalated when overdue; 停产整顿 suspends the enterprise and its notice until a passed
// re-inspection.

const orderCols = `x.id, COALESCE(x.inspection_id, 0), x.enterprise_id, e.name, x.unit, x.item, x.problem, x.clause, x.severity, x.responsible,
	x.serial, x.deadline, x.status, x.level, x.answer, x.comment, x.version, x.created_at, x.closed_at,
	(SELECT COUNT(*) FROM supervision_photos ph WHERE ph.owner = 'rectification' AND ph.owner_id = x.id)`

const orderFrom = ` FROM rectifications x JOIN enterprises e ON e.id = x.enterprise_id`

func scanOrder(sc interface{ Scan(...any) error }) (rectify.Order, error) {
	var o rectify.Order
	var closed sql.NullTime
	err := sc.Scan(&o.ID, &o.InspectionID, &o.EnterpriseID, &o.EnterpriseName, &o.Unit, &o.Item, &o.Problem, &o.Clause, &o.Severity, &o.Responsible,
		&o.Serial, &o.Deadline, &o.Status, &o.Level, &o.Answer, &o.Comment, &o.Version, &o.CreatedAt, &closed, &o.AnswerPhotos)
	o.Deadline, o.CreatedAt = o.Deadline.UTC(), o.CreatedAt.UTC()
	if closed.Valid {
		t := closed.Time.UTC()
		o.ClosedAt = &t
	}
	return o, err
}

// List lists the orders in scope: the overdue first, then by deadline; with the total.
func (h *Rectifications) List(ctx context.Context, p auth.Principal, f rectify.Filter) ([]rectify.Order, int, error) {
	s := h.s
	if !p.Can(auth.SupervisionView) {
		return nil, 0, apperr.NewForbidden()
	}
	var w where
	if err := s.supervisionScope(ctx, p, &w, false); err != nil {
		return nil, 0, err
	}
	now := s.DB.Now().UTC()
	switch f.Status {
	case "":
	case "active":
		w.add("x.status <> ?", rectify.Closed)
	default:
		w.add("x.status = ?", f.Status)
	}
	if f.Overdue {
		w.add("x.status <> ? AND x.deadline < ?", rectify.Closed, now)
	}
	for col, v := range map[string]string{"x.unit": f.Unit, "x.severity": f.Severity} {
		if v != "" {
			w.add(col+" = ?", v)
		}
	}
	if f.EnterpriseID != 0 {
		w.add("x.enterprise_id = ?", f.EnterpriseID)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + likeEscape(q) + "%"
		w.add(`(e.name LIKE ? ESCAPE '\' OR x.serial LIKE ? ESCAPE '\')`, like, like)
	}
	var total int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*)`+orderFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	args := append(append([]any{}, w.args...), rectify.Closed, now)
	rows, err := s.DB.query(ctx, `SELECT `+orderCols+orderFrom+w.sql()+
		` ORDER BY CASE WHEN x.status <> ? AND x.deadline < ? THEN 0 ELSE 1 END, CASE WHEN x.status = 'closed' THEN 1 ELSE 0 END, x.deadline, x.id`+limit(f.Page), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []rectify.Order
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, o)
	}
	return out, total, rows.Err()
}

// Get returns an order the principal may see.
func (h *Rectifications) Get(ctx context.Context, p auth.Principal, id int64) (rectify.Order, error) {
	s := h.s
	if !p.Can(auth.SupervisionView) {
		return rectify.Order{}, apperr.NewForbidden()
	}
	var w where
	if err := s.supervisionScope(ctx, p, &w, false); err != nil {
		return rectify.Order{}, err
	}
	w.add("x.id = ?", id)
	o, err := scanOrder(s.DB.queryRow(ctx, `SELECT `+orderCols+orderFrom+w.sql(), w.args...))
	return o, notFound(err, "整改通知书")
}

// openOrder numbers and records an order, with its audit row; an order of 停产整顿 stops
// the enterprise at once. The enterprise and the ordering unit are told.
func (tx *txn) openOrder(pol *policy.Policy, p auth.Principal, o rectify.Order) (rectify.Order, error) {
	now := tx.now()
	year := notice.Year(pol, now)
	seq, err := tx.nextSerial(o.Unit, rectify.Series, year)
	if err != nil {
		return o, err
	}
	o.Serial = pol.RectificationSerial(year, seq)
	o.Deadline = rectify.Deadline(pol, o.Severity, now).UTC()
	o.Status, o.CreatedAt, o.Version = rectify.Open, now, 1
	o.ID, err = tx.insertID(`INSERT INTO rectifications (inspection_id, enterprise_id, unit, item, problem, clause, severity, responsible, year, seq, serial, deadline, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, nullID(o.InspectionID), o.EnterpriseID, o.Unit, o.Item, o.Problem, o.Clause, o.Severity, o.Responsible,
		year, seq, o.Serial, o.Deadline, o.Status, now)
	if err != nil {
		return o, err
	}
	if err := tx.audit(p, "rectification.open", "rectification", o.ID, map[string]any{"serial": o.Serial, "enterprise_id": o.EnterpriseID,
		"item": o.Item, "severity": o.Severity, "deadline": o.Deadline}); err != nil {
		return o, err
	}
	if rectify.Suspends(o.Severity) {
		if err := tx.suspendEnterprise(pol, p, o); err != nil {
			return o, err
		}
	}
	sev, _ := inspection.SeverityName(o.Severity)
	link := fmt.Sprintf("/rectifications/%d", o.ID)
	body := fmt.Sprintf("%s(%s):%s,限 %s 前整改", o.Serial, sev, o.Problem, o.Deadline.In(pol.Location()).Format("2006-01-02"))
	if err := tx.alertEnterprise(o.EnterpriseID, "rectification", "整改通知书", body, link); err != nil {
		return o, err
	}
	return o, nil
}

// suspendEnterprise stops production (停产整顿): the enterprise's status, and its notice
// suspended (not revoked) with the reason, so that the gate refuses at once; the units the
// policy names for a suspended notice are alerted.
func (tx *txn) suspendEnterprise(pol *policy.Policy, p auth.Principal, o rectify.Order) error {
	zh, _ := rectify.SuspendReason(o.Serial, o.Problem)
	now := tx.now()
	if _, err := tx.exec(`UPDATE enterprises SET status = ?, version = version + 1, updated_at = ? WHERE id = ?`, string(enterprise.Suspended), now, o.EnterpriseID); err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE notices SET suspended_at = ?, suspend_reason = ? WHERE enterprise_id = ? AND revoked_at IS NULL AND suspended_at IS NULL`,
		now, zh, o.EnterpriseID); err != nil {
		return err
	}
	tx.forgetMemo()
	if _, err := tx.raiseAlert(pol, policy.AlertNoticeSuspended, o.EnterpriseID, alert.Facts{Text: zh, Link: fmt.Sprintf("/rectifications/%d", o.ID)}); err != nil {
		return err
	}
	return tx.audit(p, "enterprise.suspend", "enterprise", o.EnterpriseID, map[string]any{"rectification": o.ID, "serial": o.Serial, "reason": zh})
}

// reinstate lifts a stop of production after a passed re-inspection: the orders of
// 停产整顿 are closed, the notice stands again and the enterprise is resumed.
func (tx *txn) reinstate(pol *policy.Policy, p auth.Principal, e enterprise.Enterprise, inspectionID int64) error {
	now := tx.now()
	res, err := tx.exec(`UPDATE rectifications SET status = ?, comment = ?, closed_at = ?, version = version + 1
		WHERE enterprise_id = ? AND severity = ? AND status <> ?`, rectify.Closed, fmt.Sprintf("复查合格(检查 %d),恢复生产", inspectionID), now,
		e.ID, inspection.Suspend, rectify.Closed)
	if err != nil {
		return err
	}
	closed, _ := res.RowsAffected()
	res, err = tx.exec(`UPDATE notices SET suspended_at = NULL, suspend_reason = '' WHERE enterprise_id = ? AND revoked_at IS NULL AND suspended_at IS NOT NULL`, e.ID)
	if err != nil {
		return err
	}
	lifted, _ := res.RowsAffected()
	if closed == 0 && lifted == 0 && e.Status != enterprise.Suspended {
		return nil
	}
	if _, err := tx.exec(`UPDATE enterprises SET status = ?, version = version + 1, updated_at = ? WHERE id = ? AND status = ?`,
		string(enterprise.Resumed), now, e.ID, string(enterprise.Suspended)); err != nil {
		return err
	}
	tx.forgetMemo()
	if err := tx.audit(p, "enterprise.reinstate", "enterprise", e.ID, map[string]any{"inspection": inspectionID, "orders_closed": closed, "notices": lifted}); err != nil {
		return err
	}
	return tx.alertEnterprise(e.ID, "reinstated", "复查合格,恢复生产", "停产整顿已解除", fmt.Sprintf("/supervision/%d", inspectionID))
}

// notifyUnits tells the people acting for the policy units about an enterprise's order.
func (tx *txn) notifyUnits(pol *policy.Policy, units []string, entID int64, kind, title, body, link string) error {
	e, err := tx.enterpriseBrief(entID)
	if err != nil {
		return err
	}
	users, err := tx.unitUsers(pol, units, e)
	if err != nil {
		return err
	}
	return tx.notify(users, kind, title, e.Name+" "+body, link)
}

// unitUsers are the people acting for the policy's units about enterprise e: a unit's
// department in e's region, or the officials of its role whose region holds e.
func (tx *txn) unitUsers(pol *policy.Policy, units []string, e enterprise.Enterprise) ([]int64, error) {
	var users []int64
	for _, code := range units {
		u, ok := pol.Unit(code)
		if !ok {
			continue
		}
		ids, err := tx.usersActing(u.Role, u.Code, e)
		if err != nil {
			return nil, err
		}
		users = append(users, ids...)
	}
	return users, nil
}

// Transition applies an action to an order (rectify.Step decides): the enterprise
// responds, the unit verifies or returns, an overdue order is escalated. With the audit
// row and the inbox of those concerned, in one transaction.
func (h *Rectifications) Transition(ctx context.Context, p auth.Principal, id int64, req rectify.Request) (rectify.Order, error) {
	s := h.s
	o, err := h.Get(ctx, p, id)
	if err != nil {
		return o, err
	}
	a := rectify.Actor{
		Enterprise: p.Can(auth.SupervisionAnswer) && p.Scope.Kind == auth.ScopeEnterprise && p.Scope.ID == o.EnterpriseID,
		Overseer:   inspection.Oversees(p.Role) && p.Can(auth.SupervisionInspect),
	}
	if p.Can(auth.SupervisionInspect) {
		if a.Units, err = s.actorUnits(ctx, p); err != nil {
			return o, err
		}
	}
	now := s.DB.Now()
	status, level, err := rectify.Step(s.pol, o, a, req, now)
	if err != nil {
		return o, err
	}
	text := strings.TrimSpace(req.Text)
	err = s.DB.write(ctx, func(tx *txn) error {
		set := "status = ?, level = ?, version = version + 1"
		args := []any{status, level}
		switch req.Action {
		case rectify.Respond:
			set += ", answer = ?"
			args = append(args, text)
		default:
			if text != "" {
				set += ", comment = ?"
				args = append(args, text)
			}
		}
		if status == rectify.Closed {
			set += ", closed_at = ?"
			args = append(args, tx.now())
		}
		args = append(args, id, o.Status, req.Version, req.Version)
		res, err := tx.exec(`UPDATE rectifications SET `+set+` WHERE id = ? AND status = ? AND (version = ? OR ? = 0)`, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewConflict("整改通知书已被他人处理,请刷新后重试", "The order was changed meanwhile; reload and try again")
		}
		if err := tx.audit(p, "rectification."+req.Action, "rectification", id, map[string]any{"status": status, "level": level, "text": text}); err != nil {
			return err
		}
		link := fmt.Sprintf("/rectifications/%d", id)
		switch req.Action {
		case rectify.Respond:
			return tx.notifyUnits(s.pol, []string{o.Unit}, o.EnterpriseID, "rectification_answered", "整改回复待核实", o.Serial+":"+text, link)
		case rectify.Verify:
			return tx.alertEnterprise(o.EnterpriseID, "rectification_closed", "整改已核实销号", o.Serial, link)
		case rectify.Return:
			return tx.alertEnterprise(o.EnterpriseID, "rectification_returned", "整改被退回", o.Serial+":"+text, link)
		default:
			return tx.escalated(s.pol, o, level)
		}
	})
	if err != nil {
		return o, err
	}
	return h.Get(ctx, p, id)
}

// escalated tells the units an order reaches at level (rectify.Told) and the enterprise.
func (tx *txn) escalated(pol *policy.Policy, o rectify.Order, level int) error {
	u, _ := pol.Unit(rectify.LevelUnit(pol, level))
	body := fmt.Sprintf("%s 逾期未整改(期限 %s),已上报%s", o.Serial, o.Deadline.In(pol.Location()).Format("2006-01-02"), u.Name)
	link := fmt.Sprintf("/rectifications/%d", o.ID)
	if err := tx.notifyUnits(pol, rectify.Told(pol, o, level), o.EnterpriseID, "rectification_overdue", "逾期整改上报", body, link); err != nil {
		return err
	}
	if _, err := tx.raiseAlert(pol, policy.AlertRectificationOverdue, o.EnterpriseID, alert.Facts{Text: body, Link: link}); err != nil {
		return err
	}
	return tx.alertEnterprise(o.EnterpriseID, "rectification_overdue", "整改逾期", body, link)
}

// EscalateDue raises every overdue order to the level its deadline has reached by now
// (rectify.DueLevel), telling the units of each new level; it returns how many orders
// went up. It is the clock's escalation: safe to run at any time, as often as wanted.
func (h *Rectifications) EscalateDue(ctx context.Context) (int, error) {
	s := h.s
	if !s.pol.Supervision.Enabled {
		return 0, nil
	}
	now := s.DB.Now()
	rows, err := s.DB.query(ctx, `SELECT `+orderCols+orderFrom+` WHERE x.status <> ? AND x.deadline < ?`, rectify.Closed, now.UTC())
	if err != nil {
		return 0, err
	}
	var due []rectify.Order
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		if rectify.DueLevel(s.pol, o, now) > o.Level {
			due = append(due, o)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(due) == 0 {
		return 0, err
	}
	n := 0
	err = s.DB.write(ctx, func(tx *txn) error {
		for _, o := range due {
			level := rectify.DueLevel(s.pol, o, tx.now())
			res, err := tx.exec(`UPDATE rectifications SET level = ?, version = version + 1 WHERE id = ? AND level < ? AND status <> ?`, level, o.ID, level, rectify.Closed)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			n++
			if err := tx.audit(auth.System, "rectification.escalate", "rectification", o.ID, map[string]any{"level": level, "unit": rectify.LevelUnit(s.pol, level)}); err != nil {
				return err
			}
			if err := tx.escalated(s.pol, o, level); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// AddPhoto keeps a photo of the enterprise's answer to an open order.
func (h *Rectifications) AddPhoto(ctx context.Context, p auth.Principal, id int64, ph inspection.Photo) error {
	s := h.s
	o, err := h.Get(ctx, p, id)
	if err != nil {
		return err
	}
	if !p.Can(auth.SupervisionAnswer) || p.Scope.Kind != auth.ScopeEnterprise || p.Scope.ID != o.EnterpriseID {
		return apperr.NewForbidden()
	}
	if o.Status != rectify.Open {
		return apperr.NewConflict("只能为待整改的通知书上传照片", "Photos go with an order still to rectify")
	}
	ph.Item = o.Item
	return s.DB.write(ctx, func(tx *txn) error { return tx.addPhoto(p, "rectification", id, ph) })
}

// Photos lists the ids of the photos of a supervision record (owner inspection or
// rectification) with their item.
func (h *Inspections) Photos(ctx context.Context, owner string, id int64) (map[string][]int64, error) {
	rows, err := h.s.DB.query(ctx, `SELECT id, item FROM supervision_photos WHERE owner = ? AND owner_id = ? ORDER BY id`, owner, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]int64{}
	for rows.Next() {
		var pid int64
		var item string
		if err := rows.Scan(&pid, &item); err != nil {
			return nil, err
		}
		out[item] = append(out[item], pid)
	}
	return out, rows.Err()
}

// SuspendedNotice is the reason an enterprise's notice stands suspended, or "".
func (h *Rectifications) SuspendedNotice(ctx context.Context, p auth.Principal, enterpriseID int64) (string, error) {
	if _, err := h.s.DB.GetEnterprise(ctx, p, enterpriseID); err != nil {
		return "", err
	}
	var reason string
	err := h.s.DB.queryRow(ctx, `SELECT suspend_reason FROM notices WHERE enterprise_id = ? AND revoked_at IS NULL AND suspended_at IS NOT NULL ORDER BY id DESC LIMIT 1`, enterpriseID).Scan(&reason)
	if isNoRows(err) {
		return "", nil
	}
	return reason, err
}
