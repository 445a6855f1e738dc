package web

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/guidance"
	"fugong/internal/input"
)

// Published guidance, shared by the pages, the home page's block and the API.

// guidanceInput is what an official publishes (the API's body; the form's fields).
type guidanceInput struct {
	Kind       guidance.Kind `json:"kind"`
	Title      string        `json:"title"`
	Body       string        `json:"body"`
	Regions    []string      `json:"regions"`
	Categories []string      `json:"categories"`
	ParkID     int64         `json:"park_id"`
	Public     bool          `json:"public"`
	AskConfirm bool          `json:"ask_confirm"`
	PublishAt  string        `json:"publish_at"` // a date (2020-02-10) or a time (RFC 3339); today when empty
	EndAt      string        `json:"end_at"`     // the same; none when empty
}

// item reads the dates, in the policy's time zone.
func (s *Server) guidanceItem(in guidanceInput) (guidance.Item, error) {
	it := guidance.Item{Kind: in.Kind, Title: in.Title, Body: in.Body, Regions: in.Regions, Categories: in.Categories, ParkID: in.ParkID,
		Public: in.Public, AskConfirm: in.AskConfirm}
	var ps apperr.Problems
	parse := func(field, v string) *time.Time {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil
		}
		if t, err := time.ParseInLocation(time.DateOnly, v, s.pol.Location()); err == nil {
			return &t
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return &t
		}
		ps.Add(field, "日期格式应为 2020-02-10", "A date like 2020-02-10")
		return nil
	}
	if t := parse("publish_at", in.PublishAt); t != nil {
		it.PublishAt = *t
	} else if strings.TrimSpace(in.PublishAt) == "" {
		now := s.db.Now().In(s.pol.Location())
		it.PublishAt = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.pol.Location())
	}
	it.EndAt = parse("end_at", in.EndAt)
	return it, ps.Err()
}

// guidanceRow is an item with its kind's name and its body rendered.
type guidanceRow struct {
	guidance.Item
	KindName string
	BodyHTML template.HTML
}

func (s *Server) guidanceRow(r *http.Request, it guidance.Item) guidanceRow {
	zh, en := it.Kind.Name()
	return guidanceRow{Item: it, KindName: pickLang(langOf(r), zh, en), BodyHTML: it.HTML()}
}

// guidanceFilter reads the filter of the guidance.
func guidanceFilter(r *http.Request) (guidance.Filter, error) {
	q := r.URL.Query()
	f := guidance.Filter{Kind: q.Get("kind"), Q: q.Get("q"), Page: pageOf(r)}
	if p := input.OneOf("kind", f.Kind, guidance.Kinds); p != nil {
		return f, apperr.Problems{*p}.Err()
	}
	return f, nil
}

// voiceHome is the home page's block of the public's and the enterprises' voice: for an
// enterprise, the guidance in force that concerns it (the unconfirmed first).
type voiceHome struct {
	Guidance []guidanceRow
}

func (s *Server) voiceHome(r *http.Request) (voiceHome, error) {
	var v voiceHome
	items, err := s.db.Guidance().ForHome(r.Context(), principal(r), 5)
	for _, it := range items {
		v.Guidance = append(v.Guidance, s.guidanceRow(r, it))
	}
	return v, err
}
