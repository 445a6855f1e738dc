package store

import (
	"context"
	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/roster"
	"fugong/internal/xlsx"
	"strings"
	"time"
)

// Import checks every row and, when none is invalid (or validOnly is set), adds the
// employees to the roster of the enterprise in one transaction, with batched inserts and
// an audit row each. An ID number twice in the file, or already on the roster, is a
// problem of the row. With invalid rows and validOnly unset nothing is written. progress,
// when set, is called as rows are checked and written, against total (the rows expected;
// the rows met, when more or total is 0): the first half of the bar is checking, the
// second writing.
//
// The rows are read once and not kept, as ImportEnterpriseRows reads them: checked as
// they come and spooled to a temporary file, then written in batches, so that memory
// stays flat whatever the number of rows and the write lock is held for the writing
// alone. What is kept per row is the index of its ID number, to find duplicates, and the
// name of each returner the alert lists.
func (h *Roster) Import(ctx context.Context, actor auth.Principal, enterpriseID int64, rows RosterRows, total int, validOnly bool, progress func(done, total int)) (xlsx.Result, error) {
	s := h.s
	start := time.Now()
	res := xlsx.Result{}
	if !actor.Can(auth.RosterEdit) {
		return res, apperr.NewForbidden()
	}
	if enterpriseID == 0 && actor.Scope.Kind == auth.ScopeEnterprise {
		enterpriseID = actor.Scope.ID
	}
	if err := s.enterpriseInScope(ctx, actor, enterpriseID); err != nil {
		return res, err
	}
	existing := map[string]string{}
	q, err := s.DB.query(ctx, `SELECT id_index, name FROM employees WHERE enterprise_id = ?`, enterpriseID)
	if err != nil {
		return res, err
	}
	for q.Next() {
		var idx, name string
		if err := q.Scan(&idx, &name); err != nil {
			q.Close()
			return res, err
		}
		existing[idx] = name
	}
	q.Close()
	if err := q.Err(); err != nil {
		return res, err
	}
	spool, err := newImportSpool[plannedEmployee](&res, total, validOnly, progress)
	if err != nil {
		return res, err
	}
	defer spool.close()
	seen := map[string]int{}
	write, err := spoolRows(ctx, spool, rows, start, func(r roster.ImportRow) (int, apperr.Problems, plannedEmployee) {
		e := r.E
		e.EnterpriseID, e.ID = enterpriseID, 0
		e.Normalize()
		ps := append(apperr.Problems(nil), r.Problems...)
		for _, p := range e.Validate(s.pol) {
			if !hasField(ps, p.Field) {
				ps = append(ps, p)
			}
		}
		var index string
		if !hasField(ps, "id_number") {
			index = s.box.Index(e.IDNumber)
			if prev, dup := seen[index]; dup {
				ps.Add("id_number", "与第 "+itoa(int64(prev))+" 行的身份证号码重复", "Same ID number as row "+itoa(int64(prev)))
			} else {
				seen[index] = r.Num
			}
			if name, ok := existing[index]; ok {
				ps.Add("id_number", "该身份证号码已在本企业花名册中("+name+")", "This ID number is already on the enterprise's roster ("+name+")")
			}
		}
		return r.Num, ps, plannedEmployee{E: e, Index: index}
	})
	if err != nil || !write {
		return res, err
	}
	loc := s.pol.Location()
	err = s.DB.write(ctx, func(tx *txn) error {
		res.Created = 0
		chain := tx.newAuditChain(actor)
		var back returners
		const batch = 500
		part := make([]plannedEmployee, 0, batch)
		flush := func() error {
			if len(part) == 0 {
				return nil
			}
			var b strings.Builder
			b.WriteString(`INSERT INTO employees (` + employeeInsertCols + `) VALUES `)
			args := make([]any, 0, len(part)*23)
			for i, p := range part {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(" + employeeInsertMarks + ")")
				args = append(args, s.insertArgs(p.E, p.Index, tx.now())...)
			}
			// RETURNING gives the new ids without a second look-up (which a fresh table's
			// statistics would plan as a scan).
			b.WriteString(" RETURNING id, id_index")
			got, err := tx.query(b.String(), args...)
			if err != nil {
				return err
			}
			ids := make(map[string]int64, len(part))
			for got.Next() {
				var id int64
				var idx string
				if err := got.Scan(&id, &idx); err != nil {
					got.Close()
					return err
				}
				ids[idx] = id
			}
			got.Close()
			if err := got.Err(); err != nil {
				return err
			}
			for _, p := range part {
				back.add(s.pol, p.E)
				if err := chain.add(auditItem{"employee.import", "employee", itoa(ids[p.Index]), employeeSummary(p.E, loc)}); err != nil {
					return err
				}
			}
			res.Created += len(part)
			part = part[:0]
			spool.report(res.Rows/2 + res.Created/2)
			return nil
		}
		for {
			p, ok, err := spool.next()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			if part = append(part, p); len(part) == batch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		if err := tx.returnersAlert(s.pol, enterpriseID, back); err != nil {
			return err
		}
		if err := tx.recountRoster(enterpriseID); err != nil {
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

// plannedEmployee is a checked row of a roster import, waiting in the spool to be
// written, with the index of its ID number.
type plannedEmployee struct {
	E     roster.Employee
	Index string
}

func hasField(ps apperr.Problems, field string) bool {
	for _, p := range ps {
		if p.Field == field {
			return true
		}
	}
	return false
}
