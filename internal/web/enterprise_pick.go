package web

import (
	"net/http"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
)

// The enterprise picker: an official picks one of the enterprises in scope — up to
// 50,000 in a city — by typing the start of its name or credit code. Without
// JavaScript the box is a GET form (?q= or the page's own parameter) and the page lists
// what it found; with it, app.js asks /api/v1/enterprises/pick as the official types.

// entPicker is what the "entpick" template shows.
type entPicker struct {
	Field    string // name of the list (the form field of the chosen enterprise)
	Param    string // query parameter of the search text
	Form     string // id of the GET form the search box belongs to; "" inside a GET form
	All      bool   // the empty choice means every enterprise (a filter), not none
	Q        string
	Items    []enterprise.Choice
	Selected int64
	More     bool
	Fixed    bool // a user of one enterprise: the list holds it alone, with no search
}

// enterprisePicker searches the enterprises in the principal's scope for the page's
// param (page 1) and keeps the selected one in the list. A user of one enterprise gets
// a fixed list of it alone.
func (s *Server) enterprisePicker(r *http.Request, field, param, form string, selected int64) (*entPicker, error) {
	p := principal(r)
	q := r.URL.Query().Get(param) // text hygiene is checked for every request
	fixed := p.Scope.Kind == auth.ScopeEnterprise
	if fixed {
		q = ""
	}
	items, more, err := s.db.PickEnterprises(r.Context(), p, enterprise.NewPick(q, 1))
	if err != nil {
		return nil, err
	}
	pk := &entPicker{Field: field, Param: param, Form: form, Q: q, Items: items, Selected: selected, More: more, Fixed: fixed}
	if selected != 0 && !pk.has(selected) {
		switch e, err := s.db.GetEnterprise(r.Context(), p, selected); apperr.KindOf(err) {
		case apperr.NotFound: // not in scope: not offered
		default:
			if err != nil {
				return nil, err
			}
			pk.Items = append([]enterprise.Choice{{ID: e.ID, Name: e.Name, USCC: e.USCC, RegionName: e.RegionName}}, pk.Items...)
		}
	}
	return pk, nil
}

func (pk *entPicker) has(id int64) bool {
	for _, c := range pk.Items {
		if c.ID == id {
			return true
		}
	}
	return false
}

// enterprisePickList is the answer of GET /api/v1/enterprises/pick.
type enterprisePickList struct {
	Items []enterprise.Choice `json:"items"`
	More  bool                `json:"more"`
	Page  int                 `json:"page"`
}

func (s *Server) apiEnterprisePick(w http.ResponseWriter, r *http.Request) error {
	pick := enterprise.NewPick(r.URL.Query().Get("q"), pageOf(r).Number)
	items, more, err := s.db.PickEnterprises(r.Context(), principal(r), pick)
	if err != nil {
		return err
	}
	if items == nil {
		items = []enterprise.Choice{}
	}
	writeJSON(w, http.StatusOK, enterprisePickList{Items: items, More: more, Page: pick.Page.Number})
	return nil
}

// enterprisePickSchemas are the OpenAPI schemas of the picker.
func enterprisePickSchemas() obj {
	return obj{
		"EnterprisePickList": object("Enterprises in scope whose name or credit code begins with q (the newest when q is empty), by name, 50 a page", []string{"items", "more", "page"}, obj{
			"items": array(object("An enterprise to pick", []string{"id", "name", "uscc", "region_name"}, obj{
				"id":          id64(""),
				"name":        str(""),
				"uscc":        str("Unified social credit code"),
				"region_name": str("The enterprise's region"),
			}), ""),
			"more": boolean("Whether another page follows"),
			"page": integer(""),
		}),
	}
}
