package web

import (
	"net/http"

	"fugong/internal/auth"
	"fugong/internal/policy"
)

func (s *Server) apiPolicy(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.pol)
	return nil
}

// policySchemas are the OpenAPI schemas of the policy route. The names are the TOML
// file's keys (policies/README.md); openapi_test.go checks them against an answer.
func policySchemas() obj {
	days := func(desc string) obj { return obj{"type": "integer", "minimum": 1, "description": desc} }
	code := str("Code, lower-case ASCII, digits and _")
	named := func(extra obj, required ...string) obj {
		props := obj{"code": code, "name": str("Chinese name"), "name_en": str("English name")}
		for k, v := range extra {
			props[k] = v
		}
		return object("", append([]string{"code", "name", "name_en"}, required...), props)
	}
	clause := str("The words of the seed's clause it comes from")
	when := str("A condition: a flag (" + joinFlags() + "), !flag for its negation; absent for always")
	codes := func(desc string) obj { return array(str(""), desc) }
	return obj{
		"Policy": object("The local policy in force, named as in its TOML file (policies/README.md), with the clause of each figure, the version (hash) and the source of the file",
			[]string{"locality", "resumption", "health", "dormitory", "dining", "gate", "categories", "units", "origin_classes", "routing",
				"routing_default", "stages", "materials", "checklist", "priority", "clauses", "version", "source", "tips", "tip_categories", "requests", "request_kinds"}, obj{
				"locality": object("[locality]", []string{"name", "name_en", "level", "time_zone", "notice_serial", "bus_letter_serial"}, obj{
					"name": str(""), "name_en": str(""),
					"level":             enum("", "city", "county", "town"),
					"time_zone":         str("IANA time zone the rules are evaluated in"),
					"notice_serial":     str("Serial number format of notices: {year}, {seq}, {seq:0N}"),
					"bus_letter_serial": str("Serial number format of commuter-bus letters"),
				}),
				"resumption": object("[resumption]", []string{"earliest_resumption", "acceptance_starts", "lead_time_hours", "early_resumption_approval",
					"supplies_reserve_days", "masks_per_person_per_day", "review_due_days"}, obj{
					"earliest_resumption":       stamp("No enterprise resumes before this instant"),
					"acceptance_starts":         stamp("Midnight (the policy's time zone) of the day on-site acceptance starts"),
					"lead_time_hours":           days("An application is filed at least this many hours before the planned date"),
					"early_resumption_approval": enum("Level that approves resuming before earliest_resumption", "city", "county", "town"),
					"supplies_reserve_days":     days("Supplies cover the returning headcount this many days"),
					"masks_per_person_per_day":  days(""),
					"review_due_days":           days("A reviewer decides within this many days"),
				}),
				"health": object("[health]", []string{"isolation_days", "monitoring_days", "journey_max_hours", "checks_per_day", "fever_line",
					"trajectory_days", "retention_days", "pass_valid_days"}, obj{
					"isolation_days":    days(""),
					"monitoring_days":   days(""),
					"journey_max_hours": days("Longest journey back to the enterprise"),
					"checks_per_day":    days("Temperature checks per person per day"),
					"fever_line":        number("°C; a temperature at or above it stops entry"),
					"trajectory_days":   days("Days of travel history a returning person declares"),
					"retention_days":    days("Health data is purged after this many days"),
					"pass_valid_days":   days("A pass is valid this many days counting the day of issue, then renewed"),
				}),
				"dormitory": object("[dormitory]", []string{"max_per_room", "quarantine_single_room"}, obj{
					"max_per_room": days("People per dormitory room at most"), "quarantine_single_room": boolean("An isolation room holds one person"),
				}),
				"dining": object("[dining]", []string{"staggered", "spacing_meters"}, obj{
					"staggered": boolean("Staggered meals"), "spacing_meters": number("Distance between diners, in metres"),
				}),
				"gate": object("[gate]; single_entrance is false when the file has no [gate]", []string{"single_entrance"}, obj{
					"single_entrance": boolean("The enterprise keeps one registered entrance; other checkpoints are refused"),
				}),
				"categories": array(named(obj{"clause": clause}), "[[categories]]: the kinds of enterprise"),
				// The public's tips (tips.go of package policy).
				"tips": object("[tips]: the figures of public tips (the seed's when the file has none)",
					[]string{"accept_hours", "reply_days", "per_address_per_hour", "global_per_hour", "max_photos", "duplicate_days", "unit"}, obj{
						"accept_hours": days("A tip is accepted or declined within this many hours"), "reply_days": days("The reporter is answered within this many days"),
						"per_address_per_hour": days("Tips heard from one address in an hour"), "global_per_hour": days("Tips heard from everyone in an hour"),
						"max_photos": days("Photos a tip may carry"), "duplicate_days": days("Tips on one enterprise and category within this many days are grouped"),
						"unit": str("The unit that handles a tip whose category names none"), "clause": clause,
					}),
				"tip_categories": array(named(obj{"unit": str("The unit that handles it, when not [tips] unit"), "clause": clause}),
					"[[tip_categories]]: what a tip may report (the seed's seven when the file has none)"),
				// Enterprise requests (requests.go of package policy).
				"requests": object("[requests]: the figures of enterprise requests (the defaults when the file has none)",
					[]string{"due_days", "urgent_due_days", "unit", "escalate_to"}, obj{
						"due_days": days("A request is answered within this many days"), "urgent_due_days": days("An urgent one within this many days"),
						"unit": str("The unit that answers a kind naming none"), "escalate_to": str("The unit requests are escalated to"), "clause": clause,
					}),
				"request_kinds": array(named(obj{"unit": str("The unit that answers it, when not [requests] unit"), "clause": clause}),
					"[[request_kinds]]: what an enterprise may ask about (the eight defaults when the file has none)"),
				"units": array(named(obj{"level": enum("", policy.Levels...), "role": obj{"type": "string", "enum": auth.Roles}}, "level", "role"),
					"[[units]]: who acts"),
				"origin_classes": array(named(obj{
					"measure":   enum("", policy.MeasureNone, policy.MeasureMonitor, policy.MeasureIsolate, policy.MeasureAdviseNotReturn),
					"days":      days("Length of the monitoring or isolation; absent for none"),
					"report_to": codes("Units the enterprise reports such persons to"),
					"clause":    clause,
				}, "measure"), "[[origin_classes]]: where returning staff come from, and what is done"),
				"routing": array(object("A rule: the first that matches an enterprise names its reviewing unit", []string{"unit"}, obj{
					"categories":     codes("Any of these categories; absent for all"),
					"in_park":        boolean(""),
					"above_scale":    boolean(""),
					"key_enterprise": boolean(""),
					"sector":         str("Matched exactly"),
					"unit":           code,
					"first_review":   code,
					"clause":         clause,
				}), "[[routing]]: who reviews which enterprise, in order"),
				"routing_default": object("[routing_default]: where an enterprise goes when no rule matches", []string{"unit"}, obj{
					"unit": code, "first_review": code, "clause": clause,
				}),
				"stages": array(named(obj{
					"role":      obj{"type": "string", "enum": auth.Roles, "description": "Who acts; absent when the unit's role acts"},
					"unit":      code,
					"unit_from": enum("The unit taken from the route", "route", "first_review"),
					"when":      when,
					"checklist": boolean("The stage fills in the acceptance checklist"),
					"photos":    boolean("The stage keeps photos or video as evidence"),
					"issues":    enum("The document the stage issues", "notice", "bus_letter"),
					"clause":    clause,
				}), "[[stages]]: the workflow, in order"),
				"materials": array(named(obj{
					"required":   boolean(""),
					"categories": codes("Only for these categories; absent for all"),
					"when":       when,
					"part_of":    code,
					"clause":     clause,
				}, "required"), "[[materials]]: what an enterprise files"),
				"checklist": array(named(obj{"when": when, "unit": code, "clause": clause}), "[[checklist]]: the on-site acceptance checklist"),
				// Supervision after resumption (inspections_api.go).
				"supervision": supervisionPolicySchema(), "supervision_split": splitPolicySchema(),
				"supervision_checklist": supervisionItemsSchema(), "hazard_sectors": hazardSectorsSchema(),
				"priority": object("[priority]: the weights that order resumption batches", []string{"key_industry", "above_scale", "key_cultivated",
					"local_staff_share", "supplies_cover"}, obj{
					"key_industry": number(""), "above_scale": number(""), "key_cultivated": number(""),
					"local_staff_share": number("× the share of local staff (0–1)"), "supplies_cover": number("× the supplies' cover (0–1)"),
					"clause": clause,
				}),
				"duties": array(named(obj{
					"required":   boolean("Every enterprise the duty applies to must have someone in it (the coverage page)"),
					"categories": codes("Only for these categories; absent for all"),
					"when":       when,
					"clause":     clause,
				}, "required"), "[[duties]]: the 包保 duties officials are assigned to enterprises in"),
				"alerts": array(object("", []string{"kind", "to"}, obj{
					"kind":   enum("", "fever", "returners", "notice_suspended", "rectification_overdue", "major_hazard"),
					"to":     codes("Unit codes that receive the alerts of the kind"),
					"clause": clause,
				}), "[[alerts]]: which units hear of what happens at an enterprise"),
				"grid_chains": array(named(obj{
					"above_scale": boolean("The enterprises above (true) or below (false) designated size; absent for all"),
					"levels":      codes("Unit codes of the grid leaders, the highest (总网格长) first"),
					"clause":      clause,
				}, "levels"), "[[grid_chains]]: passes approved level by level by the grid leaders"),
				"clauses": obj{"type": "object", "additionalProperties": str(""),
					"description": "[clauses]: the words of the clause behind each figure, keyed by figure (resumption.lead_time_hours)"},
				"version": str("First 16 hex digits of the SHA-256 of the file: decisions record it"),
				"source":  str("The file name, or default"),
			}),
	}
}

// joinFlags lists the flags a condition may name.
func joinFlags() string {
	out := ""
	for i, f := range policy.Flags {
		if i > 0 {
			out += ", "
		}
		out += f
	}
	return out
}
