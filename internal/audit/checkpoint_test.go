package audit

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugong/internal/sign"
)

func testSigner(seed byte) *sign.Signer {
	return sign.NewSigner(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize)))
}

var signedAt = time.Date(2020, 2, 16, 1, 0, 0, 0, time.UTC)

func checkpointOf(t *testing.T, es []Entry, seq int64, s CheckpointSigner) Checkpoint {
	t.Helper()
	c, err := NewCheckpoint(Head{Seq: seq, Hash: es[seq-1].Hash}, signedAt.Add(time.Duration(seq)*time.Minute), s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCheckpointLine(t *testing.T) {
	s := testSigner(1)
	es := chain(3)
	c, err := NewCheckpoint(Head{Seq: 3, Hash: es[2].Hash}, signedAt.Add(1500*time.Millisecond).In(time.FixedZone("CST", 8*3600)), s)
	if err != nil {
		t.Fatal(err)
	}
	line := c.String()
	want := "fugong-audit-checkpoint/1 seq=3 hash=" + es[2].Hash + " at=2020-02-16T01:00:01Z key=" + s.KeyID() + " sig="
	if !strings.HasPrefix(line, want) || strings.ContainsAny(line, "\n\r") {
		t.Fatalf("line %q, want it to start %q", line, want)
	}
	back, err := ParseCheckpoint(line)
	if err != nil {
		t.Fatal(err)
	}
	if back.Seq != 3 || back.Hash != es[2].Hash || !back.At.Equal(signedAt.Add(time.Second)) || back.KeyID != s.KeyID() {
		t.Fatalf("parsed %+v", back)
	}
	if err := back.Verify(s.PublicKey()); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if _, err := NewCheckpoint(Head{Seq: 0, Hash: Genesis}, signedAt, s); err == nil {
		t.Error("an empty trail was checkpointed")
	}
	if _, err := NewCheckpoint(Head{Seq: 2, Hash: "abc"}, signedAt, s); err == nil {
		t.Error("a checkpoint of a row without a hash")
	}
}

func TestParseCheckpointRefuses(t *testing.T) {
	good := checkpointOf(t, chain(3), 3, testSigner(1)).String()
	f := strings.Split(good, " ")
	with := func(i int, v string) string {
		g := append([]string{}, f...)
		g[i] = v
		return strings.Join(g, " ")
	}
	for _, c := range []struct{ name, line string }{
		{"empty", ""},
		{"another tag", with(0, "fugong-audit-checkpoint/2")},
		{"a field missing", strings.Join(f[:5], " ")},
		{"a field more", good + " x=1"},
		{"fields swapped", strings.Join([]string{f[0], f[2], f[1], f[3], f[4], f[5]}, " ")},
		{"seq zero", with(1, "seq=0")},
		{"seq with a leading zero", with(1, "seq=03")},
		{"seq not a number", with(1, "seq=three")},
		{"upper-case hash", with(2, "hash="+strings.ToUpper(strings.TrimPrefix(f[2], "hash=")))},
		{"short hash", with(2, "hash=abcd")},
		{"local time", with(3, "at=2020-02-16T09:03:00+08:00")},
		{"not a time", with(3, "at=yesterday")},
		{"bad key id", with(4, "key=XYZ")},
		{"short signature", with(5, "sig=AAAA")},
		{"padded signature", good + "=="},
		{"two spaces", strings.Replace(good, " ", "  ", 1)},
		{"carriage return", good + "\r"},
	} {
		if _, err := ParseCheckpoint(c.line); err == nil {
			t.Errorf("%s: %q accepted", c.name, c.line)
		}
	}
}

func TestCheckpointVerify(t *testing.T) {
	es := chain(5)
	s := testSigner(1)
	c := checkpointOf(t, es, 4, s)
	resign := func(edit func(*Checkpoint)) Checkpoint {
		d := c
		edit(&d)
		return d
	}
	other := testSigner(2)
	for _, tc := range []struct {
		name string
		c    Checkpoint
		want string // in the error; "" for none
	}{
		{"genuine", c, ""},
		{"row moved back", resign(func(d *Checkpoint) { d.Seq = 3 }), "altered or forged"},
		{"hash replaced", resign(func(d *Checkpoint) { d.Hash = es[4].Hash }), "altered or forged"},
		{"time changed", resign(func(d *Checkpoint) { d.At = d.At.Add(time.Hour) }), "altered or forged"},
		{"signed by another key", checkpointOf(t, es, 4, other), "another key"},
		{"another key's id on this key's signature", resign(func(d *Checkpoint) { d.KeyID = other.KeyID() }), "another key"},
		{"a signature for another purpose", resign(func(d *Checkpoint) {
			d.Sig = s.SignDetached("notice", []byte(d.body()))
		}), "altered or forged"},
	} {
		err := tc.c.Verify(s.PublicKey())
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
}

func TestReadCheckpoints(t *testing.T) {
	es := chain(6)
	s := testSigner(1)
	c2, c4, c6 := checkpointOf(t, es, 2, s), checkpointOf(t, es, 4, s), checkpointOf(t, es, 6, s)
	forged := strings.Replace(c4.String(), "seq=4", "seq=5", 1)
	foreign := checkpointOf(t, es, 5, testSigner(9)).String()
	file := strings.Join([]string{c2.String(), "", forged, c4.String(), "garbage", foreign, strings.Repeat("x", 2000), c6.String(), c6.String()[:40]}, "\n")
	cps, bad, err := ReadCheckpoints(strings.NewReader(file), s.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if len(cps) != 3 || cps[0].Seq != 2 || cps[0].Line != 1 || cps[1].Seq != 4 || cps[1].Line != 4 || cps[2].Seq != 6 || cps[2].Line != 8 {
		t.Errorf("checkpoints: %+v", cps)
	}
	want := map[int]string{3: "altered or forged", 5: "not a checkpoint", 6: "another key", 7: "longer than", 9: "cut short"}
	if len(bad) != len(want) {
		t.Errorf("problems: %v", bad)
	}
	for _, p := range bad {
		if w, ok := want[p.Line]; !ok || !strings.Contains(p.Reason, w) {
			t.Errorf("line %d: %q, want %q", p.Line, p.Reason, w)
		}
	}
	if cps, bad, err := ReadCheckpoints(strings.NewReader(""), s.PublicKey()); err != nil || len(cps)+len(bad) != 0 {
		t.Errorf("empty file: %v %v %v", cps, bad, err)
	}
}

// Appending keeps every line whole, even after a line a crash left unfinished.
func TestAppendCheckpoint(t *testing.T) {
	es := chain(4)
	s := testSigner(1)
	path := filepath.Join(t.TempDir(), CheckpointFile)
	if _, _, err := ReadCheckpointFile(path, s.PublicKey()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	if err := AppendCheckpoint(path, checkpointOf(t, es, 2, s)); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("fugong-audit-checkpoint/1 seq=3 ha") // a crash in the middle of a line
	f.Close()
	if err := AppendCheckpoint(path, checkpointOf(t, es, 4, s)); err != nil {
		t.Fatal(err)
	}
	cps, bad, err := ReadCheckpointFile(path, s.PublicKey())
	if err != nil || len(cps) != 2 || cps[1].Seq != 4 || cps[1].Line != 3 || len(bad) != 1 || bad[0].Line != 2 {
		t.Fatalf("after a torn line: %+v %v %v", cps, bad, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode: %v %v", fi.Mode(), err)
	}
}

// rehash recomputes every hash from row from on, as someone who edits the database and
// knows the chain would.
func rehash(es []Entry, from int64) []Entry {
	for i := from - 1; i < int64(len(es)); i++ {
		if i > 0 {
			es[i].PrevHash = es[i-1].Hash
		}
		es[i].Hash = ComputeHash(es[i])
	}
	return es
}

func TestCheckCheckpoints(t *testing.T) {
	s := testSigner(1)
	orig := chain(10)
	cps := []Checkpoint{checkpointOf(t, orig, 7, s), checkpointOf(t, orig, 3, s), checkpointOf(t, orig, 10, s)}
	for i := range cps {
		cps[i].Line = i + 1
	}
	for _, c := range []struct {
		name    string
		trail   func([]Entry) []Entry
		cps     []Checkpoint
		held    int
		bad     int64  // 0: none
		message string // in the problem
	}{
		{"intact", func(es []Entry) []Entry { return es }, cps, 3, 0, ""},
		{"grown since", func(es []Entry) []Entry { return chain(14) }, cps, 3, 0, ""},
		{"no checkpoints", func(es []Entry) []Entry { return es[:2] }, nil, 0, 0, ""},
		{"newest row deleted", func(es []Entry) []Entry { return es[:9] }, cps, 2, 10,
			"rows 10 to 10 are missing: the trail ends at row 9, but the checkpoint on line 3 (row 10, signed 2020-02-16T01:10:00Z)"},
		{"newest five deleted", func(es []Entry) []Entry { return es[:5] }, cps, 1, 6, "rows 6 to 7 are missing"},
		{"everything deleted", func(es []Entry) []Entry { return nil }, cps, 0, 1, "rows 1 to 3 are missing"},
		{"row 5 altered, later hashes recomputed", func(es []Entry) []Entry {
			es[4].Summary = `{"headcount":500}`
			return rehash(es, 5)
		}, cps, 1, 7, "checkpoint on line 1 (row 7, signed 2020-02-16T01:07:00Z), " + orig[6].Hash[:12] + "…: a row from 4 to 7 was altered"},
		{"row 1 altered, all recomputed", func(es []Entry) []Entry {
			es[0].ActorName = "乙"
			return rehash(es, 1)
		}, cps, 0, 3, "a row from 1 to 3"},
		{"last row altered and recomputed", func(es []Entry) []Entry {
			es[9].Action = "enterprise.delete"
			return rehash(es, 10)
		}, cps, 2, 10, "a row from 8 to 10"},
		{"rows deleted, then as many new ones written", func(es []Entry) []Entry {
			es = es[:8]
			for i := 8; i < 10; i++ {
				e := Entry{Seq: int64(i + 1), At: signedAt.Add(time.Hour), ActorName: "丙", Action: "user.create", ObjectType: "user", ObjectID: "9",
					Summary: "{}", PrevHash: es[i-1].Hash}
				e.Hash = ComputeHash(e)
				es = append(es, e)
			}
			return es
		}, cps, 2, 10, "a row from 8 to 10"},
		{"rewritten, then checkpointed again", func(es []Entry) []Entry {
			es[5].Summary = "{}"
			return rehash(es, 6)
		}, append(append([]Checkpoint{}, cps...), func() Checkpoint {
			forged := chain(10)
			forged[5].Summary = "{}"
			c := checkpointOf(t, rehash(forged, 6), 10, s) // the server signs what it finds
			c.Line = 4
			return c
		}()), 1, 7, "checkpoint on line 1 (row 7"},
	} {
		es := c.trail(chain(10))
		head := Head{Hash: Genesis}
		hashes := map[int64]string{}
		for _, e := range es {
			head = Head{Seq: e.Seq, Hash: e.Hash}
			hashes[e.Seq] = e.Hash
		}
		held, err := CheckCheckpoints(c.cps, head, hashes)
		var p *Problem
		switch {
		case c.bad == 0 && (err != nil || held != c.held):
			t.Errorf("%s: %d held, %v; want %d held and no problem", c.name, held, err, c.held)
		case c.bad != 0 && (!errors.As(err, &p) || p.Seq != c.bad || held != c.held || !strings.Contains(p.Reason, c.message)):
			t.Errorf("%s: %d held, %v; want %d held and a problem at row %d saying %q", c.name, held, err, c.held, c.bad, c.message)
		}
	}
	// A row in the middle missing where a checkpoint vouches for it.
	hashes := map[int64]string{}
	for _, e := range orig {
		hashes[e.Seq] = e.Hash
	}
	delete(hashes, 7)
	_, err := CheckCheckpoints(cps, Head{Seq: 10, Hash: orig[9].Hash}, hashes)
	var p *Problem
	if !errors.As(err, &p) || p.Seq != 7 || !strings.Contains(p.Reason, "missing") {
		t.Errorf("a vouched row missing: %v", err)
	}
}
