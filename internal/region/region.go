package region

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/list"
)

// Region is a node of the jurisdiction tree: county/district, town/street,
// village/community (and, above a county, city and province when a deployment spans them).
type Region struct {
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	Level      Level     `json:"level"`
	ParentCode string    `json:"parent_code,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	// Counts filled by lists.
	Children    int `json:"children"`
	Enterprises int `json:"enterprises"`
}

// LevelNames are the Chinese and English names of the levels.
var LevelNames = map[Level][2]string{
	Province: {"省", "Province"},
	City:     {"市", "City"},
	County:   {"县/区", "County/district"},
	Town:     {"镇/街道", "Town/street"},
	Village:  {"村/社区", "Village/community"},
}

// Validate normalises the code and name and reports every problem; it sets Level.
func (r *Region) Validate() error {
	var ps apperr.Problems
	r.Name = strings.TrimSpace(r.Name)
	c, err := ParseCode(strings.TrimSpace(r.Code))
	if err != nil {
		zh, en := err.Error(), err.Error()
		var ce *CodeError
		if errors.As(err, &ce) {
			zh, en = ce.Reason, ce.ReasonEN
		}
		ps.Add("code", zh+"(县级 6 位、乡镇街道 9 位、村社区 12 位数字)", en+" (counties have 6 digits, towns 9, villages 12)")
	} else {
		r.Code = c.String()
		r.Level = c.Level()
	}
	if r.Name == "" {
		ps.Add("name", "请填写名称", "Enter a name")
	} else if utf8.RuneCountInString(r.Name) > 64 {
		ps.Add("name", "名称最多 64 个字", "The name can have at most 64 characters")
	}
	return ps.Err()
}

// Ancestors lists the codes above code, nearest first.
func Ancestors(code string) []string {
	c, err := ParseCode(code)
	if err != nil {
		return nil
	}
	var out []string
	for {
		p, ok := c.Parent()
		if !ok {
			return out
		}
		out = append(out, p.String())
		c = p
	}
}

// Park is an industrial or business park (园区) inside a region.
type Park struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	RegionCode string    `json:"region_code"`
	RegionName string    `json:"region_name,omitempty"`
	Operator   string    `json:"operator"`
	Contact    string    `json:"contact"`
	Phone      string    `json:"phone"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Validate normalises the park and reports every problem.
func (p *Park) Validate() error {
	var ps apperr.Problems
	p.Name, p.Operator, p.Contact, p.Phone = strings.TrimSpace(p.Name), strings.TrimSpace(p.Operator), strings.TrimSpace(p.Contact), strings.TrimSpace(p.Phone)
	if p.Name == "" {
		ps.Add("name", "请填写园区名称", "Enter the park's name")
	} else if utf8.RuneCountInString(p.Name) > 100 {
		ps.Add("name", "名称最多 100 个字", "The name can have at most 100 characters")
	}
	if strings.TrimSpace(p.RegionCode) == "" {
		ps.Add("region_code", "请选择所在区域", "Choose the region")
	}
	return ps.Err()
}

// Department is a government unit (主管部门) attached to a region, acting as one of the
// policy's units (工信局, 经贸办 …).
type Department struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	UnitCode   string    `json:"unit_code"`
	RegionCode string    `json:"region_code"`
	RegionName string    `json:"region_name,omitempty"`
	Phone      string    `json:"phone"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Validate normalises the department and reports every problem. known reports whether a
// unit code is in the policy in force.
func (d *Department) Validate(known func(unit string) bool) error {
	var ps apperr.Problems
	d.Name, d.UnitCode, d.Phone = strings.TrimSpace(d.Name), strings.TrimSpace(d.UnitCode), strings.TrimSpace(d.Phone)
	if d.Name == "" {
		ps.Add("name", "请填写部门名称", "Enter the department's name")
	} else if utf8.RuneCountInString(d.Name) > 100 {
		ps.Add("name", "名称最多 100 个字", "The name can have at most 100 characters")
	}
	if d.UnitCode != "" && known != nil && !known(d.UnitCode) {
		ps.Add("unit_code", "政策中没有这个单位类型:"+d.UnitCode, "The policy has no unit "+d.UnitCode)
	}
	if strings.TrimSpace(d.RegionCode) == "" {
		ps.Add("region_code", "请选择所属区域", "Choose the region")
	}
	return ps.Err()
}

// Filter selects regions.
type Filter struct {
	Parent string // list the children of this code; "" lists the roots in scope
	Q      string
	Page   list.Page
}
