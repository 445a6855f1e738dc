package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/roster"
)

// --- room board (/roster/rooms) ---

type roomsData struct {
	rosterHelp
	Board       roster.RoomBoard
	Enterprise  int64
	Enterprises *entPicker
	CanEdit     bool
	// Pick is true when one enterprise is shown: the page then offers the person picker.
	Pick bool
	// Rooms are the room names in use, for the inputs' suggestions.
	DormNames, IsolationNames []string
	SingleIsolation           bool
	Sections                  []roomSection
}

// roomSection is one table of rooms on the page; Field is the form field that moves a
// person within it.
type roomSection struct {
	ID, Title, Field, List string
	Rooms                  []roster.Room
}

func (s *Server) roomsData(r *http.Request, ent int64) (roomsData, error) {
	p := principal(r)
	d := roomsData{rosterHelp: s.rosterHelp(r), Enterprise: ent, CanEdit: p.Can(auth.RosterEdit), SingleIsolation: s.pol.Dormitory.QuarantineSingleRoom}
	b, err := s.db.Roster().Rooms(r.Context(), p, ent)
	if err != nil {
		return d, err
	}
	d.Board = b
	d.Sections = []roomSection{{"isolation-rooms", "Isolation rooms and who is in them", "isolation_room", "isolation-names", b.IsolationRooms},
		{"dorm-rooms", "Dormitory rooms and who is in them", "dorm_room", "dorm-names", b.DormRooms}}
	if d.Enterprises, err = s.rosterPicker(r, "enterprise", "eq", "", ent); err != nil {
		return d, err
	}
	if d.Enterprises != nil {
		d.Enterprises.All = true
	}
	d.Pick = ent != 0 || p.Scope.Kind == auth.ScopeEnterprise
	for _, rm := range b.DormRooms {
		d.DormNames = append(d.DormNames, rm.Name)
	}
	for _, rm := range b.IsolationRooms {
		d.IsolationNames = append(d.IsolationNames, rm.Name)
	}
	return d, nil
}

func (s *Server) roomsPage(w http.ResponseWriter, r *http.Request) error {
	ent, _ := strconv.ParseInt(r.URL.Query().Get("enterprise"), 10, 64)
	d, err := s.roomsData(r, ent)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "rooms", "Rooms", d, nil)
}

// roomAssign handles the page's forms: employee_id and the rooms the form carries
// (a field that is absent stays, an empty one clears the room).
func (s *Server) roomAssign(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	f := r.PostForm
	ent, _ := strconv.ParseInt(f.Get("enterprise"), 10, 64)
	id, _ := strconv.ParseInt(strings.TrimSpace(f.Get("employee_id")), 10, 64)
	var a roster.RoomAssignment
	if v, ok := f["dorm_room"]; ok {
		a.DormRoom = &v[0]
	}
	if v, ok := f["isolation_room"]; ok {
		a.IsolationRoom = &v[0]
	}
	p := principal(r)
	var err error
	var it roster.Item
	if id == 0 {
		err = apperr.NewInvalid("employee_id", "请选择要安排房间的人员", "Choose the person to give a room")
	} else {
		it, err = s.db.Roster().AssignRoom(r.Context(), p, id, a)
	}
	if err == nil {
		flash(w, fmt.Sprintf(translate(langOf(r), "Rooms of %s saved"), it.Name))
		back := "/roster/rooms"
		if ent != 0 {
			back += "?enterprise=" + strconv.FormatInt(ent, 10)
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	switch k := apperr.KindOf(err); k {
	case apperr.Invalid, apperr.Conflict:
		d, derr := s.roomsData(r, ent)
		if derr != nil {
			return derr
		}
		return s.render(w, r, statusOf[k], "rooms", "Rooms", d, err)
	}
	return err
}
