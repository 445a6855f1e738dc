package store

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/roster"
)

// roomLockSpace keeps the room locks' advisory keys apart from the other advisory locks
// (which are small numbers): the key is this namespace in the high bits and the
// enterprise id in the low 32.
const roomLockSpace int64 = 7243010 << 32

// lockRooms makes the room checks of one enterprise take turns until tx ends: on
// PostgreSQL with a transaction-scoped advisory lock per enterprise; SQLite has one
// writer already.
func lockRooms(tx *txn, enterpriseID int64) error {
	if tx.engine() != Postgres {
		return nil
	}
	_, err := tx.exec(`SELECT pg_advisory_xact_lock(?)`, roomLockSpace|(enterpriseID&0xffffffff))
	return err
}

// Rooms returns the room board of the enterprise (or, with 0, of every enterprise in
// scope); people who have left are not on it. An enterprise outside the scope is not
// found.
func (h *Roster) Rooms(ctx context.Context, actor auth.Principal, enterpriseID int64) (roster.RoomBoard, error) {
	s := h.s
	b := roster.RoomBoard{DormCapacity: roster.DormCapacity(s.pol), IsolationCapacity: roster.IsolationCapacity(s.pol),
		ToAssign: []roster.RoomPerson{}, IsolationRooms: []roster.Room{}, DormRooms: []roster.Room{}}
	if !actor.Can(auth.RosterView) {
		return b, apperr.NewForbidden()
	}
	if enterpriseID == 0 && actor.Scope.Kind == auth.ScopeEnterprise {
		enterpriseID = actor.Scope.ID
	}
	if enterpriseID != 0 {
		if err := s.enterpriseInScope(ctx, actor, enterpriseID); err != nil {
			return b, err
		}
	}
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return b, err
	}
	if enterpriseID != 0 {
		w.add("m.enterprise_id = ?", enterpriseID)
	}
	w.add("m.left_at IS NULL")
	rows, err := s.DB.query(ctx, `SELECT m.id, m.enterprise_id, e.name, m.name, m.department, m.origin, m.return_date, m.journey_hours,
		m.dorm_room, m.isolation_room, m.version`+employeeFrom+w.sql()+` ORDER BY m.enterprise_id, m.id`, w.args...)
	if err != nil {
		return b, err
	}
	defer rows.Close()
	now := s.DB.Now()
	type key struct {
		ent  int64
		name string
	}
	dorms, isos := map[key]*roster.Room{}, map[key]*roster.Room{}
	room := func(m map[key]*roster.Room, p roster.RoomPerson, kind, name string, capacity int) {
		k := key{p.EnterpriseID, name}
		r := m[k]
		if r == nil {
			r = &roster.Room{EnterpriseID: p.EnterpriseID, EnterpriseName: p.EnterpriseName, Kind: kind, Name: name, Capacity: capacity}
			m[k] = r
		}
		r.Occupants = append(r.Occupants, p)
	}
	for rows.Next() {
		var e roster.Employee
		var ret string
		if err := rows.Scan(&e.ID, &e.EnterpriseID, &e.EnterpriseName, &e.Name, &e.Department, &e.Origin, &ret, &e.JourneyHours,
			&e.DormRoom, &e.IsolationRoom, &e.Version); err != nil {
			return b, err
		}
		e.ReturnDate, _ = roster.ParseDate(ret, s.pol.Location())
		st := s.status(e, now)
		p := roster.RoomPerson{ID: e.ID, EnterpriseID: e.EnterpriseID, EnterpriseName: e.EnterpriseName, Name: e.Name, Department: e.Department,
			DormRoom: e.DormRoom, IsolationRoom: e.IsolationRoom, Phase: st.Phase, Until: st.Until, Version: e.Version}
		b.People = append(b.People, p)
		if e.IsolationRoom != "" {
			room(isos, p, roster.RoomIsolation, e.IsolationRoom, b.IsolationCapacity)
		} else if st.Phase == roster.Isolating {
			b.ToAssign = append(b.ToAssign, p)
		}
		if e.DormRoom != "" {
			room(dorms, p, roster.RoomDorm, e.DormRoom, b.DormCapacity)
		}
	}
	if err := rows.Err(); err != nil {
		return b, err
	}
	sorted := func(m map[key]*roster.Room) []roster.Room {
		out := make([]roster.Room, 0, len(m))
		for _, r := range m {
			n := len(r.Occupants)
			r.Full = r.Capacity > 0 && n >= r.Capacity
			r.Over = r.Capacity > 0 && n > r.Capacity
			out = append(out, *r)
		}
		slices.SortFunc(out, func(a, b roster.Room) int {
			return cmp.Or(cmp.Compare(a.EnterpriseName, b.EnterpriseName), cmp.Compare(a.EnterpriseID, b.EnterpriseID), naturalCompare(a.Name, b.Name))
		})
		return out
	}
	b.IsolationRooms, b.DormRooms = sorted(isos), sorted(dorms)
	return b, nil
}

// naturalCompare orders room names as people read them: "2" before "10", "A-2" before "A-10".
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitsPrefix(a), digitsPrefix(b)
		if da != "" && db != "" {
			na, nb := strings.TrimLeft(da, "0"), strings.TrimLeft(db, "0")
			if c := cmp.Or(cmp.Compare(len(na), len(nb)), cmp.Compare(na, nb)); c != 0 {
				return c
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func digitsPrefix(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// AssignRoom puts an employee in scope into a dormitory and/or isolation room, moves
// them or clears the room, with the same checks as saving the person's file (room
// capacity from the policy, single isolation rooms), which take turns per enterprise so
// that two people cannot both take the last bed.
func (h *Roster) AssignRoom(ctx context.Context, actor auth.Principal, id int64, a roster.RoomAssignment) (roster.Item, error) {
	s := h.s
	if !actor.Can(auth.RosterEdit) {
		return roster.Item{}, apperr.NewForbidden()
	}
	old, err := s.Roster().Get(ctx, actor, id)
	if err != nil {
		return roster.Item{}, err
	}
	e, changed, err := roster.AssignRooms(s.pol, old.Employee, a)
	if err != nil {
		return roster.Item{}, err
	}
	if !changed {
		return old, nil
	}
	version := a.Version
	if version == 0 {
		version = old.Version
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		// Only the rooms that change are checked: staying in a room that a rule change
		// has made too full is not a new assignment.
		check := e
		if check.DormRoom == old.DormRoom {
			check.DormRoom = ""
		}
		if check.IsolationRoom == old.IsolationRoom {
			check.IsolationRoom = ""
		}
		var ps apperr.Problems
		if err := s.checkRooms(tx, check, &ps); err != nil {
			return err
		}
		if err := ps.Err(); err != nil {
			return err
		}
		res, err := tx.exec(`UPDATE employees SET dorm_room = ?, isolation_room = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
			e.DormRoom, e.IsolationRoom, tx.now(), e.ID, version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return apperr.NewConflict("该员工信息已被他人修改,请刷新后重试", "Someone else changed this employee meanwhile; reload and try again")
		}
		return tx.audit(actor, "employee.room", "employee", e.ID, map[string]any{"name": e.Name, "id_masked": e.IDMasked,
			"enterprise_id": e.EnterpriseID, "dorm_room": []string{old.DormRoom, e.DormRoom}, "isolation_room": []string{old.IsolationRoom, e.IsolationRoom}})
	})
	if err != nil {
		return roster.Item{}, err
	}
	return s.Roster().Get(ctx, actor, id)
}
