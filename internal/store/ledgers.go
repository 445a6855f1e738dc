package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/ledger"
)

const ledgerCols = `l.id, l.enterprise_id, e.name, l.kind, l.at, l.area, l.agent, l.person, l.item, l.quantity, l.topic, l.names, l.note,
	COALESCE(u.display_name, ''), l.created_at`

const ledgerFrom = ` FROM ledger_entries l JOIN enterprises e ON e.id = l.enterprise_id LEFT JOIN users u ON u.id = l.created_by`

func scanLedger(sc interface{ Scan(...any) error }) (ledger.Entry, error) {
	var le ledger.Entry
	var kind string
	err := sc.Scan(&le.ID, &le.EnterpriseID, &le.EnterpriseName, &kind, &le.At, &le.Area, &le.Agent, &le.Person, &le.Item,
		&le.Quantity, &le.Topic, &le.Names, &le.Note, &le.CreatedBy, &le.CreatedAt)
	le.Kind, le.At, le.CreatedAt = ledger.Kind(kind), le.At.UTC(), le.CreatedAt.UTC()
	return le, err
}

// ledgerEnterprise checks that the enterprise is in the principal's scope (404 otherwise)
// and returns its name.
func (db *DB) ledgerEnterprise(ctx context.Context, p auth.Principal, id int64) (string, error) {
	if !p.Can(auth.LedgersView) {
		return "", apperr.NewForbidden()
	}
	if id == 0 {
		return "", apperr.NewInvalid("enterprise_id", "请选择企业", "Choose the enterprise")
	}
	var w where
	if err := db.enterpriseScope(ctx, p, &w); err != nil {
		return "", err
	}
	w.add("e.id = ?", id)
	var name string
	err := db.queryRow(ctx, `SELECT e.name FROM enterprises e`+w.sql(), w.args...).Scan(&name)
	return name, notFound(err, "企业")
}

func ledgerWhere(f ledger.Filter) where {
	var w where
	if f.EnterpriseID != 0 {
		w.add("l.enterprise_id = ?", f.EnterpriseID)
	}
	w.add("l.kind = ?", string(f.Kind))
	if !f.From.IsZero() {
		w.add("l.at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		w.add("l.at < ?", f.To.UTC())
	}
	return w
}

// ListLedger returns one page of a ledger of an enterprise in scope (of every enterprise in
// scope when the filter names none), newest first, and how many entries match.
func (h *Ledgers) List(ctx context.Context, p auth.Principal, f ledger.Filter) ([]ledger.Entry, int, error) {
	s := h.s
	db := s.DB
	if !f.Kind.Valid() {
		return nil, 0, apperr.NewNotFound("台账")
	}
	w := ledgerWhere(f)
	if f.EnterpriseID != 0 {
		if _, err := db.ledgerEnterprise(ctx, p, f.EnterpriseID); err != nil {
			return nil, 0, err
		}
	} else {
		// No enterprise named: the ledger of every enterprise in scope.
		if !p.Can(auth.LedgersView) {
			return nil, 0, apperr.NewForbidden()
		}
		if err := db.enterpriseScope(ctx, p, &w); err != nil {
			return nil, 0, err
		}
	}
	// Entries are added only by a Write, which forgets what is kept.
	total, err := keep(ctx, db, &db.counts, fmt.Sprint("ledger|", w.sql(), w.args), countTTL, func(ctx context.Context) (int, bool, error) {
		var n int
		err := db.queryRow(ctx, `SELECT COUNT(*)`+ledgerFrom+w.sql(), w.args...).Scan(&n)
		return n, true, err
	})
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+ledgerCols+ledgerFrom+w.sql()+` ORDER BY l.at DESC, l.id DESC`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []ledger.Entry
	for rows.Next() {
		le, err := scanLedger(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, le)
	}
	return out, total, rows.Err()
}

// EachLedger calls fn for every entry of a ledger matching the filter (ignoring its page),
// oldest first, for exports.
func (h *Ledgers) Each(ctx context.Context, p auth.Principal, f ledger.Filter, fn func(ledger.Entry) error) error {
	s := h.s
	db := s.DB
	if !f.Kind.Valid() {
		return apperr.NewNotFound("台账")
	}
	if _, err := db.ledgerEnterprise(ctx, p, f.EnterpriseID); err != nil {
		return err
	}
	w := ledgerWhere(f)
	rows, err := db.query(ctx, `SELECT `+ledgerCols+ledgerFrom+w.sql()+` ORDER BY l.at, l.id`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		le, err := scanLedger(rows)
		if err != nil {
			return err
		}
		if err := fn(le); err != nil {
			return err
		}
	}
	return rows.Err()
}

// LedgerEnterpriseName is the name of an enterprise in scope whose ledgers p may see.
func (h *Ledgers) EnterpriseName(ctx context.Context, p auth.Principal, id int64) (string, error) {
	s := h.s
	db := s.DB
	return db.ledgerEnterprise(ctx, p, id)
}

// supplyStock sums the movements of each item of an enterprise before the instant
// (zero: all of them).
func supplyStock(ctx context.Context, q func(string, ...any) (*sql.Rows, error), enterpriseID int64, before time.Time) (map[string]int64, error) {
	query := `SELECT item, SUM(quantity) FROM ledger_entries WHERE enterprise_id = ? AND kind = 'supplies'`
	args := []any{enterpriseID}
	if !before.IsZero() {
		query += ` AND at < ?`
		args = append(args, before.UTC())
	}
	rows, err := q(query+` GROUP BY item`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var item string
		var n int64
		if err := rows.Scan(&item, &n); err != nil {
			return nil, err
		}
		out[item] = n
	}
	return out, rows.Err()
}

// SupplyStock is the current stock of each item of an enterprise in scope.
func (h *Ledgers) SupplyStock(ctx context.Context, p auth.Principal, enterpriseID int64) (map[string]int64, error) {
	s := h.s
	db := s.DB
	if _, err := db.ledgerEnterprise(ctx, p, enterpriseID); err != nil {
		return nil, err
	}
	return supplyStock(ctx, func(q string, a ...any) (*sql.Rows, error) { return db.query(ctx, q, a...) }, enterpriseID, time.Time{})
}

// AddLedgerEntry records an entry in a ledger of an enterprise in scope, with its audit
// row. A supplies movement out of stock larger than the item's stock is refused.
func (h *Ledgers) Add(ctx context.Context, p auth.Principal, e ledger.Entry) (ledger.Entry, error) {
	s := h.s
	db := s.DB
	if !p.Can(auth.LedgersEdit) {
		return e, apperr.NewForbidden()
	}
	e.Normalize()
	if e.EnterpriseID != 0 { // out of scope is not found, before any problem of the fields
		if _, err := db.ledgerEnterprise(ctx, p, e.EnterpriseID); err != nil {
			return e, err
		}
	}
	if err := e.Validate(db.Now()); err != nil {
		return e, err
	}
	err := db.write(ctx, func(tx *txn) error {
		if e.Kind == ledger.Supplies && e.Quantity < 0 {
			// Movements of one enterprise are serialised: SQLite has one writer; on
			// PostgreSQL the enterprise's row is locked until commit.
			if tx.engine() == Postgres {
				if _, err := tx.exec(`SELECT id FROM enterprises WHERE id = ? FOR NO KEY UPDATE`, e.EnterpriseID); err != nil {
					return err
				}
			}
			var stock int64
			if err := tx.queryRow(`SELECT COALESCE(SUM(quantity), 0) FROM ledger_entries WHERE enterprise_id = ? AND kind = 'supplies' AND item = ?`,
				e.EnterpriseID, e.Item).Scan(&stock); err != nil {
				return err
			}
			if -e.Quantity > stock {
				n := application.SupplyNames[e.Item]
				return apperr.NewInvalid("quantity",
					fmt.Sprintf("出库数量 %d %s 超过%s现有库存 %d %s,不能出库", -e.Quantity, n[2], n[0], stock, n[2]),
					fmt.Sprintf("Cannot take out %d: only %d %s in stock", -e.Quantity, stock, n[1]))
			}
		}
		var err error
		e.ID, err = tx.insertID(`INSERT INTO ledger_entries (enterprise_id, kind, at, area, agent, person, item, quantity, topic, names, note, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.EnterpriseID, string(e.Kind), e.At.UTC(), e.Area, e.Agent, e.Person, e.Item,
			e.Quantity, e.Topic, e.Names, e.Note, nullID(p.UserID), tx.now())
		if err != nil {
			return err
		}
		summary := map[string]any{"entry_id": e.ID, "at": e.At.UTC().Format(time.RFC3339)}
		switch e.Kind {
		case ledger.Disinfection:
			summary["area"], summary["agent"], summary["operator"] = e.Area, e.Agent, e.Person
		case ledger.Supplies:
			summary["item"], summary["quantity"] = e.Item, e.Quantity
		case ledger.Masks:
			summary["quantity"], summary["handler"] = e.Quantity, e.Person
		case ledger.Training:
			summary["topic"], summary["handed"] = e.Topic, e.Quantity
		}
		return tx.audit(p, "ledger."+string(e.Kind), "enterprise", e.EnterpriseID, summary)
	})
	if err != nil {
		return e, err
	}
	got, err := scanLedger(db.queryRow(ctx, `SELECT `+ledgerCols+ledgerFrom+` WHERE l.id = ?`, e.ID))
	return got, err
}
