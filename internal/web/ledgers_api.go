package web

import (
	"math"
	"net/http"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/ledger"
)

type ledgerList struct {
	listResponse[ledger.Entry]
	Stock  []ledger.Stock `json:"stock,omitempty"`
	OnSite *int           `json:"on_site,omitempty"`
}

func (s *Server) apiLedger(w http.ResponseWriter, r *http.Request) error {
	kind, err := ledgerKind(r)
	if err != nil {
		return err
	}
	f, _, _ := s.ledgerFilter(r, kind)
	items, total, err := s.db.Ledgers().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	out := ledgerList{listResponse: newList(items, total, f.Page)}
	if kind == ledger.Supplies && f.EnterpriseID != 0 {
		st, n, err := s.stocks(r, f.EnterpriseID)
		if err != nil {
			return err
		}
		for i := range st {
			if math.IsInf(st[i].CoverDays, 1) {
				st[i].CoverDays = -1 // JSON has no infinity
			}
		}
		out.Stock, out.OnSite = st, &n
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// entryInput is the API's body for a ledger entry; quantity is negative for supplies out.
type entryInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	At           string `json:"at"`
	Area         string `json:"area"`
	Agent        string `json:"agent"`
	Person       string `json:"person"`
	Item         string `json:"item"`
	Quantity     int64  `json:"quantity"`
	Topic        string `json:"topic"`
	Names        string `json:"names"`
	Note         string `json:"note"`
}

func (s *Server) apiLedgerAdd(w http.ResponseWriter, r *http.Request) error {
	kind, err := ledgerKind(r)
	if err != nil {
		return err
	}
	var in entryInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e := ledger.Entry{Kind: kind, EnterpriseID: cmpOr(ledgerEnterpriseID(r), in.EnterpriseID), Area: in.Area, Agent: in.Agent, Person: in.Person,
		Item: in.Item, Quantity: in.Quantity, Topic: in.Topic, Names: in.Names, Note: in.Note}
	if in.At != "" {
		t, ok := parseWhen(in.At, s.pol.Location())
		if !ok {
			return apperr.NewInvalid("at", "时间无法识别,请填写如 2020-02-12T08:30:00+08:00", "Unreadable time; write it as 2020-02-12T08:30:00+08:00")
		}
		e.At = t
	}
	got, err := s.db.Ledgers().Add(r.Context(), principal(r), e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, got)
	return nil
}

// ledgerSchemas are the OpenAPI schemas of the ledger (台账) routes. They follow the JSON
// tags of ledger.Entry and ledger.Stock and the body the handler decodes;
// openapi_workforce_test.go calls the routes and compares.
func ledgerSchemas() obj {
	kinds := make([]string, 0, len(ledger.Kinds))
	for _, k := range ledger.Kinds {
		kinds = append(kinds, string(k))
	}
	return obj{
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
	}
}
