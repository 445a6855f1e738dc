package policy

import (
	"strings"
	"testing"
)

// [gate] is optional: without it no single entrance is asked for; with it,
// single_entrance is required, must be a boolean, and unknown keys are reported.
func TestGateSection(t *testing.T) {
	src := string(defaultTOML)
	const block = "[gate]\n"
	at := strings.Index(src, block)
	if at < 0 {
		t.Fatal("no [gate] in default.toml")
	}
	end := at + strings.Index(src[at:], "single_entrance = true\n") + len("single_entrance = true\n")
	line := strings.Count(src[:at], "\n") + 1
	keyLine := strings.Count(src[:end], "\n")

	without := src[:at] + src[end:]
	without = strings.Replace(without, "gate.single_entrance =", "# gate.single_entrance =", 1)
	p, problems := Parse("t.toml", []byte(without))
	if p == nil {
		t.Fatalf("policy without [gate]: %v", problems)
	}
	if p.Gate.SingleEntrance {
		t.Error("without [gate], a single entrance is asked for")
	}

	tests := []struct {
		name, old, new string
		field          string
		line           int
		en             string
	}{
		{"false", "single_entrance = true\n", "single_entrance = false\n", "", 0, ""},
		{"string", "single_entrance = true\n", "single_entrance = \"true\"\n", "gate.single_entrance", keyLine, "true or false"},
		{"missing", "single_entrance = true\n", "", "gate.single_entrance", line, "missing required key single_entrance"},
		{"unknown key", "single_entrance = true\n", "single_entrance = true\nsingle_entrances = 1\n", "gate.single_entrances", keyLine + 1, "unknown key single_entrances"},
		{"not a table", "[gate]\n# 丁方案", "[gates]\n# 丁方案", "gates", line, "unknown key gates"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := strings.Index(src[at:], tt.old)
			if i < 0 {
				t.Fatalf("%q not in [gate]", tt.old)
			}
			mutated := src[:at+i] + tt.new + src[at+i+len(tt.old):]
			p, problems := Parse("t.toml", []byte(mutated))
			if tt.field == "" {
				if p == nil || p.Gate.SingleEntrance {
					t.Fatalf("single_entrance = false: %v %v", p, problems)
				}
				return
			}
			if p != nil {
				t.Fatal("no problem found")
			}
			found := false
			for _, pr := range problems {
				if pr.Field == tt.field && pr.Line == tt.line && strings.Contains(pr.MessageEN, tt.en) {
					found = true
				}
			}
			if !found {
				t.Errorf("want %s at line %d (%q); got:", tt.field, tt.line, tt.en)
				for _, pr := range problems {
					t.Log(pr, pr.MessageEN)
				}
			}
		})
	}
}
