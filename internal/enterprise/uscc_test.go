package enterprise

import (
	"errors"
	"strings"
	"testing"
)

// publicUSCCs are codes published by real organisations (on business
// licences and public registries) that the algorithm accepts.
var publicUSCCs = []string{
	"91350100M000100Y43",
	"91110000100010433L",
	"914403001922038216",
	"91440300708461136T",
	"91330100716105852F",
	"91110108551385082Q",
	"91110000802100433B",
	"12100000400010398P",
}

// withCheck appends the computed check character to first17.
func withCheck(t testing.TB, first17 string) string {
	t.Helper()
	c, err := USCCCheckChar(first17)
	if err != nil {
		t.Fatalf("USCCCheckChar(%q): %v", first17, err)
	}
	return first17 + string(c)
}

func TestValidateUSCCValid(t *testing.T) {
	codes := append([]string(nil), publicUSCCs...)
	// One code for every registration-authority / organisation-type pair.
	for a, k := range usccKinds {
		for i := 0; i < len(k.types); i++ {
			codes = append(codes, withCheck(t, string([]byte{a, k.types[i]})+"330402MA2B3C4D5"))
		}
	}
	for _, first17 := range []string{
		"91330402000000000",
		"9233040200000000Y",
		"93330402YYYYYYYYY",
		"N1330402123456789",
		"Y1100000ABCDEFGHJ",
	} {
		codes = append(codes, withCheck(t, first17))
	}
	for _, c := range codes {
		if err := ValidateUSCC(c); err != nil {
			t.Errorf("ValidateUSCC(%q) = %v, want nil", c, err)
		}
		if n := NormalizeUSCC(c); n != c {
			t.Errorf("NormalizeUSCC(%q) = %q, want it unchanged", c, n)
		}
	}
}

func TestUSCCCheckChar(t *testing.T) {
	tests := []struct {
		first17 string
		want    byte
		wantErr string // substring of ReasonEN; "" for success
	}{
		{"91350100M000100Y4", '3', ""},
		{"91440300708461136", 'T', ""},
		{"91330100716105852", 'F', ""},
		{"91110108551385082", 'Q', ""},
		// sum ≡ 0 (mod 31) gives 31, which maps to '0'.
		{"00000000000000000", '0', ""},
		{"9135010", 0, "got 7"},
		{"91350100M000100Y43", 0, "got 18"},
		{"91350100M000100O4", 0, "position 16"},
		{"9135010０M000100Y4", 0, "full-width"},
	}
	for _, tt := range tests {
		got, err := USCCCheckChar(tt.first17)
		if tt.wantErr != "" {
			var ue *USCCError
			if !errors.As(err, &ue) || !strings.Contains(ue.ReasonEN, tt.wantErr) {
				t.Errorf("USCCCheckChar(%q) error = %v, want a *USCCError containing %q", tt.first17, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("USCCCheckChar(%q) = %q, %v; want %q, nil", tt.first17, got, err, tt.want)
		}
	}
}

func TestValidateUSCCInvalid(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		pos    int
		reason string // exact Chinese reason
		en     string // substring of the English reason
	}{
		{"empty", "", 0, "统一社会信用代码不能为空", "empty"},
		{"too short", "91350100M000100Y4", 0, "统一社会信用代码应为18位,实际为17位", "must be 18 characters long, got 17"},
		{"too long", "91350100M000100Y431", 0, "统一社会信用代码应为18位,实际为19位", "got 19"},
		{"multibyte counted as characters", "91350100M000100Y4中", 18, "第18位含有非法字符'中'(只允许数字和除I、O、Z、S、V以外的大写字母)", "illegal character '中' at position 18"},
		{"letter O", "91350100M0O0100Y43", 11, "第11位含有不允许使用的字母“O”(统一社会信用代码不使用I、O、Z、S、V)", "illegal character 'O' at position 11"},
		{"letter I", "I1350100M000100Y43", 1, "第1位含有不允许使用的字母“I”(统一社会信用代码不使用I、O、Z、S、V)", "position 1"},
		{"letter Z", "91350100MZ00100Y43", 10, "第10位含有不允许使用的字母“Z”(统一社会信用代码不使用I、O、Z、S、V)", "position 10"},
		{"letter S", "91350100M000100S43", 16, "第16位含有不允许使用的字母“S”(统一社会信用代码不使用I、O、Z、S、V)", "position 16"},
		{"letter V", "91350100M000100Y4V", 18, "第18位含有不允许使用的字母“V”(统一社会信用代码不使用I、O、Z、S、V)", "position 18"},
		{"lower case", "91350100m000100Y43", 9, "第9位含有小写字母“m”,字母应为大写", "lower-case character 'm' at position 9"},
		{"full width", "91350100Ｍ000100Y43", 9, "第9位含有全角字符“Ｍ”,应使用半角字符", "full-width character 'Ｍ' at position 9"},
		{"punctuation", "91350100-000100Y43", 9, "第9位含有非法字符'-'(只允许数字和除I、O、Z、S、V以外的大写字母)", "illegal character '-' at position 9"},
		{"inner space", "9135010 M000100Y43", 8, "第8位含有非法字符' '(只允许数字和除I、O、Z、S、V以外的大写字母)", "position 8"},
		{"unknown authority", "B1350100M000100Y43", 1, "第1位登记管理部门代码“B”不存在(应为1-9, A, N, Y之一)", "registration-authority code 'B' at position 1 does not exist"},
		{"authority 0", "01350100M000100Y43", 1, "第1位登记管理部门代码“0”不存在(应为1-9, A, N, Y之一)", "does not exist"},
		{"type 4 under 工商", "94350100M000100Y43", 2, "第2位机构类别代码“4”与第1位登记管理部门代码“9”(工商)不匹配,应为1、2、3之一", "organisation-type code '4' at position 2 is not valid for registration-authority code '9' (market regulation); it must be one of 1, 2, 3"},
		{"type 9 under 工商", "99350100M000100Y43", 2, "第2位机构类别代码“9”与第1位登记管理部门代码“9”(工商)不匹配,应为1、2、3之一", "it must be one of 1, 2, 3"},
		{"type 4 under 民政", "54350100M000100Y43", 2, "第2位机构类别代码“4”与第1位登记管理部门代码“5”(民政)不匹配,应为1、2、3、9之一", "one of 1, 2, 3, 9"},
		{"type 2 under 其他", "Y2350100M000100Y43", 2, "第2位机构类别代码“2”与第1位登记管理部门代码“Y”(其他)不匹配,应为1之一", "one of 1"},
		{"letter in division", "9135A100M000100Y43", 5, "第5位应为数字:第3至8位是登记管理机关行政区划码", "position 5 must be a digit"},
		{"letter at pos 8", "9135010AM000100Y43", 8, "第8位应为数字:第3至8位是登记管理机关行政区划码", "position 8 must be a digit"},
		{"wrong check", "91350100M000100Y44", 18, "校验码错误:第18位应为“3”,实际为“4”", "wrong check character: position 18 should be '3', got '4'"},
		{"transposed", "91350100M000010Y43", 18, "校验码错误:第18位应为“J”,实际为“3”", "should be 'J'"},
		{"not normalized", " 91350100M000100Y43", 0, "统一社会信用代码应为18位,实际为19位", "got 19"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateUSCC(tt.in)
			var ue *USCCError
			if !errors.As(err, &ue) {
				t.Fatalf("ValidateUSCC(%q) = %v, want a *USCCError", tt.in, err)
			}
			if ue.Reason != tt.reason {
				t.Errorf("Reason = %q, want %q", ue.Reason, tt.reason)
			}
			if !strings.Contains(ue.ReasonEN, tt.en) {
				t.Errorf("ReasonEN = %q, want it to contain %q", ue.ReasonEN, tt.en)
			}
			if ue.Position != tt.pos {
				t.Errorf("Position = %d, want %d", ue.Position, tt.pos)
			}
			if got, want := err.Error(), ue.Reason+" / "+ue.ReasonEN; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
			if strings.Contains(err.Error(), "%!") {
				t.Errorf("Error() has a formatting problem: %q", err.Error())
			}
		})
	}
}

func TestNormalizeUSCC(t *testing.T) {
	tests := []struct{ in, want string }{
		{"91350100M000100Y43", "91350100M000100Y43"},
		{"  91350100m000100y43\t\n", "91350100M000100Y43"},
		{"\u3000９１３５０１００Ｍ０００１００Ｙ４３\u3000", "91350100M000100Y43"},
		{"\ufeff91350100M000100Y43\u200b", "91350100M000100Y43"},
		{"ｍ", "M"},
		{"", ""},
		{"中文", "中文"},
		{"9135 0100", "9135 0100"}, // inner space is kept; ValidateUSCC rejects it
	}
	for _, tt := range tests {
		if got := NormalizeUSCC(tt.in); got != tt.want {
			t.Errorf("NormalizeUSCC(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if err := ValidateUSCC(NormalizeUSCC(tt.in)); (err == nil) != (tt.want == "91350100M000100Y43") {
			t.Errorf("ValidateUSCC(NormalizeUSCC(%q)) = %v", tt.in, err)
		}
	}
}

// TestUSCCSingleSubstitution checks that the check character catches every
// single-character substitution of a valid code.
func TestUSCCSingleSubstitution(t *testing.T) {
	for _, code := range publicUSCCs {
		for i := 0; i < USCCLen; i++ {
			for j := 0; j < len(usccCharset); j++ {
				c := usccCharset[j]
				if c == code[i] {
					continue
				}
				mut := code[:i] + string(c) + code[i+1:]
				if ValidateUSCC(mut) == nil {
					t.Errorf("ValidateUSCC(%q) = nil for a substitution of %q at position %d", mut, code, i+1)
				}
			}
		}
	}
}

func FuzzValidateUSCC(f *testing.F) {
	for _, c := range publicUSCCs {
		f.Add(c)
		f.Add(strings.ToLower(c))
	}
	for _, s := range []string{"", "9", "91350100M000100Y4", "９１３５０１００Ｍ０００１００Ｙ４３", "91350100M0O0100Y43", "\xff\xfe91350100M000100Y4", "91350100M000100Y43\u3000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateUSCC(s)
		n := NormalizeUSCC(s)
		if nn := NormalizeUSCC(n); nn != n {
			t.Fatalf("NormalizeUSCC not idempotent: %q → %q → %q", s, n, nn)
		}
		if err != nil {
			var ue *USCCError
			if !errors.As(err, &ue) || ue.Reason == "" || ue.ReasonEN == "" {
				t.Fatalf("ValidateUSCC(%q) = %#v, want a *USCCError with both reasons", s, err)
			}
			if ue.Position < 0 || ue.Position > USCCLen {
				t.Fatalf("ValidateUSCC(%q): position %d out of range", s, ue.Position)
			}
			return
		}
		if n != s {
			t.Fatalf("valid code %q is not in normal form (%q)", s, n)
		}
		want, cerr := USCCCheckChar(s[:17])
		if cerr != nil || want != s[17] {
			t.Fatalf("USCCCheckChar(%q) = %q, %v; valid code ends in %q", s[:17], want, cerr, s[17])
		}
		for j := 0; j < len(usccCharset); j++ {
			if c := usccCharset[j]; c != s[17] {
				if ValidateUSCC(s[:17]+string(c)) == nil {
					t.Fatalf("%q is valid as well as %q", s[:17]+string(c), s)
				}
			}
		}
	})
}

// The organisation code's check character (GB 11714), and credit codes made with it
// pass the credit code's own check.
func TestOrgCodeCheckChar(t *testing.T) {
	// M=22, A=10, D=13: MA2D0001 sums 66+70+18+130+2 = 286 = 26×11, so 11-0 → 0;
	// MA000001 sums 66+70+2 = 138, 138 mod 11 = 6, so 11-6 → 5.
	for body, want := range map[string]byte{"12345678": '8', "MA2D0001": '0', "MA000001": '5'} {
		if got := OrgCodeCheckChar(body); got != want {
			t.Errorf("OrgCodeCheckChar(%s) = %c, want %c", body, got, want)
		}
	}
	for _, body := range []string{"MA2D0001", "MA000001", "12345678"} {
		first := "91330402" + body + string(OrgCodeCheckChar(body))
		c, err := USCCCheckChar(first)
		if err != nil || ValidateUSCC(first+string(c)) != nil {
			t.Errorf("%s: %v", first, err)
		}
	}
}
