package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/roster"
	"fugong/internal/sign"
)

// Reading is one temperature reading to record: the person by employee id or by the
// token of the pass.
type Reading struct {
	EmployeeID  int64     `json:"employee_id,omitempty"`
	PassToken   string    `json:"pass_token,omitempty"`
	Temperature float64   `json:"temperature"`
	Symptoms    []string  `json:"symptoms,omitempty"`
	At          time.Time `json:"at,omitzero"`
	Checkpoint  string    `json:"checkpoint,omitempty"`
}

// CheckResult is a recorded reading.
type CheckResult struct {
	ID          int64     `json:"id"`
	EmployeeID  int64     `json:"employee_id"`
	Name        string    `json:"name"` // masked
	Temperature float64   `json:"temperature"`
	At          time.Time `json:"at"`
	Source      string    `json:"source"`
	Fever       bool      `json:"fever"`
	Suspended   int64     `json:"passes_suspended"`
	FollowUpID  int64     `json:"follow_up_id,omitempty"`
}

// Sources of a reading.
const (
	SourceCheckpoint = "checkpoint"
	SourceDeclared   = "declared"
	SourceGate       = "gate"
)

// FollowUp is the record opened by a fever or symptom (isolation, referral, outcome).
type FollowUp struct {
	ID           int64      `json:"id"`
	EmployeeID   int64      `json:"employee_id"`
	EnterpriseID int64      `json:"enterprise_id"`
	Name         string     `json:"name"`
	CheckID      int64      `json:"check_id"`
	Temperature  float64    `json:"temperature"`
	Symptoms     string     `json:"symptoms"`
	OpenedAt     time.Time  `json:"opened_at"`
	Isolation    string     `json:"isolation"`
	Referral     string     `json:"referral"`
	Outcome      string     `json:"outcome"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
}

// Health-check limits.
const (
	MinTemperature = 30.0
	MaxTemperature = 45.0
	MaxBatch       = 1000
)

func validReading(i int, r *Reading) error {
	field := func(f string) string { return fmt.Sprintf("readings[%d].%s", i, f) }
	if r.EmployeeID == 0 && strings.TrimSpace(r.PassToken) == "" {
		return apperr.NewInvalid(field("employee_id"), "请填写员工或扫描出入证", "Give the employee or scan the pass")
	}
	if math.IsNaN(r.Temperature) || r.Temperature < MinTemperature || r.Temperature > MaxTemperature {
		return apperr.NewInvalid(field("temperature"), "体温应在 30.0 到 45.0 ℃ 之间", "The temperature must be from 30.0 to 45.0 °C")
	}
	r.Temperature = math.Round(r.Temperature*10) / 10
	var syms []string
	for _, s := range r.Symptoms {
		if s = strings.TrimSpace(s); s != "" {
			syms = append(syms, strings.ReplaceAll(s, ",", ","))
		}
	}
	r.Symptoms = syms
	r.Checkpoint = strings.TrimSpace(r.Checkpoint)
	if len([]rune(r.Checkpoint)) > 50 {
		return apperr.NewInvalid(field("checkpoint"), "检测点名称过长", "The checkpoint name is too long")
	}
	return nil
}

// personOfToken resolves a pass token to its employee id (signature checked).
func personOfToken(v *sign.Verifier, token string, now time.Time) (passID, employeeID int64, err error) {
	c, err := v.Verify(token, now)
	if err != nil {
		zh, en := sign.Message(err)
		return 0, 0, apperr.NewInvalid("pass_token", zh, en)
	}
	if c.Kind != sign.PassKind {
		return 0, 0, apperr.NewInvalid("pass_token", "这不是出入证", "This is not a pass")
	}
	return c.ID, c.SubjectID, nil
}

// RecordChecks records readings in one transaction that commits before it returns. A
// reading at or above the fever line, or with a symptom, suspends the person's pass,
// opens a follow-up and alerts the enterprise's admins and the grid leaders. Readings by
// staff are declarations; the others are checkpoint readings.
func (s *Employees) RecordChecks(ctx context.Context, actor auth.Principal, v *sign.Verifier, readings []Reading) ([]CheckResult, error) {
	if !actor.Can(auth.HealthDeclare) {
		return nil, apperr.NewForbidden()
	}
	if len(readings) == 0 {
		return nil, apperr.NewInvalid("readings", "没有体温记录", "No readings")
	}
	if len(readings) > MaxBatch {
		return nil, apperr.NewInvalid("readings", fmt.Sprintf("一次最多 %d 条", MaxBatch), fmt.Sprintf("At most %d readings at once", MaxBatch))
	}
	arrived := s.db.groupComing()
	defer arrived()
	source := SourceCheckpoint
	if !actor.Can(auth.HealthRecord) {
		source = SourceDeclared
	}
	// A declaration is of oneself: the person the account is linked to, or, for an account
	// not linked yet, the holder of the pass whose token is shown.
	var mine int64
	if source == SourceDeclared {
		e, linked, err := s.myEmployee(ctx, actor)
		if err != nil {
			return nil, err
		}
		if linked {
			mine = e.ID
		}
	}
	now := s.db.Now()
	for i := range readings {
		if err := validReading(i, &readings[i]); err != nil {
			return nil, err
		}
		byToken := readings[i].EmployeeID == 0
		if byToken {
			_, emp, err := personOfToken(v, readings[i].PassToken, now)
			if err != nil {
				return nil, err
			}
			readings[i].EmployeeID = emp
		}
		if source == SourceDeclared && (mine != 0 && readings[i].EmployeeID != mine || mine == 0 && !byToken) {
			return nil, apperr.NewInvalid(fmt.Sprintf("readings[%d].employee_id", i), "只能申报本人体温", "You can declare only your own temperature")
		}
	}
	var scope where
	if err := s.db.enterpriseScope(ctx, actor, &scope); err != nil {
		return nil, err
	}
	// Who each reading is of is read before the shared transaction, keeping it short.
	people := make([]person, len(readings))
	for i, r := range readings {
		p, err := s.personOf(ctx, scope, r.EmployeeID)
		if err != nil {
			return nil, err
		}
		people[i] = p
	}
	out := make([]CheckResult, 0, len(readings))
	arrived()
	err := s.db.WriteGrouped(ctx, func(tx *Tx) error {
		out = out[:0]
		for i, r := range readings {
			res, err := s.recordTx(tx, actor, scope, r, source, &people[i])
			if err != nil {
				return err
			}
			out = append(out, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// recordTx records one validated reading inside tx.
// person is who a reading is of, resolved in the reader's scope.
type person struct {
	name  string
	entID int64
}

// lookupPerson finds an employee in the scope, with q running the query (the reader, or
// a transaction).
func lookupPerson(q func(string, ...any) *sql.Row, scope where, id int64) (person, error) {
	w := where{conds: append([]string(nil), scope.conds...), args: append([]any(nil), scope.args...)}
	w.add("m.id = ?", id)
	var p person
	var left sql.NullTime
	// The text varies only with the kind of scope.
	if err := q(hot(`SELECT m.name, m.enterprise_id, m.left_at`+employeeFrom+w.sql()), w.args...).Scan(&p.name, &p.entID, &left); err != nil {
		return p, notFound(err, "员工")
	}
	return p, nil
}

// personOf is lookupPerson on the reader, its answer kept briefly (memo.go): a person's
// name and enterprise change only by a Write, which forgets it.
func (s *Employees) personOf(ctx context.Context, scope where, id int64) (person, error) {
	key := fmt.Sprint("person ", id, scope.sql(), scope.args)
	if v, ok := s.db.memo.get(key); ok {
		return v.(person), nil
	}
	gen := s.db.memo.gen.Load()
	p, err := lookupPerson(func(q string, args ...any) *sql.Row { return s.db.queryRow(ctx, q, args...) }, scope, id)
	if err == nil {
		s.db.memo.put(key, p, gen)
	}
	return p, err
}

// recordTx records one validated reading inside tx; who, when known, saves looking the
// person up inside the (shared) transaction.
func (s *Employees) recordTx(tx *Tx, actor auth.Principal, scope where, r Reading, source string, who *person) (CheckResult, error) {
	if who == nil {
		p, err := lookupPerson(tx.QueryRow, scope, r.EmployeeID)
		if err != nil {
			return CheckResult{}, err
		}
		who = &p
	}
	name, entID := who.name, who.entID
	at := r.At
	now := tx.Now()
	if at.IsZero() || at.After(now.Add(5*time.Minute)) {
		at = now
	}
	at = at.UTC().Truncate(time.Microsecond)
	fever := r.Temperature >= s.pol.Health.FeverLine || len(r.Symptoms) > 0
	res := CheckResult{EmployeeID: r.EmployeeID, Name: MaskName(name), Temperature: r.Temperature, At: at, Source: source, Fever: fever}
	var err error
	res.ID, err = tx.InsertID(hot(`INSERT INTO health_checks (employee_id, enterprise_id, day, taken_at, temperature, symptoms, checkpoint, source, operator_id, fever, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), r.EmployeeID, entID, roster.FormatDate(at, s.pol.Location()), at, r.Temperature,
		strings.Join(r.Symptoms, ","), r.Checkpoint, source, nullID(actor.UserID), fever, now)
	if err != nil {
		return res, err
	}
	if !fever {
		return res, nil
	}
	reason := ReasonFever
	if r.Temperature < s.pol.Health.FeverLine {
		reason = ReasonSymptom
	}
	if res.Suspended, err = tx.suspendPasses(r.EmployeeID, reason); err != nil {
		return res, err
	}
	// One open follow-up per person: a second fever adds to the open one.
	err = tx.QueryRow(`SELECT id FROM health_followups WHERE employee_id = ? AND closed_at IS NULL ORDER BY id LIMIT 1`, r.EmployeeID).Scan(&res.FollowUpID)
	if isNoRows(err) {
		res.FollowUpID, err = tx.InsertID(`INSERT INTO health_followups (employee_id, enterprise_id, check_id, opened_at) VALUES (?, ?, ?, ?)`,
			r.EmployeeID, entID, res.ID, now)
	}
	if err != nil {
		return res, err
	}
	body := fmt.Sprintf("%s:体温 %.1f℃", MaskName(name), r.Temperature)
	if len(r.Symptoms) > 0 {
		body += ",症状:" + strings.Join(r.Symptoms, "、")
	}
	body += ";出入证已暂停,请跟踪处置"
	if err := tx.alertEnterprise(entID, "fever", "发热/症状预警", body, "/health"); err != nil {
		return res, err
	}
	return res, tx.Audit(actor, "health.fever", "employee", r.EmployeeID, map[string]any{"check_id": res.ID, "follow_up_id": res.FollowUpID, "reason": reason})
}

// alertEnterprise notifies the admins (防疫专人) of an enterprise and its grid leaders;
// body follows the enterprise's name.
func (tx *Tx) alertEnterprise(entID int64, kind, title, body, link string) error {
	e, err := tx.enterpriseBrief(entID)
	if err != nil {
		return err
	}
	admins, err := tx.usersActing(string(auth.Enterprise), "", e)
	if err != nil {
		return err
	}
	grid, err := tx.usersActing(string(auth.Grid), "", e)
	if err != nil {
		return err
	}
	return tx.notify(append(admins, grid...), kind, title, e.Name+" "+body, link)
}

// Unchecked is a person with fewer checks today than the policy asks.
type Unchecked struct {
	EmployeeID int64  `json:"employee_id"`
	Name       string `json:"name"`
	Department string `json:"department"`
	Checks     int    `json:"checks"`
}

// NotCheckedToday lists the people of an enterprise in scope holding an active pass with
// fewer checks today than the policy's checks per day; with checkpoint set, only the
// checks taken there count.
func (s *Employees) NotCheckedToday(ctx context.Context, actor auth.Principal, enterpriseID int64, checkpoint string) ([]Unchecked, error) {
	if !actor.Can(auth.HealthRecord) {
		return nil, apperr.NewForbidden()
	}
	if enterpriseID == 0 && actor.Scope.Kind == auth.ScopeEnterprise {
		enterpriseID = actor.Scope.ID
	}
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return nil, err
	}
	if enterpriseID != 0 {
		w.add("p.enterprise_id = ?", enterpriseID)
	}
	w.add("p.status = ?", PassActive)
	day := roster.FormatDate(s.db.Now(), s.pol.Location())
	cp := ""
	args := []any{day}
	if checkpoint != "" {
		cp = " AND h.checkpoint = ?"
		args = append(args, checkpoint)
	}
	args = append(args, w.args...)
	args = append(args, s.pol.Health.ChecksPerDay)
	rows, err := s.db.query(ctx, `SELECT m.id, m.name, m.department, c FROM (SELECT p.employee_id AS eid,
		(SELECT COUNT(*) FROM health_checks h WHERE h.enterprise_id = p.enterprise_id AND h.day = ? AND h.employee_id = p.employee_id`+cp+`) AS c`+passFrom+w.sql()+`) x
		JOIN employees m ON m.id = x.eid WHERE c < ? ORDER BY m.name, m.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Unchecked{}
	for rows.Next() {
		var u Unchecked
		if err := rows.Scan(&u.EmployeeID, &u.Name, &u.Department, &u.Checks); err != nil {
			return nil, err
		}
		u.Name = MaskName(u.Name)
		out = append(out, u)
	}
	return out, rows.Err()
}

// RepeatFlag is a person whose declared readings repeat one value on 3+ consecutive days.
type RepeatFlag struct {
	EmployeeID  int64   `json:"employee_id"`
	Name        string  `json:"name"`
	Temperature float64 `json:"temperature"`
	Days        int     `json:"days"`
	LastDay     string  `json:"last_day"`
}

// RepeatedDeclarations flags the declared readings of the last 14 days, in scope, that
// repeat the exact same value on three or more consecutive days.
func (s *Employees) RepeatedDeclarations(ctx context.Context, actor auth.Principal, enterpriseID int64) ([]RepeatFlag, error) {
	if !actor.Can(auth.HealthRecord) {
		return nil, apperr.NewForbidden()
	}
	var w where
	if err := s.db.enterpriseScope(ctx, actor, &w); err != nil {
		return nil, err
	}
	if enterpriseID != 0 {
		w.add("h.enterprise_id = ?", enterpriseID)
	}
	loc := s.pol.Location()
	today := roster.Day(s.db.Now(), loc)
	w.add("h.source = ?", SourceDeclared)
	w.add("h.day >= ?", roster.FormatDate(today.AddDate(0, 0, -14), loc))
	rows, err := s.db.query(ctx, `SELECT m.id, m.name, h.day, h.temperature FROM health_checks h JOIN employees m ON m.id = h.employee_id
		JOIN enterprises e ON e.id = h.enterprise_id`+w.sql()+` ORDER BY m.id, h.day`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		emp int64
		t   float64
	}
	names := map[int64]string{}
	days := map[key][]string{}
	var order []key
	for rows.Next() {
		var id int64
		var name, day string
		var t float64
		if err := rows.Scan(&id, &name, &day, &t); err != nil {
			return nil, err
		}
		names[id] = name
		k := key{id, math.Round(t * 10)}
		ds := days[k]
		if len(ds) == 0 {
			order = append(order, k)
		}
		if len(ds) == 0 || ds[len(ds)-1] != day {
			days[k] = append(ds, day)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []RepeatFlag{}
	flagged := map[int64]bool{}
	for _, k := range order {
		if flagged[k.emp] {
			continue
		}
		run, best, last := 1, 1, ""
		ds := days[k]
		for i := 1; i < len(ds); i++ {
			a, ok1 := roster.ParseDate(ds[i-1], loc)
			b, ok2 := roster.ParseDate(ds[i], loc)
			if ok1 && ok2 && roster.FormatDate(a.AddDate(0, 0, 1), loc) == roster.FormatDate(b, loc) {
				run++
			} else {
				run = 1
			}
			if run >= best {
				best, last = run, ds[i]
			}
		}
		if best >= 3 {
			flagged[k.emp] = true
			out = append(out, RepeatFlag{EmployeeID: k.emp, Name: MaskName(names[k.emp]), Temperature: k.t / 10, Days: best, LastDay: last})
		}
	}
	return out, nil
}

// ListFollowUps lists the follow-ups in scope, the open ones first.
func (s *Employees) ListFollowUps(ctx context.Context, actor auth.Principal, openOnly bool) ([]FollowUp, error) {
	if !actor.Can(auth.RosterView) {
		return nil, apperr.NewForbidden()
	}
	var w where
	if err := s.db.enterpriseScope(ctx, actor, &w); err != nil {
		return nil, err
	}
	if openOnly {
		w.add("f.closed_at IS NULL")
	}
	rows, err := s.db.query(ctx, `SELECT f.id, f.employee_id, f.enterprise_id, m.name, COALESCE(f.check_id, 0), COALESCE(h.temperature, 0), COALESCE(h.symptoms, ''),
		f.opened_at, f.isolation, f.referral, f.outcome, f.closed_at
		FROM health_followups f JOIN employees m ON m.id = f.employee_id JOIN enterprises e ON e.id = f.enterprise_id
		LEFT JOIN health_checks h ON h.id = f.check_id`+w.sql()+` ORDER BY CASE WHEN f.closed_at IS NULL THEN 0 ELSE 1 END, f.id DESC LIMIT 200`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []FollowUp{}
	for rows.Next() {
		var f FollowUp
		var closed sql.NullTime
		if err := rows.Scan(&f.ID, &f.EmployeeID, &f.EnterpriseID, &f.Name, &f.CheckID, &f.Temperature, &f.Symptoms, &f.OpenedAt,
			&f.Isolation, &f.Referral, &f.Outcome, &closed); err != nil {
			return nil, err
		}
		f.Name = MaskName(f.Name)
		f.OpenedAt = f.OpenedAt.UTC()
		if closed.Valid {
			t := closed.Time.UTC()
			f.ClosedAt = &t
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FollowUpClose is what closing a follow-up records.
type FollowUpClose struct {
	Isolation string `json:"isolation"`
	Referral  string `json:"referral"`
	Outcome   string `json:"outcome"`
}

// CloseFollowUp closes an open follow-up in scope; the outcome is required. The
// enterprise's admins, the park, the grid, the town, the command and the admin may close.
func (s *Employees) CloseFollowUp(ctx context.Context, actor auth.Principal, id int64, c FollowUpClose) (FollowUp, error) {
	if !actor.Can(auth.RosterView) {
		return FollowUp{}, apperr.NewForbidden()
	}
	c.Isolation, c.Referral, c.Outcome = strings.TrimSpace(c.Isolation), strings.TrimSpace(c.Referral), strings.TrimSpace(c.Outcome)
	if c.Outcome == "" {
		return FollowUp{}, apperr.NewInvalid("outcome", "请填写处置结果", "Enter the outcome")
	}
	var w where
	if err := s.db.enterpriseScope(ctx, actor, &w); err != nil {
		return FollowUp{}, err
	}
	w.add("f.id = ?", id)
	err := s.db.Write(ctx, func(tx *Tx) error {
		var closed sql.NullTime
		if err := tx.QueryRow(`SELECT f.closed_at FROM health_followups f JOIN enterprises e ON e.id = f.enterprise_id`+w.sql(), w.args...).Scan(&closed); err != nil {
			return notFound(err, "健康跟踪记录")
		}
		if closed.Valid {
			return apperr.NewConflict("该跟踪记录已结案", "This follow-up is already closed")
		}
		if _, err := tx.Exec(`UPDATE health_followups SET isolation = ?, referral = ?, outcome = ?, closed_at = ?, closed_by = ? WHERE id = ?`,
			c.Isolation, c.Referral, c.Outcome, tx.Now(), nullID(actor.UserID), id); err != nil {
			return err
		}
		return tx.Audit(actor, "health.followup_close", "follow_up", id, map[string]any{"outcome": c.Outcome})
	})
	if err != nil {
		return FollowUp{}, err
	}
	all, err := s.ListFollowUps(ctx, actor, false)
	if err != nil {
		return FollowUp{}, err
	}
	for _, f := range all {
		if f.ID == id {
			return f, nil
		}
	}
	return FollowUp{}, errors.New("follow-up vanished")
}

// ChecksOn counts the readings of the employees in scope on a day (YYYY-MM-DD in the
// policy's time zone); employeeID 0 counts everybody in scope.
func (s *Employees) ChecksOn(ctx context.Context, actor auth.Principal, employeeID int64, day string) (int, error) {
	if !actor.Can(auth.RosterView) && !actor.Can(auth.HealthRecord) {
		return 0, apperr.NewForbidden()
	}
	var w where
	if err := s.db.enterpriseScope(ctx, actor, &w); err != nil {
		return 0, err
	}
	if employeeID != 0 {
		w.add("h.employee_id = ?", employeeID)
	}
	if day != "" {
		w.add("h.day = ?", day)
	}
	var n int
	err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM health_checks h JOIN enterprises e ON e.id = h.enterprise_id`+w.sql(), w.args...).Scan(&n)
	return n, err
}
