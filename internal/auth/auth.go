// Package auth defines who may do what in Fugong: roles, scopes, permissions, passwords
// and tokens. It is pure: storage lives in package store, HTTP in package web.
package auth

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Role is what a user does in the resumption process.
type Role string

const (
	Admin      Role = "admin"      // system administrator
	Command    Role = "command"    // county epidemic command 指挥部
	Reviewer   Role = "reviewer"   // department reviewer 主管部门
	Town       Role = "town"       // town / street official 镇街
	Grid       Role = "grid"       // grid leader 网格长
	Park       Role = "park"       // park operator 园区运营方
	Enterprise Role = "enterprise" // enterprise admin 企业负责人
	Staff      Role = "staff"      // enterprise staff 员工
	Guard      Role = "guard"      // gate / checkpoint 门卫
)

// Roles lists every role in display order.
var Roles = []Role{Admin, Command, Reviewer, Town, Grid, Park, Enterprise, Staff, Guard}

// RoleNames are the roles' Chinese and English names.
var RoleNames = map[Role][2]string{
	Admin:      {"系统管理员", "Administrator"},
	Command:    {"疫情防控指挥部", "Epidemic command"}, // a county's, or a town's
	Reviewer:   {"主管部门审核员", "Department reviewer"},
	Town:       {"镇街干部", "Town/street official"},
	Grid:       {"网格长", "Grid leader"},
	Park:       {"园区运营方", "Park operator"},
	Enterprise: {"企业管理员", "Enterprise admin"},
	Staff:      {"企业员工", "Enterprise staff"},
	Guard:      {"门卫/测温点", "Gate guard"},
}

// ParseRole checks that s names a role.
func ParseRole(s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if slices.Contains(Roles, r) {
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (one of: %s)", s, joinRoles())
}

func joinRoles() string {
	s := make([]string, len(Roles))
	for i, r := range Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// ScopeKind says what part of the jurisdiction a scope covers.
type ScopeKind string

const (
	ScopeAll        ScopeKind = "all"        // everything (administrators)
	ScopeRegion     ScopeKind = "region"     // a region and its subtree
	ScopeDept       ScopeKind = "dept"       // a department (and its region's subtree)
	ScopePark       ScopeKind = "park"       // one park
	ScopeEnterprise ScopeKind = "enterprise" // one enterprise
)

// Scope is the part of the jurisdiction a user acts in: "all", "region:<code>",
// "dept:<id>", "park:<id>" or "enterprise:<id>".
type Scope struct {
	Kind   ScopeKind
	Region string // for ScopeRegion: the region code
	ID     int64  // for dept, park, enterprise
}

func (s Scope) String() string {
	switch s.Kind {
	case ScopeAll:
		return "all"
	case ScopeRegion:
		return "region:" + s.Region
	default:
		return string(s.Kind) + ":" + strconv.FormatInt(s.ID, 10)
	}
}

// ParseScope parses the textual form of a scope.
func ParseScope(s string) (Scope, error) {
	s = strings.TrimSpace(s)
	if s == "all" {
		return Scope{Kind: ScopeAll}, nil
	}
	kind, val, ok := strings.Cut(s, ":")
	if !ok || val == "" {
		return Scope{}, fmt.Errorf("scope %q: write all, region:<code>, dept:<id>, park:<id> or enterprise:<id>", s)
	}
	switch ScopeKind(kind) {
	case ScopeRegion:
		for _, c := range val {
			if c < '0' || c > '9' {
				return Scope{}, fmt.Errorf("scope %q: a region code has digits only", s)
			}
		}
		return Scope{Kind: ScopeRegion, Region: val}, nil
	case ScopeDept, ScopePark, ScopeEnterprise:
		id, err := strconv.ParseInt(val, 10, 64)
		if err != nil || id <= 0 {
			return Scope{}, fmt.Errorf("scope %q: the id must be a positive number", s)
		}
		return Scope{Kind: ScopeKind(kind), ID: id}, nil
	}
	return Scope{}, fmt.Errorf("scope %q: unknown kind %q (all, region, dept, park, enterprise)", s, kind)
}

// ScopeFits reports whether a role may hold a scope of that kind.
func ScopeFits(r Role, s Scope) bool {
	switch r {
	case Admin:
		return s.Kind == ScopeAll || s.Kind == ScopeRegion
	case Command, Town, Grid:
		return s.Kind == ScopeRegion
	case Reviewer:
		return s.Kind == ScopeDept
	case Park:
		return s.Kind == ScopePark
	case Enterprise, Staff, Guard:
		return s.Kind == ScopeEnterprise
	}
	return false
}

// Principal is the authenticated caller of a use case.
type Principal struct {
	UserID   int64
	Username string
	Name     string
	Role     Role
	Scope    Scope
}

// System is the principal for actions taken from the command line.
var System = Principal{Username: "system", Name: "系统", Role: Admin, Scope: Scope{Kind: ScopeAll}}

// Label is how the principal appears in the audit trail.
func (p Principal) Label() string {
	if p.Name != "" && p.Name != p.Username {
		return p.Name + " (" + p.Username + ")"
	}
	return p.Username
}
