package web

import (
	"cmp"
	"net/http"
	"strconv"

	"fugong/internal/auth"
	"fugong/internal/notice"
	"fugong/internal/sign"
)

type noticeView struct {
	N                    notice.Notice
	IssuerName, IssuerEN string
	Locality             string
	PlannedZH, PlannedEN string
	IssuedZH, IssuedEN   string
	RevokedZH, RevokedEN string
	VerifyURL            string
	Revoked              bool
}

func (s *Server) notice(r *http.Request) (notice.Notice, error) {
	id, err := pathID(r, "通知书")
	if err != nil {
		return notice.Notice{}, err
	}
	return s.db.Notices().Get(r.Context(), principal(r), id)
}

func (s *Server) noticePage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.notice(r)
	if err != nil {
		return err
	}
	v, err := s.db.Applications().Get(r.Context(), principal(r), n.ApplicationID)
	if err != nil {
		return err
	}
	d := noticeView{N: n, IssuerName: n.IssuerUnit, IssuerEN: n.IssuerUnit, Locality: s.pol.Locality.Name,
		PlannedZH: s.dateZH(v.PlannedAt), PlannedEN: s.dateEN(v.PlannedAt), IssuedZH: s.dateZH(n.IssuedAt), IssuedEN: s.dateEN(n.IssuedAt),
		VerifyURL: sign.VerifyURL(verifyBase(r), n.Token), Revoked: n.RevokedAt != nil}
	if u, ok := s.pol.Unit(n.IssuerUnit); ok {
		d.IssuerName, d.IssuerEN = u.Name, cmp.Or(u.NameEN, u.Name)
		// The issuer with its place (甲镇疫情防控应急指挥部), on the letterhead too: the
		// policy's name is no authority.
		if e, err := s.db.GetEnterprise(r.Context(), principal(r), n.EnterpriseID); err == nil {
			if code := notice.PlaceCode(u.Level, e.RegionCode); code != "" {
				if reg, err := s.db.GetRegion(r.Context(), auth.System, code); err == nil {
					d.IssuerName = notice.IssuingAuthority(reg.Name, u.Name)
					d.IssuerEN = cmp.Or(u.NameEN, u.Name) + ", " + reg.Name
				}
			}
		}
	}
	d.Locality = d.IssuerName
	if n.RevokedAt != nil {
		d.RevokedZH, d.RevokedEN = s.dateZH(*n.RevokedAt), s.dateEN(*n.RevokedAt)
	}
	return s.render(w, r, http.StatusOK, "notice", "Resumption notice", d, nil)
}

func (s *Server) noticeQR(w http.ResponseWriter, r *http.Request) error {
	n, err := s.notice(r)
	if err != nil {
		return err
	}
	png, err := sign.QRPNG(sign.VerifyURL(verifyBase(r), n.Token), 300)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	_, err = w.Write(png)
	return err
}
