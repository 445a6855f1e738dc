package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fugong/internal/audit"
	"fugong/internal/sign"
	"fugong/internal/store"
)

// A backup directory holds a manifest, the SQLite database (or, for PostgreSQL, the
// dump the operator makes with pg_dump), the keys, the uploads and the checkpoints.
const (
	backupFormat   = "fugong-backup/1"
	manifestName   = "MANIFEST.json"
	sqliteName     = "fugong.db"
	pgDumpName     = "fugong.pgdump"
	signingKeyName = "signing-key.pem"
	idKeyName      = "id-key"
	filesDirName   = "files"
)

// keyNames are the key files of the data directory: without them the notices and passes
// no longer verify and the sealed ID numbers no longer open.
var keyNames = []string{signingKeyName, idKeyName}

// manifest describes a backup.
type manifest struct {
	Format        string    `json:"format"`
	Engine        string    `json:"engine"`
	CreatedAt     time.Time `json:"created_at"`
	Version       string    `json:"fugong_version"`
	Database      string    `json:"database"`                 // the file of the database in the backup
	SchemaVersion int       `json:"schema_version,omitempty"` // SQLite: of the copy
	AuditRows     int64     `json:"audit_rows"`               // SQLite: of the copy; PostgreSQL: when the keys were copied
	AuditHead     string    `json:"audit_head"`
	Keys          []string  `json:"keys"`
	Files         int       `json:"files"`
	Checkpoints   bool      `json:"checkpoints"`
}

func backupCommand() *command {
	return &command{
		name:    "backup",
		zh:      "备份",
		summary: "Copy the database, keys, uploads and audit checkpoints into a directory",
		args:    "DIR",
		details: `
Makes a backup in DIR, a new or empty directory, while the server may be running:
the audit checkpoints first, then the keys (signing-key.pem, id-key), the uploaded
files, a consistent copy of the SQLite database (one snapshot, taken with VACUUM
INTO while writers go on) and the uploads written meanwhile, and a MANIFEST.json.
The copy of the checkpoint file ends with a new checkpoint of the copied database,
signed with the installation's key. "fugong restore DIR" puts it back.
For PostgreSQL it copies the keys, uploads and checkpoints and prints the pg_dump
command that copies the database into the same directory; run it at once.
The backup holds personal data and the keys that sign notices and passes: keep it
where only those who may see both can read it.`,
		examples: []string{
			"fugong backup /srv/backup/fugong-2020-02-16",
			"fugong backup --data /var/lib/fugong /mnt/usb/fugong-$(date +%F)",
			"fugong backup --data /srv/fugong --db postgres://fugong@db.internal/fugong /srv/backup/today",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			var dbf dbFlags
			a.registerDB(fs, &dbf)
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("name the directory to back up into")
				}
				return a.backup(ctx, &dbf, args[0])
			}
		},
	}
}

func (a *app) backup(ctx context.Context, dbf *dbFlags, dir string) error {
	if err := emptyDir(dir); err != nil {
		return err
	}
	db, err := openExisting(ctx, dbf)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	m := manifest{Format: backupFormat, Engine: string(db.Engine), CreatedAt: db.Now().UTC().Truncate(time.Second), Version: version()}
	// The checkpoints before the database: every checkpoint copied then vouches for a row
	// the copy holds (the trail only grows).
	cpFrom, cpTo := filepath.Join(dbf.data, audit.CheckpointFile), filepath.Join(dir, audit.CheckpointFile)
	if err := copyFile(cpFrom, cpTo, 0o600); err == nil {
		m.Checkpoints = true
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, name := range keyNames {
		err := copyFile(filepath.Join(dbf.data, name), filepath.Join(dir, name), 0o600)
		switch {
		case err == nil:
			m.Keys = append(m.Keys, name)
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
	}
	// The uploads before and after the database: an upload is stored before the row that
	// refers to it, and a file the purge removes meanwhile is in the first pass.
	uploadsFrom, uploadsTo := filepath.Join(dbf.data, filesDirName), filepath.Join(dir, filesDirName)
	if m.Files, err = copyUploads(uploadsFrom, uploadsTo); err != nil {
		return err
	}
	if db.Engine == store.Postgres {
		head, err := db.AuditHead(ctx)
		if err != nil {
			return err
		}
		m.Database, m.AuditRows, m.AuditHead = pgDumpName, head.Seq, head.Hash
		if err := writeManifest(dir, m); err != nil {
			return err
		}
		a.printBackup(dir, m)
		fmt.Fprintf(a.stdout, "\nNow copy the database into the backup (the password from PGPASSWORD or ~/.pgpass):\n  %s\n",
			pgDumpCommand(dbf.dsn(), filepath.Join(dir, pgDumpName)))
		return nil
	}
	copyPath := filepath.Join(dir, sqliteName)
	if err := db.BackupTo(ctx, copyPath); err != nil {
		return err
	}
	n, err := copyUploads(uploadsFrom, uploadsTo)
	if err != nil {
		return err
	}
	m.Files += n
	m.Database = sqliteName
	// What the copy holds, and a checkpoint of it.
	cp, err := store.Open(ctx, copyPath)
	if err != nil {
		return err
	}
	head, err := cp.AuditHead(ctx)
	if err == nil {
		m.SchemaVersion, err = cp.SchemaVersion(ctx)
	}
	if cerr := cp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("backup: the copy: %w", err)
	}
	m.AuditRows, m.AuditHead = head.Seq, head.Hash
	signed := false
	if head.Seq > 0 && slices.Contains(m.Keys, signingKeyName) {
		signer, err := sign.LoadOrCreateKey(filepath.Join(dir, signingKeyName))
		if err != nil {
			return err
		}
		c, err := audit.NewCheckpoint(head, db.Now(), signer)
		if err != nil {
			return err
		}
		if err := audit.AppendCheckpoint(cpTo, c); err != nil {
			return err
		}
		m.Checkpoints, signed = true, true
	}
	if err := writeManifest(dir, m); err != nil {
		return err
	}
	a.printBackup(dir, m)
	if signed {
		fmt.Fprintf(a.stdout, "The backup's audit checkpoints end with one of row %d, the newest in the copy.\n", head.Seq)
	}
	return nil
}

func (a *app) printBackup(dir string, m manifest) {
	fmt.Fprintf(a.stdout, "backup in %s (%s):\n", dir, m.Engine)
	if m.Engine == string(store.SQLite) {
		fmt.Fprintf(a.stdout, "  %-18s a consistent copy: schema version %d, audit trail of %d rows\n", m.Database, m.SchemaVersion, m.AuditRows)
	}
	if len(m.Keys) == 0 {
		fmt.Fprintf(a.stdout, "  %-18s none in the data directory (a server creates them at its first start)\n", "keys")
	} else {
		fmt.Fprintf(a.stdout, "  %-18s %s\n", "keys", strings.Join(m.Keys, ", "))
	}
	fmt.Fprintf(a.stdout, "  %-18s %d uploaded file(s)\n", filesDirName+"/", m.Files)
	if m.Checkpoints {
		fmt.Fprintf(a.stdout, "  %-18s copied\n", audit.CheckpointFile)
	} else {
		fmt.Fprintf(a.stdout, "  %-18s none in the data directory\n", audit.CheckpointFile)
	}
	fmt.Fprintln(a.stdout, "It holds personal data and the keys that sign notices and passes: keep it safe.")
}

// pgDumpCommand is the pg_dump command that copies the database named by dsn into file,
// with the password left out of the URL.
func pgDumpCommand(dsn, file string) string {
	return "pg_dump --format=custom --no-owner --file=" + shellQuote(file) + " " + shellQuote(withoutPassword(dsn))
}

// withoutPassword is a database URL with its password removed.
func withoutPassword(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// emptyDir refuses a directory that holds anything: a backup never mixes with another.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty: back up into a new or empty directory", dir)
	}
	return nil
}

func writeManifest(dir string, m manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileSync(filepath.Join(dir, manifestName), append(b, '\n'), 0o600)
}

func readManifest(dir string) (manifest, error) {
	var m manifest
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("%s is not a Fugong backup: it has no %s", dir, manifestName)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil || m.Format != backupFormat {
		return m, fmt.Errorf("%s: not a backup this version reads (format %q, want %q)", filepath.Join(dir, manifestName), m.Format, backupFormat)
	}
	return m, nil
}

// copyFile copies a regular file to a new file to (refusing one that exists) with the
// mode given, durably. A missing source gives an error satisfying fs.ErrNotExist.
func copyFile(from, to string, mode os.FileMode) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	if fi, err := src.Stat(); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", from)
	}
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(to)
		return fmt.Errorf("copy %s: %w", from, err)
	}
	return nil
}

func writeFileSync(path string, b []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// copyUploads copies the stored uploads (files/ab/cd/<sha-256>) of from that to lacks,
// and returns how many it copied. Files are named by their content, so one already there
// is the same file; anything else in the directory (an upload being written) is left.
func copyUploads(from, to string) (int, error) {
	n := 0
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // no uploads yet, or one removed meanwhile
			}
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil || d.IsDir() || !isUploadPath(rel) {
			return err
		}
		dst := filepath.Join(to, rel)
		if _, err := os.Stat(dst); err == nil {
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return err
		}
		switch err := copyFile(path, dst, 0o640); {
		case err == nil:
			n++
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
		return nil
	})
	return n, err
}

// isUploadPath says whether rel is where the file store keeps a file: ab/cd/abcd….
func isUploadPath(rel string) bool {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if len(parts) != 3 {
		return false
	}
	sum := parts[2]
	return len(sum) == 64 && strings.Trim(sum, "0123456789abcdef") == "" && parts[0] == sum[:2] && parts[1] == sum[2:4]
}
