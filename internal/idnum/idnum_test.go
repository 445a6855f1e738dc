package idnum

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// withCheck appends the computed check character to first17.
func withCheck(t testing.TB, first17 string) string {
	t.Helper()
	c, err := CheckChar(first17)
	if err != nil {
		t.Fatalf("CheckChar(%q): %v", first17, err)
	}
	return first17 + string(c)
}

func TestCheckChar(t *testing.T) {
	tests := []struct {
		first17 string
		want    byte
	}{
		{"11010519491231002", 'X'}, // the example of GB 11643-1999
		{"44052418800101001", '4'}, // the other example of GB 11643-1999
		{"33010219900307123", '0'},
		{"00000000000000000", '1'},
	}
	for _, tt := range tests {
		if got, err := CheckChar(tt.first17); err != nil || got != tt.want {
			t.Errorf("CheckChar(%q) = %q, %v; want %q", tt.first17, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "1101051949123100", "110105194912310021", "1101051949123100X", "１1010519491231002"} {
		var e *Error
		if _, err := CheckChar(bad); !errors.As(err, &e) {
			t.Errorf("CheckChar(%q) error = %v, want an *Error", bad, err)
		}
	}
}

func TestValidateValid(t *testing.T) {
	tests := []struct {
		id    string
		birth string
		sex   Sex
	}{
		{"11010519491231002X", "1949-12-31", Female},
		{withCheck(t, "33010219900307123"), "1990-03-07", Male},
		{withCheck(t, "33040220000229002"), "2000-02-29", Female}, // leap day
		{withCheck(t, "33040219000101001"), "1900-01-01", Male},
		{withCheck(t, "33040220991231001"), "2099-12-31", Male},
		{withCheck(t, "81000019850615123"), "1985-06-15", Male},   // Hong Kong residence permit
		{withCheck(t, "93315619800101002"), "1980-01-01", Female}, // foreigners' permanent residence ID
	}
	for _, tt := range tests {
		if err := Validate(tt.id); err != nil {
			t.Errorf("Validate(%q) = %v", tt.id, err)
			continue
		}
		if b, err := BirthDate(tt.id); err != nil || b.Format("2006-01-02") != tt.birth || b.Location() != time.UTC {
			t.Errorf("BirthDate(%q) = %v, %v; want %s UTC", tt.id, b, err, tt.birth)
		}
		if g, err := Gender(tt.id); err != nil || g != tt.sex {
			t.Errorf("Gender(%q) = %v, %v; want %v", tt.id, g, err, tt.sex)
		}
		if n := Normalize(tt.id); n != tt.id {
			t.Errorf("Normalize(%q) = %q, want it unchanged", tt.id, n)
		}
	}
}

func TestValidateInvalid(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		pos    int
		reason string
		en     string
	}{
		{"empty", "", 0, "身份证号码不能为空", "empty"},
		{"15 digits", "110105491231002", 0, "15位的旧身份证号码已停止使用,请填写18位号码", "15-digit"},
		{"short", "11010519491231002", 0, "身份证号码应为18位,实际为17位", "must be 18 characters long, got 17"},
		{"long", "11010519491231002X1", 0, "身份证号码应为18位,实际为19位", "got 19"},
		{"chinese", "身份证", 0, "身份证号码应为18位,实际为3位", "got 3"},
		{"letter", "1101051949123100AX", 17, "第17位应为数字", "position 17 must be a digit"},
		{"X in the middle", "11010X19491231002X", 6, "第6位应为数字", "position 6 must be a digit"},
		{"full-width digit", "１1010519491231002X", 1, "第1位是全角数字,应使用半角数字", "full-width digit"},
		{"lower-case x", "11010519491231002x", 18, "第18位校验码应为数字或大写字母X,不能是小写字母x", "not a lower-case x"},
		{"bad check letter", "11010519491231002Y", 18, "第18位校验码应为数字或字母X", "must be a digit or X"},
		{"wrong check", "110105194912310021", 18, "校验码错误,号码可能填写有误(第18位应为“X”)", "should be 'X'"},
		{"wrong check digit", "330102199003071237", 18, "校验码错误,号码可能填写有误(第18位应为“0”)", "should be '0'"},
		{"transposed digits", "330102199003072130", 18, "校验码错误,号码可能填写有误(第18位应为“7”)", "should be '7'"},
		{"month 13", withCheck(t, "33010219901307123"), 7, "第7-14位出生日期“19901307”不是有效日期", `birth date "19901307"`},
		{"month 00", withCheck(t, "33010219900007123"), 7, "第7-14位出生日期“19900007”不是有效日期", "not a valid date"},
		{"day 00", withCheck(t, "33010219900300123"), 7, "第7-14位出生日期“19900300”不是有效日期", "not a valid date"},
		{"Feb 30", withCheck(t, "33010219900230123"), 7, "第7-14位出生日期“19900230”不是有效日期", "not a valid date"},
		{"Feb 29 common year", withCheck(t, "33010219000229123"), 7, "第7-14位出生日期“19000229”不是有效日期", "not a valid date"},
		{"Apr 31", withCheck(t, "33010219900431123"), 7, "第7-14位出生日期“19900431”不是有效日期", "not a valid date"},
		{"1899", withCheck(t, "33010218991231123"), 7, "第7-14位出生日期“18991231”不在1900年至2099年之间", "not between 1900 and 2099"},
		{"GB example 1880", "440524188001010014", 7, "第7-14位出生日期“18800101”不在1900年至2099年之间", "not between 1900 and 2099"},
		{"2100", withCheck(t, "33010221000101123"), 7, "第7-14位出生日期“21000101”不在1900年至2099年之间", "not between 1900 and 2099"},
		{"not normalized", " 11010519491231002X", 0, "身份证号码应为18位,实际为19位", "got 19"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.in)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Validate(%q) = %v, want an *Error", tt.in, err)
			}
			if e.Reason != tt.reason {
				t.Errorf("Reason = %q, want %q", e.Reason, tt.reason)
			}
			if !strings.Contains(e.ReasonEN, tt.en) {
				t.Errorf("ReasonEN = %q, want it to contain %q", e.ReasonEN, tt.en)
			}
			if e.Position != tt.pos {
				t.Errorf("Position = %d, want %d", e.Position, tt.pos)
			}
			if got, want := err.Error(), e.Reason+" / "+e.ReasonEN; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
			if strings.Contains(err.Error(), "%!") {
				t.Errorf("bad formatting: %q", err.Error())
			}
			if _, err := BirthDate(tt.in); err == nil && Validate(Normalize(tt.in)) != nil {
				t.Errorf("BirthDate(%q) succeeded", tt.in)
			}
			if _, err := Gender(tt.in); err == nil && Validate(Normalize(tt.in)) != nil {
				t.Errorf("Gender(%q) succeeded", tt.in)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002X", "11010519491231002X"},
		{"11010519491231002x", "11010519491231002X"},
		{" 11010519491231002x\t", "11010519491231002X"},
		{"\u3000１１０１０５１９４９１２３１００２ｘ\u3000", "11010519491231002X"},
		{"\ufeff11010519491231002X\u200b", "11010519491231002X"},
		{"", ""},
		{"abc", "abc"}, // only x is upper-cased
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The normalizing accessors accept what Validate alone rejects.
	if g, err := Gender(" 11010519491231002x "); err != nil || g != Female {
		t.Errorf("Gender of a non-normalized number = %v, %v", g, err)
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"330102199003071230", "3301**********1230"},
		{"11010519491231002x", "1101**********002X"},
		{" 11010519491231002X ", "1101**********002X"},
		{"110105491231002", "1101*******1002"},
		{"123456789", "1234*6789"},
		{"12345678", "********"},
		{"1234", "****"},
		{"", ""},
		{"张三的身份证号码是什么", "张三的身***码是什么"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSexNames(t *testing.T) {
	if Male.String() != "male" || Female.String() != "female" || Male.Chinese() != "男" || Female.Chinese() != "女" {
		t.Error("wrong names")
	}
	if Sex(0).String() != "Sex(0)" || Sex(0).Chinese() != "未知" {
		t.Error("wrong names for an unknown sex")
	}
}

func TestAge(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	id := withCheck(t, "33010219900307123")   // born 1990-03-07
	leap := withCheck(t, "33010220000229123") // born 2000-02-29
	tests := []struct {
		id   string
		at   time.Time
		want int
		err  bool
	}{
		{id, time.Date(2020, 3, 6, 23, 59, 0, 0, shanghai), 29, false},
		{id, time.Date(2020, 3, 7, 0, 0, 0, 0, shanghai), 30, false},
		// 2020-03-06 16:30 UTC is already 03-07 in Shanghai: at's location counts.
		{id, time.Date(2020, 3, 6, 16, 30, 0, 0, time.UTC).In(shanghai), 30, false},
		{id, time.Date(2020, 3, 6, 16, 30, 0, 0, time.UTC), 29, false},
		{id, time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC), 0, false},
		{id, time.Date(1990, 3, 6, 0, 0, 0, 0, time.UTC), 0, true},
		{leap, time.Date(2021, 2, 28, 0, 0, 0, 0, time.UTC), 20, false},
		{leap, time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), 21, false},
		{leap, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), 24, false},
		{"110105194912310021", time.Now(), 0, true},
	}
	for _, tt := range tests {
		got, err := Age(tt.id, tt.at)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("Age(%q, %v) = %d, %v; want %d, error %v", tt.id, tt.at, got, err, tt.want, tt.err)
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Errorf("Age error %v is not an *Error", err)
		}
	}
}

func FuzzValidate(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "330102199003071230", "440524188001010014", "", "110105491231002", "１１０１０５１９４９１２３１００２Ｘ", "33010219900230123X", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := Validate(s)
		n := Normalize(s)
		if Normalize(n) != n {
			t.Fatalf("Normalize not idempotent on %q", s)
		}
		m := Mask(s)
		if utf8Len(m) != utf8Len(n) {
			t.Fatalf("Mask(%q) = %q changes the length of %q", s, m, n)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Reason == "" || e.ReasonEN == "" || e.Position < 0 || e.Position > Len {
				t.Fatalf("Validate(%q) = %#v", s, err)
			}
			return
		}
		if n != s {
			t.Fatalf("valid %q is not normalized (%q)", s, n)
		}
		if m[:4] != s[:4] || m[14:] != s[14:] || m[4:14] != strings.Repeat("*", 10) {
			t.Fatalf("Mask(%q) = %q", s, m)
		}
		b, err := BirthDate(s)
		if err != nil || b.Format("20060102") != s[6:14] {
			t.Fatalf("BirthDate(%q) = %v, %v", s, b, err)
		}
		g, err := Gender(s)
		if err != nil || (g == Male) != ((s[16]-'0')%2 == 1) {
			t.Fatalf("Gender(%q) = %v, %v", s, g, err)
		}
		for _, c := range []byte("0123456789X") {
			if c != s[17] && Validate(s[:17]+string(c)) == nil {
				t.Fatalf("%q is valid as well as %q", s[:17]+string(c), s)
			}
		}
	})
}

func utf8Len(s string) int { return len([]rune(s)) }
