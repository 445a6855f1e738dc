package policy

import (
	"strings"
	"testing"
)

// The supervision keys are checked with their lines: a mutation of the default's
// [supervision] block is reported where it is.
func TestSupervisionProblems(t *testing.T) {
	base := string(DefaultTOML())
	tests := []struct {
		name, from, to string
		field, en      string // the problem's field and a substring of MessageEN
	}{
		{"unknown escalation unit", `escalate_to = ["town_gov", "county_command"]`, `escalate_to = ["town_gov", "province"]`, "supervision.escalate_to", `unknown unit "province"`},
		{"no escalation", `escalate_to = ["town_gov", "county_command"]`, `escalate_to = []`, "supervision.escalate_to", "list the units"},
		{"serious slower than general", "serious_days = 3", "serious_days = 9", "supervision.serious_days", "must be fixed sooner"},
		{"bad serial", `serial = "整改〔{year}〕第{seq:04}号"`, `serial = "整改"`, "supervision.serial", "no {seq}"},
		{"unknown kind", `kinds = ["safety"]`, `kinds = ["raid"]`, "supervision_checklist[", `unknown inspection kind "raid"`},
		{"unknown fact", `fact = "bus_letter"`, `fact = "weather"`, "supervision_checklist[", `unknown value "weather"`},
		{"unknown split unit", `unit = "food_safety"`, `unit = "food_police"`, "supervision_split[", `unknown unit "food_police"`},
		{"unknown key", "inspect_every_days = 7", "inspect_every_days = 7\nevery_week = true", "supervision.every_week", "unknown key every_week"},
		{"items in English short of one", `items_en = ["Equipment fully inspected and repaired before resuming", "The principal in charge on duty"]`,
			`items_en = ["Equipment fully inspected and repaired before resuming"]`, "hazard_sectors[", "items_en has 1 entries and items 2"},
	}
	for _, tt := range tests {
		if !strings.Contains(base, tt.from) {
			t.Fatalf("%s: the default has no %q", tt.name, tt.from)
		}
		text := strings.Replace(base, tt.from, tt.to, 1)
		wantLine := strings.Count(text[:strings.Index(text, tt.to)], "\n") + 1
		_, problems := Parse("x.toml", []byte(text))
		found := false
		for _, p := range problems {
			if strings.HasPrefix(p.Field, tt.field) && strings.Contains(p.MessageEN, tt.en) {
				found = true
				if p.Line != wantLine && tt.name != "unknown key" && tt.name != "no escalation" {
					t.Errorf("%s: line %d, want %d", tt.name, p.Line, wantLine)
				}
			}
		}
		if !found {
			t.Errorf("%s: problems %v, want %s: %s", tt.name, problems, tt.field, tt.en)
		}
	}
	// Every sector of the default names its items in English too.
	def, problems := Parse("default.toml", []byte(base))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	for _, hs := range def.HazardSectors {
		for i := range hs.Items {
			if hs.ItemEN(i) == "" {
				t.Errorf("sector %s: item %q has no English", hs.Code, hs.Items[i])
			}
		}
		if hs.ItemEN(len(hs.Items)) != "" || hs.ItemEN(-1) != "" {
			t.Errorf("sector %s: an item past the list has English", hs.Code)
		}
		// A hazard's item is named in English by its place in the list; an item the
		// list does not hold (an older policy's) keeps its words.
		if n := hs.ItemName(hs.Items[0], true); n != hs.ItemEN(0) {
			t.Errorf("sector %s: ItemName(%q, en) = %q, want %q", hs.Code, hs.Items[0], n, hs.ItemEN(0))
		}
		if n := hs.ItemName(hs.Items[0], false); n != hs.Items[0] {
			t.Errorf("sector %s: ItemName(%q, zh) = %q", hs.Code, hs.Items[0], n)
		}
		if n := hs.ItemName("已删除的项目", true); n != "已删除的项目" {
			t.Errorf("sector %s: an unknown item became %q", hs.Code, n)
		}
	}
	// The split and the checklists need [supervision].
	noSup := strings.Replace(base, "[supervision]\n", "[supervision_off]\n", 1)
	if _, problems := Parse("x.toml", []byte(noSup)); len(problems) == 0 {
		t.Error("[[supervision_split]] without [supervision] is accepted")
	}
	// Without any of it the policy has no supervision.
	cut := base[:strings.Index(base, "\n# --- Supervision after resumption")]
	p, problems := Parse("x.toml", []byte(cut))
	if len(problems) > 0 || p.Supervision.Enabled {
		t.Errorf("a policy without supervision: %v %v", problems, p.Supervision)
	}
}
