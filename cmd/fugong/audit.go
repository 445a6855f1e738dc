package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fugong/internal/audit"
)

func auditVerifyCommand() *command {
	return &command{
		name:    "audit verify",
		zh:      "校验审计日志",
		summary: "Verify that the audit trail was not altered, removed or reordered",
		details: `
Walks the hash-chained audit trail from its first row, then checks it against every
signed checkpoint in the file audit-checkpoints of the data directory (see "fugong audit
checkpoint"): a trail that ends before a checkpoint's row (rows deleted from the end),
or whose hash at a checkpoint's row differs (rows altered and the later hashes
recomputed), has been tampered with. Exit code 0 and "audit trail intact: N rows" when
every row is in place, matches its hash and every checkpoint holds; exit code 1 naming
the first bad row, the checkpoint and what is wrong otherwise, or when a line of the
checkpoint file was edited or forged. Without a checkpoint file the chain is still
checked, and a note says what that cannot detect. The database is only read.`,
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
				// The checkpoints first: the trail only grows after them.
				path := filepath.Join(dbf.data, audit.CheckpointFile)
				cps, badLines, cpErr := readCheckpoints(dbf.data)
				failed := false
				n, err := db.VerifyAudit(ctx)
				var p *audit.Problem
				switch {
				case errors.As(err, &p):
					fmt.Fprintf(a.stderr, "audit trail BROKEN at row %d: %s\n", p.Seq, p.Reason)
					fmt.Fprintf(a.stderr, "%d row(s) before it verified intact.\n", n)
					failed = true
				case err != nil:
					return err
				default:
					fmt.Fprintf(a.stdout, "audit trail intact: %d rows\n", n)
				}
				if head, err := db.AuditHead(ctx); err != nil {
					return err
				} else if head.Waiting > 0 {
					fmt.Fprintf(a.stdout, "%d more row(s) committed with their change and waiting to be chained: the next change or start chains them\n", head.Waiting)
				}
				switch {
				case errors.Is(cpErr, os.ErrNotExist):
					fmt.Fprintf(a.stderr, "no audit checkpoints (%s): rows deleted from the end of the trail, or altered with every later hash "+
						"recomputed, cannot be detected. \"fugong serve\" signs one every hour and at shutdown; \"fugong audit checkpoint\" signs one now.\n", path)
				case cpErr != nil:
					fmt.Fprintf(a.stderr, "audit checkpoints cannot be checked: %v\n", cpErr)
					failed = true
				default:
					for _, b := range badLines {
						fmt.Fprintf(a.stderr, "audit checkpoints %s, line %d: %s\n", path, b.Line, b.Reason)
						failed = true
					}
					held, err := db.CheckAuditCheckpoints(ctx, cps)
					switch {
					case errors.As(err, &p):
						fmt.Fprintf(a.stderr, "audit trail TAMPERED at row %d: %s\n", p.Seq, p.Reason)
						failed = true
					case err != nil:
						return err
					case held > 0:
						newest := cps[0]
						for _, c := range cps {
							if c.Seq >= newest.Seq {
								newest = c
							}
						}
						fmt.Fprintf(a.stdout, "audit checkpoints: all %d hold; the newest, signed %s, vouches for row %d\n",
							held, newest.At.Format(time.RFC3339), newest.Seq)
					case len(badLines) == 0:
						fmt.Fprintf(a.stderr, "no audit checkpoints in %s yet\n", path)
					}
				}
				if failed {
					return exitCode(exitFail)
				}
				return nil
			}
		},
	}
}

// readCheckpoints reads the data directory's checkpoint file, checking each line with
// the installation's key. A missing file gives an error satisfying
// errors.Is(err, os.ErrNotExist); a file without a key to check it with, another error.
func readCheckpoints(dataDir string) ([]audit.Checkpoint, []audit.LineProblem, error) {
	path := filepath.Join(dataDir, audit.CheckpointFile)
	if _, err := os.Stat(path); err != nil {
		return nil, nil, err
	}
	signer, err := loadExistingKey(dataDir)
	if err != nil {
		return nil, nil, err
	}
	return audit.ReadCheckpointFile(path, signer.PublicKey())
}
