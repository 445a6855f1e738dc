package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/ledger"
	"fugong/internal/roster"
)

// registerCheckpoint is the checkpoint as the register keeps it: trimmed, at most 50
// characters (as a reading's).
func registerCheckpoint(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > 50 {
		s = string([]rune(s)[:50])
	}
	return s
}

// denseScope is how many rows of a day make a register's scope dense enough to read in
// time order: the page's rows then come after a few thousand of the day's entries.
const denseScope = 20000

// sparseScope is how few rows of a day make a register's scope (one enterprise, a
// village) quicker to read by enterprise and sort than to find along the whole day's
// rows in time order, where they are one in a thousand.
const sparseScope = 1000

// registerRead is how a page of a register (alias t, time column at) whose scope holds
// total rows that day (-1: unknown, an export) is read: w, and the ORDER BY with page.
//
// A dense scope (a county's, the city's) is read along the day's index in time order,
// each row checked against its enterprise (one look-up by key) rather than the scope's
// tens of thousands of enterprises gathered first; the page's rows come after a few
// thousand entries. A sparse one on SQLite is read by enterprise and sorted (the unary
// plus keeps its planner from the index in time order, along which one enterprise's
// rows are one in a thousand; PostgreSQL's planner knows that from its statistics).
// Between the two, the planner chooses.
func (s *Store) registerRead(w where, t, at string, f ledger.RegisterFilter, total int, page string) (where, string) {
	order := " ORDER BY " + t + "." + at + " DESC, " + t + ".id DESC"
	switch {
	case f.EnterpriseID == 0 && (total < 0 || total >= denseScope):
		out := w.clone()
		for i, c := range out.conds {
			out.conds[i], _ = enterpriseExists(c, t+".enterprise_id")
		}
		return out, order + page
	case total >= 0 && total < sparseScope && s.DB.Engine == SQLite:
		order = " ORDER BY +" + t + "." + at + " DESC, " + t + ".id DESC"
	}
	return w, order + page
}

// registerWhere is the scope and filter of a register over table alias t (with its
// enterprise_id and day columns): conditions on t alone, so that counts need no join.
func (s *Store) registerWhere(ctx context.Context, p auth.Principal, f *ledger.RegisterFilter, t string) (where, error) {
	var w where
	today := s.Today()
	if err := f.Check(today); err != nil {
		return w, err
	}
	if f.Day == "" {
		f.Day = today
	}
	// The scope as the enterprises' ids: a count reads the index by enterprise and day
	// for each enterprise in scope, instead of the whole day's rows of every enterprise.
	if err := s.DB.enterpriseIn(ctx, p, &w, t+".enterprise_id"); err != nil {
		return w, err
	}
	w.add(t+".day = ?", f.Day)
	if f.EnterpriseID != 0 {
		w.add(t+".enterprise_id = ?", f.EnterpriseID)
	}
	if f.Checkpoint != "" {
		w.add(t+".checkpoint = ?", f.Checkpoint)
	}
	return w, nil
}

// GateRegister is the gate register (进出登记台账) of the enterprises in scope on a day,
// newest first, one page, with the number of rows on all pages; and the checkpoints of
// the day, for the filter.
func (s *Store) GateRegister(ctx context.Context, p auth.Principal, f ledger.RegisterFilter) ([]ledger.GateRow, int, []string, error) {
	w, err := s.gateRegisterWhere(ctx, p, &f)
	if err != nil {
		return nil, 0, nil, err
	}
	day := w.clone()
	if f.Kind != "" {
		w.add("g.kind = ?", f.Kind)
	}
	total, err := s.registerCount(ctx, ` FROM gate_events g`, w)
	if err != nil {
		return nil, 0, nil, err
	}
	points, err := s.checkpoints(ctx, p, f, day, "gate_events g", total)
	if err != nil {
		return nil, 0, nil, err
	}
	out := []ledger.GateRow{}
	w, tail := s.registerRead(w, "g", "at", f, total, limit(f.Page))
	err = s.eachGateRow(ctx, w, tail, func(g ledger.GateRow) error {
		out = append(out, g)
		return nil
	})
	return out, total, points, err
}

// EachGateRegister calls fn with every row of the gate register that GateRegister pages
// through (the filter's page aside), newest first, from one query, for exports: nothing
// is counted and no row is kept. A refusal comes before the first row.
func (s *Store) EachGateRegister(ctx context.Context, p auth.Principal, f ledger.RegisterFilter, fn func(ledger.GateRow) error) error {
	w, err := s.gateRegisterWhere(ctx, p, &f)
	if err != nil {
		return err
	}
	if f.Kind != "" {
		w.add("g.kind = ?", f.Kind)
	}
	w, tail := s.registerRead(w, "g", "at", f, -1, "")
	return s.eachGateRow(ctx, w, tail, fn)
}

func (s *Store) gateRegisterWhere(ctx context.Context, p auth.Principal, f *ledger.RegisterFilter) (where, error) {
	if !p.Can(auth.LedgersView) && !p.Can(auth.GateScan) {
		return where{}, apperr.NewForbidden()
	}
	return s.registerWhere(ctx, p, f, "g")
}

const gateRegisterFrom = ` FROM gate_events g JOIN enterprises e ON e.id = g.enterprise_id`

// eachGateRow reads the gate register's rows matching w in the order and page of tail
// (registerRead).
func (s *Store) eachGateRow(ctx context.Context, w where, tail string, fn func(ledger.GateRow) error) error {
	rows, err := s.DB.query(ctx, `SELECT g.id, g.enterprise_id, e.name, g.kind, g.allow, g.reason, g.temperature, g.name, g.phone, g.id_masked, g.purpose, g.host,
		g.plate, g.freight_disinfected, g.checkpoint, g.at`+gateRegisterFrom+w.sql()+tail, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var g ledger.GateRow
		var temp sql.NullFloat64
		var fd sql.NullBool
		if err := rows.Scan(&g.ID, &g.EnterpriseID, &g.EnterpriseName, &g.Kind, &g.Allow, &g.Reason, &temp, &g.Name, &g.Phone, &g.IDMasked, &g.Purpose,
			&g.Host, &g.Plate, &fd, &g.Checkpoint, &g.At); err != nil {
			return err
		}
		if temp.Valid {
			t := temp.Float64
			g.Temperature = &t
		}
		if fd.Valid {
			b := fd.Bool
			g.FreightDisinfected = &b
		}
		g.At = g.At.UTC()
		if err := fn(g); err != nil {
			return err
		}
	}
	return rows.Err()
}

// TemperatureRegister is the temperature register (体温检测登记台账) of the enterprises in
// scope on a day — at the gate, at checkpoints, on the commuter buses, declared — newest
// first, one page, with the number of rows on all pages and the checkpoints of the day.
func (s *Store) TemperatureRegister(ctx context.Context, p auth.Principal, f ledger.RegisterFilter) ([]ledger.TemperatureRow, int, []string, error) {
	w, err := s.temperatureRegisterWhere(ctx, p, &f)
	if err != nil {
		return nil, 0, nil, err
	}
	day := w.clone()
	if f.Fever {
		w.add("(c.fever = TRUE OR c.symptoms <> '')")
	}
	// Every reading has its person (a person's readings are purged before the person),
	// so the count needs no join to employees: it reads the index health_checks_day.
	total, err := s.registerCount(ctx, temperatureCountFrom, w)
	if err != nil {
		return nil, 0, nil, err
	}
	points, err := s.checkpoints(ctx, p, f, day, "health_checks c", total)
	if err != nil {
		return nil, 0, nil, err
	}
	out := []ledger.TemperatureRow{}
	w, tail := s.registerRead(w, "c", "taken_at", f, total, limit(f.Page))
	err = s.eachTemperatureRow(ctx, w, tail, func(r ledger.TemperatureRow) error {
		out = append(out, r)
		return nil
	})
	return out, total, points, err
}

// EachTemperatureRegister calls fn with every row of the temperature register that
// TemperatureRegister pages through (the filter's page aside), newest first, from one
// query, for exports: nothing is counted and no row is kept. A refusal comes before the
// first row.
func (s *Store) EachTemperatureRegister(ctx context.Context, p auth.Principal, f ledger.RegisterFilter, fn func(ledger.TemperatureRow) error) error {
	w, err := s.temperatureRegisterWhere(ctx, p, &f)
	if err != nil {
		return err
	}
	if f.Fever {
		w.add("(c.fever = TRUE OR c.symptoms <> '')")
	}
	w, tail := s.registerRead(w, "c", "taken_at", f, -1, "")
	return s.eachTemperatureRow(ctx, w, tail, fn)
}

func (s *Store) temperatureRegisterWhere(ctx context.Context, p auth.Principal, f *ledger.RegisterFilter) (where, error) {
	if !p.Can(auth.LedgersView) && !p.Can(auth.HealthRecord) {
		return where{}, apperr.NewForbidden()
	}
	return s.registerWhere(ctx, p, f, "c")
}

const (
	temperatureCountFrom    = ` FROM health_checks c`
	temperatureRegisterFrom = temperatureCountFrom + ` JOIN enterprises e ON e.id = c.enterprise_id JOIN employees m ON m.id = c.employee_id`
)

// eachTemperatureRow reads the temperature register's rows matching w in the order and
// page of tail (registerRead); names are masked.
func (s *Store) eachTemperatureRow(ctx context.Context, w where, tail string, fn func(ledger.TemperatureRow) error) error {
	rows, err := s.DB.query(ctx, `SELECT c.id, c.enterprise_id, e.name, m.name, m.department, c.temperature, c.symptoms, c.checkpoint, c.source, c.fever, c.taken_at`+
		temperatureRegisterFrom+w.sql()+tail, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ledger.TemperatureRow
		if err := rows.Scan(&r.ID, &r.EnterpriseID, &r.EnterpriseName, &r.Name, &r.Department, &r.Temperature, &r.Symptoms, &r.Checkpoint, &r.Source, &r.Fever, &r.At); err != nil {
			return err
		}
		r.Name = roster.MaskName(r.Name)
		r.At = r.At.UTC()
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// registerCount counts the rows of a register (from: its FROM clause) matching w. The
// count of a dense scope (denseScope rows or more: a county's or the city's day) is kept
// for countTTL, so that the day's newest readings and gate scans show in it within that
// time; a smaller one is counted every time.
func (s *Store) registerCount(ctx context.Context, from string, w where) (int, error) {
	return keep(ctx, s.DB, &s.DB.counts, fmt.Sprint("register|", from, w.sql(), w.args), countTTL, func(ctx context.Context) (int, bool, error) {
		var n int
		err := s.DB.queryRow(ctx, `SELECT COUNT(*)`+from+w.sql(), w.args...).Scan(&n)
		return n, n >= denseScope, err
	})
}

// checkpointsRead bounds the rows of a day that checkpoints reads: a town's day at city
// scale, read from the index by enterprise and day alone.
const checkpointsRead = 30000

// checkpoints lists the checkpoints with rows on the filter's day in scope (w: the day's
// rows in scope, with the checkpoint condition last when filtered, which is left out),
// where that list is cheap: it reads the checkpoints from the index by enterprise, day
// (and person), without the rows, and at most checkpointsRead of them. A scope with more
// rows that day (a county's or a city's hundreds of thousands; total, the rows the page
// counted, already says so when it is more) lists none but the one filtered by.
func (s *Store) checkpoints(ctx context.Context, p auth.Principal, f ledger.RegisterFilter, w where, table string, total int) ([]string, error) {
	if p.Scope.Kind == auth.ScopeAll && f.EnterpriseID == 0 || total > checkpointsRead {
		return withFiltered([]string{}, f, total), nil
	}
	points, err := s.listCheckpoints(ctx, f, w, table)
	return withFiltered(points, f, total), err
}

// listCheckpoints reads the checkpoints of checkpoints.
func (s *Store) listCheckpoints(ctx context.Context, f ledger.RegisterFilter, w where, table string) ([]string, error) {
	ww := w
	if f.Checkpoint != "" {
		ww = where{conds: w.conds[:len(w.conds)-1], args: w.args[:len(w.args)-1]}
	}
	alias := table[strings.LastIndex(table, " ")+1:]
	rows, err := s.DB.query(ctx, `SELECT x.checkpoint, COUNT(*) FROM (SELECT `+alias+`.checkpoint FROM `+table+ww.sql()+
		` LIMIT `+strconv.Itoa(checkpointsRead+1)+`) x GROUP BY x.checkpoint ORDER BY 1`, ww.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out, read := []string{}, 0
	for i := 0; rows.Next(); i++ {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		read += n
		if c != "" && i < 100 {
			out = append(out, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if read > checkpointsRead {
		return []string{}, nil
	}
	return out, nil
}

// withFiltered adds the checkpoint filtered by to the checkpoints listed when it has
// rows (total, counted with it) and is not listed yet.
func withFiltered(points []string, f ledger.RegisterFilter, total int) []string {
	if f.Checkpoint == "" || total == 0 {
		return points
	}
	for _, c := range points {
		if c == f.Checkpoint {
			return points
		}
	}
	return append(points, f.Checkpoint)
}
