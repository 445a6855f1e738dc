package application

import (
	"path/filepath"
	"testing"
	"time"

	"fugong/internal/enterprise"
	"fugong/internal/policy"
)

var policyCache = map[string]*policy.Policy{}

// load returns "default" or an example policy from policies/.
func load(t *testing.T, name string) *policy.Policy {
	t.Helper()
	if p := policyCache[name]; p != nil {
		return p
	}
	var p *policy.Policy
	if name == "default" {
		p = policy.Default()
	} else {
		var problems []policy.Problem
		var err error
		p, problems, err = policy.Load(filepath.Join("..", "..", "policies", name))
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) > 0 {
			t.Fatalf("%s: %v", name, problems)
		}
	}
	policyCache[name] = p
	return p
}

var examplePolicies = []string{"default", "variant-b-town.toml", "variant-c-county.toml", "variant-d-street.toml"}

var cst = time.FixedZone("CST", 8*60*60)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

// plannedAt is the planned resumption of the good application; goodNow is 72 h before it.
var (
	plannedAt = at("2020-02-15 08:00")
	goodNow   = plannedAt.Add(-72 * time.Hour)
)

func ent(category string, opts ...func(*enterprise.Enterprise)) enterprise.Enterprise {
	e := enterprise.Enterprise{ID: 7, Name: "某机械有限公司", Category: category, Headcount: 150}
	for _, o := range opts {
		o(&e)
	}
	return e
}

func canteen(e *enterprise.Enterprise)   { e.HasCanteen = true }
func dormitory(e *enterprise.Enterprise) { e.HasDormitory = true }
func bus(e *enterprise.Enterprise)       { e.HasBus = true }
func inPark(e *enterprise.Enterprise)    { e.ParkID = 3 }
func key(e *enterprise.Enterprise)       { e.KeyEnterprise = true }

// good returns an application that passes every rule of pol for e: 100 local staff, masks
// for 7 days, every material the policy asks for, a signed commitment, a full self-check.
func good(pol *policy.Policy, e enterprise.Enterprise) Application {
	a := Application{
		ID: 1, EnterpriseID: e.ID, Status: StatusDraft, PlannedAt: plannedAt,
		Returning: Returning{Local: 100},
		Supplies: []SupplyItem{
			{Item: ItemMasks, Quantity: 700}, {Item: ItemGloves, Quantity: 200}, {Item: ItemSuits, Quantity: 4},
			{Item: ItemThermometers, Quantity: 10}, {Item: ItemAlcohol, Quantity: 20, Unit: "升"}, {Item: ItemDisinfectant, Quantity: 50},
		},
		IsolationRooms: 2,
		Parts:          map[string]bool{},
		Commitment:     Commitment{SignedBy: "张三", SignedAt: at("2020-02-10 09:00")},
		SelfCheck:      map[string]bool{},
	}
	if e.HasDormitory {
		a.Dormitory = []DormRoom{{Name: "A-101", Beds: 4, Assigned: 4}, {Name: "A-102", Beds: 6, Assigned: 3}}
	}
	flags := Flags(e, a, pol)
	for _, m := range pol.MaterialsFor(e.Category, flags) {
		if m.PartOf != "" {
			a.Parts[m.Code] = true
			continue
		}
		a.Attachments = append(a.Attachments, Attachment{Material: m.Code, Name: m.Name + ".pdf",
			SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Size: 1, ContentType: "application/pdf"})
	}
	for _, c := range pol.ChecklistFor(flags) {
		a.SelfCheck[c.Code] = true
	}
	return a
}

// without returns a copy of a without the materials (attachments and parts) named.
func without(a Application, codes ...string) Application {
	drop := map[string]bool{}
	for _, c := range codes {
		drop[c] = true
	}
	var ats []Attachment
	for _, at := range a.Attachments {
		if !drop[at.Material] {
			ats = append(ats, at)
		}
	}
	a.Attachments = ats
	parts := map[string]bool{}
	for k, v := range a.Parts {
		if !drop[k] {
			parts[k] = v
		}
	}
	a.Parts = parts
	return a
}

// find returns the outcome of a rule.
func find(outs []Outcome, rule string) (Outcome, bool) {
	for _, o := range outs {
		if o.Rule == rule {
			return o, true
		}
	}
	return Outcome{}, false
}
