package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/ledger"
	"fugong/internal/roster"
)

// Today is the day of the store's clock in the policy's zone, as YYYY-MM-DD.
func (s *Store) Today() string {
	return s.Now().In(s.pol.Location()).Format("2006-01-02")
}

// dailyFigures computes the figures of one enterprise on day (midnight in the policy's zone).
func (s *Store) dailyFigures(ctx context.Context, r *ledger.DailyReport, day time.Time) error {
	db, pol := s.DB, s.pol
	loc := pol.Location()
	next := day.AddDate(0, 0, 1)
	// The people on the roster that day by their phase at its end, counted in SQL: today
	// from the stored clocks (clock.go), another day with the dashboard's cut-offs (the
	// same answer as roster.Clock); those not back by then have no phase counted.
	var rows *sql.Rows
	var err error
	if roster.FormatDate(day, loc) == s.Today() {
		if _, err := s.refreshClocks(ctx); err != nil {
			return err
		}
		rows, err = db.query(ctx, `SELECT phase, COUNT(*) FROM employees WHERE enterprise_id = ? AND phase IN (?, ?, ?)
			AND (left_at IS NULL OR left_at >= ?) GROUP BY phase`, r.EnterpriseID, string(roster.Isolating), string(roster.Monitoring), string(roster.Cleared), day.UTC())
	} else {
		expr, args := s.Dashboard().phaseExpr(day)
		rows, err = db.query(ctx, `SELECT `+expr+`, COUNT(*) FROM employees m WHERE m.enterprise_id = ? AND (m.left_at IS NULL OR m.left_at >= ?) GROUP BY 1`,
			append(args, r.EnterpriseID, day.UTC())...)
	}
	if err != nil {
		return err
	}
	for rows.Next() {
		var phase string
		var n int
		if err := rows.Scan(&phase, &n); err != nil {
			rows.Close()
			return err
		}
		for range n {
			r.Count(roster.Phase(phase))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	stock, err := supplyStock(ctx, func(q string, a ...any) (*sql.Rows, error) { return db.query(ctx, q, a...) }, r.EnterpriseID, next)
	if err != nil {
		return err
	}
	r.MaskStock = stock[application.ItemMasks]
	if err := db.queryRow(ctx, `SELECT COUNT(DISTINCT employee_id) FROM health_checks WHERE enterprise_id = ? AND day = ? AND (fever = TRUE OR symptoms <> '')`,
		r.EnterpriseID, r.Day).Scan(&r.Fevers); err != nil {
		return err
	}
	// Suspended by the end of the day (and not re-activated since): a later fever does not
	// change the report of an earlier day.
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM passes WHERE enterprise_id = ? AND status = 'suspended' AND updated_at < ?`,
		r.EnterpriseID, next.UTC()).Scan(&r.PassesSuspended); err != nil {
		return err
	}
	r.Conclude(pol)
	return nil
}

// denseEnterprises is how many enterprises make a scope large enough that a page of
// them by name is best read along the index by name, testing each for the scope.
const denseEnterprises = 5000

// DailyReports returns the daily reports of the enterprises in scope on a day: the
// confirmed ones as confirmed, the others computed now and marked not confirmed; with
// the number of enterprises and of confirmed reports.
func (h *Ledgers) DailyReports(ctx context.Context, p auth.Principal, f ledger.ReportFilter) ([]ledger.DailyReport, int, int, error) {
	s := h.s
	db, pol := s.DB, s.pol
	if !p.Can(auth.LedgersView) {
		return nil, 0, 0, apperr.NewForbidden()
	}
	day, dayText, err := ledger.ReportDay(f.Day, s.Today(), pol.Location())
	if err != nil {
		return nil, 0, 0, err
	}
	// The scope two ways: as a range of region codes, which the index by region reads
	// (the count, and the page of a scope of few enterprises, sorted by name), and as a
	// pattern, which the page of a large scope tests along the index by name.
	var w, byName where
	if err := db.scopeOn(ctx, p, &w, "e.id", "e.region_code", "e.park_id", regionRange); err != nil {
		return nil, 0, 0, err
	}
	if err := db.enterpriseScope(ctx, p, &byName); err != nil {
		return nil, 0, 0, err
	}
	if f.EnterpriseID != 0 {
		w.add("e.id = ?", f.EnterpriseID)
		byName.add("e.id = ?", f.EnterpriseID)
	}
	// Enterprises and confirmed reports change only by a Write, which forgets what is kept.
	n, err := keep(ctx, db, &db.counts, fmt.Sprint("daily reports|", dayText, w.sql(), w.args), countTTL, func(ctx context.Context) ([2]int, bool, error) {
		var n [2]int
		err := db.queryRow(ctx, `SELECT COUNT(*), COUNT(d.id) FROM enterprises e LEFT JOIN daily_reports d ON d.enterprise_id = e.id AND d.day = ?`+w.sql(),
			append([]any{dayText}, w.args...)...).Scan(&n[0], &n[1])
		return n, true, err
	})
	if err != nil {
		return nil, 0, 0, err
	}
	total, confirmed := n[0], n[1]
	if f.EnterpriseID != 0 && total == 0 {
		return nil, 0, 0, apperr.NewNotFound("企业")
	}
	if total >= denseEnterprises {
		w = byName
	}
	rows, err := db.query(ctx, `SELECT e.id, e.name, COALESCE(d.id, 0), COALESCE(d.on_site, 0), COALESCE(d.isolating, 0), COALESCE(d.monitoring, 0),
		COALESCE(d.fevers, 0), COALESCE(d.passes_suspended, 0), COALESCE(d.mask_stock, 0), COALESCE(d.cover_days, 0), d.zero,
		COALESCE(d.note, ''), COALESCE(d.confirmer_name, ''), d.confirmed_at
		FROM enterprises e LEFT JOIN daily_reports d ON d.enterprise_id = e.id AND d.day = ?`+w.sql()+` ORDER BY e.name, e.id`+limit(f.Page),
		append([]any{dayText}, w.args...)...)
	if err != nil {
		return nil, 0, 0, err
	}
	var out []ledger.DailyReport
	for rows.Next() {
		r := ledger.DailyReport{Day: dayText}
		var id int64
		var zero sql.NullBool
		var at sql.NullTime
		if err := rows.Scan(&r.EnterpriseID, &r.EnterpriseName, &id, &r.OnSite, &r.Isolating, &r.Monitoring, &r.Fevers, &r.PassesSuspended,
			&r.MaskStock, &r.CoverDays, &zero, &r.Note, &r.ConfirmedBy, &at); err != nil {
			rows.Close()
			return nil, 0, 0, err
		}
		if id != 0 {
			r.Confirmed, r.Zero = true, zero.Bool
			t := at.Time.UTC()
			r.ConfirmedAt = &t
			r.JudgeCover(pol)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, 0, err
	}
	for i := range out {
		if !out[i].Confirmed {
			if err := s.dailyFigures(ctx, &out[i], day); err != nil {
				return nil, 0, 0, err
			}
		}
	}
	return out, total, confirmed, nil
}

// ConfirmDailyReport computes an enterprise's figures of a day (today or earlier) and
// stores them as confirmed by p, the enterprise's admin (or the system administrator).
// A day is confirmed once.
func (h *Ledgers) ConfirmDailyReport(ctx context.Context, p auth.Principal, enterpriseID int64, dayText, note string) (ledger.DailyReport, error) {
	s := h.s
	db, pol := s.DB, s.pol
	if !p.Can(auth.LedgersEdit) || p.Role != auth.Enterprise && p.Role != auth.Admin {
		return ledger.DailyReport{}, &apperr.Error{Kind: apperr.Forbidden, Message: "日报由企业管理员确认上报", MessageEN: "The daily report is confirmed by the enterprise's admin"}
	}
	if enterpriseID == 0 && p.Scope.Kind == auth.ScopeEnterprise {
		enterpriseID = p.Scope.ID
	}
	day, dayText, err := ledger.ReportDay(dayText, s.Today(), pol.Location())
	if err != nil {
		return ledger.DailyReport{}, err
	}
	name, err := db.ledgerEnterprise(ctx, p, enterpriseID)
	if err != nil {
		return ledger.DailyReport{}, err
	}
	if err := ledger.CheckConfirmable(dayText, s.Today(), 0); err != nil {
		return ledger.DailyReport{}, err
	}
	r := ledger.DailyReport{EnterpriseID: enterpriseID, EnterpriseName: name, Day: dayText, Note: note}
	if err := s.dailyFigures(ctx, &r, day); err != nil {
		return r, err
	}
	err = db.write(ctx, func(tx *txn) error {
		if tx.engine() == Postgres { // one confirmation of an enterprise at a time (SQLite has one writer)
			if _, err := tx.exec(`SELECT id FROM enterprises WHERE id = ? FOR UPDATE`, enterpriseID); err != nil {
				return err
			}
		}
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM daily_reports WHERE enterprise_id = ? AND day = ?`, enterpriseID, dayText).Scan(&n); err != nil {
			return err
		}
		if err := ledger.CheckConfirmable(dayText, s.Today(), n); err != nil {
			return err
		}
		_, err := tx.exec(`INSERT INTO daily_reports (enterprise_id, day, on_site, isolating, monitoring, fevers, passes_suspended, mask_stock, cover_days,
			zero, note, confirmed_by, confirmer_name, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			enterpriseID, dayText, r.OnSite, r.Isolating, r.Monitoring, r.Fevers, r.PassesSuspended, r.MaskStock, r.CoverDays, r.Zero,
			note, nullID(p.UserID), p.Label(), tx.now())
		if err != nil {
			return err
		}
		r.Confirmed, r.ConfirmedBy = true, p.Label()
		t := tx.now()
		r.ConfirmedAt = &t
		action := "report.daily"
		if r.Zero {
			action = "report.zero"
		}
		return tx.audit(p, action, "enterprise", enterpriseID, map[string]any{"date": dayText, "on_site": r.OnSite, "isolating": r.Isolating,
			"monitoring": r.Monitoring, "fevers": r.Fevers, "passes_suspended": r.PassesSuspended, "cover_days": r.CoverDays, "zero": r.Zero})
	})
	return r, err
}
