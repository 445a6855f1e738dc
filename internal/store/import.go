package store

import (
	"bufio"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/list"
	"fugong/internal/region"
	"fugong/internal/roster"
	"fugong/internal/xlsx"
)

// EnterpriseRows hands the rows of an import to fn one after the other, in the order of
// the sheet, and returns fn's first error (or its own, such as a sheet that cannot be
// read) at once.
type EnterpriseRows func(fn func(enterprise.ImportRow) error) error

// RosterRows hands the rows of a roster import to fn as EnterpriseRows does.
type RosterRows func(fn func(roster.ImportRow) error) error

// ImportEnterpriseRows validates every row against the registry and the actor's scope
// and, when no row is invalid (or validOnly is set), creates the new enterprises and
// updates the existing ones (matched by credit code) in one transaction, with an audit
// row each. With invalid rows and validOnly unset nothing is written and the result
// lists every problem. progress, when set, is called as rows are checked and written,
// against total (the rows expected; the rows met, when more or total is 0).
//
// The rows are read once and not kept: the rows to write are checked as they come and
// spooled to a temporary file, and only then is the transaction opened to write them,
// so that memory stays flat whatever the number of rows and the write lock is held for
// the writing alone. What is kept per row is its credit code, to find duplicates.
func (db *DB) ImportEnterpriseRows(ctx context.Context, actor auth.Principal, rows EnterpriseRows, total int, knownCategory func(string) bool, validOnly bool, progress func(done, total int)) (xlsx.Result, error) {
	start := time.Now()
	res := xlsx.Result{}
	if !actor.Can(auth.EnterprisesAdd) {
		return res, apperr.NewForbidden()
	}
	ref, err := db.loadImportRefs(ctx, actor)
	if err != nil {
		return res, err
	}
	spool, err := newImportSpool[plannedEnterprise](&res, total, validOnly, progress)
	if err != nil {
		return res, err
	}
	defer spool.close()
	seen := map[string]int{}
	write, err := spoolRows(ctx, spool, rows, start, func(r enterprise.ImportRow) (int, apperr.Problems, plannedEnterprise) {
		e, update, ps := ref.check(r, knownCategory, seen)
		return r.Num, ps, plannedEnterprise{E: e, Update: update}
	})
	if err != nil || !write {
		return res, err
	}
	err = db.write(ctx, func(tx *txn) error {
		res.Created, res.Updated = 0, 0
		chain := tx.newAuditChain(actor)
		var inserts []enterprise.Enterprise
		flush := func() error {
			if len(inserts) == 0 {
				return nil
			}
			ids, err := tx.insertEnterprises(inserts)
			if err != nil {
				return err
			}
			for i, e := range inserts {
				if err := chain.add(auditItem{"enterprise.import", "enterprise", itoa(ids[i]), enterpriseSummary(e)}); err != nil {
					return err
				}
			}
			res.Created += len(inserts)
			inserts = inserts[:0]
			return nil
		}
		for i := 0; ; i++ {
			p, ok, err := spool.next()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			if p.Update {
				e := p.E
				if _, err := tx.exec(`UPDATE enterprises SET name = ?, category = ?, region_code = ?, park_id = ?, has_canteen = ?,
					has_dormitory = ?, has_bus = ?, key_enterprise = ?, legal_rep = ?, prevention_lead = ?, prevention_phone = ?,
					address = ?, headcount = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
					e.Name, e.Category, e.RegionCode, nullID(e.ParkID), e.HasCanteen, e.HasDormitory, e.HasBus, e.KeyEnterprise,
					e.LegalRep, e.PreventionLead, e.PreventionPhone, e.Address, e.Headcount, tx.now(), e.ID); err != nil {
					return err
				}
				if err := tx.placeRosterCounts(e.ID, e.RegionCode, e.ParkID); err != nil {
					return err
				}
				if err := chain.add(auditItem{"enterprise.import", "enterprise", itoa(e.ID), enterpriseSummary(e)}); err != nil {
					return err
				}
				res.Updated++
			} else {
				inserts = append(inserts, p.E)
				if len(inserts) == 500 {
					if err := flush(); err != nil {
						return err
					}
				}
			}
			if i%1000 == 0 {
				spool.report(res.Rows/2 + i/2)
			}
		}
		if err := flush(); err != nil {
			return err
		}
		return chain.flush()
	})
	if err != nil {
		return res, err
	}
	spool.written(start)
	return res, nil
}

// check checks one row of an import against the registry and the actor's scope, and
// against the rows before it (seen: the row of each credit code met). It returns the
// enterprise to write, whether it updates one already registered, and the problems.
func (ref *importRefs) check(r enterprise.ImportRow, knownCategory func(string) bool, seen map[string]int) (enterprise.Enterprise, bool, apperr.Problems) {
	ps := append(apperr.Problems(nil), r.Problems...)
	ps = append(ps, r.E.Validate(knownCategory)...)
	e := r.E
	if e.RegionCode != "" {
		if !ref.regions[e.RegionCode] {
			ps.Add("region_code", "区域不存在:"+e.RegionCode, "No such region "+e.RegionCode)
		} else if !ref.inScope(e.RegionCode) {
			ps.Add("region_code", "该区域不在您的管辖范围内:"+e.RegionCode, "That region is outside your scope: "+e.RegionCode)
		}
	}
	if r.ParkName != "" {
		id, ok := ref.park(r.ParkName, e.RegionCode)
		if !ok {
			ps.Add("park", "园区不存在或不在企业所在区域:"+r.ParkName, "No such park in the enterprise's region: "+r.ParkName)
		}
		e.ParkID = id
	}
	if ref.actor.Scope.Kind == auth.ScopePark && e.ParkID != ref.actor.Scope.ID {
		ps.Add("park", "只能导入本园区的企业", "You can only import enterprises of your own park")
	}
	update := false
	if e.USCC != "" {
		if prev, dup := seen[e.USCC]; dup {
			ps.Add("uscc", "与第 "+itoa(int64(prev))+" 行的统一社会信用代码重复", "Same credit code as row "+itoa(int64(prev)))
		} else {
			seen[e.USCC] = r.Num
		}
		if ex, ok := ref.existing[e.USCC]; ok {
			if !ex.inScope {
				ps.Add("uscc", "该信用代码已由其他辖区登记,请联系管理员", "This credit code is registered outside your scope; contact an administrator")
			}
			e.ID, e.Status, e.Version, update = ex.id, ex.status, ex.version, true
		}
	}
	return e, update, ps
}

// plannedEnterprise is a checked row of an import, waiting in the spool to be written.
type plannedEnterprise struct {
	E      enterprise.Enterprise
	Update bool
}

// importSpool keeps the checked rows of an import in a temporary file between the
// checking and the writing, so that they are not held in memory. The file is removed at
// once (it lives as long as its handle) and enciphered with a key of its own that is
// never written anywhere, so that the rows (a roster's ID numbers, names and phones) are
// not left readable on disk.
//
// The spool also keeps the import's result while rows are checked, and reports its
// progress: the first half of the bar is checking, the second writing.
type importSpool[T any] struct {
	res       *xlsx.Result
	total     int // the rows expected; the rows met, when more or total is 0
	validOnly bool
	progress  func(done, total int)

	f     *os.File
	block cipher.Block
	iv    []byte
	w     *bufio.Writer
	enc   *gob.Encoder
	dec   *gob.Decoder
}

func newImportSpool[T any](res *xlsx.Result, total int, validOnly bool, progress func(done, total int)) (*importSpool[T], error) {
	key := make([]byte, 32)
	iv := make([]byte, aes.BlockSize)
	rand.Read(key)
	rand.Read(iv)
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("import spool: %w", err)
	}
	f, err := os.CreateTemp("", "fugong-import-*")
	if err != nil {
		return nil, fmt.Errorf("import spool: %w", err)
	}
	os.Remove(f.Name()) // gone with the last handle, whatever happens
	w := bufio.NewWriterSize(cipher.StreamWriter{S: cipher.NewCTR(block, iv), W: f}, 64<<10)
	return &importSpool[T]{res: res, total: total, validOnly: validOnly, progress: progress,
		f: f, block: block, iv: iv, w: w, enc: gob.NewEncoder(w)}, nil
}

// written records that the rows were written, started at start: the bar full, the time
// taken.
func (s *importSpool[T]) written(start time.Time) {
	s.res.Written = true
	s.report(max(s.total, s.res.Rows))
	s.res.Duration = time.Since(start).Round(time.Millisecond).String()
}

// report tells the progress, if asked for: done rows of the bar's total.
func (s *importSpool[T]) report(done int) {
	if s.progress != nil {
		s.progress(done, max(s.total, s.res.Rows))
	}
}

// spoolRows checks the rows of an import one after the other with check, which gives a
// row's number, its problems and what is to be written of it, and records each (take);
// then it ends the checking (checked) and tells whether the rows are to be written. When
// they are not, the result's duration is taken from start.
func spoolRows[R, P any](ctx context.Context, s *importSpool[P], rows func(func(R) error) error, start time.Time, check func(R) (int, apperr.Problems, P)) (bool, error) {
	err := rows(func(r R) error {
		s.res.Rows++
		num, ps, p := check(r)
		return s.take(ctx, num, ps, p)
	})
	if err != nil {
		return false, err
	}
	write, err := s.checked()
	if err != nil || !write {
		s.res.Duration = time.Since(start).Round(time.Millisecond).String()
	}
	return write, err
}

// take records a checked row of an import (its number num, its problems ps) in the
// result: a bad row's problems as row errors; a good row into the spool, unless an earlier
// bad row of a strict import (validOnly unset) already means that nothing is written.
// Progress is reported every 1000 rows, as the first half of the bar.
func (s *importSpool[T]) take(ctx context.Context, num int, ps apperr.Problems, row T) error {
	res := s.res
	if len(ps) > 0 {
		res.BadRows++
		for _, p := range ps {
			res.Errors = append(res.Errors, xlsx.RowError{Row: num, Field: p.Field, Message: p.Message, MessageEN: p.MessageEN})
		}
		return nil
	}
	if res.BadRows == 0 || s.validOnly {
		if err := s.put(row); err != nil {
			return err
		}
	}
	if res.Rows%1000 == 0 {
		s.report(res.Rows / 2)
	}
	return ctx.Err()
}

// checked ends the checking: it tells whether the rows are to be written (none was bad,
// or validOnly is set, the bad ones then counted as skipped) and, if so, readies the
// spool to read them back.
func (s *importSpool[T]) checked() (bool, error) {
	if s.res.BadRows > 0 && !s.validOnly {
		return false, nil
	}
	s.res.Skipped = s.res.BadRows
	return true, s.rewind()
}

func (s *importSpool[T]) put(p T) error {
	if err := s.enc.Encode(&p); err != nil {
		return fmt.Errorf("import spool: %w", err)
	}
	return nil
}

// rewind ends the writing and starts the reading from the first row.
func (s *importSpool[T]) rewind() error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("import spool: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("import spool: %w", err)
	}
	r := cipher.StreamReader{S: cipher.NewCTR(s.block, s.iv), R: s.f}
	s.dec = gob.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	return nil
}

// next returns the next row, or false after the last.
func (s *importSpool[T]) next() (T, bool, error) {
	var p T
	if err := s.dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return p, false, nil
		}
		return p, false, fmt.Errorf("import spool: %w", err)
	}
	return p, true, nil
}

func (s *importSpool[T]) close() { s.f.Close() }

// insertEnterprises inserts new enterprises with one multi-row statement and returns
// their ids in order (matched by credit code, which is unique: RETURNING need not keep
// the order of the VALUES).
func (tx *txn) insertEnterprises(es []enterprise.Enterprise) ([]int64, error) {
	const cols = 17
	var b strings.Builder
	b.WriteString(`INSERT INTO enterprises (name, uscc, category, region_code, park_id, status, has_canteen, has_dormitory,
		has_bus, key_enterprise, legal_rep, prevention_lead, prevention_phone, address, headcount, created_at, updated_at) VALUES `)
	args := make([]any, 0, len(es)*cols)
	for i, e := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, enterpriseArgs(e, tx)...)
	}
	b.WriteString(" RETURNING id, uscc")
	rows, err := tx.query(b.String(), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byCode := make(map[string]int64, len(es))
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		byCode[code] = id
	}
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = byCode[e.USCC]
	}
	return ids, rows.Err()
}

type importRefs struct {
	actor    auth.Principal
	regions  map[string]bool
	parks    []parkRef
	existing map[string]existingEnterprise
	scopeReg string // region prefix a park-scoped actor may use
}

type parkRef struct {
	id     int64
	name   string
	region string
}

type existingEnterprise struct {
	id      int64
	status  enterprise.Status
	version int
	inScope bool
}

func (db *DB) loadImportRefs(ctx context.Context, actor auth.Principal) (*importRefs, error) {
	ref := &importRefs{actor: actor, regions: map[string]bool{}, existing: map[string]existingEnterprise{}}
	rows, err := db.query(ctx, `SELECT code FROM regions`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, err
		}
		ref.regions[c] = true
	}
	rows.Close()
	parks, _, err := db.ListParks(ctx, actor, "", "", list.Page{Size: list.MaxSize})
	if err != nil {
		return nil, err
	}
	for n := 2; len(parks) > 0; n++ {
		for _, p := range parks {
			ref.parks = append(ref.parks, parkRef{p.ID, p.Name, p.RegionCode})
			if actor.Scope.Kind == auth.ScopePark && p.ID == actor.Scope.ID {
				ref.scopeReg = p.RegionCode
			}
		}
		if len(parks) < list.MaxSize {
			break
		}
		if parks, _, err = db.ListParks(ctx, actor, "", "", list.Page{Number: n, Size: list.MaxSize}); err != nil {
			return nil, err
		}
	}
	var w where
	if err := db.enterpriseScope(ctx, actor, &w); err != nil {
		return nil, err
	}
	inScope := map[int64]bool{}
	rows, err = db.query(ctx, `SELECT e.id FROM enterprises e`+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		inScope[id] = true
	}
	rows.Close()
	rows, err = db.query(ctx, `SELECT id, uscc, status, version FROM enterprises`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ex existingEnterprise
		var code string
		if err := rows.Scan(&ex.id, &code, &ex.status, &ex.version); err != nil {
			return nil, err
		}
		ex.inScope = inScope[ex.id]
		ref.existing[code] = ex
	}
	return ref, rows.Err()
}

func (ref *importRefs) inScope(code string) bool {
	switch ref.actor.Scope.Kind {
	case auth.ScopeAll:
		return true
	case auth.ScopeRegion:
		return strings.HasPrefix(code, region.Prefix(ref.actor.Scope.Region))
	case auth.ScopePark:
		return ref.scopeReg != "" && (strings.HasPrefix(code, region.Prefix(ref.scopeReg)) || strings.HasPrefix(ref.scopeReg, region.Prefix(code)))
	}
	return false
}

// park finds a park by name, preferring one in the enterprise's region line.
func (ref *importRefs) park(name, regionCode string) (int64, bool) {
	name = strings.TrimSpace(name)
	for _, p := range ref.parks {
		if p.name == name && (regionCode == "" || strings.HasPrefix(regionCode, region.Prefix(p.region)) || strings.HasPrefix(p.region, region.Prefix(regionCode))) {
			return p.id, true
		}
	}
	return 0, false
}

// --- import jobs: progress and report of long imports, shared by every instance ---

// StartImportJob records a new running import.
func (db *DB) StartImportJob(ctx context.Context, kind string, userID int64, fileName string) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *txn) error {
		var err error
		id, err = tx.insertID(`INSERT INTO import_jobs (kind, user_id, file_name, status, created_at) VALUES (?, ?, ?, 'running', ?)`,
			kind, userID, fileName, tx.now())
		return err
	})
	return id, err
}

// ImportProgress records how far a job has come.
func (db *DB) ImportProgress(ctx context.Context, id int64, done, total int) error {
	return db.write(ctx, func(tx *txn) error {
		_, err := tx.exec(`UPDATE import_jobs SET done = ?, total = ? WHERE id = ?`, done, total, id)
		return err
	})
}

// FinishImportJob records the outcome of a job.
func (db *DB) FinishImportJob(ctx context.Context, id int64, res *xlsx.Result, failure string) error {
	status := "done"
	if failure != "" {
		status = "failed"
	}
	report := []byte("null")
	if res != nil {
		var err error
		if report, err = json.Marshal(res); err != nil {
			return err
		}
	}
	return db.write(ctx, func(tx *txn) error {
		_, err := tx.exec(`UPDATE import_jobs SET status = ?, errors = ?, message = ?, finished_at = ?, done = total WHERE id = ?`,
			status, string(report), failure, tx.now(), id)
		return err
	})
}

// GetImportJob returns a job started by the user.
func (db *DB) GetImportJob(ctx context.Context, userID, id int64) (xlsx.Job, error) {
	var j xlsx.Job
	var report string
	var finished *time.Time
	err := db.queryRow(ctx, `SELECT id, kind, user_id, file_name, status, total, done, message, errors, created_at, finished_at
		FROM import_jobs WHERE id = ? AND user_id = ?`, id, userID).Scan(&j.ID, &j.Kind, &j.UserID, &j.FileName, &j.Status,
		&j.Total, &j.Done, &j.Message, &report, &j.CreatedAt, &finished)
	if err != nil {
		return j, notFound(err, "导入任务")
	}
	j.FinishedAt = finished
	if report != "" && report != "null" && report != "[]" {
		var res xlsx.Result
		if json.Unmarshal([]byte(report), &res) == nil {
			j.Result = &res
		}
	}
	return j, nil
}
