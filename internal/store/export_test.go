package store

import "context"

// ExecForTest runs raw SQL, bypassing the store's rules, to simulate tampering.
func ExecForTest(ctx context.Context, db *DB, q string) error {
	_, err := db.write.ExecContext(ctx, q)
	return err
}
