package web

import (
	"cmp"
	"net/http"
	"strconv"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
)

type auditData struct {
	Entries []audit.Entry
	Pager   pager
	Filter  audit.Filter
	Types   []auditType // the object types of the filter
	Object  string      // title of the object, on an object's page
	Back    string
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	f := auditFilter(r)
	entries, total, err := s.db.AuditTrail(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "audit", "Audit trail", auditData{Entries: entries, Pager: newPager(r, f.Page, total), Filter: f, Types: auditTypes(langOf(r))}, nil)
}

// auditType is an object type of the audit filter with its name in the page's language.
type auditType struct{ Value, Label string }

// auditTypeKeys are the catalogue keys of the object types whose own name means something
// else on other pages ("inspection" is the acceptance checklist's field).
var auditTypeKeys = map[string]string{"inspection": "Supervision inspection"}

func auditTypes(lang string) []auditType {
	out := make([]auditType, len(audit.ObjectTypes))
	for i, t := range audit.ObjectTypes {
		out[i] = auditType{t, translate(lang, cmp.Or(auditTypeKeys[t], t))}
	}
	return out
}

// auditObjectPage shows one object's trail to those who may see the object itself.
func (s *Server) auditObjectPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	typ, idText := r.PathValue("type"), r.PathValue("id")
	id, _ := strconv.ParseInt(idText, 10, 64)
	var title, back string
	switch typ {
	case "enterprise":
		e, err := s.db.GetEnterprise(r.Context(), p, id)
		if err != nil {
			return err
		}
		title, back = e.Name, "/enterprises/"+idText
	case "application":
		a, err := s.db.Applications().Get(r.Context(), p, id)
		if err != nil {
			return err
		}
		title, back = a.EnterpriseName, "/applications/"+idText
	case "region":
		reg, err := s.db.GetRegion(r.Context(), p, idText)
		if err != nil {
			return err
		}
		title, back = reg.Name, "/regions?parent="+reg.Code
	case "park":
		pk, err := s.db.GetPark(r.Context(), p, id)
		if err != nil {
			return err
		}
		title, back = pk.Name, "/parks"
	case "department":
		d, err := s.db.GetDepartment(r.Context(), p, id)
		if err != nil {
			return err
		}
		title, back = d.Name, "/departments"
	case "user":
		// One's own account, or an account the administrator may manage (its scope lies
		// within the administrator's).
		var u auth.User
		var err error
		if p.UserID == id {
			u, err = s.db.GetUser(r.Context(), id)
		} else {
			u, err = s.db.ManagedUser(r.Context(), p, id)
		}
		if err != nil {
			return err
		}
		title, back = u.Username, "/users/"+idText
	default:
		return apperr.NewNotFound("对象")
	}
	f := audit.Filter{ObjectType: typ, ObjectID: idText, Page: pageOf(r)}
	entries, total, err := s.db.ListAudit(r.Context(), f)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "audit", "Change history", auditData{Entries: entries, Pager: newPager(r, f.Page, total), Filter: f, Object: title, Back: back}, nil)
}
