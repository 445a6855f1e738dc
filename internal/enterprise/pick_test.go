package enterprise

import "testing"

func TestNewPick(t *testing.T) {
	for _, c := range []struct {
		q, name, code string
	}{
		{"", "", ""},
		{"  机械  ", "机械", ""},
		{"9133", "9133", "9133"},
		{"91330402ma", "91330402ma", "91330402MA"},
		{"ABC 1", "ABC 1", ""},
		{"Acme", "Acme", "ACME"},
		{"9133040200000000001", "9133040200000000001", ""}, // longer than a code
		{"中a", "中a", ""},
	} {
		p := NewPick(c.q, 0)
		if p.Name != c.name || p.Code != c.code {
			t.Errorf("NewPick(%q) = name %q code %q, want %q %q", c.q, p.Name, p.Code, c.name, c.code)
		}
		if p.Page.Number != 1 || p.Page.Size != PickSize {
			t.Errorf("NewPick(%q) page %+v", c.q, p.Page)
		}
	}
	long := ""
	for range 150 {
		long += "名"
	}
	if p := NewPick(long, 2); len([]rune(p.Name)) != 100 || p.Page.Number != 2 {
		t.Errorf("long text: %d runes, page %d", len([]rune(p.Name)), p.Page.Number)
	}
}
