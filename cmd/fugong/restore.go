package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fugong/internal/audit"
	"fugong/internal/store"
)

func restoreCommand() *command {
	return &command{
		name:    "restore",
		zh:      "恢复备份",
		summary: "Put a backup made by \"fugong backup\" into a new data directory",
		args:    "DIR",
		details: `
Puts the backup in DIR into the data directory (--data): the keys, the uploaded files,
the audit checkpoints and the SQLite database (--db, default DATA/fugong.db). The data
directory must not hold a database, keys or checkpoints already: a restore never
overwrites; move them aside first. Check the result with "fugong audit verify", then
start "fugong serve" on it.
A PostgreSQL backup puts the keys, uploads and checkpoints into the data directory and
prints the pg_restore command that loads the dump into an empty database (--db).`,
		examples: []string{
			"fugong restore --data /var/lib/fugong /srv/backup/fugong-2020-02-16",
			"fugong restore --data /srv/fugong --db postgres://fugong@db.internal/fugong /srv/backup/today",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			var dbf dbFlags
			a.registerDB(fs, &dbf)
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("name the backup directory to restore")
				}
				return a.restore(ctx, &dbf, args[0])
			}
		},
	}
}

func (a *app) restore(ctx context.Context, dbf *dbFlags, dir string) error {
	m, err := readManifest(dir)
	if err != nil {
		return err
	}
	if m.Engine == string(store.SQLite) && m.Database != sqliteName || m.Engine == string(store.Postgres) && m.Database != pgDumpName ||
		m.Engine != string(store.SQLite) && m.Engine != string(store.Postgres) {
		return fmt.Errorf("%s: the manifest names an unknown database (%s, %q)", filepath.Join(dir, manifestName), m.Engine, m.Database)
	}
	target := dbf.dsn()
	pg := m.Engine == string(store.Postgres)
	switch {
	case !pg && store.IsPostgres(target):
		return fmt.Errorf("%s holds a SQLite database: restore it into a data directory (--data), not into PostgreSQL", dir)
	case pg && dbf.db != "" && !store.IsPostgres(target):
		return fmt.Errorf("%s holds a PostgreSQL backup: give the database to load it into as a postgres:// URL (--db)", dir)
	}
	// Nothing already there is overwritten.
	if !pg {
		path := store.SQLitePath(target)
		for _, p := range []string{path, path + "-wal"} {
			if _, err := os.Lstat(p); err == nil {
				return fmt.Errorf("the data directory %s already holds a database (%s): restore into a new data directory, or move the database aside first", dbf.data, p)
			}
		}
	}
	var present []string
	for _, name := range append(slices.Clone(keyNames), audit.CheckpointFile) {
		if p := filepath.Join(dbf.data, name); fileExists(p) {
			present = append(present, p)
		}
	}
	if len(present) > 0 {
		return fmt.Errorf("the data directory %s already holds %s, which a restore does not overwrite: restore into a new data directory, or move them aside first",
			dbf.data, strings.Join(present, ", "))
	}
	if !pg {
		// No server may start on the database while it is put in place.
		release, err := store.LockSQLite(store.SQLitePath(target))
		if err != nil {
			return err
		}
		defer release()
	}
	if err := os.MkdirAll(dbf.data, 0o750); err != nil {
		return err
	}
	for _, name := range append(slices.Clone(keyNames), audit.CheckpointFile) {
		if err := copyFile(filepath.Join(dir, name), filepath.Join(dbf.data, name), 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	n, err := copyUploads(filepath.Join(dir, filesDirName), filepath.Join(dbf.data, filesDirName))
	if err != nil {
		return err
	}
	if pg {
		dump := filepath.Join(dir, pgDumpName)
		fmt.Fprintf(a.stdout, "restored into %s: keys, %d uploaded file(s), audit checkpoints.\n", dbf.data, n)
		if _, err := os.Stat(dump); err != nil {
			fmt.Fprintf(a.stderr, "The backup has no %s: the pg_dump command \"fugong backup\" printed was not run into it.\n", pgDumpName)
			return exitCode(exitFail)
		}
		url := "postgres://USER@HOST/DATABASE"
		if store.IsPostgres(target) {
			url = withoutPassword(target)
		}
		fmt.Fprintf(a.stdout, "Now load the database into an empty PostgreSQL database:\n  pg_restore --no-owner --dbname=%s %s\n"+
			"then check it with \"fugong audit verify\" and start \"fugong serve\".\n", shellQuote(url), shellQuote(dump))
		return nil
	}
	path := store.SQLitePath(target)
	if err := copyFile(filepath.Join(dir, m.Database), path+".partial", 0o600); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(path+".partial", path); err != nil {
		os.Remove(path + ".partial")
		return fmt.Errorf("restore: %w", err)
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	schema, err := db.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("restore: the database does not open: %w", err)
	}
	head, err := db.AuditHead(ctx)
	if err != nil {
		return err
	}
	if head.Seq != m.AuditRows || head.Hash != m.AuditHead {
		return fmt.Errorf("restore: the database's audit trail ends at row %d, but the backup's manifest says row %d: the backup was altered", head.Seq, m.AuditRows)
	}
	fmt.Fprintf(a.stdout, "restored into %s: the database (schema version %d, audit trail of %d rows), keys, %d uploaded file(s), audit checkpoints.\n",
		dbf.data, schema, head.Seq, n)
	fmt.Fprintf(a.stdout, "Check it with \"fugong audit verify --data %s\", then start \"fugong serve\" on it.\n", dbf.data)
	return nil
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
