package tip

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/policy"
)

var t0 = time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)

func TestNext(t *testing.T) {
	cases := []struct {
		from Status
		a    Action
		text string
		want Status
		kind apperr.Kind // 0: allowed
	}{
		{Received, Accept, "", Accepted, 0},
		{Received, Decline, "", Received, apperr.Invalid},
		{Received, Decline, "不属本镇管辖", Declined, 0},
		{Received, Reply, "答复", Received, apperr.Conflict},
		{Accepted, Investigate, "", Investigating, 0},
		{Accepted, Result, "已查实,责令整改", Resulted, 0},
		{Investigating, Result, " ", Investigating, apperr.Invalid},
		{Investigating, Result, "情况属实", Resulted, 0},
		{Resulted, Reply, "", Resulted, apperr.Invalid},
		{Resulted, Reply, "经查属实,已责令停产整改", Replied, 0},
		{Replied, Accept, "", Replied, apperr.Conflict},
		{Declined, Accept, "", Declined, apperr.Conflict},
		{Received, "destroy", "", Received, apperr.Invalid},
	}
	for _, c := range cases {
		got, err := Next(c.from, c.a, c.text)
		if c.kind == 0 && (err != nil || got != c.want) {
			t.Errorf("Next(%s, %s) = %s, %v; want %s", c.from, c.a, got, err, c.want)
		}
		if c.kind != 0 && apperr.KindOf(err) != c.kind {
			t.Errorf("Next(%s, %s, %q): %v; want an error of kind %v", c.from, c.a, c.text, err, c.kind)
		}
	}
	if got := Allowed(Received); len(got) != 2 || got[0] != Accept || got[1] != Decline {
		t.Errorf("Allowed(received) = %v", got)
	}
	if got := Allowed(Replied); len(got) != 0 {
		t.Errorf("Allowed(replied) = %v, want none", got)
	}
}

func TestReceiptCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c := NewReceipt()
		if len(c) != ReceiptLen+1 || c[5] != '-' {
			t.Fatalf("receipt %q is not XXXXX-XXXXX", c)
		}
		if strings.ContainsAny(c, "01OIL") {
			t.Fatalf("receipt %q has a look-alike", c)
		}
		if seen[c] {
			t.Fatalf("receipt %q drawn twice", c)
		}
		seen[c] = true
		n, ok := NormReceipt(strings.ToLower(strings.ReplaceAll(c, "-", " ")))
		if !ok || n != c {
			t.Fatalf("NormReceipt(lower %q) = %q, %v", c, n, ok)
		}
	}
	for _, bad := range []string{"", "ABCDE", "ABCDE-FGHJK-M", "AB0DE-FGHJK", "<script>", "ABCDE-FGHJ!"} {
		if n, ok := NormReceipt(bad); ok {
			t.Errorf("NormReceipt(%q) = %q, want refused", bad, n)
		}
	}
	if ReceiptDigest("ABCDE-FGHJK") == ReceiptDigest("ABCDE-FGHJM") || len(ReceiptDigest("X")) != 64 {
		t.Error("digests")
	}
}

func TestFormToken(t *testing.T) {
	key := []byte("k1")
	tok := FormToken(key, t0)
	cases := []struct {
		name  string
		key   []byte
		token string
		at    time.Time
		ok    bool
	}{
		{"after a person's minute", key, tok, t0.Add(time.Minute), true},
		{"at once: a script", key, tok, t0.Add(time.Second), false},
		{"stale", key, tok, t0.Add(FormMaxAge + time.Second), false},
		{"another key", []byte("k2"), tok, t0.Add(time.Minute), false},
		{"tampered", key, tok[:len(tok)-2] + "AA", t0.Add(time.Minute), false},
		{"garbage", key, "not-a-token", t0.Add(time.Minute), false},
		{"empty", key, "", t0.Add(time.Minute), false},
	}
	for _, c := range cases {
		err := CheckFormToken(c.key, c.token, c.at)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
		if err != nil && apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("%s: kind %v", c.name, apperr.KindOf(err))
		}
	}
}

func TestAdmit(t *testing.T) {
	pol := policy.Default() // 5 per address, 300 in all, an hour
	cases := []struct {
		name string
		r    Recent
		wait int // seconds; 0 admitted
	}{
		{"quiet", Recent{}, 0},
		{"four from the address", Recent{FromAddress: 4, OldestFromAddress: t0.Add(-50 * time.Minute), All: 4, OldestAll: t0.Add(-50 * time.Minute)}, 0},
		{"five from the address", Recent{FromAddress: 5, OldestFromAddress: t0.Add(-50 * time.Minute), All: 5, OldestAll: t0.Add(-50 * time.Minute)}, 600},
		{"everyone at the limit", Recent{FromAddress: 0, All: 300, OldestAll: t0.Add(-30 * time.Minute)}, 1800},
		{"both: the longer wait", Recent{FromAddress: 5, OldestFromAddress: t0.Add(-55 * time.Minute), All: 300, OldestAll: t0.Add(-40 * time.Minute)}, 1200},
	}
	for _, c := range cases {
		err := Admit(pol, c.r, t0)
		got, _ := RetryAfter(err)
		if c.wait == 0 && err != nil || c.wait != 0 && (apperr.KindOf(err) != apperr.TooMany || got != c.wait) {
			t.Errorf("%s: %v (retry after %d); want a wait of %d s", c.name, err, got, c.wait)
		}
	}
}

func loadPolicy(t *testing.T, name string) *policy.Policy {
	t.Helper()
	if name == "default" {
		return policy.Default()
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "policies", name))
	if err != nil {
		t.Fatal(err)
	}
	p, problems := policy.Parse(name, b)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	return p
}

// Routing per example policy: the category's unit, in the region cut to its level.
func TestRoute(t *testing.T) {
	cases := []struct {
		policy, category, supervisor, entRegion, town string
		unit, region                                  string
	}{
		// A registered enterprise's tip goes to the unit that supervises it, unless the
		// category names a unit of its own.
		{"default", "unapproved", "econ_office", "330402001001", "", "econ_office", "330402001"},
		{"default", "safety", "econ_office", "330402001001", "", "safety_office", "330402001"},
		{"variant-d-street.toml", "no_checks", "works_office", "330402003007", "", "works_office", "330402003"},
		{"default", "unapproved", "", "330402001001", "", "town_gov", "330402001"},
		{"default", "safety", "", "330402001001", "", "safety_office", "330402001"},
		{"default", "isolation", "", "330402001001", "", "community", "330402001001"},
		{"default", "unapproved", "", "", "330402002", "town_gov", "330402002"}, // no registered enterprise: the town named
		{"variant-b-town.toml", "safety", "", "330402001001", "", "safety_office", "330402001"},
		{"variant-b-town.toml", "dormitory", "", "330402001", "", "town_gov", "330402001"},
		{"variant-c-county.toml", "safety", "", "330402001001", "", "county_emergency", "330402"},
		{"variant-c-county.toml", "dormitory", "", "", "330402002", "county_health", "330402"},
		{"variant-c-county.toml", "gathering", "", "330402001001", "", "town_gov", "330402001"},
		{"variant-d-street.toml", "no_checks", "", "330402003", "", "street_office", "330402003"},
		{"variant-d-street.toml", "isolation", "", "330402003007", "", "community", "330402003007"},
	}
	for _, c := range cases {
		pol := loadPolicy(t, c.policy)
		u, r := Route(pol, c.category, c.supervisor, c.entRegion, c.town)
		if u != c.unit || r != c.region {
			t.Errorf("%s: Route(%s, %q, %q, %q) = %s, %s; want %s, %s", c.policy, c.category, c.supervisor, c.entRegion, c.town, u, r, c.unit, c.region)
		}
	}
}

func TestDeadlines(t *testing.T) {
	pol := policy.Default() // 24 hours to accept, 7 days to reply
	acc, rep := AcceptDue(pol, t0), ReplyDue(pol, t0)
	if !acc.Equal(t0.Add(24*time.Hour)) || !rep.Equal(t0.AddDate(0, 0, 7)) {
		t.Fatalf("due %v, %v", acc, rep)
	}
	cases := []struct {
		s    Status
		at   time.Time
		want bool
	}{
		{Received, t0.Add(23 * time.Hour), false},
		{Received, t0.Add(25 * time.Hour), true},
		{Accepted, t0.Add(25 * time.Hour), false},
		{Investigating, t0.AddDate(0, 0, 8), true},
		{Resulted, t0.AddDate(0, 0, 6), false},
		{Replied, t0.AddDate(0, 0, 30), false},
		{Declined, t0.AddDate(0, 0, 30), false},
	}
	for _, c := range cases {
		if got := Overdue(c.s, acc, rep, c.at); got != c.want {
			t.Errorf("Overdue(%s at +%v) = %v", c.s, c.at.Sub(t0), got)
		}
	}
}

func TestGroupOf(t *testing.T) {
	pol := policy.Default() // 3 days
	earlier := []Earlier{
		{ID: 1, EnterpriseID: 7, Category: "dormitory", Status: Accepted, CreatedAt: t0.Add(-48 * time.Hour)},
		{ID: 2, GroupID: 1, EnterpriseID: 7, Category: "dormitory", Status: Received, CreatedAt: t0.Add(-time.Hour)},
		{ID: 3, EnterpriseID: 7, Category: "gathering", Status: Received, CreatedAt: t0.Add(-time.Hour)},
		{ID: 4, EnterpriseID: 8, Category: "dormitory", Status: Replied, CreatedAt: t0.Add(-time.Hour)},
		{ID: 5, Name: "某 某 厂", Category: "unapproved", Status: Received, CreatedAt: t0.Add(-time.Hour)},
		{ID: 6, EnterpriseID: 9, Category: "safety", Status: Received, CreatedAt: t0.Add(-5 * 24 * time.Hour)},
	}
	cases := []struct {
		ent            int64
		name, category string
		want           int64
	}{
		{7, "", "dormitory", 1},
		{7, "", "gathering", 3},
		{7, "", "safety", 0},
		{8, "", "dormitory", 0}, // the earlier one is closed
		{0, "某某厂", "unapproved", 5},
		{0, "另一家", "unapproved", 0},
		{9, "", "safety", 0}, // too old
	}
	for _, c := range cases {
		if got := GroupOf(pol, c.ent, c.name, c.category, earlier, t0); got != c.want {
			t.Errorf("GroupOf(%d, %q, %s) = %d, want %d", c.ent, c.name, c.category, got, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	pol := policy.Default()
	good := Input{Category: "dormitory", EnterpriseID: 3, Description: "宿舍一间住了八个人"}
	if err := good.Validate(pol, 0, t0); err != nil {
		t.Fatal(err)
	}
	future := t0.Add(time.Hour)
	cases := []struct {
		in     Input
		photos int
		fields []string
	}{
		{Input{}, 0, []string{"category", "enterprise_name", "address", "town", "description"}},
		{Input{Category: "nope", EnterpriseID: 1, Description: "五个字以上了"}, 0, []string{"category"}},
		{Input{Category: "other", EnterpriseName: "某厂", Address: "某路1号", Town: "330402001", Description: "很多人聚集在门口", ReporterPhone: "call me"}, 0, []string{"reporter_phone"}},
		{Input{Category: "other", EnterpriseID: 1, Description: "很多人聚集在门口", HappenedAt: &future}, 4, []string{"happened_at", "photos"}},
		{Input{Category: "other", EnterpriseID: 1, Description: strings.Repeat("长", 2001)}, 0, []string{"description"}},
	}
	for i, c := range cases {
		err := c.in.Validate(pol, c.photos, t0)
		e, ok := apperr.As(err)
		if !ok {
			t.Errorf("case %d: %v; want problems %v", i, err, c.fields)
			continue
		}
		got := map[string]bool{}
		for _, p := range e.Problems {
			got[p.Field] = true
		}
		for _, f := range c.fields {
			if !got[f] {
				t.Errorf("case %d: no problem on %s (got %v)", i, f, e.Problems)
			}
		}
		if len(got) != len(c.fields) {
			t.Errorf("case %d: problems %v, want on %v", i, e.Problems, c.fields)
		}
	}
}

// What a receipt shows: the status, the reason or the reply — never the reporter, the
// enterprise, the description or the handler's notes.
func TestReceiptOf(t *testing.T) {
	pol := policy.Default()
	replied := t0.Add(48 * time.Hour)
	tp := Tip{ID: 9, Category: "dormitory", EnterpriseName: "甲厂", Description: "宿舍八人", ReporterName: "李四", ReporterPhone: "13800000000",
		Status: Replied, Comment: "派员核查", Result: "属实,内部处理意见", Reply: "经查属实,已责令整改", CreatedAt: t0, RepliedAt: &replied}
	r := ReceiptOf(pol, "ABCDE-FGHJK", tp)
	if r.Reply != "经查属实,已责令整改" || r.StatusName != "已答复" || r.CategoryName != "宿舍超员" || r.Reason != "" {
		t.Errorf("receipt %+v", r)
	}
	s := strings.Join([]string{r.Receipt, r.Category, r.CategoryName, r.StatusName, r.Reason, r.Reply}, "|")
	for _, secret := range []string{"甲厂", "宿舍八人", "李四", "13800000000", "派员核查", "内部处理意见"} {
		if strings.Contains(s, secret) {
			t.Errorf("the receipt shows %q", secret)
		}
	}
	tp.Status, tp.Comment = Declined, "不属于疫情防控事项"
	if r := ReceiptOf(pol, "X", tp); r.Reason != "不属于疫情防控事项" || r.Reply != "" {
		t.Errorf("declined receipt %+v", r)
	}
	tp.Status = Investigating
	if r := ReceiptOf(pol, "X", tp); r.Reason != "" || r.Reply != "" {
		t.Errorf("investigating receipt shows %+v", r)
	}
}
