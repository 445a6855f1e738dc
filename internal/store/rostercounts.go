package store

import (
	"context"
	"fmt"

	"fugong/internal/auth"
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
// changing people of one enterprise rewrite its counts one after the other. The lock is
// FOR NO KEY UPDATE: a transaction that has just added a person holds the key-share lock
// its foreign key takes on the enterprise, and FOR UPDATE would wait on the other's, each
// on the other (a deadlock); nor does it hold up the readings and scans of the enterprise.
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
			if _, err := tx.exec(`SELECT id FROM enterprises WHERE id IN `+in+` ORDER BY id FOR NO KEY UPDATE`, args...); err != nil {
				return err
			}
		}
		if _, err := tx.exec(`DELETE FROM roster_counts WHERE enterprise_id IN `+in, args...); err != nil {
			return err
		}
		if _, err := tx.exec(countRosters+` WHERE m.enterprise_id IN `+in+countRostersGroup, args...); err != nil {
			return err
		}
	}
	return nil
}

// placeRosterCounts, inside tx, gives an enterprise's roster counts its region and park
// (after a change of the enterprise's place).
func (tx *txn) placeRosterCounts(enterpriseID int64, regionCode string, parkID int64) error {
	_, err := tx.exec(`UPDATE roster_counts SET region_code = ?, park_id = ? WHERE enterprise_id = ?`, regionCode, nullID(parkID), enterpriseID)
	return err
}

// countRosters (+ a condition on m + countRostersGroup) writes the roster counts of
// enterprises from their people, with the enterprises' region and park.
const (
	countRosters = `INSERT INTO roster_counts (enterprise_id, region_code, park_id, phase, journey_too_long, has_left, n)
	SELECT m.enterprise_id, e.region_code, e.park_id, m.phase, m.journey_too_long, m.left_at IS NOT NULL, COUNT(*)
	FROM employees m JOIN enterprises e ON e.id = m.enterprise_id`
	countRostersGroup = ` GROUP BY m.enterprise_id, e.region_code, e.park_id, m.phase, m.journey_too_long, m.left_at IS NOT NULL`
)

// CountRosters writes the roster counts of every enterprise from the people loaded, in the
// load's transaction (after the people, with their stored clocks).
func (b *Bulk) CountRosters() error {
	if _, err := b.tx.exec(`DELETE FROM roster_counts`); err != nil {
		return err
	}
	_, err := b.tx.exec(countRosters + countRostersGroup)
	return err
}

// summedCounts adds up the roster counts of the enterprises in the principal's scope (of
// one enterprise when enterpriseID is set): the clock's counts of all their people,
// whoever left included, as Roster.List gives them without a filter on the people. The
// phases are summed in one pass over an index range of the region; cleared tomorrow is
// counted from the people whose measure ends today (an index range).
func (s *Store) summedCounts(ctx context.Context, actor auth.Principal, enterpriseID int64, tomorrow string) (roster.Counts, error) {
	// The people change only by a Write, which forgets what is kept: the count is exact.
	key := fmt.Sprint("roster|", actor.Scope, "|", enterpriseID, "|", tomorrow)
	return keep(ctx, s.DB, &s.DB.counts, key, countTTL, func(ctx context.Context) (roster.Counts, bool, error) {
		c, err := s.countSummed(ctx, actor, enterpriseID, tomorrow)
		return c, true, err
	})
}

// countSummed is summedCounts, counted.
func (s *Store) countSummed(ctx context.Context, actor auth.Principal, enterpriseID int64, tomorrow string) (roster.Counts, error) {
	var counts roster.Counts
	var w where
	if err := s.DB.scopeOn(ctx, actor, &w, "r.enterprise_id", "r.region_code", "r.park_id", regionRange); err != nil {
		return counts, err
	}
	if enterpriseID != 0 {
		w.add("r.enterprise_id = ?", enterpriseID)
	}
	var cols strings.Builder
	var args []any
	for _, ph := range roster.Phases {
		cols.WriteString(`COALESCE(SUM(CASE WHEN r.phase = ? THEN r.n ELSE 0 END), 0), `)
		args = append(args, string(ph))
	}
	n := make([]int, len(roster.Phases)+1)
	dest := make([]any, len(n))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := s.DB.queryRow(ctx, `SELECT `+cols.String()+`COALESCE(SUM(CASE WHEN r.journey_too_long = TRUE THEN r.n ELSE 0 END), 0)
		FROM roster_counts r`+w.sql(), append(args, w.args...)...).Scan(dest...); err != nil {
		return counts, err
	}
	for i, ph := range roster.Phases {
		counts.AddStored(ph, n[i], 0, 0)
	}
	counts.JourneyTooLong = n[len(n)-1]
	var we where
	if err := s.DB.enterpriseScope(ctx, actor, &we); err != nil {
		return counts, err
	}
	if enterpriseID != 0 {
		we.add("e.id = ?", enterpriseID)
	}
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM employees m JOIN enterprises e ON e.id = m.enterprise_id`+we.sql()+andOr(we)+
		`m.phase_next = ? AND m.phase IN (?, ?)`, append(append([]any{}, we.args...), tomorrow, string(roster.Isolating), string(roster.Monitoring))...).Scan(&counts.ClearedTomorrow); err != nil {
		return counts, err
	}
	return counts, nil
}
