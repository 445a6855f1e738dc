package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"fugong/internal/auth"
	"fugong/internal/dashboard"
	"fugong/internal/roster"
)

// Statistics counts the resumption statistics table (复工统计表) of the caller's scope on
// a day: one row per region one level down and category, ordered by region and category.
func (h *Dashboard) Statistics(ctx context.Context, p auth.Principal, f dashboard.Filter) ([]dashboard.StatRow, error) {
	db := h.s.DB
	w, err := h.dashWhere(ctx, p, f)
	if err != nil {
		return nil, err
	}
	day, start, end, err := h.dayBounds(f)
	if err != nil {
		return nil, err
	}
	base := f.Region
	if base == "" {
		base = h.ScopeRegion(ctx, p)
	}
	regionKey, suffix := "e.region_code", ""
	if n, sfx := dashboard.ChildLen(base); n > 0 {
		regionKey, suffix = "SUBSTR(e.region_code, 1, "+strconv.Itoa(n)+")", sfx
	}
	key := regionKey + ` || '|' || e.category`
	rows := map[string]*dashboard.StatRow{}
	var order []string
	wsql, and := w.sql(), andOr(w)
	// read reads (key, n…) rows: a query's counts of each group, handed to set.
	read := func(q string, args []any, set func(r *dashboard.StatRow, n []int)) error {
		rs, err := db.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		cols, err := rs.Columns()
		if err != nil {
			return err
		}
		n := make([]int, len(cols)-1)
		dest := make([]any, len(cols))
		for rs.Next() {
			var k string
			dest[0] = &k
			for i := range n {
				dest[i+1] = &n[i]
			}
			if err := rs.Scan(dest...); err != nil {
				return err
			}
			r := rows[k]
			if r == nil {
				reg, cat, _ := strings.Cut(k, "|")
				r = &dashboard.StatRow{Region: reg + suffix, Category: cat}
				rows[k] = r
				order = append(order, k)
			}
			set(r, n)
		}
		return rs.Err()
	}
	args := func(extra ...any) []any { return append(append([]any{}, w.args...), extra...) }
	back := roster.FormatDate(start, h.s.pol.Location())
	// The people at work and those back are counted in one reading of the people of the
	// scope's enterprises, enterprise by enterprise along the index of their leaving,
	// joining and return (migration 027), before their enterprises are grouped.
	for _, q := range []struct {
		sql  string
		args []any
		set  func(r *dashboard.StatRow, n []int)
	}{
		{`SELECT ` + key + `, COUNT(*) FROM enterprises e` + wsql + and + `e.created_at < ? GROUP BY 1 ORDER BY 1`, args(end),
			func(r *dashboard.StatRow, n []int) { r.Registered = n[0] }},
		{`SELECT ` + key + `, COUNT(DISTINCT a.enterprise_id) FROM applications a JOIN enterprises e ON e.id = a.enterprise_id` + wsql + and +
			`a.submitted_at IS NOT NULL AND a.submitted_at < ? GROUP BY 1`, args(end), func(r *dashboard.StatRow, n []int) { r.Filed = n[0] }},
		{`SELECT ` + key + `, COUNT(DISTINCT n.enterprise_id) FROM notices n JOIN enterprises e ON e.id = n.enterprise_id` + wsql + and +
			`n.issued_at < ? GROUP BY 1`, args(end), func(r *dashboard.StatRow, n []int) { r.Approved = n[0] }},
		{`SELECT ` + key + `, COUNT(DISTINCT n.enterprise_id) FROM notices n JOIN enterprises e ON e.id = n.enterprise_id` + wsql + and +
			`n.issued_at < ? AND (n.revoked_at IS NULL OR n.revoked_at >= ?) GROUP BY 1`, args(end, end), func(r *dashboard.StatRow, n []int) { r.Resumed = n[0] }},
		{`SELECT ` + key + `, SUM(c.n), SUM(c.back) FROM (SELECT m.enterprise_id, COUNT(*) AS n,
			SUM(CASE WHEN m.return_date <> '' AND m.return_date <= ? THEN 1 ELSE 0 END) AS back FROM employees m
			WHERE m.enterprise_id IN (SELECT e.id FROM enterprises e` + wsql + `) AND m.created_at < ? AND (m.left_at IS NULL OR m.left_at >= ?)
			GROUP BY m.enterprise_id) c JOIN enterprises e ON e.id = c.enterprise_id GROUP BY 1`, append([]any{back}, args(end, end)...),
			func(r *dashboard.StatRow, n []int) { r.Staff, r.Back = n[0], n[1] }},
		{`SELECT ` + key + `, COUNT(DISTINCT g.employee_id) FROM gate_events g JOIN enterprises e ON e.id = g.enterprise_id` + wsql + and +
			`g.day = ? AND g.kind = 'employee' AND g.allow = TRUE GROUP BY 1`, args(day), func(r *dashboard.StatRow, n []int) { r.OnSite = n[0] }},
	} {
		if err := read(q.sql, q.args, q.set); err != nil {
			return nil, err
		}
	}
	out := make([]dashboard.StatRow, 0, len(order))
	names := map[string]string{}
	for _, k := range order {
		r := *rows[k]
		if _, ok := names[r.Region]; !ok {
			names[r.Region] = r.Region
			_ = db.queryRow(ctx, `SELECT name FROM regions WHERE code = ?`, r.Region).Scan(&r.RegionName)
			names[r.Region] = r.RegionName
		}
		r.RegionName = names[r.Region]
		r.CategoryName = r.Category
		for _, c := range h.s.pol.Categories {
			if c.Code == r.Category {
				r.CategoryName = c.Name
			}
		}
		out = append(out, r)
	}
	sortStatRows(out)
	return out, nil
}

func sortStatRows(rows []dashboard.StatRow) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && (rows[j].Region < rows[j-1].Region || rows[j].Region == rows[j-1].Region && rows[j].Category < rows[j-1].Category); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// Filings lists the enterprises of the caller's scope that filed by the day's end, with
// their latest filed application and its notice (复工企业备案汇总表), by region and name.
func (h *Dashboard) Filings(ctx context.Context, p auth.Principal, f dashboard.Filter) ([]dashboard.Filing, error) {
	db := h.s.DB
	w, err := h.dashWhere(ctx, p, f)
	if err != nil {
		return nil, err
	}
	_, _, end, err := h.dayBounds(f)
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT e.id, e.name, e.uscc, COALESCE(r.name, e.region_code), e.category, a.route_unit, a.planned_at, a.submitted_at,
		e.headcount, a.status, COALESCE(n.serial, '')
		FROM applications a JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN regions r ON r.code = e.region_code
		LEFT JOIN notices n ON n.application_id = a.id`+w.sql()+andOr(w)+`a.submitted_at IS NOT NULL AND a.submitted_at < ?
		AND a.id = (SELECT MAX(b.id) FROM applications b WHERE b.enterprise_id = a.enterprise_id AND b.submitted_at IS NOT NULL AND b.submitted_at < ?)
		ORDER BY e.region_code, e.name, e.id LIMIT 20000`, append(append([]any{}, w.args...), end, end)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []dashboard.Filing{}
	for rows.Next() {
		var x dashboard.Filing
		var planned sql.NullTime
		if err := rows.Scan(&x.EnterpriseID, &x.Name, &x.USCC, &x.RegionName, &x.Category, &x.Unit, &planned, &x.SubmittedAt, &x.Headcount, &x.Status, &x.Serial); err != nil {
			return nil, err
		}
		if planned.Valid {
			t := planned.Time.UTC()
			x.PlannedAt = &t
		}
		x.SubmittedAt = x.SubmittedAt.UTC()
		out = append(out, x)
	}
	return out, rows.Err()
}
