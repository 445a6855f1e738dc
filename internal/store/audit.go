package store

import (
	"context"
	"fmt"
	"strconv"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
)

// Audit appends an entry to the hash-chained trail inside the transaction of the change
// it records. Writers are serialised (SQLite has one writer; on PostgreSQL an advisory
// lock held to commit), so the chain never forks.
func (tx *txn) audit(actor auth.Principal, action, objectType string, objectID any, summary map[string]any) error {
	if tx.db.Engine == Postgres {
		if _, err := tx.exec(`SELECT pg_advisory_xact_lock(7243002)`); err != nil {
			return fmt.Errorf("audit lock: %w", err)
		}
	}
	e := audit.Entry{
		At:         tx.now(),
		ActorID:    actor.UserID,
		ActorName:  actor.Label(),
		Action:     action,
		ObjectType: objectType,
		ObjectID:   fmt.Sprint(objectID),
		Summary:    audit.Summary(summary),
		PrevHash:   audit.Genesis,
	}
	err := tx.queryRow(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&e.Seq, &e.PrevHash)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("audit tail: %w", err)
	}
	e.Seq++
	e.Hash = audit.ComputeHash(e)
	var actorID any
	if e.ActorID != 0 {
		actorID = e.ActorID
	}
	_, err = tx.exec(`INSERT INTO audit_log (seq, at, actor_id, actor_name, action, object_type, object_id, summary, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At, actorID, e.ActorName, e.Action, e.ObjectType, e.ObjectID, e.Summary, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	return nil
}

const auditCols = `seq, at, COALESCE(actor_id, 0), actor_name, action, object_type, object_id, summary, prev_hash, hash`

func scanAudit(sc interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	err := sc.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.ObjectType, &e.ObjectID, &e.Summary, &e.PrevHash, &e.Hash)
	e.At = e.At.UTC()
	return e, err
}

// AuditTrail is the global trail, newest first, for the administrators whose scope is
// the whole installation (audit.all); anyone else is refused: its rows name objects and
// accounts of every region.
func (db *DB) AuditTrail(ctx context.Context, actor auth.Principal, f audit.Filter) ([]audit.Entry, int, error) {
	if !actor.Can(auth.AuditAll) {
		return nil, 0, apperr.NewForbidden()
	}
	return db.ListAudit(ctx, f)
}

// ListAudit returns entries, newest first, unscoped: the command line and AuditTrail use
// it, and an object's trail once the object was found in the caller's scope.
func (db *DB) ListAudit(ctx context.Context, f audit.Filter) ([]audit.Entry, int, error) {
	var w where
	if f.ObjectType != "" {
		w.add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		w.add("object_id = ?", f.ObjectID)
	}
	if f.ActorID != 0 {
		w.add("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		w.add("action LIKE ? ESCAPE '\\'", likeEscape(f.Action)+"%")
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM audit_log`+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+auditCols+` FROM audit_log`+w.sql()+` ORDER BY seq DESC`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// VerifyAudit walks the whole trail in order. It returns the number of rows checked and,
// when the chain is broken, an *audit.Problem naming the first bad row.
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	v := audit.NewVerifier()
	var after int64
	for {
		rows, err := db.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 5000`, after)
		if err != nil {
			return v.Checked, err
		}
		n := 0
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return v.Checked, err
			}
			if err := v.Check(e); err != nil {
				rows.Close()
				return v.Checked, err
			}
			after = e.Seq
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return v.Checked, err
		}
		if n == 0 {
			return v.Checked, nil
		}
	}
}

// AuditHead returns the newest row of the trail; the empty trail gives seq 0 and
// audit.Genesis.
func (db *DB) AuditHead(ctx context.Context) (audit.Head, error) {
	h := audit.Head{Hash: audit.Genesis}
	err := db.queryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.Hash)
	if isNoRows(err) {
		return audit.Head{Hash: audit.Genesis}, nil
	}
	return h, err
}

// auditHashAt returns the hash of row seq of the trail; ok is false when there is no
// such row.
func (db *DB) auditHashAt(ctx context.Context, seq int64) (hash string, ok bool, err error) {
	err = db.queryRow(ctx, `SELECT hash FROM audit_log WHERE seq = ?`, seq).Scan(&hash)
	if isNoRows(err) {
		return "", false, nil
	}
	return hash, err == nil, err
}

// CheckAuditCheckpoints checks the trail against signed checkpoints (audit.CheckCheckpoints):
// it reads the head of the trail and its hash at each checkpointed row. It returns how
// many hold and, for the first that does not, an *audit.Problem naming the checkpoint and
// the first bad row. Read the checkpoints before calling it: the trail only grows.
func (db *DB) CheckAuditCheckpoints(ctx context.Context, cps []audit.Checkpoint) (int, error) {
	head, err := db.AuditHead(ctx)
	if err != nil {
		return 0, err
	}
	hashes := make(map[int64]string, len(cps))
	for _, c := range cps {
		if _, done := hashes[c.Seq]; done || c.Seq > head.Seq {
			continue
		}
		h, ok, err := db.auditHashAt(ctx, c.Seq)
		if err != nil {
			return 0, err
		}
		if ok {
			hashes[c.Seq] = h
		}
	}
	return audit.CheckCheckpoints(cps, head, hashes)
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
