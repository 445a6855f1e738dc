package citygen

import (
	"cmp"
	"math/rand/v2"
	"time"

	"fugong/internal/application"
	"fugong/internal/gate"
	"fugong/internal/health"
	"fugong/internal/idnum"
	"fugong/internal/ledger"
	"fugong/internal/notice"
	"fugong/internal/pass"
	"fugong/internal/roster"
)

// fever is a reading at or above the fever line and the follow-up it opens.
type fever struct {
	employee, enterprise, check int64
	at                          time.Time
}

type serialKey struct {
	issuer string
	year   int
}

// noticesTable issues the notices of the applications that reached one, numbered in
// each issuer's series; serialsTable then records where each series stands.
func (g *gen) noticesTable(walks []walk, appRows *[]int) table {
	return table{"notices", []string{"id", "application_id", "enterprise_id", "issuer_unit", "year", "seq", "serial", "token", "issued_at", "issued_by"},
		func(base int64) source {
			id := base
			return each(len(*appRows), func(k int, emit func(...any)) error {
				en, w := &g.ents[(*appRows)[k]], walks[(*appRows)[k]]
				if w.notice < 0 {
					return nil
				}
				s := w.steps[w.notice]
				issuer := cmp.Or(s.t.Unit, application.RouteFor(g.pol, en.e).Unit)
				year := notice.Year(g.pol, s.at)
				key := serialKey{issuer, year}
				g.serials[key]++
				if _, ok := g.serialOrder[key]; !ok {
					g.serialOrder[key] = len(g.serialOrder)
					g.serialKeys = append(g.serialKeys, key)
				}
				seq := g.serials[key]
				serial := g.pol.NoticeSerial(year, seq)
				tok, err := g.st.SignNotice(id, serial, en.e.Name, en.id, s.at)
				if err != nil {
					return err
				}
				emit(id, en.appID, en.id, issuer, year, seq, serial, tok, s.at, nil)
				id++
				return nil
			})
		}}
}

func (g *gen) serialsTable() table {
	return table{"serials", []string{"issuer", "kind", "year", "last"}, func(int64) source {
		return each(len(g.serialKeys), func(k int, emit func(...any)) error {
			key := g.serialKeys[k]
			emit(key.issuer, notice.SeriesNotice, key.year, g.serials[key])
			return nil
		})
	}}
}

// onSiteToday reports whether person p is at work today.
func (g *gen) onSiteToday(p int) bool { return g.who[p].onFrom <= g.c.Days-1 }

// passesTable gives a pass to everyone allowed to work (cleared or monitored) at an
// enterprise holding a notice: most active, some waiting for approval, a few suspended
// for missed checks; a few active holders run a fever this afternoon, which suspends
// their pass.
func (g *gen) passesTable() table {
	return table{"passes", []string{"id", "employee_id", "enterprise_id", "status", "reason", "token", "requested_by", "requested_at",
		"approved_by", "issued_at", "expires_at", "updated_at"}, func(base int64) source {
		// Who holds which pass is drawn first, in order; the rows, with their signed
		// tokens, are made a core at a time.
		id := base
		for i := range g.ents {
			en := &g.ents[i]
			if !en.notice {
				continue
			}
			holders := 0
			for k := range en.n {
				p := en.first + k
				w := &g.who[p]
				if w.phase != roster.Cleared && w.phase != roster.Monitoring {
					continue
				}
				w.pass, w.status = id, g.passStatus(p)
				id++
				if w.status == pass.Active && g.onSiteToday(p) {
					holders++
					// The enterprise account's second holder, and one in 4,000 elsewhere.
					if (i == 0 && holders == 2) || (i > 0 && rand.New(rand.NewPCG(g.c.Seed^0xfe7e2, uint64(p))).IntN(4000) == 0) {
						w.fever = true
					}
				}
			}
		}
		return eachPar(len(g.ents), func(i int, emit func(...any)) error {
			en := &g.ents[i]
			if !en.notice {
				return nil
			}
			for k := range en.n {
				p := en.first + k
				w := g.who[p]
				if w.pass == 0 {
					continue
				}
				requested := g.now.Add(-time.Duration(24+k%48) * time.Hour)
				var reason, token string
				var issued, expires any
				if w.status != pass.Requested {
					e := g.person(en, p)
					e.ID = g.empBase + int64(p)
					tok, exp, err := g.st.SignPass(w.pass, e, g.now)
					if err != nil {
						return err
					}
					token, issued, expires = tok, g.now, exp
				}
				switch {
				case w.fever:
					reason = pass.ReasonFever
				case w.status == pass.Suspended:
					reason = pass.ReasonMissedChecks
				}
				status := w.status
				if w.fever {
					status = pass.Suspended
				}
				emit(w.pass, g.empBase+int64(p), en.id, status, reason, token, nil, requested, nil, issued, expires, g.now)
			}
			return nil
		})
	}}
}

// readings is person p's readings: two a day on every day at work, the morning one first.
func (g *gen) readings(p int, fn func(day, slot int, at time.Time, temp float64)) {
	w := g.who[p]
	if w.pass == 0 || w.status == pass.Requested {
		return
	}
	r := rand.New(rand.NewPCG(g.c.Seed^0x7e49, uint64(p)))
	last := g.c.Days - 1
	if w.status == pass.Suspended {
		last-- // suspended before today: no readings today
	}
	for d := max(w.onFrom, 0); d <= last; d++ {
		m := r.IntN(50)
		fn(d, 0, g.readingAt(d, 8, m), 36.0+float64(r.IntN(9))/10)
		t := 36.1 + float64(r.IntN(9))/10
		if w.fever && d == g.c.Days-1 {
			t = g.feverTemp()
		}
		fn(d, 1, g.readingAt(d, 14, m), t)
	}
}

func (g *gen) readingsTable(int) table {
	return table{"health_checks", []string{"id", "employee_id", "enterprise_id", "day", "taken_at", "temperature", "symptoms", "checkpoint",
		"source", "operator_id", "fever", "created_at"}, func(base int64) source {
		id := base
		return each(len(g.ents), func(i int, emit func(...any)) error {
			en := &g.ents[i]
			if !en.notice {
				return nil
			}
			for k := range en.n {
				p := en.first + k
				emp := g.empBase + int64(p)
				g.readings(p, func(d, slot int, at time.Time, temp float64) {
					fev, _ := health.Fever(g.pol.Health, temp, nil)
					if fev {
						g.fevers = append(g.fevers, fever{employee: emp, enterprise: en.id, check: id, at: at})
					}
					emit(id, emp, en.id, roster.FormatDate(at, g.loc), at, temp, "", Checkpoint, health.SourceCheckpoint, nil, fev, at)
					id++
				})
			}
			return nil
		})
	}}
}

// gateTable logs this morning's scans at the gate: holders let in, suspended passes
// stopped.
func (g *gen) gateTable() table {
	return table{"gate_events", []string{"enterprise_id", "kind", "pass_id", "employee_id", "allow", "reason", "temperature", "name", "phone",
		"id_masked", "day", "at", "checkpoint"}, func(int64) source {
		return each(len(g.ents), func(i int, emit func(...any)) error {
			en := &g.ents[i]
			if !en.notice {
				return nil
			}
			for k := range en.n {
				p := en.first + k
				w := g.who[p]
				if w.pass == 0 || w.status == pass.Requested || !g.onSiteToday(p) {
					continue
				}
				e := g.person(en, p)
				allow, reason := true, gate.OK
				if w.status == pass.Suspended {
					allow, reason = false, gate.Suspended
				}
				g.readings(p, func(d, slot int, at time.Time, temp float64) {
					if d == g.c.Days-1 && slot == 0 {
						emit(en.id, gate.KindEmployee, w.pass, g.empBase+int64(p), allow, reason, temp, roster.MaskName(e.Name), "",
							idnum.Mask(e.IDNumber), roster.FormatDate(at, g.loc), at, Checkpoint)
					}
				})
				if w.status == pass.Suspended {
					d := g.c.Days - 1
					at := g.readingAt(d, 8, 5)
					emit(en.id, gate.KindEmployee, w.pass, g.empBase+int64(p), allow, reason, nil, roster.MaskName(e.Name), "",
						idnum.Mask(e.IDNumber), roster.FormatDate(at, g.loc), at, Checkpoint)
				}
			}
			return nil
		})
	}}
}

// figures are an enterprise's daily report figures of day d, as the store computes them:
// everyone back by the end of the day counted by the day's clock.
func (g *gen) figures(en *ent, d int) ledger.DailyReport {
	day := g.day(d)
	next := day.AddDate(0, 0, 1)
	at := next.Add(-time.Second)
	r := ledger.DailyReport{EnterpriseID: en.id, EnterpriseName: en.e.Name, Day: day.Format("2006-01-02")}
	for k := range en.n {
		e := g.person(en, en.first+k)
		if !e.ReturnDate.IsZero() && !roster.Day(e.ReturnDate, g.loc).Before(next) {
			continue
		}
		r.Count(roster.Clock(g.pol, e, at).Phase)
	}
	return r
}

// ledgerDays computes, once, the figures of the past days of the enterprises keeping
// ledgers, and their mask stock at the end of each day.
func (g *gen) ledgerDays() {
	if g.reports != nil {
		return
	}
	g.reports = map[int][]ledger.DailyReport{}
	mpd := int64(max(g.pol.Resumption.MasksPerPersonPerDay, 1))
	for i := range g.ents {
		en := &g.ents[i]
		if !en.ledgers {
			continue
		}
		var rs []ledger.DailyReport
		stock := int64(en.n) * mpd * int64(g.c.Days+14)
		for d := range g.c.Days - 1 {
			r := g.figures(en, d)
			if d == 0 {
				r.MaskStock = stock
			}
			stock -= int64(r.OnSite) * mpd
			r.MaskStock = stock
			r.Conclude(g.pol)
			rs = append(rs, r)
		}
		g.reports[i] = rs
	}
}

// ledgerTable keeps the ledgers of a few enterprises on every past day: supplies in and
// out, disinfection, used masks, training.
func (g *gen) ledgerTable() table {
	return table{"ledger_entries", []string{"enterprise_id", "kind", "at", "area", "agent", "person", "item", "quantity", "topic", "names", "note", "created_at"},
		func(int64) source {
			g.ledgerDays()
			mpd := int64(max(g.pol.Resumption.MasksPerPersonPerDay, 1))
			return each(len(g.ents), func(i int, emit func(...any)) error {
				en := &g.ents[i]
				r := rand.New(rand.NewPCG(g.c.Seed^0x1ed9e, uint64(i)))
				for d, rep := range g.reports[i] {
					day := g.day(d)
					at := func(h, m int) time.Time {
						return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, g.loc).UTC()
					}
					row := func(kind ledger.Kind, t time.Time, area, agent, person, item string, qty int64, topic, names, note string) {
						emit(en.id, string(kind), t, area, agent, person, item, qty, topic, names, note, t)
					}
					if d == 0 {
						row(ledger.Supplies, at(8, 0), "", "", "", application.ItemMasks, int64(en.n)*mpd*int64(g.c.Days+14), "", "", "县防控物资调配")
						row(ledger.Supplies, at(8, 10), "", "", "", application.ItemDisinfectant, 40, "", "", "采购入库")
						row(ledger.Training, at(9, 0), "", "", "", "", int64(rep.OnSite), "复工防疫知识培训、发放防疫明白单", personName(r)+"、"+personName(r), "")
					}
					if rep.OnSite > 0 {
						row(ledger.Supplies, at(8, 30), "", "", "", application.ItemMasks, -int64(rep.OnSite)*mpd, "", "", "发放当日口罩")
					}
					row(ledger.Disinfection, at(7, 30), "生产车间", "含氯消毒液(500mg/L)", personName(r), "", 0, "", "", "")
					row(ledger.Disinfection, at(11, 0), "员工食堂", "含氯消毒液(500mg/L)", personName(r), "", 0, "", "", "")
					row(ledger.Masks, at(18, 0), "", "", personName(r), "", int64(rep.OnSite)*mpd, "", "", "")
				}
				return nil
			})
		}}
}

// reportTable confirms the daily reports of the enterprises keeping ledgers, every past day.
func (g *gen) reportTable() table {
	return table{"daily_reports", []string{"enterprise_id", "day", "on_site", "isolating", "monitoring", "fevers", "passes_suspended", "mask_stock",
		"cover_days", "zero", "note", "confirmed_by", "confirmer_name", "confirmed_at"}, func(int64) source {
		g.ledgerDays()
		return each(len(g.ents), func(i int, emit func(...any)) error {
			en := &g.ents[i]
			for d, r := range g.reports[i] {
				at := g.day(d).Add(20 * time.Hour).UTC()
				emit(en.id, r.Day, r.OnSite, r.Isolating, r.Monitoring, r.Fevers, r.PassesSuspended, r.MaskStock, r.CoverDays, r.Zero,
					"已核实, 确认上报", nil, en.e.Name+"防疫专人(生成)", at)
			}
			return nil
		})
	}}
}
