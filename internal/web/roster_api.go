package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/input"
	"fugong/internal/roster"
)

// employeeOut is an employee as the API sends it: the return date as a day, the plain ID
// number only to those who may edit the roster.
type employeeOut struct {
	roster.Item
	ReturnDate string `json:"return_date"`
}

func (s *Server) employeeOut(p auth.Principal, it roster.Item) employeeOut {
	if !p.Can(auth.RosterEdit) {
		it.IDNumber = ""
	}
	return employeeOut{it, roster.FormatDate(it.ReturnDate, s.pol.Location())}
}

type rosterList struct {
	listResponse[employeeOut]
	Counts roster.Counts `json:"counts"`
}

func (s *Server) apiEmployees(w http.ResponseWriter, r *http.Request) error {
	f, err := rosterFilter(r)
	if err != nil {
		return err
	}
	p := principal(r)
	items, total, counts, err := s.db.Roster().List(r.Context(), p, f)
	if err != nil {
		return err
	}
	out := make([]employeeOut, len(items))
	for i, it := range items {
		out[i] = s.employeeOut(p, it)
	}
	writeJSON(w, http.StatusOK, rosterList{newList(out, total, f.Page), counts})
	return nil
}

// employeeInput is the API's body for creating and patching: pointers tell which fields
// were sent.
type employeeInput struct {
	EnterpriseID      *int64   `json:"enterprise_id"`
	Name              *string  `json:"name"`
	IDNumber          *string  `json:"id_number"`
	Phone             *string  `json:"phone"`
	Department        *string  `json:"department"`
	Origin            *string  `json:"origin"`
	HomeAddress       *string  `json:"home_address"`
	ReturnDate        *string  `json:"return_date"`
	Transport         *string  `json:"transport"`
	JourneyHours      *float64 `json:"journey_hours"`
	Trajectory        *string  `json:"trajectory"`
	ContactHistory    *string  `json:"contact_history"`
	CohabitantsHealth *string  `json:"cohabitants_health"`
	DormRoom          *string  `json:"dorm_room"`
	IsolationRoom     *string  `json:"isolation_room"`
	Version           int      `json:"version,omitempty"`
}

func (in employeeInput) apply(e *roster.Employee, loc *time.Location) error {
	if e.ID == 0 {
		setIf(&e.EnterpriseID, in.EnterpriseID)
	}
	setIf(&e.Name, in.Name)
	setIf(&e.IDNumber, in.IDNumber)
	setIf(&e.Phone, in.Phone)
	setIf(&e.Department, in.Department)
	setIf(&e.Origin, in.Origin)
	setIf(&e.HomeAddress, in.HomeAddress)
	setIf(&e.Transport, in.Transport)
	setIf(&e.JourneyHours, in.JourneyHours)
	setIf(&e.Trajectory, in.Trajectory)
	setIf(&e.ContactHistory, in.ContactHistory)
	setIf(&e.CohabitantsHealth, in.CohabitantsHealth)
	setIf(&e.DormRoom, in.DormRoom)
	setIf(&e.IsolationRoom, in.IsolationRoom)
	if in.ReturnDate != nil {
		d, ok := roster.ParseDate(*in.ReturnDate, loc)
		if !ok {
			return apperr.NewInvalid("return_date", "返岗日期无法识别,请填写如 2020-02-10", "Unreadable return date; write it as 2020-02-10")
		}
		e.ReturnDate = d
	}
	return nil
}

func (s *Server) apiEmployeeCreate(w http.ResponseWriter, r *http.Request) error {
	var in employeeInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var e roster.Employee
	if err := in.apply(&e, s.pol.Location()); err != nil {
		return err
	}
	p := principal(r)
	created, err := s.db.Roster().Create(r.Context(), p, e)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/employees/%d", created.ID))
	writeJSON(w, http.StatusCreated, s.employeeOut(p, created))
	return nil
}

func (s *Server) apiEmployee(w http.ResponseWriter, r *http.Request) error {
	return s.apiEmployeeDo(w, r, s.db.Roster().Get)
}

// apiEmployeeDo applies do to the employee named by the {id} path value and answers the
// result as the API shows employees.
func (s *Server) apiEmployeeDo(w http.ResponseWriter, r *http.Request, do func(context.Context, auth.Principal, int64) (roster.Item, error)) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	it, err := do(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.employeeOut(p, it))
	return nil
}

func (s *Server) apiEmployeePatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	p := principal(r)
	it, err := s.db.Roster().Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	var in employeeInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e := it.Employee
	if err := in.apply(&e, s.pol.Location()); err != nil {
		return err
	}
	updated, err := s.db.Roster().Update(r.Context(), p, e, in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.employeeOut(p, updated))
	return nil
}

func (s *Server) apiEmployeeImport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	validOnly, err := input.Flag("valid_only", q.Get("valid_only"))
	if err != nil {
		return err
	}
	b, _, err := uploadedSheet(r)
	if err != nil {
		return err
	}
	sh, err := openSheet(b)
	if err != nil {
		return err
	}
	res, err := s.runRosterImport(r.Context(), nil, principal(r), sh, ent, validOnly)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !res.Written {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, res)
	return nil
}

func (s *Server) apiEmployeeLeave(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	return s.apiEmployeeDo(w, r, s.db.Roster().MarkLeft)
}

// apiEmployeeAccountCreate opens a staff account for the employee and links it.
func (s *Server) apiEmployeeAccountCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	var in struct {
		Username string `json:"username"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	acc, err := s.db.Roster().CreateAccount(r.Context(), principal(r), id, in.Username)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, acc)
	return nil
}

func (s *Server) apiEmployeeAccountGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	acc, err := s.db.Roster().Account(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, acc)
	return nil
}

// apiEmployeeAccount links {"user_id": N} or unlinks {"user_id": null} the employee's
// account.
func (s *Server) apiEmployeeAccount(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "员工")
	if err != nil {
		return err
	}
	var in struct {
		UserID json.RawMessage `json:"user_id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var acc roster.Account
	switch v := strings.TrimSpace(string(in.UserID)); v {
	case "":
		return apperr.NewInvalid("user_id", "请填写 user_id:要关联的员工账号编号,或 null 解除关联",
			"Give user_id: the staff account to link, or null to unlink")
	case "null":
		acc, err = s.db.Roster().UnlinkAccount(r.Context(), principal(r), id)
	default:
		uid, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || uid <= 0 {
			return apperr.NewInvalid("user_id", "user_id 应为账号编号(正整数)或 null", "user_id must be an account id (a positive whole number) or null")
		}
		acc, err = s.db.Roster().LinkAccount(r.Context(), principal(r), id, uid)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, acc)
	return nil
}

// rosterSchemas are the OpenAPI schemas of the roster routes, including the staff
// account linked to a person.
func rosterSchemas() obj {
	date := obj{"type": "string", "format": "date"}
	stamp := obj{"type": "string", "format": "date-time"}
	fields := func(withOutput bool) obj {
		props := obj{
			"enterprise_id": id64("The enterprise (filled in for enterprise users)"), "name": str("Full name"),
			"id_number": str("Resident ID number (GB 11643); in answers only for roster.edit"), "phone": str(""),
			"department": str("Department or team"), "origin": str("Origin class code of the policy (local, city_other_district, province_other_city, other_province)"),
			"home_address": str(""), "return_date": date, "transport": str(""), "journey_hours": obj{"type": "number", "minimum": 0},
			"trajectory": str("Travel of the last 14 days"), "contact_history": str(""), "cohabitants_health": str(""),
			"dorm_room": str(""), "isolation_room": str(""), "version": obj{"type": "integer"},
		}
		if withOutput {
			props["has_certificate"] = obj{"type": "boolean", "description": "The home grid certificate (封闭期间情况证明) is on file"}
			props["id"], props["id_masked"], props["enterprise_name"] = id64(""), str("Masked ID number, e.g. 3301**********1234"), str("")
			props["created_at"], props["updated_at"], props["left_at"] = stamp, stamp, stamp
			props["status"] = ref("ClockStatus")
		}
		return props
	}
	return obj{
		"ClockStatus": object("The quarantine and monitoring clock", []string{"phase"}, obj{
			"phase": obj{"type": "string", "enum": []string{"isolating", "monitoring", "advised_not_return", "cleared", "not_returned"}},
			"until": stamp, "days_left": obj{"type": "integer"}, "journey_too_long": obj{"type": "boolean"},
			"reason": str("Why, with the policy's figure and clause"), "reason_en": str(""),
		}),
		"Employee":      object("A person file (一人一档)", []string{"id", "enterprise_id", "name", "id_masked", "status"}, fields(true)),
		"EmployeeInput": object("Fields of a person file; on PATCH only the fields sent change", nil, fields(false)),
		"EmployeeList": object("A page of the roster with the clock's counts over every match", []string{"items", "total", "counts"}, obj{
			"items": obj{"type": "array", "items": obj{"$ref": schemaRef + "Employee"}}, "total": obj{"type": "integer"},
			"page": obj{"type": "integer"}, "size": obj{"type": "integer"},
			"counts": obj{"type": "object", "additionalProperties": obj{"type": "integer"},
				"description": "total, isolating, monitoring, advised_not_return, cleared, not_returned, cleared_tomorrow, journey_too_long"},
		}),
		"StaffAccount": object("A staff account of the enterprise", []string{"user_id", "username", "display_name", "disabled"}, obj{
			"user_id": id64(""), "username": str(""), "display_name": str(""), "disabled": boolean(""),
			"employee_id": id64("The person it is linked to; absent when none"),
		}),
		"EmployeeAccount": object("The account linked to a person and, for roster.edit, the enterprise's staff accounts free to link",
			[]string{"employee_id", "account", "candidates"}, obj{
				"employee_id": id64(""),
				"account":     obj{"oneOf": []obj{ref("StaffAccount"), {"type": "null"}}, "description": "null when none is linked"},
				"candidates":  obj{"type": "array", "items": ref("StaffAccount"), "description": "Empty unless the caller may link"},
			}),
		"AccountLink": object("The staff account to link, or null to unlink", []string{"user_id"}, obj{
			"user_id": obj{"type": []string{"integer", "null"}, "format": "int64"},
		}),
		"AccountCreate": object("The user name of the staff account to open for the person (its name, role staff and scope come from the person's file)", []string{"username"}, obj{
			"username": str("2–64 letters, digits or . _ @ -, starting with a letter or digit; the person's mobile number is a good choice"),
		}),
		"NewAccount": object("The staff account opened and linked, with its generated password (shown this once)", []string{"user", "password"}, obj{
			"user":     ref("User"),
			"password": str("Hand it to the person; it cannot be shown again"),
		}),
	}
}
