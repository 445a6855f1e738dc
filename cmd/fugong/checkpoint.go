package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fugong/internal/audit"
	"fugong/internal/sign"
	"fugong/internal/store"
)

// checkpointInterval is how often a server signs the head of the audit trail (when it
// has grown); it signs it at shutdown too.
const checkpointInterval = time.Hour

// checkpointer signs the head of the audit trail into the data directory's checkpoint
// file (audit.CheckpointFile), outside the reach of an edit of the database.
type checkpointer struct {
	db     *store.DB
	signer *sign.Signer
	path   string
	last   int64 // the row of the last checkpoint this process wrote
}

func newCheckpointer(db *store.DB, signer *sign.Signer, dataDir string) *checkpointer {
	return &checkpointer{db: db, signer: signer, path: filepath.Join(dataDir, audit.CheckpointFile)}
}

// write signs the head of the trail and appends it to the file, unless the trail is
// empty or this process signed that row already. ok says whether it wrote one.
func (c *checkpointer) write(ctx context.Context) (cp audit.Checkpoint, ok bool, err error) {
	head, err := c.db.AuditHead(ctx)
	if err != nil || head.Seq == 0 || head.Seq == c.last {
		return cp, false, err
	}
	if cp, err = audit.NewCheckpoint(head, c.db.Now(), c.signer); err != nil {
		return cp, false, err
	}
	if err := audit.AppendCheckpoint(c.path, cp); err != nil {
		return cp, false, err
	}
	c.last = head.Seq
	return cp, true, nil
}

// run signs a checkpoint every interval while ctx lasts, and a last one when ctx ends
// (the server has then finished its requests).
func (c *checkpointer) run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c.log(log, final)
			return
		case <-tick.C:
			c.log(log, ctx)
		}
	}
}

func (c *checkpointer) log(log *slog.Logger, ctx context.Context) {
	cp, ok, err := c.write(ctx)
	switch {
	case err != nil:
		log.Error("audit checkpoint", "error", err.Error())
	case ok:
		log.Info("audit checkpoint", "seq", cp.Seq, "hash", cp.Hash)
	}
}

// loadExistingKey loads the installation's signing key from the data directory; unlike
// sign.LoadOrCreateKey it never makes a new one (a new key vouches for nothing).
func loadExistingKey(dataDir string) (*sign.Signer, error) {
	path := filepath.Join(dataDir, "signing-key.pem")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no signing key at %s: the key is created by \"fugong serve\" in its data directory (use --data)", path)
	}
	return sign.LoadOrCreateKey(path)
}

func auditCheckpointCommand() *command {
	return &command{
		name:    "audit checkpoint",
		zh:      "审计日志签名检查点",
		summary: "Sign the head of the audit trail into the checkpoint file",
		details: `
Signs the newest row of the audit trail (its number and hash) with the installation's
key (signing-key.pem in --data) and appends it as one line to the file
audit-checkpoints in the data directory. "fugong audit verify" checks the trail against
every checkpoint: rows deleted from the end, or rows altered with every later hash
recomputed, no longer pass. "fugong serve" writes a checkpoint every hour and at
shutdown; run this one before a backup or from a timer for more. The database is only
read. Keep the checkpoint file where an edit of the database cannot reach it.`,
		examples: []string{
			"fugong audit checkpoint",
			"fugong audit checkpoint --data /var/lib/fugong",
			"fugong audit checkpoint --data /srv/fugong --db postgres://fugong:secret@db.internal/fugong",
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
				signer, err := loadExistingKey(dbf.data)
				if err != nil {
					return err
				}
				c := newCheckpointer(db, signer, dbf.data)
				cp, ok, err := c.write(ctx)
				if err != nil {
					return err
				}
				if !ok {
					return errors.New("the audit trail is empty: there is nothing to checkpoint yet")
				}
				fmt.Fprintf(a.stdout, "audit checkpoint: row %d, hash %s, signed %s with key %s, in %s\n",
					cp.Seq, cp.Hash, cp.At.Format(time.RFC3339), cp.KeyID, c.path)
				return nil
			}
		},
	}
}
