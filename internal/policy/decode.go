package policy

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// table is one TOML table being read: its key path, the line of its header and which of
// its keys have been read, so that the rest can be reported as unknown.
type table struct {
	path    string
	line    int
	m       map[string]any
	seen    map[string]bool
	missing bool // the table is absent (already reported); its keys are not reported again
}

// decoder turns the generic TOML tree into typed values, collecting every problem.
type decoder struct {
	file     string
	lines    map[string]int // key path → line, from keyLines
	problems []Problem
}

func (d *decoder) add(line int, field, zh, en string) {
	if line < 1 {
		line = 1
	}
	d.problems = append(d.problems, Problem{File: d.file, Line: line, Field: field, Message: zh, MessageEN: en})
}

// keyLine is the line of t's key, or of t itself when the key is absent.
func (d *decoder) keyLine(t *table, key string) int {
	if l, ok := d.lines[joinKey(t.path, key)]; ok {
		return l
	}
	return t.line
}

// bad reports a problem with the value of t's key.
func (d *decoder) bad(t *table, key, zh, en string) {
	d.add(d.keyLine(t, key), joinKey(t.path, key), zh, en)
}

func newTable(path string, line int, m map[string]any) *table {
	return &table{path: path, line: line, m: m, seen: map[string]bool{}}
}

// where names a table in messages: "[health]", "[[stages]] item 2" or "the top level".
func where(t *table) string {
	if t.path == "" {
		return "the top level"
	}
	if m := elemPattern.FindStringSubmatch(t.path); m != nil {
		return fmt.Sprintf("[[%s]] item %s", m[1], m[2])
	}
	return "[" + t.path + "]"
}

func whereZH(t *table) string {
	if t.path == "" {
		return "文件顶层"
	}
	if m := elemPattern.FindStringSubmatch(t.path); m != nil {
		return fmt.Sprintf("第 %s 个 [[%s]]", m[2], m[1])
	}
	return "[" + t.path + "]"
}

var elemPattern = regexp.MustCompile(`^(.*)\[(\d+)\]$`)

// get returns the value of t's key and marks the key as known.
func (d *decoder) get(t *table, key string, required bool) (any, bool) {
	t.seen[key] = true
	v, ok := t.m[key]
	if !ok && required && !t.missing {
		d.add(t.line, joinKey(t.path, key),
			fmt.Sprintf("缺少必填项 %s,请在 %s 中添加", key, whereZH(t)),
			fmt.Sprintf("missing required key %s; add it to %s", key, where(t)))
	}
	return v, ok
}

// typeNames names a TOML value's type for messages.
func typeNames(v any) (zh, en string) {
	switch v.(type) {
	case string:
		return "字符串", "a string"
	case int64:
		return "整数", "an integer"
	case float64:
		return "小数", "a float"
	case bool:
		return "布尔值", "a boolean"
	case time.Time:
		return "日期时间", "a date-time"
	case []any, []map[string]any:
		return "数组", "an array"
	case map[string]any:
		return "表", "a table"
	}
	return "未知类型", "an unknown type"
}

func (d *decoder) wrongType(t *table, key string, v any, wantZH, wantEN string) {
	gotZH, gotEN := typeNames(v)
	d.bad(t, key,
		fmt.Sprintf("应为%s,实际是%s", wantZH, gotZH),
		fmt.Sprintf("must be %s, not %s", wantEN, gotEN))
}

// str reads a string; a required one must not be blank.
func (d *decoder) str(t *table, key string, required bool) string {
	v, ok := d.get(t, key, required)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		d.wrongType(t, key, v, "字符串(用双引号括起来)", `a string (in double quotes)`)
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "" && required {
		d.bad(t, key, "不能为空,请填写", "must not be empty; fill it in")
	}
	return s
}

// oneOf reads an optional or required string that must be one of the allowed values.
func (d *decoder) oneOf(t *table, key string, required bool, allowed []string) string {
	s := d.str(t, key, required)
	if s != "" && !slices.Contains(allowed, s) {
		list := strings.Join(allowed, ", ")
		d.bad(t, key,
			fmt.Sprintf("不认识的值 %q,可选: %s", s, list),
			fmt.Sprintf("unknown value %q; use one of: %s", s, list))
		return ""
	}
	return s
}

// strs reads an optional array of strings.
func (d *decoder) strs(t *table, key string) []string {
	v, ok := d.get(t, key, false)
	if !ok {
		return nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		d.wrongType(t, key, v, `字符串数组(如 ["a", "b"])`, `an array of strings (like ["a", "b"])`)
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, isStr := e.(string)
		if !isStr {
			gotZH, gotEN := typeNames(e)
			d.bad(t, key,
				fmt.Sprintf("数组的每一项都应为字符串(用双引号括起来),第 %d 项是%s", i+1, gotZH),
				fmt.Sprintf("every item of the array must be a string (in double quotes); item %d is %s", i+1, gotEN))
			return nil
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// count reads a required integer from 1 to max.
func (d *decoder) count(t *table, key string, max int) int {
	n, ok := d.integer(t, key, true)
	if ok && (n < 1 || n > max) {
		d.bad(t, key,
			fmt.Sprintf("应为 1 到 %d 之间的整数,实际是 %d", max, n),
			fmt.Sprintf("must be a whole number from 1 to %d, not %d", max, n))
		return 0
	}
	return n
}

func (d *decoder) integer(t *table, key string, required bool) (int, bool) {
	v, ok := d.get(t, key, required)
	if !ok {
		return 0, false
	}
	n, isInt := v.(int64)
	if !isInt {
		d.wrongType(t, key, v, "整数(不带引号和小数点)", "a whole number (no quotes, no decimal point)")
		return 0, false
	}
	if n < -1e9 || n > 1e9 {
		d.bad(t, key, fmt.Sprintf("数值 %d 过大", n), fmt.Sprintf("the number %d is too large", n))
		return 0, false
	}
	return int(n), true
}

// number reads a required number (integer or float) from lo to hi.
func (d *decoder) number(t *table, key string, lo, hi float64) float64 {
	v, ok := d.get(t, key, true)
	if !ok {
		return 0
	}
	var x float64
	switch v := v.(type) {
	case int64:
		x = float64(v)
	case float64:
		x = v
	default:
		d.wrongType(t, key, v, "数字", "a number")
		return 0
	}
	if !(x >= lo && x <= hi) { // also rejects NaN
		d.bad(t, key,
			fmt.Sprintf("应在 %g 到 %g 之间,实际是 %g", lo, hi, x),
			fmt.Sprintf("must be from %g to %g, not %g", lo, hi, x))
		return 0
	}
	return x
}

func (d *decoder) boolean(t *table, key string, required bool) bool {
	b := d.optBool(t, key, required)
	return b != nil && *b
}

func (d *decoder) optBool(t *table, key string, required bool) *bool {
	v, ok := d.get(t, key, required)
	if !ok {
		return nil
	}
	b, isBool := v.(bool)
	if !isBool {
		d.wrongType(t, key, v, "布尔值 true 或 false(不带引号)", "true or false (no quotes)")
		return nil
	}
	return &b
}

// datetime reads an instant: a TOML offset date-time, a local date-time or date (taken in
// the policy's time zone), or an RFC 3339 string.
func (d *decoder) datetime(t *table, key string, loc *time.Location) (time.Time, bool) {
	v, ok := d.get(t, key, true)
	if !ok {
		return time.Time{}, false
	}
	const zh, en = "日期时间,如 2020-02-10T00:00:00+08:00", "a date-time like 2020-02-10T00:00:00+08:00"
	switch v := v.(type) {
	case time.Time:
		switch v.Location().String() {
		case "datetime-local":
			return time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), loc), true
		case "date-local":
			return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, loc), true
		case "time-local":
			d.bad(t, key, "只有时刻没有日期;应为"+zh, "has a time but no date; use "+en)
			return time.Time{}, false
		}
		return v.In(loc), true
	case string:
		if tm, err := time.Parse(time.RFC3339, strings.TrimSpace(v)); err == nil {
			return tm.In(loc), true
		}
		d.bad(t, key, fmt.Sprintf("无法识别 %q;应为%s", v, zh), fmt.Sprintf("cannot read %q; use %s", v, en))
	default:
		d.wrongType(t, key, v, zh, en)
	}
	return time.Time{}, false
}

// date reads a day: a TOML local date or a "YYYY-MM-DD" string. It returns midnight of that
// day in loc.
func (d *decoder) date(t *table, key string, loc *time.Location) (time.Time, bool) {
	v, ok := d.get(t, key, true)
	if !ok {
		return time.Time{}, false
	}
	const zh, en = "日期,如 2020-02-06(不带时刻)", "a date like 2020-02-06 (without a time)"
	switch v := v.(type) {
	case time.Time:
		if v.Location().String() == "date-local" {
			return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, loc), true
		}
		d.bad(t, key, "应为"+zh, "must be "+en)
	case string:
		if tm, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), loc); err == nil {
			return tm, true
		}
		d.bad(t, key, fmt.Sprintf("无法识别 %q;应为%s", v, zh), fmt.Sprintf("cannot read %q; use %s", v, en))
	default:
		d.wrongType(t, key, v, zh, en)
	}
	return time.Time{}, false
}

// section reads a required sub-table of root.
func (d *decoder) section(root *table, key string) *table {
	v, ok := d.get(root, key, false)
	if !ok {
		d.add(1, key,
			fmt.Sprintf("缺少 [%s] 表,请添加(可参照 policies/ 下的示例)", key),
			fmt.Sprintf("missing table [%s]; add it (see the examples in policies/)", key))
		return &table{path: key, line: 1, m: map[string]any{}, seen: map[string]bool{}, missing: true}
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		d.wrongType(root, key, v, fmt.Sprintf("表 [%s]", key), fmt.Sprintf("a table [%s]", key))
		return &table{path: key, line: d.keyLine(root, key), m: map[string]any{}, seen: map[string]bool{}, missing: true}
	}
	return newTable(key, d.keyLine(root, key), m)
}

// list reads an array of tables ([[key]]). A required one must have at least one element.
func (d *decoder) list(root *table, key string, required bool) []*table {
	v, ok := d.get(root, key, false)
	if !ok {
		if required {
			d.add(1, key,
				fmt.Sprintf("缺少 [[%s]],至少需要一项", key),
				fmt.Sprintf("missing [[%s]]; at least one is needed", key))
		}
		return nil
	}
	var elems []map[string]any
	switch v := v.(type) {
	case []map[string]any:
		elems = v
	case []any:
		for _, e := range v {
			m, isMap := e.(map[string]any)
			if !isMap {
				d.wrongType(root, key, v, fmt.Sprintf("表数组 [[%s]]", key), fmt.Sprintf("an array of tables [[%s]]", key))
				return nil
			}
			elems = append(elems, m)
		}
	default:
		d.wrongType(root, key, v, fmt.Sprintf("表数组 [[%s]]", key), fmt.Sprintf("an array of tables [[%s]]", key))
		return nil
	}
	if required && len(elems) == 0 {
		d.bad(root, key, fmt.Sprintf("[[%s]] 至少需要一项", key), fmt.Sprintf("[[%s]] needs at least one element", key))
	}
	out := make([]*table, len(elems))
	for i, m := range elems {
		path := elemPath(key, i+1)
		line, ok := d.lines[path]
		if !ok {
			line = d.keyLine(root, key)
		}
		out[i] = newTable(path, line, m)
	}
	return out
}

// finish reports the keys of t that were never read: unknown keys, usually misspelt.
func (d *decoder) finish(t *table) {
	if t.missing {
		return
	}
	var unknown []string
	for k := range t.m {
		if !t.seen[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return
	}
	known := make([]string, 0, len(t.seen))
	for k := range t.seen {
		known = append(known, k)
	}
	sort.Strings(known)
	sort.Slice(unknown, func(i, j int) bool {
		li, lj := d.keyLine(t, unknown[i]), d.keyLine(t, unknown[j])
		if li != lj {
			return li < lj
		}
		return unknown[i] < unknown[j]
	})
	list := strings.Join(known, ", ")
	for _, k := range unknown {
		d.bad(t, k,
			fmt.Sprintf("未知的键 %s,请检查拼写或删除;%s 中可用的键: %s", k, whereZH(t), list),
			fmt.Sprintf("unknown key %s; check the spelling or remove it; keys allowed in %s: %s", k, where(t), list))
	}
}

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// code reads a required code and checks its form and that it is not a duplicate.
func (d *decoder) code(t *table, seen map[string]int) string {
	c := d.str(t, "code", true)
	if c == "" {
		return ""
	}
	if !codePattern.MatchString(c) {
		d.bad(t, "code",
			fmt.Sprintf("代码 %q 只能用小写英文字母、数字和下划线,以字母开头,最长40个字符,如 industry_above", c),
			fmt.Sprintf("code %q must be lower-case ASCII letters, digits and underscores, starting with a letter, at most 40 characters, like industry_above", c))
		return ""
	}
	if first, dup := seen[c]; dup {
		d.bad(t, "code",
			fmt.Sprintf("代码 %q 重复,第 %d 行已经用过;请换一个代码", c, first),
			fmt.Sprintf("code %q is a duplicate of line %d; choose another code", c, first))
		return ""
	}
	seen[c] = d.keyLine(t, "code")
	return c
}

// refKind names what a code refers to, for messages.
type refKind struct{ zh, en, table string }

var (
	unitRef     = refKind{"单位", "unit", "units"}
	categoryRef = refKind{"类别", "category", "categories"}
	materialRef = refKind{"材料", "material", "materials"}
)

// ref checks that a code refers to something defined.
func (d *decoder) ref(t *table, key, code string, defined map[string]int, kind refKind) {
	if code == "" {
		return
	}
	if _, ok := defined[code]; !ok {
		list := strings.Join(sortedKeys(defined), ", ")
		d.bad(t, key,
			fmt.Sprintf("未定义的%s %q;请先在 [[%s]] 中定义它,或改用已定义的: %s", kind.zh, code, kind.table, list),
			fmt.Sprintf("unknown %s %q; define it in [[%s]] first or use one of: %s", kind.en, code, kind.table, list))
	}
}

// when reads an optional condition: a flag or "!flag".
func (d *decoder) when(t *table) string {
	s := d.str(t, "when", false)
	if s == "" {
		return ""
	}
	if !slices.Contains(Flags, strings.TrimPrefix(s, "!")) {
		list := strings.Join(Flags, ", ")
		d.bad(t, "when",
			fmt.Sprintf("不认识的条件 %q;可用的条件(前加 ! 表示“不是”): %s", s, list),
			fmt.Sprintf("unknown condition %q; use one of (prefix ! for “not”): %s", s, list))
		return ""
	}
	return s
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
