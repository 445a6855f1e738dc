package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// ---- Rows sent together (PostgreSQL): the fast path's fourth part (fastpath.go) ----

// A busy request writes one or two rows (a reading; a gate scan and its reading). On
// SQLite each is one prepared INSERT in the same process. On PostgreSQL each statement is
// a round trip to the server, so inside a group the rows of such inserts are queued and
// sent as one statement, an INSERT per table joined in a WITH: a group of 200 scans costs
// one round trip instead of 400. A queued row's id is known at once: ids are drawn from
// the table's sequence a block at a time and kept between groups (a sequence never hands
// out an id twice, whether or not the transaction that drew it commits). Any other
// statement of the transaction sends the queue first, so it sees every row written before
// it; the end of the group sends what is left.
//
// A group's transaction begins only with its first statement other than that last send
// (a look-up, a fever's suspension: transact). A group of plain readings and scans runs
// none: its rows go outside any transaction, as the one statement, which commits by
// itself (atomic, and flushed before it answers as a COMMIT is). Such a group costs one
// round trip instead of three (BEGIN, the rows, COMMIT).

// idBlock is how many ids of a table are drawn from its sequence at a time.
const idBlock = 1024

// hotRow is an insert that busy requests run: its table, its columns, and its statements.
type hotRow struct {
	table string
	cols  []string
	types []string // each column's type, PostgreSQL's
	one   string   // INSERT INTO t (cols) VALUES (?, …): one row (hot)
	ids   string   // n new ids from the table's sequence
}

// hotInsert declares a hot insert into table; each column is "name type", the type
// being PostgreSQL's.
func hotInsert(table string, cols ...string) *hotRow {
	h := &hotRow{table: table}
	for _, c := range cols {
		name, typ, _ := strings.Cut(c, " ")
		h.cols = append(h.cols, name)
		h.types = append(h.types, typ)
	}
	h.one = hot(`INSERT INTO ` + table + ` (` + strings.Join(h.cols, ", ") + `) VALUES (` + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + `)`)
	h.ids = `SELECT nextval(pg_get_serial_sequence('` + table + `', 'id')) FROM generate_series(1, $1)`
	return h
}

// many is the insert of h's queued rows, its arrays numbered from $first: the ids, then
// an array per column of the column's type.
func (h *hotRow) many(first int) string {
	arrays := []string{fmt.Sprintf("$%d::bigint[]", first)}
	for i, typ := range h.types {
		arrays = append(arrays, fmt.Sprintf("$%d::%s[]", first+1+i, typ))
	}
	list := strings.Join(h.cols, ", ")
	return `INSERT INTO ` + h.table + ` (id, ` + list + `) SELECT * FROM unnest(` + strings.Join(arrays, ", ") + `)`
}

// sendSQLs keeps the text of sendSQL for each list of tables.
var sendSQLs sync.Map // table names joined by spaces → statement

// sendSQL is the one statement that inserts the queued rows of tables hs, in that order:
// a lone INSERT, or one INSERT per table joined in a WITH. Its text depends only on the
// tables, so there are few of them, each made once.
func sendSQL(hs []*hotRow) string {
	var key strings.Builder
	for _, h := range hs {
		key.WriteString(h.table + " ")
	}
	if q, ok := sendSQLs.Load(key.String()); ok {
		return q.(string)
	}
	q := makeSendSQL(hs)
	sendSQLs.Store(key.String(), q)
	return q
}

func makeSendSQL(hs []*hotRow) string {
	if len(hs) == 1 {
		return hs[0].many(1)
	}
	var b strings.Builder
	b.WriteString("WITH ")
	n := 1
	for i, h := range hs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "t%d AS (%s)", i, h.many(n))
		n += len(h.cols) + 1
	}
	b.WriteString(" SELECT 1")
	return b.String()
}

// insertRow writes a row of a hot insert and returns its id: queued inside a group on
// PostgreSQL, at once otherwise.
func (tx *txn) insertRow(h *hotRow, args ...any) (int64, error) {
	if tx.rows == nil {
		return tx.insertID(h.one, args...)
	}
	return tx.rows.add(tx, h, args)
}

// rowQueue holds a group's queued rows.
type rowQueue struct {
	rows  map[*hotRow][][]any // queued rows, each id first
	order []*hotRow           // tables in the order of their first row
	err   error               // the first failure to send; the group is rolled back
}

func newRowQueue() *rowQueue {
	return &rowQueue{rows: map[*hotRow][][]any{}}
}

func (q *rowQueue) add(tx *txn, h *hotRow, args []any) (int64, error) {
	if len(args) != len(h.cols) {
		return 0, fmt.Errorf("insert into %s: %d values for %d columns", h.table, len(args), len(h.cols))
	}
	id, err := tx.newID(h)
	if err != nil {
		return 0, err
	}
	if _, ok := q.rows[h]; !ok {
		q.order = append(q.order, h)
	}
	q.rows[h] = append(q.rows[h], append([]any{id}, args...))
	return id, nil
}

// idPool keeps the ids drawn from each hot table's sequence and not used yet.
type idPool struct {
	mu   sync.Mutex
	free map[*hotRow][]int64
}

// newID takes an id for a row of h, drawing a block from the table's sequence when none
// is left.
func (tx *txn) newID(h *hotRow) (int64, error) {
	p := &tx.db.ids
	p.mu.Lock()
	if ids := p.free[h]; len(ids) > 0 {
		p.free[h] = ids[1:]
		p.mu.Unlock()
		return ids[0], nil
	}
	p.mu.Unlock()
	ids, err := tx.drawIDs(h, idBlock)
	if err != nil {
		return 0, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.free == nil {
		p.free = map[*hotRow][]int64{}
	}
	p.free[h] = append(p.free[h], ids[1:]...)
	return ids[0], nil
}

// drawIDs takes n new ids from the sequence of h's table.
func (tx *txn) drawIDs(h *hotRow, n int) ([]int64, error) {
	rows, err := tx.outside().QueryContext(tx.ctx, h.ids, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no ids drawn for %s", h.table)
	}
	return ids, nil
}

// runner runs statements: a transaction or the pool.
type runner interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

// outside is where a statement goes that may run outside the transaction: the
// transaction once begun, the pool before (ids drawn from a sequence, which no rollback
// returns; the rows of a group that ran no other statement).
func (tx *txn) outside() runner {
	if tx.tx != nil {
		return tx.tx
	}
	return tx.db.writer
}

// pending tells whether rows wait to be sent.
func (q *rowQueue) pending() bool {
	if q == nil {
		return false
	}
	for _, rows := range q.rows {
		if len(rows) > 0 {
			return true
		}
	}
	return false
}

// send writes the queued rows in one statement and empties the queue. After a failure it
// keeps failing: the group is rolled back and runs again row by row.
func (q *rowQueue) send(tx *txn) error {
	if q == nil {
		return nil
	}
	if q.err != nil {
		return q.err
	}
	var hs []*hotRow
	var args []any
	for _, h := range q.order {
		rows := q.rows[h]
		if len(rows) == 0 {
			continue
		}
		hs = append(hs, h)
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r[0].(int64)
		}
		args = append(args, ids)
		for c, typ := range h.types {
			col, err := pgColumn(typ, rows, c+1)
			if err != nil {
				q.err = fmt.Errorf("insert into %s, %s: %w", h.table, h.cols[c], err)
				return q.err
			}
			args = append(args, col)
		}
	}
	if len(hs) == 0 {
		return nil
	}
	if _, err := tx.outside().ExecContext(tx.ctx, sendSQL(hs), args...); err != nil {
		q.err = fmt.Errorf("insert of the grouped rows: %w", err)
		return q.err
	}
	for _, h := range hs {
		q.rows[h] = q.rows[h][:0]
	}
	return nil
}

// pgColumn gathers value c of each row into an array of the column's type (typ, as
// hotInsert declares it), which the driver sends in binary: no text is made of any value.
// A nil value is NULL; a named type of the domain (a reason code) goes as its kind.
func pgColumn(typ string, rows [][]any, c int) (any, error) {
	switch typ {
	case "bigint":
		return pgValues(rows, c, func(v any) (pgtype.Int8, bool) {
			switch v := v.(type) {
			case int64:
				return pgtype.Int8{Int64: v, Valid: true}, true
			case int:
				return pgtype.Int8{Int64: int64(v), Valid: true}, true
			}
			if r := reflect.ValueOf(v); r.CanInt() {
				return pgtype.Int8{Int64: r.Int(), Valid: true}, true
			}
			return pgtype.Int8{}, false
		})
	case "text":
		return pgValues(rows, c, func(v any) (pgtype.Text, bool) {
			if s, ok := v.(string); ok {
				return pgtype.Text{String: s, Valid: true}, true
			}
			r := reflect.ValueOf(v)
			return pgtype.Text{String: r.String(), Valid: true}, r.Kind() == reflect.String
		})
	case "double precision":
		return pgValues(rows, c, func(v any) (pgtype.Float8, bool) {
			f, ok := v.(float64)
			return pgtype.Float8{Float64: f, Valid: true}, ok
		})
	case "boolean":
		return pgValues(rows, c, func(v any) (pgtype.Bool, bool) {
			b, ok := v.(bool)
			return pgtype.Bool{Bool: b, Valid: true}, ok
		})
	case "timestamptz":
		return pgValues(rows, c, func(v any) (pgtype.Timestamptz, bool) {
			t, ok := v.(time.Time)
			return pgtype.Timestamptz{Time: t, Valid: true}, ok
		})
	}
	return nil, fmt.Errorf("no array for a column of type %s", typ)
}

// pgValues makes the array of value c of each row with one, which also tells whether
// the column can hold the value.
func pgValues[T any](rows [][]any, c int, one func(any) (T, bool)) ([]T, error) {
	out := make([]T, len(rows))
	for i, r := range rows {
		if r[c] == nil {
			continue // the zero value is NULL
		}
		v, ok := one(r[c])
		if !ok {
			return nil, fmt.Errorf("a value of type %T", r[c])
		}
		out[i] = v
	}
	return out, nil
}
