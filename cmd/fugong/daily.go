package main

import (
	"context"
	"log/slog"
	"time"

	"fugong/internal/retention"
	"fugong/internal/store"
)

// runDaily runs the daily jobs (store.RunDailyJobs: the missed-checks suspension, then
// the retention purge) while ctx lasts: at start-up, for a day that passed while the
// server was down, and then each minute (a day already done costs a read a job).
func runDaily(ctx context.Context, st *store.Store, now func() time.Time, log *slog.Logger) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		r, err := st.RunDailyJobs(ctx, now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("daily jobs", "day", r.Day, "error", err.Error())
		case r.Ran:
			log.Info("daily jobs", "day", r.Day, "passes_suspended_for_missed_checks", r.Suspended)
		}
		if err == nil && r.Escalated+r.Reminded > 0 {
			log.Info("daily jobs", "rectifications_escalated", r.Escalated, "appointments_reminded", r.Reminded)
		}
		if err == nil && r.Purged {
			attrs := []any{"day", r.Day, "cutoff", r.Plan.Cutoff}
			for _, rule := range retention.Rules {
				attrs = append(attrs, string(rule.Kind), r.Counts[rule.Kind])
			}
			log.Info("retention purge", attrs...)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
