package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
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

// dailyFigures computes the figures of the enterprises of rs on day (midnight in the
// policy's zone): one query per figure for all of them.
func (s *Store) dailyFigures(ctx context.Context, rs []*ledger.DailyReport, day time.Time) error {
	if len(rs) == 0 {
		return nil
	}
	db, pol := s.DB, s.pol
	loc := pol.Location()
	next := day.AddDate(0, 0, 1)
	by := make(map[int64]*ledger.DailyReport, len(rs))
	ids := make([]any, 0, len(rs))
	for _, r := range rs {
		by[r.EnterpriseID] = r
		ids = append(ids, r.EnterpriseID)
	}
	in := " IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
	// each reads rows of (enterprise id, a value, a count) or (enterprise id, a count).
	each := func(q string, args []any, fn func(r *ledger.DailyReport, key string, n int)) error {
		rows, err := db.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var key string
			var n int
			dest := []any{&id, &n}
			if len(cols) == 3 {
				dest = []any{&id, &key, &n}
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			if r := by[id]; r != nil {
				fn(r, key, n)
			}
		}
		return rows.Err()
	}
	countPhase := func(r *ledger.DailyReport, phase string, n int) {
		for range n {
			r.Count(roster.Phase(phase))
		}
	}
	// The people on the roster that day by their phase at its end, counted in SQL: today
	// from the stored clocks (clock.go), another day with the dashboard's cut-offs (the
	// same answer as roster.Clock); those not back by then have no phase counted.
	if roster.FormatDate(day, loc) == s.Today() {
		if _, err := s.refreshClocks(ctx); err != nil {
			return err
		}
		if err := each(`SELECT enterprise_id, phase, COUNT(*) FROM employees WHERE enterprise_id`+in+` AND phase IN (?, ?, ?)
			AND (left_at IS NULL OR left_at >= ?) GROUP BY enterprise_id, phase`,
			append(slices.Clone(ids), string(roster.Isolating), string(roster.Monitoring), string(roster.Cleared), day.UTC()), countPhase); err != nil {
			return err
		}
	} else {
		expr, args := s.Dashboard().phaseExpr(day)
		if err := each(`SELECT m.enterprise_id, `+expr+`, COUNT(*) FROM employees m WHERE m.enterprise_id`+in+` AND (m.left_at IS NULL OR m.left_at >= ?) GROUP BY 1, 2`,
			append(append(args, ids...), day.UTC()), countPhase); err != nil {
			return err
		}
	}
	// The stock of masks at the end of the day (supplyStock's sum, for one item).
	if err := each(`SELECT enterprise_id, SUM(quantity) FROM ledger_entries WHERE enterprise_id`+in+` AND kind = 'supplies' AND item = ? AND at < ? GROUP BY enterprise_id`,
		append(slices.Clone(ids), application.ItemMasks, next.UTC()), func(r *ledger.DailyReport, _ string, n int) { r.MaskStock = int64(n) }); err != nil {
		return err
	}
	if err := each(`SELECT enterprise_id, COUNT(DISTINCT employee_id) FROM health_checks WHERE enterprise_id`+in+` AND day = ? AND (fever = TRUE OR symptoms <> '') GROUP BY enterprise_id`,
		append(slices.Clone(ids), roster.FormatDate(day, loc)), func(r *ledger.DailyReport, _ string, n int) { r.Fevers = n }); err != nil {
		return err
	}
	// Suspended by the end of the day (and not re-activated since): a later fever does not
	// change the report of an earlier day.
	if err := each(`SELECT enterprise_id, COUNT(*) FROM passes WHERE enterprise_id`+in+` AND status = 'suspended' AND updated_at < ? GROUP BY enterprise_id`,
		append(slices.Clone(ids), next.UTC()), func(r *ledger.DailyReport, _ string, n int) { r.PassesSuspended = n }); err != nil {
		return err
	}
	for _, r := range rs {
		r.Conclude(pol)
	}
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
	// A few enterprises are sorted by name once read: the expression keeps either engine's
	// planner from walking the index by name for them (they may all sort late).
	order := ` ORDER BY e.name || '', e.id`
	if total >= denseEnterprises {
		w, order = byName, ` ORDER BY e.name, e.id`
	}
	rows, err := db.query(ctx, `SELECT e.id, e.name, COALESCE(d.id, 0), COALESCE(d.on_site, 0), COALESCE(d.isolating, 0), COALESCE(d.monitoring, 0),
		COALESCE(d.fevers, 0), COALESCE(d.passes_suspended, 0), COALESCE(d.mask_stock, 0), COALESCE(d.cover_days, 0), d.zero,
		COALESCE(d.note, ''), COALESCE(d.confirmer_name, ''), d.confirmed_at
		FROM enterprises e LEFT JOIN daily_reports d ON d.enterprise_id = e.id AND d.day = ?`+w.sql()+order+limit(f.Page),
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
	var open []*ledger.DailyReport
	for i := range out {
		if !out[i].Confirmed {
			open = append(open, &out[i])
		}
	}
	if err := s.dailyFigures(ctx, open, day); err != nil {
		return nil, 0, 0, err
	}
	return out, total, confirmed, nil
}

// ConfirmDailyReport computes an enterprise's figures of a day (today or earlier) and
// stores them as confirmed by p, the enterprise's admin (or the system administrator).
// A day is confirmed once.
func (h *Ledgers) ConfirmDailyReport(ctx context.Context, p auth.Principal, enterpriseID int64, dayText, note string) (ledger.DailyReport, error) {
	s := h.s
	db, pol := s.DB, s.pol
	if !p.Can(auth.LedgersEdit) {
		return ledger.DailyReport{}, apperr.NewForbidden()
	}
	if err := ledger.MayConfirm(p.Role); err != nil {
		return ledger.DailyReport{}, err
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
	if err := s.dailyFigures(ctx, []*ledger.DailyReport{&r}, day); err != nil {
		return r, err
	}
	err = db.write(ctx, func(tx *txn) error {
		if tx.engine() == Postgres { // one confirmation of an enterprise at a time (SQLite has one writer)
			if _, err := tx.exec(`SELECT id FROM enterprises WHERE id = ? FOR NO KEY UPDATE`, enterpriseID); err != nil {
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
