package roster

import (
	"fugong/internal/apperr"
	"fugong/internal/policy"
	"time"
)

// Room kinds.
const (
	RoomDorm      = "dorm"
	RoomIsolation = "isolation"
)

// RoomPerson is a person on the room board, with the clock's phase today.
type RoomPerson struct {
	ID             int64     `json:"id"`
	EnterpriseID   int64     `json:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name"`
	Name           string    `json:"name"`
	Department     string    `json:"department"`
	DormRoom       string    `json:"dorm_room"`
	IsolationRoom  string    `json:"isolation_room"`
	Phase          Phase     `json:"phase"`
	Until          time.Time `json:"until,omitzero"`
	Version        int       `json:"version"`
}

// Room is a dormitory or isolation room of an enterprise with the people in it. Capacity
// is the policy's (0: no limit).
type Room struct {
	EnterpriseID   int64        `json:"enterprise_id"`
	EnterpriseName string       `json:"enterprise_name"`
	Kind           string       `json:"kind"`
	Name           string       `json:"name"`
	Capacity       int          `json:"capacity"`
	Occupants      []RoomPerson `json:"occupants"`
	Full           bool         `json:"full"`
	Over           bool         `json:"over"` // more people than the policy allows (rooms filled before a rule changed)
}

// RoomBoard is the rooms of the enterprises in scope: first the people who must isolate
// and have no isolation room, then the isolation rooms, then the dormitory rooms.
type RoomBoard struct {
	ToAssign          []RoomPerson `json:"to_assign"`
	IsolationRooms    []Room       `json:"isolation_rooms"`
	DormRooms         []Room       `json:"dorm_rooms"`
	DormCapacity      int          `json:"dorm_capacity"`
	IsolationCapacity int          `json:"isolation_capacity"`
	People            []RoomPerson `json:"-"` // everyone on the rosters (for the page's pickers)
}

// RoomAssignment is a change of an employee's rooms: a nil field stays as it is, an empty
// one clears the room. Version, when not zero, must match the stored version.
type RoomAssignment struct {
	DormRoom      *string `json:"dorm_room"`
	IsolationRoom *string `json:"isolation_room"`
	Version       int     `json:"version,omitempty"`
}

// AssignRooms applies a change of rooms to a person: the person with the rooms changed,
// and whether anything changed. The rooms follow the person file's rules; a person who has
// left is given no new room (clearing one is allowed).
func AssignRooms(pol *policy.Policy, old Employee, a RoomAssignment) (Employee, bool, error) {
	if a.DormRoom == nil && a.IsolationRoom == nil {
		return old, false, apperr.NewInvalid("dorm_room", "请填写宿舍房间或隔离房间(留空表示取消安排)",
			"Give the dormitory room or the isolation room (empty clears it)")
	}
	e := old
	if a.DormRoom != nil {
		e.DormRoom = *a.DormRoom
	}
	if a.IsolationRoom != nil {
		e.IsolationRoom = *a.IsolationRoom
	}
	e.Normalize()
	var ps apperr.Problems
	for _, p := range e.Validate(pol) {
		if p.Field == "dorm_room" || p.Field == "isolation_room" {
			ps = append(ps, p)
		}
	}
	changed := e.DormRoom != old.DormRoom || e.IsolationRoom != old.IsolationRoom
	if e.LeftAt != nil && (e.DormRoom != "" || e.IsolationRoom != "") && changed {
		ps.Add("dorm_room", e.Name+"已离职,不能安排房间", e.Name+" has left the enterprise and cannot be given a room")
	}
	return e, changed, ps.Err()
}
