package region

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseCode(t *testing.T) {
	tests := []struct {
		in     string
		level  Level
		canon  string
		full   string
		parent string // "" for none
	}{
		{"330000", Province, "330000", "330000000000", ""},
		{"330000000", Province, "330000", "330000000000", ""},
		{"330000000000", Province, "330000", "330000000000", ""},
		{"110000", Province, "110000", "110000000000", ""},
		{"820000", Province, "820000", "820000000000", ""},
		{"330400", City, "330400", "330400000000", "330000"},
		{"330400000000", City, "330400", "330400000000", "330000"},
		{"110100", City, "110100", "110100000000", "110000"}, // 市辖区
		{"429000", City, "429000", "429000000000", "420000"}, // 省直辖县级行政区划
		{"330402", County, "330402", "330402000000", "330400"},
		{"330402000", County, "330402", "330402000000", "330400"},
		{"330402000000", County, "330402", "330402000000", "330400"},
		{"110101", County, "110101", "110101000000", "110100"},
		{"500101", County, "500101", "500101000000", "500100"},
		{"429004", County, "429004", "429004000000", "429000"},
		{"330402001", Town, "330402001", "330402001000", "330402"},
		{"330402001000", Town, "330402001", "330402001000", "330402"},
		{"441900003", Town, "441900003", "441900003000", "441900"}, // 东莞: no county level
		{"442000001000", Town, "442000001", "442000001000", "442000"},
		{"460400100", Town, "460400100", "460400100000", "460400"},
		{"330402001001", Village, "330402001001", "330402001001", "330402001"},
		{"441900003001", Village, "441900003001", "441900003001", "441900003"},
		{"650102999999", Village, "650102999999", "650102999999", "650102999"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := ParseCode(tt.in)
			if err != nil {
				t.Fatalf("ParseCode(%q) error: %v", tt.in, err)
			}
			if err := Validate(tt.in); err != nil {
				t.Errorf("Validate(%q) = %v", tt.in, err)
			}
			if c.Level() != tt.level {
				t.Errorf("Level() = %v, want %v", c.Level(), tt.level)
			}
			if c.String() != tt.canon {
				t.Errorf("String() = %q, want %q", c.String(), tt.canon)
			}
			if c.Full() != tt.full {
				t.Errorf("Full() = %q, want %q", c.Full(), tt.full)
			}
			p, ok := c.Parent()
			if ok != (tt.parent != "") || p.String() != tt.parent {
				t.Errorf("Parent() = %q, %v; want %q", p, ok, tt.parent)
			}
			if ok && !c.IsWithin(p) {
				t.Errorf("%v is not within its parent %v", c, p)
			}
			if c.IsZero() {
				t.Errorf("IsZero() = true")
			}
			// The canonical form parses to the same code.
			if c2 := MustParseCode(c.String()); c2 != c {
				t.Errorf("ParseCode(String()) = %v, want %v", c2, c)
			}
			if c2 := MustParseCode(c.Full()); c2 != c {
				t.Errorf("ParseCode(Full()) = %v, want %v", c2, c)
			}
		})
	}
}

func TestParseCodeInvalid(t *testing.T) {
	tests := []struct {
		in     string
		reason string // exact Chinese reason
		en     string // substring of ReasonEN
	}{
		{"", "行政区划代码不能为空", "empty"},
		{"33", `行政区划代码"33"应为6、9或12位数字,实际为2位`, "must have 6, 9 or 12 digits, got 2"},
		{"33040", `行政区划代码"33040"应为6、9或12位数字,实际为5位`, "got 5"},
		{"3304020", `行政区划代码"3304020"应为6、9或12位数字,实际为7位`, "got 7"},
		{"3304020010", `行政区划代码"3304020010"应为6、9或12位数字,实际为10位`, "got 10"},
		{"3304020010010", `行政区划代码"3304020010010"应为6、9或12位数字,实际为13位`, "got 13"},
		{"浙江嘉兴", `行政区划代码"浙江嘉兴"应为6、9或12位数字,实际为4位`, "got 4 characters"},
		{"33040A", `行政区划代码"33040A"第6位不是数字`, "non-digit at position 6"},
		{"a30402", `行政区划代码"a30402"第1位不是数字`, "position 1"},
		{" 30402", `行政区划代码" 30402"第1位不是数字`, "position 1"},
		{"330402 ", `行政区划代码"330402 "应为6、9或12位数字,实际为7位`, "got 7"},
		{"-33040", `行政区划代码"-33040"第1位不是数字`, "position 1"},
		{"３３０４０２", `行政区划代码"３３０４０２"第1位不是数字`, "non-digit at position 1"},
		{"000000", `行政区划代码"000000"的省级部分(第1-2位)不能为00`, "zero province part"},
		{"000000000000", `行政区划代码"000000000000"的省级部分(第1-2位)不能为00`, "zero province part"},
		{"990000", `行政区划代码"990000"的省级代码“99”不存在`, "province 99 does not exist"},
		{"100000", `行政区划代码"100000"的省级代码“10”不存在`, "province 10 does not exist"},
		{"330002", `行政区划代码"330002"的地级部分(第3-4位)为00,其后各位也应为0`, "zero city part"},
		{"330000001", `行政区划代码"330000001"的地级部分(第3-4位)为00,其后各位也应为0`, "zero city part"},
		// zero county part: a town directly under an ordinary city
		{"330400001", `行政区划代码"330400001"的县级部分(第5-6位)为00,其后各位也应为0`, "zero county part"},
		{"330400001001", `行政区划代码"330400001001"的县级部分(第5-6位)为00,其后各位也应为0`, "zero county part"},
		{"330400000001", `行政区划代码"330400000001"的县级部分(第5-6位)为00,其后各位也应为0`, "zero county part"},
		{"330402000001", `行政区划代码"330402000001"的乡级部分(第7-9位)为000,其后各位也应为0`, "zero town part"},
		{"441900000001", `行政区划代码"441900000001"的乡级部分(第7-9位)为000,其后各位也应为0`, "zero town part"},
		{"33040200100１", `行政区划代码"33040200100１"第12位不是数字`, "non-digit at position 12"},
		{"33040\xff", `行政区划代码"33040\xff"第6位不是数字`, "non-digit at position 6"},
		{strings.Repeat("9", 40), `行政区划代码"999999999999999999999999"…应为6、9或12位数字,实际为40位`, "got 40"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := ParseCode(tt.in)
			var ce *CodeError
			if !errors.As(err, &ce) {
				t.Fatalf("ParseCode(%q) = %v, %v; want a *CodeError", tt.in, c, err)
			}
			if !c.IsZero() {
				t.Errorf("ParseCode(%q) returned non-zero code %v with an error", tt.in, c)
			}
			if ce.Input != tt.in {
				t.Errorf("Input = %q, want %q", ce.Input, tt.in)
			}
			if ce.Reason != tt.reason {
				t.Errorf("Reason = %q, want %q", ce.Reason, tt.reason)
			}
			if !strings.Contains(ce.ReasonEN, tt.en) {
				t.Errorf("ReasonEN = %q, want it to contain %q", ce.ReasonEN, tt.en)
			}
			if got, want := err.Error(), ce.Reason+" / "+ce.ReasonEN; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
			if verr := Validate(tt.in); verr == nil || verr.Error() != err.Error() {
				t.Errorf("Validate(%q) = %v, want %v", tt.in, verr, err)
			}
		})
	}
}

func TestIsWithin(t *testing.T) {
	tests := []struct {
		c, ancestor string
		want        bool
	}{
		{"330402001001", "330000", true},
		{"330402001001", "330400", true},
		{"330402001001", "330402", true},
		{"330402001001", "330402001", true},
		{"330402001001", "330402001001", true},
		{"330402", "330402", true},
		{"330402", "330000000000", true},
		{"441900003001", "441900", true},
		{"441900003001", "440000", true},
		{"330402001001", "330402002", false},
		{"330402001001", "330411", false},
		{"330402001001", "330500", false},
		{"330402001001", "320000", false},
		{"330402", "330402001", false}, // an ancestor is not within its child
		{"330000", "330400", false},
		{"330400", "330402", false},
		{"330412", "330402", false},
	}
	for _, tt := range tests {
		c, a := MustParseCode(tt.c), MustParseCode(tt.ancestor)
		if got := c.IsWithin(a); got != tt.want {
			t.Errorf("%s.IsWithin(%s) = %v, want %v", tt.c, tt.ancestor, got, tt.want)
		}
	}
	if MustParseCode("330402").IsWithin(Code{}) {
		t.Error("a code is within the zero Code")
	}
	if (Code{}).IsWithin(MustParseCode("330000")) {
		t.Error("the zero Code is within a province")
	}
}

func TestAncestor(t *testing.T) {
	v := MustParseCode("330402001001")
	for l, want := range map[Level]string{Province: "330000", City: "330400", County: "330402", Town: "330402001", Village: "330402001001", 0: "", 6: ""} {
		if got := v.Ancestor(l).String(); got != want {
			t.Errorf("Ancestor(%v) = %q, want %q", l, got, want)
		}
	}
	if got := MustParseCode("330402").Ancestor(Town); !got.IsZero() {
		t.Errorf("county.Ancestor(Town) = %v, want zero", got)
	}
	// 东莞 has no county level.
	dg := MustParseCode("441900003001")
	if got := dg.Ancestor(County); !got.IsZero() {
		t.Errorf("441900003001.Ancestor(County) = %v, want zero", got)
	}
	if got := dg.Ancestor(City).String(); got != "441900" {
		t.Errorf("441900003001.Ancestor(City) = %q", got)
	}
}

func TestParentChain(t *testing.T) {
	var chain []string
	for c, ok := MustParseCode("330402001001"), true; ok; c, ok = c.Parent() {
		chain = append(chain, c.String()+":"+c.Level().String())
	}
	want := "330402001001:village 330402001:town 330402:county 330400:city 330000:province"
	if got := strings.Join(chain, " "); got != want {
		t.Errorf("chain = %s, want %s", got, want)
	}
	if p, ok := (Code{}).Parent(); ok || !p.IsZero() {
		t.Errorf("zero Code has parent %v", p)
	}
}

func TestLevelNames(t *testing.T) {
	tests := []struct {
		l      Level
		en, zh string
	}{
		{Province, "province", "省级"},
		{City, "city", "地级"},
		{County, "county", "县级"},
		{Town, "town", "乡级"},
		{Village, "village", "村级"},
		{0, "Level(0)", "未知级别"},
	}
	for _, tt := range tests {
		if tt.l.String() != tt.en || tt.l.Chinese() != tt.zh {
			t.Errorf("Level %d: %q %q, want %q %q", int(tt.l), tt.l.String(), tt.l.Chinese(), tt.en, tt.zh)
		}
	}
	if !(Province < City && City < County && County < Town && Town < Village) {
		t.Error("levels are not ordered from the highest to the lowest")
	}
}

func TestZeroCode(t *testing.T) {
	var z Code
	if !z.IsZero() || z.Level() != 0 || z.String() != "" || z.Full() != "" {
		t.Errorf("zero Code: %v %v %q %q", z.IsZero(), z.Level(), z.String(), z.Full())
	}
}

func TestEncoding(t *testing.T) {
	type rec struct {
		Region Code `json:"region"`
	}
	b, err := json.Marshal(rec{MustParseCode("330402001000")})
	if err != nil || string(b) != `{"region":"330402001"}` {
		t.Fatalf("json.Marshal = %s, %v", b, err)
	}
	var r rec
	if err := json.Unmarshal([]byte(`{"region":"330402000000"}`), &r); err != nil || r.Region.String() != "330402" {
		t.Fatalf("json.Unmarshal = %v, %v", r.Region, err)
	}
	if err := json.Unmarshal([]byte(`{"region":""}`), &r); err != nil || !r.Region.IsZero() {
		t.Fatalf("json.Unmarshal empty = %v, %v", r.Region, err)
	}
	var ce *CodeError
	if err := json.Unmarshal([]byte(`{"region":"33040X"}`), &r); !errors.As(err, &ce) {
		t.Fatalf("json.Unmarshal invalid = %v, want a *CodeError", err)
	}

	if v, err := MustParseCode("330402").Value(); err != nil || v != driver.Value("330402") {
		t.Errorf("Value() = %v, %v", v, err)
	}
	if v, err := (Code{}).Value(); err != nil || v != nil {
		t.Errorf("zero Value() = %v, %v", v, err)
	}
	var c Code
	for _, src := range []any{"330402001", []byte("330402001000")} {
		if err := c.Scan(src); err != nil || c.String() != "330402001" {
			t.Errorf("Scan(%v) = %v, %v", src, c, err)
		}
	}
	if err := c.Scan(nil); err != nil || !c.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", c, err)
	}
	if err := c.Scan(330402); err == nil {
		t.Error("Scan(int) succeeded")
	}
}

func TestMustParseCodePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParseCode did not panic")
		}
	}()
	MustParseCode("33040")
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"330000", "330400", "330402", "330402001", "330402001001", "330402000000", "441900003", "000000", "33040A", "", "３３０４０２", "330400001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			var ce *CodeError
			if !errors.As(err, &ce) || ce.Reason == "" || ce.ReasonEN == "" || ce.Input != s {
				t.Fatalf("ParseCode(%q) error %#v is not a complete *CodeError", s, err)
			}
			if !c.IsZero() {
				t.Fatalf("ParseCode(%q) returned %v with an error", s, c)
			}
			return
		}
		if c.IsZero() || c.Level() < Province || c.Level() > Village {
			t.Fatalf("ParseCode(%q) = %#v with level %v", s, c, c.Level())
		}
		// The canonical and full forms round-trip, and s is a prefix of the
		// full form.
		for _, form := range []string{c.String(), c.Full()} {
			if c2, err := ParseCode(form); err != nil || c2 != c {
				t.Fatalf("ParseCode(%q) = %v, %v; want %v", form, c2, err, c)
			}
		}
		if !strings.HasPrefix(c.Full(), s) || strings.Trim(c.Full()[len(s):], "0") != "" {
			t.Fatalf("Full() = %q does not extend %q with zeros", c.Full(), s)
		}
		if want := map[Level]int{Province: 6, City: 6, County: 6, Town: 9, Village: 12}[c.Level()]; len(c.String()) != want {
			t.Fatalf("String() = %q has the wrong length for level %v", c.String(), c.Level())
		}
		// Walking up ends at a province in at most four steps, each parent
		// valid, one level higher or more, and containing the code.
		cur := c
		for i := 0; ; i++ {
			p, ok := cur.Parent()
			if !ok {
				if cur.Level() != Province {
					t.Fatalf("%v (level %v) has no parent", cur, cur.Level())
				}
				break
			}
			if i >= 4 || p.Level() >= cur.Level() || !cur.IsWithin(p) || !c.IsWithin(p) || p.IsWithin(cur) {
				t.Fatalf("bad parent %v of %v", p, cur)
			}
			if err := Validate(p.String()); err != nil {
				t.Fatalf("parent %v of %v is invalid: %v", p, cur, err)
			}
			cur = p
		}
		if !c.IsWithin(c) {
			t.Fatalf("%v is not within itself", c)
		}
	})
}
