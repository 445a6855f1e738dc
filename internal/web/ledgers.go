package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/ledger"
)

// --- helpers ---

// ledgerEnterpriseID is the enterprise a ledger page or call is about: an enterprise's own
// users always get their own, others name it with ?enterprise= (or the form's enterprise_id).
func ledgerEnterpriseID(r *http.Request) int64 {
	if p := principal(r); p.Scope.Kind == auth.ScopeEnterprise {
		return p.Scope.ID
	}
	id, _ := strconv.ParseInt(strings.TrimSpace(r.URL.Query().Get("enterprise")), 10, 64)
	return id
}

func ledgerKind(r *http.Request) (ledger.Kind, error) {
	k := ledger.Kind(r.PathValue("kind"))
	if !k.Valid() {
		return k, apperr.NewNotFound("台账")
	}
	return k, nil
}

// parseWhen reads a time written 2020-02-12T08:30, 2020-02-12 08:30, RFC 3339, or a day
// 2020-02-12 (noon of it) in loc.
func parseWhen(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t.Add(12 * time.Hour), true
	}
	return time.Time{}, false
}

// ledgerFilter reads ?from=&to= (days, both included) and the page.
func (s *Server) ledgerFilter(r *http.Request, kind ledger.Kind) (ledger.Filter, string, string) {
	q := r.URL.Query()
	f := ledger.Filter{EnterpriseID: ledgerEnterpriseID(r), Kind: kind, Page: pageOf(r)}
	from, to := strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	if d, ok := ledger.ParseDay(from, s.pol.Location()); ok {
		f.From = d
	} else {
		from = ""
	}
	if d, ok := ledger.ParseDay(to, s.pol.Location()); ok {
		f.To = d.AddDate(0, 0, 1)
	} else {
		to = ""
	}
	return f, from, to
}

// onSite is the enterprise's on-site headcount today (the daily report's figure).
func (s *Server) onSite(r *http.Request, enterpriseID int64) (int, error) {
	reps, _, _, err := s.db.Ledgers().DailyReports(r.Context(), principal(r), ledger.ReportFilter{EnterpriseID: enterpriseID})
	if err != nil || len(reps) == 0 {
		return 0, err
	}
	return reps[0].OnSite, nil
}

func (s *Server) stocks(r *http.Request, enterpriseID int64) ([]ledger.Stock, int, error) {
	q, err := s.db.Ledgers().SupplyStock(r.Context(), principal(r), enterpriseID)
	if err != nil {
		return nil, 0, err
	}
	n, err := s.onSite(r, enterpriseID)
	if err != nil {
		return nil, 0, err
	}
	return ledger.Stocks(s.pol, q, n), n, nil
}
