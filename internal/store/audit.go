package store

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
)

// The trail is one hash chain: each row's hash covers the row before. Its rows commit
// with the change they record, in the change's transaction, and the chain never forks:
//
//   - SQLite has one writer, so a change chains its rows at once, after the newest row.
//   - On PostgreSQL many changes commit side by side, from several instances. A change
//     writes its rows to audit_waiting, taking no lock; right after its commit they are
//     chained into audit_log by the sealing (sealAudit): one at a time across every
//     instance (an advisory lock held by the sealing alone), each taking every row
//     waiting, in batches. The change answers once its rows are chained. Rows left
//     waiting by an instance that stopped are chained by the next sealing, or by
//     Migrate when an instance starts.
//
// So no change waits for another's to commit, and a 2xx still means the change and its
// audit row are on disk together, and chained.

// auditLock is the advisory lock (PostgreSQL) of the sealing.
const auditLock = 7243002

// auditItem is an entry of the trail before it is chained.
type auditItem struct {
	action, objectType, objectID string
	summary                      map[string]any
}

// audit appends an entry recording a change, inside the change's transaction.
func (tx *txn) audit(actor auth.Principal, action, objectType string, objectID any, summary map[string]any) error {
	c := tx.newAuditChain(actor)
	if err := c.add(auditItem{action, objectType, fmt.Sprint(objectID), summary}); err != nil {
		return err
	}
	return c.flush()
}

// auditChain appends entries to the trail within a transaction, 500 at a time, so that
// any number of entries takes little memory: chained at once after the newest row on
// SQLite, left waiting for the sealing on PostgreSQL.
type auditChain struct {
	tx      *txn
	actor   auth.Principal
	actorID any
	seq     int64
	prev    string
	pending []auditItem
}

// newAuditChain starts appending entries of actor.
func (tx *txn) newAuditChain(actor auth.Principal) *auditChain {
	c := &auditChain{tx: tx, actor: actor, seq: -1}
	if actor.UserID != 0 {
		c.actorID = actor.UserID
	}
	return c
}

// add appends an entry, sending the pending ones when there are 500.
func (c *auditChain) add(it auditItem) error {
	c.pending = append(c.pending, it)
	if len(c.pending) >= 500 {
		return c.flush()
	}
	return nil
}

// flush sends the pending entries.
func (c *auditChain) flush() error {
	if len(c.pending) == 0 {
		return nil
	}
	tx := c.tx
	if tx.db.Engine == Postgres {
		var b strings.Builder
		b.WriteString(`INSERT INTO audit_waiting (at, actor_id, actor_name, action, object_type, object_id, summary) VALUES `)
		args := make([]any, 0, len(c.pending)*7)
		for i, it := range c.pending {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?)")
			args = append(args, tx.now(), c.actorID, c.actor.Label(), it.action, it.objectType, it.objectID, audit.Summary(it.summary))
		}
		c.pending = c.pending[:0]
		tx.sealAfter = true
		_, err := tx.exec(b.String(), args...)
		return err
	}
	if c.seq < 0 {
		tail, err := auditTail(tx)
		if err != nil {
			return err
		}
		c.seq, c.prev = tail.Seq, tail.Hash
	}
	es := make([]audit.Entry, len(c.pending))
	for i, it := range c.pending {
		c.seq++
		e := audit.Entry{Seq: c.seq, At: tx.now(), ActorID: c.actor.UserID, ActorName: c.actor.Label(), Action: it.action,
			ObjectType: it.objectType, ObjectID: it.objectID, Summary: audit.Summary(it.summary), PrevHash: c.prev}
		e.Hash = audit.ComputeHash(e)
		c.prev = e.Hash
		es[i] = e
	}
	c.pending = c.pending[:0]
	return insertAudit(tx, es)
}

// auditTail is the newest row of the chained trail (seq 0 and audit.Genesis when empty).
func auditTail(tx *txn) (audit.Head, error) {
	h := audit.Head{Hash: audit.Genesis}
	err := tx.queryRow(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.Hash)
	if err != nil && !isNoRows(err) {
		return h, fmt.Errorf("audit tail: %w", err)
	}
	return h, nil
}

// insertAudit writes chained entries into the trail, in one statement.
func insertAudit(tx *txn, es []audit.Entry) error {
	var b strings.Builder
	b.WriteString(`INSERT INTO audit_log (seq, at, actor_id, actor_name, action, object_type, object_id, summary, prev_hash, hash) VALUES `)
	args := make([]any, 0, len(es)*10)
	for i, e := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		var actorID any
		if e.ActorID != 0 {
			actorID = e.ActorID
		}
		args = append(args, e.Seq, e.At, actorID, e.ActorName, e.Action, e.ObjectType, e.ObjectID, e.Summary, e.PrevHash, e.Hash)
	}
	if _, err := tx.exec(b.String(), args...); err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	return nil
}

// sealer runs the sealing of this instance: one at a time, each for the changes that
// committed before it began.
type sealer struct {
	mu      sync.Mutex
	running bool
	waiting []chan struct{}
}

// sealAudit chains the rows waiting in audit_waiting, returning once a sealing that began
// after the call has ended (or ctx ends). A sealing that fails leaves the rows waiting for
// the next one: the change they record is committed already, and must not be answered as
// failed.
func (db *DB) sealAudit(ctx context.Context) {
	done := make(chan struct{})
	s := &db.seal
	s.mu.Lock()
	s.waiting = append(s.waiting, done)
	if !s.running {
		s.running = true
		go db.sealLoop()
	}
	s.mu.Unlock()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (db *DB) sealLoop() {
	s := &db.seal
	for {
		s.mu.Lock()
		ws := s.waiting
		s.waiting = nil
		if len(ws) == 0 {
			s.running = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		if err := db.sealWaiting(context.Background()); err != nil {
			log := db.Log
			if log == nil {
				log = slog.Default()
			}
			log.Warn("audit trail: sealing failed; its rows stay waiting for the next change or the next start",
				"err", err.Error())
		}
		for _, w := range ws {
			close(w)
		}
	}
}

// sealBatch is how many waiting rows one transaction of the sealing chains.
const sealBatch = 2000

// sealWaiting chains every row waiting, oldest first, a batch a transaction, under the
// sealing's lock.
func (db *DB) sealWaiting(ctx context.Context) error {
	if db.Engine != Postgres {
		return nil
	}
	for {
		n := 0
		err := db.writeTx(ctx, func(tx *txn) error {
			if _, err := tx.exec(`SELECT pg_advisory_xact_lock(?)`, auditLock); err != nil {
				return fmt.Errorf("audit lock: %w", err)
			}
			rows, err := tx.query(`SELECT id, at, COALESCE(actor_id, 0), actor_name, action, object_type, object_id, summary
				FROM audit_waiting ORDER BY id LIMIT ?`, sealBatch)
			if err != nil {
				return err
			}
			var ids []int64
			var es []audit.Entry
			for rows.Next() {
				var id int64
				var e audit.Entry
				if err := rows.Scan(&id, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.ObjectType, &e.ObjectID, &e.Summary); err != nil {
					rows.Close()
					return err
				}
				ids, es = append(ids, id), append(es, e)
			}
			rows.Close()
			if err := rows.Err(); err != nil || len(es) == 0 {
				return err
			}
			tail, err := auditTail(tx)
			if err != nil {
				return err
			}
			for i := range es {
				e := &es[i]
				e.At = e.At.UTC()
				e.Seq, e.PrevHash = tail.Seq+int64(i)+1, tail.Hash
				if i > 0 {
					e.PrevHash = es[i-1].Hash
				}
				e.Hash = audit.ComputeHash(*e)
			}
			for part := range slices.Chunk(es, 500) {
				if err := insertAudit(tx, part); err != nil {
					return err
				}
			}
			if _, err := tx.exec(`DELETE FROM audit_waiting WHERE id = ANY(?)`, ids); err != nil {
				return err
			}
			n = len(es)
			return nil
		})
		if err != nil || n < sealBatch {
			return err
		}
	}
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

// AuditHead returns the newest row of the trail, and how many rows wait to be chained
// (PostgreSQL: committed by changes whose sealing has not run yet); the empty trail gives
// seq 0 and audit.Genesis. It only reads.
func (db *DB) AuditHead(ctx context.Context) (audit.Head, error) {
	h := audit.Head{Hash: audit.Genesis}
	err := db.queryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.Hash)
	if err != nil && !isNoRows(err) {
		return h, err
	}
	if db.Engine != Postgres {
		return h, nil // SQLite chains at once: none waits
	}
	// A database restored from an older backup and not migrated yet has no such table.
	if v, err := db.SchemaVersion(ctx); err != nil || v < auditWaitingSince {
		return h, err
	}
	err = db.queryRow(ctx, `SELECT COUNT(*) FROM audit_waiting`).Scan(&h.Waiting)
	return h, err
}

// auditWaitingSince is the migration that adds audit_waiting.
const auditWaitingSince = 26

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
