package web

import (
	"slices"

	"fugong/internal/application"
	"fugong/internal/ledger"
	"fugong/internal/store"
)

// workforceSchemas are the OpenAPI schemas of the entry pass, health check, follow-up,
// gate, ledger and daily report routes. They follow the JSON tags of the types the
// handlers send (store.Pass, store.CheckResult, store.FollowUp, store.ScanResult,
// store.GateEntry, ledger.Entry, ledger.Stock, store.DailyReport …) and the bodies the
// handlers decode; openapi_workforce_test.go calls the routes and compares.
func workforceSchemas() obj {
	stamp := func(desc string) obj {
		o := obj{"type": "string", "format": "date-time"}
		if desc != "" {
			o["description"] = desc
		}
		return o
	}
	date := func(desc string) obj {
		o := obj{"type": "string", "format": "date"}
		if desc != "" {
			o["description"] = desc
		}
		return o
	}
	enum := func(desc string, values ...string) obj {
		o := obj{"type": "string", "enum": values}
		if desc != "" {
			o["description"] = desc
		}
		return o
	}
	array := func(items obj, desc string) obj {
		o := obj{"type": "array", "items": items}
		if desc != "" {
			o["description"] = desc
		}
		return o
	}
	number := func(desc string) obj { return obj{"type": "number", "description": desc} }
	temperature := func(desc string) obj {
		return obj{"type": "number", "minimum": store.MinTemperature, "maximum": store.MaxTemperature, "description": desc}
	}
	ids := func(desc string) obj {
		return obj{"type": "array", "minItems": 1, "items": obj{"type": "integer", "format": "int64", "minimum": 1}, "description": desc}
	}

	passStatuses := []string{store.PassRequested, store.PassActive, store.PassSuspended, store.PassRevoked}
	passReasons := []string{store.ReasonFever, store.ReasonSymptom, store.ReasonMissedChecks, store.ReasonLeft, store.ReasonManual}
	// The codes Employees.Scan answers (a holder who has left is refused as revoked);
	// wrong_entrance only under the policy's single entrance.
	scanCodes := []string{"ok", "bad_token", "not_found", "not_approved", "suspended", "revoked", "other_enterprise", "no_notice",
		"wrong_entrance", "fever"}
	kinds := make([]string, 0, len(ledger.Kinds))
	for _, k := range ledger.Kinds {
		kinds = append(kinds, string(k))
	}

	return obj{
		// --- entry passes (出入证) ---
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
			"issued_at":       stamp("When it was approved and issued; absent before"),
			"approved_by":     id64("User who approved it; absent before"),
		}),
		"AccountCreate": object("The user name of the staff account to open for the person (its name, role staff and scope come from the person's file)", []string{"username"}, obj{
			"username": str("2–64 letters, digits or . _ @ -, starting with a letter or digit; the person's mobile number is a good choice"),
		}),
		"NewAccount": object("The staff account opened and linked, with its generated password (shown this once)", []string{"user", "password"}, obj{
			"user":     ref("User"),
			"password": str("Hand it to the person; it cannot be shown again"),
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
			"reason": enum("left or manual (the default); fever, symptom and missed_checks are kept as sent; anything else is refused with 422", passReasons...),
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

		// --- health checks (体温检测) and follow-ups ---
		"HealthReading": object("One temperature reading: the person by employee_id or by the token of the pass",
			[]string{"temperature"}, obj{
				"employee_id": id64("The employee; or give pass_token"),
				"pass_token":  str("The token of the person's pass (from its QR code); or give employee_id"),
				"temperature": temperature("°C, rounded to one decimal; at or above the policy's fever line suspends the pass and opens a follow-up"),
				"symptoms":    array(str(""), "Symptoms reported (such as 咳嗽); any symptom counts like a fever"),
				"at":          stamp("When it was taken (RFC 3339); now when absent or more than five minutes ahead"),
				"checkpoint":  obj{"type": "string", "maxLength": 50, "description": "Where it was taken"},
			}),
		"HealthReadings": obj{
			"description": "One reading (answered with one HealthCheck) or an array of at most 1000 (answered with HealthCheckList); all are recorded or none",
			"oneOf": []obj{
				ref("HealthReading"),
				{"type": "array", "minItems": 1, "maxItems": store.MaxBatch, "items": ref("HealthReading")},
			},
		},
		"HealthCheck": object("A recorded reading", []string{"id", "employee_id", "name", "temperature", "at", "source", "fever", "passes_suspended"}, obj{
			"id":               id64(""),
			"employee_id":      id64(""),
			"name":             str("Masked name"),
			"temperature":      number("°C"),
			"at":               stamp(""),
			"source":           enum("checkpoint: taken by a guard or an enterprise admin; declared: by the person; gate: at a pass scan", store.SourceCheckpoint, store.SourceDeclared, store.SourceGate),
			"fever":            boolean("At or above the fever line, or with a symptom"),
			"passes_suspended": integer("Passes this reading suspended"),
			"follow_up_id":     id64("The follow-up opened (or added to) by a fever; absent otherwise"),
		}),
		"HealthCheckResult": obj{
			"description": "The recorded reading when one was sent, or {items} when an array was sent",
			"oneOf": []obj{
				ref("HealthCheck"),
				object("The recorded readings, in the order sent", []string{"items"}, obj{"items": array(ref("HealthCheck"), "")}),
			},
		},
		"UncheckedReport": object("Who still needs a check today, and declarations that look copied", []string{"items", "repeated_declarations", "checks_per_day"}, obj{
			"items": array(object("A holder of an active pass with fewer checks today than the policy asks", []string{"employee_id", "name", "department", "checks"}, obj{
				"employee_id": id64(""),
				"name":        str("Masked name"),
				"department":  str(""),
				"checks":      integer("Checks today (at the checkpoint, when one is named)"),
			}), ""),
			"repeated_declarations": array(object("A person whose own declarations repeat one value on three or more days in a row (last 14 days)",
				[]string{"employee_id", "name", "temperature", "days", "last_day"}, obj{
					"employee_id": id64(""),
					"name":        str("Masked name"),
					"temperature": number("The repeated value, °C"),
					"days":        integer("Consecutive days"),
					"last_day":    date("Last day of the run"),
				}), ""),
			"checks_per_day": integer("Checks a day the policy asks of each person"),
		}),
		"FollowUp": object("The follow-up a fever or symptom opens: isolation, referral and outcome", []string{"id", "employee_id", "enterprise_id", "name", "check_id",
			"temperature", "symptoms", "opened_at", "isolation", "referral", "outcome"}, obj{
			"id":            id64(""),
			"employee_id":   id64(""),
			"enterprise_id": id64(""),
			"name":          str("Masked name"),
			"check_id":      id64("The reading that opened it"),
			"temperature":   number("That reading, °C"),
			"symptoms":      str("That reading's symptoms, comma-separated; empty when none"),
			"opened_at":     stamp(""),
			"isolation":     str("Where and how the person is isolated; empty while open"),
			"referral":      str("Where the person was referred; empty while open"),
			"outcome":       str("How it ended; empty while open"),
			"closed_at":     stamp("Absent while open"),
		}),
		"FollowUpList": object("Follow-ups in scope, open ones first, newest first (at most 200)", []string{"items"}, obj{
			"items": array(ref("FollowUp"), ""),
		}),
		"FollowUpClose": object("What closing a follow-up records; the suspended pass may then be re-activated", []string{"outcome"}, obj{
			"isolation": str(""),
			"referral":  str(""),
			"outcome":   obj{"type": "string", "minLength": 1, "description": "Required"},
		}),

		// --- gate (门岗) ---
		"GateScan": object("A pass shown at the gate", []string{"token"}, obj{
			"token":       str("The pass's token, or the whole verification URL of its QR code"),
			"temperature": obj{"type": []string{"number", "null"}, "minimum": store.MinTemperature, "maximum": store.MaxTemperature, "description": "°C; recorded as a check when given"},
			"checkpoint":  str("Where the pass is scanned: under the policy's single entrance, any other than the registered entrance is refused; the reading is recorded there (门岗 when empty)"),
		}),
		"ScanResult": object("The gate's answer; every scan is logged", []string{"allow", "code", "reason", "reason_en", "color"}, obj{
			"allow":     boolean(""),
			"code":      enum("Why: ok, or the first check that failed", scanCodes...),
			"reason":    str("In Chinese, for the guard"),
			"reason_en": str("In English"),
			"person":    str("The holder's masked name, when the token is readable"),
			"color":     enum("", "green", "red"),
			"pass_id":   id64("When the pass was found"),
		}),
		"GateRegistration": object("A visitor or a vehicle at the gate; a fever, or freight not disinfected, is logged as refused", []string{"kind", "temperature"}, obj{
			"enterprise_id":       id64("The enterprise (filled in for enterprise users)"),
			"kind":                enum("", "visitor", "vehicle"),
			"name":                str("The visitor, or the driver; required for a visitor"),
			"phone":               str(""),
			"id_number":           str("The visitor's resident ID number: checked, stored masked only"),
			"purpose":             str(""),
			"host":                str("Whom the visitor sees"),
			"plate":               str("The vehicle's plate, such as 浙F12345; required for a vehicle"),
			"temperature":         temperature("°C of the visitor or the driver"),
			"freight_disinfected": boolean("Whether the vehicle's freight was disinfected"),
			"checkpoint":          str("Where it is registered: under the policy's single entrance, any other than the registered entrance is refused"),
		}),
		"GateEntry": object("A line of the gate log: a pass scan, a visitor or a vehicle", []string{"id", "enterprise_id", "kind", "allow", "reason", "name", "at"}, obj{
			"id":                  id64(""),
			"enterprise_id":       id64(""),
			"kind":                enum("", "employee", "visitor", "vehicle"),
			"allow":               boolean(""),
			"reason":              enum("A scan's code, or for visitors and vehicles ok, fever, not_disinfected, wrong_entrance or entrance_error", slices.Concat(scanCodes, []string{"not_disinfected", "entrance_error"})...),
			"temperature":         number("°C; absent when none was taken"),
			"name":                str("Masked name for a pass scan"),
			"phone":               str(""),
			"id_masked":           str("The visitor's masked ID number"),
			"purpose":             str(""),
			"host":                str(""),
			"plate":               str(""),
			"freight_disinfected": boolean("Absent when not asked"),
			"checkpoint":          str("Where it was registered: only in the answer to a registration (not kept in the log)"),
			"at":                  stamp(""),
		}),
		"GateEntryList": object("Today's gate log in scope, newest first (at most 200)", []string{"items"}, obj{
			"items": array(ref("GateEntry"), ""),
		}),

		// --- ledgers (台账) ---
		"LedgerEntry": object("A line of a ledger. Fields by kind: disinfection — area, agent, person; supplies — item, quantity (negative: out of stock), note; masks — quantity collected, person; training — topic, quantity handed the 明白单, names",
			[]string{"id", "enterprise_id", "kind", "at", "quantity", "created_at"}, obj{
				"id":              id64(""),
				"enterprise_id":   id64(""),
				"enterprise_name": str(""),
				"kind":            enum("", kinds...),
				"at":              stamp("When it happened"),
				"area":            str("Area disinfected"),
				"agent":           str("Disinfectant and concentration"),
				"person":          str("Who disinfected, or who handled the masks"),
				"item":            enum("Supply item", application.SupplyItems...),
				"quantity":        obj{"type": "integer", "format": "int64"},
				"topic":           str("Training topic"),
				"names":           str("Names of those handed the 明白单"),
				"note":            str(""),
				"created_by":      str("Who recorded it"),
				"created_at":      stamp(""),
			}),
		"LedgerEntryInput": object("A ledger entry; the kind is the path's. enterprise_id is required except for enterprise users",
			[]string{"at"}, obj{
				"enterprise_id": id64(""),
				"at":            str("RFC 3339, or 2020-02-12T08:30 / 2020-02-12 08:30 in the policy's time zone, or a day 2020-02-12 (noon); at most a day ahead"),
				"area":          obj{"type": "string", "maxLength": 100, "description": "disinfection: required"},
				"agent":         obj{"type": "string", "maxLength": 100, "description": "disinfection: required"},
				"person":        obj{"type": "string", "maxLength": 50, "description": "disinfection and masks: required"},
				"item":          enum("supplies: required", application.SupplyItems...),
				"quantity":      obj{"type": "integer", "format": "int64", "minimum": -100_000_000, "maximum": 100_000_000, "description": "supplies: in (positive) or out (negative, at most the stock); masks: collected; training: handed out (counted from names when 0)"},
				"topic":         obj{"type": "string", "maxLength": 200, "description": "training: required"},
				"names":         obj{"type": "string", "maxLength": 5000, "description": "training: names separated by commas, 、 or spaces"},
				"note":          obj{"type": "string", "maxLength": 500},
			}),
		"LedgerList": object("One page of a ledger, newest first; the supplies ledger of one enterprise adds its stock and the people on site",
			[]string{"items", "total", "page", "size"}, obj{
				"items": array(ref("LedgerEntry"), ""),
				"total": integer("Number of matching entries on all pages"),
				"page":  integer("This page's number, from 1"),
				"size":  integer("Items per page"),
				"stock": array(object("An item's stock and its days of cover", []string{"item", "name", "unit", "quantity", "per_person_per_day", "cover_days", "warning"}, obj{
					"item":               enum("", application.SupplyItems...),
					"name":               str("In Chinese"),
					"unit":               str("In Chinese"),
					"quantity":           obj{"type": "integer", "format": "int64", "description": "In stock"},
					"per_person_per_day": number("Use per person on site a day; 0 when not used per person"),
					"cover_days":         number("Days the stock lasts for the people on site; -1 when not computed (not used per person, nobody on site, or lasting for ever)"),
					"warning":            boolean("Below the policy's reserve days"),
					"message":            str("The warning, in Chinese"),
					"message_en":         str("The warning, in English"),
				}), "supplies of one enterprise only"),
				"on_site": integer("People on site today (supplies of one enterprise only)"),
			}),

		// --- daily reports (疫情日报告) ---
		"DailyReport": object("An enterprise's daily report: the figures of the day, as confirmed, or computed now while not confirmed; a confirmed report with no fever, no suspended pass and nobody isolating is a zero report",
			[]string{"enterprise_id", "enterprise_name", "date", "on_site", "isolating", "monitoring", "fevers", "passes_suspended", "mask_stock", "cover_days",
				"cover_warning", "zero_report", "confirmed"}, obj{
				"enterprise_id":    id64(""),
				"enterprise_name":  str(""),
				"date":             date("The day, in the policy's time zone"),
				"on_site":          integer("People at work (cleared and monitored by the quarantine clock)"),
				"isolating":        integer(""),
				"monitoring":       integer(""),
				"fevers":           integer("People with a fever or a symptom that day"),
				"passes_suspended": integer("Passes suspended when computed (or confirmed)"),
				"mask_stock":       obj{"type": "integer", "format": "int64", "description": "Masks in stock at the end of the day"},
				"cover_days":       number("Days the masks last for the people on site; -1 when nobody is on site"),
				"cover_warning":    boolean("Below the policy's reserve days"),
				"zero_report":      boolean("Nothing to report (零报告)"),
				"confirmed":        boolean("Confirmed by the enterprise's admin"),
				"confirmed_by":     str("Who confirmed; absent while not confirmed"),
				"confirmed_at":     stamp("Absent while not confirmed"),
				"note":             str(""),
			}),
		"DailyReportList": object("The daily reports of the enterprises in scope on a day, by enterprise name", []string{"date", "items", "total", "confirmed", "page", "size"}, obj{
			"date":      date("The day (today when not asked)"),
			"items":     array(ref("DailyReport"), ""),
			"total":     integer("Enterprises on all pages"),
			"confirmed": integer("Of those, confirmed"),
			"page":      integer("This page's number, from 1"),
			"size":      integer("Items per page"),
		}),
		"DailyReportConfirm": object("Confirm a day's report, once; enterprise_id is filled in for enterprise users", nil, obj{
			"enterprise_id": id64(""),
			"date":          date("Today or earlier; today when empty"),
			"note":          str(""),
		}),
	}
}
