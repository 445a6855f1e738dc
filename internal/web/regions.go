package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/region"
	"fugong/internal/xlsx"
)

// Regions, parks and departments: what their pages and API share.

// regionColumns are the headers of the region sheet, for export and import alike, so an
// export can be edited and imported again.
var regionColumns = []xlsx.Column{
	{Key: "code", Header: "行政区划代码", Required: true, Text: true, Width: 16},
	{Key: "name", Header: "名称", Required: true, Width: 28},
	{Key: "parent", Header: "上级代码", Text: true, Width: 16},
}

// maxRegionRows bounds one region import, which runs within the request: a city's
// villages fit (5,000 rows take about 1.5 s on SQLite and 3 s on PostgreSQL); a province
// is imported in several files.
const maxRegionRows = 20000

// normCode returns the canonical form of a division code, or s trimmed when it is not one.
func normCode(s string) string {
	s = strings.TrimSpace(s)
	if c, err := region.ParseCode(s); err == nil {
		return c.String()
	}
	return s
}

// withEnterpriseCounts fills the enterprise counts of regions for users who may see
// enterprises.
func (s *Server) withEnterpriseCounts(ctx context.Context, p auth.Principal, rs []region.Region) error {
	if !p.Can(auth.EnterprisesView) || len(rs) == 0 {
		return nil
	}
	codes := make([]string, len(rs))
	for i, r := range rs {
		codes[i] = r.Code
	}
	counts, err := s.db.CountEnterprisesIn(ctx, p, codes)
	if err != nil {
		return err
	}
	for i := range rs {
		rs[i].Enterprises = counts[rs[i].Code]
	}
	return nil
}

// readRegionSheet reads an uploaded region sheet. A file that cannot be read as a region
// sheet is an Invalid error about "file"; problems of single rows are returned as
// rowErrs, with the sheet's row number of each region in nums.
func readRegionSheet(f io.Reader) (rs []region.Region, nums []int, rowErrs []xlsx.RowError, err error) {
	seen := map[string]int{}
	errTooMany := apperr.NewInvalid("file", fmt.Sprintf("表格行数过多:一次最多导入 %d 行,请分批导入", maxRegionRows),
		fmt.Sprintf("Too many rows: import at most %d rows at a time, in several files", maxRegionRows))
	bad := func(row int, field, zh, en string) {
		rowErrs = append(rowErrs, xlsx.RowError{Row: row, Field: field, Message: zh, MessageEN: en})
	}
	err = xlsx.Read(f, regionColumns, func(row xlsx.Row) error {
		if len(rs)+len(rowErrs) >= maxRegionRows {
			return errTooMany
		}
		reg := region.Region{Code: row.Values["code"], Name: row.Values["name"]}
		code, cerr := region.ParseCode(reg.Code)
		if cerr == nil {
			reg.Code = code.String()
			if first, dup := seen[reg.Code]; dup {
				bad(row.Num, "code", fmt.Sprintf("代码 %s 与第 %d 行重复", reg.Code, first), fmt.Sprintf("Code %s repeats row %d", reg.Code, first))
				return nil
			}
			seen[reg.Code] = row.Num
			if pt := row.Values["parent"]; pt != "" {
				pc, perr := region.ParseCode(pt)
				if perr != nil || pc == code || !code.IsWithin(pc) {
					bad(row.Num, "parent", "上级代码与行政区划代码不符:"+pt+" 不是 "+reg.Code+" 的上级",
						"The parent code does not fit the code: "+pt+" is not above "+reg.Code)
					return nil
				}
			}
		}
		rs = append(rs, reg)
		nums = append(nums, row.Num)
		return nil
	}, nil)
	if err != nil {
		return nil, nil, nil, sheetError(err)
	}
	if len(rs)+len(rowErrs) == 0 {
		return nil, nil, nil, apperr.NewInvalid("file", "表格中没有数据行", "The sheet has no data rows")
	}
	return rs, nums, rowErrs, nil
}

var savedFieldRE = regexp.MustCompile(`^regions\[(\d+)\]\.(.+)$`)

// importRegions reads a sheet and saves its regions, all or none. Row problems come back
// as rowErrs (nothing is then written); other failures as err.
func (s *Server) importRegions(ctx context.Context, p auth.Principal, f io.Reader) (created, updated int, rowErrs []xlsx.RowError, err error) {
	rs, nums, rowErrs, err := readRegionSheet(f)
	if err != nil {
		return 0, 0, nil, err
	}
	if len(rowErrs) == 0 {
		created, updated, err = s.db.SaveRegions(ctx, p, rs)
		if err == nil {
			return created, updated, nil, nil
		}
	} else {
		// Report the cells' own problems along with those of the sheet as a whole.
		var ps apperr.Problems
		for i := range rs {
			c := rs[i]
			if e, ok := apperr.As(c.Validate()); ok {
				for _, pr := range e.Problems {
					ps.Add(fmt.Sprintf("regions[%d].%s", i, pr.Field), pr.Message, pr.MessageEN)
				}
			}
		}
		err = ps.Err()
	}
	if err != nil {
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.Invalid {
			return 0, 0, nil, err
		}
		for _, pr := range e.Problems {
			row, field := 0, pr.Field
			if m := savedFieldRE.FindStringSubmatch(pr.Field); m != nil {
				if i, aerr := strconv.Atoi(m[1]); aerr == nil && i < len(nums) {
					row, field = nums[i], m[2]
				}
			}
			rowErrs = append(rowErrs, xlsx.RowError{Row: row, Field: field, Message: pr.Message, MessageEN: pr.MessageEN})
		}
	}
	slices.SortStableFunc(rowErrs, func(a, b xlsx.RowError) int { return a.Row - b.Row })
	return 0, 0, rowErrs, nil
}

// --- shared by parks and departments ---

// checkPhone records a problem with a phone number that is not empty and not valid.
func checkPhone(ps *apperr.Problems, field, phone string) {
	if phone = strings.TrimSpace(phone); phone != "" && !auth.PhoneRE.MatchString(phone) {
		ps.Add(field, "电话号码格式不正确,例如 13800000000 或 0573-88888888", "The phone number is not valid, e.g. 13800000000 or 0573-88888888")
	}
}

// mergeInvalid adds the problems of err (from a Validate) to ps and returns them as one
// Invalid error; an error of another kind is returned as is.
func mergeInvalid(ps apperr.Problems, err error) error {
	if err != nil {
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.Invalid {
			return err
		}
		ps = append(ps, e.Problems...)
	}
	return ps.Err()
}

// formID reads the optional id of an object a form edits: 0 for a new one. A malformed
// id is not found.
func formID(v, what string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" || v == "0" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NewNotFound(what)
	}
	return id, nil
}

// listFilter is the region filter, search and page of the parks and departments lists.
type listFilter struct {
	Region string
	Q      string
	Page   list.Page
}

func listFilterOf(r *http.Request) listFilter {
	q := r.URL.Query()
	return listFilter{Region: normCode(q.Get("region")), Q: strings.TrimSpace(q.Get("q")), Page: pageOf(r)}
}

func setStr(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}
