package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fugong/internal/apperr"
)

// The lock of a SQLite database: a file next to it ("fugong.db.lock") that a process
// which writes holds with an OS file lock (flock) for as long as it runs. SQLite itself
// lets two processes write one file in turn, but each Fugong process keeps a short memo
// of what it read (fastpath.go) that only its own changes clear: a pass revoked through
// one server would keep opening the other's gate for a while. So one process writes a
// SQLite file at a time; commands that only read, or only add rows no server has read
// yet (an account, an API token), do not take the lock and may run beside it. The operating system releases the lock when the process ends, however it ends.

// lockSuffix names the lock file after the database file.
const lockSuffix = ".lock"

// lockPath is the lock file of the SQLite database at path.
func lockPath(path string) string { return path + lockSuffix }

// dbLock is a held lock: closing the file releases it.
type dbLock struct{ f *os.File }

func (l *dbLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// lockSQLite takes the lock of the SQLite database at path for this process, or returns
// an apperr.Conflict naming the database, the process holding it and what to do.
func lockSQLite(path string) (*dbLock, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("lock sqlite: %w", err)
		}
	}
	lp := lockPath(path)
	f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("lock sqlite: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock sqlite %s: %w", lp, err)
	}
	if !held {
		b := make([]byte, 512)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		return nil, inUse(path, lp, strings.TrimSpace(string(b[:n])))
	}
	// Say who holds it, for the message another process gives.
	who := fmt.Sprintf("pid %d, %s, since %s", os.Getpid(), commandLine(), time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(who+"\n"), 0)
	}
	return &dbLock{f: f}, nil
}

// commandLine names the running command: the program and the words before its flags
// ("fugong serve").
func commandLine() string {
	if len(os.Args) == 0 {
		return "fugong"
	}
	words := []string{filepath.Base(os.Args[0])}
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-") || len(words) == 3 {
			break
		}
		words = append(words, a)
	}
	return strings.Join(words, " ")
}

func inUse(path, lockPath, holder string) error {
	if holder == "" {
		holder = "a process that is starting"
	}
	return &apperr.Error{Kind: apperr.Conflict,
		Message: fmt.Sprintf("SQLite 数据库 %s 正被另一个 Fugong 进程使用(%s)。SQLite 数据库同一时间只能由一个写入的进程使用:"+
			"请先停止该进程,或用 --data 指定另一个目录;需要多个服务实例时请使用 PostgreSQL。锁文件:%s",
			path, holder, lockPath),
		MessageEN: fmt.Sprintf("the SQLite database %s is in use by another Fugong process (%s). One process at a time may write a "+
			"SQLite database: stop that one first, or give this one another --data directory; to run several servers on one database, use PostgreSQL. Lock file: %s",
			path, holder, lockPath)}
}

// LockSQLite takes the lock of the SQLite database at path, as OpenExclusive does, for a
// process that writes the file without opening it (a restore). Release it with the
// returned function.
func LockSQLite(path string) (release func() error, err error) {
	l, err := lockSQLite(path)
	if err != nil {
		return nil, err
	}
	return l.release, nil
}
