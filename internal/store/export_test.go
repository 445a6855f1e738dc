package store

import "context"

// ExecForTest runs raw SQL, bypassing the store's rules, to simulate tampering.
func ExecForTest(ctx context.Context, db *DB, q string) error {
	_, err := db.write.ExecContext(ctx, q)
	return err
}

// CountForTest runs a COUNT query on the reader.
func CountForTest(ctx context.Context, db *DB, q string) (int, error) {
	var n int
	err := db.queryRow(ctx, q).Scan(&n)
	return n, err
}
