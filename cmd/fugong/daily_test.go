package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"fugong/internal/policy"
	"fugong/internal/store"
)

// The server runs the previous day's jobs as soon as it starts (past the grace after
// midnight), logs what they did, and stops with its context.
func TestRunDaily(t *testing.T) {
	db := openStore(t, t.TempDir())
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	pol := policy.Default()
	now := func() time.Time { return time.Date(2020, 2, 16, 1, 0, 0, 0, pol.Location()) }
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		runDaily(ctx, store.New(db, store.Config{Policy: pol}), now, slog.New(slog.NewTextHandler(&logs, nil)))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "daily jobs") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("runDaily did not stop with its context")
	}
	if out := logs.String(); !strings.Contains(out, "day=2020-02-15") || !strings.Contains(out, "passes_suspended_for_missed_checks=0") {
		t.Errorf("log: %s", out)
	}
}
