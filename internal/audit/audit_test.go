package audit

import (
	"errors"
	"testing"
	"time"
)

func chain(n int) []Entry {
	prev := Genesis
	var out []Entry
	for i := 1; i <= n; i++ {
		e := Entry{Seq: int64(i), At: time.Date(2020, 2, 10, 8, 0, i, 0, time.UTC), ActorID: 1, ActorName: "甲", Action: "enterprise.update",
			ObjectType: "enterprise", ObjectID: "7", Summary: Summary(map[string]any{"headcount": i}), PrevHash: prev}
		e.Hash = ComputeHash(e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func verify(es []Entry) error {
	v := NewVerifier()
	for _, e := range es {
		if err := v.Check(e); err != nil {
			return err
		}
	}
	return nil
}

func TestVerifier(t *testing.T) {
	if err := verify(chain(5)); err != nil {
		t.Fatalf("intact chain: %v", err)
	}
	for _, c := range []struct {
		name   string
		change func([]Entry) []Entry
		bad    int64
	}{
		{"altered summary", func(es []Entry) []Entry { es[2].Summary = `{"headcount":99}`; return es }, 3},
		{"altered actor", func(es []Entry) []Entry { es[1].ActorID = 2; return es }, 2},
		{"removed row", func(es []Entry) []Entry { return append(es[:2], es[3:]...) }, 3},
		{"reordered", func(es []Entry) []Entry { es[1], es[2] = es[2], es[1]; return es }, 2},
		{"renumbered after removal", func(es []Entry) []Entry {
			es = append(es[:2], es[3:]...)
			for i := range es {
				es[i].Seq = int64(i + 1)
			}
			return es
		}, 3},
	} {
		err := verify(c.change(chain(5)))
		var p *Problem
		if !errors.As(err, &p) || p.Seq != c.bad {
			t.Errorf("%s: %v, want a problem at row %d", c.name, err, c.bad)
		}
	}
}

func TestHashSeparatesFields(t *testing.T) {
	a := Entry{Seq: 1, ActorName: "ab", Action: "c", PrevHash: Genesis}
	b := Entry{Seq: 1, ActorName: "a", Action: "bc", PrevHash: Genesis}
	if ComputeHash(a) == ComputeHash(b) {
		t.Fatal("moving text between fields keeps the hash")
	}
}
