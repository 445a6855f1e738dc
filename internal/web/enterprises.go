package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/input"
	"fugong/internal/policy"
	"fugong/internal/xlsx"
)

func (s *Server) knownCategory(code string) bool { _, ok := s.pol.Category(code); return ok }

// enterpriseFilter reads the list filter from the query.
func enterpriseFilter(r *http.Request, pol *policy.Policy) (enterprise.Filter, error) {
	q := r.URL.Query()
	park, _ := strconv.ParseInt(q.Get("park"), 10, 64)
	key, err := input.Flag("key", q.Get("key"))
	f := enterprise.Filter{Q: q.Get("q"), Region: q.Get("region"), ParkID: park, Category: q.Get("category"),
		Status: q.Get("status"), Key: key, Page: pageOf(r)}
	return f, joinErrors(err, f.Check(pol))
}

// --- export and import ---

func (s *Server) enterpriseExport(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	f, err := enterpriseFilter(r, s.pol)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("企业名录-%s.xlsx", time.Now().In(s.pol.Location()).Format("20060102-1504"))
	xlsxDownload(w, "enterprises.xlsx", name)
	return xlsx.Write(w, "企业名录", enterprise.Columns, func(yield func([]any) error) error {
		return s.db.EachEnterprise(r.Context(), p, f, func(e enterprise.Enterprise) error {
			return yield(enterprise.ToRow(s.pol, e))
		})
	})
}

// runEnterpriseImport imports an uploaded sheet, read as it is checked and not kept in
// memory; progress (when not nil) hears of it: the first half of the bar is reading
// and checking, the second writing.
func (s *Server) runEnterpriseImport(ctx context.Context, progress func(done, total int), p auth.Principal, sh *xlsx.Sheet, validOnly bool) (*xlsx.Result, error) {
	rows := func(fn func(enterprise.ImportRow) error) error {
		return sh.Read(enterprise.Columns, func(row xlsx.Row) error {
			e, park, ps := enterprise.FromRow(s.pol, row)
			return fn(enterprise.ImportRow{Num: row.Num, E: e, ParkName: park, Problems: ps})
		}, nil)
	}
	res, err := s.db.ImportEnterpriseRows(ctx, p, rows, max(sh.Rows()-1, 0), s.knownCategory, validOnly, progress)
	if err != nil {
		return nil, sheetError(err)
	}
	if res.Rows == 0 {
		return nil, apperr.NewInvalid("file", "表格中没有数据行", "The sheet has no data rows")
	}
	return &res, nil
}
