package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"fugong/internal/alert"
	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/roster"
)

// Alerts are the alerts upward: raised inside the transaction of the event, sent to the
// units of the policy, acknowledged once by each.
type Alerts struct{ s *Store }

// Alerts returns the alerts' handle.
func (s *Store) Alerts() *Alerts { return &s.alerts }

// raiseAlert records, inside tx, an alert of kind about an enterprise with what is known,
// for each unit the policy sends that kind to (policy.AlertUnits); without such units it
// records nothing. Any use case raises its alerts this way in its own transaction: a
// fever, returners, a revoked notice here; an overdue rectification or a major hazard
// from supervision (kinds policy.AlertRectificationOverdue, policy.AlertMajorHazard).
func (tx *txn) raiseAlert(pol *policy.Policy, kind string, entID int64, facts alert.Facts) (int64, error) {
	units := pol.AlertUnits(kind)
	if len(units) == 0 {
		return 0, nil
	}
	e, err := tx.enterpriseBrief(entID)
	if err != nil {
		return 0, err
	}
	if alert.Joins(kind) {
		if id, joined, err := tx.joinAlert(pol, kind, e, facts); err != nil || joined {
			return id, err
		}
	}
	b, err := json.Marshal(facts)
	if err != nil {
		return 0, err
	}
	id, err := tx.insertID(`INSERT INTO alerts (kind, enterprise_id, region_code, facts, created_at) VALUES (?, ?, ?, ?, ?)`,
		kind, entID, e.RegionCode, string(b), tx.now())
	if err != nil {
		return 0, err
	}
	title, body := alert.Inbox(kind, e.Name, facts)
	for _, u := range units {
		if _, err := tx.exec(`INSERT INTO alert_recipients (alert_id, unit) VALUES (?, ?)`, id, u); err != nil {
			return 0, err
		}
		// The accounts that act for the unit find it in their inbox too.
		users, err := tx.unitUsers(pol, []string{u}, e)
		if err != nil {
			return 0, err
		}
		if err := tx.notify(users, "todo", title, body, alert.InboxLink(id, u)); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// joinAlert adds facts to the open alert of kind about enterprise e raised earlier today
// (alert.Joins), none of whose recipients has acknowledged it, and brings its inbox items
// up to date, unread again: the alert's id and whether there was one to join.
func (tx *txn) joinAlert(pol *policy.Policy, kind string, e enterprise.Enterprise, facts alert.Facts) (int64, bool, error) {
	today := roster.Day(tx.now(), pol.Location())
	var id int64
	var raw string
	q := `SELECT a.id, a.facts FROM alerts a WHERE a.enterprise_id = ? AND a.kind = ? AND a.created_at >= ?
		AND NOT EXISTS (SELECT 1 FROM alert_recipients r WHERE r.alert_id = a.id AND r.acked_at IS NOT NULL) ORDER BY a.id DESC LIMIT 1`
	if tx.engine() == Postgres {
		q += ` FOR UPDATE OF a` // a concurrent join waits, and adds to what this one wrote
	}
	err := tx.queryRow(q, e.ID, kind, today.UTC()).Scan(&id, &raw)
	if isNoRows(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	var open alert.Facts
	if err := json.Unmarshal([]byte(raw), &open); err != nil {
		return 0, false, err
	}
	joined := open.Join(facts)
	b, err := json.Marshal(joined)
	if err != nil {
		return 0, false, err
	}
	if _, err := tx.exec(`UPDATE alerts SET facts = ? WHERE id = ?`, string(b), id); err != nil {
		return 0, false, err
	}
	rows, err := tx.query(`SELECT unit FROM alert_recipients WHERE alert_id = ? ORDER BY unit`, id)
	if err != nil {
		return 0, false, err
	}
	var units []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return 0, false, err
		}
		units = append(units, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, false, err
	}
	_, body := alert.Inbox(kind, e.Name, joined)
	for _, u := range units {
		if _, err := tx.exec(`UPDATE notifications SET body = ?, read_at = NULL WHERE kind = 'todo' AND link = ?`, body, alert.InboxLink(id, u)); err != nil {
			return 0, false, err
		}
	}
	return id, true, nil
}

const alertCols = `a.id, a.kind, a.enterprise_id, e.name, a.region_code, a.facts, r.unit, a.created_at, r.acked_at, COALESCE(NULLIF(u.display_name, ''), u.username, '')`

const alertFrom = ` FROM alert_recipients r JOIN alerts a ON a.id = r.alert_id JOIN enterprises e ON e.id = a.enterprise_id
	LEFT JOIN users u ON u.id = r.acked_by`

// alertWhere selects the alerts sent to the principal's units about enterprises in scope.
func (h *Alerts) alertWhere(ctx context.Context, p auth.Principal) (where, bool, error) {
	units, err := h.s.actorUnits(ctx, p)
	if err != nil || len(units) == 0 {
		return where{}, false, err
	}
	var w where
	if err := h.s.DB.enterpriseScope(ctx, p, &w); err != nil {
		return w, false, err
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(units)), ", ")
	args := make([]any, len(units))
	for i, u := range units {
		args[i] = u
	}
	w.add("r.unit IN ("+marks+")", args...)
	return w, true, nil
}

func scanAlert(sc interface{ Scan(...any) error }, role auth.Role) (alert.Alert, error) {
	var a alert.Alert
	var facts string
	var acked sql.NullTime
	if err := sc.Scan(&a.ID, &a.Kind, &a.EnterpriseID, &a.EnterpriseName, &a.RegionCode, &facts, &a.Unit, &a.CreatedAt, &acked, &a.AckedBy); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(facts), &a.Facts); err != nil {
		return a, err
	}
	a.Facts = alert.For(role, a.Facts)
	if acked.Valid {
		t := acked.Time.UTC()
		a.AckedAt = &t
	} else {
		a.AckedBy = ""
	}
	return a, nil
}

// List lists one page of the alerts sent to the principal's units, newest first, with
// personal data as the principal's role may read it.
func (h *Alerts) List(ctx context.Context, p auth.Principal, f alert.Filter) ([]alert.Alert, int, error) {
	w, ok, err := h.alertWhere(ctx, p)
	if err != nil || !ok {
		return []alert.Alert{}, 0, err
	}
	if f.Open {
		w.add("r.acked_at IS NULL")
	}
	if f.Kind != "" {
		w.add("a.kind = ?", f.Kind)
	}
	var total int
	if err := h.s.DB.queryRow(ctx, `SELECT COUNT(*)`+alertFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := h.s.DB.query(ctx, `SELECT `+alertCols+alertFrom+w.sql()+` ORDER BY a.id DESC, r.unit`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []alert.Alert{}
	for rows.Next() {
		a, err := scanAlert(rows, p.Role)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

// OpenCount is how many alerts wait for the principal's acknowledgement.
func (h *Alerts) OpenCount(ctx context.Context, p auth.Principal) (int, error) {
	_, n, err := h.List(ctx, p, alert.Filter{Open: true, Page: list.Page{Size: 1}})
	return n, err
}

// Ack acknowledges an alert for the principal's units that received it; once done it
// cannot be done again.
func (h *Alerts) Ack(ctx context.Context, p auth.Principal, id int64) ([]alert.Alert, error) {
	w, ok, err := h.alertWhere(ctx, p)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.NewNotFound("预警")
	}
	w.add("a.id = ?", id)
	rows, err := h.s.DB.query(ctx, `SELECT r.unit, r.acked_at IS NULL, a.enterprise_id`+alertFrom+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	var open []string
	var entID int64
	seen := false
	for rows.Next() {
		var unit string
		var isOpen bool
		if err := rows.Scan(&unit, &isOpen, &entID); err != nil {
			rows.Close()
			return nil, err
		}
		seen = true
		if isOpen {
			open = append(open, unit)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	switch {
	case !seen:
		return nil, apperr.NewNotFound("预警")
	case len(open) == 0:
		return nil, apperr.NewConflict("该预警已签收", "The alert is already acknowledged")
	}
	err = h.s.DB.write(ctx, func(tx *txn) error {
		for _, u := range open {
			if _, err := tx.exec(`UPDATE alert_recipients SET acked_at = ?, acked_by = ? WHERE alert_id = ? AND unit = ? AND acked_at IS NULL`,
				tx.now(), nullID(p.UserID), id, u); err != nil {
				return err
			}
			// Its inbox items are done.
			if _, err := tx.exec(`UPDATE notifications SET kind = 'todo_done', read_at = COALESCE(read_at, ?) WHERE kind = 'todo' AND link = ?`,
				tx.now(), alert.InboxLink(id, u)); err != nil {
				return err
			}
		}
		return tx.audit(p, "alert.ack", "enterprise", entID, map[string]any{"alert_id": id, "units": open})
	})
	if err != nil {
		return nil, err
	}
	w2, _, err := h.alertWhere(ctx, p)
	if err != nil {
		return nil, err
	}
	w2.add("a.id = ?", id)
	rs, err := h.s.DB.query(ctx, `SELECT `+alertCols+alertFrom+w2.sql()+` ORDER BY r.unit`, w2.args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []alert.Alert
	for rs.Next() {
		a, err := scanAlert(rs, p.Role)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rs.Err()
}

// returners gathers, from the persons just added to an enterprise's roster, those whose
// origin class is reported (report_to): the facts of their alert, the origins named once
// each (alert.JoinOrigins), all it needs, so that an import keeps no more than that of
// its rows.
type returners struct {
	facts alert.Facts
}

// add notes e if its origin class is reported.
func (r *returners) add(pol *policy.Policy, e roster.Employee) {
	if o, ok := pol.OriginClass(e.Origin); ok && len(o.ReportTo) > 0 {
		r.facts.Persons = append(r.facts.Persons, e.Name)
		r.facts.Count++
		r.facts.Origin = alert.JoinOrigins(r.facts.Origin, o.Name)
	}
}

// returnersAlert reports, inside tx, the returners gathered of an enterprise, one alert
// with the list; none, no alert.
func (tx *txn) returnersAlert(pol *policy.Policy, entID int64, r returners) error {
	if r.facts.Count == 0 {
		return nil
	}
	f := r.facts
	f.Link = "/roster"
	_, err := tx.raiseAlert(pol, policy.AlertReturners, entID, f)
	return err
}
