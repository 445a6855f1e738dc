package store

import (
	"context"
	"slices"
	"strings"

	"fugong/internal/roster"
)

// The roster's counts per enterprise (migration 022): roster_counts holds, for each
// enterprise, how many of its people stand in each phase of the stored clock, by journey
// flag and whether they have left. Every transaction that changes people (their clock,
// their leaving, new people) rewrites the counts of their enterprises from the people
// (recountRoster), so the counts of a county's or a city's roster add up a few rows per
// enterprise instead of reading every person.

// recountRoster rewrites, inside tx, the roster counts of the enterprises from their
// people. On PostgreSQL it first locks the enterprises' rows, so that two transactions
// changing people of one enterprise rewrite its counts one after the other.
func (tx *txn) recountRoster(ids ...int64) error {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for lo := 0; lo < len(ids); lo += 500 {
		part := ids[lo:min(lo+500, len(ids))]
		in := `(?` + strings.Repeat(", ?", len(part)-1) + `)`
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		if tx.engine() == Postgres {
			if _, err := tx.exec(`SELECT id FROM enterprises WHERE id IN `+in+` ORDER BY id FOR UPDATE`, args...); err != nil {
				return err
			}
		}
		if _, err := tx.exec(`DELETE FROM roster_counts WHERE enterprise_id IN `+in, args...); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO roster_counts (enterprise_id, phase, journey_too_long, has_left, n)
			SELECT enterprise_id, phase, journey_too_long, left_at IS NOT NULL, COUNT(*) FROM employees WHERE enterprise_id IN `+in+`
			GROUP BY enterprise_id, phase, journey_too_long, left_at IS NOT NULL`, args...); err != nil {
			return err
		}
	}
	return nil
}

// countAllRosters is the statement that writes the roster counts of every enterprise from
// the people, into an empty roster_counts.
const countAllRosters = `INSERT INTO roster_counts (enterprise_id, phase, journey_too_long, has_left, n)
	SELECT enterprise_id, phase, journey_too_long, left_at IS NOT NULL, COUNT(*) FROM employees
	GROUP BY enterprise_id, phase, journey_too_long, left_at IS NOT NULL`

// CountRosters writes the roster counts of every enterprise from the people loaded, in the
// load's transaction (after the people, with their stored clocks).
func (b *Bulk) CountRosters() error {
	if _, err := b.tx.exec(`DELETE FROM roster_counts`); err != nil {
		return err
	}
	_, err := b.tx.exec(countAllRosters)
	return err
}

// summedCounts adds up the roster counts of the enterprises matching w (conditions on
// e, the enterprises): the clock's counts of every person of those enterprises, whoever
// left included, as Roster.List gives them without a filter on the people. Cleared
// tomorrow is counted from the people whose measure ends today (an index range).
func (s *Store) summedCounts(ctx context.Context, w where, tomorrow string) (roster.Counts, error) {
	var counts roster.Counts
	rows, err := s.DB.query(ctx, `SELECT r.phase, SUM(r.n), SUM(CASE WHEN r.journey_too_long = TRUE THEN r.n ELSE 0 END)
		FROM roster_counts r JOIN enterprises e ON e.id = r.enterprise_id`+w.sql()+` GROUP BY r.phase`, w.args...)
	if err != nil {
		return counts, err
	}
	type row struct {
		phase   string
		n, long int
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.phase, &r.n, &r.long); err != nil {
			rows.Close()
			return counts, err
		}
		got = append(got, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return counts, err
	}
	var clearing int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM employees m JOIN enterprises e ON e.id = m.enterprise_id`+w.sql()+andOr(w)+
		`m.phase_next = ? AND m.phase IN (?, ?)`, append(append([]any{}, w.args...), tomorrow, string(roster.Isolating), string(roster.Monitoring))...).Scan(&clearing); err != nil {
		return counts, err
	}
	for _, r := range got {
		counts.AddStored(roster.Phase(r.phase), r.n, 0, r.long)
	}
	counts.ClearedTomorrow = clearing
	return counts, nil
}
