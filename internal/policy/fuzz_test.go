package policy

import (
	"bytes"
	"os"
	"testing"
)

// FuzzParse checks that Parse never panics, that it returns either a policy or problems,
// and that every problem points at a line of the file.
func FuzzParse(f *testing.F) {
	for _, path := range examplePaths(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	bad, err := os.ReadFile("testdata/bad.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bad)
	f.Add(defaultTOML)
	f.Add([]byte(""))
	f.Add([]byte("[locality]\nname = \"x\nlevel = 1\n"))
	f.Add([]byte("a = [\n  {b = 1},\n]\n[[c]]\n[c.d]\n'e.f' = \"\"\"\n]\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, problems := Parse("fuzz.toml", data)
		if (p == nil) == (len(problems) == 0) {
			t.Fatalf("Parse returned policy %v with %d problems", p != nil, len(problems))
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, pr := range problems {
			if pr.Line < 1 || pr.Line > lines {
				t.Errorf("problem at line %d of a %d-line file: %s", pr.Line, lines, pr)
			}
			if pr.Message == "" || pr.MessageEN == "" || pr.File != "fuzz.toml" {
				t.Errorf("incomplete problem %+v", pr)
			}
		}
		if p == nil {
			return
		}
		if p.Location() == nil {
			t.Error("nil location")
		}
		for _, c := range p.Categories {
			r := p.Route(RouteInput{Category: c.Code, InPark: true})
			if _, ok := p.Unit(r.Unit); !ok {
				t.Errorf("route to unknown unit %q", r.Unit)
			}
		}
		_ = p.NoticeSerial(2020, 1)
		_ = p.StagesFor(map[string]bool{FlagEarlyResumption: true})
	})
}
