package main

import (
	"context"
	"log/slog"
	"time"

	"fugong/internal/store"
)

// runDaily runs the daily jobs (store.RunDailyJobs) while ctx lasts: at start-up, for a
// day that passed while the server was down, and then each minute (a day already done
// costs one read).
func runDaily(ctx context.Context, st *store.Store, now func() time.Time, log *slog.Logger) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		day, ran, n, err := st.RunDailyJobs(ctx, now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("daily jobs", "day", day, "error", err.Error())
		case ran:
			log.Info("daily jobs", "day", day, "passes_suspended_for_missed_checks", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
