package citygen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/demo"
	"fugong/internal/enterprise"
	"fugong/internal/health"
	"fugong/internal/idnum"
	"fugong/internal/ledger"
	"fugong/internal/list"
	"fugong/internal/pass"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/roster"
	"fugong/internal/store"
)

// Login is one account of the city.
type Login struct {
	Username    string
	Role        auth.Role
	Scope       string
	Description string
}

// Table is the rows written to one table and the time it took.
type Table struct {
	Name string
	Rows int64
	Took time.Duration
}

// Result is what Generate made.
type Result struct {
	Logins []Login
	Tables []Table
	Took   time.Duration
}

// Progress is told of every table written.
type Progress func(t Table)

// Checkpoint is where the city's readings are taken and its gates scanned.
const Checkpoint = "厂区大门"

// ent is an enterprise of the city as generated.
type ent struct {
	id        int64
	e         enterprise.Enterprise
	first, n  int // its people: first index and count
	plan      appPlan
	notice    bool // holds a notice: its people may hold passes
	ledgers   bool // keeps ledgers and confirms daily reports
	appID     int64
	masksUsed int64
}

// appPlan is how far an enterprise's application goes.
type appPlan int

const (
	appNone appPlan = iota
	appDraft
	appReview // somewhere in review: steps forward then stops
	appReturned
	appRejected
	appWithdrawn
	appApproved
)

// who is one generated person's facts the later tables need.
type who struct {
	phase  roster.Phase
	onFrom int // the first day (index into the days, today = days-1) on site; > days-1 never
	pass   int64
	status string // of the pass
	fever  bool
}

type gen struct {
	c     Config
	st    *store.Store
	pol   *policy.Policy
	loc   *time.Location
	now   time.Time
	today time.Time
	plan  plan
	parks []int64 // park ids by county*3+k
	ents  []ent
	who   []who

	empBase     int64 // the id of the first person
	fevers      []fever
	serials     map[serialKey]int
	serialOrder map[serialKey]int
	serialKeys  []serialKey
	reports     map[int][]ledger.DailyReport // by enterprise index: the past days' figures
}

// Generate fills an empty database with the city. It refuses a database that holds
// enterprises or regions of the city already.
func Generate(ctx context.Context, st *store.Store, c Config, progress Progress) (Result, error) {
	start := time.Now()
	if err := c.Check(); err != nil {
		return Result{}, err
	}
	if progress == nil {
		progress = func(Table) {}
	}
	pol := st.Policy()
	if len(pol.OriginClasses) == 0 || len(pol.Categories) == 0 {
		return Result{}, apperr.NewInvalid("policy", "政策未定义来源地分类或企业类别, 无法生成测试城市", "The policy defines no origin classes or no enterprise categories: no city can be generated")
	}
	if _, total, err := st.ListEnterprises(ctx, auth.System, enterprise.Filter{Page: list.Page{Size: 1}}); err != nil {
		return Result{}, err
	} else if total > 0 {
		return Result{}, apperr.NewConflict(fmt.Sprintf("数据库中已有 %d 家企业; 测试城市只能生成在空数据库中", total),
			fmt.Sprintf("The database holds %d enterprises already; a city is generated into an empty database only", total))
	}
	g := &gen{c: c, st: st, pol: pol, loc: pol.Location(), now: st.Now().UTC().Truncate(time.Second),
		serials: map[serialKey]int{}, serialOrder: map[serialKey]int{}}
	g.today = roster.Day(g.now, g.loc)
	g.plan = newPlan(c)
	var res Result
	step := func(name string, rows int64, t0 time.Time) {
		t := Table{Name: name, Rows: rows, Took: time.Since(t0)}
		res.Tables = append(res.Tables, t)
		progress(t)
	}

	t0 := time.Now()
	n, err := g.regions(ctx)
	if err != nil {
		return res, err
	}
	step("regions", int64(n), t0)
	t0 = time.Now()
	if n, err = g.parksAndDepartments(ctx); err != nil {
		return res, err
	}
	step("parks, departments", int64(n), t0)

	g.layout()
	err = st.BulkLoad(ctx, func(b *store.Bulk) error {
		g.now = b.Now().Truncate(time.Second)
		tables := g.tables()
		t0 := time.Now()
		for _, t := range tables {
			if err := b.DeferIndexes(t.name); err != nil {
				return err
			}
		}
		step("(indexes dropped)", 0, t0)
		for _, t := range tables {
			t0 := time.Now()
			var base int64
			if slices.Contains(t.cols, "id") {
				var err error
				if base, err = b.NextID(t.name); err != nil {
					return err
				}
			}
			src := t.rows(base)
			rows, err := b.Copy(t.name, t.cols, src.next)
			src.stop()
			if err != nil {
				return err
			}
			if err := b.Audit(auth.System, "city.generate", "table", t.name, map[string]any{"rows": rows, "seed": c.Seed,
				"counties": c.Counties, "enterprises": c.Enterprises, "employees": c.Employees, "days": c.Days}); err != nil {
				return err
			}
			step(t.name, rows, t0)
		}
		t0 = time.Now()
		if err := b.RestoreIndexes(); err != nil {
			return err
		}
		step("(indexes rebuilt)", 0, t0)
		t0 = time.Now()
		if err := b.CountRosters(); err != nil {
			return err
		}
		step("(roster counts)", 0, t0)
		return b.SetClockState(pol.Version, g.today.Format("2006-01-02"))
	})
	if err != nil {
		return res, err
	}
	t0 = time.Now()
	if res.Logins, err = g.accounts(ctx); err != nil {
		return res, err
	}
	step("users", int64(len(res.Logins)), t0)
	res.Took = time.Since(start)
	return res, nil
}

// regions saves the city, its counties, towns and villages through the store.
func (g *gen) regions(ctx context.Context) (int, error) {
	rs := []region.Region{{Code: City, Name: CityName}}
	for _, list := range [][]place{g.plan.counties, g.plan.towns, g.plan.villages} {
		for _, p := range list {
			rs = append(rs, region.Region{Code: p.code, Name: p.name})
		}
	}
	created, _, err := g.st.SaveRegions(ctx, auth.System, rs)
	if err != nil {
		return 0, fmt.Errorf("city regions: %w", err)
	}
	return created, nil
}

// parksAndDepartments saves three parks in each county and the policy's reviewing
// departments: city-level units at the city, county-level ones in every county,
// town-level ones in every town (as the demo does for its county).
func (g *gen) parksAndDepartments(ctx context.Context) (int, error) {
	r := rand.New(rand.NewPCG(g.c.Seed, 2))
	n := 0
	for ci, c := range g.plan.counties {
		for k := range 3 {
			t := g.plan.towns[c.towns[(k*3)%len(c.towns)]]
			pk, err := g.st.SavePark(ctx, auth.System, region.Park{Name: fmt.Sprintf("%s%s产业园", t.name, []string{"智造", "数字经济", "新材料"}[k]),
				RegionCode: t.code, Operator: t.name + "园区开发有限公司", Contact: personName(r), Phone: fmt.Sprintf("1385730%04d", ci*10+k)})
			if err != nil {
				return n, fmt.Errorf("city park: %w", err)
			}
			g.parks = append(g.parks, pk.ID)
			n++
		}
	}
	known := func(c string) bool { _, ok := g.pol.Unit(c); return ok }
	phone := 0
	for _, u := range g.pol.Units {
		if u.Role != string(auth.Reviewer) {
			continue
		}
		var places []place
		switch u.Level {
		case "city":
			places = []place{{code: City, name: CityName}}
		case "county":
			places = g.plan.counties
		case "town":
			places = g.plan.towns
		}
		for _, p := range places {
			phone++
			if _, err := g.st.SaveDepartment(ctx, auth.System, region.Department{Name: unitName(u.Name, p.name, u.Level), UnitCode: u.Code,
				RegionCode: p.code, Phone: fmt.Sprintf("0573-8%07d", 6300000+phone)}, known); err != nil {
				return n, fmt.Errorf("city department %s: %w", u.Name, err)
			}
			n++
		}
	}
	return n, nil
}

// unitName names a unit of a place: "县工信局" of 示范县 is "示范县工信局".
func unitName(name, placeName, level string) string {
	prefixes := map[string][]string{"city": {"市"}, "county": {"县", "区"}, "town": {"街道", "镇", "乡"}}[level]
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(name, p); ok {
			return placeName + rest
		}
	}
	return placeName + name
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁沈钱")
	given    = []rune("建国秀英志强丽娟海涛雪梅永红春生晓东桂芳振华美玲国平红霞立新玉兰伟明淑珍德胜慧敏少华金凤宏亚琴文斌静怡长青婷")
	trades   = []string{"精密机械", "纺织", "电机", "汽车零部件", "光电科技", "新材料", "食品", "铸造", "塑胶制品", "电子", "羊毛衫", "木业",
		"五金", "箱包", "服装", "包装印刷", "线缆", "超市", "酒店", "物流", "家政服务", "餐饮管理", "汽车维修", "信息技术", "软件",
		"供应链管理", "建设工程", "置业", "房产经纪", "路桥工程", "燃气", "涂料", "矿业", "化工", "药房", "茶叶"}
	departments = []string{"生产一部", "生产二部", "质检部", "仓储物流部", "设备维修部", "行政部", "销售部"}
	transports  = []string{"自驾", "公交", "高铁", "长途客车", "企业包车", "步行"}
)

// personName is an invented name of two or three characters.
func personName(r *rand.Rand) string {
	n := string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))])
	if r.IntN(3) > 0 {
		n += string(given[r.IntN(len(given))])
	}
	return n
}

// uscc makes the n-th valid unified social credit code (GB 32100-2015) of a division.
func uscc(kind, division string, n int) string {
	org := fmt.Sprintf("MA%06d", n)
	org += string(enterprise.OrgCodeCheckChar(org))
	first := kind + division + org
	c, err := enterprise.USCCCheckChar(first)
	if err != nil {
		panic(fmt.Sprintf("citygen: bad credit code %q: %v", first, err))
	}
	return first + string(c)
}

// idNumber is a valid resident ID number of a division for the n-th person: the 3-digit
// sequence is n's last three digits, so that people of one roster never share a number.
func idNumber(r *rand.Rand, division string, n int) string {
	birth := time.Date(1962+r.IntN(40), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	first := fmt.Sprintf("%s%s%03d", division, birth.Format("20060102"), n%1000)
	c, err := idnum.CheckChar(first)
	if err != nil {
		panic(fmt.Sprintf("citygen: bad ID number %q: %v", first, err))
	}
	return first + string(c)
}

// layout draws the enterprises, their roster sizes and how far their applications go.
func (g *gen) layout() {
	r := rand.New(rand.NewPCG(g.c.Seed, 3))
	E, N := g.c.Enterprises, g.c.Employees
	sizes := make([]int, E)
	// The first enterprise (the enterprise account's) has a roster of a few hundred.
	sizes[0] = max(1, min(300, N-(E-1)))
	weights := make([]float64, E)
	sum := 0.0
	for i := 1; i < E; i++ {
		switch u := r.Float64(); {
		case u < 0.55:
			weights[i] = float64(2 + r.IntN(9)) // micro
		case u < 0.85:
			weights[i] = float64(10 + r.IntN(40)) // small
		case u < 0.97:
			weights[i] = float64(50 + r.IntN(150)) // medium
		default:
			weights[i] = float64(200 + r.IntN(600)) // large
		}
		sum += weights[i]
	}
	left := N - sizes[0]
	total := sizes[0]
	for i := 1; i < E; i++ {
		sizes[i] = max(1, min(rosterMax, int(weights[i]*float64(left)/sum)))
		total += sizes[i]
	}
	for i := 1; total != N; i = i%(E-1) + 1 { // E > 1 whenever total can differ from N
		switch {
		case total < N && sizes[i] < rosterMax:
			sizes[i]++
			total++
		case total > N && sizes[i] > 1:
			sizes[i]--
			total--
		}
	}
	cats := g.pol.Categories
	first := 0
	g.ents = make([]ent, E)
	for i := range g.ents {
		var v place
		if i == 0 {
			v = g.plan.villages[0]
		} else {
			// Enterprises spread over the counties evenly, then over their villages.
			c := g.plan.counties[i%len(g.plan.counties)]
			t := g.plan.towns[c.towns[r.IntN(len(c.towns))]]
			v = g.plan.villages[t.villages[r.IntN(len(t.villages))]]
		}
		code := v.code
		if i > 0 && r.IntN(20) == 0 {
			code = code[:9] // in the town itself
		}
		cat := cats[r.IntN(len(cats))].Code
		kind := "91"
		if r.IntN(15) == 0 {
			kind = "92"
		}
		e := enterprise.Enterprise{
			Name:            fmt.Sprintf("%s%s%s有限公司", g.plan.towns[v.town].name[:6], name2(r), trades[r.IntN(len(trades))]),
			USCC:            uscc(kind, g.plan.counties[v.county].code, i+1),
			Category:        cat,
			RegionCode:      code,
			Status:          enterprise.NotResumed,
			HasCanteen:      r.IntN(2) == 0,
			HasDormitory:    r.IntN(3) == 0,
			HasBus:          r.IntN(8) == 0,
			KeyEnterprise:   i == 0 || r.IntN(25) == 0,
			LegalRep:        personName(r),
			PreventionLead:  personName(r),
			PreventionPhone: fmt.Sprintf("139%08d", 57000000+i),
			Address:         fmt.Sprintf("%s%s%s%d号", g.plan.counties[v.county].name, g.plan.towns[v.town].name, v.name, 1+r.IntN(300)),
			Headcount:       sizes[i] + r.IntN(sizes[i]/5+1),
		}
		// Parks lie in towns of their county: a third of the enterprises there are in it.
		for k := range 3 {
			c := g.plan.counties[v.county]
			if g.plan.towns[c.towns[(k*3)%len(c.towns)]].code == code[:9] && (i == 0 || r.IntN(3) == 0) {
				e.ParkID = g.parks[v.county*3+k]
				break
			}
		}
		p := appApproved
		switch u := r.Float64(); {
		case i == 0:
		case u < 0.03:
			p, e.Status = appNone, enterprise.Suspended
		case u < 0.05:
			p, e.Status = appNone, enterprise.Closed
		case u < 0.10:
			p = appNone
		case u < 0.14:
			p = appDraft
		case u < 0.17:
			p = appReturned
		case u < 0.18:
			p = appRejected
		case u < 0.19:
			p = appWithdrawn
		case u < 0.30:
			p = appReview
		}
		g.ents[i] = ent{e: e, first: first, n: sizes[i], plan: p, ledgers: i == 0 || (p == appApproved && r.IntN(50) == 0)}
		first += sizes[i]
	}
	g.who = make([]who, N)
}

// day is the i-th day of the readings (days-1 is today), midnight in the policy's zone.
func (g *gen) day(i int) time.Time { return g.today.AddDate(0, 0, i-(g.c.Days-1)) }

// person is the n-th person, of enterprise en; the same n gives the same person.
func (g *gen) person(en *ent, n int) roster.Employee {
	r := rand.New(rand.NewPCG(g.c.Seed^0x9e3779b97f4a7c15, uint64(n)))
	oc := g.pol.OriginClasses[r.IntN(len(g.pol.OriginClasses))]
	e := roster.Employee{
		EnterpriseID: en.id,
		Name:         personName(r),
		IDNumber:     idNumber(r, g.plan.counties[r.IntN(len(g.plan.counties))].code, n),
		Phone:        fmt.Sprintf("13%09d", 100000000+n),
		Department:   departments[r.IntN(len(departments))],
		Origin:       oc.Code,
		HomeAddress:  fmt.Sprintf("%s%s%d号", CityName, g.plan.villages[r.IntN(len(g.plan.villages))].name, 1+r.IntN(200)),
		Transport:    transports[r.IntN(len(transports))],
		JourneyHours: float64(1 + r.IntN(8)),
		Trajectory:   "近14天居家,未前往疫情重点地区",
	}
	if m := g.pol.Health.JourneyMaxHours; m > 0 && r.IntN(30) == 0 {
		e.JourneyHours = float64(m + 1 + r.IntN(4))
	}
	// Every phase: some not back (no date, or one to come), some back today, some under
	// the measure, most past it.
	switch u := r.Float64(); {
	case u < 0.03:
	case u < 0.07:
		e.ReturnDate = g.today.AddDate(0, 0, 1+r.IntN(7))
	case u < 0.11:
		e.ReturnDate = g.today
	case u < 0.35 && oc.Days > 0:
		e.ReturnDate = g.today.AddDate(0, 0, -r.IntN(oc.Days+1))
	default:
		e.ReturnDate = g.today.AddDate(0, 0, -(oc.Days + 1 + r.IntN(30)))
	}
	if oc.Measure == policy.MeasureAdviseNotReturn && r.IntN(2) == 0 {
		e.ReturnDate = time.Time{}
	}
	if !e.ReturnDate.IsZero() && oc.Measure != policy.MeasureNone {
		e.Trajectory = e.ReturnDate.Format("1月2日") + "返回" + CityName + ",途中全程佩戴口罩"
	}
	return e
}

// onSiteFrom is the first day index the person is at work: the day of return, or the day
// after the isolation ends; a large number when not back.
func (g *gen) onSiteFrom(e roster.Employee) int {
	if e.ReturnDate.IsZero() {
		return 1 << 30
	}
	back := roster.Day(e.ReturnDate, g.loc)
	oc, _ := g.pol.OriginClass(e.Origin)
	if (oc.Measure == policy.MeasureIsolate || oc.Measure == policy.MeasureAdviseNotReturn) && oc.Days > 0 {
		back = back.AddDate(0, 0, oc.Days+1)
	}
	d := int(back.Sub(g.day(0)).Hours()+12) / 24
	if back.Before(g.day(0)) {
		return 0
	}
	return d
}

// readingAt is a reading's time on day i at hour:minute, never later than now.
func (g *gen) readingAt(i, hour, minute int) time.Time {
	d := g.day(i)
	t := time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, g.loc)
	if t.After(g.now) {
		t = g.now.Add(-time.Duration(60-minute) * time.Second)
		if t.Before(d) {
			t = d
		}
	}
	return t.UTC()
}

// accounts creates the city's accounts once the city is written.
func (g *gen) accounts(ctx context.Context) ([]Login, error) {
	first := &g.ents[0]
	county, town := g.plan.counties[0], g.plan.towns[0]
	es := fmt.Sprintf("enterprise:%d", first.id)
	specs := []struct {
		user, name, phone string
		role              auth.Role
		scope, desc       string
	}{
		{"city", "周明远", "13857310001", auth.Command, "region:" + City, CityName + "疫情防控指挥部 / city epidemic command (the whole city)"},
		{"county", "林晓峰", "13857310002", auth.Command, "region:" + county.code, county.name + "疫情防控指挥部 / county epidemic command of " + county.name},
		{"town", "沈佳怡", "13857310003", auth.Town, "region:" + town.code, town.name + "干部 / official of " + town.name},
		{"enterprise", "陆建华", "13857310004", auth.Enterprise, es, first.e.Name + " 防疫专人 / enterprise admin"},
		{"guard", "何永福", "13857310005", auth.Guard, es, first.e.Name + " 门卫 / gate guard"},
	}
	var out []Login
	for _, s := range specs {
		if _, err := g.st.CreateUser(ctx, auth.System, auth.User{Username: s.user, DisplayName: s.name, Phone: s.phone, Role: s.role, ScopeText: s.scope}, demo.Password); err != nil {
			return nil, fmt.Errorf("city user %s: %w", s.user, err)
		}
		out = append(out, Login{Username: s.user, Role: s.role, Scope: s.scope, Description: s.desc})
	}
	if g.pol.Gate.SingleEntrance {
		u, err := g.st.GetUserByName(ctx, "enterprise")
		if err != nil {
			return nil, err
		}
		if _, err := g.st.Gate().SetEntrance(ctx, u.Principal(), first.id, Checkpoint); err != nil {
			return nil, fmt.Errorf("city entrance: %w", err)
		}
	}
	return out, nil
}

// feverTemp is a temperature at or above the policy's fever line.
func (g *gen) feverTemp() float64 {
	t := 38.2
	if line := g.pol.Health.FeverLine; line > 0 && line+0.5 > t {
		t = min(line+0.5, health.MaxTemperature)
	}
	return t
}

// passStatus draws the status of the pass of person n: most active, some waiting for
// approval, a few suspended.
func (g *gen) passStatus(n int) string {
	r := rand.New(rand.NewPCG(g.c.Seed^0x51ed27, uint64(n)))
	switch u := r.Float64(); {
	case u < 0.05:
		return pass.Requested
	case u < 0.07:
		return pass.Suspended
	default:
		return pass.Active
	}
}
