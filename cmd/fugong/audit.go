package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"fugong/internal/audit"
)

func auditVerifyCommand() *command {
	return &command{
		name:    "audit verify",
		zh:      "校验审计日志",
		summary: "Verify that the audit trail was not altered, removed or reordered",
		details: `
Walks the hash-chained audit trail from its first row. Exit code 0 and "audit trail
intact: N rows" when every row is in place and matches its hash; exit code 1 naming the
first bad row and what is wrong with it otherwise. The database is only read.`,
		examples: []string{
			"fugong audit verify",
			"fugong audit verify --db postgres://fugong:secret@db.internal/fugong",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			var dbf dbFlags
			a.registerDB(fs, &dbf)
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				db, err := openExisting(ctx, &dbf)
				if err != nil {
					return err
				}
				defer db.Close()
				n, err := db.VerifyAudit(ctx)
				var p *audit.Problem
				switch {
				case errors.As(err, &p):
					fmt.Fprintf(a.stderr, "audit trail BROKEN at row %d: %s\n", p.Seq, p.Reason)
					fmt.Fprintf(a.stderr, "%d row(s) before it verified intact.\n", n)
					return exitCode(exitFail)
				case err != nil:
					return err
				}
				fmt.Fprintf(a.stdout, "audit trail intact: %d rows\n", n)
				return nil
			}
		},
	}
}
