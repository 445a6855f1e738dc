package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/health"
	"fugong/internal/input"
	"fugong/internal/list"
	"fugong/internal/xlsx"
)

// --- health checks (体温检测) ---

type healthData struct {
	Unchecked      []health.Unchecked
	Repeats        []health.RepeatFlag
	FollowUps      []health.FollowUp
	FollowUpsTotal int // all of them, of which the first page is shown
	Last           *health.CheckResult
	FeverLine      float64
	PerDay         int
	Checkpoint     string
	CanFollow      bool
}

func (s *Server) renderHealth(w http.ResponseWriter, r *http.Request, status int, last *health.CheckResult, ferr error) error {
	p := principal(r)
	cp := strings.TrimSpace(r.FormValue("checkpoint"))
	d := healthData{Last: last, FeverLine: s.pol.Health.FeverLine, PerDay: s.pol.Health.ChecksPerDay, Checkpoint: cp, CanFollow: p.Can(auth.RosterView)}
	var err error
	if d.Unchecked, err = s.db.Health().Unchecked(r.Context(), p, 0, r.URL.Query().Get("at")); err != nil {
		return err
	}
	if d.Repeats, err = s.db.Health().Repeats(r.Context(), p, 0); err != nil {
		return err
	}
	if d.CanFollow {
		if d.FollowUps, d.FollowUpsTotal, err = s.db.Health().FollowUps(r.Context(), p, health.FollowUpFilter{}); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "health", "Health checks", d, ferr)
}

func (s *Server) healthPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderHealth(w, r, http.StatusOK, nil, nil)
}

func readingFromForm(r *http.Request) (health.Reading, error) {
	temp, err := parseTemp(r.FormValue("temperature"))
	if err != nil {
		return health.Reading{}, err
	}
	if temp == nil {
		return health.Reading{}, apperr.NewInvalid("temperature", "请填写体温", "Enter the temperature")
	}
	rd := health.Reading{Temperature: *temp, Checkpoint: r.FormValue("checkpoint")}
	who := strings.TrimSpace(r.FormValue("person"))
	if id, err := strconv.ParseInt(who, 10, 64); err == nil {
		rd.EmployeeID = id
	} else {
		rd.PassToken = who
	}
	for _, sym := range strings.Split(r.FormValue("symptoms"), ",") {
		if sym = strings.TrimSpace(sym); sym != "" {
			rd.Symptoms = append(rd.Symptoms, sym)
		}
	}
	if r.Form != nil {
		for _, sym := range r.Form["symptom"] {
			rd.Symptoms = append(rd.Symptoms, sym)
		}
	}
	return rd, nil
}

// healthRecord records one reading from the checkpoint page and shows the page again,
// ready for the next person.
func (s *Server) healthRecord(w http.ResponseWriter, r *http.Request) error {
	rd, err := readingFromForm(r)
	var res []health.CheckResult
	if err == nil {
		res, err = s.db.Health().Record(r.Context(), principal(r), []health.Reading{rd})
	}
	if err != nil {
		if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.NotFound {
			return s.renderHealth(w, r, statusOf[k], nil, err)
		}
		return err
	}
	return s.renderHealth(w, r, http.StatusOK, &res[0], nil)
}

type declareData struct {
	Token     string
	Last      *health.CheckResult
	FeverLine float64
}

func (s *Server) healthDeclarePage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "health_declare", "Declare my temperature",
		declareData{Token: r.URL.Query().Get("t"), FeverLine: s.pol.Health.FeverLine}, nil)
}

func (s *Server) healthDeclare(w http.ResponseWriter, r *http.Request) error {
	rd, err := readingFromForm(r)
	d := declareData{Token: r.FormValue("person"), FeverLine: s.pol.Health.FeverLine}
	var res []health.CheckResult
	if err == nil {
		res, err = s.db.Health().Record(r.Context(), principal(r), []health.Reading{rd})
	}
	if err != nil {
		if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.NotFound {
			return s.render(w, r, statusOf[k], "health_declare", "Declare my temperature", d, err)
		}
		return err
	}
	d.Last = &res[0]
	return s.render(w, r, http.StatusOK, "health_declare", "Declare my temperature", d, nil)
}

func (s *Server) followUpClose(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "健康跟踪记录")
	if err != nil {
		return err
	}
	if _, err := s.db.Health().CloseFollowUp(r.Context(), principal(r), id, health.FollowUpClose{Isolation: r.FormValue("isolation"),
		Referral: r.FormValue("referral"), Outcome: r.FormValue("outcome")}); err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Follow-up closed; the pass may be re-activated"))
	to := "/passes?status=suspended"
	if principal(r).Can(auth.HealthRecord) {
		to = "/health"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// parseTemp reads an optional temperature; "" is none.
func parseTemp(v string) (*float64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	t, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil, apperr.NewInvalid("temperature", "体温应为数字,例如 36.5", "The temperature must be a number, e.g. 36.5")
	}
	return &t, nil
}

type followUpsData struct {
	Items []health.FollowUp
	Open  int
	All   bool
	Pager pager
}

// followUpsPage lists the follow-ups of fevers in scope, the open ones first (the command,
// the town and the grid, who record no readings themselves, close them here too).
func (s *Server) followUpsPage(w http.ResponseWriter, r *http.Request) error {
	all, err := input.Flag("all", r.URL.Query().Get("all"))
	if err != nil {
		return err
	}
	ctx, p := r.Context(), principal(r)
	f := health.FollowUpFilter{OpenOnly: !all, Page: pageOf(r)}
	items, total, err := s.db.Health().FollowUps(ctx, p, f)
	if err != nil {
		return err
	}
	d := followUpsData{Items: items, All: all, Pager: newPager(r, f.Page, total)}
	if all {
		if _, d.Open, err = s.db.Health().FollowUps(ctx, p, health.FollowUpFilter{OpenOnly: true, Page: list.Page{Size: 1}}); err != nil {
			return err
		}
	} else {
		d.Open = total
	}
	return s.render(w, r, http.StatusOK, "followups", "Follow-ups", d, nil)
}

var followUpColumns = []xlsx.Column{
	{Key: "enterprise", Header: "企业名称", Width: 30}, {Key: "name", Header: "姓名", Width: 10}, {Key: "temperature", Header: "体温(℃)", Width: 10},
	{Key: "symptoms", Header: "症状", Width: 16}, {Key: "opened", Header: "发现时间", Width: 18}, {Key: "isolation", Header: "隔离措施", Width: 24},
	{Key: "referral", Header: "就医转诊", Width: 24}, {Key: "outcome", Header: "处置结果", Width: 24}, {Key: "closed", Header: "结案时间", Width: 18},
}

// followUpsExport writes the follow-ups the page lists (the open ones, or all with all=1),
// every page, as the register of fevers followed up (发热人员跟踪台账).
func (s *Server) followUpsExport(w http.ResponseWriter, r *http.Request) error {
	all, err := input.Flag("all", r.URL.Query().Get("all"))
	if err != nil {
		return err
	}
	ctx, p, loc := r.Context(), principal(r), s.pol.Location()
	return exportPages(w, "followups.xlsx", "发热人员跟踪台账.xlsx", "发热跟踪", followUpColumns, func(pg list.Page) ([]health.FollowUp, error) {
		items, _, err := s.db.Health().FollowUps(ctx, p, health.FollowUpFilter{OpenOnly: !all, Page: pg})
		return items, err
	}, func(f health.FollowUp) []any {
		closed := ""
		if f.ClosedAt != nil {
			closed = f.ClosedAt.In(loc).Format(time.DateTime)
		}
		return []any{f.EnterpriseName, f.Name, f.Temperature, f.Symptoms, f.OpenedAt.In(loc).Format(time.DateTime), f.Isolation, f.Referral, f.Outcome, closed}
	})
}
