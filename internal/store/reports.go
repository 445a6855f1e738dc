package store

import (
	"context"
	"database/sql"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/ledger"
	"fugong/internal/policy"
	"fugong/internal/roster"
)

// ParseDay reads a day written YYYY-MM-DD as midnight in loc.
func ParseDay(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	return t, err == nil
}

// Today is the day of the store's clock in the policy's zone, as YYYY-MM-DD.
func (db *DB) Today(pol *policy.Policy) string {
	return db.Now().In(pol.Location()).Format("2006-01-02")
}

// dailyFigures computes the figures of one enterprise on day (midnight in the policy's zone).
func (db *DB) dailyFigures(ctx context.Context, pol *policy.Policy, r *DailyReport, day time.Time) error {
	loc := pol.Location()
	next := day.AddDate(0, 0, 1)
	rows, err := db.query(ctx, `SELECT origin, return_date, journey_hours, left_at FROM employees WHERE enterprise_id = ?`, r.EnterpriseID)
	if err != nil {
		return err
	}
	at := next.Add(-time.Second) // the day's clock: any instant of the day gives the same phase
	for rows.Next() {
		var e roster.Employee
		var ret string
		var left sql.NullTime
		if err := rows.Scan(&e.Origin, &ret, &e.JourneyHours, &left); err != nil {
			rows.Close()
			return err
		}
		if left.Valid && left.Time.Before(day) {
			continue
		}
		e.ReturnDate, _ = roster.ParseDate(ret, loc)
		if !e.ReturnDate.IsZero() && !roster.Day(e.ReturnDate, loc).Before(next) {
			continue // not back yet on that day
		}
		switch roster.Clock(pol, e, at).Phase {
		case roster.Cleared:
			r.OnSite++
		case roster.Monitoring:
			r.OnSite++
			r.Monitoring++
		case roster.Isolating:
			r.Isolating++
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
	r.CoverDays = -1
	if per := ledger.DailyUse(pol, application.ItemMasks); r.OnSite > 0 && per > 0 {
		r.CoverDays = ledger.Round1(ledger.Cover(r.MaskStock, r.OnSite, per))
		// From the rounded figure, as a confirmed report read back is judged.
		r.CoverWarning = r.CoverDays < float64(pol.Resumption.SuppliesReserveDays)
	}
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
	r.Zero = r.Fevers == 0 && r.PassesSuspended == 0 && r.Isolating == 0
	return nil
}

func (db *DB) reportDay(pol *policy.Policy, s string) (time.Time, string, error) {
	if s == "" {
		s = db.Today(pol)
	}
	day, ok := ParseDay(s, pol.Location())
	if !ok {
		return day, s, apperr.NewInvalid("date", "日期格式不正确,请填写如 2020-02-12", "Unreadable date; write it as 2020-02-12")
	}
	return day, s, nil
}

// ListDailyReports returns the daily reports of the enterprises in scope on a day: the
// confirmed ones as confirmed, the others computed now and marked not confirmed; with
// the number of enterprises and of confirmed reports.
func (db *DB) ListDailyReports(ctx context.Context, pol *policy.Policy, p auth.Principal, f DailyReportFilter) ([]DailyReport, int, int, error) {
	if !p.Can(auth.LedgersView) {
		return nil, 0, 0, apperr.NewForbidden()
	}
	day, dayText, err := db.reportDay(pol, f.Day)
	if err != nil {
		return nil, 0, 0, err
	}
	var w where
	if err := db.enterpriseScope(ctx, p, &w); err != nil {
		return nil, 0, 0, err
	}
	if f.EnterpriseID != 0 {
		w.add("e.id = ?", f.EnterpriseID)
	}
	var total, confirmed int
	if err := db.queryRow(ctx, `SELECT COUNT(*), COUNT(d.id) FROM enterprises e LEFT JOIN daily_reports d ON d.enterprise_id = e.id AND d.day = ?`+w.sql(),
		append([]any{dayText}, w.args...)...).Scan(&total, &confirmed); err != nil {
		return nil, 0, 0, err
	}
	if f.EnterpriseID != 0 && total == 0 {
		return nil, 0, 0, apperr.NewNotFound("企业")
	}
	rows, err := db.query(ctx, `SELECT e.id, e.name, COALESCE(d.id, 0), COALESCE(d.on_site, 0), COALESCE(d.isolating, 0), COALESCE(d.monitoring, 0),
		COALESCE(d.fevers, 0), COALESCE(d.passes_suspended, 0), COALESCE(d.mask_stock, 0), COALESCE(d.cover_days, 0), d.zero,
		COALESCE(d.note, ''), COALESCE(d.confirmer_name, ''), d.confirmed_at
		FROM enterprises e LEFT JOIN daily_reports d ON d.enterprise_id = e.id AND d.day = ?`+w.sql()+` ORDER BY e.name, e.id`+limit(f.Page),
		append([]any{dayText}, w.args...)...)
	if err != nil {
		return nil, 0, 0, err
	}
	var out []DailyReport
	for rows.Next() {
		r := DailyReport{Day: dayText}
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
			r.CoverWarning = r.CoverDays >= 0 && r.CoverDays < float64(pol.Resumption.SuppliesReserveDays)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, 0, err
	}
	for i := range out {
		if !out[i].Confirmed {
			if err := db.dailyFigures(ctx, pol, &out[i], day); err != nil {
				return nil, 0, 0, err
			}
		}
	}
	return out, total, confirmed, nil
}

// ConfirmDailyReport computes an enterprise's figures of a day (today or earlier) and
// stores them as confirmed by p, the enterprise's admin (or the system administrator).
// A day is confirmed once.
func (db *DB) ConfirmDailyReport(ctx context.Context, pol *policy.Policy, p auth.Principal, enterpriseID int64, dayText, note string) (DailyReport, error) {
	if !p.Can(auth.LedgersEdit) || p.Role != auth.Enterprise && p.Role != auth.Admin {
		return DailyReport{}, &apperr.Error{Kind: apperr.Forbidden, Message: "日报由企业管理员确认上报", MessageEN: "The daily report is confirmed by the enterprise's admin"}
	}
	if enterpriseID == 0 && p.Scope.Kind == auth.ScopeEnterprise {
		enterpriseID = p.Scope.ID
	}
	day, dayText, err := db.reportDay(pol, dayText)
	if err != nil {
		return DailyReport{}, err
	}
	name, err := db.ledgerEnterprise(ctx, p, enterpriseID)
	if err != nil {
		return DailyReport{}, err
	}
	if dayText > db.Today(pol) {
		return DailyReport{}, apperr.NewInvalid("date", "不能确认未来日期的日报", "A day that has not come cannot be reported")
	}
	r := DailyReport{EnterpriseID: enterpriseID, EnterpriseName: name, Day: dayText, Note: note}
	if err := db.dailyFigures(ctx, pol, &r, day); err != nil {
		return r, err
	}
	err = db.Write(ctx, func(tx *Tx) error {
		if tx.Engine() == Postgres { // one confirmation of an enterprise at a time (SQLite has one writer)
			if _, err := tx.Exec(`SELECT id FROM enterprises WHERE id = ? FOR UPDATE`, enterpriseID); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM daily_reports WHERE enterprise_id = ? AND day = ?`, enterpriseID, dayText).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.NewConflict("该日日报已确认上报", "The daily report of that day is already confirmed")
		}
		_, err := tx.Exec(`INSERT INTO daily_reports (enterprise_id, day, on_site, isolating, monitoring, fevers, passes_suspended, mask_stock, cover_days,
			zero, note, confirmed_by, confirmer_name, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			enterpriseID, dayText, r.OnSite, r.Isolating, r.Monitoring, r.Fevers, r.PassesSuspended, r.MaskStock, r.CoverDays, r.Zero,
			note, nullID(p.UserID), p.Label(), tx.Now())
		if err != nil {
			return err
		}
		r.Confirmed, r.ConfirmedBy = true, p.Label()
		t := tx.Now()
		r.ConfirmedAt = &t
		action := "report.daily"
		if r.Zero {
			action = "report.zero"
		}
		return tx.Audit(p, action, "enterprise", enterpriseID, map[string]any{"date": dayText, "on_site": r.OnSite, "isolating": r.Isolating,
			"monitoring": r.Monitoring, "fevers": r.Fevers, "passes_suspended": r.PassesSuspended, "cover_days": r.CoverDays, "zero": r.Zero})
	})
	return r, err
}
