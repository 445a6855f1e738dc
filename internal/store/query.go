package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/region"
)

// limit is the LIMIT and OFFSET of a page.
func limit(p list.Page) string {
	p = p.Norm()
	return " LIMIT " + strconv.Itoa(p.Size) + " OFFSET " + strconv.Itoa(p.Offset())
}

// where builds a WHERE clause from conditions joined with AND.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// clone copies w, so that conditions added to one are not added to the other.
func (w where) clone() where {
	return where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// notFound turns sql.ErrNoRows into the not-found error for what.
func notFound(err error, what string) error {
	if isNoRows(err) {
		return apperr.NewNotFound(what)
	}
	return err
}

// regionCond restricts column to the subtree of region code.
func regionCond(w *where, column, code string) {
	w.add(column+" LIKE ?", region.Prefix(code)+"%")
}

// regionRange is regionCond as a range of the column, which an index on it reads as a
// range (LIKE reads it whole on SQLite): the codes are digits, so those under a prefix
// lie from the prefix up to the prefix with its last digit raised, carried.
func regionRange(w *where, column, code string) {
	lo := region.Prefix(code)
	hi := []byte(lo)
	i := len(hi) - 1
	for ; i >= 0 && hi[i] == '9'; i-- {
		hi[i] = '0'
	}
	if i < 0 || lo == "" || strings.Trim(lo, "0123456789") != "" {
		regionCond(w, column, code) // all nines, or not digits: no upper bound
		return
	}
	hi[i]++
	w.add(column+" >= ? AND "+column+" < ?", lo, string(hi[:i+1]))
}

// enterpriseScope restricts a query over enterprises (alias e) to the principal's scope.
// Scope is enforced here, in the store, so no handler can forget it.
func (db *DB) enterpriseScope(ctx context.Context, p auth.Principal, w *where) error {
	return db.scopeOn(ctx, p, w, "e.id", "e.region_code", "e.park_id", regionCond)
}

// enterpriseIn restricts a query over a table with an enterprise column to the
// enterprises in the principal's scope, as their ids: a count then reads the table's
// index by enterprise for each of them, instead of every row joined to its enterprise.
func (db *DB) enterpriseIn(ctx context.Context, p auth.Principal, w *where, column string) error {
	// The region as a range of codes: the subquery reads the index by region.
	var scope where
	if err := db.scopeOn(ctx, p, &scope, "e.id", "e.region_code", "e.park_id", regionRange); err != nil {
		return err
	}
	if len(scope.conds) > 0 {
		w.add(inEnterprises(column)+strings.Join(scope.conds, " AND ")+")", scope.args...)
	}
	return nil
}

// inEnterprises is how enterpriseIn's condition on column begins.
func inEnterprises(column string) string {
	return column + " IN (SELECT e.id FROM enterprises e WHERE "
}

// enterpriseExists turns enterpriseIn's condition on column into a test of each row's
// enterprise by key, for a query that reads many rows in another order and stops after a
// page, rather than gathering the scope's enterprises first. Another condition is
// returned as it is, with ok false.
func enterpriseExists(cond, column string) (out string, ok bool) {
	rest, ok := strings.CutPrefix(cond, inEnterprises(column))
	if !ok {
		return cond, false
	}
	return "EXISTS (SELECT 1 FROM enterprises e WHERE e.id = " + column + " AND " + rest, true
}

// scopeOn restricts a query to the principal's scope on the columns that hold an
// enterprise's id, region and park (enterpriseScope's, for a table that copies them).
func (db *DB) scopeOn(ctx context.Context, p auth.Principal, w *where, id, region, park string, inRegion func(w *where, column, code string)) error {
	switch p.Scope.Kind {
	case auth.ScopeAll:
	case auth.ScopeRegion:
		inRegion(w, region, p.Scope.Region)
	case auth.ScopeDept:
		var code string
		if err := db.queryRow(ctx, `SELECT region_code FROM departments WHERE id = ?`, p.Scope.ID).Scan(&code); err != nil {
			if isNoRows(err) {
				w.add("1 = 0")
				return nil
			}
			return err
		}
		inRegion(w, region, code)
	case auth.ScopePark:
		w.add(park+" = ?", p.Scope.ID)
	case auth.ScopeEnterprise:
		w.add(id+" = ?", p.Scope.ID)
	default:
		w.add("1 = 0")
	}
	return nil
}

// regionScope restricts a query over a table with a region code column to the subtree
// the principal may see. Enterprise-, park- and department-scoped users see the region
// their object belongs to.
func (db *DB) regionScope(ctx context.Context, p auth.Principal, w *where, column string) error {
	switch p.Scope.Kind {
	case auth.ScopeAll:
		return nil
	case auth.ScopeRegion:
		regionCond(w, column, p.Scope.Region)
		return nil
	}
	var q string
	switch p.Scope.Kind {
	case auth.ScopeDept:
		q = `SELECT region_code FROM departments WHERE id = ?`
	case auth.ScopePark:
		q = `SELECT region_code FROM parks WHERE id = ?`
	case auth.ScopeEnterprise:
		q = `SELECT region_code FROM enterprises WHERE id = ?`
	default:
		w.add("1 = 0")
		return nil
	}
	var region string
	if err := db.queryRow(ctx, q, p.Scope.ID).Scan(&region); err != nil {
		if isNoRows(err) {
			w.add("1 = 0")
			return nil
		}
		return err
	}
	regionCond(w, column, region)
	return nil
}

// queryIDs reads the ids (the first column) the query answers.
func (db *DB) queryIDs(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
