package policy

import "fmt"

// Problem is one thing wrong with a policy file: where it is and how to fix it.
type Problem struct {
	File      string // the name given to Parse or the path given to Load
	Line      int    // 1-based line in the file
	Field     string // the key path, e.g. "health.fever_line" or "routing[2].unit" (array elements count from 1)
	Message   string // Chinese: what is wrong and how to fix it
	MessageEN string // the same in English
}

// String formats the problem as "FILE:LINE: field: message" with the Chinese message.
func (p Problem) String() string {
	return p.format(p.Message)
}

// StringEN is String with the English message.
func (p Problem) StringEN() string {
	return p.format(p.MessageEN)
}

func (p Problem) format(msg string) string {
	if p.Field == "" {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Field, msg)
}
