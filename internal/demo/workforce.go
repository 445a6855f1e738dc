package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/health"
	"fugong/internal/idnum"
	"fugong/internal/ledger"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/store"
)

// workforceFirms is how many enterprises with an approved application get a roster
// besides the demo enterprise.
const workforceFirms = 3

var departments = []string{"生产一部", "生产二部", "质检部", "仓储物流部", "设备维修部", "行政部", "销售部"}

var transports = []string{"自驾", "公交", "高铁", "长途客车", "企业包车", "步行"}

// idNumber makes a valid, fictional resident ID number of the demo county for the n-th
// demo person: born 1965–2000, with its check character.
func idNumber(n int) string {
	year := 1965 + (n*7)%36
	month := 1 + (n*5)%12
	day := 1 + (n*11)%28
	first := fmt.Sprintf("%s%04d%02d%02d%03d", County, year, month, day, 100+n%900)
	c, err := idnum.CheckChar(first)
	if err != nil {
		panic(fmt.Sprintf("demo: bad ID number %q: %v", first, err))
	}
	return first + string(c)
}

// enterpriseActor is the enterprise's admin acting on its roster: the demo account when
// it is the demo enterprise, otherwise an invented one named in the audit trail.
func enterpriseActor(people []auth.Principal, id int64, name string) auth.Principal {
	for _, p := range people {
		if p.Role == auth.Enterprise && p.Scope.Kind == auth.ScopeEnterprise && p.Scope.ID == id {
			return p
		}
	}
	return auth.Principal{Username: "demo", Name: name + "防疫专人(演示)", Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: id}}
}

// passApprover is the grid leader of the enterprise's village, or the town's official
// when the enterprise lies in the town itself.
func passApprover(region string) auth.Principal {
	for _, v := range villages {
		if v.code == region {
			return auth.Principal{Username: "demo", Name: v.name + "网格长(演示)", Role: auth.Grid, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: v.code}}
		}
	}
	town := region
	if len(town) > 9 {
		town = town[:9]
	}
	name := town
	for _, t := range towns {
		if t.code == town {
			name = t.name
		}
	}
	return auth.Principal{Username: "demo", Name: name + "干部(演示)", Role: auth.Town, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: town}}
}

// returnDate picks the i-th person's return date for an origin class so that the clock
// shows people under the measure and people past it, and a few not back yet. round
// counts the times the origin classes have gone round.
func returnDate(oc policy.OriginClass, i, round int, today time.Time) time.Time {
	switch {
	case i%11 == 10:
		return time.Time{} // not back yet (or advised not to return)
	case oc.Measure == policy.MeasureAdviseNotReturn && i%3 != 0:
		return time.Time{}
	case (oc.Measure == policy.MeasureMonitor || oc.Measure == policy.MeasureIsolate || oc.Measure == policy.MeasureAdviseNotReturn) && oc.Days > 0 && round%2 == 0:
		return today.AddDate(0, 0, -(i % oc.Days)) // still under the measure
	case oc.Days > 0:
		return today.AddDate(0, 0, -(oc.Days + 1 + i%6)) // past it
	default:
		return today.AddDate(0, 0, -(1 + i%10))
	}
}

// workSite is the enterprise the site accounts (enterprise2, staff2, guard2) work at.
type workSite struct {
	id     int64
	name   string
	holder int64 // an employee with an active pass and no fever
}

// seedWorkforce fills the rosters of the demo enterprise and of a few enterprises with an
// approved application, issues passes for those who may work, records a day of
// temperature readings with one fever, and keeps the ledgers of one enterprise with its
// confirmed daily report of yesterday.
//
// It returns the first enterprise with passes (the one with the fever and the ledgers)
// and a person there holding an active pass, for the site accounts; zero when there is
// none.
func seedWorkforce(ctx context.Context, db *store.Store, pol *policy.Policy, people []auth.Principal, own int64) (site workSite, err error) {
	if len(pol.OriginClasses) == 0 {
		return site, nil
	}
	emps := db
	loc := pol.Location()
	now := db.Now()
	today := roster.Day(now, loc)

	apps, _, err := db.Applications().List(ctx, auth.System, application.Filter{Status: application.StatusApproved, Page: list.Page{Size: list.MaxSize}})
	if err != nil {
		return site, fmt.Errorf("demo workforce: %w", err)
	}
	slices.SortFunc(apps, func(a, b application.View) int { return cmp.Compare(a.EnterpriseID, b.EnterpriseID) })
	type target struct {
		id       int64
		name     string
		region   string
		approved bool
	}
	targets := []target{{id: own}}
	seen := map[int64]bool{own: true}
	for _, a := range apps {
		if len(targets) > workforceFirms || seen[a.EnterpriseID] {
			continue
		}
		seen[a.EnterpriseID] = true
		targets = append(targets, target{id: a.EnterpriseID, name: a.EnterpriseName, region: a.RegionCode, approved: true})
	}
	// Where the policy approves passes through a grid chain, an enterprise below designated
	// size in the grid account's village has a workforce too: its returning staff list
	// climbs from the village (above designated size, the chain starts at the town).
	if len(pol.GridChains) > 0 {
		for _, a := range apps {
			if seen[a.EnterpriseID] || a.RegionCode != sangyua {
				continue
			}
			e, err := db.GetEnterprise(ctx, auth.System, a.EnterpriseID)
			if err != nil {
				return site, fmt.Errorf("demo workforce: %w", err)
			}
			if !application.AboveScale(e) {
				seen[e.ID] = true
				targets = append(targets, target{id: e.ID, name: e.Name, region: e.RegionCode, approved: true})
				break
			}
		}
	}
	if e, err := db.GetEnterprise(ctx, auth.System, own); err == nil {
		targets[0].name, targets[0].region = e.Name, e.RegionCode
	} else {
		return site, fmt.Errorf("demo workforce: %w", err)
	}

	n := 0 // numbers the demo people across enterprises
	journeyMax := pol.Health.JourneyMaxHours
	ledgerDone := false
	for k, t := range targets {
		actor := enterpriseActor(people, t.id, t.name)
		size := 24 + (k*7)%14 // 24–37 people
		var working []int64
		for i := 0; i < size; i++ {
			n++
			oc := pol.OriginClasses[i%len(pol.OriginClasses)]
			e := roster.Employee{
				EnterpriseID: t.id,
				Name:         person(300 + n*3),
				IDNumber:     idNumber(n),
				Phone:        fmt.Sprintf("138%08d", 57320000+n*37),
				Department:   departments[(i+k)%len(departments)],
				Origin:       oc.Code,
				HomeAddress:  address(n, villages[n%len(villages)].code),
				ReturnDate:   returnDate(oc, i, i/len(pol.OriginClasses), today),
				Transport:    transports[(i+k)%len(transports)],
				JourneyHours: float64(1 + i%5),
				Trajectory:   "近14天居家,未前往疫情重点地区",
			}
			if !e.ReturnDate.IsZero() && oc.Measure != policy.MeasureNone {
				e.Trajectory = fmt.Sprintf("%s返回示范县,途中全程佩戴口罩", e.ReturnDate.In(loc).Format("1月2日"))
			}
			if journeyMax > 0 && i%9 == 4 {
				e.JourneyHours = float64(journeyMax + 2 + i%4) // over the policy's limit
			}
			// Rooms: most of those isolating have a single room, a few are still to be
			// given one; two in three of those at work sleep in the dormitory, as many to a
			// room as the policy allows.
			switch ph := roster.Clock(pol, e, now).Phase; {
			case ph == roster.Isolating && i%4 != 3:
				e.IsolationRoom = fmt.Sprintf("隔离楼%02d", i+1)
			case (ph == roster.Cleared || ph == roster.Monitoring) && i%3 != 2:
				e.DormRoom = fmt.Sprintf("宿舍%d-%02d", k+1, i/max(pol.Dormitory.MaxPerRoom, 1)+1)
			}
			created, err := emps.Roster().Create(ctx, actor, e)
			if err != nil {
				return site, fmt.Errorf("demo employee %s of %s: %w", e.Name, t.name, err)
			}
			if ph := created.Status.Phase; ph == roster.Cleared || ph == roster.Monitoring {
				working = append(working, created.ID)
			}
		}
		if !t.approved || len(working) == 0 {
			continue
		}
		holder, err := seedPasses(ctx, db, pol, emps, actor, t.region, working, k == 1, now)
		if err != nil {
			return site, fmt.Errorf("demo passes of %s: %w", t.name, err)
		}
		if site.id == 0 && holder != 0 {
			site = workSite{id: t.id, name: t.name, holder: holder}
		}
		if !ledgerDone {
			ledgerDone = true
			if err := seedLedgers(ctx, db, pol, actor, t.id, len(working), now); err != nil {
				return site, fmt.Errorf("demo ledgers of %s: %w", t.name, err)
			}
		}
	}
	if err := linkStaff(ctx, pol, emps, people, own, targets[0].region, today); err != nil {
		return site, fmt.Errorf("demo staff account's own record: %w", err)
	}
	return site, nil
}

// linkStaff gives the demo staff account its own person file in the demo enterprise, back
// and cleared, and links the two, so that the account's My pass page (/me) shows the
// person. The pass is issued here when the enterprise already holds a notice; otherwise
// the enterprise asks for it once the demo's draft has taken it to its notice.
func linkStaff(ctx context.Context, pol *policy.Policy, emps *store.Store, people []auth.Principal, own int64, region string, today time.Time) error {
	var staff auth.Principal
	for _, p := range people {
		if p.Role == auth.Staff && p.Scope.Kind == auth.ScopeEnterprise && p.Scope.ID == own {
			staff = p
		}
	}
	if staff.UserID == 0 {
		return nil
	}
	phone := ""
	for _, a := range accounts {
		if a.username == staff.Username {
			phone = a.phone
		}
	}
	oc := pol.OriginClasses[0]
	for _, c := range pol.OriginClasses {
		if c.Measure == policy.MeasureNone {
			oc = c
			break
		}
	}
	actor := enterpriseActor(people, own, "")
	e, err := emps.Roster().Create(ctx, actor, roster.Employee{EnterpriseID: own, Name: cmp.Or(staff.Name, "顾小燕"), IDNumber: idNumber(900), Phone: phone,
		Department: departments[0], Origin: oc.Code, HomeAddress: address(900, villages[0].code), ReturnDate: today.AddDate(0, 0, -(oc.Days + 5)),
		Transport: "自驾", JourneyHours: 1, Trajectory: "近14天居家,未前往疫情重点地区"})
	if err != nil {
		return err
	}
	ps, err := emps.Passes().Request(ctx, actor, []int64{e.ID})
	switch {
	case err == nil:
		if err := approvePasses(ctx, emps, region, []int64{ps[0].ID}); err != nil {
			return err
		}
	case apperr.KindOf(err) != apperr.Invalid: // no notice yet: no pass yet
		return err
	}
	_, err = emps.Roster().LinkAccount(ctx, actor, e.ID, staff.UserID)
	return err
}

// seedPasses requests and approves passes for the working people and records the day's
// readings of the pass holders; with fever set, one of them runs a temperature.
// It returns a holder of an active pass whose readings are normal.
func seedPasses(ctx context.Context, db *store.Store, pol *policy.Policy, emps *store.Store, actor auth.Principal,
	region string, working []int64, fever bool, now time.Time) (holder int64, err error) {
	requested, err := emps.Passes().Request(ctx, actor, working)
	if err != nil {
		return 0, err
	}
	ids := make([]int64, len(requested))
	for i, p := range requested {
		ids[i] = p.ID
	}
	// The last few are left waiting for the grid leader.
	approve := ids
	if len(ids) > 4 {
		approve = ids[:len(ids)-2]
	}
	if err := approvePasses(ctx, emps, region, approve); err != nil {
		return 0, err
	}
	// A day of readings: morning and afternoon at the gate.
	feverTemp := 38.2
	if line := pol.Health.FeverLine; line > 0 && line+0.5 > feverTemp {
		feverTemp = min(line+0.5, health.MaxTemperature)
	}
	morning := now.Add(-5 * time.Hour)
	afternoon := now.Add(-30 * time.Minute)
	var readings []health.Reading
	for i, p := range requested[:len(approve)] {
		readings = append(readings, health.Reading{EmployeeID: p.EmployeeID, Temperature: 36.2 + float64(i%6)/10, At: morning, Checkpoint: "厂区大门"})
	}
	for i, p := range requested[:len(approve)] {
		t := 36.3 + float64((i+3)%5)/10
		if fever && i == min(1, len(approve)-1) {
			t = feverTemp
		}
		readings = append(readings, health.Reading{EmployeeID: p.EmployeeID, Temperature: t, At: afternoon, Checkpoint: "厂区大门"})
	}
	if _, err = emps.Health().Record(ctx, actor, readings); err != nil {
		return 0, err
	}
	if fever && len(approve) < 2 {
		return 0, nil // the only holder runs the fever
	}
	return requested[0].EmployeeID, nil // the fever, if any, is the second's
}

// seedLedgers keeps yesterday's ledgers of an enterprise with people on site, and
// confirms its daily report of yesterday.
func seedLedgers(ctx context.Context, db *store.Store, pol *policy.Policy, actor auth.Principal, id int64, onSite int, now time.Time) error {
	loc := pol.Location()
	y := roster.Day(now, loc).AddDate(0, 0, -1)
	at := func(h, m int) time.Time { return time.Date(y.Year(), y.Month(), y.Day(), h, m, 0, 0, loc) }
	masksPerDay := max(pol.Resumption.MasksPerPersonPerDay, 1)
	stock := int64(onSite * masksPerDay * 14)
	entries := []ledger.Entry{
		{Kind: ledger.Supplies, At: at(8, 0), Item: application.ItemMasks, Quantity: stock, Note: "县防控物资调配"},
		{Kind: ledger.Supplies, At: at(8, 10), Item: application.ItemGloves, Quantity: int64(onSite * 10), Note: "采购入库"},
		{Kind: ledger.Supplies, At: at(8, 15), Item: application.ItemDisinfectant, Quantity: 40, Note: "采购入库"},
		{Kind: ledger.Supplies, At: at(8, 30), Item: application.ItemMasks, Quantity: -int64(onSite * masksPerDay), Note: "发放当日口罩"},
		{Kind: ledger.Supplies, At: at(8, 35), Item: application.ItemDisinfectant, Quantity: -4, Note: "车间、食堂消毒领用"},
		{Kind: ledger.Disinfection, At: at(7, 30), Area: "生产车间", Agent: "含氯消毒液(500mg/L)", Person: person(401)},
		{Kind: ledger.Disinfection, At: at(11, 0), Area: "员工食堂", Agent: "含氯消毒液(500mg/L)", Person: person(402)},
		{Kind: ledger.Disinfection, At: at(17, 30), Area: "办公区、电梯", Agent: "75%酒精", Person: person(401)},
		{Kind: ledger.Masks, At: at(18, 0), Quantity: int64(onSite * masksPerDay), Person: person(403)},
		{Kind: ledger.Training, At: at(9, 0), Topic: "复工防疫知识培训、发放防疫明白单",
			Names: person(404) + "、" + person(405) + "、" + person(406) + "、" + person(407) + "、" + person(408)},
	}
	for _, e := range entries {
		e.EnterpriseID = id
		if _, err := db.Ledgers().Add(ctx, actor, e); err != nil {
			return fmt.Errorf("%s ledger: %w", e.Kind, err)
		}
	}
	_, err := db.Ledgers().ConfirmDailyReport(ctx, actor, id, y.Format("2006-01-02"), "已核实, 确认上报")
	return err
}
