package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/input"
	"fugong/internal/roster"
	"fugong/internal/xlsx"
)

func rosterFilter(r *http.Request) (roster.Filter, error) {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f := roster.Filter{EnterpriseID: ent, Q: q.Get("q"), Phase: roster.Phase(q.Get("phase")), Certificate: q.Get("certificate"), Page: pageOf(r)}
	return f, f.Check()
}

// --- export and import ---

// rosterExport streams the roster in scope matching the filter; ID numbers are masked,
// unless ?full=1 asks a caller with roster.edit for them in full (audited first).
func (s *Server) rosterExport(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	f, err := rosterFilter(r)
	if err != nil {
		return err
	}
	full, err := wantsFull(r)
	if err != nil {
		return err
	}
	if full {
		if _, err := s.db.Roster().AuditFullExport(r.Context(), p, f); err != nil {
			return err
		}
	}
	name := fmt.Sprintf("员工花名册-%s.xlsx", time.Now().In(s.pol.Location()).Format("20060102-1504"))
	xlsxDownload(w, "roster.xlsx", name)
	return xlsx.Write(w, "员工花名册", roster.ExportColumns, func(yield func([]any) error) error {
		return s.db.Roster().Each(r.Context(), p, f, full, func(it roster.Item) error {
			return yield(roster.ToRow(s.pol, it.Employee, it.Status, full))
		})
	})
}

// --- export with full ID numbers ---

// wantsFull reports whether the export asks for full ID numbers (?full=1).
func wantsFull(r *http.Request) (bool, error) {
	return input.Flag("full", r.URL.Query().Get("full"))
}

// runRosterImport imports a roster sheet, checked once by openSheet, read as it is
// checked and not kept in memory; progress (when not nil) hears of it: the first half of
// the bar is reading and checking, the second writing.
func (s *Server) runRosterImport(ctx context.Context, progress func(done, total int), p auth.Principal, sh *xlsx.Sheet, enterpriseID int64, validOnly bool) (xlsx.Result, error) {
	rows := func(fn func(roster.ImportRow) error) error {
		return sh.Read(roster.Columns, func(row xlsx.Row) error {
			e, ps := roster.FromRow(s.pol, row)
			return fn(roster.ImportRow{Num: row.Num, E: e, Problems: ps})
		}, nil)
	}
	res, err := s.db.Roster().Import(ctx, p, enterpriseID, rows, max(sh.Rows()-1, 0), validOnly, progress)
	if err != nil {
		return xlsx.Result{}, sheetError(err)
	}
	if res.Rows == 0 {
		return xlsx.Result{}, apperr.NewInvalid("file", "表格中没有数据行", "The sheet has no data rows")
	}
	return res, nil
}
