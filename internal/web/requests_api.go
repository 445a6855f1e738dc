package web

import (
	"net/http"
	"strings"

	"fugong/internal/auth"
	"fugong/internal/request"
)

func (s *Server) apiRequests(w http.ResponseWriter, r *http.Request) error {
	f, err := s.requestFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Requests().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiRequestCreate(w http.ResponseWriter, r *http.Request) error {
	var in request.Input
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p := principal(r)
	if in.EnterpriseID == 0 && p.Scope.Kind == auth.ScopeEnterprise {
		in.EnterpriseID = p.Scope.ID // an enterprise's own account may leave it out
	}
	got, err := s.db.Requests().Raise(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, got)
	return nil
}

func (s *Server) apiRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "诉求")
	if err != nil {
		return err
	}
	got, err := s.db.Requests().Get(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, got)
	return nil
}

// requestTransition is the body of POST /api/v1/requests/{id}/transitions.
type requestTransition struct {
	request.Change
	Version int `json:"version"`
}

func (s *Server) apiRequestTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "诉求")
	if err != nil {
		return err
	}
	p := principal(r)
	var req requestTransition
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	got, err := s.db.Requests().Act(r.Context(), p, id, req.Change, req.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, got)
	return nil
}

// apiRequestAttach attaches a file (multipart: file) to a request on the enterprise's side.
func (s *Server) apiRequestAttach(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "诉求")
	if err != nil {
		return err
	}
	p := principal(r)
	if _, err := s.db.Requests().Get(r.Context(), p, id); err != nil {
		return err
	}
	data, name, err := uploadedFile(r)
	if err != nil {
		return err
	}
	st, err := s.putFile(name, data)
	if err != nil {
		return err
	}
	got, err := s.db.Requests().Attach(r.Context(), p, id, request.File{Name: name, SHA256: st.SHA256, ContentType: st.ContentType, Size: st.Size})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, got)
	return nil
}

func (s *Server) requestFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "诉求")
	if err != nil {
		return err
	}
	f, err := s.db.Requests().File(r.Context(), principal(r), id, strings.ToLower(r.PathValue("sha")))
	if err != nil {
		return err
	}
	return s.serveStored(w, r, f.Name, f.SHA256, f.ContentType)
}

// requestSchemas are the OpenAPI schemas of the enterprise requests.
func requestSchemas() obj {
	statuses := make([]string, len(request.Statuses))
	for i, st := range request.Statuses {
		statuses[i] = string(st)
	}
	actions := make([]string, len(request.Actions))
	for i, a := range request.Actions {
		actions[i] = string(a)
	}
	return obj{
		"RequestInput": object("A request for help of an enterprise, raised by the enterprise or on its behalf (its park, its town or grid officials)",
			[]string{"kind", "description"}, obj{
				"enterprise_id": id64("The enterprise (an enterprise's own account may leave it out)"),
				"kind":          str("Kind of the policy ([[request_kinds]]): labour, materials, logistics, finance, supplies, policy, approval, other …"),
				"description":   str("What help is needed (5–2000 characters)"),
				"urgent":        boolean("Urgent: the policy's shorter deadline"),
			}),
		"Request": object("A request with the unit that handles it now and its deadline; actions are what the caller may do now",
			[]string{"id", "enterprise_id", "enterprise_name", "kind", "description", "urgent", "status", "unit", "region_code", "escalated", "due", "overdue", "version", "attachments", "actions"}, obj{
				"id":              id64("Request id"),
				"enterprise_id":   id64("The enterprise"),
				"enterprise_name": str("Its name"),
				"kind":            str("Kind code"),
				"description":     str("What help is needed"),
				"urgent":          boolean("Urgent"),
				"status":          enum("open: with a unit; answered: waiting for the enterprise; solved: confirmed and rated", statuses...),
				"unit":            str("The policy's unit that handles it now"),
				"region_code":     str("The region that unit acts in"),
				"escalated":       boolean("Escalated to the policy's escalation unit"),
				"answer":          str("The unit's answer"),
				"rating":          integer("The enterprise's rating, 1–5, once solved"),
				"feedback":        str("The enterprise's words on confirming, or why it is not solved"),
				"due":             stamp("Answer by then"),
				"overdue":         boolean("Open past its deadline"),
				"raised_by":       str("Who raised it"),
				"answered_at":     stamp("When it was answered"),
				"solved_at":       stamp("When it was confirmed solved"),
				"created_at":      timestamp(),
				"updated_at":      timestamp(),
				"version":         integer("Send it back to guard against concurrent handling"),
				"attachments": array(object("An attachment", []string{"name", "sha256", "content_type", "size"}, obj{
					"name": str("File name"), "sha256": str("Digest: GET /requests/{id}/files/{sha}"), "content_type": str("Type"), "size": integer("Bytes"),
				}), "Attachments"),
				"actions": array(enum("", actions...), "What the caller may do now"),
			}),
		"RequestList": listSchema("Request"),
		"RequestTransition": object("Act on a request: answer (comment), transfer (unit, comment: the reason), escalate (comment: the reason) by the unit; confirm (rating 1–5, comment) or reopen (comment: what is not solved) by the enterprise's side",
			[]string{"action"}, obj{
				"action":  enum("The action", actions...),
				"comment": str("The answer, the reason or the feedback"),
				"unit":    str("transfer: the unit it goes to"),
				"rating":  integer("confirm: 1–5"),
				"version": integer("The version read"),
			}),
	}
}
