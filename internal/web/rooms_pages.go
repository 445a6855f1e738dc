package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/files"
	"fugong/internal/store"
)

// --- room board (/roster/rooms) ---

type roomsData struct {
	rosterHelp
	Board       store.RoomBoard
	Enterprise  int64
	Enterprises []enterprise.Enterprise
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
	Rooms                  []store.Room
}

func (s *Server) roomsData(r *http.Request, ent int64) (roomsData, error) {
	p := principal(r)
	d := roomsData{rosterHelp: s.rosterHelp(r), Enterprise: ent, CanEdit: p.Can(auth.RosterEdit), SingleIsolation: s.pol.Dormitory.QuarantineSingleRoom}
	b, err := s.roster.Rooms(r.Context(), p, ent)
	if err != nil {
		return d, err
	}
	d.Board = b
	d.Sections = []roomSection{{"isolation-rooms", "Isolation rooms and who is in them", "isolation_room", "isolation-names", b.IsolationRooms},
		{"dorm-rooms", "Dormitory rooms and who is in them", "dorm_room", "dorm-names", b.DormRooms}}
	if d.Enterprises, err = s.rosterEnterprises(r); err != nil {
		return d, err
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
	var a store.RoomAssignment
	if v, ok := f["dorm_room"]; ok {
		a.DormRoom = &v[0]
	}
	if v, ok := f["isolation_room"]; ok {
		a.IsolationRoom = &v[0]
	}
	p := principal(r)
	var err error
	var it store.EmployeeItem
	if id == 0 {
		err = apperr.NewInvalid("employee_id", "请选择要安排房间的人员", "Choose the person to give a room")
	} else {
		it, err = s.roster.AssignRoom(r.Context(), p, id, a)
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

func (s *Server) apiRooms(w http.ResponseWriter, r *http.Request) error {
	ent, _ := strconv.ParseInt(r.URL.Query().Get("enterprise"), 10, 64)
	b, err := s.roster.Rooms(r.Context(), principal(r), ent)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) apiEmployeeRoom(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	if _, err := s.roster.Get(r.Context(), p, id); err != nil {
		return err // 404 outside the scope before the body is read
	}
	var a store.RoomAssignment
	if err := decodeJSON(r, &a); err != nil {
		return err
	}
	it, err := s.roster.AssignRoom(r.Context(), p, id, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.employeeOut(p, it))
	return nil
}

// --- home grid certificate ---

// certMaxSize is the largest certificate accepted: a phone photo or a scanned page.
const certMaxSize = 10 << 20

// certTypes are the certificate's accepted extensions: images and PDF.
var certTypes = []string{".jpg", ".jpeg", ".png", ".webp", ".pdf"}

func certAccept() string { return strings.Join(certTypes, ",") }

// readCertificate reads the "file" part of a multipart upload: an image or a PDF of at
// most certMaxSize, whose content must look like its type; it is kept in the file store.
func (s *Server) readCertificate(r *http.Request) (store.Certificate, error) {
	fl, h, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return store.Certificate{}, err
		}
		return store.Certificate{}, apperr.NewInvalid("file", "请选择要上传的证明文件(图片或 PDF)", "Choose the certificate file to upload (an image or a PDF)")
	}
	defer fl.Close()
	name := filepath.Base(strings.ReplaceAll(h.Filename, `\`, "/"))
	if filepath.Ext(name) == "" {
		name += photoExt[h.Header.Get("Content-Type")]
	}
	for utf8.RuneCountInString(name) > 200 {
		_, size := utf8.DecodeRuneInString(name)
		name = name[size:]
	}
	ext := strings.ToLower(filepath.Ext(name))
	ok := false
	for _, t := range certTypes {
		ok = ok || t == ext
	}
	if !ok {
		return store.Certificate{}, apperr.NewInvalid("file", "证明须为图片(jpg、png、webp)或 PDF 文件", "The certificate must be an image (jpg, png, webp) or a PDF")
	}
	if h.Size > certMaxSize {
		return store.Certificate{}, apperr.NewInvalid("file", fmt.Sprintf("证明文件不能超过 %d MB", certMaxSize>>20), fmt.Sprintf("The certificate must be at most %d MB", certMaxSize>>20))
	}
	st, err := s.files.Put(name, http.MaxBytesReader(nil, fl, certMaxSize))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return store.Certificate{}, apperr.NewInvalid("file", fmt.Sprintf("证明文件不能超过 %d MB", certMaxSize>>20), fmt.Sprintf("The certificate must be at most %d MB", certMaxSize>>20))
		}
		return store.Certificate{}, err
	}
	return store.Certificate{SHA256: st.SHA256, Name: name, ContentType: st.ContentType, Size: st.Size}, nil
}

// certificateUpload is the employee page's upload form.
func (s *Server) certificateUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	it, err := s.roster.Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	c, err := s.readCertificate(r)
	if err == nil {
		_, err = s.roster.SetCertificate(r.Context(), p, id, c)
	}
	if err == nil {
		flash(w, translate(langOf(r), "Certificate uploaded"))
		http.Redirect(w, r, fmt.Sprintf("/employees/%d#certificate", id), http.StatusSeeOther)
		return nil
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = apperr.NewInvalid("file", fmt.Sprintf("证明文件不能超过 %d MB", certMaxSize>>20), fmt.Sprintf("The certificate must be at most %d MB", certMaxSize>>20))
	}
	if apperr.KindOf(err) != apperr.Invalid {
		return err
	}
	return s.employeeForm(w, r, http.StatusUnprocessableEntity, it, false, err)
}

// certificateFile sends the certificate of an employee in scope: shown in the browser
// (images and PDF only are accepted).
func (s *Server) certificateFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	c, err := s.roster.Certificate(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	f, err := s.files.Open(c.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	ext := strings.ToLower(filepath.Ext(c.Name))
	if _, ok := files.Allowed[ext]; !ok {
		ext = ""
	}
	w.Header().Set("Content-Type", c.ContentType)
	w.Header().Set("Content-Disposition", "inline; filename=\"certificate"+ext+"\"; filename*=UTF-8''"+url.PathEscape(c.Name))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", c.UploadedAt, f)
	return nil
}

func (s *Server) apiCertificatePut(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	if _, err := s.roster.Get(r.Context(), p, id); err != nil {
		return err
	}
	c, err := s.readCertificate(r)
	if err != nil {
		return err
	}
	c, err = s.roster.SetCertificate(r.Context(), p, id, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// --- export with full ID numbers ---

// wantsFull reports whether the export asks for full ID numbers (?full=1).
func wantsFull(r *http.Request) bool {
	switch strings.ToLower(strings.TrimSpace(r.URL.Query().Get("full"))) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// roomSchemas are the OpenAPI schemas of the room board, room assignments and certificates.
func roomSchemas() obj {
	stamp := obj{"type": "string", "format": "date-time"}
	person := object("A person on the room board with the clock's phase today", []string{"id", "enterprise_id", "name", "phase"}, obj{
		"id": id64(""), "enterprise_id": id64(""), "enterprise_name": str(""), "name": str(""), "department": str(""),
		"dorm_room": str(""), "isolation_room": str(""), "version": obj{"type": "integer"}, "until": stamp,
		"phase": obj{"type": "string", "enum": []string{"isolating", "monitoring", "advised_not_return", "cleared", "not_returned"}},
	})
	room := object("A dormitory or isolation room with the people in it", []string{"enterprise_id", "kind", "name", "capacity", "occupants"}, obj{
		"enterprise_id": id64(""), "enterprise_name": str(""), "kind": obj{"type": "string", "enum": []string{store.RoomDorm, store.RoomIsolation}},
		"name": str(""), "capacity": obj{"type": "integer", "minimum": 0, "description": "From the policy; 0 = no limit"},
		"occupants": obj{"type": "array", "items": obj{"$ref": schemaRef + "RoomPerson"}},
		"full":      obj{"type": "boolean"}, "over": obj{"type": "boolean", "description": "More people than the policy allows now"},
	})
	return obj{
		"RoomPerson": person,
		"Room":       room,
		"RoomBoard": object("The rooms of an enterprise (or of every enterprise in scope): who must isolate and has no isolation room yet, then the rooms",
			[]string{"to_assign", "isolation_rooms", "dorm_rooms", "dorm_capacity", "isolation_capacity"}, obj{
				"to_assign":          obj{"type": "array", "items": obj{"$ref": schemaRef + "RoomPerson"}},
				"isolation_rooms":    obj{"type": "array", "items": obj{"$ref": schemaRef + "Room"}},
				"dorm_rooms":         obj{"type": "array", "items": obj{"$ref": schemaRef + "Room"}},
				"dorm_capacity":      obj{"type": "integer", "description": "People per dormitory room at most (policy [dormitory] max_per_room; 0 = no limit)"},
				"isolation_capacity": obj{"type": "integer", "description": "People per isolation room at most (1 when quarantine_single_room)"},
			}),
		"RoomAssignment": object("Rooms of a person: a field not sent stays, an empty string clears the room", nil, obj{
			"dorm_room": str("Dormitory room"), "isolation_room": str("Isolation room"), "version": obj{"type": "integer"},
		}),
		"Certificate": object("The home grid certificate (网格长出具的封闭期间情况证明) on file", []string{"employee_id", "sha256", "name", "content_type", "size", "uploaded_at"}, obj{
			"employee_id": id64(""), "sha256": str("SHA-256 of the file"), "name": str("File name as uploaded"),
			"content_type": obj{"type": "string", "enum": []string{"image/jpeg", "image/png", "image/webp", "application/pdf"}},
			"size":         obj{"type": "integer"}, "uploaded_at": stamp, "uploaded_by": id64("User who uploaded it"), "uploaded_by_name": str(""),
		}),
	}
}
