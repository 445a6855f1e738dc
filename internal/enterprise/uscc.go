// Package enterprise holds helpers for enterprises (企业) taking part in the
// resumption of work.
//
// This file implements the unified social credit code (统一社会信用代码) of
// GB 32100-2015 "法人和其他组织统一社会信用代码编码规则".
//
// An 18-character code is laid out as:
//
//	pos 1      登记管理部门代码 registration-authority code
//	pos 2      机构类别代码     organisation-type code
//	pos 3-8    登记管理机关行政区划码 administrative division (GB/T 2260)
//	pos 9-17   主体标识码（组织机构代码） organisation code (GB 11714)
//	pos 18     校验码           check character
//
// Every character is taken from the 31-character set
// "0123456789ABCDEFGHJKLMNPQRTUWXY" (the letters I, O, Z, S and V are never
// used, to avoid confusion with 1, 0, 2, 5 and U).
package enterprise

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// USCCLen is the length of a unified social credit code.
const USCCLen = 18

// usccCharset is the GB 32100-2015 code character set; a character's index is
// its numeric value in the check-character computation.
const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights 3^(i) mod 31 of the first 17 characters.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccValue maps an ASCII byte to its value in usccCharset, or -1.
var usccValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(usccCharset); i++ {
		t[usccCharset[i]] = int8(i)
	}
	return t
}()

// usccKinds lists, for each registration-authority code (pos 1), the
// registration authority and the organisation-type codes (pos 2) it may be
// combined with, as published with GB 32100-2015 and extended by the
// national USCC data centre.
var usccKinds = map[byte]struct {
	authority, authorityEN string
	types                  string
}{
	'1': {"机构编制", "institutional establishment", "1239"},               // 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
	'2': {"外交", "foreign affairs", "19"},                               // 外国常驻新闻机构, 其他
	'3': {"司法行政", "judicial administration", "123459"},                 // 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
	'4': {"文化", "culture", "19"},                                       // 外国在华文化中心, 其他
	'5': {"民政", "civil affairs", "1239"},                               // 社会团体, 民办非企业单位, 基金会, 其他
	'6': {"旅游", "tourism", "129"},                                      // 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地（大陆）代表机构, 其他
	'7': {"宗教", "religious affairs", "129"},                            // 宗教活动场所, 宗教院校, 其他
	'8': {"工会", "trade unions", "19"},                                  // 基层工会, 其他
	'9': {"工商", "market regulation", "123"},                            // 企业, 个体工商户, 农民专业合作社
	'A': {"中央军委改革和编制办公室", "CMC reform and establishment office", "19"}, // 军队事业单位, 其他
	'N': {"农业", "agriculture", "1239"},                                 // 组级/村级/乡镇级集体经济组织, 其他
	'Y': {"其他", "other", "1"},
}

// usccAuthorities is the list of allowed first characters, for messages.
const usccAuthorities = "1-9, A, N, Y"

// USCCError describes why a string is not a valid unified social credit
// code. Reason is in Chinese and meant to be shown to users as is; ReasonEN
// is its English translation. Position is the 1-based character position the
// problem was found at, or 0 when the problem is not about one character
// (the length, for example). Error() gives "Reason / ReasonEN".
type USCCError struct {
	Reason   string
	ReasonEN string
	Position int
}

func (e *USCCError) Error() string {
	return e.Reason + " / " + e.ReasonEN
}

// usccErr builds a *USCCError; zh and en are format strings that take the
// same arguments (use explicit argument indexes where the order differs).
func usccErr(pos int, zh, en string, args ...any) *USCCError {
	return &USCCError{Reason: fmt.Sprintf(zh, args...), ReasonEN: fmt.Sprintf(en, args...), Position: pos}
}

// NormalizeUSCC returns s with surrounding white space (including the
// full-width space and zero-width characters) removed, full-width ASCII
// characters (such as "９１３５") folded to their half-width forms, and
// letters upper-cased. It does not validate: pass the result to
// ValidateUSCC.
func NormalizeUSCC(s string) string {
	s = strings.TrimFunc(s, isTrimmable)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII variants
			r -= 0xFEE0
		case r == 0x3000: // ideographic space
			r = ' '
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isTrimmable reports whether r may be trimmed from the ends of a code:
// Unicode white space, zero-width characters and the byte-order mark, which
// all turn up in codes pasted from documents and spreadsheets.
func isTrimmable(r rune) bool {
	return unicode.IsSpace(r) || r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF
}

// ValidateUSCC reports whether s is a valid unified social credit code in
// canonical form: exactly 18 characters from the code character set, upper
// case, half width, with no surrounding space. User input should be passed
// through NormalizeUSCC first. A non-nil error is always a *USCCError,
// describing the first problem found in this order: length, illegal
// character, registration-authority / organisation-type combination,
// administrative division digits, check character.
func ValidateUSCC(s string) error {
	if n := utf8.RuneCountInString(s); n != USCCLen {
		if s == "" {
			return usccErr(0, "统一社会信用代码不能为空", "the unified social credit code is empty")
		}
		return usccErr(0, "统一社会信用代码应为18位,实际为%d位", "a unified social credit code must be 18 characters long, got %d", n)
	}
	if err := checkUSCCChars(s); err != nil {
		return err
	}
	// s is now 18 ASCII characters from the code character set.
	kind, ok := usccKinds[s[0]]
	if !ok {
		return usccErr(1, "第1位登记管理部门代码“%c”不存在(应为%s之一)", "registration-authority code %q at position 1 does not exist (must be one of %s)", rune(s[0]), usccAuthorities)
	}
	if strings.IndexByte(kind.types, s[1]) < 0 {
		return usccErr(2, "第2位机构类别代码“%[1]c”与第1位登记管理部门代码“%[2]c”(%[3]s)不匹配,应为%[5]s之一",
			"organisation-type code %[1]q at position 2 is not valid for registration-authority code %[2]q (%[4]s); it must be one of %[6]s",
			rune(s[1]), rune(s[0]), kind.authority, kind.authorityEN, listChars(kind.types, "、"), listChars(kind.types, ", "))
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return usccErr(i+1, "第%d位应为数字:第3至8位是登记管理机关行政区划码", "position %d must be a digit: positions 3-8 are the administrative division code", i+1)
		}
	}
	want, _ := usccCheck(s[:17])
	if s[17] != want {
		return usccErr(18, "校验码错误:第18位应为“%c”,实际为“%c”", "wrong check character: position 18 should be %q, got %q", rune(want), rune(s[17]))
	}
	return nil
}

// checkUSCCChars checks that every character of s is in the code character
// set, and reports the first one that is not.
func checkUSCCChars(s string) error {
	pos := 0
	for _, c := range s {
		pos++
		if c < utf8.RuneSelf && usccValue[c] >= 0 {
			continue
		}
		return illegalUSCCChar(c, pos)
	}
	return nil
}

// illegalUSCCChar describes the illegal character c at 1-based position pos.
func illegalUSCCChar(c rune, pos int) error {
	switch {
	case c >= 0xFF01 && c <= 0xFF5E:
		return usccErr(pos, "第%[1]d位含有全角字符“%[2]c”,应使用半角字符", "illegal full-width character %[2]q at position %[1]d: use half-width characters", pos, c)
	case c == 'I' || c == 'O' || c == 'Z' || c == 'S' || c == 'V':
		return usccErr(pos, "第%[1]d位含有不允许使用的字母“%[2]c”(统一社会信用代码不使用I、O、Z、S、V)",
			"illegal character %[2]q at position %[1]d (the letters I, O, Z, S and V are not used)", pos, c)
	case c >= 'a' && c <= 'z':
		return usccErr(pos, "第%[1]d位含有小写字母“%[2]c”,字母应为大写", "illegal lower-case character %[2]q at position %[1]d: letters must be upper case", pos, c)
	default:
		return usccErr(pos, "第%[1]d位含有非法字符%[2]q(只允许数字和除I、O、Z、S、V以外的大写字母)",
			"illegal character %[2]q at position %[1]d (only digits and upper-case letters other than I, O, Z, S, V are allowed)", pos, c)
	}
}

// listChars joins the characters of s with sep.
func listChars(s, sep string) string {
	parts := make([]string, len(s))
	for i := 0; i < len(s); i++ {
		parts[i] = string(s[i])
	}
	return strings.Join(parts, sep)
}

// usccCheck computes the check character of 17 ASCII characters already
// known to be in the code character set.
func usccCheck(first17 string) (byte, bool) {
	sum := 0
	for i := 0; i < 17; i++ {
		v := usccValue[first17[i]]
		if v < 0 {
			return 0, false
		}
		sum += int(v) * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccCharset[c], true
}

// USCCCheckChar returns the check character (position 18) for the first 17
// characters of a unified social credit code. first17 must be exactly 17
// characters from the code character set (upper case, no I, O, Z, S, V);
// otherwise the error is a *USCCError. The registration-authority,
// organisation-type and division parts are not checked.
func USCCCheckChar(first17 string) (byte, error) {
	if n := utf8.RuneCountInString(first17); n != 17 {
		return 0, usccErr(0, "计算校验码需要前17位,实际为%d位", "the check character needs the first 17 characters, got %d", n)
	}
	if err := checkUSCCChars(first17); err != nil {
		return 0, err
	}
	c, _ := usccCheck(first17)
	return c, nil
}

// OrgCodeCheckChar is the GB 11714 check character of the 8-character body of an
// organisation code (digits and upper-case letters), as it stands at position 17 of a
// credit code; the textbook example is 12345678-8.
func OrgCodeCheckChar(body string) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range min(len(body), 8) {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}
