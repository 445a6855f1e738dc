package xlsx

import (
	"encoding/binary"
	"errors"
	"io"
)

// The signatures and sizes of the zip records directoryRecords reads.
const (
	sigDirectoryEnd     = 0x06054b50
	sigDirectory64End   = 0x06064b50
	sigDirectory64Loc   = 0x07064b50
	sigDirectoryHeader  = 0x02014b50
	directoryEndLen     = 22
	directory64LocLen   = 20
	directory64EndLen   = 56
	directoryHeaderLen  = 46
	directoryEndMaxScan = 65 * 1024
)

var errNoDirectory = errors.New("no zip directory: not a zip file, or a truncated one")

// directoryRecords counts the records of the zip directory of the file in r, of size
// bytes, the way zip.NewReader will read them, but stops once it has counted more than
// limit. zip.NewReader keeps every record in memory (about 250 bytes each, five times
// what it takes in the file) before anyone can look at their number, and reads records
// for as long as they follow one another, whatever the directory's end says; so a
// 32 MB file of empty records would cost it 180 MB.
//
// Like zip.NewReader it takes the last end-of-directory signature in the last 65 KB
// (and the zip64 end it points to), and counts from both places zip.NewReader may start
// from: the directory's offset as given, and the offset implied by the directory's size.
// Only an upper bound is needed: a directory zip.NewReader refuses is refused anyway.
func directoryRecords(r io.ReaderAt, size int64, limit int) (int, error) {
	n := min(size, directoryEndMaxScan)
	if n < directoryEndLen {
		return 0, errNoDirectory
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return 0, err
	}
	p := -1
	for i := len(buf) - directoryEndLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) == sigDirectoryEnd {
			p = i
			break
		}
	}
	if p < 0 {
		return 0, errNoDirectory
	}
	le := binary.LittleEndian
	end := buf[p:]
	records := uint64(le.Uint16(end[10:]))
	dirSize := uint64(le.Uint32(end[12:]))
	dirOffset := uint64(le.Uint32(end[16:]))
	endOffset := size - n + int64(p)
	if records == 0xffff || dirSize == 0xffff || dirOffset == 0xffffffff {
		loc := make([]byte, directory64LocLen)
		if endOffset >= directory64LocLen {
			if _, err := r.ReadAt(loc, endOffset-directory64LocLen); err == nil && le.Uint32(loc) == sigDirectory64Loc {
				off := le.Uint64(loc[8:])
				rec := make([]byte, directory64EndLen)
				if off <= uint64(size-directory64EndLen) {
					if _, err := r.ReadAt(rec, int64(off)); err == nil && le.Uint32(rec) == sigDirectory64End {
						records, dirSize, dirOffset = le.Uint64(rec[32:]), le.Uint64(rec[40:]), le.Uint64(rec[48:])
						endOffset = int64(off)
					}
				}
			}
		}
	}
	if records > uint64(limit) {
		return limit + 1, nil
	}
	count := 0
	for _, start := range []uint64{dirOffset, uint64(endOffset) - dirSize} {
		if start < uint64(size) {
			count = max(count, countRecords(r, size, int64(start), limit))
		}
	}
	return count, nil
}

// countRecords counts the directory records that follow one another from start, up to
// limit+1.
func countRecords(r io.ReaderAt, size, start int64, limit int) int {
	h := make([]byte, directoryHeaderLen)
	n := 0
	for ; n <= limit; n++ {
		if start < 0 || start > size-directoryHeaderLen {
			break
		}
		if _, err := r.ReadAt(h, start); err != nil || binary.LittleEndian.Uint32(h) != sigDirectoryHeader {
			break
		}
		le := binary.LittleEndian
		start += directoryHeaderLen + int64(le.Uint16(h[28:])) + int64(le.Uint16(h[30:])) + int64(le.Uint16(h[32:]))
	}
	return n
}
