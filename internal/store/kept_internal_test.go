package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// keep counts a key once for all who ask together, keeps the answer until a write or
// its time is up, and keeps neither an answer its count declines nor an error.
func TestKeep(t *testing.T) {
	ctx := context.Background()
	db := &DB{}
	var k kept
	var counted atomic.Int32
	release := make(chan struct{})
	slow := func(ctx context.Context) (int, bool, error) {
		<-release
		return int(counted.Add(1)), true, nil
	}

	// Sixteen asking together: one count, one answer.
	var wg sync.WaitGroup
	got := make([]int, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := keep(ctx, db, &k, "a", time.Minute, slow)
			if err != nil {
				t.Error(err)
			}
			got[i] = n
		}()
	}
	time.Sleep(20 * time.Millisecond) // let them all ask
	close(release)
	wg.Wait()
	for i, n := range got {
		if n != 1 {
			t.Fatalf("asker %d got %d, want the one count's 1", i, n)
		}
	}
	if n, _ := keep(ctx, db, &k, "a", time.Minute, slow); n != 1 || counted.Load() != 1 {
		t.Fatalf("kept answer %d after %d counts, want 1 after 1", n, counted.Load())
	}
	// Another key is counted on its own.
	if n, _ := keep(ctx, db, &k, "b", time.Minute, slow); n != 2 {
		t.Fatalf("key b: %d, want a count of its own (2)", n)
	}

	// A write forgets every answer.
	db.memo.changed()
	if n, _ := keep(ctx, db, &k, "a", time.Minute, slow); n != 3 {
		t.Fatalf("after a write: %d, want a new count (3)", n)
	}

	// The time kept runs out.
	if n, _ := keep(ctx, db, &k, "c", time.Millisecond, slow); n != 4 {
		t.Fatalf("key c: %d, want 4", n)
	}
	time.Sleep(5 * time.Millisecond)
	if n, _ := keep(ctx, db, &k, "c", time.Millisecond, slow); n != 5 {
		t.Fatalf("key c after its time: %d, want a new count (5)", n)
	}

	// An answer the count declines to keep, and an error, are counted again.
	small := func(ctx context.Context) (int, bool, error) { return int(counted.Add(1)), false, nil }
	first, _ := keep(ctx, db, &k, "d", time.Minute, small)
	if again, _ := keep(ctx, db, &k, "d", time.Minute, small); again != first+1 {
		t.Fatalf("declined answer kept: %d then %d", first, again)
	}
	boom := errors.New("boom")
	failing := func(ctx context.Context) (int, bool, error) { counted.Add(1); return 0, true, boom }
	before := counted.Load()
	for range 2 {
		if _, err := keep(ctx, db, &k, "e", time.Minute, failing); !errors.Is(err, boom) {
			t.Fatalf("error %v, want boom", err)
		}
	}
	if counted.Load() != before+2 {
		t.Fatalf("an error was kept: %d counts, want 2", counted.Load()-before)
	}

	// A count that panics leaves no one waiting: the next asker counts again.
	func() {
		defer func() { _ = recover() }()
		keep(ctx, db, &k, "f", time.Minute, func(ctx context.Context) (int, bool, error) { panic("count") })
	}()
	if n, err := keep(ctx, db, &k, "f", time.Minute, func(ctx context.Context) (int, bool, error) { return 7, true, nil }); err != nil || n != 7 {
		t.Fatalf("after a panic: %d, %v; want 7", n, err)
	}

	// A caller that gives up while another counts is let go.
	hold := make(chan struct{})
	go keep(ctx, db, &k, "g", time.Minute, func(ctx context.Context) (int, bool, error) { <-hold; return 1, true, nil })
	time.Sleep(10 * time.Millisecond)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := keep(cctx, db, &k, "g", time.Minute, slow); !errors.Is(err, context.Canceled) {
		t.Fatalf("gone caller: %v, want context.Canceled", err)
	}
	close(hold)
}
