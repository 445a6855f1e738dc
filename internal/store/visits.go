package store

import (
	"context"
	"slices"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/assign"
	"fugong/internal/auth"
	"fugong/internal/hazard"
	"fugong/internal/rectify"
)

// The visit log (走访记录) and an official's own enterprises (我的包保企业).

const visitCols = `v.id, v.enterprise_id, e.name, COALESCE(v.user_id, 0), v.visitor, v.day, v.kind, v.found, v.problems, v.photos, v.created_at`

const visitFrom = ` FROM visits v JOIN enterprises e ON e.id = v.enterprise_id`

func scanVisit(sc interface{ Scan(...any) error }) (assign.Visit, error) {
	var v assign.Visit
	var photos string
	err := sc.Scan(&v.ID, &v.EnterpriseID, &v.EnterpriseName, &v.UserID, &v.Visitor, &v.Day, &v.Kind, &v.Found, &v.Problems, &photos, &v.CreatedAt)
	v.Photos = []string{}
	if photos != "" {
		v.Photos = strings.Split(photos, ",")
	}
	return v, err
}

// answerable restricts a query over enterprises (alias e) to those in the principal's
// scope and those it is assigned to now.
func (h *Assignments) answerable(ctx context.Context, p auth.Principal, w *where) error {
	var scope where
	if err := h.s.DB.enterpriseScope(ctx, p, &scope); err != nil {
		return err
	}
	day := h.s.today()
	mine := `e.id IN (SELECT enterprise_id FROM assignments WHERE user_id = ? AND removed_at IS NULL AND starts_on <= ? AND (ends_on = '' OR ends_on >= ?))`
	if len(scope.conds) == 0 {
		return nil
	}
	w.add("(("+strings.Join(scope.conds, " AND ")+") OR "+mine+")", append(scope.args, p.UserID, day, day)...)
	return nil
}

// Visits lists one page of the visits to enterprises the principal is answerable for,
// newest first.
func (h *Assignments) Visits(ctx context.Context, p auth.Principal, f assign.VisitFilter) ([]assign.Visit, int, error) {
	var w where
	if err := h.answerable(ctx, p, &w); err != nil {
		return nil, 0, err
	}
	if f.Enterprise != 0 {
		w.add("v.enterprise_id = ?", f.Enterprise)
	}
	if f.UserID != 0 {
		w.add("v.user_id = ?", f.UserID)
	}
	if f.Kind != "" {
		w.add("v.kind = ?", f.Kind)
	}
	var total int
	if err := h.s.DB.queryRow(ctx, `SELECT COUNT(*)`+visitFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := h.s.DB.query(ctx, `SELECT `+visitCols+visitFrom+w.sql()+` ORDER BY v.day DESC, v.id DESC`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []assign.Visit{}
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// Visit returns one visit the principal may see.
func (h *Assignments) Visit(ctx context.Context, p auth.Principal, id int64) (assign.Visit, error) {
	var w where
	if err := h.answerable(ctx, p, &w); err != nil {
		return assign.Visit{}, err
	}
	w.add("v.id = ?", id)
	v, err := scanVisit(h.s.DB.queryRow(ctx, `SELECT `+visitCols+visitFrom+w.sql(), w.args...))
	return v, notFound(err, "走访记录")
}

// AddVisitPhotos adds photos (the SHA-256 of files already stored) to a visit the caller
// logged (assign.Visit.AddPhotos decides), audited.
func (h *Assignments) AddVisitPhotos(ctx context.Context, p auth.Principal, id int64, shas []string) (assign.Visit, error) {
	v, err := h.Visit(ctx, p, id)
	if err != nil {
		return v, err
	}
	after, err := v.AddPhotos(p.UserID, shas)
	if err != nil {
		return v, err
	}
	err = h.s.DB.write(ctx, func(tx *txn) error {
		res, err := tx.exec(`UPDATE visits SET photos = ? WHERE id = ? AND photos = ?`, strings.Join(after.Photos, ","), id, strings.Join(v.Photos, ","))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.NewConflict("该走访记录刚被修改,请刷新后重试", "The visit was just changed: reload and try again")
		}
		return tx.audit(p, "visit.photos", "enterprise", v.EnterpriseID, map[string]any{"visit_id": id, "added": len(after.Photos) - len(v.Photos), "photos": len(after.Photos)})
	})
	if err != nil {
		return v, err
	}
	return h.Visit(ctx, p, id)
}

// LogVisit records an official's visit to an enterprise the official is answerable for
// (in scope or assigned); photos are the SHA-256 of files already stored.
func (h *Assignments) LogVisit(ctx context.Context, p auth.Principal, v assign.Visit) (assign.Visit, error) {
	if !slices.Contains(assign.Officials, p.Role) {
		return v, apperr.NewForbidden()
	}
	if err := v.Validate(h.s.today(), h.s.pol.Location()).Err(); err != nil {
		return v, err
	}
	var w where
	if err := h.answerable(ctx, p, &w); err != nil {
		return v, err
	}
	w.add("e.id = ?", v.EnterpriseID)
	var id int64
	err := h.s.DB.write(ctx, func(tx *txn) error {
		if err := tx.queryRow(`SELECT e.id FROM enterprises e`+w.sql(), w.args...).Scan(&v.EnterpriseID); err != nil {
			if isNoRows(err) {
				return apperr.NewInvalid("enterprise_id", "未找到该企业,或您不负责该企业", "No such enterprise among those you answer for")
			}
			return err
		}
		var err error
		id, err = tx.insertID(`INSERT INTO visits (enterprise_id, user_id, visitor, day, kind, found, problems, photos, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.EnterpriseID, nullID(p.UserID), cmpOr(p.Name, p.Username), v.Day, v.Kind, v.Found, v.Problems,
			strings.Join(v.Photos, ","), tx.now())
		if err != nil {
			return err
		}
		return tx.audit(p, "visit.create", "enterprise", v.EnterpriseID, map[string]any{"visit_id": id, "day": v.Day, "kind": v.Kind, "photos": len(v.Photos)})
	})
	if err != nil {
		return v, err
	}
	return h.Visit(ctx, p, id)
}

// Mine lists the enterprises the principal is assigned to today, with what to know about
// each today: standing, notice in force, fevers, suspended passes, the daily report, the
// last visit, the rectification orders and hazards not closed.
func (h *Assignments) Mine(ctx context.Context, p auth.Principal) ([]assign.Mine, error) {
	s := h.s
	day := s.today()
	rows, err := s.DB.query(ctx, `SELECT e.id, e.name, COALESCE(r.name, ''), e.status, a.duty,
		COALESCE((SELECT MAX(n.id) FROM notices n WHERE n.enterprise_id = e.id AND n.revoked_at IS NULL), 0),
		(SELECT COUNT(*) FROM health_checks h WHERE h.enterprise_id = e.id AND h.day = ? AND h.fever = TRUE),
		(SELECT COUNT(*) FROM passes ps WHERE ps.enterprise_id = e.id AND ps.status = 'suspended'),
		(SELECT COUNT(*) FROM daily_reports d WHERE d.enterprise_id = e.id AND d.day = ?),
		COALESCE((SELECT MAX(v.day) FROM visits v WHERE v.enterprise_id = e.id), ''),
		(SELECT COUNT(*) FROM rectifications x WHERE x.enterprise_id = e.id AND x.status <> ?),
		(SELECT COUNT(*) FROM hazards z WHERE z.enterprise_id = e.id AND z.status <> ?)
		FROM assignments a JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN regions r ON r.code = e.region_code
		WHERE a.user_id = ? AND a.removed_at IS NULL AND a.starts_on <= ? AND (a.ends_on = '' OR a.ends_on >= ?)
		ORDER BY e.name, e.id, a.duty`, day, day, rectify.Closed, hazard.Closed, p.UserID, day, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []assign.Mine{}
	for rows.Next() {
		var m assign.Mine
		var duty string
		var reports int
		if err := rows.Scan(&m.EnterpriseID, &m.EnterpriseName, &m.RegionName, &m.Status, &duty, &m.NoticeID, &m.FeversToday,
			&m.PassesSuspended, &reports, &m.LastVisit, &m.OpenRectifications, &m.Hazards); err != nil {
			return nil, err
		}
		m.ReportConfirmed = reports > 0
		if n := len(out); n > 0 && out[n-1].EnterpriseID == m.EnterpriseID {
			if !slices.Contains(out[n-1].Duties, duty) {
				out[n-1].Duties = append(out[n-1].Duties, duty)
			}
			continue
		}
		m.Duties = []string{duty}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].NoticeID == 0 {
			continue
		}
		if err := s.DB.queryRow(ctx, `SELECT serial FROM notices WHERE id = ?`, out[i].NoticeID).Scan(&out[i].NoticeSerial); err != nil {
			return nil, err
		}
	}
	return out, nil
}
