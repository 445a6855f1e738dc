// Package audit defines Fugong's append-only, hash-chained audit trail: each entry's hash
// covers the previous entry's hash and every field of its own, so altering, removing or
// reordering any row breaks the chain from that row on.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"fugong/internal/list"
	"strconv"
	"time"
)

// Genesis is the previous hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one row of the trail.
type Entry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id"` // 0 for the system (command line, migrations)
	ActorName  string    `json:"actor_name"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Summary    string    `json:"summary"` // JSON object describing the change
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// ComputeHash returns the hash an entry must carry given its fields and PrevHash.
func ComputeHash(e Entry) string {
	h := sha256.New()
	for _, f := range []string{
		e.PrevHash,
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10),
		e.ActorName, e.Action, e.ObjectType, e.ObjectID, e.Summary,
	} {
		// Length-prefix every field so that no two field lists hash alike.
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Change is a field that an action changed, for the summary.
type Change struct {
	From any `json:"from,omitempty"`
	To   any `json:"to,omitempty"`
}

// Summary encodes a change summary as JSON; a nil or empty map gives "{}".
func Summary(fields map[string]any) string {
	if len(fields) == 0 {
		return "{}"
	}
	b, err := json.Marshal(fields)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// Verifier checks entries one by one, in seq order.
type Verifier struct {
	prev    string
	nextSeq int64
	Checked int64
}

// NewVerifier starts a verification at the first entry.
func NewVerifier() *Verifier { return &Verifier{prev: Genesis, nextSeq: 1} }

// Problem describes the first bad row.
type Problem struct {
	Seq    int64
	Reason string
}

func (p *Problem) Error() string { return fmt.Sprintf("audit row %d: %s", p.Seq, p.Reason) }

// Check verifies the next entry; it returns a *Problem for the first row that is out of
// place, whose chain link is broken, or whose content no longer matches its hash.
func (v *Verifier) Check(e Entry) error {
	switch {
	case e.Seq != v.nextSeq:
		if e.Seq > v.nextSeq {
			return &Problem{Seq: v.nextSeq, Reason: fmt.Sprintf("row missing (next row present is %d)", e.Seq)}
		}
		return &Problem{Seq: e.Seq, Reason: fmt.Sprintf("out of order (expected %d)", v.nextSeq)}
	case e.PrevHash != v.prev:
		return &Problem{Seq: e.Seq, Reason: "link to the previous row is broken (a row before it was altered, removed or reordered)"}
	case ComputeHash(e) != e.Hash:
		return &Problem{Seq: e.Seq, Reason: "content does not match its hash (the row was altered)"}
	}
	v.prev = e.Hash
	v.nextSeq++
	v.Checked++
	return nil
}

// ObjectTypes are the kinds of object the trail records changes of, in the order of the
// audit page's filter; a feature that audits a new kind of object adds it here.
var ObjectTypes = []string{"enterprise", "application", "employee", "pass", "follow_up", "roster",
	"inspection", "rectification", "hazard", "tip", "request", "guidance", "appointment", "appointment_slot",
	"region", "park", "department", "user", "retention"}

// Filter selects entries of the trail.
type Filter struct {
	ObjectType string
	ObjectID   string
	ActorID    int64
	Action     string
	Page       list.Page
}
