package audit

import (
	"bufio"
	"cmp"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"fugong/internal/sign"
)

// CheckpointFile is the name of the file of checkpoints in the data directory.
const CheckpointFile = "audit-checkpoints"

// checkpointTag starts every checkpoint line; checkpointPurpose is what its signature is
// made for (sign.SignDetached).
const (
	checkpointTag     = "fugong-audit-checkpoint/1"
	checkpointPurpose = "audit-checkpoint"
)

// maxCheckpointLine bounds a line of the checkpoint file; a real one is about 220 bytes.
const maxCheckpointLine = 1024

// Head is the newest row of the trail. The empty trail has Seq 0 and Hash Genesis.
type Head struct {
	Seq  int64
	Hash string
	// Waiting counts the rows committed with their change and not chained yet
	// (PostgreSQL: chained right after their change commits).
	Waiting int64
}

// Checkpoint is the installation's signed statement that at At the trail had row Seq
// with hash Hash. Kept outside the database (the file CheckpointFile in the data
// directory, one line each, only ever appended to), it catches what the chain alone
// cannot: the newest rows deleted, or a row altered and every later hash recomputed.
//
// Its line is
//
//	fugong-audit-checkpoint/1 seq=<seq> hash=<64 hex> at=<RFC 3339, UTC> key=<key id> sig=<base64url>
//
// where sig is the Ed25519 signature (sign.SignDetached, purpose "audit-checkpoint") of
// the line up to the space before "sig=".
type Checkpoint struct {
	Seq   int64
	Hash  string
	At    time.Time
	KeyID string // the signing key's id (sign.KeyIDOf)
	Sig   []byte
	Line  int // its line in the file, when read from one
}

// CheckpointSigner signs checkpoints: the installation's key (*sign.Signer).
type CheckpointSigner interface {
	SignDetached(purpose string, msg []byte) []byte
	KeyID() string
}

// NewCheckpoint signs head as it is at at. An empty trail has nothing to vouch for.
func NewCheckpoint(head Head, at time.Time, s CheckpointSigner) (Checkpoint, error) {
	if head.Seq < 1 {
		return Checkpoint{}, errors.New("audit: the trail is empty: there is nothing to checkpoint")
	}
	if !isHash(head.Hash) {
		return Checkpoint{}, fmt.Errorf("audit: row %d has no valid hash", head.Seq)
	}
	c := Checkpoint{Seq: head.Seq, Hash: head.Hash, At: at.UTC().Truncate(time.Second), KeyID: s.KeyID()}
	c.Sig = s.SignDetached(checkpointPurpose, []byte(c.body()))
	return c, nil
}

func (c Checkpoint) body() string {
	return fmt.Sprintf("%s seq=%d hash=%s at=%s key=%s", checkpointTag, c.Seq, c.Hash, c.At.UTC().Format(time.RFC3339), c.KeyID)
}

// String is the checkpoint's line, without the newline.
func (c Checkpoint) String() string {
	return c.body() + " sig=" + base64.RawURLEncoding.EncodeToString(c.Sig)
}

// Describe names the checkpoint for a person: its line, row and time.
func (c Checkpoint) Describe() string {
	s := fmt.Sprintf("checkpoint of row %d signed %s", c.Seq, c.At.UTC().Format(time.RFC3339))
	if c.Line > 0 {
		s = fmt.Sprintf("checkpoint on line %d (row %d, signed %s)", c.Line, c.Seq, c.At.UTC().Format(time.RFC3339))
	}
	return s
}

func isHash(s string) bool {
	return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
}

// ParseCheckpoint reads a checkpoint line (without its newline). Only the exact form
// String writes is accepted; the signature is not checked (Verify does).
func ParseCheckpoint(line string) (Checkpoint, error) {
	fields := strings.Split(line, " ")
	if len(fields) != 6 || fields[0] != checkpointTag {
		return Checkpoint{}, errors.New("not a checkpoint line")
	}
	var val [5]string
	for i, key := range []string{"seq", "hash", "at", "key", "sig"} {
		v, ok := strings.CutPrefix(fields[i+1], key+"=")
		if !ok {
			return Checkpoint{}, fmt.Errorf("field %d is not %s=", i+2, key)
		}
		val[i] = v
	}
	var c Checkpoint
	var err error
	if c.Seq, err = strconv.ParseInt(val[0], 10, 64); err != nil || c.Seq < 1 {
		return Checkpoint{}, fmt.Errorf("seq %q is not a row number", val[0])
	}
	if c.Hash = val[1]; !isHash(c.Hash) {
		return Checkpoint{}, fmt.Errorf("hash %q is not 64 lower-case hex digits", val[1])
	}
	if c.At, err = time.Parse(time.RFC3339, val[2]); err != nil {
		return Checkpoint{}, fmt.Errorf("at %q is not a time", val[2])
	}
	c.At = c.At.UTC()
	if c.KeyID = val[3]; len(c.KeyID) != 8 || strings.Trim(c.KeyID, "0123456789abcdef") != "" {
		return Checkpoint{}, fmt.Errorf("key %q is not a key id", val[3])
	}
	if c.Sig, err = base64.RawURLEncoding.Strict().DecodeString(val[4]); err != nil || len(c.Sig) != ed25519.SignatureSize {
		return Checkpoint{}, errors.New("sig is not a signature")
	}
	if c.String() != line {
		return Checkpoint{}, errors.New("not in the canonical form")
	}
	return c, nil
}

// Verify checks the checkpoint's signature with the installation's public key.
func (c Checkpoint) Verify(pub ed25519.PublicKey) error {
	if kid := sign.KeyIDOf(pub); c.KeyID != kid {
		return fmt.Errorf("signed with another key (key id %s, this installation's is %s)", c.KeyID, kid)
	}
	if !sign.VerifyDetached(pub, checkpointPurpose, []byte(c.body()), c.Sig) {
		return errors.New("the signature does not match the line (the line was altered or forged)")
	}
	return nil
}

// LineProblem is a line of the checkpoint file that cannot be trusted.
type LineProblem struct {
	Line   int
	Reason string
}

func (p LineProblem) Error() string { return fmt.Sprintf("line %d: %s", p.Line, p.Reason) }

// ReadCheckpoints reads a file of checkpoints, one a line, and checks each line's form
// and signature with pub. It returns the checkpoints that check out, in file order, and
// a LineProblem for every other line: one edited or forged, written with another key,
// or cut short. Empty lines are skipped. The error is for failing to read.
func ReadCheckpoints(r io.Reader, pub ed25519.PublicKey) ([]Checkpoint, []LineProblem, error) {
	var cps []Checkpoint
	var bad []LineProblem
	br := bufio.NewReaderSize(r, 4096)
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return cps, bad, err
		}
		if line == "" && errors.Is(err, io.EOF) {
			return cps, bad, nil
		}
		complete := strings.HasSuffix(line, "\n")
		text := strings.TrimSuffix(line, "\n")
		switch {
		case len(text) > maxCheckpointLine:
			bad = append(bad, LineProblem{n, fmt.Sprintf("longer than %d bytes: not a checkpoint", maxCheckpointLine)})
		case strings.TrimSpace(text) == "":
		case !complete:
			bad = append(bad, LineProblem{n, "the last line does not end: it was cut short"})
		default:
			c, perr := ParseCheckpoint(text)
			if perr == nil {
				perr = c.Verify(pub)
			}
			if perr != nil {
				bad = append(bad, LineProblem{n, perr.Error()})
				break
			}
			c.Line = n
			cps = append(cps, c)
		}
		if errors.Is(err, io.EOF) {
			return cps, bad, nil
		}
	}
}

// ReadCheckpointFile is ReadCheckpoints of the file at path; a missing file gives an
// error satisfying errors.Is(err, fs.ErrNotExist).
func ReadCheckpointFile(path string, pub ed25519.PublicKey) ([]Checkpoint, []LineProblem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	return ReadCheckpoints(f, pub)
}

// AppendCheckpoint adds c as a line at the end of the file at path (created with mode
// 0600 if missing) and makes it durable. A last line left unfinished by a crash stays a
// line of its own.
func AppendCheckpoint(path string, c Checkpoint) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit checkpoints: %w", err)
	}
	line := c.String() + "\n"
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			line = "\n" + line
		}
	}
	_, err = f.WriteString(line)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("audit checkpoints: %w", err)
	}
	return nil
}

// CheckCheckpoints checks the trail against its checkpoints, in order of row: head is the
// trail's newest row and hashes its hash at each checkpointed row that exists. It returns
// how many checkpoints hold and, for the first that does not, a *Problem naming the
// checkpoint and the first bad row:
//
//   - the trail ends before the checkpoint's row: its newest rows were deleted; the first
//     bad row is the first one missing;
//   - the checkpoint's row is missing, or its hash differs: the trail was rewritten at or
//     before that row (and after the last checkpointed row that holds) with the later
//     hashes recomputed; the checkpoint's row is the first row known to be bad.
func CheckCheckpoints(cps []Checkpoint, head Head, hashes map[int64]string) (int, error) {
	sorted := slices.Clone(cps)
	slices.SortStableFunc(sorted, func(a, b Checkpoint) int {
		return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.Line, b.Line))
	})
	held := 0
	var good int64 // the last checkpointed row that holds
	for _, c := range sorted {
		if c.Seq > head.Seq {
			return held, &Problem{Seq: head.Seq + 1, Reason: fmt.Sprintf(
				"rows %d to %d are missing: the trail ends at row %d, but the %s vouches for row %d (the newest rows were deleted)",
				head.Seq+1, c.Seq, head.Seq, c.Describe(), c.Seq)}
		}
		h, ok := hashes[c.Seq]
		if !ok {
			return held, &Problem{Seq: c.Seq, Reason: fmt.Sprintf("the row is missing, but the %s vouches for it", c.Describe())}
		}
		if h != c.Hash {
			return held, &Problem{Seq: c.Seq, Reason: fmt.Sprintf(
				"the row's hash %s… differs from the %s, %s…: a row from %d to %d was altered or replaced and the hashes after it recomputed",
				h[:min(12, len(h))], c.Describe(), c.Hash[:12], good+1, c.Seq)}
		}
		held++
		good = c.Seq
	}
	return held, nil
}
