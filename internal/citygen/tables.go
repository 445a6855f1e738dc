package citygen

import (
	"encoding/json"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"fugong/internal/application"
	"fugong/internal/demo"
	"fugong/internal/enterprise"
	"fugong/internal/roster"
	"fugong/internal/store"
)

// table is one table of the bulk load: its columns and a source of rows given the first
// free id.
type table struct {
	name string
	cols []string
	rows func(base int64) source
}

// each makes the rows of a table by calling fill for i from 0 to n-1, which emits rows:
// in a goroutine of its own, a batch of rows ahead of the database, so that making rows
// and writing them run side by side. fill runs in order, one call at a time; the table's
// rows are all made once next has returned nil. stop ends the goroutine early.
func each(n int, fill func(i int, emit func(...any)) error) source {
	type batch struct {
		rows [][]any
		err  error
	}
	ch := make(chan batch, 16)
	done := make(chan struct{})
	go func() {
		defer close(ch)
		var buf [][]any
		emit := func(v ...any) { buf = append(buf, v) }
		send := func(b batch) bool {
			select {
			case ch <- b:
				return true
			case <-done:
				return false
			}
		}
		for i := range n {
			if err := fill(i, emit); err != nil {
				send(batch{err: err})
				return
			}
			if len(buf) >= 1024 {
				if !send(batch{rows: buf}) {
					return
				}
				buf = nil
			}
		}
		if len(buf) > 0 {
			send(batch{rows: buf})
		}
	}()
	var cur [][]any
	next := func() ([]any, error) {
		for len(cur) == 0 {
			b, ok := <-ch
			if !ok {
				return nil, nil
			}
			if b.err != nil {
				return nil, b.err
			}
			cur = b.rows
		}
		row := cur[0]
		cur = cur[1:]
		return row, nil
	}
	var once sync.Once
	return source{next: next, stop: func() {
		once.Do(func() { close(done) })
		for range ch { // wait for the goroutine: what it changed is seen after stop
		}
	}}
}

// eachPar is each for a fill that may run for several i at once (it changes nothing
// shared but what belongs to i): windows of i are filled by one goroutine a core, and
// their rows given in the order of i.
func eachPar(n int, fill func(i int, emit func(...any)) error) source {
	const window = 256
	workers := max(runtime.GOMAXPROCS(0), 1)
	return each((n+window-1)/window, func(w int, emit func(...any)) error {
		lo, hi := w*window, min(n, (w+1)*window)
		bufs := make([][][]any, hi-lo)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for k := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := lo + k; i < hi; i += workers {
					j := i - lo
					if err := fill(i, func(v ...any) { bufs[j] = append(bufs[j], v) }); err != nil {
						errs[k] = err
						return
					}
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		for _, b := range bufs {
			for _, row := range b {
				emit(row...)
			}
		}
		return nil
	})
}

// source is a table's rows: next gives them, nil at the end; stop must be called once
// the table is written or abandoned.
type source struct {
	next func() ([]any, error)
	stop func()
}

// step is one transition of an application as generated.
type step struct {
	t  application.Transition
	at time.Time
}

// walk is the path of an application through the policy's workflow.
type walk struct {
	a       application.Application
	steps   []step
	created time.Time
	notice  int // index of the step that issues the notice, -1 none
}

// walkOf takes an enterprise's application as far as its plan says.
func (g *gen) walkOf(en *ent, r *rand.Rand) walk {
	created := g.now.Add(-time.Duration(24*(g.c.Days+5)+r.IntN(72)) * time.Hour)
	staff := max(en.n/2, 4)
	a := demo.CompleteApplication(g.pol, en.e, created, staff)
	a.EarlyResumption = application.EarlyResumption(g.pol, a)
	a.Status = application.StatusDraft
	w := walk{created: created, notice: -1}
	at := created
	move := func(pick func([]application.Transition) (application.Transition, bool)) bool {
		ts, err := application.Transitions(g.pol, en.e, a)
		if err != nil || len(ts) == 0 {
			return false
		}
		t, ok := pick(ts)
		if !ok {
			return false
		}
		at = at.Add(time.Duration(2+r.IntN(20)) * time.Hour)
		if t.Issues == "notice" || (t.To == application.StatusApproved && t.Issues == "") {
			w.notice = len(w.steps)
		}
		w.steps = append(w.steps, step{t: t, at: at})
		a.Status = t.To
		return true
	}
	forward := func(ts []application.Transition) (application.Transition, bool) { return ts[0], true }
	by := func(acts ...application.Action) func([]application.Transition) (application.Transition, bool) {
		return func(ts []application.Transition) (application.Transition, bool) {
			for _, t := range ts {
				for _, act := range acts {
					if t.Action == act {
						return t, true
					}
				}
			}
			return application.Transition{}, false
		}
	}
	switch en.plan {
	case appApproved:
		for a.Status != application.StatusApproved && move(forward) && len(w.steps) < 20 {
		}
	case appReview:
		k := 1 + r.IntN(3)
		for range k {
			if ts, _ := application.Transitions(g.pol, en.e, a); len(ts) > 0 && ts[0].To == application.StatusApproved {
				break
			}
			move(forward)
		}
	case appReturned:
		move(forward)
		move(by(application.Return, application.Fail))
	case appRejected:
		move(forward)
		move(by(application.Reject))
	case appWithdrawn:
		move(by(application.Withdraw))
	}
	w.a = a
	return w
}

// tables lists the bulk tables in the order their references need.
func (g *gen) tables() []table {
	days := g.c.Days
	walks := make([]walk, len(g.ents))
	var appRows []int // index of the enterprise of each application
	return []table{
		{"enterprises", []string{"id", "name", "uscc", "category", "region_code", "park_id", "status", "has_canteen", "has_dormitory",
			"has_bus", "key_enterprise", "legal_rep", "prevention_lead", "prevention_phone", "address", "headcount", "version", "created_at", "updated_at"},
			func(base int64) source {
				// The applications are walked first: an approved one makes its enterprise resumed.
				for i := range g.ents {
					en := &g.ents[i]
					en.id = base + int64(i)
					en.e.ID = en.id
					if en.plan != appNone {
						walks[i] = g.walkOf(en, rand.New(rand.NewPCG(g.c.Seed^0xa11ce, uint64(i))))
						appRows = append(appRows, i)
						if walks[i].notice >= 0 {
							en.notice = true
							en.e.Status = enterprise.Resumed
						}
					}
					if !en.notice {
						en.ledgers = false
					}
				}
				return each(len(g.ents), func(i int, emit func(...any)) error {
					en := &g.ents[i]
					e := en.e
					var park any
					if e.ParkID != 0 {
						park = e.ParkID
					}
					emit(en.id, e.Name, e.USCC, e.Category, e.RegionCode, park, string(e.Status), e.HasCanteen, e.HasDormitory, e.HasBus,
						e.KeyEnterprise, e.LegalRep, e.PreventionLead, e.PreventionPhone, e.Address, e.Headcount, 1, g.now, g.now)
					return nil
				})
			}},
		{"employees", store.EmployeeColumns, func(base int64) source {
			g.empBase = base
			return eachPar(len(g.ents), func(i int, emit func(...any)) error {
				en := &g.ents[i]
				for k := range en.n {
					p := en.first + k
					e := g.person(en, p)
					row := g.st.EmployeeRow(base+int64(p), e, g.now)
					g.who[p] = who{phase: roster.Phase(row[len(row)-3].(string)), onFrom: g.onSiteFrom(e)}
					emit(row...)
				}
				return nil
			})
		}},
		{"applications", []string{"id", "enterprise_id", "status", "version", "policy_version", "planned_at", "early_resumption", "green_channel",
			"on_behalf", "form", "route_unit", "first_review_unit", "stage_role", "stage_unit", "priority", "submitted_at", "due_at", "decided_at",
			"created_at", "updated_at"}, func(base int64) source {
			return each(len(appRows), func(k int, emit func(...any)) error {
				en := &g.ents[appRows[k]]
				w := walks[appRows[k]]
				en.appID = base + int64(k)
				route := application.RouteFor(g.pol, en.e)
				var stageRole, stageUnit string
				if st, ok := application.StageOf(g.pol, en.e, w.a); ok && !application.Terminal(w.a.Status) && w.a.Status != application.StatusApproved {
					stageRole, stageUnit = g.pol.StageActor(st, route)
				}
				var submitted, due, decided any
				priority := 0.0
				updated := w.created
				for _, s := range w.steps {
					updated = s.at
					switch s.t.Action {
					case application.Submit:
						submitted, due = s.at, s.at.AddDate(0, 0, max(g.pol.Resumption.ReviewDueDays, 1))
						priority = application.Priority(g.pol, en.e, w.a)
					case application.Approve, application.Reject, application.Withdraw:
						decided = s.at
					}
				}
				emit(en.appID, en.id, w.a.Status, 1+len(w.steps), g.pol.Version, w.a.PlannedAt, w.a.EarlyResumption, false, false,
					store.ApplicationForm(w.a), route.Unit, route.FirstReview, stageRole, stageUnit, priority, submitted, due, decided, w.created, updated)
				return nil
			})
		}},
		{"application_versions", []string{"application_id", "version", "form", "planned_at", "created_at"}, func(int64) source {
			return each(len(appRows), func(k int, emit func(...any)) error {
				en, w := &g.ents[appRows[k]], walks[appRows[k]]
				for j, s := range w.steps {
					if s.t.Action == application.Submit {
						emit(en.appID, j+2, store.ApplicationForm(w.a), w.a.PlannedAt, s.at)
					}
				}
				return nil
			})
		}},
		{"application_events", []string{"application_id", "action", "from_status", "to_status", "actor_id", "actor_name", "actor_role",
			"comment", "policy_version", "at"}, func(int64) source {
			return each(len(appRows), func(k int, emit func(...any)) error {
				en, w := &g.ents[appRows[k]], walks[appRows[k]]
				for _, s := range w.steps {
					role := ""
					if len(s.t.Roles) > 0 {
						role = s.t.Roles[0]
					}
					name := en.e.Name + "防疫专人(生成)"
					if u, ok := g.pol.Unit(s.t.Unit); ok {
						name = u.Name + "经办人(生成)"
					} else if role != "enterprise" {
						name = role + "经办人(生成)"
					}
					comment := "同意"
					switch s.t.Action {
					case application.Return, application.Fail:
						comment = "口罩储备不足 7 天用量,请补充后重新提交"
					case application.Reject:
						comment = "不符合复工条件"
					case application.Submit, application.Withdraw:
						comment = ""
					}
					emit(en.appID, string(s.t.Action), s.t.From, s.t.To, nil, name, role, comment, g.pol.Version, s.at)
				}
				return nil
			})
		}},
		{"acceptances", []string{"application_id", "stage", "inspector_id", "inspector_name", "items", "opinion", "signature", "passed", "created_at"},
			func(int64) source {
				var items []application.ItemResult
				for _, c := range g.pol.Checklist {
					items = append(items, application.ItemResult{Code: c.Code, Result: "pass"})
				}
				js, _ := json.Marshal(items)
				return each(len(appRows), func(k int, emit func(...any)) error {
					en, w := &g.ents[appRows[k]], walks[appRows[k]]
					for _, s := range w.steps {
						if s.t.Checklist && (s.t.Action == application.Pass || s.t.Action == application.Fail) {
							emit(en.appID, s.t.Stage, nil, "验收组(生成)", string(js), "防控措施落实到位,同意复工", "验收组", s.t.Action == application.Pass, s.at)
						}
					}
					return nil
				})
			}},
		g.noticesTable(walks, &appRows),
		g.serialsTable(),
		g.passesTable(),
		g.readingsTable(days),
		{"health_followups", []string{"employee_id", "enterprise_id", "check_id", "opened_at"}, func(int64) source {
			return each(len(g.fevers), func(k int, emit func(...any)) error {
				f := g.fevers[k]
				emit(f.employee, f.enterprise, f.check, f.at)
				return nil
			})
		}},
		g.gateTable(),
		g.ledgerTable(),
		g.reportTable(),
	}
}
