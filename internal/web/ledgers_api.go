package web

import (
	"math"
	"net/http"

	"fugong/internal/apperr"
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
	items, total, err := s.db.ListLedger(r.Context(), principal(r), f)
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
	got, err := s.db.AddLedgerEntry(r.Context(), principal(r), e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, got)
	return nil
}
