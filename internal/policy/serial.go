package policy

import (
	"fmt"
	"strconv"
	"strings"
)

// FormatSerial fills a serial number format: {year} becomes the year, {seq} the sequence
// number and {seq:0N} the sequence number zero-padded to N digits, e.g.
// FormatSerial("〔{year}〕第{seq:04}号", 2020, 7) == "〔2020〕第0007号". A format that
// checkSerial rejects is returned with its placeholders as they are.
func FormatSerial(format string, year, seq int) string {
	if checkSerial(format) != nil {
		return format
	}
	var b strings.Builder
	rest := format
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			return b.String()
		}
		end := open + strings.IndexByte(rest[open:], '}')
		b.WriteString(rest[:open])
		name, width := splitPlaceholder(rest[open+1 : end])
		switch name {
		case "year":
			b.WriteString(strconv.Itoa(year))
		case "seq":
			fmt.Fprintf(&b, "%0*d", width, seq)
		}
		rest = rest[end+1:]
	}
}

// checkSerial reports what is wrong with a serial number format, or nil.
func checkSerial(format string) error {
	hasSeq := false
	rest := format
	for {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			break
		}
		if rest[open] == '}' {
			return fmt.Errorf("unmatched }")
		}
		closeAt := strings.IndexByte(rest[open:], '}')
		if closeAt < 0 {
			return fmt.Errorf("unmatched {")
		}
		inner := rest[open+1 : open+closeAt]
		name, width := splitPlaceholder(inner)
		switch {
		case inner == "year":
		case inner == "seq":
			hasSeq = true
		case name == "seq" && width > 0:
			hasSeq = true
		default:
			return fmt.Errorf("unknown placeholder {%s}", inner)
		}
		rest = rest[open+closeAt+1:]
	}
	if !hasSeq {
		return fmt.Errorf("no {seq}")
	}
	return nil
}

// splitPlaceholder splits "seq:04" into "seq" and 4. The width is 0 when there is none and
// -1 when it is not of the form 0N with N from 1 to 9.
func splitPlaceholder(s string) (name string, width int) {
	name, spec, found := strings.Cut(s, ":")
	if !found {
		return name, 0
	}
	if len(spec) != 2 || spec[0] != '0' || spec[1] < '1' || spec[1] > '9' {
		return name, -1
	}
	return name, int(spec[1] - '0')
}
