package web

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/notice"
)

func (s *Server) apiApplications(w http.ResponseWriter, r *http.Request) error {
	f, err := appFilterOf(r, s.pol)
	if err != nil {
		return err
	}
	items, total, err := s.db.Applications().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// appPatchInput is the API's body for the editable fields; pointers tell which were sent.
type appPatchInput struct {
	EnterpriseID    *int64                    `json:"enterprise_id"`
	PlannedAt       *time.Time                `json:"planned_at"`
	EarlyResumption *bool                     `json:"early_resumption"`
	GreenChannel    *bool                     `json:"green_channel"`
	Returning       *application.Returning    `json:"returning"`
	Supplies        *[]application.SupplyItem `json:"supplies"`
	IsolationRooms  *int                      `json:"isolation_rooms"`
	Dormitory       *[]application.DormRoom   `json:"dormitory"`
	Parts           *map[string]bool          `json:"parts"`
	Commitment      *application.Commitment   `json:"commitment"`
	SelfCheck       *map[string]bool          `json:"self_check"`
	Note            *string                   `json:"note"`
	Version         int                       `json:"version,omitempty"`
}

func (in appPatchInput) apply(a *application.Application) {
	if in.PlannedAt != nil {
		a.PlannedAt = in.PlannedAt.UTC()
	}
	setIf(&a.EarlyResumption, in.EarlyResumption)
	setIf(&a.GreenChannel, in.GreenChannel)
	setIf(&a.Returning, in.Returning)
	setIf(&a.Supplies, in.Supplies)
	setIf(&a.IsolationRooms, in.IsolationRooms)
	setIf(&a.Dormitory, in.Dormitory)
	setIf(&a.Parts, in.Parts)
	setIf(&a.Commitment, in.Commitment)
	setIf(&a.SelfCheck, in.SelfCheck)
	setIf(&a.Note, in.Note)
}

// appReadOnly are fields of the Application JSON that the server sets.
var appReadOnly = []string{"id", "status", "policy_version", "filed_by", "on_behalf", "attachments", "created_at", "updated_at",
	"submitted_at", "decided_at", "enterprise_name", "region_code", "region_name", "route_unit", "first_review_unit",
	"stage_role", "stage_unit", "priority", "due_at"}

// decodeAppJSON decodes an application body, saying which fields are read-only.
func decodeAppJSON(r *http.Request, dst any) error {
	err := decodeJSON(r, dst)
	if e, ok := apperr.As(err); ok && len(e.Problems) == 1 && slices.Contains(appReadOnly, e.Problems[0].Field) {
		f := e.Problems[0].Field
		hint, hintEN := "", ""
		if f == "status" {
			hint, hintEN = ";状态请用 /submit 或 /transitions 改变", "; change the status with /submit or /transitions"
		}
		return apperr.NewInvalid(f, "字段 "+f+" 由系统填写,不能修改"+hint, "The field "+f+" is set by the server and cannot be changed"+hintEN)
	}
	return err
}

func (s *Server) apiApplicationCreate(w http.ResponseWriter, r *http.Request) error {
	var in appPatchInput
	if err := decodeAppJSON(r, &in); err != nil {
		return err
	}
	if in.EnterpriseID == nil || *in.EnterpriseID <= 0 {
		return apperr.NewInvalid("enterprise_id", "请给出企业编号 enterprise_id", "Give the enterprise's id in enterprise_id")
	}
	a := application.Application{EnterpriseID: *in.EnterpriseID}
	in.apply(&a)
	v, err := s.db.Applications().Create(r.Context(), principal(r), a)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/applications/%d", v.ID))
	writeJSON(w, http.StatusCreated, v)
	return nil
}

// appWaitingJSON is the stage that waits for its actor.
type appWaitingJSON struct {
	Stage     string `json:"stage"`
	StageName string `json:"stage_name"`
	Role      string `json:"role"`
	Unit      string `json:"unit,omitempty"`
	UnitName  string `json:"unit_name,omitempty"`
}

// appActionJSON is an action the caller may take now.
type appActionJSON struct {
	Action          application.Action `json:"action"`
	Label           string             `json:"label"`
	LabelEN         string             `json:"label_en"`
	To              string             `json:"to"`
	CommentRequired bool               `json:"comment_required"`
	Checklist       bool               `json:"checklist"`
}

// appDetailJSON is an application with its checks, the caller's actions and its history.
type appDetailJSON struct {
	application.View
	StatusName   string                   `json:"status_name"`
	StatusNameEN string                   `json:"status_name_en"`
	Waiting      *appWaitingJSON          `json:"waiting,omitempty"`
	Checks       []application.Outcome    `json:"checks"`
	Blocked      bool                     `json:"blocked"`
	Actions      []appActionJSON          `json:"actions"`
	Events       []application.Event      `json:"events"`
	Inspections  []application.Acceptance `json:"inspections"`
	Notice       *notice.Notice           `json:"notice"`
}

func (s *Server) apiApplication(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	v, e, err := s.appByPath(r)
	if err != nil {
		return err
	}
	id := v.ID
	d := appDetailJSON{View: v, Checks: s.appChecks(e, v.Application), Actions: []appActionJSON{}}
	d.StatusName, d.StatusNameEN = application.StatusName(s.pol, e, v.Application)
	d.Blocked = application.Blocked(d.Checks)
	if st, ok := application.StageOf(s.pol, e, v.Application); ok {
		role, unit := s.pol.StageActor(st, application.RouteFor(s.pol, e))
		d.Waiting = &appWaitingJSON{Stage: st.Code, StageName: st.Name, Role: role, Unit: unit, UnitName: s.appUnitName(unit, "zh")}
	}
	ts, err := s.appActions(ctx, p, e, v.Application)
	if err != nil {
		return err
	}
	for _, t := range ts {
		n := application.ActionNames[t.Action]
		d.Actions = append(d.Actions, appActionJSON{Action: t.Action, Label: n[0], LabelEN: n[1], To: t.To,
			CommentRequired: application.NeedsComment(t.Action), Checklist: t.Checklist})
	}
	if d.Events, err = s.db.Applications().Events(ctx, id); err != nil {
		return err
	}
	if d.Inspections, err = s.db.Applications().Acceptances(ctx, id); err != nil {
		return err
	}
	if d.Notice, err = s.db.Applications().Notice(ctx, id); err != nil {
		return err
	}
	if d.Checks == nil {
		d.Checks = []application.Outcome{}
	}
	if d.Events == nil {
		d.Events = []application.Event{}
	}
	if d.Inspections == nil {
		d.Inspections = []application.Acceptance{}
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiApplicationPatch(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	v, err := s.db.Applications().Get(ctx, p, id)
	if err != nil {
		return err
	}
	var in appPatchInput
	if err := decodeAppJSON(r, &in); err != nil {
		return err
	}
	if in.EnterpriseID != nil && *in.EnterpriseID != v.EnterpriseID {
		return apperr.NewInvalid("enterprise_id", "申请的企业不能更改", "The enterprise of an application cannot be changed")
	}
	a := v.Application
	in.apply(&a)
	updated, err := s.db.Applications().Update(ctx, p, a, in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, updated)
	return nil
}

func (s *Server) apiApplicationSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	var in struct {
		Version int `json:"version"`
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := decodeJSONBody(r, body, &in); err != nil {
			return err
		}
	}
	// A refusal by the policy's checks names every failed blocking rule with its clause.
	_, err = s.db.Applications().Transition(ctx, p, id, application.Request{Action: application.Submit, Version: in.Version})
	if err != nil {
		return err
	}
	v, err := s.db.Applications().Get(ctx, p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// appTransitionInput is the API's body for an action.
type appTransitionInput struct {
	Action     application.Action `json:"action"`
	Comment    string             `json:"comment"`
	Version    int                `json:"version"`
	Inspection *struct {
		Items     []application.ItemResult `json:"items"`
		Opinion   string                   `json:"opinion"`
		Signature string                   `json:"signature"`
	} `json:"inspection"`
}

// appTransitionResult is the answer to an action.
type appTransitionResult struct {
	From   string         `json:"from"`
	To     string         `json:"to"`
	Notice *notice.Notice `json:"notice"`
}

func (s *Server) apiApplicationTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	var in appTransitionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	req := application.Request{Action: in.Action, Comment: in.Comment, Version: in.Version}
	if in.Inspection != nil {
		req.Acceptance = &application.Acceptance{Items: in.Inspection.Items, Opinion: in.Inspection.Opinion, Signature: in.Inspection.Signature}
	}
	res, err := s.db.Applications().Transition(r.Context(), principal(r), id, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, appTransitionResult{From: res.From, To: res.To, Notice: res.Notice})
	return nil
}

func (s *Server) apiApplicationAttach(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principal(r)
	id, err := pathID(r, "申请")
	if err != nil {
		return err
	}
	v, err := s.db.Applications().Get(ctx, p, id)
	if err != nil {
		return err
	}
	data, name, err := uploadedFile(r)
	if err != nil {
		return err
	}
	at, err := s.appAttach(ctx, p, v, r.FormValue("material"), name, data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, at)
	return nil
}

// --- OpenAPI ---

// applicationSchemas are the OpenAPI schemas of the application routes.
func applicationSchemas() obj {
	dateTime := func(desc string) obj { return obj{"type": "string", "format": "date-time", "description": desc} }
	count := func(desc string) obj {
		return obj{"type": "integer", "minimum": 0, "maximum": 1_000_000, "description": desc}
	}
	actions := make([]string, 0, len(application.Actions))
	for _, a := range application.Actions {
		actions = append(actions, string(a))
	}
	props := obj{
		"enterprise_id":    id64("The enterprise; required when creating, cannot change"),
		"planned_at":       dateTime("Planned date and time of resumption (RFC 3339; pages show it in the policy's time zone)"),
		"early_resumption": boolean("Asks to resume before the policy's earliest resumption (needs the county's approval)"),
		"green_channel":    boolean("绿色通道: handled first"),
		"returning": object("Returning headcount by origin class (the policy's origin class codes)",
			[]string{"local", "city_other_district", "province_other_city", "other_province"}, obj{
				"local": count("本地"), "city_other_district": count("市内区外"),
				"province_other_city": count("省内市外"), "other_province": count("省外"),
			}),
		"supplies": obj{"type": []string{"array", "null"}, "description": "Supplies in stock; masks are counted one by one",
			"items": object("", []string{"item", "quantity"}, obj{
				"item":     obj{"type": "string", "enum": application.SupplyItems},
				"quantity": obj{"type": "integer", "minimum": 0, "maximum": 100_000_000},
				"unit":     str("For display; the item's usual unit when empty"),
			})},
		"isolation_rooms": obj{"type": "integer", "minimum": 0, "maximum": 10_000, "description": "Single rooms set aside for isolation and observation"},
		"dormitory": obj{"type": "array", "description": "Dormitory rooms (at most the policy's people per room)",
			"items": object("", []string{"name", "beds", "assigned"}, obj{
				"name": str("Room name or number"), "beds": integer(""), "assigned": integer("People housed"),
			})},
		"parts": obj{"type": "object", "additionalProperties": obj{"type": "boolean"},
			"description": "Material code → declared present inside another document (no separate file)"},
		"commitment": object("The commitment letter 承诺书", []string{"signed_by"}, obj{
			"signed_by": str("Name of the signer"), "signed_at": dateTime("Date signed"),
		}),
		"self_check": obj{"type": "object", "additionalProperties": obj{"type": "boolean"},
			"description": "Checklist item code → the enterprise checked it and it holds"},
		"note":    str("At most 2,000 characters"),
		"version": integer("Incremented by every change; send it back to guard against concurrent edits (409 when stale)"),
		// Set by the server.
		"id":                readOnly(id64("")),
		"status":            readOnly(str("draft, returned, rejected, withdrawn, approved, revoked, or while under review the code of the last stage completed")),
		"policy_version":    readOnly(str("Version of the policy in force when it was last submitted")),
		"filed_by":          readOnly(id64("User who filed it")),
		"on_behalf":         readOnly(boolean("帮办代办: filed by an official or the park operator")),
		"attachments":       readOnly(obj{"type": "array", "items": ref("Attachment")}),
		"created_at":        timestamp(),
		"updated_at":        timestamp(),
		"submitted_at":      timestamp(),
		"decided_at":        timestamp(),
		"enterprise_name":   readOnly(str("")),
		"region_code":       readOnly(str("")),
		"region_name":       readOnly(str("")),
		"route_unit":        readOnly(str("Reviewing unit (policy unit code)")),
		"first_review_unit": readOnly(str("Unit that reviews first, when there is one")),
		"stage_role":        readOnly(str("Role that must act now")),
		"stage_unit":        readOnly(str("Unit that must act now")),
		"priority":          readOnly(obj{"type": "number", "description": "Place in the review queue: higher goes first"}),
		"due_at":            readOnly(obj{"type": "string", "format": "date-time", "description": "When a decision is due"}),
	}
	detail := obj{}
	for k, v := range props {
		detail[k] = v
	}
	detail["status_name"] = readOnly(str("The status in words (Chinese)"))
	detail["status_name_en"] = readOnly(str("The status in words (English)"))
	detail["waiting"] = object("The stage that waits for its actor", []string{"stage", "stage_name", "role"}, obj{
		"stage": str("Stage code"), "stage_name": str(""), "role": str("Role that acts"),
		"unit": str("Unit that acts, when one is named"), "unit_name": str(""),
	})
	detail["checks"] = obj{"type": "array", "items": ref("CheckOutcome"), "description": "Every rule of the policy evaluated: live for drafts, as of filing once submitted"}
	detail["blocked"] = boolean("A blocking rule fails: submitting is refused")
	detail["actions"] = obj{"type": "array", "items": ref("ApplicationAction"), "description": "What the caller may do now"}
	detail["events"] = obj{"type": "array", "items": ref("ApplicationEvent")}
	detail["inspections"] = obj{"type": "array", "items": ref("ApplicationInspection")}
	detail["notice"] = obj{"oneOf": []obj{ref("ApplicationNotice"), {"type": "null"}}, "description": "The resumption notice, once issued"}

	return obj{
		"Application": object("A resumption application 复工复产申请. Create: enterprise_id and any editable fields. PATCH: any editable fields (the others keep their value) and version; read-only fields are refused.",
			[]string{"id", "enterprise_id", "status", "version"}, props),
		"ApplicationList":   listSchema("Application"),
		"ApplicationDetail": object("An application with its checks, the caller's actions and its history", []string{"id", "enterprise_id", "status", "version", "checks", "actions", "events", "notice"}, detail),
		"CheckOutcome": object("One rule of the policy evaluated against the application", []string{"rule", "clause", "blocking", "passed", "message", "message_en"}, obj{
			"rule":       str("Rule code, e.g. supplies_masks"),
			"clause":     str("The clause of the policy or the seed the rule enforces"),
			"blocking":   boolean("A failed blocking rule stops the submission; an advisory one only warns"),
			"passed":     boolean(""),
			"message":    str("Chinese, with the figures"),
			"message_en": str("English"),
		}),
		"ApplicationAction": object("An action the caller may take now", []string{"action", "label", "label_en", "to", "comment_required", "checklist"}, obj{
			"action":           obj{"type": "string", "enum": actions},
			"label":            str("Button label (Chinese)"),
			"label_en":         str("Button label (English)"),
			"to":               str("Status it leads to"),
			"comment_required": boolean("A reason must be given"),
			"checklist":        boolean("Needs the on-site checklist (inspection)"),
		}),
		"ApplicationEvent": object("A recorded transition", []string{"action", "from", "to", "actor_name", "actor_role", "comment", "policy_version", "at"}, obj{
			"action": str(""), "from": str(""), "to": str(""), "actor_name": str(""), "actor_role": str(""),
			"comment": str(""), "policy_version": str("Policy the decision applied"), "at": obj{"type": "string", "format": "date-time"},
		}),
		"ApplicationInspection": object("An on-site acceptance record 验收登记表", []string{"id", "stage", "inspector_name", "items", "opinion", "signature", "passed", "created_at"}, obj{
			"id": id64(""), "stage": str(""), "inspector_name": str(""),
			"items":   obj{"type": []string{"array", "null"}, "items": ref("CheckItemResult")},
			"opinion": str(""), "signature": str(""), "passed": boolean(""), "created_at": obj{"type": "string", "format": "date-time"},
		}),
		"CheckItemResult": object("One checklist item as the inspector found it", []string{"code", "result"}, obj{
			"code": str("Checklist item code"), "result": obj{"type": "string", "enum": []string{"pass", "fail", "na"}},
			"note": str("What must be fixed (required when failed)"),
		}),
		"ApplicationNotice": object("A resumption notice 复工复产通知书", []string{"id", "application_id", "enterprise_id", "serial", "token", "issued_at"}, obj{
			"id": id64(""), "application_id": id64(""), "enterprise_id": id64(""), "enterprise_name": str(""), "uscc": str(""),
			"issuer_unit": str("Policy unit code of the issuer"), "year": integer(""), "seq": integer("Gapless per issuer and year"),
			"serial": str("Serial number"), "token": str("Signed token (verify with /api/v1/verify)"),
			"issued_at": obj{"type": "string", "format": "date-time"}, "revoked_at": obj{"type": "string", "format": "date-time"},
			"revoke_reason": str(""),
		}),
		"Attachment": object("A file that stands for a material", []string{"material", "name", "sha256", "size", "content_type"}, obj{
			"material":     str("Material code of the policy, or inspection:<checklist item code> for on-site photos"),
			"name":         str("File name"),
			"sha256":       str("Content digest; download at /applications/{id}/files/{sha256}"),
			"size":         integer("Bytes"),
			"content_type": str(""),
		}),
		"TransitionRequest": object("An action on an application", []string{"action"}, obj{
			"action":  obj{"type": "string", "enum": actions},
			"comment": str("The reason; required for return, fail, reject and revoke (the enterprise reads it)"),
			"version": integer("The version the actor saw; 409 when someone acted meanwhile"),
			"inspection": object("The on-site checklist, for pass and fail at a checklist stage", []string{"items", "opinion", "signature"}, obj{
				"items":     obj{"type": "array", "items": ref("CheckItemResult")},
				"opinion":   str("The inspector's opinion"),
				"signature": str("The inspector's name"),
			}),
		}),
		"TransitionResult": object("What an action did", []string{"from", "to", "notice"}, obj{
			"from":   str("Status before"),
			"to":     str("Status after"),
			"notice": obj{"oneOf": []obj{ref("ApplicationNotice"), {"type": "null"}}, "description": "The notice issued by this action, if any"},
		}),
	}
}
