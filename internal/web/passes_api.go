package web

import (
	"net/http"

	"fugong/internal/apperr"
	"fugong/internal/pass"
	"fugong/internal/roster"
	"fugong/internal/sign"
)

func (s *Server) apiPasses(w http.ResponseWriter, r *http.Request) error {
	f := passFilter(r)
	items, total, err := s.db.Passes().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiPassRequest(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		EmployeeIDs []int64 `json:"employee_ids"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	out, err := s.db.Passes().Request(r.Context(), principal(r), in.EmployeeIDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"items": out})
	return nil
}

func (s *Server) apiPassesApprove(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		IDs []int64 `json:"ids"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	out, err := s.db.Passes().Approve(r.Context(), principal(r), in.IDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiPassApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	if err := noBody(r); err != nil {
		return err
	}
	out, err := s.db.Passes().Approve(r.Context(), principal(r), []int64{id})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out[0])
	return nil
}

func (s *Server) apiPassReactivate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	if err := noBody(r); err != nil {
		return err
	}
	p, err := s.db.Passes().Reactivate(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiPassRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.db.Passes().Revoke(r.Context(), principal(r), id, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiPassesRevoked(w http.ResponseWriter, r *http.Request) error {
	ids, err := s.db.Passes().Revoked(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"ids": ids, "generated_at": s.db.Now().UTC(), "public_key": sign.PublicKeyText(s.pub)})
	return nil
}

func (s *Server) apiSuspendMissed(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Day string `json:"day"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, ok := roster.ParseDate(in.Day, s.pol.Location())
	if !ok || d.IsZero() {
		return apperr.NewInvalid("day", "日期格式应为 YYYY-MM-DD", "The date must be YYYY-MM-DD")
	}
	n, err := s.db.Passes().SuspendMissedChecks(r.Context(), principal(r), d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"suspended": n})
	return nil
}

// passSchemas are the OpenAPI schemas of the entry pass routes. They follow the JSON tags
// of store.Pass and the bodies the handlers decode; openapi_workforce_test.go calls the
// routes and compares.
func passSchemas() obj {
	ids := func(desc string) obj {
		return obj{"type": "array", "minItems": 1, "items": obj{"type": "integer", "format": "int64", "minimum": 1}, "description": desc}
	}
	passStatuses := []string{pass.Requested, pass.Active, pass.Suspended, pass.Revoked}
	passReasons := []string{pass.ReasonFever, pass.ReasonSymptom, pass.ReasonMissedChecks, pass.ReasonLeft, pass.ReasonManual, pass.ReasonGridRefused}
	return obj{
		"Pass": object("An entry pass 出入证 of an employee", []string{"id", "employee_id", "enterprise_id", "enterprise_name", "name", "department", "status", "requested_at"}, obj{
			"id":              id64(""),
			"employee_id":     id64(""),
			"enterprise_id":   id64(""),
			"enterprise_name": str(""),
			"name":            str("The holder's name, masked after the first character (张**)"),
			"department":      str(""),
			"status":          enum("requested: waits for the grid leader or the town; active: opens the gate; suspended: by a fever, a symptom or missed checks, until re-activated; revoked: for good", passStatuses...),
			"reason":          enum("Why the pass is suspended or revoked; absent otherwise", passReasons...),
			"token":           str("The signed token the QR code carries; absent until the pass is approved"),
			"requested_at":    stamp(""),
			"issued_at":       stamp("When it was approved and issued, or re-issued by re-activation; absent before"),
			"expires_at":      stamp("When its token stops opening the gate: midnight (the policy's time zone) after the policy's pass_valid_days, counting the day of issue; absent before approval. Re-activating renews an expired pass"),
			"approved_by":     id64("User who approved it; absent before"),
		}),
		"PassList": object("The entry passes in scope matching the filter, newest first, one page", []string{"items", "total", "page", "size"}, obj{
			"items": array(ref("Pass"), ""),
			"total": integer("Number of matching passes on all pages"),
			"page":  integer("The page number, from 1"),
			"size":  integer("Passes per page"),
		}),
		"PassItems": object("The passes requested or approved, in the order of the ids sent", []string{"items"}, obj{
			"items": array(ref("Pass"), ""),
		}),
		"PassRequest": object("Employees to ask passes for, all or none: each needs the enterprise's valid notice, a person cleared or monitored by the quarantine clock, and no pass that is not revoked",
			[]string{"employee_ids"}, obj{"employee_ids": ids("Employees of enterprises in scope")}),
		"PassApproval": object("Requested passes to approve and issue, all or none", []string{"ids"}, obj{"ids": ids("Pass ids")}),
		"PassRevoke": object("Why the pass is revoked", nil, obj{
			"reason": enum("left or manual (the default); fever, symptom and missed_checks are kept as sent; anything else is refused with 422", passReasons[:5]...),
		}),
		"RevokedPasses": object("The passes in scope that must not open the gate (suspended, revoked, of a person who has left, or of an enterprise without a valid notice), for gates that check offline",
			[]string{"ids", "generated_at", "public_key"}, obj{
				"ids":          array(id64(""), "Pass ids, ascending"),
				"generated_at": stamp("When the list was made (UTC)"),
				"public_key":   str("The Ed25519 public key that verifies the tokens, base64"),
			}),
		"SuspendMissedRequest": object("The day whose checks count", []string{"day"}, obj{
			"day": date("YYYY-MM-DD in the policy's time zone"),
		}),
		"SuspendMissedResult": object("How many passes were suspended", []string{"suspended"}, obj{
			"suspended": integer("Active passes suspended for missed checks"),
		}),
	}
}
