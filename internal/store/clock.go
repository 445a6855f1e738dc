package store

import (
	"context"
	"strings"
	"time"

	"fugong/internal/roster"
)

// The quarantine clock's stored form (migration 020): phase, phase_next and
// journey_too_long of each employee hold what roster.Clock says of the person today, so
// that lists count, filter and page by phase in SQL. roster.Clock stays the one rule;
// the store only keeps its outcome (roster.Status.Stored):
//
//   - every write of a person stores the clock in the same statement (clockArgs);
//   - before a list is read, and by the daily job, refreshClocks recomputes the rows
//     whose phase changes by today (phase_next <= today, an index range), and all rows
//     when the policy differs from the one they were computed with (clock_state) or the
//     store's clock went back.
//
// A refresh writes only what roster.Clock gives for the row as it is inside the same
// transaction, so two instances refreshing at once write the same thing.

// clockDue is the phase_next of a row whose clock is not stored yet (the column's
// default): it sorts before every day, so the refresh of due rows fills it.
const clockDue = "0000-00-00"

// clockBatch is how many rows one refresh transaction recomputes.
const clockBatch = 2000

// clockArgs are the stored clock of e at now: phase, phase_next, journey_too_long.
func (s *Store) clockArgs(e roster.Employee, now time.Time) []any {
	loc := s.pol.Location()
	st := roster.Clock(s.pol, e, now).Stored(e, loc)
	return []any{string(st.Phase), roster.FormatDate(st.Next, loc), st.JourneyTooLong}
}

// clockToday is the store's day in the policy's zone (YYYY-MM-DD) and the day after.
func (s *Store) clockDays(now time.Time) (today, tomorrow string) {
	loc := s.pol.Location()
	d := roster.Day(now, loc)
	return roster.FormatDate(d, loc), roster.FormatDate(d.AddDate(0, 0, 1), loc)
}

// ClockRefresh is what a refresh of the stored clocks did.
type ClockRefresh struct {
	Full    bool // every row was recomputed (a new policy, no state yet, or the clock went back)
	Updated int  // rows whose stored clock changed
}

// refreshClocks brings the stored clocks up to the store's day: cheap when nothing is due
// (two indexed reads). Lists call it before they read; the daily job calls it too.
func (s *Store) refreshClocks(ctx context.Context) (ClockRefresh, error) {
	return s.refreshClocksAt(ctx, s.DB.Now())
}

// refreshClocksAt is refreshClocks as of now. One refresh with work to do runs at a time
// in a process: a list read while the daily job recomputes a million rows after a new
// policy waits for that refresh, and then finds nothing left to do, instead of starting
// one of its own.
func (s *Store) refreshClocksAt(ctx context.Context, now time.Time) (ClockRefresh, error) {
	today, _ := s.clockDays(now)
	if r, work, err := s.clockWork(ctx, today); err != nil || !work {
		return r, err
	}
	s.clockMu.Lock()
	defer s.clockMu.Unlock()
	return s.refreshLocked(ctx, now, today)
}

// clockWork reads whether the stored clocks need a refresh on today (and of which kind),
// without writing: two indexed reads.
func (s *Store) clockWork(ctx context.Context, today string) (r ClockRefresh, work bool, err error) {
	var pol, day string
	err = s.DB.queryRow(ctx, `SELECT policy, day FROM clock_state WHERE id = 1`).Scan(&pol, &day)
	if err != nil && !isNoRows(err) {
		return r, false, err
	}
	r.Full = isNoRows(err) || pol != s.pol.Version || day > today
	if r.Full || day != today {
		return r, true, nil
	}
	var one int
	err = s.DB.queryRow(ctx, `SELECT 1 FROM employees WHERE phase_next >= ? AND phase_next <= ? LIMIT 1`, clockDue, today).Scan(&one)
	if isNoRows(err) {
		return r, false, nil
	}
	return r, err == nil, err
}

// refreshLocked is the refresh of refreshClocksAt, under its lock: what is to do is read
// again, since another refresh may have done it while this one waited.
func (s *Store) refreshLocked(ctx context.Context, now time.Time, today string) (ClockRefresh, error) {
	r, work, err := s.clockWork(ctx, today)
	if err != nil || !work {
		return r, err
	}
	if r.Full {
		r.Updated, err = s.refreshAll(ctx, now)
	} else {
		r.Updated, err = s.refreshDue(ctx, now, today)
	}
	if err != nil {
		return r, err
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		_, err := tx.exec(`INSERT INTO clock_state (id, policy, day) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, day = excluded.day`, s.pol.Version, today)
		return err
	})
	return r, err
}

// refreshDue recomputes the rows whose phase changes by today (and those not stored yet).
func (s *Store) refreshDue(ctx context.Context, now time.Time, today string) (int, error) {
	ids, err := s.DB.queryIDs(ctx, `SELECT id FROM employees WHERE phase_next >= ? AND phase_next <= ?`, clockDue, today)
	if err != nil {
		return 0, err
	}
	changed := 0
	for lo := 0; lo < len(ids); lo += clockBatch {
		part := ids[lo:min(lo+clockBatch, len(ids))]
		args := make([]any, 0, len(part)+2)
		for _, id := range part {
			args = append(args, id)
		}
		args = append(args, clockDue, today)
		n, _, err := s.refreshRows(ctx, now, `id IN (?`+strings.Repeat(", ?", len(part)-1)+`) AND phase_next >= ? AND phase_next <= ?`, args)
		if err != nil {
			return changed, err
		}
		changed += n
	}
	return changed, nil
}

// refreshAll recomputes every row, a batch of rows (by id) per transaction.
func (s *Store) refreshAll(ctx context.Context, now time.Time) (int, error) {
	changed := 0
	var after int64
	for {
		n, last, err := s.refreshRows(ctx, now, `id > ? ORDER BY id LIMIT `+itoa(clockBatch), []any{after})
		if err != nil {
			return changed, err
		}
		changed += n
		if last == 0 {
			return changed, nil
		}
		after = last
	}
}

// refreshRows recomputes, in one transaction, the clocks of the rows matching cond (which
// may end with ORDER BY and LIMIT), writing those that changed. It returns how many
// changed and the highest id read (0 when none matched).
func (s *Store) refreshRows(ctx context.Context, now time.Time, cond string, args []any) (changed int, last int64, err error) {
	loc := s.pol.Location()
	type stored struct {
		phase, next string
		long        bool
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		changed, last = 0, 0
		q := `SELECT id, enterprise_id, origin, return_date, journey_hours, phase, phase_next, journey_too_long FROM employees WHERE ` + cond
		if tx.engine() == Postgres {
			q += ` FOR NO KEY UPDATE` // a concurrent edit of the person waits, and is not overwritten; a reading of the person does not
		}
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		groups := map[stored][]any{}
		var recount []int64 // enterprises whose counts change
		var order []stored
		for rows.Next() {
			var e roster.Employee
			var ret string
			var was stored
			if err := rows.Scan(&e.ID, &e.EnterpriseID, &e.Origin, &ret, &e.JourneyHours, &was.phase, &was.next, &was.long); err != nil {
				rows.Close()
				return err
			}
			last = max(last, e.ID)
			e.ReturnDate, _ = roster.ParseDate(ret, loc)
			c := s.clockArgs(e, now)
			now := stored{c[0].(string), c[1].(string), c[2].(bool)}
			if now == was {
				continue
			}
			if now.phase != was.phase || now.long != was.long {
				recount = append(recount, e.EnterpriseID)
			}
			if _, ok := groups[now]; !ok {
				order = append(order, now)
			}
			groups[now] = append(groups[now], e.ID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// One statement per outcome (a batch has few: a handful of phases and days).
		for _, g := range order {
			ids := groups[g]
			for lo := 0; lo < len(ids); lo += 500 {
				part := ids[lo:min(lo+500, len(ids))]
				a := append([]any{g.phase, g.next, g.long}, part...)
				if _, err := tx.exec(`UPDATE employees SET phase = ?, phase_next = ?, journey_too_long = ? WHERE id IN (?`+
					strings.Repeat(", ?", len(part)-1)+`)`, a...); err != nil {
					return err
				}
			}
			changed += len(ids)
		}
		return tx.recountRoster(recount...)
	})
	return changed, last, err
}
