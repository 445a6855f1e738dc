// Package idnum handles resident identity card numbers (公民身份号码) of
// GB 11643-1999.
//
// A number has 18 characters:
//
//	pos 1-6    address code (GB/T 2260 division of first registration)
//	pos 7-14   birth date YYYYMMDD
//	pos 15-17  sequence code; the 17th digit is odd for men, even for women
//	pos 18     check character, a digit or X (standing for 10)
//
// The same layout and check are used by the residence permits of Hong Kong,
// Macao and Taiwan residents (address codes 81xxxx, 82xxxx, 83xxxx) and the
// 2023 foreigners' permanent residence ID card (first digit 9), so the
// address code is only required to be digits.
package idnum

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Len is the length of an identity number.
const Len = 18

// weights are the weights of the first 17 digits: 2^(18-i) mod 11.
var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// checkChars maps the weighted sum mod 11 to the check character.
const checkChars = "10X98765432"

// Earliest and latest birth dates accepted by Validate.
var (
	minBirth = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxBirth = time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)
)

// Error describes why a string is not a valid identity number. Reason is in
// Chinese and meant to be shown to users as is; ReasonEN is its English
// translation. Position is the 1-based character position of the problem,
// or 0 when it is not about one character. Error() gives
// "Reason / ReasonEN". The messages never repeat the number itself, so they
// may be logged.
type Error struct {
	Reason   string
	ReasonEN string
	Position int
}

func (e *Error) Error() string { return e.Reason + " / " + e.ReasonEN }

func idErr(pos int, zh, en string, args ...any) *Error {
	return &Error{Reason: fmt.Sprintf(zh, args...), ReasonEN: fmt.Sprintf(en, args...), Position: pos}
}

// Sex is the sex encoded in an identity number. Its values are those of
// GB/T 2261.1 (1 男, 2 女).
type Sex int

// Sexes.
const (
	Male   Sex = 1
	Female Sex = 2
)

// String returns "male" or "female".
func (g Sex) String() string {
	switch g {
	case Male:
		return "male"
	case Female:
		return "female"
	}
	return fmt.Sprintf("Sex(%d)", int(g))
}

// Chinese returns "男" or "女".
func (g Sex) Chinese() string {
	switch g {
	case Male:
		return "男"
	case Female:
		return "女"
	}
	return "未知"
}

// Normalize returns s with surrounding white space (including the
// full-width space and zero-width characters) removed, full-width
// characters ("３３０１…", "ｘ") folded to half width and a lower-case x made
// upper case. It does not validate: pass the result to Validate.
func Normalize(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF
	})
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII variants
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		if r == 'x' {
			r = 'X'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Validate reports whether s is a valid 18-character identity number in
// canonical form: 17 digits then a digit or upper-case X, a real calendar
// birth date from 1900-01-01 to 2099-12-31, and the right check character.
// User input should be passed through Normalize first. Validate does not
// compare the birth date with today; see Age. A non-nil error is an *Error.
func Validate(s string) error {
	n := utf8.RuneCountInString(s)
	switch {
	case s == "":
		return idErr(0, "身份证号码不能为空", "the identity number is empty")
	case n == 15 && isDigits(s):
		return idErr(0, "15位的旧身份证号码已停止使用,请填写18位号码", "15-digit identity numbers are no longer in use; enter the 18-character number")
	case n != Len:
		return idErr(0, "身份证号码应为18位,实际为%d位", "an identity number must be 18 characters long, got %d", n)
	}
	pos := 0
	for _, c := range s {
		pos++
		if c >= '0' && c <= '9' || pos == Len && c == 'X' {
			continue
		}
		switch {
		case pos == Len && c == 'x':
			return idErr(pos, "第18位校验码应为数字或大写字母X,不能是小写字母x", "the check character at position 18 must be a digit or an upper-case X, not a lower-case x")
		case pos == Len:
			return idErr(pos, "第18位校验码应为数字或字母X", "the check character at position 18 must be a digit or X")
		case c >= 0xFF10 && c <= 0xFF19:
			return idErr(pos, "第%d位是全角数字,应使用半角数字", "position %d holds a full-width digit; use half-width digits", pos)
		default:
			return idErr(pos, "第%d位应为数字", "position %d must be a digit", pos)
		}
	}
	// s is now 18 ASCII characters.
	if _, err := birthDate(s); err != nil {
		return err
	}
	if want := checkChar(s[:17]); s[17] != want {
		return idErr(Len, "校验码错误,号码可能填写有误(第18位应为“%[1]c”)", "wrong check character, the number is probably mistyped (position 18 should be %[1]q)", rune(want))
	}
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkChar computes the check character of 17 ASCII digits.
func checkChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * weights[i]
	}
	return checkChars[sum%11]
}

// CheckChar returns the check character (position 18) for the first 17
// digits of an identity number; the error is an *Error when first17 is not
// 17 ASCII digits. The birth date is not checked.
func CheckChar(first17 string) (byte, error) {
	if len(first17) != 17 || !isDigits(first17) {
		return 0, idErr(0, "计算校验码需要前17位数字", "the check character needs the first 17 digits")
	}
	return checkChar(first17), nil
}

// birthDate parses positions 7-14 of an 18-character ASCII string.
func birthDate(s string) (time.Time, error) {
	y := atoi(s[6:10])
	m := atoi(s[10:12])
	d := atoi(s[12:14])
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || d < 1 || t.Day() != d {
		return time.Time{}, idErr(7, "第7-14位出生日期“%s”不是有效日期", "the birth date %q at positions 7-14 is not a valid date", s[6:14])
	}
	if t.Before(minBirth) || t.After(maxBirth) {
		return time.Time{}, idErr(7, "第7-14位出生日期“%s”不在1900年至2099年之间", "the birth date %q at positions 7-14 is not between 1900 and 2099", s[6:14])
	}
	return t, nil
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// BirthDate returns the birth date in s, at midnight UTC (a calendar date,
// not an instant). s is normalized, then must pass Validate.
func BirthDate(s string) (time.Time, error) {
	s = Normalize(s)
	if err := Validate(s); err != nil {
		return time.Time{}, err
	}
	return birthDate(s)
}

// Gender returns the sex in s: the 17th digit is odd for men and even for
// women. s is normalized, then must pass Validate.
func Gender(s string) (Sex, error) {
	s = Normalize(s)
	if err := Validate(s); err != nil {
		return 0, err
	}
	if (s[16]-'0')%2 == 1 {
		return Male, nil
	}
	return Female, nil
}

// Age returns the age in whole years on the calendar date of at (in at's
// location) of the holder of s. s is normalized, then must pass Validate;
// a birth date after that date is an *Error too. People born on 29 February
// turn a year older on 1 March in common years.
func Age(s string, at time.Time) (int, error) {
	b, err := BirthDate(s)
	if err != nil {
		return 0, err
	}
	y, m, d := at.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if b.After(today) {
		return 0, idErr(7, "出生日期%[1]s晚于%[2]s", "the birth date %[1]s is after %[2]s", b.Format("2006-01-02"), today.Format("2006-01-02"))
	}
	age := y - b.Year()
	if m < b.Month() || m == b.Month() && d < b.Day() {
		age--
	}
	return age, nil
}

// Mask hides the middle of an identity number for display and logs,
// keeping the first 4 and the last 4 characters:
// "330102199003071234" → "3301**********1234". s is normalized first; it
// need not be valid. Strings of 8 characters or fewer are masked entirely,
// so that nothing of a short or mistyped number leaks; "" stays "".
func Mask(s string) string {
	r := []rune(Normalize(s))
	if len(r) <= 8 {
		return strings.Repeat("*", len(r))
	}
	for i := 4; i < len(r)-4; i++ {
		r[i] = '*'
	}
	return string(r)
}
