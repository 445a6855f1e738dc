package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/notice"
)

const busCols = `b.id, b.enterprise_id, e.name, b.plate, b.route, b.seats, b.driver, b.driver_phone, b.status, b.comment, b.version, b.decided_at, b.created_at,
	COALESCE(l.id, 0), COALESCE(l.issuer_unit, ''), COALESCE(l.serial, ''), COALESCE(l.token, ''), l.issued_at, l.revoked_at, COALESCE(l.revoke_reason, '')`

const busFrom = ` FROM buses b JOIN enterprises e ON e.id = b.enterprise_id LEFT JOIN bus_letters l ON l.bus_id = b.id`

func scanBus(sc interface{ Scan(...any) error }) (notice.Bus, error) {
	var b notice.Bus
	var l notice.BusLetter
	var decided, issued, revoked sql.NullTime
	err := sc.Scan(&b.ID, &b.EnterpriseID, &b.EnterpriseName, &b.Plate, &b.Route, &b.Seats, &b.Driver, &b.DriverPhone, &b.Status,
		&b.Comment, &b.Version, &decided, &b.CreatedAt, &l.ID, &l.IssuerUnit, &l.Serial, &l.Token, &issued, &revoked, &l.RevokeReason)
	if decided.Valid {
		t := decided.Time.UTC()
		b.DecidedAt = &t
	}
	if l.ID != 0 {
		l.BusID, l.IssuedAt = b.ID, issued.Time.UTC()
		if revoked.Valid {
			t := revoked.Time.UTC()
			l.RevokedAt = &t
		}
		b.Letter = &l
	}
	return b, err
}

// ListBuses lists the buses of the enterprises in scope.
func (h *Buses) List(ctx context.Context, p auth.Principal, f notice.BusFilter) ([]notice.Bus, int, error) {
	s := h.s
	db := s.DB
	var w where
	if err := db.enterpriseScope(ctx, p, &w); err != nil {
		return nil, 0, err
	}
	if f.Enterprise != 0 {
		w.add("b.enterprise_id = ?", f.Enterprise)
	}
	if f.Status != "" {
		w.add("b.status = ?", f.Status)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*)`+busFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+busCols+busFrom+w.sql()+` ORDER BY b.id DESC`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []notice.Bus
	for rows.Next() {
		b, err := scanBus(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, b)
	}
	return out, total, rows.Err()
}

// GetBus returns a bus of an enterprise in scope.
func (h *Buses) Get(ctx context.Context, p auth.Principal, id int64) (notice.Bus, error) {
	s := h.s
	db := s.DB
	var w where
	if err := db.enterpriseScope(ctx, p, &w); err != nil {
		return notice.Bus{}, err
	}
	w.add("b.id = ?", id)
	b, err := scanBus(db.queryRow(ctx, `SELECT `+busCols+busFrom+w.sql(), w.args...))
	return b, notFound(err, "班车")
}

// AddBus registers a commuter bus for an enterprise in scope; the enterprise must be marked
// as running buses.
func (h *Buses) Add(ctx context.Context, p auth.Principal, b notice.Bus) (notice.Bus, error) {
	s := h.s
	db := s.DB
	if err := notice.CheckBus(&b); err != nil {
		return b, err
	}
	e, err := db.GetEnterprise(ctx, p, b.EnterpriseID)
	if err != nil {
		return b, err
	}
	if _, ok := application.MayFile(p, e.ID); !ok {
		return b, apperr.NewForbidden()
	}
	err = db.write(ctx, func(tx *txn) error {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM buses WHERE enterprise_id = ? AND plate = ?`, e.ID, b.Plate).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return notice.ErrBusRegistered
		}
		if !e.HasBus {
			if _, err := tx.exec(`UPDATE enterprises SET has_bus = TRUE, version = version + 1, updated_at = ? WHERE id = ?`, tx.now(), e.ID); err != nil {
				return err
			}
		}
		b.ID, err = tx.insertID(`INSERT INTO buses (enterprise_id, plate, route, seats, driver, driver_phone, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`, e.ID, b.Plate, b.Route, b.Seats, b.Driver, b.DriverPhone, tx.now(), tx.now())
		if err != nil {
			return err
		}
		return tx.audit(p, "bus.create", "enterprise", e.ID, map[string]any{"bus_id": b.ID, "plate": b.Plate, "seats": b.Seats})
	})
	if err != nil {
		return b, err
	}
	return s.Buses().Get(ctx, p, b.ID)
}

// DecideBus approves or rejects a pending bus: the department reviewing the enterprise,
// or a town official (the street office), decides.
func (h *Buses) Decide(ctx context.Context, p auth.Principal, id int64, approve bool, comment string, version int) (notice.Bus, error) {
	s := h.s
	db := s.DB
	if err := notice.CanDecideBus(p.Role); err != nil {
		return notice.Bus{}, err
	}
	b, err := s.Buses().Get(ctx, p, id)
	if err != nil {
		return b, err
	}
	comment = strings.TrimSpace(comment)
	status, err := notice.DecideBus(b, approve, comment)
	if err != nil {
		return b, err
	}
	err = db.write(ctx, func(tx *txn) error {
		res, err := tx.exec(`UPDATE buses SET status = ?, comment = ?, decided_by = ?, decided_at = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, status, comment, nullID(p.UserID), tx.now(), tx.now(), id, cmp.Or(version, b.Version))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewConflict("班车信息已被他人处理,请刷新", "Someone else acted on the bus meanwhile; reload")
		}
		return tx.audit(p, "bus."+status, "enterprise", b.EnterpriseID, map[string]any{"bus_id": id, "plate": b.Plate, "comment": comment})
	})
	if err != nil {
		return b, err
	}
	return s.Buses().Get(ctx, p, id)
}

// IssueBusLetter issues the numbered letter for an approved bus. The street or town office
// issues it; its series is the office's (issuer "town:<region code>"), gapless per year.
func (h *Buses) IssueLetter(ctx context.Context, p auth.Principal, busID int64) (notice.Bus, error) {
	s := h.s
	db, pol, signer := s.DB, s.pol, s.signer
	if err := notice.CanIssueLetter(p.Role); err != nil {
		return notice.Bus{}, err
	}
	b, err := s.Buses().Get(ctx, p, busID)
	if err != nil {
		return b, err
	}
	issuer, err := notice.LetterIssuer(p, b)
	if err != nil {
		return b, err
	}
	err = db.write(ctx, func(tx *txn) error {
		now := tx.now()
		year := notice.Year(pol, now)
		seq, err := tx.nextSerial(issuer, notice.SeriesBusLetter, year)
		if err != nil {
			return err
		}
		serial := pol.BusLetterSerial(year, seq)
		id, err := tx.insertID(`INSERT INTO bus_letters (bus_id, enterprise_id, issuer_unit, year, seq, serial, token, issued_at, issued_by)
			VALUES (?, ?, ?, ?, ?, ?, '', ?, ?)`, busID, b.EnterpriseID, issuer, year, seq, serial, now, nullID(p.UserID))
		if err != nil {
			return err
		}
		token, err := signer.SignBusLetter(id, serial, b.Plate, b.EnterpriseID, now)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE bus_letters SET token = ? WHERE id = ?`, token, id); err != nil {
			return err
		}
		res, err := tx.exec(`UPDATE buses SET status = ?, version = version + 1, updated_at = ? WHERE id = ? AND status = ?`, notice.BusLettered, now, busID, notice.BusApproved)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewConflict("意见函已由他人出具", "Someone else issued the letter meanwhile")
		}
		return tx.audit(p, "bus.letter", "enterprise", b.EnterpriseID, map[string]any{"bus_id": busID, "plate": b.Plate, "serial": serial})
	})
	if err != nil {
		return b, err
	}
	return s.Buses().Get(ctx, p, busID)
}

// letterStatus looks a letter up for online verification (public: no personal data).
func (h *Notices) letterStatus(ctx context.Context, id int64) (notice.Status, error) {
	s := h.s
	db := s.DB
	var st notice.Status
	var revoked sql.NullTime
	var plate string
	err := db.queryRow(ctx, `SELECT l.serial, e.name, b.plate, l.issued_at, l.revoked_at, l.revoke_reason
		FROM bus_letters l JOIN buses b ON b.id = l.bus_id JOIN enterprises e ON e.id = l.enterprise_id WHERE l.id = ?`, id).
		Scan(&st.Serial, &st.Enterprise, &plate, &st.IssuedAt, &revoked, &st.RevokeReason)
	if isNoRows(err) {
		return notice.Status{}, nil
	}
	if err != nil {
		return st, err
	}
	st.Found = true
	st.Enterprise = fmt.Sprintf("%s(%s)", st.Enterprise, plate)
	if revoked.Valid {
		t := revoked.Time.UTC()
		st.RevokedAt = &t
	}
	return st, nil
}
