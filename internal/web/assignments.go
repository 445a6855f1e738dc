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
	"time"

	"fugong/internal/apperr"
	"fugong/internal/assign"
	"fugong/internal/auth"
	"fugong/internal/dashboard"
	"fugong/internal/enterprise"
	"fugong/internal/input"
	"fugong/internal/policy"
	"fugong/internal/xlsx"
)

// 包保 assignments, coverage, my enterprises and visits: what their pages and API share.

// assignmentColumns are the headers of the assignment sheet, for export and import alike,
// so that an export can be edited and imported again.
var assignmentColumns = []xlsx.Column{
	{Key: "uscc", Header: "统一社会信用代码", Required: true, Text: true, Width: 22},
	{Key: "enterprise", Header: "企业名称", Width: 28},
	{Key: "duty", Header: "包保职责", Required: true, Width: 16},
	{Key: "username", Header: "账号", Width: 14},
	{Key: "name", Header: "姓名", Width: 10},
	{Key: "phone", Header: "电话", Text: true, Width: 14},
	{Key: "unit", Header: "单位/职务", Width: 20},
	{Key: "starts_on", Header: "开始日期", Text: true, Width: 12},
	{Key: "ends_on", Header: "结束日期", Text: true, Width: 12},
}

// maxAssignmentRows bounds one assignment import, which runs within the request.
const maxAssignmentRows = 10000

// assignmentFilter reads the list's filter from the query.
func assignmentFilter(r *http.Request, pol *policy.Policy) (assign.Filter, error) {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	user, _ := strconv.ParseInt(q.Get("user"), 10, 64)
	current, err := input.Flag("current", q.Get("current"))
	f := assign.Filter{Q: strings.TrimSpace(q.Get("q")), Region: normCode(q.Get("region")), Enterprise: ent, Duty: q.Get("duty"),
		UserID: user, Current: current, Page: pageOf(r)}
	codes := make([]string, len(pol.Duties))
	for i, d := range pol.Duties {
		codes[i] = d.Code
	}
	return f, joinErrors(err, input.Join(input.OneOf("duty", f.Duty, codes)))
}

// dutyName is a duty's name in the language, its code when the policy has no such duty.
func dutyName(pol *policy.Policy, lang, code string) string {
	d, ok := pol.Duty(code)
	switch {
	case !ok:
		return code
	case lang == "en" && d.NameEN != "":
		return d.NameEN
	}
	return d.Name
}

// dutyCode reads a duty as written in a sheet: its code or its Chinese or English name.
func dutyCode(pol *policy.Policy, s string) string {
	s = strings.TrimSpace(s)
	for _, d := range pol.Duties {
		if s == d.Code || s == d.Name || strings.EqualFold(s, d.NameEN) {
			return d.Code
		}
	}
	return s
}

// writeAssignments writes the assignments as the sheet that imports them again.
func (s *Server) writeAssignments(w http.ResponseWriter, as []assign.Assignment) error {
	name := fmt.Sprintf("包保安排-%s.xlsx", time.Now().In(s.pol.Location()).Format("20060102-1504"))
	xlsxDownload(w, "assignments.xlsx", name)
	return xlsx.Write(w, "包保安排", assignmentColumns, func(yield func([]any) error) error {
		for _, a := range as {
			if err := yield([]any{a.USCC, a.EnterpriseName, dutyName(s.pol, "zh", a.Duty), a.Username, a.Name, a.Phone, a.Unit,
				a.StartsOn, a.EndsOn}); err != nil {
				return err
			}
		}
		return nil
	})
}

var assignedFieldRE = regexp.MustCompile(`^assignments\[(\d+)\]\.(.+)$`)

// importAssignments reads a sheet and saves its assignments, all or none. Row problems
// come back as rowErrs (nothing is then written); other failures as err.
func (s *Server) importAssignments(ctx context.Context, p auth.Principal, f io.Reader) (created int, rowErrs []xlsx.RowError, err error) {
	var as []assign.Assignment
	var nums []int
	errTooMany := apperr.NewInvalid("file", fmt.Sprintf("表格行数过多:一次最多导入 %d 行,请分批导入", maxAssignmentRows),
		fmt.Sprintf("Too many rows: import at most %d rows at a time, in several files", maxAssignmentRows))
	err = xlsx.Read(f, assignmentColumns, func(row xlsx.Row) error {
		if len(as) >= maxAssignmentRows {
			return errTooMany
		}
		v := row.Values
		as = append(as, assign.Assignment{USCC: v["uscc"], Duty: dutyCode(s.pol, v["duty"]), Username: v["username"], Name: v["name"],
			Phone: v["phone"], Unit: v["unit"], StartsOn: v["starts_on"], EndsOn: v["ends_on"]})
		nums = append(nums, row.Num)
		return nil
	}, nil)
	if err != nil {
		return 0, nil, sheetError(err)
	}
	if len(as) == 0 {
		return 0, nil, apperr.NewInvalid("file", "表格中没有数据行", "The sheet has no data rows")
	}
	saved, err := s.db.Assignments().Add(ctx, p, as)
	if err == nil {
		return len(saved), nil, nil
	}
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		return 0, nil, err
	}
	for _, pr := range e.Problems {
		row, field := 0, pr.Field
		if m := assignedFieldRE.FindStringSubmatch(pr.Field); m != nil {
			if i, aerr := strconv.Atoi(m[1]); aerr == nil && i < len(nums) {
				row, field = nums[i], m[2]
			}
		}
		rowErrs = append(rowErrs, xlsx.RowError{Row: row, Field: field, Message: pr.Message, MessageEN: pr.MessageEN})
	}
	slices.SortStableFunc(rowErrs, func(a, b xlsx.RowError) int { return a.Row - b.Row })
	return 0, rowErrs, nil
}

// coverageQuery reads the coverage's grouping (by default one level below the region it
// looks at: assign.DefaultGrouping) and the enterprises it looks at.
func coverageQuery(r *http.Request, pol *policy.Policy) (assign.Grouping, enterprise.Filter, error) {
	by := r.URL.Query().Get("by")
	var bad error
	if by != "" && !assign.ValidGrouping(by) {
		bad = input.Join(input.OneOf("by", by, assign.Groupings))
	}
	f, err := enterpriseFilter(r, pol)
	if by == "" {
		by = string(assign.DefaultGrouping(principal(r).Scope, f.Region))
	}
	return assign.Grouping(by), f, joinErrors(bad, err)
}

// visitFilter reads the visit log's filter from the query; mine=true keeps the caller's own.
func visitFilter(r *http.Request) (assign.VisitFilter, error) {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	mine, err := input.Flag("mine", q.Get("mine"))
	f := assign.VisitFilter{Enterprise: ent, Kind: q.Get("kind"), Page: pageOf(r)}
	if mine {
		f.UserID = principal(r).UserID
	}
	return f, joinErrors(err, input.Join(input.OneOf("kind", f.Kind, assign.VisitKinds)))
}

// responsibilitySection is the dashboard's 包保 figures: the enterprises of the filter
// missing a duty the policy requires and those nobody answers for (不漏一户、不落一企), and
// the alerts waiting for the caller's acknowledgement.
func (s *Server) responsibilitySection(r *http.Request, p auth.Principal, f dashboard.Filter) (dashboard.Section, bool, error) {
	if !p.Can(auth.AssignView) && !p.Can(auth.AlertsView) {
		return dashboard.Section{}, false, nil
	}
	ctx := r.Context()
	sec := dashboard.Section{Key: "responsibility", Title: "包保责任", TitleEN: "Responsibility (包保)"}
	if p.Can(auth.AssignView) && f.Unit == "" {
		c, err := s.db.Assignments().Coverage(ctx, p, assign.ByTown, enterprise.Filter{Region: f.Region, ParkID: f.ParkID, Category: f.Category})
		if err != nil {
			return sec, false, err
		}
		sec.Items = append(sec.Items,
			dashboard.Item{Label: "缺少应有包保人员的企业", LabelEN: "Enterprises missing a required duty", Value: len(c.Gaps), Link: "/coverage", Warn: true},
			dashboard.Item{Label: "无人包保的企业", LabelEN: "Enterprises nobody answers for", Value: c.Nobody, Link: "/coverage", Warn: true})
	}
	if p.Can(auth.AlertsView) {
		n, err := s.db.Alerts().OpenCount(ctx, p)
		if err != nil {
			return sec, false, err
		}
		sec.Items = append(sec.Items, dashboard.Item{Label: "待确认的预警", LabelEN: "Alerts to acknowledge", Value: n, Link: "/alerts", Warn: true})
	}
	return sec, len(sec.Items) > 0, nil
}

// responsibilityLinks are an enterprise's 包保 officials, visits and requests on its one view.
func responsibilityLinks(id string) []dashCrumb {
	return []dashCrumb{
		{Name: "包保 officials", Link: "/assignments?enterprise=" + id},
		{Name: "Requests", Link: "/requests?enterprise=" + id},
	}
}
