package store

import (
	"context"
	"strings"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
)

// PickPlanForTest is the query plan of PickEnterprises, one line per step.
func PickPlanForTest(ctx context.Context, db *DB, p auth.Principal, pick enterprise.Pick) (string, error) {
	q, args, err := db.pickQuery(ctx, p, pick)
	if err != nil {
		return "", err
	}
	explain := "EXPLAIN QUERY PLAN "
	if db.Engine == Postgres {
		explain = "EXPLAIN "
	}
	rows, err := db.query(ctx, explain+q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		line := ""
		for _, v := range vals {
			switch v := v.(type) {
			case string:
				line += v + " "
			case []byte:
				line += string(v) + " "
			}
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"), rows.Err()
}
