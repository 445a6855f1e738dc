package roster

import (
	"fmt"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/policy"
)

// Occupant is a person in (or going into) a dormitory room, with whether they are isolating.
type Occupant struct {
	ID        int64
	Name      string
	Isolating bool
}

// CanAssign checks putting who into a dormitory room that already holds occupants (who
// themselves left out): at most the policy's Dormitory.MaxPerRoom people, and, when the
// policy keeps quarantined staff in single rooms, an isolating person alone and nobody
// into an isolating person's room. A nil result allows it.
func CanAssign(pol *policy.Policy, who Occupant, occupants []Occupant) *apperr.Problem {
	return CanAssignRoom(pol, "", who, occupants)
}

// DormCapacity is how many people a dormitory room takes under the policy (0: no limit).
func DormCapacity(pol *policy.Policy) int { return pol.Dormitory.MaxPerRoom }

// IsolationCapacity is how many people an isolation room takes under the policy: one when
// quarantined staff have single rooms, else as many as a dormitory room (0: no limit).
func IsolationCapacity(pol *policy.Policy) int {
	if pol.Dormitory.QuarantineSingleRoom {
		return 1
	}
	return pol.Dormitory.MaxPerRoom
}

// names lists the occupants' names for a message.
func names(os []Occupant, sep string) string {
	var b strings.Builder
	for i, o := range os {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(o.Name)
	}
	return b.String()
}

// roomWords names a room in a message: 「101」 and "room 101", or "this room" when unnamed.
func roomWords(kindZH, kindEN, room string) (string, string) {
	if room == "" {
		return "该房间", "this room"
	}
	return kindZH + "「" + room + "」", kindEN + " " + room
}

// CanAssignRoom is CanAssign for the dormitory room named room; the messages name the
// room and the people in it.
func CanAssignRoom(pol *policy.Policy, room string, who Occupant, occupants []Occupant) *apperr.Problem {
	var others []Occupant
	for _, o := range occupants {
		if o.ID != who.ID || who.ID == 0 {
			others = append(others, o)
		}
	}
	if len(others) == 0 {
		return nil
	}
	zhRoom, enRoom := roomWords("宿舍房间", "dormitory room", room)
	clause := pol.Clause("dormitory.max_per_room")
	if pol.Dormitory.QuarantineSingleRoom {
		if who.Isolating {
			return &apperr.Problem{Field: "dorm_room",
				Message:   fmt.Sprintf("隔离期人员须单人单间,%s已住%d人(%s)", zhRoom, len(others), names(others, "、")),
				MessageEN: fmt.Sprintf("A person in isolation must have a single room; %s already holds %d (%s)", enRoom, len(others), names(others, ", "))}
		}
		for _, o := range others {
			if o.Isolating {
				return &apperr.Problem{Field: "dorm_room",
					Message:   zhRoom + "住有隔离期人员" + o.Name + ",须单人单间",
					MessageEN: strings.ToUpper(enRoom[:1]) + enRoom[1:] + " holds " + o.Name + ", who is in isolation and must be alone"}
			}
		}
	}
	if max := DormCapacity(pol); max > 0 && len(others) >= max {
		p := &apperr.Problem{Field: "dorm_room",
			Message:   fmt.Sprintf("%s已住%d人(%s),每间最多%d人", zhRoom, len(others), names(others, "、"), max),
			MessageEN: fmt.Sprintf("%s already holds %d people (%s); a room takes at most %d", strings.ToUpper(enRoom[:1])+enRoom[1:], len(others), names(others, ", "), max)}
		if clause != "" {
			p.Message += "(" + clause + ")"
			p.MessageEN += " (" + clause + ")"
		}
		return p
	}
	return nil
}

// CanIsolate checks putting who into the isolation room named room that already holds
// occupants (who themselves left out): one person alone when the policy keeps quarantined
// staff in single rooms, otherwise at most a dormitory room's number. A nil result allows it.
func CanIsolate(pol *policy.Policy, room string, who Occupant, occupants []Occupant) *apperr.Problem {
	var others []Occupant
	for _, o := range occupants {
		if o.ID != who.ID || who.ID == 0 {
			others = append(others, o)
		}
	}
	max := IsolationCapacity(pol)
	if len(others) == 0 || max == 0 || len(others) < max {
		return nil
	}
	zhRoom, enRoom := roomWords("隔离房间", "isolation room", room)
	if max == 1 {
		p := &apperr.Problem{Field: "isolation_room",
			Message:   "隔离房间须单人单间," + zhRoom + "已安排" + names(others, "、"),
			MessageEN: "Isolation rooms are single rooms; " + enRoom + " is taken by " + names(others, ", ")}
		if c := pol.Clause("dormitory.quarantine_single_room"); c != "" {
			p.Message += "(" + c + ")"
			p.MessageEN += " (" + c + ")"
		}
		return p
	}
	return &apperr.Problem{Field: "isolation_room",
		Message:   fmt.Sprintf("%s已住%d人(%s),每间最多%d人", zhRoom, len(others), names(others, "、"), max),
		MessageEN: fmt.Sprintf("%s already holds %d people (%s); a room takes at most %d", strings.ToUpper(enRoom[:1])+enRoom[1:], len(others), names(others, ", "), max)}
}
