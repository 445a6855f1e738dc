package input

import (
	"bytes"
	"strconv"
	"strings"

	"fugong/internal/apperr"
)

// CheckBody applies the rules of a JSON body as a whole to a well-formed document: it is
// not null; a change (patch) names at least one field to change besides its version; a
// version, when sent, is a whole number of at least 1 (absent or null: no check of
// concurrent edits).
func CheckBody(doc []byte, patch bool) error {
	doc = bytes.TrimSpace(doc)
	if string(doc) == "null" {
		if patch {
			return nothingToChange()
		}
		return apperr.NewInvalid("body", "请求体不能为 null", "The body must not be null")
	}
	if len(doc) == 0 || doc[0] != '{' {
		return nil // an array, or a value the decoder refuses with its type
	}
	// Member names match fields as the decoder matches them: ignoring case. The values
	// are stepped over, not decoded: only the version's is read.
	changes, version := 0, []byte(nil)
	w := walker{b: doc, i: 1}
	for {
		w.space()
		if w.i >= len(w.b) || w.b[w.i] == '}' {
			break
		}
		if w.b[w.i] == ',' {
			w.i++
			continue
		}
		key, _ := w.str()
		w.space()
		if w.i < len(w.b) && w.b[w.i] == ':' {
			w.i++
		}
		w.space()
		at := w.i
		w.skip()
		if strings.EqualFold(key, "version") {
			version = bytes.TrimSpace(w.b[at:w.i])
		} else {
			changes++
		}
	}
	if patch && changes == 0 {
		return nothingToChange()
	}
	if version != nil && string(version) != "null" {
		return CheckVersion(string(version))
	}
	return nil
}

func nothingToChange() error {
	return apperr.NewInvalid("body", "请求体中没有要修改的字段", "The body changes nothing: send at least one field to change")
}

// CheckVersion checks a version sent with a change, as text (a form value or a JSON
// number): empty means none was sent; otherwise a whole number of at least 1.
func CheckVersion(v string) error {
	if v == "" {
		return nil
	}
	if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 1 {
		return apperr.NewInvalid("version", "版本号应为不小于 1 的整数(不做并发检查时不要发送)",
			"The version must be a whole number of at least 1 (leave it out for no check)")
	}
	return nil
}

// Flag reads a yes/no parameter: 1, true, on (a checked box) or yes; 0, false, off or no,
// in any case; absent or empty is no.
func Flag(name, v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "off", "no":
		return false, nil
	case "1", "true", "on", "yes":
		return true, nil
	}
	return false, apperr.NewInvalid(name, name+" 应为 true 或 false(或 1、0)", name+" must be true or false (or 1, 0)")
}

// OneOf checks that an enumerated parameter (a filter) holds one of the allowed values,
// or is empty (no filter). The problem names the parameter and lists the values.
func OneOf[S ~string](name, v string, allowed []S) *apperr.Problem {
	if v == "" {
		return nil
	}
	list := make([]string, len(allowed))
	for i, a := range allowed {
		if string(a) == v {
			return nil
		}
		list[i] = string(a)
	}
	return &apperr.Problem{Field: name, Message: name + " 应为以下之一:" + strings.Join(list, "、"),
		MessageEN: name + " must be one of: " + strings.Join(list, ", ")}
}

// Join is the invalid error listing the problems that are not nil, or nil when all are.
func Join(ps ...*apperr.Problem) error {
	var out apperr.Problems
	for _, p := range ps {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out.Err()
}
