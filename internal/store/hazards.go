package store

import (
	"context"
	"database/sql"
	"fmt"
	"fugong/internal/alert"
	"fugong/internal/policy"
	"slices"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/hazard"
	"fugong/internal/inspection"
)

// The safety-production hazard register (安全生产隐患排查治理): hazards of the key sectors,
// found by an inspection or the enterprise's own check, through 登记 → 整改 → 验收 → 销号;
// a major hazard is reported at once to the levels the policy names and stays on their
// list until closed.

const hazardCols = `x.id, x.enterprise_id, e.name, x.sector, x.grade, x.source, COALESCE(x.inspection_id, 0), x.unit, x.item, x.description,
	x.measures, x.deadline, x.status, x.version, x.created_at, x.closed_at`

const hazardFrom = ` FROM hazards x JOIN enterprises e ON e.id = x.enterprise_id`

func scanHazard(sc interface{ Scan(...any) error }) (hazard.Hazard, error) {
	var h hazard.Hazard
	var closed sql.NullTime
	err := sc.Scan(&h.ID, &h.EnterpriseID, &h.EnterpriseName, &h.Sector, &h.Grade, &h.Source, &h.InspectionID, &h.Unit, &h.Item, &h.Description,
		&h.Measures, &h.Deadline, &h.Status, &h.Version, &h.CreatedAt, &closed)
	h.Deadline, h.CreatedAt = h.Deadline.UTC(), h.CreatedAt.UTC()
	if closed.Valid {
		t := closed.Time.UTC()
		h.ClosedAt = &t
	}
	return h, err
}

// hazardScope restricts a query over hazards to what the principal may see: the
// enterprises of its scope; a department, grid or park operator the hazards of its unit,
// and, when its unit is one the policy reports major hazards to (the emergency management
// bureau), every major hazard of its region.
func (s *Store) hazardScope(ctx context.Context, p auth.Principal, w *where) (units []string, err error) {
	if err := s.DB.enterpriseScope(ctx, p, w); err != nil {
		return nil, err
	}
	switch p.Role {
	case auth.Reviewer, auth.Grid, auth.Park:
		if units, err = s.actorUnits(ctx, p); err != nil {
			return nil, err
		}
		if len(units) == 0 {
			w.add("1 = 0")
			return nil, nil
		}
		args := make([]any, 0, len(units)+1)
		for _, u := range units {
			args = append(args, u)
		}
		cond := "x.unit IN (?" + strings.Repeat(", ?", len(units)-1) + ")"
		if slices.ContainsFunc(units, func(u string) bool { return slices.Contains(s.pol.Supervision.HazardReportTo, u) }) {
			cond = "(" + cond + " OR x.grade = ?)"
			args = append(args, hazard.Major)
		}
		w.add(cond, args...)
	}
	return units, nil
}

// List lists the hazards in scope: the open major ones first, then by deadline.
func (h *Hazards) List(ctx context.Context, p auth.Principal, f hazard.Filter) ([]hazard.Hazard, int, error) {
	s := h.s
	if !p.Can(auth.SupervisionView) {
		return nil, 0, apperr.NewForbidden()
	}
	var w where
	if _, err := s.hazardScope(ctx, p, &w); err != nil {
		return nil, 0, err
	}
	switch f.Status {
	case "":
	case "open":
		w.add("x.status <> ?", hazard.Closed)
	default:
		w.add("x.status = ?", f.Status)
	}
	for col, v := range map[string]string{"x.grade": f.Grade, "x.sector": f.Sector} {
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
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*)`+hazardFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	args := append(append([]any{}, w.args...), hazard.Closed, hazard.Major)
	rows, err := s.DB.query(ctx, `SELECT `+hazardCols+hazardFrom+w.sql()+
		` ORDER BY CASE WHEN x.status = ? THEN 2 WHEN x.grade = ? THEN 0 ELSE 1 END, x.deadline, x.id`+limit(f.Page), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []hazard.Hazard
	for rows.Next() {
		hz, err := scanHazard(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, hz)
	}
	return out, total, rows.Err()
}

// Get returns a hazard the principal may see.
func (h *Hazards) Get(ctx context.Context, p auth.Principal, id int64) (hazard.Hazard, error) {
	s := h.s
	if !p.Can(auth.SupervisionView) {
		return hazard.Hazard{}, apperr.NewForbidden()
	}
	var w where
	if _, err := s.hazardScope(ctx, p, &w); err != nil {
		return hazard.Hazard{}, err
	}
	w.add("x.id = ?", id)
	hz, err := scanHazard(s.DB.queryRow(ctx, `SELECT `+hazardCols+hazardFrom+w.sql(), w.args...))
	return hz, notFound(err, "隐患")
}

// Register records a hazard of an enterprise in scope: found by an inspection (a unit
// that inspects) or by the enterprise's own check (its account). The unit is the
// enterprise's supervising unit unless given; a major hazard is reported at once to the
// levels the policy names (hazard.ReportTo).
func (h *Hazards) Register(ctx context.Context, p auth.Principal, hz hazard.Hazard) (hazard.Hazard, error) {
	s := h.s
	own := p.Scope.Kind == auth.ScopeEnterprise && p.Can(auth.SupervisionAnswer)
	switch {
	case own:
		hz.EnterpriseID, hz.Source, hz.InspectionID = p.Scope.ID, hazard.FromSelfCheck, 0
	case p.Can(auth.SupervisionInspect):
		if hz.Source == "" {
			hz.Source = hazard.FromInspection
		}
	default:
		return hz, apperr.NewForbidden()
	}
	if err := hazard.Check(s.pol, &hz); err != nil {
		return hz, err
	}
	e, err := s.DB.GetEnterprise(ctx, p, hz.EnterpriseID)
	if err != nil {
		return hz, err
	}
	if hz.Unit == "" {
		hz.Unit = inspection.SplitFor(s.pol, e)[0].Unit
	}
	if _, ok := s.pol.Unit(hz.Unit); !ok {
		return hz, apperr.NewInvalid("unit", "未知的单位", "Unknown unit")
	}
	if !own {
		if err := s.actsFor(ctx, p, hz.Unit); err != nil {
			return hz, err
		}
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		now := tx.now()
		hz.Deadline, hz.Status = hazard.Deadline(s.pol, hz.Grade, now).UTC(), hazard.Registered
		var err error
		hz.ID, err = tx.insertID(`INSERT INTO hazards (enterprise_id, sector, grade, source, inspection_id, unit, item, description, deadline, status, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, hz.EnterpriseID, hz.Sector, hz.Grade, hz.Source, nullID(hz.InspectionID), hz.Unit, hz.Item, hz.Description,
			hz.Deadline, hz.Status, nullID(p.UserID), now)
		if err != nil {
			return err
		}
		if err := tx.audit(p, "hazard.register", "hazard", hz.ID, map[string]any{"enterprise_id": hz.EnterpriseID, "sector": hz.Sector, "grade": hz.Grade, "source": hz.Source}); err != nil {
			return err
		}
		gzh, _ := hazard.GradeName(hz.Grade)
		sector, _ := s.pol.HazardSector(hz.Sector)
		body := fmt.Sprintf("%s %s:%s,限 %s 前整改", sector.Name, gzh, hz.Description, hz.Deadline.In(s.pol.Location()).Format("2006-01-02"))
		link := fmt.Sprintf("/hazards?enterprise=%d", hz.EnterpriseID)
		title := "安全生产隐患登记"
		if hz.Grade == hazard.Major {
			title = "重大安全生产隐患报告"
		}
		if err := tx.notifyUnits(s.pol, hazard.ReportTo(s.pol, hz), hz.EnterpriseID, "hazard", title, body, link); err != nil {
			return err
		}
		if hz.Grade == hazard.Major {
			if _, err := tx.raiseAlert(s.pol, policy.AlertMajorHazard, hz.EnterpriseID, alert.Facts{Text: body, Link: link}); err != nil {
				return err
			}
		}
		return tx.alertEnterprise(hz.EnterpriseID, "hazard", title, body, link)
	})
	if err != nil {
		return hz, err
	}
	return h.Get(ctx, p, hz.ID)
}

// Transition moves a hazard through its loop (hazard.Step decides), with the audit row
// and the inbox of the unit (and, for a major hazard, the levels it was reported to).
func (h *Hazards) Transition(ctx context.Context, p auth.Principal, id int64, action, text string, version int) (hazard.Hazard, error) {
	s := h.s
	hz, err := h.Get(ctx, p, id)
	if err != nil {
		return hz, err
	}
	a := hazard.Actor{Enterprise: p.Can(auth.SupervisionAnswer) && p.Scope.Kind == auth.ScopeEnterprise && p.Scope.ID == hz.EnterpriseID}
	if p.Can(auth.SupervisionInspect) {
		if inspection.Oversees(p.Role) {
			a.Unit = true
		} else {
			units, err := s.actorUnits(ctx, p)
			if err != nil {
				return hz, err
			}
			a.Unit = slices.ContainsFunc(units, func(u string) bool { return slices.Contains(hazard.ReportTo(s.pol, hz), u) })
		}
	}
	status, err := hazard.Step(hz, a, action, text)
	if err != nil {
		return hz, err
	}
	text = strings.TrimSpace(text)
	err = s.DB.write(ctx, func(tx *txn) error {
		set, args := "status = ?, version = version + 1", []any{status}
		if text != "" {
			set += ", measures = ?"
			args = append(args, text)
		}
		if status == hazard.Closed {
			set += ", closed_at = ?"
			args = append(args, tx.now())
		}
		args = append(args, id, hz.Status, version, version)
		res, err := tx.exec(`UPDATE hazards SET `+set+` WHERE id = ? AND status = ? AND (version = ? OR ? = 0)`, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewConflict("隐患已被他人处理,请刷新后重试", "The hazard was changed meanwhile; reload and try again")
		}
		if err := tx.audit(p, "hazard."+action, "hazard", id, map[string]any{"status": status, "text": text}); err != nil {
			return err
		}
		zh, _ := hazard.StatusName(status)
		link := fmt.Sprintf("/hazards?enterprise=%d", hz.EnterpriseID)
		if a.Enterprise && !a.Unit {
			return tx.notifyUnits(s.pol, hazard.ReportTo(s.pol, hz), hz.EnterpriseID, "hazard", "隐患整改待验收", hz.Description+":"+zh, link)
		}
		return tx.alertEnterprise(hz.EnterpriseID, "hazard", "隐患"+zh, hz.Description, link)
	})
	if err != nil {
		return hz, err
	}
	return h.Get(ctx, p, id)
}
