// Package citygen fills a database with a synthetic prefecture-level city for trying
// Fugong at scale: counties, towns and villages, parks, the policy's reviewing
// departments, enterprises of every category, their rosters across the quarantine clock,
// applications at every stage with notices, passes, days of temperature readings, gate
// events, ledgers and daily reports, and a few accounts to sign in with.
//
// Everything is drawn from a seed: the same seed and sizes give the same city. Regions,
// parks, departments and accounts go through the store's use cases; the bulk of the rows
// through the store's bulk load, in one transaction with one audited summary row per
// table. The names, codes and people are invented; the division codes 3304xx are
// borrowed for their shape only.
package citygen

import (
	"fmt"
	"math/rand/v2"

	"fugong/internal/apperr"
)

// City is the division code of the city (GB/T 2260: 33 province, 04 city).
const City = "330400"

// CityName is the city's name.
const CityName = "示范市"

// Config is the size of the city and its seed.
type Config struct {
	Counties    int    // counties (districts) of the city, 1–98
	Enterprises int    // enterprises in all
	Employees   int    // people on the rosters in all
	Days        int    // days of temperature readings, today the last
	Seed        uint64 // the same seed and sizes give the same city
}

// Full is the default size: a prefecture-level city.
func Full() Config {
	return Config{Counties: 10, Enterprises: 50_000, Employees: 1_000_000, Days: 14, Seed: 1}
}

// Limits of the sizes.
const (
	MaxCounties    = 98
	MaxEnterprises = 999_999
	MaxEmployees   = 20_000_000
	MaxDays        = 60
	// rosterMax is the largest roster: ID numbers are told apart within an enterprise by
	// their 3-digit sequence.
	rosterMax = 999
)

// Check reports sizes out of range, each with its field, in Chinese and English.
func (c Config) Check() error {
	var ps apperr.Problems
	if c.Counties < 1 || c.Counties > MaxCounties {
		ps.Add("counties", fmt.Sprintf("县(区)数须在 1 到 %d 之间", MaxCounties), fmt.Sprintf("counties must be between 1 and %d", MaxCounties))
	}
	if c.Enterprises < c.Counties || c.Enterprises > MaxEnterprises {
		ps.Add("enterprises", fmt.Sprintf("企业数须在县(区)数到 %d 之间", MaxEnterprises), fmt.Sprintf("enterprises must be between the number of counties and %d", MaxEnterprises))
	}
	if c.Employees < c.Enterprises || c.Employees > min(MaxEmployees, c.Enterprises*rosterMax) {
		ps.Add("employees", fmt.Sprintf("人员数须不少于企业数, 且每家企业不超过 %d 人(共不超过 %d 人)", rosterMax, MaxEmployees),
			fmt.Sprintf("employees must be at least the number of enterprises and at most %d per enterprise (%d in all)", rosterMax, MaxEmployees))
	}
	if c.Days < 1 || c.Days > MaxDays {
		ps.Add("days", fmt.Sprintf("天数须在 1 到 %d 之间", MaxDays), fmt.Sprintf("days must be between 1 and %d", MaxDays))
	}
	return ps.Err()
}

// place is a region of the city.
type place struct {
	code, name string
	towns      []int // counties: indexes into plan.towns
	villages   []int // towns: indexes into plan.villages
	county     int   // towns and villages: the county's index
	town       int   // villages: the town's index
}

// plan is the city's regions and the share of the enterprises each village gets.
type plan struct {
	counties, towns, villages []place
}

var (
	syllables = []rune("安宁平和兴华永嘉清溪云岭明湖桐乡德清长兴海盐秀洲南浔吴兴上虞柯桥新昌嵊泉临江东阳西塘北岙青田丽水龙游江山常山开化")
	countyEnd = []string{"县", "区"}
	villageW  = []string{"村", "社区"}
)

// name2 is a two-character invented name.
func name2(r *rand.Rand) string {
	return string(syllables[r.IntN(len(syllables))]) + string(syllables[r.IntN(len(syllables))])
}

// newPlan lays out the regions: counties 3304xx from 330402 up, each with about ten towns
// and streets (9 digits: 001–0xx streets 街道, 101–1xx towns 镇), each with about ten
// communities (streets) or villages (towns).
func newPlan(c Config) plan {
	r := rand.New(rand.NewPCG(c.Seed, 1))
	var p plan
	used := map[string]bool{City + "示范县": true}
	// Names are unique among the children of one region (the city's counties, a county's
	// towns, a town's villages).
	unique := func(parent, suffix string) string {
		for {
			n := name2(r) + suffix
			if !used[parent+n] {
				used[parent+n] = true
				return n
			}
		}
	}
	for ci := range c.Counties {
		code := fmt.Sprintf("3304%02d", ci+2)
		name := "示范县"
		if ci > 0 {
			name = unique(City, countyEnd[ci%2])
		}
		p.counties = append(p.counties, place{code: code, name: name})
		nTowns := 8 + r.IntN(5)
		streets := 2 + r.IntN(3)
		for ti := range nTowns {
			var tcode, tname string
			if ti < streets {
				tcode, tname = fmt.Sprintf("%s%03d", code, ti+1), unique(code, "街道")
			} else {
				tcode, tname = fmt.Sprintf("%s%03d", code, 100+ti-streets+1), unique(code, "镇")
			}
			t := place{code: tcode, name: tname, county: ci}
			ti := len(p.towns)
			p.counties[ci].towns = append(p.counties[ci].towns, ti)
			nVill := 6 + r.IntN(9)
			for vi := range nVill {
				var vcode, vname string
				if tcode[6] == '0' { // a street's communities
					vcode, vname = fmt.Sprintf("%s%03d", tcode, vi+1), unique(tcode, villageW[1])
				} else {
					vcode, vname = fmt.Sprintf("%s%03d", tcode, 200+vi+1), unique(tcode, villageW[0])
				}
				t.villages = append(t.villages, len(p.villages))
				p.villages = append(p.villages, place{code: vcode, name: vname, county: ci, town: ti})
			}
			p.towns = append(p.towns, t)
		}
	}
	return p
}
