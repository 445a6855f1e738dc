package store

import "context"

// ExecArgsForTest runs raw SQL with arguments (`?` placeholders), bypassing the store's
// rules, to simulate tampering or to set up what the store would not write itself.
func ExecArgsForTest(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.writer.ExecContext(ctx, db.rebind(q), args...)
	return err
}
