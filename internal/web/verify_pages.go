package web

import (
	"net/http"
	"strings"

	"fugong/internal/pass"
	"fugong/internal/sign"
)

type verifyView struct {
	Token     string
	Checked   bool
	R         verification
	KindLabel string
	IssuedZH  string
	IssuedEN  string
	// The last day the token is valid; empty when it is valid until revoked.
	ValidZH, ValidEN string
}

func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) error {
	d := verifyView{Token: strings.TrimSpace(r.URL.Query().Get("t"))}
	if d.Token != "" {
		var err error
		if d.R, err = s.verifyToken(r.Context(), d.Token); err != nil {
			return err
		}
		d.Checked = true
		switch d.R.Kind {
		case "notice":
			d.KindLabel = sign.NoticeKind.Label()
		case "bus_letter":
			d.KindLabel = sign.BusLetterKind.Label()
		case "pass":
			d.KindLabel = sign.PassKind.Label()
		}
		d.IssuedZH, d.IssuedEN = s.dateZH(d.R.IssuedAt), s.dateEN(d.R.IssuedAt)
		if e := d.R.ExpiresAt; e != nil {
			last := pass.LastDay(*e, s.pol.Location())
			d.ValidZH, d.ValidEN = s.dateZH(last), s.dateEN(last)
		}
	}
	return s.render(w, r, http.StatusOK, "verify", "Verify a credential", d, nil)
}
