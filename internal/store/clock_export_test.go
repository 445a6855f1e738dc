package store

import (
	"context"
	"time"
)

// StoredClockForTest reads the stored clock of an employee: phase, phase_next, journey_too_long.
func StoredClockForTest(ctx context.Context, db *DB, id int64) (phase, next string, long bool, err error) {
	err = db.queryRow(ctx, `SELECT phase, phase_next, journey_too_long FROM employees WHERE id = ?`, id).Scan(&phase, &next, &long)
	return
}

// RefreshClocks brings the stored clocks up to date as of now, as the daily jobs do first.
func (s *Store) RefreshClocks(ctx context.Context, now time.Time) (ClockRefresh, error) {
	return s.refreshClocksAt(ctx, now)
}
