package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/dashboard"
	"fugong/internal/roster"
)

// Dashboard is the handle of the command's picture: figures counted by GROUP BY over the
// indexes (enterprise, day), breakdowns by region, park, category and unit, the per-day
// roll-up of the trend.
type Dashboard struct{ s *Store }

// Dashboard returns the dashboard's handle.
func (s *Store) Dashboard() *Dashboard { return &Dashboard{s} }

const jobDashboardRollup = "dashboard.rollup"

// dashWhere is the caller's scope and the filter over enterprises (alias e). A region
// outside the caller's scope is refused: a town never sees another town's figures, not
// even as a sum.
func (h *Dashboard) dashWhere(ctx context.Context, p auth.Principal, f dashboard.Filter) (where, error) {
	var w where
	if !p.Can(auth.DashboardView) || p.Scope.Kind == auth.ScopeEnterprise {
		return w, apperr.NewForbidden()
	}
	return h.scopeWhere(ctx, p, f)
}

// scopeWhere is dashWhere without the dashboard's permission: the home page's own figures.
func (h *Dashboard) scopeWhere(ctx context.Context, p auth.Principal, f dashboard.Filter) (where, error) {
	var w where
	if err := h.s.DB.enterpriseScope(ctx, p, &w); err != nil {
		return w, err
	}
	if f.Region != "" {
		if !h.regionVisible(ctx, p, f.Region) {
			return w, apperr.NewNotFound("行政区划")
		}
		regionCond(&w, "e.region_code", f.Region)
	}
	if f.ParkID != 0 {
		w.add("e.park_id = ?", f.ParkID)
	}
	if f.Category != "" {
		w.add("e.category = ?", f.Category)
	}
	if f.Unit != "" {
		groups := dashboard.UnitGroups(h.s.pol, f.Unit)
		if len(groups) == 0 {
			w.add("1 = 0")
		}
		var ors []string
		var args []any
		for _, g := range groups {
			park := "e.park_id IS NULL"
			if g.InPark {
				park = "e.park_id IS NOT NULL"
			}
			ors = append(ors, "(e.category = ? AND "+park+" AND e.key_enterprise = ?)")
			args = append(args, g.Category, g.Key)
		}
		if len(ors) > 0 {
			w.add("("+strings.Join(ors, " OR ")+")", args...)
		}
	}
	return w, nil
}

// regionVisible reports whether a region lies inside the caller's scope.
func (h *Dashboard) regionVisible(ctx context.Context, p auth.Principal, code string) bool {
	var w where
	if err := h.s.DB.regionScope(ctx, p, &w, "code"); err != nil {
		return false
	}
	w.add("code = ?", code)
	var n int
	if err := h.s.DB.queryRow(ctx, `SELECT COUNT(*) FROM regions`+w.sql(), w.args...).Scan(&n); err != nil {
		return false
	}
	return n > 0
}

// dayBounds are the day's text and the instants of its start and end (UTC).
func (h *Dashboard) dayBounds(f dashboard.Filter) (string, time.Time, time.Time, error) {
	today := h.s.Today()
	if err := f.Check(h.s.pol, today); err != nil {
		return "", time.Time{}, time.Time{}, err
	}
	day := f.Day
	if day == "" {
		day = today
	}
	start, ok := roster.ParseDate(day, h.s.pol.Location())
	if !ok || start.IsZero() {
		return "", time.Time{}, time.Time{}, apperr.NewInvalid("day", "日期无效", "Not a date")
	}
	end := start.AddDate(0, 0, 1) // today: as things stand now, nothing being dated later
	return day, start.UTC(), end.UTC(), nil
}

// Work counts today's figures of the caller's own scope for the home page: an
// enterprise's own fevers, passes waiting, report and supplies; a grid leader's passes to
// approve and readings owed. Any role that sees enterprises has its home's figures.
func (h *Dashboard) Work(ctx context.Context, p auth.Principal) (dashboard.Figures, error) {
	if !p.Can(auth.EnterprisesView) {
		return dashboard.Figures{}, apperr.NewForbidden()
	}
	w, err := h.scopeWhere(ctx, p, dashboard.Filter{})
	if err != nil {
		return dashboard.Figures{}, err
	}
	return h.figures(ctx, w, dashboard.Filter{})
}

func (h *Dashboard) figures(ctx context.Context, w where, f dashboard.Filter) (dashboard.Figures, error) {
	day, start, end, err := h.dayBounds(f)
	if err != nil {
		return dashboard.Figures{}, err
	}
	ents, err := h.dayEnterprises(ctx, w, day, end)
	if err != nil {
		return dashboard.Figures{}, err
	}
	return h.figuresOf(ctx, w, day, start, end, ents)
}

// figuresOf counts the figures of the enterprises matching w on the day from their
// figures counted once (dayEnterprises) and the counts only the figures show.
func (h *Dashboard) figuresOf(ctx context.Context, w where, day string, start, end time.Time, ents []dashboard.EnterpriseDay) (dashboard.Figures, error) {
	db, pol := h.s.DB, h.s.pol
	var err error
	out := dashboard.Figures{Day: day, ByStatus: map[string]int{}, Passes: map[string]int{}, Apps: map[string]int{}}
	scope := func(q string, args ...any) (string, []any) {
		ww := w.clone()
		return q + ww.sql(), append(args, ww.args...)
	}
	// Enterprises by status, with their daily reports of the day; those holding a notice
	// in force at the day's end; the people admitted at a gate on the day.
	for _, e := range ents {
		if e.Registered {
			out.ByStatus[e.Status]++
			out.Registered++
			if e.Report && e.LowCover {
				out.LowCover++
			}
			if dashboard.Owes(e.Status) {
				out.ReportsDue++
				if e.Report {
					out.Reports++
				}
			}
		}
		if e.Notice {
			out.WithNotice++
		}
		out.OnSite += e.OnSite
	}
	// Staff by phase at the day's end.
	if out.Phases, out.Staff, err = h.phases(ctx, w, start, end); err != nil {
		return out, err
	}
	out.Owed = dashboard.ReadingsOwed(pol, out.Phases)
	// Readings of the day (an index of the day's readings answers), and the people with a
	// fever or a symptom (the small index of fevers, migration 024).
	q, args := scope(`SELECT COUNT(*) FROM health_checks c JOIN enterprises e ON e.id = c.enterprise_id`)
	if err := db.queryRow(ctx, q+andOr(w)+`c.day = ?`, append(args, day)...).Scan(&out.Readings); err != nil {
		return out, err
	}
	q, args = scope(`SELECT COUNT(DISTINCT c.employee_id) FROM health_checks c` + h.feverIndex() + ` JOIN enterprises e ON e.id = c.enterprise_id`)
	if err := db.queryRow(ctx, q+andOr(w)+`c.day = ? AND (c.fever = TRUE OR c.symptoms <> '')`, append(args, day)...).Scan(&out.Fevers); err != nil {
		return out, err
	}
	// Follow-ups open at the day's end.
	q, args = scope(`SELECT COUNT(*) FROM health_followups fu JOIN enterprises e ON e.id = fu.enterprise_id`)
	if err := db.queryRow(ctx, q+andOr(w)+`fu.opened_at < ? AND (fu.closed_at IS NULL OR fu.closed_at >= ?)`, append(args, end, end)...).Scan(&out.Followups); err != nil {
		return out, err
	}
	// Passes and applications as they stand now.
	q, args = scope(`SELECT ps.status, COUNT(*) FROM passes ps JOIN enterprises e ON e.id = ps.enterprise_id`)
	if err := countInto(ctx, db, q+` GROUP BY ps.status`, args, out.Passes); err != nil {
		return out, err
	}
	q, args = scope(`SELECT a.status, COUNT(*), COALESCE(SUM(CASE WHEN a.due_at IS NOT NULL AND a.due_at < ? THEN 1 ELSE 0 END), 0) FROM applications a JOIN enterprises e ON e.id = a.enterprise_id`, h.s.Now().UTC())
	rows, err := db.query(ctx, q+` GROUP BY a.status`, args...)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var st string
		var n, late int
		if err := rows.Scan(&st, &n, &late); err != nil {
			rows.Close()
			return out, err
		}
		out.Apps[st] = n
		if application.InReview(st) && st != application.StatusDraft {
			out.Overdue += late
		}
	}
	rows.Close()
	return out, rows.Err()
}

// andOr joins a WHERE clause already begun by the scope (" WHERE …") or begins one.
func andOr(w where) string {
	if len(w.conds) == 0 {
		return " WHERE "
	}
	return " AND "
}

// countInto reads (key, count) rows into m.
func countInto(ctx context.Context, db *DB, q string, args []any, m map[string]int) error {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		m[k] += n
	}
	return rows.Err()
}

// phaseExpr is the SQL CASE that gives an employee's phase on a day from the policy's
// cut-offs (dashboard.PhaseRules), with its arguments.
func (h *Dashboard) phaseExpr(start time.Time) (string, []any) {
	day := roster.FormatDate(start, h.s.pol.Location())
	var b strings.Builder
	args := []any{day}
	b.WriteString(`CASE WHEN m.return_date = '' OR m.return_date > ? THEN 'not_back'`)
	rules := dashboard.PhaseRules(h.s.pol, start.In(h.s.pol.Location()))
	var known []any
	for _, r := range rules {
		if r.Origin == "" {
			continue
		}
		known = append(known, r.Origin)
		if r.Phase != "" {
			b.WriteString(` WHEN m.origin = ? AND m.return_date >= ? THEN '` + r.Phase + `'`)
			args = append(args, r.Origin, r.Since)
		}
	}
	if len(known) > 0 {
		b.WriteString(` WHEN m.origin IN (?` + strings.Repeat(", ?", len(known)-1) + `) THEN 'cleared'`)
		args = append(args, known...)
	}
	last := rules[len(rules)-1]
	b.WriteString(` WHEN m.return_date >= ? THEN '` + last.Phase + `' ELSE 'cleared' END`)
	args = append(args, last.Since)
	return b.String(), args
}

// phases counts the staff registered at the day's end by phase.
func (h *Dashboard) phases(ctx context.Context, w where, start, end time.Time) (dashboard.Phases, int, error) {
	m := map[string]int{}
	if roster.FormatDate(start, h.s.pol.Location()) == h.s.Today() {
		// Today: the stored clocks (clock.go), brought up to the day first, added up
		// from the roster counts of the enterprises (rostercounts.go) of the staff who
		// have not left.
		if _, err := h.s.refreshClocks(ctx); err != nil {
			return dashboard.Phases{}, 0, err
		}
		q := `SELECT CASE WHEN r.phase IN (?, ?) THEN 'not_back' ELSE r.phase END, SUM(r.n)
			FROM roster_counts r JOIN enterprises e ON e.id = r.enterprise_id` + w.sql() + andOr(w) + `r.has_left = FALSE GROUP BY 1`
		args := append([]any{string(roster.NotReturned), string(roster.AdvisedNotReturn)}, w.args...)
		if err := countInto(ctx, h.s.DB, q, args, m); err != nil {
			return dashboard.Phases{}, 0, err
		}
	} else {
		expr, args := h.phaseExpr(start)
		q := `SELECT ` + expr + `, COUNT(*) FROM employees m JOIN enterprises e ON e.id = m.enterprise_id` + w.sql() + andOr(w) +
			`m.created_at < ? AND (m.left_at IS NULL OR m.left_at >= ?) GROUP BY 1`
		if err := countInto(ctx, h.s.DB, q, append(append(args, w.args...), end, end), m); err != nil {
			return dashboard.Phases{}, 0, err
		}
	}
	ph := dashboard.Phases{Isolating: m["isolating"], Monitoring: m["monitoring"], Cleared: m["cleared"], NotBack: m["not_back"]}
	return ph, ph.Back() + ph.NotBack, nil
}

// feverIndex names, on SQLite, the index of fevers (migration 024) for the readings c:
// without statistics its planner takes the index of all the day's readings instead and
// reads every reading of the day. PostgreSQL finds the partial index by itself.
func (h *Dashboard) feverIndex() string {
	if h.s.DB.Engine == SQLite {
		return ` INDEXED BY health_checks_fevers`
	}
	return ""
}

// dayEnterprises counts the day's figures of each enterprise matching w (conditions on e,
// the enterprises), each source read once: the enterprises with their daily reports,
// their notices in force at the day's end, their staff (today: the roster counts of the
// people who have not left, rostercounts.go), their people admitted at a gate and their
// people with a fever or a symptom (the small index of fevers, migration 024).
func (h *Dashboard) dayEnterprises(ctx context.Context, w where, day string, end time.Time) ([]dashboard.EnterpriseDay, error) {
	db := h.s.DB
	wsql, and := w.sql(), andOr(w)
	var ents []dashboard.EnterpriseDay
	at := map[int64]int{}
	rows, err := db.query(ctx, `SELECT e.id, e.region_code, COALESCE(e.park_id, 0), e.category,
		CASE WHEN e.key_enterprise = TRUE THEN 1 ELSE 0 END, e.status, CASE WHEN e.created_at < ? THEN 1 ELSE 0 END,
		CASE WHEN d.id IS NULL THEN 0 ELSE 1 END, CASE WHEN d.cover_days >= 0 AND d.cover_days < ? THEN 1 ELSE 0 END
		FROM enterprises e LEFT JOIN daily_reports d ON d.enterprise_id = e.id AND d.day = ?`+wsql,
		append([]any{end, h.s.pol.Resumption.SuppliesReserveDays, day}, w.args...)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var e dashboard.EnterpriseDay
		var key, registered, report, low int
		if err := rows.Scan(&e.ID, &e.Region, &e.Park, &e.Category, &key, &e.Status, &registered, &report, &low); err != nil {
			rows.Close()
			return nil, err
		}
		e.Key, e.Registered, e.Report, e.LowCover = key == 1, registered == 1, report == 1, low == 1
		if i, ok := at[e.ID]; ok { // two reports of a day: counted as the join counts them
			ents[i].Report = ents[i].Report || e.Report
			ents[i].LowCover = ents[i].LowCover || e.LowCover
			continue
		}
		at[e.ID] = len(ents)
		ents = append(ents, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// per reads (enterprise id, n) rows into the enterprises' figures.
	per := func(q string, args []any, set func(e *dashboard.EnterpriseDay, n int)) error {
		rs, err := db.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var id int64
			var n int
			if err := rs.Scan(&id, &n); err != nil {
				return err
			}
			if i, ok := at[id]; ok {
				set(&ents[i], n)
			}
		}
		return rs.Err()
	}
	if err := per(`SELECT n.enterprise_id, COUNT(*) FROM notices n JOIN enterprises e ON e.id = n.enterprise_id`+wsql+and+
		`n.issued_at < ? AND (n.revoked_at IS NULL OR n.revoked_at >= ?) GROUP BY n.enterprise_id`, append(append([]any{}, w.args...), end, end),
		func(e *dashboard.EnterpriseDay, n int) { e.Notice = n > 0 }); err != nil {
		return nil, err
	}
	if day == h.s.Today() {
		err = per(`SELECT r.enterprise_id, SUM(r.n) FROM roster_counts r JOIN enterprises e ON e.id = r.enterprise_id`+wsql+and+
			`r.has_left = FALSE GROUP BY r.enterprise_id`, append([]any{}, w.args...),
			func(e *dashboard.EnterpriseDay, n int) { e.Staff = n })
	} else {
		err = per(`SELECT m.enterprise_id, COUNT(*) FROM employees m JOIN enterprises e ON e.id = m.enterprise_id`+wsql+and+
			`m.created_at < ? AND (m.left_at IS NULL OR m.left_at >= ?) GROUP BY m.enterprise_id`, append(append([]any{}, w.args...), end, end),
			func(e *dashboard.EnterpriseDay, n int) { e.Staff = n })
	}
	if err != nil {
		return nil, err
	}
	if err := per(`SELECT g.enterprise_id, COUNT(DISTINCT g.employee_id) FROM gate_events g JOIN enterprises e ON e.id = g.enterprise_id`+wsql+and+
		`g.day = ? AND g.kind = 'employee' AND g.allow = TRUE GROUP BY g.enterprise_id`, append(append([]any{}, w.args...), day),
		func(e *dashboard.EnterpriseDay, n int) { e.OnSite = n }); err != nil {
		return nil, err
	}
	if err := per(`SELECT c.enterprise_id, COUNT(DISTINCT c.employee_id) FROM health_checks c`+h.feverIndex()+` JOIN enterprises e ON e.id = c.enterprise_id`+wsql+and+
		`c.day = ? AND (c.fever = TRUE OR c.symptoms <> '') GROUP BY c.enterprise_id`, append(append([]any{}, w.args...), day),
		func(e *dashboard.EnterpriseDay, n int) { e.Fevers = n }); err != nil {
		return nil, err
	}
	return ents, nil
}

func unknownDim(dim string) error {
	return apperr.NewInvalid("by", "未知的分组:"+dim, "Unknown grouping: "+dim)
}

// breakdownOf adds the enterprises' figures up by dim below the region base.
func (h *Dashboard) breakdownOf(ctx context.Context, base, dim, lang string, ents []dashboard.EnterpriseDay) ([]dashboard.Row, error) {
	key, ok := dashboard.KeyOf(dim, base)
	if !ok {
		return nil, unknownDim(dim)
	}
	rows, order := dashboard.Group(ents, key)
	if dim == dashboard.ByUnit {
		var groups []dashboard.GroupRow
		for _, k := range order {
			parts := strings.Split(k, "|")
			if len(parts) != 3 {
				continue
			}
			groups = append(groups, dashboard.GroupRow{Group: dashboard.RouteGroup{Category: parts[0], InPark: parts[1] == "1", Key: parts[2] == "1"}, Row: *rows[k]})
		}
		return dashboard.UnitRows(h.s.pol, groups, lang), nil
	}
	out := make([]dashboard.Row, 0, len(order))
	for _, k := range order {
		out = append(out, *rows[k])
	}
	if err := h.name(ctx, dim, base, out, lang); err != nil {
		return nil, err
	}
	return out, nil
}

// boardTTL is how long this instance keeps a count of the dashboard (DESIGN §7: a cache
// that tolerates being per-instance). Any change this process writes (Write: an
// approval, a notice, people) forgets it at once; the readings and gate scans of the day
// show within boardTTL, the page saying when it was counted.
const boardTTL = 30 * time.Second

// Board counts everything the dashboard shows for the caller's scope narrowed by f: the
// figures with the sections of other features (nil: none), the breakdowns by dims named
// in lang, and the trend of the n days up to the day (none when n is 0). The day's
// figures of each enterprise are counted once and shared by all three; the count is kept
// for boardTTL (boards), for the caller's role and scope.
func (h *Dashboard) Board(ctx context.Context, p auth.Principal, f dashboard.Filter, dims []string, lang string, n int, sections dashboard.Sections) (dashboard.Board, error) {
	w, err := h.dashWhere(ctx, p, f)
	if err != nil {
		return dashboard.Board{}, err
	}
	day, start, end, err := h.dayBounds(f)
	if err != nil {
		return dashboard.Board{}, err
	}
	base := f.Region
	if base == "" {
		base = h.ScopeRegion(ctx, p)
	}
	for _, dim := range dims {
		if _, ok := dashboard.KeyOf(dim, base); !ok {
			return dashboard.Board{}, unknownDim(dim)
		}
	}
	key := fmt.Sprintf("%s|%v|%s|%q|%s|%s|%q|%s|%d|%t", p.Role, p.Scope, w.sql(), w.args, day, base, dims, lang, n, sections != nil)
	b, err := keep(ctx, h.s.DB, &h.s.DB.boards, key, boardTTL, func(ctx context.Context) (dashboard.Board, bool, error) {
		b, err := h.countBoard(ctx, w, day, start, end, base, dims, lang, n, sections)
		return b, true, err
	})
	if err != nil {
		return dashboard.Board{}, err
	}
	return b.Clone(), nil
}

// countBoard counts the board of the enterprises matching w on the day.
func (h *Dashboard) countBoard(ctx context.Context, w where, day string, start, end time.Time, base string, dims []string, lang string, n int, sections dashboard.Sections) (dashboard.Board, error) {
	b := dashboard.Board{At: h.s.Now()}
	ents, err := h.dayEnterprises(ctx, w, day, end)
	if err != nil {
		return b, err
	}
	if b.Figures, err = h.figuresOf(ctx, w, day, start, end, ents); err != nil {
		return b, err
	}
	if sections != nil {
		if b.Figures.Sections, err = sections(ctx); err != nil {
			return b, err
		}
	}
	b.By = map[string][]dashboard.Row{}
	for _, dim := range dims {
		if b.By[dim], err = h.breakdownOf(ctx, base, dim, lang, ents); err != nil {
			return b, err
		}
	}
	if n > 0 {
		if b.Trend, err = h.trendOf(ctx, w, day, n, ents); err != nil {
			return b, err
		}
	}
	return b, nil
}

// ScopeRegion is the region the caller's scope covers ("" for the whole installation).
func (h *Dashboard) ScopeRegion(ctx context.Context, p auth.Principal) string {
	switch p.Scope.Kind {
	case auth.ScopeRegion:
		return p.Scope.Region
	case auth.ScopeDept:
		var code string
		_ = h.s.DB.queryRow(ctx, `SELECT region_code FROM departments WHERE id = ?`, p.Scope.ID).Scan(&code)
		return code
	case auth.ScopePark:
		var code string
		_ = h.s.DB.queryRow(ctx, `SELECT region_code FROM parks WHERE id = ?`, p.Scope.ID).Scan(&code)
		return code
	case auth.ScopeAll:
		// The whole installation: its one top region (the county of a county's
		// installation), or none when there are several.
		var codes []string
		rows, err := h.s.DB.query(ctx, `SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 2`)
		if err != nil {
			return ""
		}
		defer rows.Close()
		for rows.Next() {
			var c string
			if rows.Scan(&c) == nil {
				codes = append(codes, c)
			}
		}
		if len(codes) == 1 {
			return codes[0]
		}
	}
	return ""
}

// name gives the rows of a breakdown their names: regions, parks, categories, or (below
// a village) enterprises.
func (h *Dashboard) name(ctx context.Context, dim, base string, rows []dashboard.Row, lang string) error {
	db := h.s.DB
	lookup := func(q, key string) (string, bool) {
		var n string
		if err := db.queryRow(ctx, q, key).Scan(&n); err != nil {
			return "", false
		}
		return n, true
	}
	for i := range rows {
		r := &rows[i]
		switch dim {
		case dashboard.ByRegion:
			if n, _ := dashboard.ChildLen(base); n == 0 {
				if name, ok := lookup(`SELECT name FROM enterprises WHERE CAST(id AS TEXT) = ?`, r.Key); ok {
					r.Name = name
				}
				continue
			}
			_, suffix := dashboard.ChildLen(base)
			r.Key += suffix
			if name, ok := lookup(`SELECT name FROM regions WHERE code = ?`, r.Key); ok {
				r.Name = name
			}
		case dashboard.ByPark:
			if r.Key == "0" {
				r.Name = map[bool]string{true: "Not in a park", false: "不在园区"}[lang == "en"]
				continue
			}
			if name, ok := lookup(`SELECT name FROM parks WHERE CAST(id AS TEXT) = ?`, r.Key); ok {
				r.Name = name
			}
		case dashboard.ByCategory:
			for _, c := range h.s.pol.Categories {
				if c.Code == r.Key {
					r.Name = c.Name
					if lang == "en" && c.NameEN != "" {
						r.Name = c.NameEN
					}
				}
			}
		}
	}
	return nil
}

// Enterprise counts today's figures of one enterprise in the caller's scope (its detail
// page: fevers, passes, readings, report) and finds its notice in force (0 when none).
func (h *Dashboard) Enterprise(ctx context.Context, p auth.Principal, id int64) (dashboard.Figures, int64, string, error) {
	if !p.Can(auth.EnterprisesView) {
		return dashboard.Figures{}, 0, "", apperr.NewForbidden()
	}
	w, err := h.scopeWhere(ctx, p, dashboard.Filter{})
	if err != nil {
		return dashboard.Figures{}, 0, "", err
	}
	w.add("e.id = ?", id)
	// In scope, whatever the day: an enterprise registered after the dashboard's day
	// (figures count as of that day) is still found.
	var n int
	if err := h.s.DB.queryRow(ctx, `SELECT COUNT(*) FROM enterprises e`+w.sql(), w.args...).Scan(&n); err != nil || n == 0 {
		if err == nil {
			err = apperr.NewNotFound("企业")
		}
		return dashboard.Figures{}, 0, "", err
	}
	fig, err := h.figures(ctx, w, dashboard.Filter{})
	if err != nil {
		return fig, 0, "", err
	}
	var nid int64
	var serial string
	err = h.s.DB.queryRow(ctx, `SELECT id, serial FROM notices WHERE enterprise_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1`, id).Scan(&nid, &serial)
	if err != nil && !isNoRows(err) {
		return fig, 0, "", err
	}
	return fig, nid, serial, nil
}
