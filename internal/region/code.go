// Package region handles administrative division codes (行政区划代码).
//
// County-level and higher divisions use the 6-digit codes of GB/T 2260
// (2 digits province, 2 digits city, 2 digits county). The national
// statistical division codes (统计用区划代码) extend them with 3 digits for
// the town or street (乡级: 乡、镇、街道) and 3 more for the village or
// community (村级: 村委会、居委会), giving 9- and 12-digit codes:
//
//	33 04 02 001 001
//	│  │  │  │   └ village / community (村级)
//	│  │  │  └──── town / street (乡级)
//	│  │  └─────── county / district (县级)
//	│  └────────── city (地级)
//	└───────────── province (省级)
//
// Trailing all-zero parts denote a higher level: "330400" is a city,
// "330402000000" is the county 330402. A few prefecture-level cities have no
// county level, so their towns sit directly under the city (东莞 441900003,
// 中山 442000001, 儋州 460400100); those are the only codes in which a
// non-zero town part may follow a zero county part.
package region

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Level is the level of an administrative division.
type Level int

// Division levels, from the highest to the lowest. The zero Level is the
// level of the zero Code.
const (
	Province Level = iota + 1 // 省级: province, autonomous region, municipality
	City                      // 地级: prefecture-level city, prefecture, league
	County                    // 县级: county, district, county-level city, banner
	Town                      // 乡级: town, township, sub-district (街道)
	Village                   // 村级: village committee, residents' committee (社区)
)

// String returns the English name of the level ("province" … "village").
func (l Level) String() string {
	switch l {
	case Province:
		return "province"
	case City:
		return "city"
	case County:
		return "county"
	case Town:
		return "town"
	case Village:
		return "village"
	}
	return "Level(" + strconv.Itoa(int(l)) + ")"
}

// Chinese returns the Chinese name of the level ("省级" … "村级").
func (l Level) Chinese() string {
	switch l {
	case Province:
		return "省级"
	case City:
		return "地级"
	case County:
		return "县级"
	case Town:
		return "乡级"
	case Village:
		return "村级"
	}
	return "未知级别"
}

// digits is the number of leading digits of a 12-digit code that identify a
// division of each level.
var digits = [...]int{Province: 2, City: 4, County: 6, Town: 9, Village: 12}

// pow10[n] is 10^n.
var pow10 = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12}

// provinces are the province-level codes of GB/T 2260.
var provinces = map[uint64]bool{
	11: true, 12: true, 13: true, 14: true, 15: true, // 北京 天津 河北 山西 内蒙古
	21: true, 22: true, 23: true, // 辽宁 吉林 黑龙江
	31: true, 32: true, 33: true, 34: true, 35: true, 36: true, 37: true, // 上海 江苏 浙江 安徽 福建 江西 山东
	41: true, 42: true, 43: true, 44: true, 45: true, 46: true, // 河南 湖北 湖南 广东 广西 海南
	50: true, 51: true, 52: true, 53: true, 54: true, // 重庆 四川 贵州 云南 西藏
	61: true, 62: true, 63: true, 64: true, 65: true, // 陕西 甘肃 青海 宁夏 新疆
	71: true, 81: true, 82: true, // 台湾 香港 澳门
}

// countyless are the prefecture-level cities without a county level, whose
// towns are coded directly under the city.
var countyless = map[uint64]bool{
	4419: true, // 东莞市
	4420: true, // 中山市
	4604: true, // 儋州市
	6202: true, // 嘉峪关市
}

// Code is a validated administrative division code of any level. The zero
// Code is not a division; it is what an empty string unmarshals to. Codes are comparable and may be used as map
// keys: two Codes are equal exactly when they denote the same division,
// whatever form they were parsed from.
type Code struct {
	v uint64 // the 12-digit statistical form
}

// CodeError describes why a string is not a valid division code. Reason is
// in Chinese and meant to be shown to users as is; ReasonEN is its English
// translation. Input is the rejected string. Error() gives
// "Reason / ReasonEN".
type CodeError struct {
	Input    string
	Reason   string
	ReasonEN string
}

func (e *CodeError) Error() string {
	return e.Reason + " / " + e.ReasonEN
}

func codeErr(input, zh, en string, args ...any) *CodeError {
	q := quote(input)
	args = append([]any{q}, args...)
	return &CodeError{Input: input, Reason: fmt.Sprintf(zh, args...), ReasonEN: fmt.Sprintf(en, args...)}
}

// quote quotes s for a message, shortening very long input.
func quote(s string) string {
	const max = 24
	if utf8.RuneCountInString(s) > max {
		n := 0
		for i := range s {
			if n == max {
				return strconv.Quote(s[:i]) + "…"
			}
			n++
		}
	}
	return strconv.Quote(s)
}

// ParseCode parses a division code of 6, 9 or 12 digits. Trailing zero
// parts denote a higher level, so "330000", "330400", "330402",
// "330402000" and "330402000000" are accepted, and the last three all give
// the county 330402. Every part above the lowest non-zero one must be
// non-zero (except the county part of the towns of 东莞, 中山, 儋州 and
// 嘉峪关), and the province must exist. The string must consist of digits
// only: no surrounding space. A non-nil error is a *CodeError.
func ParseCode(s string) (Code, error) {
	n := utf8.RuneCountInString(s)
	if n != 6 && n != 9 && n != 12 {
		if s == "" {
			return Code{}, &CodeError{Reason: "行政区划代码不能为空", ReasonEN: "the administrative division code is empty"}
		}
		return Code{}, codeErr(s, "行政区划代码%[1]s应为6、9或12位数字,实际为%[2]d位", "administrative division code %[1]s must have 6, 9 or 12 digits, got %[2]d characters", n)
	}
	var v uint64
	pos := 0
	for _, c := range s {
		pos++
		if c < '0' || c > '9' {
			return Code{}, codeErr(s, "行政区划代码%[1]s第%[2]d位不是数字", "administrative division code %[1]s has a non-digit at position %[2]d", pos)
		}
		v = v*10 + uint64(c-'0')
	}
	v *= pow10[12-n]
	pp, cc, dd, ttt, vvv := parts(v)
	switch {
	case pp == 0:
		return Code{}, codeErr(s, "行政区划代码%[1]s的省级部分(第1-2位)不能为00", "administrative division code %[1]s has a zero province part (digits 1-2)")
	case !provinces[pp]:
		return Code{}, codeErr(s, "行政区划代码%[1]s的省级代码“%02[2]d”不存在", "administrative division code %[1]s: province %02[2]d does not exist", pp)
	case cc == 0 && (dd != 0 || ttt != 0 || vvv != 0):
		return Code{}, codeErr(s, "行政区划代码%[1]s的地级部分(第3-4位)为00,其后各位也应为0", "administrative division code %[1]s has a zero city part (digits 3-4) followed by non-zero digits")
	case dd == 0 && (ttt != 0 || vvv != 0) && !countyless[v/pow10[8]]:
		return Code{}, codeErr(s, "行政区划代码%[1]s的县级部分(第5-6位)为00,其后各位也应为0", "administrative division code %[1]s has a zero county part (digits 5-6) followed by non-zero digits")
	case ttt == 0 && vvv != 0:
		return Code{}, codeErr(s, "行政区划代码%[1]s的乡级部分(第7-9位)为000,其后各位也应为0", "administrative division code %[1]s has a zero town part (digits 7-9) followed by non-zero digits")
	}
	return Code{v}, nil
}

// MustParseCode is like ParseCode but panics on error. It is meant for
// constants in code and tests.
func MustParseCode(s string) Code {
	c, err := ParseCode(s)
	if err != nil {
		panic(err)
	}
	return c
}

// Validate reports whether s is a valid division code as accepted by
// ParseCode. A non-nil error is a *CodeError.
func Validate(s string) error {
	_, err := ParseCode(s)
	return err
}

// parts splits a 12-digit value into its five parts.
func parts(v uint64) (pp, cc, dd, ttt, vvv uint64) {
	return v / 1e10, v / 1e8 % 100, v / 1e6 % 100, v / 1e3 % 1000, v % 1000
}

// IsZero reports whether c is the zero Code.
func (c Code) IsZero() bool { return c.v == 0 }

// Level returns the level of the division, or 0 for the zero Code.
func (c Code) Level() Level {
	if c.v == 0 {
		return 0
	}
	_, cc, dd, ttt, vvv := parts(c.v)
	switch {
	case vvv != 0:
		return Village
	case ttt != 0:
		return Town
	case dd != 0:
		return County
	case cc != 0:
		return City
	}
	return Province
}

// Parent returns the division directly above c: village → town → county →
// city → province, and ok = true. The parent of a town of a city without
// counties (东莞, 中山, 儋州, 嘉峪关) is that city. A province and the zero
// Code have no parent: Parent returns the zero Code and false.
func (c Code) Parent() (parent Code, ok bool) {
	switch c.Level() {
	case Village:
		return c.truncate(Town), true
	case Town:
		return c.truncate(County), true // a county, or a county-less city
	case County:
		return c.truncate(City), true
	case City:
		return c.truncate(Province), true
	}
	return Code{}, false
}

// Ancestor returns the division of level l that contains c, c itself if
// l == c.Level(), and the zero Code if l is below c's level, is not a
// Level, or does not exist above c (the county of a town of 东莞, say).
func (c Code) Ancestor(l Level) Code {
	if c.v == 0 || l < Province || l > c.Level() {
		return Code{}
	}
	a := c.truncate(l)
	if a.Level() != l {
		return Code{}
	}
	return a
}

// truncate keeps the leading digits of c that identify a division of level
// l and zeroes the rest.
func (c Code) truncate(l Level) Code {
	p := pow10[12-digits[l]]
	return Code{c.v / p * p}
}

// IsWithin reports whether c lies within ancestor, counting a division as
// within itself: "330402001001".IsWithin("330400") and
// "330402".IsWithin("330402") are true. Nothing is within the zero Code.
func (c Code) IsWithin(ancestor Code) bool {
	al := ancestor.Level()
	if al == 0 || c.Level() < al {
		return false
	}
	return c.truncate(al) == ancestor
}

// String returns the canonical form of c: 6 digits for a province, city or
// county ("330000", "330400", "330402"), 9 for a town ("330402001") and 12
// for a village ("330402001001"). The zero Code gives "".
func (c Code) String() string {
	n := 6
	switch c.Level() {
	case 0:
		return ""
	case Town:
		n = 9
	case Village:
		n = 12
	}
	return c.digits(n)
}

// Full returns the 12-digit statistical form of c, padded with zeros
// ("330402000000"), or "" for the zero Code.
func (c Code) Full() string {
	if c.v == 0 {
		return ""
	}
	return c.digits(12)
}

// digits formats the first n of c's 12 digits.
func (c Code) digits(n int) string {
	var b [12]byte
	v := c.v
	for i := 11; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[:n])
}

// MarshalText implements encoding.TextMarshaler with the canonical form; the
// zero Code marshals to an empty string.
func (c Code) MarshalText() ([]byte, error) {
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseCode; an empty
// text gives the zero Code.
func (c *Code) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*c = Code{}
		return nil
	}
	v, err := ParseCode(string(text))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Value implements driver.Valuer: the canonical form, or NULL for the zero
// Code.
func (c Code) Value() (driver.Value, error) {
	if c.v == 0 {
		return nil, nil
	}
	return c.String(), nil
}

// Scan implements sql.Scanner for text columns; NULL and "" give the zero
// Code.
func (c *Code) Scan(src any) error {
	switch src := src.(type) {
	case nil:
		*c = Code{}
		return nil
	case string:
		return c.UnmarshalText([]byte(src))
	case []byte:
		return c.UnmarshalText(src)
	}
	return fmt.Errorf("region: cannot scan %T into a Code", src)
}

// Prefix is the prefix shared by the codes of a region's whole subtree: a province
// "330000" covers "33…", a city "330400" covers "3304…", a county "330402" itself, and
// towns (9 digits) and villages (12 digits) their own code.
func Prefix(code string) string {
	if len(code) == 6 {
		switch {
		case strings.HasSuffix(code, "0000"):
			return code[:2]
		case strings.HasSuffix(code, "00"):
			return code[:4]
		}
	}
	return code
}
