package roster

import (
	"fmt"

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
	var others []Occupant
	for _, o := range occupants {
		if o.ID != who.ID || who.ID == 0 {
			others = append(others, o)
		}
	}
	if len(others) == 0 {
		return nil
	}
	clause := pol.Clause("dormitory.max_per_room")
	if pol.Dormitory.QuarantineSingleRoom {
		if who.Isolating {
			return &apperr.Problem{Field: "dorm_room",
				Message:   fmt.Sprintf("隔离期人员须单人单间,该房间已住%d人", len(others)),
				MessageEN: fmt.Sprintf("A person in isolation must have a single room; this room already holds %d", len(others))}
		}
		for _, o := range others {
			if o.Isolating {
				return &apperr.Problem{Field: "dorm_room",
					Message:   "该房间住有隔离期人员" + o.Name + ",须单人单间",
					MessageEN: "This room holds " + o.Name + ", who is in isolation and must be alone"}
			}
		}
	}
	if max := pol.Dormitory.MaxPerRoom; max > 0 && len(others) >= max {
		p := &apperr.Problem{Field: "dorm_room",
			Message:   fmt.Sprintf("该房间已住%d人,每间最多%d人", len(others), max),
			MessageEN: fmt.Sprintf("This room already holds %d people; a room takes at most %d", len(others), max)}
		if clause != "" {
			p.Message += "(" + clause + ")"
			p.MessageEN += " (" + clause + ")"
		}
		return p
	}
	return nil
}
