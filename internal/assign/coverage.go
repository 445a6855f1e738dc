package assign

import (
	"slices"
	"strconv"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
	"fugong/internal/region"
)

// Grouping is what the coverage page counts by.
type Grouping string

const (
	ByTown     Grouping = "town"
	ByVillage  Grouping = "village"
	ByPark     Grouping = "park"
	ByCategory Grouping = "category"
)

// Groupings lists the groupings in display order.
var Groupings = []Grouping{ByTown, ByVillage, ByPark, ByCategory}

// GroupingNames are the groupings' Chinese and English names.
var GroupingNames = map[Grouping][2]string{
	ByTown:     {"按镇街", "By town"},
	ByVillage:  {"按村社区", "By village"},
	ByPark:     {"按园区", "By park"},
	ByCategory: {"按企业类别", "By category"},
}

// DefaultGrouping is the grouping a coverage opens with: one level below the region it
// looks at (the filter's, else the account's), by town for a county or wider, by village
// within a town; by category within a village or a park, which have no level below.
func DefaultGrouping(scope auth.Scope, regionFilter string) Grouping {
	code := regionFilter
	if code == "" {
		switch scope.Kind {
		case auth.ScopePark, auth.ScopeEnterprise:
			return ByCategory
		case auth.ScopeRegion:
			code = scope.Region
		}
	}
	c, err := region.ParseCode(code)
	if err != nil {
		return ByTown
	}
	switch c.Level() {
	case region.Town:
		return ByVillage
	case region.Village:
		return ByCategory
	}
	return ByTown
}

// ValidGrouping reports whether g is a grouping ("" is not).
func ValidGrouping(g string) bool { return slices.Contains(Groupings, Grouping(g)) }

// Subject is an enterprise with the duties held for it today.
type Subject struct {
	Enterprise enterprise.Enterprise
	Held       []string // duty codes of the assignments in force
}

// Gap is an enterprise missing duties the policy requires.
type Gap struct {
	EnterpriseID   int64    `json:"enterprise_id"`
	EnterpriseName string   `json:"enterprise_name"`
	USCC           string   `json:"uscc"`
	RegionCode     string   `json:"region_code"`
	RegionName     string   `json:"region_name,omitempty"`
	ParkName       string   `json:"park_name,omitempty"`
	Category       string   `json:"category"`
	KeyEnterprise  bool     `json:"key_enterprise"`
	Missing        []string `json:"missing"`        // duty codes nobody holds
	Held           []string `json:"held"`           // duty codes someone holds
	Nobody         bool     `json:"nobody"`         // nobody at all is answerable for it
	Group          string   `json:"group"`          // the key of its group
	GroupName      string   `json:"group_name"`     // and its name
	Required       int      `json:"required_count"` // how many duties are required of it
}

// Count is the coverage of one group.
type Count struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Enterprises int    `json:"enterprises"`
	Covered     int    `json:"covered"` // every required duty is held
	Gaps        int    `json:"gaps"`
	Nobody      int    `json:"nobody"` // nobody answerable at all
}

// Coverage is the picture of 「不漏一户、不落一企」 over a set of enterprises.
type Coverage struct {
	By          Grouping `json:"by"`
	Enterprises int      `json:"enterprises"`
	Covered     int      `json:"covered"`
	Nobody      int      `json:"nobody"`
	Groups      []Count  `json:"groups"`
	Gaps        []Gap    `json:"gaps"` // every enterprise with a gap, in the order given
}

// Namer names a group key (a region code, a park id, a category code).
type Namer func(key string) string

// Tally computes the coverage of the subjects under the policy's duties, counted by the
// grouping; names names the groups (the key itself when it returns "").
func Tally(duties []policy.Duty, by Grouping, subjects []Subject, names Namer) Coverage {
	c := Coverage{By: by, Groups: []Count{}, Gaps: []Gap{}}
	idx := map[string]int{}
	for _, s := range subjects {
		e := s.Enterprise
		key := GroupKey(by, e)
		i, ok := idx[key]
		if !ok {
			name := ""
			if names != nil {
				name = names(key)
			}
			if name == "" {
				name = key
			}
			idx[key] = len(c.Groups)
			i = len(c.Groups)
			c.Groups = append(c.Groups, Count{Key: key, Name: name})
		}
		g := &c.Groups[i]
		g.Enterprises++
		c.Enterprises++
		missing := Missing(duties, e, s.Held)
		nobody := len(s.Held) == 0
		if nobody {
			g.Nobody++
			c.Nobody++
		}
		if len(missing) == 0 && !nobody {
			g.Covered++
			c.Covered++
			continue
		}
		g.Gaps++
		held := slices.Clone(s.Held)
		if held == nil {
			held = []string{}
		}
		if missing == nil {
			missing = []string{}
		}
		c.Gaps = append(c.Gaps, Gap{EnterpriseID: e.ID, EnterpriseName: e.Name, USCC: e.USCC, RegionCode: e.RegionCode, RegionName: e.RegionName,
			ParkName: e.ParkName, Category: e.Category, KeyEnterprise: e.KeyEnterprise, Missing: missing, Held: held,
			Nobody: nobody, Group: key, GroupName: g.Name, Required: len(Required(duties, e))})
	}
	slices.SortStableFunc(c.Groups, func(a, b Count) int {
		switch {
		case a.Key < b.Key:
			return -1
		case a.Key > b.Key:
			return 1
		}
		return 0
	})
	return c
}

// GroupKey is the key of the enterprise's group: its town's or village's code, its park's
// id ("" outside a park) or its category.
func GroupKey(by Grouping, e enterprise.Enterprise) string {
	switch by {
	case ByVillage, ByTown:
		l := region.Town
		if by == ByVillage {
			l = region.Village
		}
		c, err := region.ParseCode(e.RegionCode)
		if err != nil {
			return e.RegionCode
		}
		if a := c.Ancestor(l); !a.IsZero() {
			return a.String()
		}
		return c.String()
	case ByPark:
		if e.ParkID == 0 {
			return ""
		}
		return strconv.FormatInt(e.ParkID, 10)
	}
	return e.Category
}
