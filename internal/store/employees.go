package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/idnum"
	"fugong/internal/list"
	"fugong/internal/pass"
	"fugong/internal/roster"
)

const employeeCols = `m.id, m.enterprise_id, COALESCE(e.name, ''), m.name, m.id_sealed, m.id_masked, m.phone, m.department, m.origin,
	m.home_address, m.return_date, m.transport, m.journey_hours, m.trajectory, m.contact_history, m.cohabitants_health,
	m.dorm_room, m.isolation_room, m.left_at, m.version, m.created_at, m.updated_at, m.cert_sha256`

const employeeFrom = ` FROM employees m JOIN enterprises e ON e.id = m.enterprise_id`

func (s *Store) scan(sc interface{ Scan(...any) error }, open bool) (roster.Employee, error) {
	var m roster.Employee
	var sealed, ret, cert string
	var left *time.Time
	err := sc.Scan(&m.ID, &m.EnterpriseID, &m.EnterpriseName, &m.Name, &sealed, &m.IDMasked, &m.Phone, &m.Department, &m.Origin,
		&m.HomeAddress, &ret, &m.Transport, &m.JourneyHours, &m.Trajectory, &m.ContactHistory, &m.CohabitantsHealth,
		&m.DormRoom, &m.IsolationRoom, &left, &m.Version, &m.CreatedAt, &m.UpdatedAt, &cert)
	if err != nil {
		return m, err
	}
	m.HasCertificate = cert != ""
	m.ReturnDate, _ = roster.ParseDate(ret, s.pol.Location())
	if left != nil {
		l := left.UTC()
		m.LeftAt = &l
	}
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	if open {
		if m.IDNumber, err = s.box.Open(sealed); err != nil {
			return m, fmt.Errorf("employee %d: open ID number: %w", m.ID, err)
		}
	}
	return m, nil
}

// where builds the scope and filter conditions (not the phase).
func (s *Store) where(ctx context.Context, actor auth.Principal, f roster.Filter) (where, error) {
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return w, err
	}
	if f.EnterpriseID != 0 {
		w.add("m.enterprise_id = ?", f.EnterpriseID)
	}
	if f.WithoutPass {
		w.add("NOT EXISTS (SELECT 1 FROM passes p WHERE p.employee_id = m.id AND p.status <> ?)", pass.Revoked)
	}
	if f.NoticeInForce {
		w.add("EXISTS (SELECT 1 FROM notices n WHERE n.enterprise_id = m.enterprise_id AND n.revoked_at IS NULL AND n.suspended_at IS NULL)")
	}
	switch f.Certificate {
	case roster.CertificateMissing:
		w.add("m.cert_sha256 = ''")
	case roster.CertificatePresent:
		w.add("m.cert_sha256 <> ''")
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		if id := idnum.Normalize(q); idnum.Validate(id) == nil {
			w.add("m.id_index = ?", s.box.Index(id))
		} else {
			like := "%" + likeEscape(q) + "%"
			w.add(`(m.name LIKE ? ESCAPE '\' OR m.phone LIKE ? ESCAPE '\' OR m.department LIKE ? ESCAPE '\')`, like, like, like)
		}
	}
	return w, nil
}

func (s *Store) status(e roster.Employee, now time.Time) roster.Status {
	return roster.Clock(s.pol, e, now)
}

// List returns one page of the employees in scope matching the filter, how many match,
// and the clock's counts over all that match (whatever the phase filter). The counts are
// one GROUP BY over the stored clocks (clock.go), the phase filter a condition and the
// page LIMIT/OFFSET; the clock (and its reason) is computed only for the page's rows.
func (h *Roster) List(ctx context.Context, actor auth.Principal, f roster.Filter) ([]roster.Item, int, roster.Counts, error) {
	s := h.s
	var counts roster.Counts
	if !actor.Can(auth.RosterView) {
		return nil, 0, counts, apperr.NewForbidden()
	}
	w, err := s.where(ctx, actor, f)
	if err != nil {
		return nil, 0, counts, err
	}
	if _, err := s.refreshClocks(ctx); err != nil {
		return nil, 0, counts, err
	}
	_, tomorrow := s.clockDays(s.DB.Now())
	if strings.TrimSpace(f.Q) == "" && f.Certificate == "" {
		// No filter on the people: the counts of their enterprises add up.
		if counts, err = s.summedCounts(ctx, actor, f.EnterpriseID, tomorrow); err != nil {
			return nil, 0, counts, err
		}
		total := counts.Of(f.Phase)
		if total == 0 {
			return nil, 0, counts, nil
		}
		out, err := s.page(ctx, w, f)
		return out, total, counts, err
	}
	rows, err := s.DB.query(ctx, `SELECT m.phase, COUNT(*), COALESCE(SUM(CASE WHEN m.phase_next = ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN m.journey_too_long = TRUE THEN 1 ELSE 0 END), 0)`+employeeFrom+w.sql()+` GROUP BY m.phase`,
		append([]any{tomorrow}, w.args...)...)
	if err != nil {
		return nil, 0, counts, err
	}
	for rows.Next() {
		var phase string
		var n, clearedTomorrow, long int
		if err := rows.Scan(&phase, &n, &clearedTomorrow, &long); err != nil {
			rows.Close()
			return nil, 0, counts, err
		}
		counts.AddStored(roster.Phase(phase), n, clearedTomorrow, long)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, counts, err
	}
	total := counts.Of(f.Phase)
	if total == 0 {
		return nil, 0, counts, nil
	}
	out, err := s.page(ctx, w, f)
	return out, total, counts, err
}

// Items returns one page of the employees in scope matching the filter, without counting
// them (a page that shows a few people to choose from).
func (h *Roster) Items(ctx context.Context, actor auth.Principal, f roster.Filter) ([]roster.Item, error) {
	s := h.s
	if !actor.Can(auth.RosterView) {
		return nil, apperr.NewForbidden()
	}
	w, err := s.where(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	if _, err := s.refreshClocks(ctx); err != nil {
		return nil, err
	}
	return s.page(ctx, w, f)
}

// page reads one page of the employees matching w and the filter's phase, newest first.
func (s *Store) page(ctx context.Context, w where, f roster.Filter) ([]roster.Item, error) {
	if f.Phase != "" {
		w.add("m.phase = ?", string(f.Phase))
	}
	rows, err := s.DB.query(ctx, `SELECT `+employeeCols+employeeFrom+w.sql()+` ORDER BY m.id DESC`+limit(f.Page), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.DB.Now()
	var out []roster.Item
	for rows.Next() {
		e, err := s.scan(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, roster.Item{Employee: e, Status: s.status(e, now)})
	}
	return out, rows.Err()
}

// Each calls fn for every employee in scope matching the filter (ignoring its page), for
// exports, one row at a time as the database gives them. The ID number is opened only
// when full is set.
func (h *Roster) Each(ctx context.Context, actor auth.Principal, f roster.Filter, full bool, fn func(roster.Item) error) error {
	s := h.s
	if !actor.Can(auth.RosterView) || full && !actor.Can(auth.RosterEdit) {
		return apperr.NewForbidden()
	}
	w, err := s.where(ctx, actor, f)
	if err != nil {
		return err
	}
	if _, err := s.refreshClocks(ctx); err != nil {
		return err
	}
	if f.Phase != "" {
		w.add("m.phase = ?", string(f.Phase))
	}
	rows, err := s.DB.query(ctx, `SELECT `+employeeCols+employeeFrom+w.sql()+` ORDER BY m.id`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	now := s.DB.Now()
	for rows.Next() {
		e, err := s.scan(rows, full)
		if err != nil {
			return err
		}
		if err := fn(roster.Item{Employee: e, Status: s.status(e, now)}); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditFullExport lets an export carry the full ID numbers of the employees matching f
// (ignoring its page): only roster.edit may, with an enterprise filter in its scope. It
// records in the audit trail who exports how many full numbers, before any leaves, and
// returns that number; the export then reads them with Each(…, full=true).
func (h *Roster) AuditFullExport(ctx context.Context, actor auth.Principal, f roster.Filter) (int, error) {
	s := h.s
	if !actor.Can(auth.RosterView) || !actor.Can(auth.RosterEdit) {
		return 0, &apperr.Error{Kind: apperr.Forbidden,
			Message:   "只有有权编辑花名册的人员可以导出完整身份证号;请取消勾选「完整身份证号」后导出(号码将脱敏)",
			MessageEN: "Only those who may edit the roster can export full ID numbers; export without \"full ID numbers\" (they are masked)"}
	}
	if f.EnterpriseID != 0 {
		if err := s.enterpriseInScope(ctx, actor, f.EnterpriseID); err != nil {
			return 0, err
		}
	}
	f.Page = list.Page{Number: 1, Size: 1}
	_, n, _, err := s.Roster().List(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	sum := map[string]any{"full_id_numbers": n}
	if f.EnterpriseID != 0 {
		sum["enterprise_id"] = f.EnterpriseID
	}
	if f.Phase != "" {
		sum["phase"] = string(f.Phase)
	}
	if f.Q != "" {
		sum["search"] = true // what was searched may be a person's number: not recorded
	}
	if f.Certificate != "" {
		sum["certificate"] = f.Certificate
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		return tx.audit(actor, "roster.export_full", "roster", f.EnterpriseID, sum)
	})
	return n, err
}

// Get returns an employee of an enterprise in scope with the clock's status; one outside
// the scope is not found. The plain ID number is filled in.
func (h *Roster) Get(ctx context.Context, actor auth.Principal, id int64) (roster.Item, error) {
	s := h.s
	if !actor.Can(auth.RosterView) {
		return roster.Item{}, apperr.NewForbidden()
	}
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return roster.Item{}, err
	}
	w.add("m.id = ?", id)
	e, err := s.scan(s.DB.queryRow(ctx, `SELECT `+employeeCols+employeeFrom+w.sql(), w.args...), true)
	if err != nil {
		return roster.Item{}, notFound(err, "员工")
	}
	return roster.Item{Employee: e, Status: s.status(e, s.DB.Now())}, nil
}

// enterpriseInScope checks that the enterprise exists in the actor's scope.
func (s *Store) enterpriseInScope(ctx context.Context, actor auth.Principal, id int64) error {
	if id == 0 {
		return apperr.NewInvalid("enterprise_id", "请选择企业", "Choose the enterprise")
	}
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return err
	}
	w.add("e.id = ?", id)
	var n int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM enterprises e`+w.sql(), w.args...).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return apperr.NewNotFound("企业")
	}
	return nil
}

func employeeSummary(e roster.Employee, loc *time.Location) map[string]any {
	return map[string]any{"name": e.Name, "id_masked": idnum.Mask(e.IDNumber), "enterprise_id": e.EnterpriseID,
		"origin": e.Origin, "return_date": roster.FormatDate(e.ReturnDate, loc)}
}

// checkRooms checks, inside tx, the dormitory and isolation rooms of e against the
// others living there.
func (s *Store) checkRooms(tx *txn, e roster.Employee, ps *apperr.Problems) error {
	if e.LeftAt != nil {
		return nil
	}
	if e.DormRoom == "" && e.IsolationRoom == "" {
		return nil
	}
	// Room checks of one enterprise take turns, so two people cannot both take its last bed.
	if err := lockRooms(tx, e.EnterpriseID); err != nil {
		return err
	}
	now := tx.now()
	isolating := s.status(e, now).Phase == roster.Isolating
	if e.DormRoom != "" {
		rows, err := tx.query(`SELECT id, name, origin, return_date, journey_hours FROM employees
			WHERE enterprise_id = ? AND dorm_room = ? AND id <> ? AND left_at IS NULL`, e.EnterpriseID, e.DormRoom, e.ID)
		if err != nil {
			return err
		}
		var occ []roster.Occupant
		for rows.Next() {
			var o roster.Employee
			var ret string
			if err := rows.Scan(&o.ID, &o.Name, &o.Origin, &ret, &o.JourneyHours); err != nil {
				rows.Close()
				return err
			}
			o.ReturnDate, _ = roster.ParseDate(ret, s.pol.Location())
			occ = append(occ, roster.Occupant{ID: o.ID, Name: o.Name, Isolating: s.status(o, now).Phase == roster.Isolating})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if p := roster.CanAssignRoom(s.pol, e.DormRoom, roster.Occupant{ID: e.ID, Name: e.Name, Isolating: isolating}, occ); p != nil {
			ps.Add(p.Field, p.Message, p.MessageEN)
		}
	}
	if e.IsolationRoom != "" {
		rows, err := tx.query(`SELECT id, name FROM employees WHERE enterprise_id = ? AND isolation_room = ? AND id <> ? AND left_at IS NULL ORDER BY id`,
			e.EnterpriseID, e.IsolationRoom, e.ID)
		if err != nil {
			return err
		}
		var occ []roster.Occupant
		for rows.Next() {
			var o roster.Occupant
			if err := rows.Scan(&o.ID, &o.Name); err != nil {
				rows.Close()
				return err
			}
			occ = append(occ, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if p := roster.CanIsolate(s.pol, e.IsolationRoom, roster.Occupant{ID: e.ID, Name: e.Name, Isolating: isolating}, occ); p != nil {
			ps.Add(p.Field, p.Message, p.MessageEN)
		}
	}
	return nil
}

// checkDuplicate reports, inside tx, another employee of the enterprise with the same ID number.
func (s *Store) checkDuplicate(tx *txn, e roster.Employee, index string, ps *apperr.Problems) error {
	var other string
	err := tx.queryRow(`SELECT name FROM employees WHERE enterprise_id = ? AND id_index = ? AND id <> ?`, e.EnterpriseID, index, e.ID).Scan(&other)
	switch {
	case err == nil:
		ps.Add("id_number", "该身份证号码已在本企业花名册中("+other+")", "This ID number is already on the enterprise's roster ("+other+")")
	case !isNoRows(err):
		return err
	}
	return nil
}

// Create adds an employee to the roster of an enterprise in the actor's scope.
func (h *Roster) Create(ctx context.Context, actor auth.Principal, e roster.Employee) (roster.Item, error) {
	s := h.s
	if !actor.Can(auth.RosterEdit) {
		return roster.Item{}, apperr.NewForbidden()
	}
	if e.EnterpriseID == 0 && actor.Scope.Kind == auth.ScopeEnterprise {
		e.EnterpriseID = actor.Scope.ID
	}
	if err := s.enterpriseInScope(ctx, actor, e.EnterpriseID); err != nil {
		return roster.Item{}, err
	}
	e.ID = 0
	e.Normalize()
	ps := e.Validate(s.pol)
	loc := s.pol.Location()
	err := s.DB.write(ctx, func(tx *txn) error {
		index := s.box.Index(e.IDNumber)
		if !hasField(ps, "id_number") {
			if err := s.checkDuplicate(tx, e, index, &ps); err != nil {
				return err
			}
		}
		if err := s.checkRooms(tx, e, &ps); err != nil {
			return err
		}
		if err := ps.Err(); err != nil {
			return err
		}
		id, err := tx.insertID(`INSERT INTO employees (`+employeeInsertCols+`) VALUES (`+employeeInsertMarks+`)`, s.insertArgs(e, index, tx.now())...)
		if err != nil {
			return err
		}
		e.ID = id
		if err := tx.recountRoster(e.EnterpriseID); err != nil {
			return err
		}
		var back returners
		back.add(s.pol, e)
		if err := tx.returnersAlert(s.pol, e.EnterpriseID, back); err != nil {
			return err
		}
		return tx.audit(actor, "employee.create", "employee", id, employeeSummary(e, loc))
	})
	if err != nil {
		return roster.Item{}, err
	}
	return s.Roster().Get(ctx, actor, e.ID)
}

const employeeInsertCols = `enterprise_id, name, id_sealed, id_index, id_masked, phone, department, origin, home_address, return_date,
	transport, journey_hours, trajectory, contact_history, cohabitants_health, dorm_room, isolation_room, left_at, version, created_at, updated_at,
	phase, phase_next, journey_too_long`

const employeeInsertMarks = `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?`

func (s *Store) insertArgs(e roster.Employee, index string, now time.Time) []any {
	var left any
	if e.LeftAt != nil {
		left = e.LeftAt.UTC()
	}
	args := []any{e.EnterpriseID, e.Name, s.box.Seal(e.IDNumber), index, idnum.Mask(e.IDNumber), e.Phone, e.Department, e.Origin,
		e.HomeAddress, roster.FormatDate(e.ReturnDate, s.pol.Location()), e.Transport, e.JourneyHours, e.Trajectory,
		e.ContactHistory, e.CohabitantsHealth, e.DormRoom, e.IsolationRoom, left, now, now}
	// The clock's stored form, in the same statement (clock.go).
	return append(args, s.clockArgs(e, now)...)
}

// Update saves the changes of an employee in scope. version, when not zero, must match the
// stored version: a concurrent edit gives a conflict. The enterprise cannot change.
func (h *Roster) Update(ctx context.Context, actor auth.Principal, e roster.Employee, version int) (roster.Item, error) {
	s := h.s
	if !actor.Can(auth.RosterEdit) {
		return roster.Item{}, apperr.NewForbidden()
	}
	old, err := s.Roster().Get(ctx, actor, e.ID)
	if err != nil {
		return roster.Item{}, err
	}
	e.EnterpriseID = old.EnterpriseID
	e.Normalize()
	ps := e.Validate(s.pol)
	loc := s.pol.Location()
	err = s.DB.write(ctx, func(tx *txn) error {
		index := s.box.Index(e.IDNumber)
		if !hasField(ps, "id_number") {
			if err := s.checkDuplicate(tx, e, index, &ps); err != nil {
				return err
			}
		}
		if err := s.checkRooms(tx, e, &ps); err != nil {
			return err
		}
		if err := ps.Err(); err != nil {
			return err
		}
		if version == 0 {
			version = old.Version
		}
		var left any
		if e.LeftAt != nil {
			left = e.LeftAt.UTC()
		}
		res, err := tx.exec(`UPDATE employees SET name = ?, id_sealed = ?, id_index = ?, id_masked = ?, phone = ?, department = ?,
			origin = ?, home_address = ?, return_date = ?, transport = ?, journey_hours = ?, trajectory = ?, contact_history = ?,
			cohabitants_health = ?, dorm_room = ?, isolation_room = ?, left_at = ?, updated_at = ?, version = version + 1,
			phase = ?, phase_next = ?, journey_too_long = ?
			WHERE id = ? AND version = ?`,
			append([]any{e.Name, s.box.Seal(e.IDNumber), index, idnum.Mask(e.IDNumber), e.Phone, e.Department, e.Origin, e.HomeAddress,
				roster.FormatDate(e.ReturnDate, loc), e.Transport, e.JourneyHours, e.Trajectory, e.ContactHistory,
				e.CohabitantsHealth, e.DormRoom, e.IsolationRoom, left, tx.now()}, append(s.clockArgs(e, tx.now()), e.ID, version)...)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return apperr.NewConflict("该员工信息已被他人修改,请刷新后重新编辑", "Someone else changed this employee meanwhile; reload and edit again")
		}
		if err := tx.recountRoster(old.EnterpriseID); err != nil {
			return err
		}
		sum := employeeSummary(e, loc)
		sum["changed"] = changedFields(old.Employee, e, loc)
		return tx.audit(actor, "employee.update", "employee", e.ID, sum)
	})
	if err != nil {
		return roster.Item{}, err
	}
	return s.Roster().Get(ctx, actor, e.ID)
}

// changedFields names the fields that differ (never their personal values).
func changedFields(a, b roster.Employee, loc *time.Location) []string {
	var out []string
	for _, f := range []struct {
		name string
		x, y any
	}{
		{"name", a.Name, b.Name}, {"id_number", a.IDNumber, b.IDNumber}, {"phone", a.Phone, b.Phone},
		{"department", a.Department, b.Department}, {"origin", a.Origin, b.Origin}, {"home_address", a.HomeAddress, b.HomeAddress},
		{"return_date", roster.FormatDate(a.ReturnDate, loc), roster.FormatDate(b.ReturnDate, loc)}, {"transport", a.Transport, b.Transport},
		{"journey_hours", a.JourneyHours, b.JourneyHours}, {"trajectory", a.Trajectory, b.Trajectory},
		{"contact_history", a.ContactHistory, b.ContactHistory}, {"cohabitants_health", a.CohabitantsHealth, b.CohabitantsHealth},
		{"dorm_room", a.DormRoom, b.DormRoom}, {"isolation_room", a.IsolationRoom, b.IsolationRoom},
		{"left_at", a.LeftAt != nil, b.LeftAt != nil},
	} {
		if f.x != f.y {
			out = append(out, f.name)
		}
	}
	return out
}
