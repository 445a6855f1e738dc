package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/files"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/request"
	"fugong/internal/xlsx"
)

type requestRow struct {
	request.Request
	KindName, StatusName, UnitName string
}

func (s *Server) requestRow(r *http.Request, q request.Request) requestRow {
	zh, en := q.Status.Name()
	return requestRow{Request: q, KindName: s.kindName(r, q.Kind), StatusName: pickLang(langOf(r), zh, en), UnitName: s.unitName(langOf(r), q.Unit)}
}

type requestsData struct {
	Items       []requestRow
	Pager       pager
	Filter      request.Filter
	Kinds       []policy.RequestKind
	Statuses    []tipOption
	Query       string
	Overdue     int // open requests past their deadline in the caller's reach
	Enterprises *entPicker
	Form        request.Input
}

func (s *Server) requestsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRequests(w, r, http.StatusOK, request.Input{}, nil)
}

func (s *Server) renderRequests(w http.ResponseWriter, r *http.Request, status int, form request.Input, ferr error) error {
	f, err := s.requestFilter(r)
	if err != nil {
		return err
	}
	p := principal(r)
	items, total, err := s.db.Requests().List(r.Context(), p, f)
	if err != nil {
		return err
	}
	_, late, err := s.db.Requests().List(r.Context(), p, request.Filter{Overdue: true, Page: list.Page{Size: 1}})
	if err != nil {
		return err
	}
	d := requestsData{Pager: newPager(r, f.Page, total), Filter: f, Kinds: s.pol.RequestKinds, Query: r.URL.RawQuery, Overdue: late, Form: form}
	for _, q := range items {
		d.Items = append(d.Items, s.requestRow(r, q))
	}
	for _, st := range request.Statuses {
		zh, en := st.Name()
		d.Statuses = append(d.Statuses, tipOption{string(st), pickLang(langOf(r), zh, en)})
	}
	if p.Can(auth.RequestsRaise) {
		ents, err := s.enterprisePicker(r, "enterprise_id", "eq", "entpick", form.EnterpriseID)
		if err != nil {
			return err
		}
		d.Enterprises = ents
	}
	return s.render(w, r, status, "requests", "Enterprise requests", d, ferr)
}

func (s *Server) requestCreate(w http.ResponseWriter, r *http.Request) error {
	ent, _ := strconv.ParseInt(r.FormValue("enterprise_id"), 10, 64)
	in := request.Input{EnterpriseID: ent, Kind: r.FormValue("kind"), Description: r.FormValue("description"), Urgent: r.FormValue("urgent") != ""}
	got, err := s.db.Requests().Raise(r.Context(), principal(r), in)
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.NotFound {
		return s.renderRequests(w, r, statusOf[k], in, err)
	}
	if err != nil {
		return err
	}
	flash(w, translate(langOf(r), "The request is sent to the unit that handles it"))
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(got.ID, 10), http.StatusSeeOther)
	return nil
}

var requestColumns = []xlsx.Column{
	{Key: "id", Header: "编号", Width: 8}, {Key: "raised", Header: "提出时间", Width: 18}, {Key: "enterprise", Header: "企业", Width: 30},
	{Key: "kind", Header: "诉求类别", Width: 14}, {Key: "description", Header: "诉求内容", Width: 50}, {Key: "urgent", Header: "紧急", Width: 8},
	{Key: "unit", Header: "承办单位", Width: 20}, {Key: "status", Header: "状态", Width: 16}, {Key: "due", Header: "办理期限", Width: 18},
	{Key: "overdue", Header: "是否超期", Width: 10}, {Key: "answer", Header: "答复", Width: 40}, {Key: "rating", Header: "企业评价", Width: 10},
}

// requestsExport writes the requests the filter shows as .xlsx.
func (s *Server) requestsExport(w http.ResponseWriter, r *http.Request) error {
	f, err := s.requestFilter(r)
	if err != nil {
		return err
	}
	p, loc := principal(r), s.pol.Location()
	return exportPages(w, "requests.xlsx", "企业诉求.xlsx", "企业诉求", requestColumns, func(pg list.Page) ([]request.Request, error) {
		f.Page = pg
		items, _, err := s.db.Requests().List(r.Context(), p, f)
		return items, err
	}, func(q request.Request) []any {
		zh, _ := q.Status.Name()
		k, _ := s.pol.RequestKind(q.Kind)
		rating := ""
		if q.Rating > 0 {
			rating = strconv.Itoa(q.Rating)
		}
		return []any{q.ID, q.CreatedAt.In(loc).Format(time.DateTime), q.EnterpriseName, k.Name, q.Description, yesNo("zh", q.Urgent),
			s.unitName("zh", q.Unit), zh, q.Due.In(loc).Format(time.DateTime), yesNo("zh", q.Overdue), q.Answer, rating}
	})
}

type requestData struct {
	requestRow
	Actions  []tipOption
	Units    []tipOption // where a transfer may go
	History  []historyRow
	Escalate string // the unit an escalation goes to
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRequest(w, r, http.StatusOK, nil)
}

func (s *Server) renderRequest(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	id, err := pathID(r, "诉求")
	if err != nil {
		return err
	}
	p := principal(r)
	q, err := s.db.Requests().Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	hist, err := s.db.Requests().History(r.Context(), p, id)
	if err != nil {
		return err
	}
	d := requestData{requestRow: s.requestRow(r, q), History: s.requestHistory().rows(langOf(r), hist), Escalate: s.unitName(langOf(r), s.pol.Requests.EscalateTo)}
	for _, a := range q.Actions {
		zh, en := a.Name()
		d.Actions = append(d.Actions, tipOption{string(a), pickLang(langOf(r), zh, en)})
	}
	for _, u := range s.pol.Units {
		if u.Code != q.Unit && u.Role != string(auth.Enterprise) && u.Role != string(auth.Park) {
			d.Units = append(d.Units, tipOption{u.Code, pickLang(langOf(r), u.Name, u.NameEN)})
		}
	}
	return s.render(w, r, status, "request", "Enterprise request", d, ferr)
}

// Has reports whether the request's caller may take action a.
func (d requestData) Has(a string) bool {
	for _, x := range d.Actions {
		if x.Code == a {
			return true
		}
	}
	return false
}

func (s *Server) requestTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "诉求")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.FormValue("version"))
	rating, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("rating")))
	c := request.Change{Action: request.Action(r.FormValue("action")), Text: r.FormValue("comment"), Unit: r.FormValue("unit"), Rating: rating}
	_, err = s.db.Requests().Act(r.Context(), principal(r), id, c, version)
	switch k := apperr.KindOf(err); k {
	case 0:
	case apperr.Invalid, apperr.Conflict:
		return s.renderRequest(w, r, statusOf[k], err)
	default:
		return err
	}
	flash(w, translate(langOf(r), "The request is updated"))
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// requestAttach keeps an attachment sent from the request's page.
func (s *Server) requestAttach(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "诉求")
	if err != nil {
		return err
	}
	p := principal(r)
	if _, err := s.db.Requests().Get(r.Context(), p, id); err != nil {
		return err
	}
	err = s.attachUploaded(r, func(name string, st files.Stored) error {
		_, err := s.db.Requests().Attach(r.Context(), p, id, request.File{Name: name, SHA256: st.SHA256, ContentType: st.ContentType, Size: st.Size})
		return err
	})
	if k := apperr.KindOf(err); k == apperr.Invalid {
		return s.renderRequest(w, r, statusOf[k], err)
	}
	if err != nil {
		return err
	}
	flash(w, translate(langOf(r), "The file is attached"))
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// requestHistory names a request's history.
func (s *Server) requestHistory() historyNames {
	return historyNames{
		action: func(c string) (string, string) { return request.Action(c).Name() },
		status: func(c string) (string, string) { return request.Status(c).Name() },
		other:  map[string][2]string{"request.raise": {"提出诉求", "Request raised"}, "request.attach": {"上传附件", "File attached"}},
		more: func(lang string, sum map[string]any) string {
			from, _ := sum["from_unit"].(string)
			to, _ := sum["to_unit"].(string)
			switch {
			case to != "":
				return s.unitName(lang, from) + " → " + s.unitName(lang, to)
			case sum["rating"] != nil:
				return fmt.Sprintf(pickLang(lang, "评价 %v 分", "rated %v"), sum["rating"])
			}
			if u, ok := sum["unit"].(string); ok && u != "" {
				return pickLang(lang, "分派至 ", "sent to ") + s.unitName(lang, u)
			}
			if name, ok := sum["name"].(string); ok {
				return name
			}
			return ""
		},
	}
}
