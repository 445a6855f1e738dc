package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/assign"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/roster"
)

// Assignments are the 包保 officials answerable for the enterprises, the coverage of the
// policy's duties, an official's own enterprises and their visits (assignments.go,
// visits.go).
type Assignments struct{ s *Store }

// Assignments returns the assignments' handle.
func (s *Store) Assignments() *Assignments { return &s.assignments }

const assignmentCols = `a.id, a.enterprise_id, e.name, e.uscc, e.region_code, COALESCE(r.name, ''), a.duty, COALESCE(a.user_id, 0),
	COALESCE(u.username, ''), a.name, a.phone, a.unit, a.starts_on, a.ends_on, a.created_at`

const assignmentFrom = ` FROM assignments a JOIN enterprises e ON e.id = a.enterprise_id
	LEFT JOIN regions r ON r.code = e.region_code LEFT JOIN users u ON u.id = a.user_id`

func scanAssignment(sc interface{ Scan(...any) error }) (assign.Assignment, error) {
	var a assign.Assignment
	err := sc.Scan(&a.ID, &a.EnterpriseID, &a.EnterpriseName, &a.USCC, &a.RegionCode, &a.RegionName, &a.Duty, &a.UserID,
		&a.Username, &a.Name, &a.Phone, &a.Unit, &a.StartsOn, &a.EndsOn, &a.CreatedAt)
	return a, err
}

// today is the day in the policy's time zone.
func (s *Store) today() string { return roster.FormatDate(s.DB.Now(), s.pol.Location()) }

// assignmentWhere selects the assignments the principal may see: those of enterprises in
// scope, and the principal's own.
func (h *Assignments) assignmentWhere(ctx context.Context, p auth.Principal, f assign.Filter) (where, error) {
	var scope where
	if err := h.s.DB.enterpriseScope(ctx, p, &scope); err != nil {
		return where{}, err
	}
	var w where
	if len(scope.conds) > 0 {
		w.add("(("+strings.Join(scope.conds, " AND ")+") OR a.user_id = ?)", append(scope.args, p.UserID)...)
	}
	w.add("a.removed_at IS NULL")
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + likeEscape(q) + "%"
		w.add(`(e.name LIKE ? ESCAPE '\' OR a.name LIKE ? ESCAPE '\' OR a.phone LIKE ? ESCAPE '\' OR u.username LIKE ? ESCAPE '\')`, like, like, like, like)
	}
	if f.Region != "" {
		regionCond(&w, "e.region_code", f.Region)
	}
	if f.Enterprise != 0 {
		w.add("a.enterprise_id = ?", f.Enterprise)
	}
	if f.Duty != "" {
		w.add("a.duty = ?", f.Duty)
	}
	if f.UserID != 0 {
		w.add("a.user_id = ?", f.UserID)
	}
	if f.Current {
		day := h.s.today()
		w.add("a.starts_on <= ? AND (a.ends_on = '' OR a.ends_on >= ?)", day, day)
	}
	return w, nil
}

// List lists one page of the assignments the principal may see.
func (h *Assignments) List(ctx context.Context, p auth.Principal, f assign.Filter) ([]assign.Assignment, int, error) {
	w, err := h.assignmentWhere(ctx, p, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := h.s.DB.queryRow(ctx, `SELECT COUNT(*)`+assignmentFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := h.query(ctx, `SELECT `+assignmentCols+assignmentFrom+w.sql()+` ORDER BY e.name, a.enterprise_id, a.duty, a.id`+limit(f.Page), w.args...)
	return out, total, err
}

// All lists every assignment the principal may see matching the filter (its page
// ignored), for exports.
func (h *Assignments) All(ctx context.Context, p auth.Principal, f assign.Filter) ([]assign.Assignment, error) {
	w, err := h.assignmentWhere(ctx, p, f)
	if err != nil {
		return nil, err
	}
	return h.query(ctx, `SELECT `+assignmentCols+assignmentFrom+w.sql()+` ORDER BY e.name, a.enterprise_id, a.duty, a.id`, w.args...)
}

func (h *Assignments) query(ctx context.Context, q string, args ...any) ([]assign.Assignment, error) {
	rows, err := h.s.DB.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []assign.Assignment{}
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Get returns one assignment the principal may see.
func (h *Assignments) Get(ctx context.Context, p auth.Principal, id int64) (assign.Assignment, error) {
	w, err := h.assignmentWhere(ctx, p, assign.Filter{})
	if err != nil {
		return assign.Assignment{}, err
	}
	w.add("a.id = ?", id)
	a, err := scanAssignment(h.s.DB.queryRow(ctx, `SELECT `+assignmentCols+assignmentFrom+w.sql(), w.args...))
	return a, notFound(err, "包保安排")
}

// Add assigns officials, all or none: a problem of the i-th names its field
// assignments[i].field. Enterprises are named by id or credit code and must be in the
// actor's scope; an official is an account (by id or user name) of an official's role, or
// a named contact.
func (h *Assignments) Add(ctx context.Context, p auth.Principal, as []assign.Assignment) ([]assign.Assignment, error) {
	s := h.s
	if !assign.MayManage(p.Role) {
		return nil, apperr.NewForbidden()
	}
	if len(as) == 0 {
		return nil, apperr.NewInvalid("assignments", "请至少填写一条包保安排", "Give at least one assignment")
	}
	today := s.today()
	var ps apperr.Problems
	field := func(i int, f string) string { return fmt.Sprintf("assignments[%d].%s", i, f) }
	for i := range as {
		for _, pr := range as[i].Validate(s.pol.Duties, today, s.pol.Location()) {
			ps.Add(field(i, pr.Field), pr.Message, pr.MessageEN)
		}
	}
	invalid := ps
	var scope where
	if err := s.DB.enterpriseScope(ctx, p, &scope); err != nil {
		return nil, err
	}
	var ids []int64
	err := s.DB.write(ctx, func(tx *txn) error {
		ids = ids[:0]
		// Every problem at once: those of the fields, then those of the database.
		ps := slices.Clone(invalid)
		for i := range as {
			a := &as[i]
			if err := tx.resolveAssignment(scope, a); err != nil {
				if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
					for _, pr := range e.Problems {
						f := field(i, pr.Field)
						if !slices.ContainsFunc(ps, func(q apperr.Problem) bool { return q.Field == f }) {
							ps.Add(f, pr.Message, pr.MessageEN)
						}
					}
					continue
				}
				return err
			}
		}
		if err := ps.Err(); err != nil {
			return err
		}
		for _, a := range as {
			id, err := tx.insertID(`INSERT INTO assignments (enterprise_id, duty, user_id, name, phone, unit, starts_on, ends_on, created_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.EnterpriseID, a.Duty, nullID(a.UserID), a.Name, a.Phone, a.Unit, a.StartsOn, a.EndsOn,
				nullID(p.UserID), tx.now())
			if err != nil {
				return err
			}
			ids = append(ids, id)
			if err := tx.audit(p, "assignment.create", "enterprise", a.EnterpriseID, map[string]any{"assignment_id": id, "duty": a.Duty,
				"user_id": a.UserID, "name": a.Name, "starts_on": a.StartsOn, "ends_on": a.EndsOn}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]assign.Assignment, 0, len(ids))
	for _, id := range ids {
		a, err := h.Get(ctx, p, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// resolveAssignment finds, inside tx, the enterprise (in scope) and the account of an
// assignment, fills the name and phone from the account when not given, and refuses the
// same person twice in one duty of one enterprise at once.
func (tx *txn) resolveAssignment(scope where, a *assign.Assignment) error {
	var ps apperr.Problems
	w := scope.clone()
	if a.EnterpriseID != 0 {
		w.add("e.id = ?", a.EnterpriseID)
	} else {
		w.add("e.uscc = ?", enterprise.NormalizeUSCC(a.USCC))
	}
	err := tx.queryRow(`SELECT e.id, e.name FROM enterprises e`+w.sql(), w.args...).Scan(&a.EnterpriseID, &a.EnterpriseName)
	switch {
	case isNoRows(err) && a.USCC != "" && a.EnterpriseID == 0:
		ps.Add("uscc", "您的辖区内没有统一社会信用代码为 "+a.USCC+" 的企业", "No enterprise in your scope has the credit code "+a.USCC)
	case isNoRows(err):
		ps.Add("enterprise_id", "未找到该企业,或不在您的辖区内", "No such enterprise in your scope")
	case err != nil:
		return err
	}
	if a.UserID != 0 || a.Username != "" {
		var u auth.User
		if a.UserID != 0 {
			u, err = scanUser(tx.queryRow(`SELECT `+userCols+` FROM users WHERE id = ?`, a.UserID))
		} else {
			u, err = scanUser(tx.queryRow(`SELECT `+userCols+` FROM users WHERE username = ?`, a.Username))
		}
		switch {
		case isNoRows(err):
			ps.Add("user_id", "没有这个账号:"+cmpOr(a.Username, fmt.Sprint(a.UserID)), "No such account: "+cmpOr(a.Username, fmt.Sprint(a.UserID)))
		case err != nil:
			return err
		case u.Disabled || !slices.Contains(assign.Officials, u.Role):
			ps.Add("user_id", "只能安排启用中的政府人员账号(指挥部、部门、镇街、网格):"+u.Username,
				"Only enabled accounts of officials (command, department, town, grid) can be assigned: "+u.Username)
		default:
			a.UserID, a.Username = u.ID, u.Username
			if a.Name == "" {
				a.Name = cmpOr(u.DisplayName, u.Username)
			}
			if a.Phone == "" {
				a.Phone = u.Phone
			}
		}
	}
	if len(ps) == 0 {
		var n int
		who, arg := "a.name = ? AND a.user_id IS NULL", any(a.Name)
		if a.UserID != 0 {
			who, arg = "a.user_id = ?", a.UserID
		}
		if err := tx.queryRow(`SELECT COUNT(*) FROM assignments a WHERE a.removed_at IS NULL AND a.enterprise_id = ? AND a.duty = ? AND `+who+`
			AND a.starts_on <= ? AND (a.ends_on = '' OR a.ends_on >= ?)`, a.EnterpriseID, a.Duty, arg, cmpOr(a.EndsOn, "9999-12-31"), a.StartsOn).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			ps.Add("duty", a.Name+" 已在这段时间承担该企业的这项包保职责", a.Name+" already holds this duty for the enterprise in that period")
		}
	}
	return ps.Err()
}

// AssignAll assigns one official in one duty to every enterprise in scope matching the
// filter (all enterprises of a village to its secretary), skipping those where the
// official already holds the duty then. It answers how many were assigned and skipped.
func (h *Assignments) AssignAll(ctx context.Context, p auth.Principal, f enterprise.Filter, tmpl assign.Assignment) (created, skipped int, err error) {
	var ids []int64
	if err := h.s.DB.EachEnterprise(ctx, p, f, func(e enterprise.Enterprise) error {
		ids = append(ids, e.ID)
		return nil
	}); err != nil {
		return 0, 0, err
	}
	if err := assign.CheckBatch(len(ids)); err != nil {
		return 0, 0, err
	}
	var as []assign.Assignment
	for _, id := range ids {
		a := tmpl
		a.ID, a.EnterpriseID, a.USCC = 0, id, ""
		held, err := h.holds(ctx, a)
		if err != nil {
			return 0, 0, err
		}
		if held {
			skipped++
			continue
		}
		as = append(as, a)
	}
	if len(as) == 0 {
		return 0, skipped, nil
	}
	out, err := h.Add(ctx, p, as)
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid && len(e.Problems) > 0 {
			// Every item is the same official and duty: report its problem once, by its field.
			pr := e.Problems[0]
			if i := strings.LastIndex(pr.Field, "."); i >= 0 {
				pr.Field = pr.Field[i+1:]
			}
			return 0, 0, apperr.Problems{pr}.Err()
		}
		return 0, 0, err
	}
	return len(out), skipped, nil
}

// holds reports whether the official of a (by account or name) already holds its duty for
// its enterprise on its start.
func (h *Assignments) holds(ctx context.Context, a assign.Assignment) (bool, error) {
	who, arg := "name = ? AND user_id IS NULL", any(strings.TrimSpace(a.Name))
	switch {
	case a.UserID != 0:
		who, arg = "user_id = ?", a.UserID
	case a.Username != "":
		who, arg = "user_id = (SELECT id FROM users WHERE username = ?)", a.Username
	}
	day := cmpOr(strings.TrimSpace(a.StartsOn), h.s.today())
	var n int
	err := h.s.DB.queryRow(ctx, `SELECT COUNT(*) FROM assignments WHERE removed_at IS NULL AND enterprise_id = ? AND duty = ? AND `+who+`
		AND (ends_on = '' OR ends_on >= ?)`, a.EnterpriseID, strings.TrimSpace(a.Duty), arg, day).Scan(&n)
	return n > 0, err
}

// Remove withdraws an assignment of an enterprise in the actor's scope; its row stays for
// the record.
func (h *Assignments) Remove(ctx context.Context, p auth.Principal, id int64) (assign.Assignment, error) {
	s := h.s
	if !assign.MayManage(p.Role) {
		return assign.Assignment{}, apperr.NewForbidden()
	}
	var scope where
	if err := s.DB.enterpriseScope(ctx, p, &scope); err != nil {
		return assign.Assignment{}, err
	}
	scope.add("a.id = ?", id)
	scope.add("a.removed_at IS NULL")
	a, err := scanAssignment(s.DB.queryRow(ctx, `SELECT `+assignmentCols+assignmentFrom+scope.sql(), scope.args...))
	if err != nil {
		return a, notFound(err, "包保安排")
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		res, err := tx.exec(`UPDATE assignments SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL`, tx.now(), nullID(p.UserID), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewNotFound("包保安排")
		}
		return tx.audit(p, "assignment.remove", "enterprise", a.EnterpriseID, map[string]any{"assignment_id": id, "duty": a.Duty,
			"user_id": a.UserID, "name": a.Name})
	})
	return a, err
}

// heldOn returns, for each enterprise in scope, the duties held by assignments in force
// on day.
func (db *DB) heldOn(ctx context.Context, day string, scope where) (map[int64][]string, error) {
	w := scope.clone()
	w.add("a.removed_at IS NULL AND a.starts_on <= ? AND (a.ends_on = '' OR a.ends_on >= ?)", day, day)
	rows, err := db.query(ctx, `SELECT DISTINCT a.enterprise_id, a.duty FROM assignments a JOIN enterprises e ON e.id = a.enterprise_id`+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var duty string
		if err := rows.Scan(&id, &duty); err != nil {
			return nil, err
		}
		out[id] = append(out[id], duty)
	}
	return out, rows.Err()
}

// Coverage is 「不漏一户、不落一企」 over the enterprises in scope matching the filter:
// those missing a duty the policy requires today, counted by the grouping.
func (h *Assignments) Coverage(ctx context.Context, p auth.Principal, by assign.Grouping, f enterprise.Filter) (assign.Coverage, error) {
	s := h.s
	var scope where
	if err := s.DB.enterpriseScope(ctx, p, &scope); err != nil {
		return assign.Coverage{}, err
	}
	held, err := s.DB.heldOn(ctx, s.today(), scope)
	if err != nil {
		return assign.Coverage{}, err
	}
	var subjects []assign.Subject
	if err := s.DB.EachEnterprise(ctx, p, f, func(e enterprise.Enterprise) error {
		if e.Status == enterprise.Closed {
			return nil
		}
		subjects = append(subjects, assign.Subject{Enterprise: e, Held: held[e.ID]})
		return nil
	}); err != nil {
		return assign.Coverage{}, err
	}
	names, err := h.groupNames(ctx, by, subjects)
	if err != nil {
		return assign.Coverage{}, err
	}
	return assign.Tally(s.pol.Duties, by, subjects, func(k string) string { return names[k] }), nil
}

// groupNames names the groups' keys: regions' and parks' names, categories' from the policy.
func (h *Assignments) groupNames(ctx context.Context, by assign.Grouping, subjects []assign.Subject) (map[string]string, error) {
	names := map[string]string{}
	switch by {
	case assign.ByCategory:
		for _, c := range h.s.pol.Categories {
			names[c.Code] = c.Name
		}
		return names, nil
	case assign.ByPark:
		for _, sub := range subjects {
			if e := sub.Enterprise; e.ParkID != 0 {
				names[assign.GroupKey(by, e)] = e.ParkName
			}
		}
		return names, nil
	}
	for _, sub := range subjects {
		k := assign.GroupKey(by, sub.Enterprise)
		if _, ok := names[k]; ok {
			continue
		}
		var n string
		err := h.s.DB.queryRow(ctx, `SELECT name FROM regions WHERE code = ?`, k).Scan(&n)
		if err != nil && err != sql.ErrNoRows {
			return nil, err
		}
		names[k] = n
	}
	return names, nil
}
