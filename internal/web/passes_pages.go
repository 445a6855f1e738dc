package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/pass"
	"fugong/internal/roster"
	"fugong/internal/sign"
	"fugong/internal/xlsx"
)

// --- passes (出入证) ---

type passesData struct {
	Items      []pass.Pass
	Pager      pager
	Filter     pass.Filter
	Statuses   []string
	Eligible   []roster.Item // people who may be asked a pass for (cleared or monitoring)
	NoNotice   bool          // nobody is eligible, but some would be once their enterprise's notice is in force
	CanApprove bool
	CanRequest bool
	Now        time.Time // what "expired" is judged at
}

func (s *Server) passesPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	f := passFilter(r)
	items, total, err := s.db.Passes().List(r.Context(), p, f)
	if err != nil {
		return err
	}
	d := passesData{Now: s.db.Now(), Items: items, Pager: newPager(r, f.Page, total), Filter: f,
		Statuses:   []string{pass.Requested, pass.Active, pass.Suspended, pass.Revoked},
		CanApprove: p.Can(auth.PassesApprove), CanRequest: p.Can(auth.RosterEdit)}
	if d.CanRequest {
		// Only the people a request would not be refused for: not those who hold a pass
		// already, nor those of an enterprise without a notice in force.
		if d.Eligible, err = s.passEligible(r, p, true, list.MaxSize); err != nil {
			return err
		}
		if len(d.Eligible) == 0 {
			waiting, err := s.passEligible(r, p, false, 1)
			if err != nil {
				return err
			}
			d.NoNotice = len(waiting) > 0
		}
	}
	return s.render(w, r, http.StatusOK, "passes", "Entry passes", d, nil)
}

// passEligible lists up to size of each phase of the people of p's scope whom the clock
// lets in (cleared or monitoring) and who hold no pass, those of enterprises with a
// notice in force only when notice is set: the people shown, without counting the roster.
func (s *Server) passEligible(r *http.Request, p auth.Principal, notice bool, size int) ([]roster.Item, error) {
	var out []roster.Item
	for _, ph := range []roster.Phase{roster.Cleared, roster.Monitoring} {
		items, err := s.db.Roster().Items(r.Context(), p, roster.Filter{Phase: ph, WithoutPass: true, NoticeInForce: notice, Page: list.Page{Size: size}})
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

// formIDs reads the repeated id values of a form field.
func formIDs(r *http.Request, field string) []int64 {
	if err := r.ParseForm(); err != nil {
		return nil
	}
	var out []int64
	for _, v := range r.PostForm[field] {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

func (s *Server) passRequest(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.db.Passes().Request(r.Context(), principal(r), formIDs(r, "employee_id")); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Passes requested; they wait for the grid leader's approval"))
	http.Redirect(w, r, "/passes", http.StatusSeeOther)
	return nil
}

func (s *Server) passApprove(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.db.Passes().Approve(r.Context(), principal(r), formIDs(r, "id")); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Passes approved and issued"))
	http.Redirect(w, r, "/passes", http.StatusSeeOther)
	return nil
}

func (s *Server) passReactivate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	before, err := s.db.Passes().Get(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	if _, err := s.db.Passes().Reactivate(r.Context(), principal(r), id); err != nil {
		return err
	}
	msg := "Pass re-activated"
	if before.Status == pass.Active {
		msg = "Pass renewed"
	}
	flash(w, translate(langOf(r), msg))
	http.Redirect(w, r, fmt.Sprintf("/passes/%d", id), http.StatusSeeOther)
	return nil
}

func (s *Server) passSuspendMissed(w http.ResponseWriter, r *http.Request) error {
	day := s.db.Now().AddDate(0, 0, -1)
	if v := strings.TrimSpace(r.FormValue("day")); v != "" {
		d, ok := roster.ParseDate(v, s.pol.Location())
		if !ok || d.IsZero() {
			return apperr.NewInvalid("day", "日期格式应为 YYYY-MM-DD", "The date must be YYYY-MM-DD")
		}
		day = d
	}
	n, err := s.db.Passes().SuspendMissedChecks(r.Context(), principal(r), day)
	if err != nil {
		return err
	}
	flash(w, fmt.Sprintf("%s: %d", translate(langOf(r), "Passes suspended for missed checks"), n))
	http.Redirect(w, r, "/passes", http.StatusSeeOther)
	return nil
}

type passData struct {
	Pass     pass.Pass
	Status   string
	CanReact bool
	Expired  bool // its token is past its expiry: re-activating renews it
}

func (s *Server) passPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	p, err := s.db.Passes().Get(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "pass", "Entry pass", passData{Pass: p, CanReact: principal(r).Can(auth.RosterView), Expired: p.Expired(s.db.Now())}, nil)
}

func (s *Server) passQR(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "出入证")
	if err != nil {
		return err
	}
	p, err := s.db.Passes().Get(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	if p.Token == "" {
		return apperr.NewNotFound("出入证二维码")
	}
	png, err := sign.QRPNG(sign.VerifyURL(verifyBase(r), p.Token), 300)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	_, err = w.Write(png)
	return err
}

var passColumns = []xlsx.Column{
	{Key: "enterprise", Header: "企业名称", Width: 30}, {Key: "name", Header: "姓名", Width: 10}, {Key: "department", Header: "部门", Width: 14},
	{Key: "status", Header: "状态", Width: 10}, {Key: "reason", Header: "暂停或撤销原因", Width: 30}, {Key: "requested", Header: "申请时间", Width: 18},
	{Key: "issued", Header: "签发时间", Width: 18}, {Key: "expires", Header: "有效期至", Width: 18},
}

// passesExport writes the passes the filter selects, every page, as the register of
// entry passes (出入证台账); names stay masked as on the page.
func (s *Server) passesExport(w http.ResponseWriter, r *http.Request) error {
	ctx, p, loc, f, now := r.Context(), principal(r), s.pol.Location(), passFilter(r), s.db.Now()
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(loc).Format(time.DateTime)
	}
	return exportPages(w, "passes.xlsx", "出入证台账.xlsx", "出入证", passColumns, func(pg list.Page) ([]pass.Pass, error) {
		f.Page = pg
		items, _, err := s.db.Passes().List(ctx, p, f)
		return items, err
	}, func(ps pass.Pass) []any {
		status := translate("zh", ps.Status)
		if ps.Status != pass.Revoked && ps.Expired(now) {
			status += "(" + translate("zh", "expired") + ")"
		}
		last := ""
		if ps.ExpiresAt != nil {
			last = pass.LastDay(*ps.ExpiresAt, loc).Format(time.DateOnly)
		}
		return []any{ps.EnterpriseName, ps.Name, ps.Department, status, translate("zh", ps.Reason), at(&ps.RequestedAt), at(ps.IssuedAt), last}
	})
}
