package web

import (
	"net/http"

	"fugong/internal/inspection"
	"fugong/internal/policy"
	"fugong/internal/rectify"
)

// checklistItem is one item of an inspection's checklist as the API and the phone page
// show it: the policy's item, the facts Fugong holds next to it, the result so far.
type checklistItem struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	NameEN      string `json:"name_en"`
	Clause      string `json:"clause,omitempty"`
	Fact        string `json:"fact,omitempty"`
	FactText    string `json:"fact_text,omitempty"`
	FactTextEN  string `json:"fact_text_en,omitempty"`
	FactWarning bool   `json:"fact_warning,omitempty"`
	Photos      int    `json:"photos"`
}

// inspectionDetail is an inspection with its checklist.
type inspectionDetail struct {
	inspection.Inspection
	Checklist []checklistItem `json:"checklist"`
}

func checklistItems(c inspection.Checklist) []checklistItem {
	out := make([]checklistItem, 0, len(c.Items))
	for _, it := range c.Items {
		ci := checklistItem{Code: it.Code, Name: it.Name, NameEN: it.NameEN, Clause: it.Clause, Fact: it.Fact, Photos: c.Photos[it.Code]}
		if it.Fact != "" {
			ci.FactText, ci.FactTextEN, ci.FactWarning = inspection.FactLine(it.Fact, c.Facts)
		}
		out = append(out, ci)
	}
	return out
}

func (s *Server) apiInspections(w http.ResponseWriter, r *http.Request) error {
	f, err := inspectionFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Inspections().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// planInput is the body of a planned inspection; unit and kind default to the first
// unit of the enterprise's split and the kind it makes.
type planInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Unit         string `json:"unit"`
	Kind         string `json:"kind"`
	PlannedOn    string `json:"planned_on"`
	Inspectors   string `json:"inspectors"`
}

func (s *Server) planInspection(r *http.Request, in planInput) (inspection.Inspection, error) {
	ctx, p := r.Context(), principal(r)
	if in.EnterpriseID > 0 && (in.Unit == "" || in.Kind == "") {
		if _, split, err := s.db.Inspections().Split(ctx, p, in.EnterpriseID); err == nil && len(split) > 0 {
			if in.Unit == "" {
				in.Unit = split[0].Unit
			}
			if in.Kind == "" {
				in.Kind = split[0].Kind
			}
		}
	}
	return s.db.Inspections().Plan(ctx, p, inspection.Inspection{EnterpriseID: in.EnterpriseID, Unit: in.Unit, Kind: in.Kind,
		PlannedOn: in.PlannedOn, Inspectors: in.Inspectors})
}

func (s *Server) apiInspectionCreate(w http.ResponseWriter, r *http.Request) error {
	var in planInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	got, err := s.planInspection(r, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, got)
	return nil
}

func (s *Server) inspectionDetail(r *http.Request) (inspectionDetail, inspection.Checklist, error) {
	id, err := pathID(r, "检查")
	if err != nil {
		return inspectionDetail{}, inspection.Checklist{}, err
	}
	in, err := s.db.Inspections().Get(r.Context(), principal(r), id)
	if err != nil {
		return inspectionDetail{}, inspection.Checklist{}, err
	}
	c, err := s.db.Inspections().Checklist(r.Context(), principal(r), in)
	if err != nil {
		return inspectionDetail{}, c, err
	}
	return inspectionDetail{Inspection: in, Checklist: checklistItems(c)}, c, nil
}

func (s *Server) apiInspection(w http.ResponseWriter, r *http.Request) error {
	d, _, err := s.inspectionDetail(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiInspectionPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "检查")
	if err != nil {
		return err
	}
	var in struct {
		PlannedOn  string `json:"planned_on"`
		Inspectors string `json:"inspectors"`
		Version    int    `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	got, err := s.db.Inspections().Reschedule(r.Context(), principal(r), id, in.PlannedOn, in.Inspectors, in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, got)
	return nil
}

// completed is the answer to a recorded inspection: it, and the orders it opened.
type completed struct {
	Inspection inspection.Inspection `json:"inspection"`
	Orders     []rectify.Order       `json:"orders"`
}

func (s *Server) apiInspectionComplete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "检查")
	if err != nil {
		return err
	}
	var in inspection.Completion
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	got, orders, err := s.db.Inspections().Complete(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, completed{Inspection: got, Orders: orderList(orders)})
	return nil
}

func orderList(o []rectify.Order) []rectify.Order {
	if o == nil {
		return []rectify.Order{}
	}
	return o
}

func (s *Server) apiInspectionsDue(w http.ResponseWriter, r *http.Request) error {
	rows, err := s.db.Inspections().Due(r.Context(), principal(r), r.URL.Query().Get("overdue") == "1" || r.URL.Query().Get("overdue") == "true")
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []inspection.PlanRow{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": rows, "total": len(rows)})
	return nil
}

// inspectionSchemas are the OpenAPI schemas of the inspection routes.
func inspectionSchemas() obj {
	item := object("One checklist item as the inspector found it", []string{"code", "result"}, obj{
		"code": str("The policy's item code"), "result": enum("", "pass", "fail", "na"),
		"note":     str("What is wrong (required for a failed item)"),
		"severity": enum("How grave a failure is: sets the rectification deadline; suspend orders 停产整顿", inspection.Severities...),
		"photos":   integer("Photos kept of the item"),
	})
	insp := obj{
		"id": id64(""), "enterprise_id": id64(""), "enterprise_name": str(""), "unit": str("The inspecting unit (policy unit code)"),
		"kind":       enum("routine 日常巡查, spot 抽查, unannounced 明察暗访, remote 远程视频, canteen 食堂专项检查, safety 安全检查, reinspection 复查", policy.InspectionKinds...),
		"planned_on": date("Planned day (policy time zone)"), "inspectors": str(""),
		"status": enum("", inspection.Planned, inspection.Done), "result": enum("", inspection.Pass, inspection.Fail),
		"items": array(item, "The checklist as recorded"), "opinion": str(""), "signature": str("The inspector's signature"),
		"photos": integer("Photos kept"), "version": integer("Optimistic lock"),
		"completed_at": timestamp(), "created_at": timestamp(),
	}
	withChecklist := obj{}
	for k, v := range insp {
		withChecklist[k] = v
	}
	withChecklist["checklist"] = array(object("A checklist item with the facts Fugong holds next to it", []string{"code", "name", "name_en", "photos"}, obj{
		"code": str(""), "name": str(""), "name_en": str(""), "clause": str("The seed's clause"),
		"fact": enum("What Fugong holds that bears on the item", policy.FactKinds...), "fact_text": str("The facts in Chinese"),
		"fact_text_en": str("The facts in English"), "fact_warning": boolean("The facts raise a doubt (never decided for the inspector)"),
		"photos": integer("Photos kept so far"),
	}), "The checklist of the inspection's kind for the enterprise")
	return obj{
		"Inspection":       object("A supervision inspection of an enterprise by a unit (督导检查)", []string{"id", "enterprise_id", "unit", "kind", "planned_on", "status"}, insp),
		"InspectionList":   listSchema("Inspection"),
		"InspectionDetail": object("An inspection with its checklist", []string{"id", "enterprise_id", "unit", "kind", "checklist"}, withChecklist),
		"InspectionPlan": object("Plan an inspection; unit and kind default to the enterprise's split", []string{"enterprise_id", "planned_on", "inspectors"}, obj{
			"enterprise_id": id64(""), "unit": str("Policy unit code; default: the unit the split names"),
			"kind":       enum("", policy.InspectionKinds...),
			"planned_on": date(""), "inspectors": str("The inspectors' names"),
		}),
		"InspectionPatch": object("Reschedule a planned inspection", nil, obj{
			"planned_on": date(""), "inspectors": str(""), "version": integer("The version read; 0 skips the check"),
		}),
		"InspectionCompletion": object("Record the inspection: every item, the opinion and the signature", []string{"items", "signature"}, obj{
			"items": array(item, ""), "opinion": str(""), "signature": str("The inspector's full name"), "version": integer(""),
		}),
		"InspectionCompleted": object("The recorded inspection and the rectification orders it opened", []string{"inspection", "orders"}, obj{
			"inspection": ref("Inspection"), "orders": array(ref("Rectification"), ""),
		}),
		"InspectionDueList": object("Resumed enterprises in the inspection plan, the overdue first", []string{"items", "total"}, obj{
			"items": array(object("An enterprise's standing in the plan", []string{"enterprise_id", "enterprise_name", "units", "due"}, obj{
				"enterprise_id": id64(""), "enterprise_name": str(""), "units": array(str(""), "The units that supervise it"),
				"due": object("", []string{"due_on", "overdue"}, obj{
					"last": date("The last recorded inspection"), "due_on": date("When the next is due"),
					"overdue": boolean(""), "days_overdue": integer(""),
				}),
			}), ""),
			"total": integer(""),
		}),
	}
}

// The supervision parts of the policy's schema (GET /api/v1/policy).

func supervisionPolicySchema() obj {
	days := func(desc string) obj { return obj{"type": "integer", "minimum": 0, "description": desc} }
	return object("[supervision]: inspection interval, rectification deadlines, escalation, hazard deadlines (all 0 when the policy has no supervision)", nil, obj{
		"inspect_every_days": days("A resumed enterprise is inspected at least this often (0: no plan)"),
		"general_days":       days("Rectification deadline of a general problem"), "serious_days": days("… of a serious one"),
		"suspend_days":        days("… of a stop of production (停产整顿)"),
		"escalate_to":         array(str(""), "Units an overdue order escalates to, in order"),
		"escalate_after_days": days("Days between two escalation levels"),
		"hazard_general_days": days("Deadline of a general hazard"), "hazard_major_days": days("Deadline of a major hazard"),
		"hazard_report_to": array(str(""), "Units told of a major hazard at once"),
		"serial":           str("Serial number format of rectification notices"), "clause": str(""),
	})
}

func splitPolicySchema() obj {
	return array(object("A rule of who inspects whom", []string{"unit"}, obj{
		"categories": array(str(""), "Any of these categories; absent for all"), "in_park": boolean(""), "above_scale": boolean(""),
		"when": str("A flag, !flag, or absent"), "also": boolean("The unit is added to the responsible one"),
		"unit": str(""), "kind": enum("", policy.InspectionKinds...), "clause": str(""),
	}), "[[supervision_split]]: who inspects whom, in order")
}

func supervisionItemsSchema() obj {
	return array(object("An item of a supervision checklist", []string{"code", "name", "name_en", "kinds"}, obj{
		"code": str(""), "name": str(""), "name_en": str(""), "kinds": array(enum("", policy.InspectionKinds...), "The kinds that check it"),
		"when": str(""), "fact": enum("", policy.FactKinds...), "clause": str(""),
	}), "[[supervision_checklist]]: the supervision checklists")
}

func hazardSectorsSchema() obj {
	return array(object("A key sector of the hazard register", []string{"code", "name", "name_en"}, obj{
		"code": str(""), "name": str(""), "name_en": str(""), "items": array(str(""), "What is checked"),
		"items_en": array(str(""), "The items in English, in the same order (optional)"), "clause": str(""),
	}), "[[hazard_sectors]]: the key sectors (戊方案)")
}
