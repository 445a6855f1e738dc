package web

import (
	"bytes"
	"net/http"
	"strconv"

	"fugong/internal/apperr"
	"fugong/internal/files"
	"fugong/internal/input"
	"fugong/internal/request"
)

// Enterprise requests (诉求), shared by the pages and the API.

// requestFilter reads the filter of the requests from the query, refusing values that do
// not exist.
func (s *Server) requestFilter(r *http.Request) (request.Filter, error) {
	q := r.URL.Query()
	overdue, err := input.Flag("overdue", q.Get("overdue"))
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f := request.Filter{Status: q.Get("status"), Kind: q.Get("kind"), Enterprise: ent, Q: q.Get("q"), Overdue: overdue, Page: pageOf(r)}
	var ps apperr.Problems
	if e, ok := apperr.As(err); ok {
		ps = append(ps, e.Problems...)
	}
	if p := input.OneOf("status", f.Status, request.Statuses); p != nil {
		ps = append(ps, *p)
	}
	if _, ok := s.pol.RequestKind(f.Kind); f.Kind != "" && !ok {
		ps.Add("kind", "未知的诉求类别", "Unknown kind")
	}
	return f, ps.Err()
}

// kindName is a request kind in the page's language.
func (s *Server) kindName(r *http.Request, code string) string {
	if k, ok := s.pol.RequestKind(code); ok {
		return pickLang(langOf(r), k.Name, k.NameEN)
	}
	return code
}

// putFile keeps an uploaded file's bytes.
func (s *Server) putFile(name string, data []byte) (files.Stored, error) {
	return s.files.Put(name, bytes.NewReader(data))
}

// attachUploaded keeps the form's uploaded file and hands it, stored, to attach.
func (s *Server) attachUploaded(r *http.Request, attach func(name string, st files.Stored) error) error {
	data, name, err := uploadedFile(r)
	if err != nil {
		return err
	}
	st, err := s.putFile(name, data)
	if err != nil {
		return err
	}
	return attach(name, st)
}
