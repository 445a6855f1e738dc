package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/dashboard"
	"fugong/internal/roster"
)

// Rollup adds up the daily reports of a day at a level (village → town → county): a line
// per region one level down with the enterprises asked (those allowed to produce), those
// that confirmed and what they reported, whether that level confirmed its own summary;
// the enterprises that have not reported; the level's own summary once confirmed.
// regionCode "" is the caller's own region.
func (h *Dashboard) Rollup(ctx context.Context, p auth.Principal, regionCode, day string) (dashboard.Rollup, error) {
	db := h.s.DB
	if regionCode == "" {
		regionCode = h.ScopeRegion(ctx, p)
	}
	f := dashboard.Filter{Region: regionCode, Day: day}
	w, err := h.dashWhere(ctx, p, f)
	if err != nil {
		return dashboard.Rollup{}, err
	}
	day, _, _, err = h.dayBounds(f)
	if err != nil {
		return dashboard.Rollup{}, err
	}
	out := dashboard.Rollup{Region: regionCode, Day: day, Lines: []dashboard.ReportLine{}, Unreported: []dashboard.Unreported{}}
	if regionCode != "" {
		_ = db.queryRow(ctx, `SELECT name FROM regions WHERE code = ?`, regionCode).Scan(&out.RegionName)
	}
	key := "e.region_code"
	suffix := ""
	if n, sfx := dashboard.ChildLen(regionCode); n > 0 {
		key, suffix = "SUBSTR(e.region_code, 1, "+strconv.Itoa(n)+")", sfx
	}
	ww := w.clone()
	ww.add("e.status = 'resumed'")
	rows, err := db.query(ctx, `SELECT `+key+`, COUNT(*), COUNT(d.id), COALESCE(SUM(d.on_site), 0), COALESCE(SUM(d.isolating), 0),
		COALESCE(SUM(d.monitoring), 0), COALESCE(SUM(d.fevers), 0)
		FROM enterprises e LEFT JOIN daily_reports d ON d.enterprise_id = e.id AND d.day = ?`+ww.sql()+` GROUP BY 1 ORDER BY 1`,
		append([]any{day}, ww.args...)...)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var l dashboard.ReportLine
		if err := rows.Scan(&l.Key, &l.Due, &l.Reported, &l.OnSite, &l.Isolating, &l.Monitoring, &l.Fevers); err != nil {
			rows.Close()
			return out, err
		}
		l.Key += suffix
		l.Name = l.Key
		out.Lines = append(out.Lines, l)
		out.Total.Add(l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	for i := range out.Lines {
		l := &out.Lines[i]
		_ = db.queryRow(ctx, `SELECT name FROM regions WHERE code = ?`, l.Key).Scan(&l.Name)
		var n int
		if err := db.queryRow(ctx, `SELECT COUNT(*) FROM report_summaries WHERE region_code = ? AND day = ?`, l.Key, day).Scan(&n); err != nil {
			return out, err
		}
		l.Summarized = n > 0
	}
	un, err := db.query(ctx, `SELECT e.id, e.name, COALESCE(r.name, e.region_code) FROM enterprises e
		LEFT JOIN daily_reports d ON d.enterprise_id = e.id AND d.day = ? LEFT JOIN regions r ON r.code = e.region_code`+ww.sql()+
		andOr(ww)+`d.id IS NULL ORDER BY e.name, e.id LIMIT 500`, append([]any{day}, ww.args...)...)
	if err != nil {
		return out, err
	}
	for un.Next() {
		var u dashboard.Unreported
		if err := un.Scan(&u.EnterpriseID, &u.Name, &u.RegionName); err != nil {
			un.Close()
			return out, err
		}
		out.Unreported = append(out.Unreported, u)
	}
	un.Close()
	if err := un.Err(); err != nil {
		return out, err
	}
	if regionCode != "" {
		var s dashboard.Summary
		err := db.queryRow(ctx, `SELECT region_code, day, enterprises, reported, on_site, isolating, monitoring, fevers, note, confirmer_name, confirmed_at
			FROM report_summaries WHERE region_code = ? AND day = ?`, regionCode, day).Scan(&s.Region, &s.Day, &s.Due, &s.Reported, &s.OnSite,
			&s.Isolating, &s.Monitoring, &s.Fevers, &s.Note, &s.ConfirmedBy, &s.ConfirmedAt)
		switch {
		case err == nil:
			s.ConfirmedAt = s.ConfirmedAt.UTC()
			out.Summary = &s
		case err != sql.ErrNoRows:
			return out, err
		}
	}
	return out, nil
}

// ConfirmSummary confirms the caller's own level's summary of the daily reports of a day
// (the village's grid leader, the town, the command), once; with enterprises missing, a
// note must say why (dashboard.CheckSummary). The summary and its audit row are written
// together.
func (h *Dashboard) ConfirmSummary(ctx context.Context, p auth.Principal, day, note string) (dashboard.Summary, error) {
	if !p.Can(auth.ReportsSummarize) {
		return dashboard.Summary{}, apperr.NewForbidden()
	}
	if p.Scope.Kind != auth.ScopeRegion {
		return dashboard.Summary{}, &apperr.Error{Kind: apperr.Forbidden, Message: "汇总由各级(村、镇、县)确认本级的日报", MessageEN: "Each level (village, town, county) confirms its own summary"}
	}
	r, err := h.Rollup(ctx, p, p.Scope.Region, day)
	if err != nil {
		return dashboard.Summary{}, err
	}
	if err := dashboard.CheckSummary(r, note); err != nil {
		return dashboard.Summary{}, err
	}
	s := r.Summarize(note)
	s.ConfirmedBy = p.Label()
	err = h.s.DB.write(ctx, func(tx *txn) error {
		s.ConfirmedAt = tx.now().UTC()
		res, err := tx.exec(`INSERT INTO report_summaries (region_code, day, enterprises, reported, on_site, isolating, monitoring, fevers, note, confirmed_by, confirmer_name, confirmed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, s.Region, s.Day, s.Due, s.Reported, s.OnSite, s.Isolating, s.Monitoring, s.Fevers,
			s.Note, nullID(p.UserID), s.ConfirmedBy, s.ConfirmedAt)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = apperr.NewConflict("本级当日汇总已确认", "This level's summary of the day is confirmed already")
			}
			return err
		}
		return tx.audit(p, "report.summary", "region", s.Region, map[string]any{"day": s.Day, "due": s.Due, "reported": s.Reported,
			"on_site": s.OnSite, "fevers": s.Fevers, "note": s.Note})
	})
	return s, err
}

// trendOf is the trend of the n days up to day of the enterprises matching w; ents are
// today's figures of those enterprises when day is today.
func (h *Dashboard) trendOf(ctx context.Context, w where, day string, n int, ents []dashboard.EnterpriseDay) ([]dashboard.Row, error) {
	days := dashboard.Days(day, n)
	today := h.s.Today()
	if err := h.rollUpMissing(ctx, days); err != nil {
		return nil, err
	}
	byDay := map[string]dashboard.Row{}
	q := `SELECT e.day, CAST(SUM(e.registered) AS BIGINT), CAST(SUM(e.resumed) AS BIGINT), CAST(SUM(e.with_notice) AS BIGINT), CAST(SUM(e.staff) AS BIGINT),
		CAST(SUM(e.on_site) AS BIGINT), CAST(SUM(e.fevers) AS BIGINT), CAST(SUM(e.reports) AS BIGINT), CAST(SUM(e.reports_due) AS BIGINT)
		FROM dashboard_days e` + w.sql() + andOr(w) + `e.day >= ? AND e.day <= ? GROUP BY e.day`
	rows, err := h.s.DB.query(ctx, q, append(append([]any{}, w.args...), days[0], days[len(days)-1])...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r dashboard.Row
		if err := rows.Scan(&r.Key, &r.Registered, &r.Resumed, &r.WithNotice, &r.Staff, &r.OnSite, &r.Fevers, &r.Reports, &r.ReportsDue); err != nil {
			rows.Close()
			return nil, err
		}
		byDay[r.Key] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]dashboard.Row, len(days))
	for i, d := range days {
		out[i] = byDay[d]
		if d == today {
			out[i] = dashboard.Sum(ents)
		}
		out[i].Key, out[i].Name = d, d
	}
	return out, nil
}

// rollUps lets one request at a time roll days up in this process: a request finding
// days missing while another rolls them up waits for it, then finds them done, instead of
// counting them again (single flight). Instances sharing a database each roll a day up at
// most once, the first to record it keeping its rows (rollUpDay).
var rollUps sync.Mutex

// rollUpMissing rolls up the days before today of days (in order) not rolled up yet: one
// query finds them, the daily job (RunDailyJobs) having done the day before today already.
func (h *Dashboard) rollUpMissing(ctx context.Context, days []string) error {
	today := h.s.Today()
	var past []string
	for _, d := range days {
		if d < today {
			past = append(past, d)
		}
	}
	if len(past) == 0 {
		return nil
	}
	first, last := past[0], past[len(past)-1]
	missing := func() ([]string, error) {
		done := map[string]bool{}
		rows, err := h.s.DB.query(ctx, `SELECT day FROM daily_jobs WHERE name = ? AND day >= ? AND day <= ?`, jobDashboardRollup, first, last)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				return nil, err
			}
			done[d] = true
		}
		var out []string
		for _, d := range past {
			if !done[d] {
				out = append(out, d)
			}
		}
		return out, rows.Err()
	}
	todo, err := missing()
	if err != nil || len(todo) == 0 {
		return err
	}
	rollUps.Lock()
	defer rollUps.Unlock()
	for _, d := range todo {
		if err := h.rollUpDay(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// rollUpDay writes the day's per-group figures of the whole installation into the roll-up
// once the day is over; a day rolled up already is left as it is.
func (h *Dashboard) rollUpDay(ctx context.Context, day string) error {
	var done int
	if err := h.s.DB.queryRow(ctx, `SELECT COUNT(*) FROM daily_jobs WHERE name = ? AND day = ?`, jobDashboardRollup, day).Scan(&done); err != nil || done > 0 {
		return err
	}
	if day >= h.s.Today() {
		return nil
	}
	start, ok := roster.ParseDate(day, h.s.pol.Location())
	if !ok || start.IsZero() {
		return apperr.NewInvalid("day", "日期无效", "Not a date")
	}
	ents, err := h.dayEnterprises(ctx, where{}, day, start.AddDate(0, 0, 1).UTC())
	if err != nil {
		return err
	}
	rows, order := dashboard.Group(ents, dashboard.RollupKey)
	return h.s.DB.write(ctx, func(tx *txn) error {
		res, err := tx.exec(`INSERT INTO daily_jobs (name, day, ran_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, jobDashboardRollup, day, tx.now())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // another instance rolled it up
		}
		for _, k := range order {
			parts := strings.Split(k, "|")
			if len(parts) != 4 {
				continue
			}
			r := rows[k]
			park, _ := strconv.ParseInt(parts[1], 10, 64)
			if _, err := tx.exec(`INSERT INTO dashboard_days (day, region_code, park_id, category, key_enterprise, registered, resumed, with_notice, staff, on_site, fevers, reports, reports_due)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, day, parts[0], nullID(park), parts[2], parts[3] == "1",
				r.Registered, r.Resumed, r.WithNotice, r.Staff, r.OnSite, r.Fevers, r.Reports, r.ReportsDue); err != nil {
				return err
			}
		}
		_, err = tx.exec(`UPDATE daily_jobs SET result = ? WHERE name = ? AND day = ?`, fmt.Sprintf("%d groups", len(order)), jobDashboardRollup, day)
		return err
	})
}
