//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package store

import "os"

// tryLock cannot lock on this system: a second process that writes is not refused.
func tryLock(f *os.File) (held bool, err error) { return true, nil }
