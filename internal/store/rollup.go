package store

import (
	"context"
	"database/sql"
	"strconv"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/dashboard"
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
