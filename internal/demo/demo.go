// Package demo seeds a database with a fictional county for trying Fugong out: regions,
// parks, departments, about sixty enterprises and one user per role, all created through
// the store's public methods by the system actor, so the audit trail is complete.
//
// The place names, enterprise names, people and phone numbers are invented. The division
// code 330402 is borrowed for its shape only (GB/T 2260: 33 province, 04 city, 02 county).
package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/files"
	"fugong/internal/gate"
	"fugong/internal/list"
	"fugong/internal/pass"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/store"
)

// Password is the password of every demo user.
const Password = "fugong-demo"

// County is the division code of the demo county.
const County = "330402"

// Login is one demo account.
type Login struct {
	Username    string
	Role        auth.Role
	Scope       string
	Description string
}

// Logins lists the demo accounts, one per role, in role order.
type Logins []Login

// place is a region of the demo county.
type place struct {
	code, name string
}

var (
	county = place{County, "示范县"}
	// Towns and streets (9 digits: 001–099 streets 街道, 100–199 towns 镇) and their
	// communities and villages (12 digits: 001–199 communities 社区, 200–399 villages 村).
	towns = []place{
		{"330402001", "明湖街道"},
		{"330402101", "清溪镇"},
		{"330402102", "云岭镇"},
	}
	villages = []place{
		{"330402001001", "柳岸社区"},
		{"330402001002", "望月社区"},
		{"330402001003", "石榴社区"},
		{"330402101201", "桑园村"},
		{"330402101202", "白荡村"},
		{"330402101203", "荷塘村"},
		{"330402102201", "竹坞村"},
		{"330402102202", "石门村"},
	}
)

// Short names of the regions enterprises are placed in.
const (
	liuan   = "330402001001"
	wangyue = "330402001002"
	shiliu  = "330402001003"
	sangyua = "330402101201"
	baidang = "330402101202"
	hetang  = "330402101203"
	zhuwu   = "330402102201"
	shimen  = "330402102202"
	qingxi  = "330402101" // the town itself
	yunling = "330402102"
)

type parkSpec struct {
	name, region, operator, contact, phone string
}

var parks = []parkSpec{
	{"清溪智造产业园", qingxi, "示范县清溪园区开发有限公司", "沈立群", "13857301101"},
	{"明湖数字经济园", "330402001", "明湖园区物业服务有限公司", "葛文静", "13857301102"},
}

// firm is a demo enterprise. flags: C canteen, D dormitory, B commuter bus, K key
// enterprise. kind is the first two characters of its credit code: 91 a company, 92 an
// individual business, 52 a private non-enterprise unit.
type firm struct {
	name      string
	category  string
	region    string
	park      int // 1-based index into parks, 0 for none
	headcount int
	flags     string
	status    enterprise.Status
	kind      string
}

const (
	notResumed = enterprise.NotResumed
	resumed    = enterprise.Resumed
	suspended  = enterprise.Suspended
	closed     = enterprise.Closed
)

// firms are the demo enterprises. The first one is the enterprise of the enterprise,
// staff and guard accounts; it lies in 桑园村 of 清溪镇 and in park 1, so the grid, town
// and park accounts see it too.
var firms = []firm{
	// 规模以上工业
	{"清溪恒锐精密机械有限公司", "industry_above", sangyua, 1, 420, "CDBK", notResumed, "91"},
	{"清溪嘉禾纺织有限公司", "industry_above", baidang, 1, 680, "CDBK", resumed, "91"},
	{"示范县华岳电机有限公司", "industry_above", sangyua, 1, 350, "CDK", resumed, "91"},
	{"云岭远帆汽车零部件有限公司", "industry_above", zhuwu, 0, 510, "CDBK", notResumed, "91"},
	{"明湖澄光光电科技有限公司", "industry_above", liuan, 2, 260, "CB", resumed, "91"},
	{"清溪永泰新材料有限公司", "industry_above", hetang, 1, 300, "CDK", notResumed, "91"},
	{"示范县金穗食品有限公司", "industry_above", baidang, 0, 220, "CD", resumed, "91"},
	{"云岭振宇铸造有限公司", "industry_above", shimen, 0, 180, "CD", notResumed, "91"},
	{"清溪宏兴塑胶制品有限公司", "industry_above", sangyua, 1, 240, "CB", resumed, "91"},
	{"明湖晟达电子有限公司", "industry_above", wangyue, 2, 390, "CDBK", notResumed, "91"},
	{"示范县瑞丰羊毛衫有限公司", "industry_above", hetang, 0, 160, "CD", suspended, "91"},
	{"云岭青峰木业有限公司", "industry_above", zhuwu, 0, 150, "C", notResumed, "91"},
	// 规模以下工业
	{"清溪桑园五金加工厂", "industry_below", sangyua, 0, 28, "", notResumed, "91"},
	{"清溪白荡箱包厂", "industry_below", baidang, 0, 35, "D", resumed, "91"},
	{"清溪荷塘服装加工厂", "industry_below", hetang, 0, 46, "CD", notResumed, "91"},
	{"示范县巧手绣品有限公司", "industry_below", hetang, 0, 22, "", notResumed, "91"},
	{"云岭竹坞竹制品厂", "industry_below", zhuwu, 0, 18, "", notResumed, "91"},
	{"云岭石门石材加工厂", "industry_below", shimen, 0, 30, "C", notResumed, "91"},
	{"清溪精工模具厂", "industry_below", sangyua, 1, 40, "C", resumed, "91"},
	{"明湖印象包装印刷有限公司", "industry_below", shiliu, 0, 55, "C", notResumed, "91"},
	{"清溪联创线缆有限公司", "industry_below", baidang, 1, 62, "CD", notResumed, "91"},
	{"示范县康乐塑料制品厂", "industry_below", hetang, 0, 15, "", closed, "91"},
	{"云岭益农农机修配厂", "industry_below", shimen, 0, 9, "", notResumed, "91"},
	{"清溪顺达纸制品有限公司", "industry_below", sangyua, 0, 38, "", notResumed, "91"},
	{"明湖新锐三维打印科技有限公司", "industry_below", liuan, 2, 26, "", resumed, "91"},
	{"云岭绿源茶叶加工厂", "industry_below", zhuwu, 0, 24, "CD", notResumed, "91"},
	// 批零住餐、服务业
	{"明湖惠民超市有限公司", "retail_services", liuan, 0, 48, "", resumed, "91"},
	{"明湖望月大酒店有限公司", "retail_services", wangyue, 0, 85, "CD", notResumed, "91"},
	{"清溪桥头农贸市场管理有限公司", "retail_services", qingxi, 0, 20, "", resumed, "91"},
	{"示范县便捷物流有限公司", "retail_services", baidang, 0, 60, "CDB", notResumed, "91"},
	{"明湖安心家政服务有限公司", "retail_services", shiliu, 0, 32, "", notResumed, "91"},
	{"云岭竹溪山居民宿", "retail_services", zhuwu, 0, 8, "C", notResumed, "92"},
	{"明湖百味餐饮管理有限公司", "retail_services", wangyue, 0, 40, "C", notResumed, "91"},
	{"示范县众诚汽车维修服务有限公司", "retail_services", baidang, 0, 18, "", notResumed, "91"},
	{"明湖悦读文化传播有限公司", "retail_services", liuan, 0, 12, "", notResumed, "91"},
	{"清溪康宁大药房有限公司", "retail_services", sangyua, 0, 10, "", resumed, "91"},
	// 总部楼宇、园区企业
	{"明湖云帆信息技术有限公司", "hq_park", liuan, 2, 120, "CK", resumed, "91"},
	{"明湖数智科技服务有限公司", "hq_park", liuan, 2, 75, "", notResumed, "91"},
	{"明湖启明软件有限公司", "hq_park", wangyue, 2, 64, "", notResumed, "91"},
	{"示范县智链供应链管理有限公司", "hq_park", sangyua, 1, 45, "", notResumed, "91"},
	{"清溪创客空间运营有限公司", "hq_park", sangyua, 1, 16, "", resumed, "91"},
	{"明湖汇通电子商务有限公司", "hq_park", wangyue, 2, 88, "B", notResumed, "91"},
	// 售楼处、中介、开发、建筑工地
	{"示范县宏建建设工程有限公司", "construction", shiliu, 0, 150, "CDB", notResumed, "91"},
	{"示范县明湖湾置业有限公司", "construction", wangyue, 0, 25, "", notResumed, "91"},
	{"示范县安居房产经纪有限公司", "construction", liuan, 0, 14, "", notResumed, "91"},
	{"清溪路桥工程有限公司", "construction", qingxi, 0, 95, "CD", notResumed, "91"},
	{"云岭水利建设有限公司", "construction", yunling, 0, 70, "CDK", notResumed, "91"},
	// 沿街网点
	{"柳岸美发工作室", "street_front", liuan, 0, 4, "", notResumed, "92"},
	{"望月小笼包早点铺", "street_front", wangyue, 0, 6, "", notResumed, "92"},
	{"石榴邻里便利店", "street_front", shiliu, 0, 3, "", resumed, "92"},
	{"明湖春晓花店", "street_front", wangyue, 0, 2, "", notResumed, "92"},
	{"柳岸明目眼镜店", "street_front", liuan, 0, 5, "", notResumed, "92"},
	{"石榴洁净洗衣店", "street_front", shiliu, 0, 3, "", notResumed, "92"},
	// 煤炭、洗选
	{"云岭石门煤矿有限公司", "coal", shimen, 0, 210, "CDBK", notResumed, "91"},
	{"云岭鑫源洗煤有限公司", "coal", shimen, 0, 65, "CD", notResumed, "91"},
	// 危险化学品
	{"示范县华盛化工有限公司", "hazchem", hetang, 0, 140, "CDK", notResumed, "91"},
	{"清溪安顺燃气有限公司", "hazchem", qingxi, 0, 45, "", resumed, "91"},
	{"云岭永固涂料有限公司", "hazchem", zhuwu, 0, 58, "C", notResumed, "91"},
	// 非煤矿山
	{"云岭青石矿业有限公司", "non_coal_mine", shimen, 0, 80, "CDB", notResumed, "91"},
	// 其他
	{"示范县明德职业培训学校", "other", shiliu, 0, 30, "", notResumed, "52"},
}

// account is a demo user.
type account struct {
	username, displayName, phone string
	role                         auth.Role
	description                  string
}

var accounts = []account{
	{"admin", "系统管理员", "13857300001", auth.Admin, "系统管理员,管理全部数据和账号 / administrator of the whole system"},
	{"command", "周明远", "13857300002", auth.Command, "示范县疫情防控指挥部 / county epidemic command (the whole county)"},
	{"reviewer", "林晓峰", "13857300003", auth.Reviewer, ""}, // see reviewerDescription
	{"town", "沈佳怡", "13857300004", auth.Town, "清溪镇干部 / official of 清溪镇 (a town)"},
	{"grid", "钱国强", "13857300005", auth.Grid, "桑园村网格长 / grid leader of 桑园村 (a village of 清溪镇)"},
	{"park", "许文博", "13857300006", auth.Park, "清溪智造产业园运营方 / operator of 清溪智造产业园"},
	{"enterprise", "陆建华", "13857300007", auth.Enterprise, "清溪恒锐精密机械有限公司 防疫专人 / enterprise admin"},
	{"staff", "顾小燕", "13857300008", auth.Staff, "清溪恒锐精密机械有限公司 员工 / employee"},
	{"guard", "何永福", "13857300009", auth.Guard, "清溪恒锐精密机械有限公司 门卫 / gate guard"},
}

// siteAccounts work at the first enterprise whose application is approved and which holds
// passes (the fever, the ledgers and the confirmed daily report are there), so that the
// daily loop can be tried at once: the demo enterprise's own application is still a draft.
// The enterprise's name is added to the descriptions when they are created.
var siteAccounts = []account{
	{"enterprise2", "蒋丽华", "13857300011", auth.Enterprise, "防疫专人(已复工) / enterprise admin, resumed"},
	{"staff2", "", "13857300012", auth.Staff, "员工,持出入证 / employee with a pass"},
	{"guard2", "曹德明", "13857300013", auth.Guard, "门卫 / gate guard"},
}

// seedSiteAccounts creates the site accounts at site, links staff2 to the holder of an
// active pass there (the account takes the person's name), registers the enterprise's
// entrance when the policy asks for a single one, and has guard2 log a morning at the
// gate: staff2 let in, the pass the fever suspended stopped, a visitor. Nothing without
// a site.
func seedSiteAccounts(ctx context.Context, db *store.Store, pol *policy.Policy, site workSite) (Logins, error) {
	if site.id == 0 {
		return nil, nil
	}
	emps := db
	holder, err := emps.Roster().Get(ctx, auth.System, site.holder)
	if err != nil {
		return nil, fmt.Errorf("demo site: %w", err)
	}
	scope := fmt.Sprintf("enterprise:%d", site.id)
	var logins Logins
	who := map[auth.Role]auth.Principal{}
	for _, a := range siteAccounts {
		name := a.displayName
		if a.role == auth.Staff {
			name = holder.Name
		}
		u, err := db.CreateUser(ctx, auth.System, auth.User{Username: a.username, DisplayName: name, Phone: a.phone, Role: a.role, ScopeText: scope}, Password)
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", a.username, err)
		}
		who[a.role] = u.Principal()
		logins = append(logins, Login{Username: a.username, Role: a.role, Scope: scope, Description: site.name + " " + a.description})
	}
	admin, guard := who[auth.Enterprise], who[auth.Guard]
	if _, err := emps.Roster().LinkAccount(ctx, admin, site.holder, who[auth.Staff].UserID); err != nil {
		return nil, fmt.Errorf("demo staff2's own record: %w", err)
	}
	const entrance = "厂区大门" // where the demo's readings are taken
	if pol.Gate.SingleEntrance {
		if _, err := emps.Gate().SetEntrance(ctx, admin, site.id, entrance); err != nil {
			return nil, fmt.Errorf("demo entrance: %w", err)
		}
	}
	for _, status := range []string{pass.Active, pass.Suspended} {
		passes, _, err := emps.Passes().List(ctx, admin, pass.Filter{EnterpriseID: site.id, Status: status})
		if err != nil {
			return nil, err
		}
		for _, p := range passes {
			if status == pass.Suspended || p.EmployeeID == site.holder {
				if _, err := emps.Gate().Scan(ctx, guard, p.Token, nil, entrance); err != nil {
					return nil, fmt.Errorf("demo gate scan: %w", err)
				}
			}
		}
	}
	temp := 36.4
	if _, err := emps.Gate().Register(ctx, guard, gate.Entry{Kind: "visitor", Name: person(420), Phone: "13957300420", Purpose: "设备检修",
		Host: holder.Department, Temperature: &temp, Checkpoint: entrance}, ""); err != nil {
		return nil, fmt.Errorf("demo visitor: %w", err)
	}
	return logins, nil
}

// townCommand is the town's own epidemic command, which approves the town's resumptions
// (乙方案: 上报镇…应急指挥部批准).
var townCommand = account{"towncmd", "吴建军", "13857300010", auth.Command, "清溪镇疫情防控指挥部 / town epidemic command of 清溪镇 (approves)"}

// Seeded reports whether the database already holds the demo (a user named "admin").
func Seeded(ctx context.Context, db *store.DB) (bool, error) {
	_, err := db.GetUserByName(ctx, "admin")
	switch {
	case err == nil:
		return true, nil
	case apperr.KindOf(err) == apperr.NotFound:
		return false, nil
	default:
		return false, err
	}
}

// Seed creates the demo county in db and returns the demo logins. When the database is
// already seeded it changes nothing and returns the logins as stored. The admin account
// is created last, so a seed that failed half-way is not mistaken for a finished one. The
// store's policy, key and sealing box are the demo's: notices, letters and passes are
// signed with its key, ID numbers sealed with its box.
func Seed(ctx context.Context, db *store.Store, fs *files.Store) (Logins, error) {
	pol := db.Policy()
	if ok, err := Seeded(ctx, db.DB); err != nil {
		return nil, err
	} else if ok {
		return storedLogins(ctx, db)
	}
	sys := auth.System

	// Regions.
	rs := []region.Region{{Code: county.code, Name: county.name}}
	for _, p := range append(append([]place{}, towns...), villages...) {
		rs = append(rs, region.Region{Code: p.code, Name: p.name})
	}
	if _, _, err := db.SaveRegions(ctx, sys, rs); err != nil {
		return nil, fmt.Errorf("demo regions: %w", err)
	}

	// Parks.
	parkIDs := make([]int64, len(parks))
	for i, p := range parks {
		pk, err := db.SavePark(ctx, sys, region.Park{Name: p.name, RegionCode: p.region, Operator: p.operator, Contact: p.contact, Phone: p.phone})
		if err != nil {
			return nil, fmt.Errorf("demo park %s: %w", p.name, err)
		}
		parkIDs[i] = pk.ID
	}

	// Departments: every reviewing unit of the policy, at the county and in each town.
	knownUnit := func(c string) bool { _, ok := pol.Unit(c); return ok }
	var reviewerDept int64
	var reviewerName string
	phone := 0
	nextPhone := func() string { phone++; return fmt.Sprintf("0573-8%07d", 6200000+phone) }
	for _, level := range []string{"county", "town"} {
		for _, u := range pol.Units {
			if u.Level != level || u.Role != string(auth.Reviewer) {
				continue
			}
			places := []place{county}
			if level == "town" {
				places = towns
			}
			for _, p := range places {
				d, err := db.SaveDepartment(ctx, sys, region.Department{Name: unitName(u.Name, p.name, level), UnitCode: u.Code,
					RegionCode: p.code, Phone: nextPhone()}, knownUnit)
				if err != nil {
					return nil, fmt.Errorf("demo department %s: %w", u.Name, err)
				}
				// The reviewer account sits at the county industry bureau, or else at the
				// first reviewing unit the policy has.
				if reviewerDept == 0 || u.Code == "county_industry" {
					reviewerDept, reviewerName = d.ID, d.Name
				}
			}
		}
	}

	// Enterprises, registered three weeks before today (the applications follow, one a
	// day: seedApplications).
	real := db.DB.Now
	defer func() { db.DB.Now = real }()
	registered := real().AddDate(0, 0, -21)
	db.DB.Now = func() time.Time { return registered }
	knownCategory := func(c string) bool { _, ok := pol.Category(c); return ok }
	var firstFirm int64
	for i, f := range firms {
		e := enterpriseOf(i, f, pol)
		if f.park > 0 {
			e.ParkID = parkIDs[f.park-1]
		}
		created, err := db.CreateEnterprise(ctx, sys, e, knownCategory)
		if err != nil {
			return nil, fmt.Errorf("demo enterprise %s: %w", f.name, err)
		}
		if i == 0 {
			firstFirm = created.ID
			// The reviewer account sits at the department that reviews the demo
			// enterprise under this policy, nearest to it.
			route := application.RouteFor(pol, created)
			depts, _, err := db.ListDepartments(ctx, sys, "", "", list.Page{Size: list.MaxSize})
			if err != nil {
				return nil, err
			}
			best := ""
			for _, d := range depts {
				if d.UnitCode == route.Unit && strings.HasPrefix(created.RegionCode, region.Prefix(d.RegionCode)) && len(d.RegionCode) > len(best) {
					best, reviewerDept, reviewerName = d.RegionCode, d.ID, d.Name
				}
			}
		}
	}

	db.DB.Now = real

	// Users, admin last.
	scopes := map[auth.Role]string{
		auth.Admin:      "all",
		auth.Command:    "region:" + county.code,
		auth.Town:       "region:" + qingxi,
		auth.Grid:       "region:" + sangyua,
		auth.Park:       fmt.Sprintf("park:%d", parkIDs[0]),
		auth.Enterprise: fmt.Sprintf("enterprise:%d", firstFirm),
		auth.Staff:      fmt.Sprintf("enterprise:%d", firstFirm),
		auth.Guard:      fmt.Sprintf("enterprise:%d", firstFirm),
	}
	if reviewerDept != 0 {
		scopes[auth.Reviewer] = fmt.Sprintf("dept:%d", reviewerDept)
	}
	var logins Logins
	var people []auth.Principal
	for _, a := range append(append(accounts[1:], townCommand), accounts[0]) {
		scope, ok := scopes[a.role]
		if !ok {
			continue // the policy has no reviewing unit
		}
		if a.username == townCommand.username {
			scope = "region:" + qingxi
		}
		u := auth.User{Username: a.username, DisplayName: a.displayName, Phone: a.phone, Role: a.role, ScopeText: scope}
		created, err := db.CreateUser(ctx, sys, u, Password)
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", a.username, err)
		}
		if a.role != auth.Admin {
			people = append(people, created.Principal())
		}
		if a.username == townCommand.username {
			// Applications before the admin: a database with its admin is seeded whole.
			if err := seedApplications(ctx, db, pol, fs, people, firstFirm); err != nil {
				return nil, err
			}
			site, err := seedWorkforce(ctx, db, pol, people, firstFirm)
			if err != nil {
				return nil, err
			}
			siteLogins, err := seedSiteAccounts(ctx, db, pol, site)
			if err != nil {
				return nil, err
			}
			if err := seedSupervision(ctx, db, pol, site); err != nil {
				return nil, err
			}
			logins = append(logins, siteLogins...)
			bbLogins, err := seedResponsibility(ctx, db)
			if err != nil {
				return nil, err
			}
			logins = append(logins, bbLogins...)
			if err := seedSummaries(ctx, db, people); err != nil {
				return nil, err
			}
			if err := seedVoice(ctx, db, pol, people, firstFirm); err != nil {
				return nil, err
			}
		}
		desc := a.description
		if a.role == auth.Reviewer {
			desc = reviewerDescription(reviewerName)
		}
		logins = append(logins, Login{Username: a.username, Role: a.role, Scope: scope, Description: desc})
	}
	sortLogins(logins)
	return logins, nil
}

// sortLogins puts logins in role order, admin first, keeping the order within a role.
func sortLogins(logins Logins) {
	slices.SortStableFunc(logins, func(a, b Login) int {
		return cmp.Compare(slices.Index(auth.Roles, a.Role), slices.Index(auth.Roles, b.Role))
	})
}

// storedLogins reads the demo accounts back from a seeded database.
func storedLogins(ctx context.Context, db *store.Store) (Logins, error) {
	var logins Logins
	all := append(append(append([]account{accounts[0], accounts[1], townCommand}, accounts[2:]...), siteAccounts...), baobaoAccount)
	for _, a := range all {
		u, err := db.GetUserByName(ctx, a.username)
		if apperr.KindOf(err) == apperr.NotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		desc := a.description
		if u.Scope.Kind == auth.ScopeDept {
			if d, err := db.GetDepartment(ctx, auth.System, u.Scope.ID); err == nil {
				desc = reviewerDescription(d.Name)
			}
		}
		if slices.Contains(siteAccounts, a) {
			if e, err := db.GetEnterprise(ctx, auth.System, u.Scope.ID); err == nil {
				desc = e.Name + " " + desc
			}
		}
		logins = append(logins, Login{Username: u.Username, Role: u.Role, Scope: u.ScopeText, Description: desc})
	}
	sortLogins(logins)
	return logins, nil
}

// reviewerDescription describes the reviewer account by its department.
func reviewerDescription(dept string) string {
	return dept + "审核员 / department reviewer at " + dept
}

// unitName names a unit of a place: "县工信局" of 示范县 is "示范县工信局", "镇安办(安监办)"
// of 明湖街道 is "明湖街道安办(安监办)", "食安办" of 清溪镇 is "清溪镇食安办".
func unitName(name, placeName, level string) string {
	prefixes := []string{"县", "区"}
	if level == "town" {
		prefixes = []string{"街道", "镇", "乡"}
	}
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(name, p); ok {
			return placeName + rest
		}
	}
	return placeName + name
}

// enterpriseOf builds the i-th demo enterprise with its credit code, contacts and address.
func enterpriseOf(i int, f firm, pol *policy.Policy) enterprise.Enterprise {
	cat := f.category
	if _, ok := pol.Category(cat); !ok {
		cat = "other"
		if _, ok := pol.Category(cat); !ok && len(pol.Categories) > 0 {
			cat = pol.Categories[0].Code
		}
	}
	return enterprise.Enterprise{
		Name:            f.name,
		USCC:            USCC(f.kind, County, i+1),
		Category:        cat,
		RegionCode:      f.region,
		Status:          f.status,
		HasCanteen:      strings.Contains(f.flags, "C"),
		HasDormitory:    strings.Contains(f.flags, "D"),
		HasBus:          strings.Contains(f.flags, "B"),
		KeyEnterprise:   strings.Contains(f.flags, "K"),
		LegalRep:        person(i * 2),
		PreventionLead:  person(i*2 + 1),
		PreventionPhone: fmt.Sprintf("138573%05d", 10000+i*137),
		Address:         address(i, f.region),
		Headcount:       f.headcount,
	}
}

// USCC makes a valid unified social credit code (GB 32100-2015): kind is the registration
// authority and organisation type ("91" a company), division the 6-digit division code,
// and n numbers the organisation. The organisation code carries its own GB 11714 check
// character, and the whole its GB 32100 one.
func USCC(kind, division string, n int) string {
	org := fmt.Sprintf("MA2D%04d", n%10000)
	org += string(enterprise.OrgCodeCheckChar(org))
	first := kind + division + org
	c, err := enterprise.USCCCheckChar(first)
	if err != nil {
		panic(fmt.Sprintf("demo: bad credit code %q: %v", first, err))
	}
	return first + string(c)
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁沈")
	given    = []string{"建国", "秀英", "志强", "丽娟", "海涛", "雪梅", "永红", "春生", "晓东", "桂芳", "振华", "美玲",
		"国平", "红霞", "立新", "玉兰", "伟明", "淑珍", "德胜", "慧敏", "少华", "金凤", "宏伟", "亚琴", "文斌", "静怡", "长青", "婷婷"}
)

// person is an invented name.
func person(n int) string {
	return string(surnames[(n*7)%len(surnames)]) + given[(n*5+n/len(given))%len(given)]
}

var roads = []string{"兴业路", "振兴路", "工业大道", "人民路", "新华路", "文化路", "湖滨路", "建设路"}

// address is an invented street address in the region.
func address(i int, code string) string {
	var town, village string
	for _, t := range towns {
		if strings.HasPrefix(code, t.code) {
			town = t.name
		}
	}
	for _, v := range villages {
		if v.code == code {
			village = v.name
		}
	}
	return fmt.Sprintf("%s%s%s%s%d号", county.name, town, village, roads[i%len(roads)], 8+(i*13)%180)
}

// seedSummaries tells the roll-up of daily reports: yesterday the grid leader and then
// the town confirmed their level's summary, saying who had not reported; the county's
// command sees both confirmed on its dashboard and summarizes the county itself.
func seedSummaries(ctx context.Context, db *store.Store, people []auth.Principal) error {
	day := db.Now().In(db.Policy().Location()).AddDate(0, 0, -1).Format("2006-01-02")
	for _, role := range []auth.Role{auth.Grid, auth.Town} {
		for _, p := range people {
			if p.Role != role || p.Scope.Kind != auth.ScopeRegion {
				continue
			}
			r, err := db.Dashboard().Rollup(ctx, p, "", day)
			if err != nil {
				return fmt.Errorf("demo summary of %s: %w", p.Username, err)
			}
			note := ""
			if n := r.Total.Missing(); n > 0 {
				note = fmt.Sprintf("%d 家企业未按时报送,已电话催报", n)
			}
			if _, err := db.Dashboard().ConfirmSummary(ctx, p, day, note); err != nil {
				return fmt.Errorf("demo summary of %s: %w", p.Username, err)
			}
			break
		}
	}
	return nil
}
