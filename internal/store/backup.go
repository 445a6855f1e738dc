package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// BackupTo writes a consistent copy of a SQLite database to path, which must not exist,
// while other processes may be writing it: VACUUM INTO copies one snapshot of the
// database (a read transaction; writers go on meanwhile). The copy is written under a
// temporary name, made durable and then renamed into place, so that path is either
// absent or complete. PostgreSQL databases are copied with pg_dump instead.
func (db *DB) BackupTo(ctx context.Context, path string) error {
	if db.Engine != SQLite {
		return errors.New("backup: a PostgreSQL database is copied with pg_dump")
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	// On the writer pool: the reader pool is query-only, which refuses VACUUM. Outside a
	// transaction it takes no write lock.
	if _, err := db.writer.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	// The copy holds personal data: its owner alone reads it.
	if err := os.Chmod(tmp, 0o600); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a new name in dir durable; not every system supports it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
