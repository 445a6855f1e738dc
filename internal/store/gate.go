package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/gate"
	"fugong/internal/health"
	"fugong/internal/roster"
	"fugong/internal/sign"
)

// Scan checks a pass at the gate (gate.Decide) and logs the scan; a temperature taken
// with a scan that passed the other checks is recorded as a reading, and a fever
// suspends the pass. Whether the pass's enterprise lies in the scanner's scope is read
// with the scope's own query, for every kind of scope; a pass that does not belong to the
// scanner is logged with the scanner (its enterprise, or no enterprise), never in the log
// of the pass's enterprise, and neither the pass nor its holder is recorded.
//
// The facts are read from committed data before the shared write transaction, so that
// it holds only the inserts: a scan answers as of the moment it was checked.
func (h *Gate) Scan(ctx context.Context, actor auth.Principal, token string, temperature *float64, checkpoint string) (gate.Result, error) {
	s := h.s
	v := s.verify
	if !actor.Can(auth.GateScan) {
		return gate.Result{}, apperr.NewForbidden()
	}
	if temperature != nil {
		if err := health.CheckTemperature("temperature", *temperature); err != nil {
			return gate.Result{}, err
		}
		t := health.Round(*temperature)
		temperature = &t
	}
	var scope where
	var res gate.Result
	var who holder
	var personID, passID, entID int64
	known := &who.person
	err := s.DB.grouped(ctx, func() error {
		if err := s.DB.enterpriseScope(ctx, actor, &scope); err != nil {
			return err
		}
		f, h, err := s.scanFacts(ctx, v, token)
		if err != nil {
			return err
		}
		who = h
		f.ScannerScope, f.Checkpoint, f.Temperature = actor.Scope, checkpoint, temperature
		if f.Found {
			if f.InScope, err = s.enterpriseReached(ctx, scope, f.Enterprise); err != nil {
				return err
			}
		}
		res = gate.Decide(s.pol, f)
		switch {
		case f.Found && gate.Belongs(f):
			personID, passID, entID = who.id, f.Claims.ID, who.entID
		case actor.Scope.Kind == auth.ScopeEnterprise:
			entID = actor.Scope.ID
		}
		// The holder, found through the pass, is in the scanner's enterprise when the pass
		// passed the checks; other scopes look it up inside the transaction.
		if k := actor.Scope.Kind; k != auth.ScopeAll && k != auth.ScopeEnterprise {
			known = nil
		}
		return nil
	}, func(tx *txn) error {
		if gate.Reads(res, temperature) {
			if _, err := s.recordTx(tx, actor, scope, health.Reading{EmployeeID: who.id, Temperature: *temperature, Checkpoint: cmpOr(checkpoint, "门岗")}, health.SourceGate, known); err != nil {
				return err
			}
		}
		var temp any
		if temperature != nil {
			temp = *temperature
		}
		now := tx.now()
		_, err := tx.insertRow(insertGateScan, nullID(entID), "employee", nullID(passID), nullID(personID), res.Allow, res.Code, temp, res.Person,
			roster.FormatDate(now, s.pol.Location()), nullID(actor.UserID), now, registerCheckpoint(checkpoint))
		return err
	})
	return res, err
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return strings.TrimSpace(a)
	}
	return b
}

// holder is the person a scanned pass belongs to.
type holder struct {
	id int64
	person
	entrance string // the registered single entrance of the enterprise, if any
}

// passState is what a scan checks of a pass: the pass, its holder, the enterprise's
// entrance and whether it holds a valid notice.
type passState struct {
	holder
	status, reason, token string
	left                  bool
	notices               int
	suspended             int // notices suspended (停产整顿), not revoked
}

// passState reads the state of pass id from committed data, kept briefly: what it holds
// changes by a Write, or by a fever's suspension, and either makes it forgotten.
func (s *Store) passState(ctx context.Context, id int64) (passState, bool, error) {
	return remember(s.DB, fmt.Sprint("pass ", id), func() (passState, bool, error) {
		var st passState
		var left sql.NullTime
		err := s.DB.queryRow(ctx, sqlPassState, id).Scan(&st.id, &st.entID, &st.status, &st.reason, &st.token, &st.name, &left, &st.entrance, &st.notices, &st.suspended)
		if isNoRows(err) {
			return st, false, nil
		}
		st.left = left.Valid
		return st, err == nil, err
	})
}

// enterpriseReached reports whether enterprise id lies in scope (the conditions of
// enterpriseScope), kept briefly: an enterprise leaves a scope only by a Write, which
// forgets it.
func (s *Store) enterpriseReached(ctx context.Context, scope where, id int64) (bool, error) {
	w := scope.clone()
	w.add("e.id = ?", id)
	n, _, err := remember(s.DB, fmt.Sprint("reach ", id, scope.sql(), scope.args), func() (int, bool, error) {
		var n int
		// The text varies only with the kind of scope.
		err := s.DB.queryRow(ctx, sqlReach(w), w.args...).Scan(&n)
		return n, err == nil, err
	})
	return n > 0, err
}

// scanFacts gathers what the gate decides on: the token's claims and the state of its
// pass, with the holder when the pass is found.
func (s *Store) scanFacts(ctx context.Context, v *sign.Verifier, token string) (gate.Facts, holder, error) {
	var f gate.Facts
	f.Claims, f.TokenErr = v.Verify(token, s.DB.Now())
	// A genuine pass past its expiry is still known: its scan is refused, and logged with
	// the pass and its holder like any other.
	if f.TokenErr != nil && !errors.Is(f.TokenErr, sign.ErrExpired) || f.Claims.Kind != sign.PassKind {
		return f, holder{}, nil
	}
	st, found, err := s.passState(ctx, f.Claims.ID)
	if err != nil {
		return f, holder{}, err
	}
	token = strings.TrimSpace(token)
	if !found || st.token != token && !strings.HasSuffix(token, st.token) || st.id != f.Claims.SubjectID {
		return f, holder{}, nil
	}
	f.Found, f.Status, f.Reason, f.Left, f.Enterprise, f.NoticeValid, f.Entrance =
		true, st.status, st.reason, st.left, st.entID, st.notices > 0, st.entrance
	f.NoticeSuspended = st.notices == 0 && st.suspended > 0
	return f, st.holder, nil
}

// Register logs a visitor (name, phone, ID number kept masked only, purpose, host,
// temperature) or a vehicle (plate, driver, driver's temperature, whether the freight was
// disinfected). A fever or undisinfected freight is logged as refused.
func (h *Gate) Register(ctx context.Context, actor auth.Principal, e gate.Entry, idNumber string) (gate.Entry, error) {
	s := h.s
	if !actor.Can(auth.GateScan) {
		return gate.Entry{}, apperr.NewForbidden()
	}
	if e.EnterpriseID == 0 && actor.Scope.Kind == auth.ScopeEnterprise {
		e.EnterpriseID = actor.Scope.ID
	}
	if err := s.enterpriseInScope(ctx, actor, e.EnterpriseID); err != nil {
		return gate.Entry{}, err
	}
	if err := gate.CheckEntry(&e, idNumber); err != nil {
		return gate.Entry{}, err
	}
	var entrance string
	var entranceErr bool
	if s.pol.Gate.SingleEntrance && strings.TrimSpace(e.Checkpoint) != "" {
		err := s.DB.queryRow(ctx, `SELECT entrance FROM enterprises WHERE id = ?`, e.EnterpriseID).Scan(&entrance)
		entranceErr = err != nil && !isNoRows(err)
	}
	gate.DecideEntry(s.pol, &e, entrance, entranceErr)
	t := *e.Temperature
	err := s.DB.write(ctx, func(tx *txn) error {
		e.At = tx.now()
		var fd any
		if e.FreightDisinfected != nil {
			fd = *e.FreightDisinfected
		}
		var err error
		e.ID, err = tx.insertID(`INSERT INTO gate_events (enterprise_id, kind, allow, reason, temperature, name, phone, id_masked, purpose, host, plate, freight_disinfected, day, operator_id, at, checkpoint)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.EnterpriseID, e.Kind, e.Allow, e.Reason, t, e.Name, e.Phone, e.IDMasked, e.Purpose, e.Host,
			e.Plate, fd, roster.FormatDate(e.At, s.pol.Location()), nullID(actor.UserID), e.At, registerCheckpoint(e.Checkpoint))
		return err
	})
	return e, err
}

// GateEntries lists today's gate log of the enterprises in scope, newest first.
func (h *Gate) Entries(ctx context.Context, actor auth.Principal, enterpriseID int64) ([]gate.Entry, error) {
	s := h.s
	if !actor.Can(auth.GateScan) {
		return nil, apperr.NewForbidden()
	}
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return nil, err
	}
	if enterpriseID != 0 {
		w.add("g.enterprise_id = ?", enterpriseID)
	}
	w.add("g.day = ?", roster.FormatDate(s.DB.Now(), s.pol.Location()))
	rows, err := s.DB.query(ctx, `SELECT g.id, g.enterprise_id, g.kind, g.allow, g.reason, g.temperature, g.name, g.phone, g.id_masked, g.purpose, g.host, g.plate,
		g.freight_disinfected, g.at FROM gate_events g JOIN enterprises e ON e.id = g.enterprise_id`+w.sql()+` ORDER BY g.id DESC LIMIT 200`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []gate.Entry{}
	for rows.Next() {
		var g gate.Entry
		var temp sql.NullFloat64
		var fd sql.NullBool
		if err := rows.Scan(&g.ID, &g.EnterpriseID, &g.Kind, &g.Allow, &g.Reason, &temp, &g.Name, &g.Phone, &g.IDMasked, &g.Purpose, &g.Host, &g.Plate, &fd, &g.At); err != nil {
			return nil, err
		}
		if temp.Valid {
			t := temp.Float64
			g.Temperature = &t
		}
		if fd.Valid {
			b := fd.Bool
			g.FreightDisinfected = &b
		}
		g.At = g.At.UTC()
		out = append(out, g)
	}
	return out, rows.Err()
}
