package assign

import (
	"os"
	"slices"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
)

var loc, _ = time.LoadLocation("Asia/Shanghai")

func TestValidate(t *testing.T) {
	duties := policy.Default().Duties
	cases := []struct {
		name   string
		in     Assignment
		fields []string
		starts string
	}{
		{"ok with account", Assignment{EnterpriseID: 1, Duty: "town_leader", UserID: 3}, nil, "2020-02-10"},
		{"ok contact", Assignment{EnterpriseID: 1, Duty: "village_secretary", Name: " 王书记 ", Phone: "13800000000", StartsOn: "2020/2/1", EndsOn: "2020年3月31日"}, nil, "2020-02-01"},
		{"nothing", Assignment{}, []string{"enterprise_id", "duty", "name"}, "2020-02-10"},
		{"unknown duty", Assignment{EnterpriseID: 1, Duty: "mayor", Name: "张"}, []string{"duty"}, "2020-02-10"},
		{"bad phone", Assignment{EnterpriseID: 1, Duty: "liaison", Name: "张", Phone: "call me"}, []string{"phone"}, "2020-02-10"},
		{"end before start", Assignment{EnterpriseID: 1, Duty: "liaison", Name: "张", StartsOn: "2020-03-01", EndsOn: "2020-02-01"}, []string{"ends_on"}, "2020-03-01"},
		{"bad dates", Assignment{EnterpriseID: 1, Duty: "liaison", Name: "张", StartsOn: "soon", EndsOn: "later"}, []string{"starts_on", "ends_on"}, "soon"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.in
			ps := a.Validate(duties, "2020-02-10", loc)
			var got []string
			for _, p := range ps {
				got = append(got, p.Field)
			}
			if !slices.Equal(got, c.fields) {
				t.Fatalf("problems %v, want %v (%v)", got, c.fields, ps)
			}
			if a.StartsOn != c.starts {
				t.Errorf("starts %q, want %q", a.StartsOn, c.starts)
			}
		})
	}
}

func TestActive(t *testing.T) {
	a := Assignment{StartsOn: "2020-02-10", EndsOn: "2020-02-20"}
	for day, want := range map[string]bool{"2020-02-09": false, "2020-02-10": true, "2020-02-20": true, "2020-02-21": false} {
		if got := a.Active(day); got != want {
			t.Errorf("Active(%s) = %v, want %v", day, got, want)
		}
	}
	if !(Assignment{StartsOn: "2020-02-10"}).Active("2030-01-01") {
		t.Error("an open assignment ends")
	}
}

// The duties the policy requires follow its categories and conditions: the default asks
// the three-in-one and a town leader of everyone, and both service posts of key
// enterprises.
func TestMissingPerPolicy(t *testing.T) {
	def := policy.Default().Duties
	three := []string{"village_secretary", "village_cadre", "village_member", "town_leader"}
	cases := []struct {
		name   string
		duties []policy.Duty
		e      enterprise.Enterprise
		held   []string
		want   []string
	}{
		{"nobody", def, enterprise.Enterprise{Category: "other"}, nil, three},
		{"all four", def, enterprise.Enterprise{Category: "other"}, three, nil},
		{"no town leader", def, enterprise.Enterprise{Category: "other"}, three[:3], []string{"town_leader"}},
		{"key without posts", def, enterprise.Enterprise{Category: "other", KeyEnterprise: true}, three, []string{"post_a", "post_b"}},
		{"key with A only", def, enterprise.Enterprise{Category: "other", KeyEnterprise: true}, append(slices.Clone(three), "post_a"), []string{"post_b"}},
		{"not required duties do not count", def, enterprise.Enterprise{Category: "other"}, []string{"liaison", "dept_counterpart"}, three},
		{"category limited", []policy.Duty{{Code: "x", Required: true, Categories: []string{"hazchem"}}}, enterprise.Enterprise{Category: "other"}, nil, nil},
		{"category applies", []policy.Duty{{Code: "x", Required: true, Categories: []string{"hazchem"}}}, enterprise.Enterprise{Category: "hazchem"}, nil, []string{"x"}},
		{"when in park", []policy.Duty{{Code: "x", Required: true, When: "in_park"}}, enterprise.Enterprise{ParkID: 2}, nil, []string{"x"}},
		{"when not in park", []policy.Duty{{Code: "x", Required: true, When: "!in_park"}}, enterprise.Enterprise{ParkID: 2}, nil, nil},
		{"no duties", nil, enterprise.Enterprise{}, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Missing(c.duties, c.e, c.held); !slices.Equal(got, c.want) {
				t.Fatalf("Missing = %v, want %v", got, c.want)
			}
		})
	}
}

func TestTally(t *testing.T) {
	duties := []policy.Duty{{Code: "lead", Required: true}, {Code: "a", Required: true, When: "key_enterprise"}, {Code: "extra"}}
	subjects := []Subject{
		{Enterprise: enterprise.Enterprise{ID: 1, RegionCode: "330402001001", Category: "other"}, Held: []string{"lead"}},
		{Enterprise: enterprise.Enterprise{ID: 2, RegionCode: "330402001002", Category: "other", KeyEnterprise: true}, Held: []string{"lead"}},
		{Enterprise: enterprise.Enterprise{ID: 3, RegionCode: "330402002001", Category: "coal"}},
		{Enterprise: enterprise.Enterprise{ID: 4, RegionCode: "330402002", Category: "coal"}, Held: []string{"extra"}},
	}
	names := func(k string) string { return map[string]string{"330402001": "甲镇"}[k] }
	c := Tally(duties, ByTown, subjects, names)
	if c.Enterprises != 4 || c.Covered != 1 || c.Nobody != 1 || len(c.Gaps) != 3 {
		t.Fatalf("coverage %+v", c)
	}
	want := []Count{{Key: "330402001", Name: "甲镇", Enterprises: 2, Covered: 1, Gaps: 1}, {Key: "330402002", Name: "330402002", Enterprises: 2, Gaps: 2, Nobody: 1}}
	if !slices.Equal(c.Groups, want) {
		t.Fatalf("groups %+v, want %+v", c.Groups, want)
	}
	if g := c.Gaps[0]; g.EnterpriseID != 2 || !slices.Equal(g.Missing, []string{"a"}) || g.Nobody || g.Required != 2 {
		t.Errorf("gap of the key enterprise %+v", g)
	}
	if g := c.Gaps[1]; g.EnterpriseID != 3 || !g.Nobody || !slices.Equal(g.Missing, []string{"lead"}) {
		t.Errorf("gap of the enterprise with nobody %+v", g)
	}
	// An enterprise whose only official holds a duty that is not required still lacks the
	// required one, but is not "nobody".
	if g := c.Gaps[2]; g.EnterpriseID != 4 || g.Nobody {
		t.Errorf("gap %+v", g)
	}
	byVillage := Tally(duties, ByVillage, subjects, nil)
	if len(byVillage.Groups) != 4 {
		t.Errorf("village groups %+v", byVillage.Groups)
	}
	byCat := Tally(duties, ByCategory, subjects, nil)
	if len(byCat.Groups) != 2 || byCat.Groups[0].Key != "coal" {
		t.Errorf("category groups %+v", byCat.Groups)
	}
}

func TestVisitValidate(t *testing.T) {
	cases := []struct {
		name   string
		in     Visit
		fields []string
	}{
		{"ok", Visit{EnterpriseID: 1, Kind: OnSite, Found: "消毒台账齐全"}, nil},
		{"empty", Visit{}, []string{"enterprise_id", "kind", "found"}},
		{"future", Visit{EnterpriseID: 1, Kind: Phone, Found: "x", Day: "2020-02-11"}, []string{"day"}},
		{"bad day", Visit{EnterpriseID: 1, Kind: Phone, Found: "x", Day: "yesterday"}, []string{"day"}},
		{"unknown kind", Visit{EnterpriseID: 1, Kind: "letter", Found: "x"}, []string{"kind"}},
		{"too many photos", Visit{EnterpriseID: 1, Kind: Video, Found: "x", Photos: make([]string, 7)}, []string{"photos"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := c.in
			var got []string
			for _, p := range v.Validate("2020-02-10", loc) {
				got = append(got, p.Field)
			}
			if !slices.Equal(got, c.fields) {
				t.Fatalf("problems %v, want %v", got, c.fields)
			}
		})
	}
}

// Every shipped policy gives duties, each valid against its own categories.
func TestPoliciesHaveDuties(t *testing.T) {
	for _, f := range []string{"../../policies/variant-b-town.toml", "../../policies/variant-c-county.toml", "../../policies/variant-d-street.toml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, probs := policy.Parse(f, b)
		if len(probs) > 0 {
			t.Fatalf("%s: %v", f, probs)
		}
		if len(p.Duties) == 0 {
			t.Errorf("%s has no duties", f)
		}
	}
}

// Photos are added to a visit by the official who logged it, up to MaxVisitPhotos, each
// once.
func TestAddPhotos(t *testing.T) {
	v := Visit{ID: 1, UserID: 7, Photos: []string{"a", "b"}}
	cases := []struct {
		name string
		by   int64
		shas []string
		want []string
		kind apperr.Kind // when it fails
	}{
		{"two more", 7, []string{"c", "d"}, []string{"a", "b", "c", "d"}, 0},
		{"one already there", 7, []string{"b", "c"}, []string{"a", "b", "c"}, 0},
		{"up to the limit", 7, []string{"c", "d", "e", "f"}, []string{"a", "b", "c", "d", "e", "f"}, 0},
		{"over the limit", 7, []string{"c", "d", "e", "f", "g"}, nil, apperr.Invalid},
		{"none", 7, nil, nil, apperr.Invalid},
		{"another official", 8, []string{"c"}, nil, apperr.Conflict},
		{"no account", 0, []string{"c"}, nil, apperr.Conflict},
	}
	for _, c := range cases {
		got, err := v.AddPhotos(c.by, c.shas)
		if (err == nil) != (c.want != nil) || err != nil && apperr.KindOf(err) != c.kind {
			t.Errorf("%s: error %v, want kind %v", c.name, err, c.kind)
			continue
		}
		if err == nil && !slices.Equal(got.Photos, c.want) {
			t.Errorf("%s: photos %v, want %v", c.name, got.Photos, c.want)
		}
	}
	if len(v.Photos) != 2 {
		t.Errorf("the visit itself changed: %v", v.Photos)
	}
}

// A batch reaches at least one enterprise and at most MaxBatch.
func TestCheckBatch(t *testing.T) {
	for _, c := range []struct {
		n  int
		ok bool
	}{{0, false}, {1, true}, {MaxBatch, true}, {MaxBatch + 1, false}} {
		err := CheckBatch(c.n)
		if (err == nil) != c.ok {
			t.Errorf("CheckBatch(%d) = %v", c.n, err)
		}
		if e, isProblem := apperr.As(err); err != nil && (!isProblem || e.Problems[0].Field != "filter") {
			t.Errorf("CheckBatch(%d): %v is not a problem of the filter", c.n, err)
		}
	}
}

// A coverage opens one level below the region it looks at: the filter's, else the
// account's.
func TestDefaultGrouping(t *testing.T) {
	region := func(code string) auth.Scope { return auth.Scope{Kind: auth.ScopeRegion, Region: code} }
	for _, c := range []struct {
		name   string
		scope  auth.Scope
		filter string
		want   Grouping
	}{
		{"the whole installation", auth.Scope{Kind: auth.ScopeAll}, "", ByTown},
		{"a city", region("330400"), "", ByTown},
		{"a county", region("330402"), "", ByTown},
		{"a county's department", auth.Scope{Kind: auth.ScopeDept, ID: 3}, "", ByTown},
		{"a town", region("330402001"), "", ByVillage},
		{"a village", region("330402001001"), "", ByCategory},
		{"a park", auth.Scope{Kind: auth.ScopePark, ID: 1}, "", ByCategory},
		{"a county looking at one town", region("330402"), "330402001", ByVillage},
		{"a county looking at one village", region("330402"), "330402001002", ByCategory},
		{"a park filtered to a town", auth.Scope{Kind: auth.ScopePark, ID: 1}, "330402001", ByVillage},
		{"a filter that is no code", region("330402001"), "abc", ByTown},
	} {
		if got := DefaultGrouping(c.scope, c.filter); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
