package store_test

import (
	"sync"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/notice"
	"fugong/internal/sign"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

func TestBusLetters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 3)
		_, err := w.st.Buses().Add(ctx, w.ent, notice.Bus{EnterpriseID: w.enterprises[0].ID, Plate: "浙F 1234", Route: "城区—厂区", Seats: 30, Driver: "王师傅"})
		if e, ok := apperr.As(err); !ok || e.Problems[0].Field != "plate" {
			t.Fatalf("bad plate: %v", err)
		}
		b, err := w.st.Buses().Add(ctx, w.ent, notice.Bus{EnterpriseID: w.enterprises[0].ID, Plate: "浙F·12345", Route: "城区—厂区", Seats: 30, Driver: "王师傅", DriverPhone: "13800000000"})
		if err != nil || b.Plate != "浙F12345" || b.Status != notice.BusPending {
			t.Fatalf("add: %+v %v", b, err)
		}
		// Another enterprise's admin cannot register buses for this one.
		if _, err := w.st.Buses().Add(ctx, w.ent, notice.Bus{EnterpriseID: w.enterprises[1].ID, Plate: "浙F54321", Route: "x", Seats: 10, Driver: "李"}); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("foreign enterprise: %v", err)
		}
		if _, err := w.st.Buses().IssueLetter(ctx, w.town, b.ID); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("letter before approval: %v", err)
		}
		if _, err := w.st.Buses().Decide(ctx, w.ent, b.ID, true, "", 0); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("enterprise approves its own bus: %v", err)
		}
		if _, err := w.st.Buses().Decide(ctx, w.town, b.ID, true, "同意", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := w.st.Buses().IssueLetter(ctx, w.grid, b.ID); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("grid issues: %v", err)
		}
		got, err := w.st.Buses().IssueLetter(ctx, w.town, b.ID)
		if err != nil || got.Letter == nil || got.Letter.Serial == "" || got.Status != notice.BusLettered {
			t.Fatalf("issue: %+v %v", got, err)
		}
		claims, err := sign.NewVerifier(w.signer.PublicKey()).Verify(got.Letter.Token, time.Now())
		if err != nil || claims.Kind != sign.BusLetterKind || claims.Subject != "浙F12345" {
			t.Fatalf("letter token: %+v %v", claims, err)
		}
		if st, err := w.st.Notices().Verify(ctx, sign.BusLetterKind, got.Letter.ID); err != nil || !st.Found || st.Serial != got.Letter.Serial {
			t.Fatalf("status: %+v %v", st, err)
		}
		// Concurrent letters for several buses are numbered without gaps.
		var ids []int64
		for i, plate := range []string{"浙F20001", "浙F20002", "浙F20003", "浙F20004"} {
			b, err := w.st.Buses().Add(ctx, w.town, notice.Bus{EnterpriseID: w.enterprises[1+i%2].ID, Plate: plate, Route: "线路", Seats: 20, Driver: "赵"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.st.Buses().Decide(ctx, w.town, b.ID, true, "", 0); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, b.ID)
		}
		var wg sync.WaitGroup
		serials := make(chan string, len(ids))
		for _, id := range ids {
			wg.Add(1)
			go func(id int64) {
				defer wg.Done()
				b, err := w.st.Buses().IssueLetter(ctx, w.town, id)
				if err != nil {
					t.Error(err)
					return
				}
				serials <- b.Letter.Serial
			}(id)
		}
		wg.Wait()
		close(serials)
		seen := map[string]bool{got.Letter.Serial: true}
		for s := range serials {
			if seen[s] {
				t.Fatalf("serial %s issued twice", s)
			}
			seen[s] = true
		}
		for seq := 1; seq <= 5; seq++ {
			if !seen[w.pol.BusLetterSerial(2020, seq)] {
				t.Fatalf("serial %d missing from %v", seq, seen)
			}
		}
		list, n, err := w.st.Buses().List(ctx, w.town, notice.BusFilter{Status: notice.BusLettered})
		if err != nil || n != 5 || list[0].Letter == nil {
			t.Fatalf("list: %d %v", n, err)
		}
	})
}
