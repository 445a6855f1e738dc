package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"fugong/internal/auth"
	"fugong/internal/files"
	"fugong/internal/store"
)

func purgeCommand() *command {
	return &command{
		name:    "purge",
		zh:      "清除过期个人数据",
		summary: "Delete the personal data the policy's retention period has passed for",
		details: `
Applies the local policy's health.retention_days: temperature readings, closed fever
follow-ups, gate scans and the visitor and vehicle register of the days before the
cut-off go, and the person files of people who left before it, with their passes,
readings, scans and home-grid certificates (the uploaded file too, unless another
record refers to it); their staff accounts are unlinked and disabled. A reading an open
follow-up rests on stays with it. Confirmed daily reports stay whole. One audit row
records the cut-off and the counts, never the data itself.
The server runs the same purge once a day, after the missed-checks suspension; run this
one by hand, or with --dry-run to see what would go, per kind, without changing
anything. On SQLite the purge writes, so it is refused while a server runs on the same
file (the dry run is not).`,
		examples: []string{
			"fugong purge --dry-run",
			"fugong purge --data /var/lib/fugong --policy /etc/fugong/policy.toml",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			var dbf dbFlags
			a.registerDB(fs, &dbf)
			policyFile := fs.String("policy", a.env("FUGONG_POLICY", ""), "local policy TOML `file` (env FUGONG_POLICY; default the embedded policy)")
			dryRun := fs.Bool("dry-run", false, "print what would go, per kind, and change nothing")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				pol, err := a.loadPolicy(*policyFile)
				if err != nil {
					return err
				}
				var db *store.DB
				cfg := store.Config{Policy: pol}
				if *dryRun {
					db, err = openExisting(ctx, &dbf)
				} else {
					db, _, err = openDB(ctx, &dbf)
					if err == nil {
						cfg.Files, err = files.New(filepath.Join(dbf.data, "files"))
					}
				}
				if db != nil {
					defer db.Close()
				}
				if err != nil {
					return err
				}
				plan, counts, err := store.New(db, cfg).Purge(ctx, auth.System, db.Now(), *dryRun)
				if err != nil {
					return err
				}
				if plan.Cutoff == "" {
					fmt.Fprintln(a.stdout, "the policy sets no retention period: nothing is purged")
					return nil
				}
				if *dryRun {
					fmt.Fprintf(a.stdout, "dry run, nothing changed: %d record(s) would go\n", counts.Total())
				} else {
					fmt.Fprintf(a.stdout, "purged %d record(s)\n", counts.Total())
				}
				fmt.Fprint(a.stdout, counts.Report(plan))
				return nil
			}
		},
	}
}
