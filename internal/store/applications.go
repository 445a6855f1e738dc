package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"

	"fugong/internal/alert"
	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/policy"
	"fugong/internal/region"
)

// form is the part of an application kept as JSON: everything the queues do not filter on.
type form struct {
	Returning      application.Returning    `json:"returning"`
	Supplies       []application.SupplyItem `json:"supplies"`
	IsolationRooms int                      `json:"isolation_rooms"`
	Dormitory      []application.DormRoom   `json:"dormitory,omitempty"`
	Parts          map[string]bool          `json:"parts,omitempty"`
	Commitment     application.Commitment   `json:"commitment"`
	SelfCheck      map[string]bool          `json:"self_check,omitempty"`
	Note           string                   `json:"note,omitempty"`
}

func formOf(a application.Application) string {
	b, _ := json.Marshal(form{a.Returning, a.Supplies, a.IsolationRooms, a.Dormitory, a.Parts, a.Commitment, a.SelfCheck, a.Note})
	return string(b)
}

const appCols = `a.id, a.enterprise_id, a.status, a.version, a.policy_version, a.planned_at, a.early_resumption,
	a.green_channel, COALESCE(a.filed_by, 0), a.on_behalf, a.form, a.route_unit, a.first_review_unit, a.stage_role,
	a.stage_unit, a.priority, a.submitted_at, a.due_at, a.decided_at, a.created_at, a.updated_at,
	e.name, e.region_code, COALESCE(r.name, '')`

const appFrom = appCountFrom + ` LEFT JOIN regions r ON r.code = e.region_code`

// appCountFrom is the tables counts of applications need: no filter or scope names the
// region's row, so counting reads applications_enterprise_status and the enterprises.
const appCountFrom = ` FROM applications a JOIN enterprises e ON e.id = a.enterprise_id`

func scanApp(sc interface{ Scan(...any) error }) (application.View, error) {
	var v application.View
	var planned, submitted, due, decided sql.NullTime
	var f string
	err := sc.Scan(&v.ID, &v.EnterpriseID, &v.Status, &v.Version, &v.PolicyVersion, &planned, &v.EarlyResumption,
		&v.GreenChannel, &v.FiledBy, &v.OnBehalf, &f, &v.RouteUnit, &v.FirstReview, &v.StageRole,
		&v.StageUnit, &v.Priority, &submitted, &due, &decided, &v.CreatedAt, &v.UpdatedAt,
		&v.EnterpriseName, &v.RegionCode, &v.RegionName)
	if err != nil {
		return v, err
	}
	var fm form
	if err := json.Unmarshal([]byte(f), &fm); err != nil {
		return v, fmt.Errorf("application %d: form: %w", v.ID, err)
	}
	v.Returning, v.Supplies, v.IsolationRooms, v.Dormitory = fm.Returning, fm.Supplies, fm.IsolationRooms, fm.Dormitory
	v.Parts, v.Commitment, v.SelfCheck, v.Note = fm.Parts, fm.Commitment, fm.SelfCheck, fm.Note
	v.PlannedAt, v.SubmittedAt, v.DecidedAt = planned.Time.UTC(), submitted.Time.UTC(), decided.Time.UTC()
	if due.Valid {
		t := due.Time.UTC()
		v.DueAt = &t
	}
	return v, nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// actorUnits lists the policy units the principal acts for (policy.UnitsOf), with what
// the principal does not carry: its department's unit, the level of its region.
func (s *Store) actorUnits(ctx context.Context, p auth.Principal) ([]string, error) {
	a := policy.Acting{Role: string(p.Role)}
	switch p.Scope.Kind {
	case auth.ScopeAll:
		a.All = true
	case auth.ScopeRegion:
		if c, err := region.ParseCode(p.Scope.Region); err == nil {
			a.Level = c.Level().String()
		}
	case auth.ScopeDept:
		err := s.DB.queryRow(ctx, `SELECT unit_code FROM departments WHERE id = ?`, p.Scope.ID).Scan(&a.Dept)
		if err != nil && !isNoRows(err) {
			return nil, err
		}
	case auth.ScopePark:
		a.Park = true
	}
	return s.pol.UnitsOf(a), nil
}

// Units lists the policy units the principal acts for (application.Allowed asks for them).
func (h *Applications) Units(ctx context.Context, p auth.Principal) ([]string, error) {
	return h.s.actorUnits(ctx, p)
}

// ListApplications lists the applications of the enterprises in the principal's scope.
func (h *Applications) List(ctx context.Context, p auth.Principal, f application.Filter) ([]application.View, int, error) {
	s := h.s
	db := s.DB
	var w where
	if err := db.enterpriseScope(ctx, p, &w); err != nil {
		return nil, 0, err
	}
	switch f.Status {
	case "":
	case "open":
		w.add("a.status NOT IN ('draft', 'approved', 'rejected', 'withdrawn', 'revoked')")
	default:
		w.add("a.status = ?", f.Status)
	}
	if f.Unit != "" {
		w.add("(a.route_unit = ? OR a.stage_unit = ?)", f.Unit, f.Unit)
	}
	if f.Region != "" {
		regionCond(&w, "e.region_code", f.Region)
	}
	if f.Enterprise != 0 {
		w.add("a.enterprise_id = ?", f.Enterprise)
	}
	if f.Overdue {
		// As View.Overdue: at a stage of review (no fixed status) and past the deadline,
		// to the minute, so that the count kept for the list serves a minute's requests.
		fixed := make([]any, 0, len(application.FixedStatuses)+1)
		for _, st := range application.FixedStatuses {
			fixed = append(fixed, st)
		}
		w.add("a.status NOT IN (?"+strings.Repeat(", ?", len(fixed)-1)+") AND a.due_at < ?", append(fixed, db.Now().UTC().Truncate(time.Minute))...)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		w.add(`(e.name LIKE ? ESCAPE '\' OR e.uscc LIKE ? ESCAPE '\')`, "%"+likeEscape(q)+"%", "%"+likeEscape(strings.ToUpper(q))+"%")
	}
	if f.Mine {
		units, err := s.actorUnits(ctx, p)
		if err != nil {
			return nil, 0, err
		}
		cond := "a.stage_unit = ''"
		args := []any{string(p.Role)}
		for _, u := range units {
			cond += " OR a.stage_unit = ?"
			args = append(args, u)
		}
		w.add("a.stage_role = ? AND ("+cond+")", args...)
	}
	// Applications change only by a Write, which forgets what is kept.
	total, err := keep(ctx, db, &db.counts, fmt.Sprint("application list|", w.sql(), w.args), countTTL, func(ctx context.Context) (int, bool, error) {
		var n int
		err := db.queryRow(ctx, `SELECT COUNT(*)`+appCountFrom+w.sql(), w.args...).Scan(&n)
		return n, true, err
	})
	if err != nil {
		return nil, 0, err
	}
	// The queue: green channel first, then the policy's priority score, then the oldest.
	order := ` ORDER BY a.green_channel DESC, a.priority DESC, a.submitted_at, a.id`
	if !f.Mine {
		order = ` ORDER BY a.updated_at DESC, a.id DESC`
		if total < sparseList {
			// Few in scope (a town's, an enterprise's): read them through the index by
			// region and sort them, rather than walk every application newest first for
			// them (the unary plus keeps SQLite's planner from that index).
			if err := db.scopeOn(ctx, p, &w, "e.id", "e.region_code", "e.park_id", regionRange); err != nil {
				return nil, 0, err
			}
			if db.Engine == SQLite {
				order = ` ORDER BY +a.updated_at DESC, a.id DESC`
			}
		}
	}
	rows, err := db.query(ctx, `SELECT `+appCols+appFrom+w.sql()+order+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []application.View
	for rows.Next() {
		v, err := scanApp(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// sparseList is how few rows in scope make a list quicker to read by enterprise and
// sort than to find along the index of the whole table's order.
const sparseList = 2000

// CountApplications counts the applications in scope by status.
func (h *Applications) Count(ctx context.Context, p auth.Principal) (map[string]int, error) {
	s := h.s
	db := s.DB
	var w where
	if err := db.enterpriseIn(ctx, p, &w, "a.enterprise_id"); err != nil {
		return nil, err
	}
	// Applications change only by a Write, which forgets what is kept.
	counted, err := keep(ctx, db, &db.counts, fmt.Sprint("applications|", w.sql(), w.args), countTTL, func(ctx context.Context) (map[string]int, bool, error) {
		out, err := db.countByStatus(ctx, w)
		return out, true, err
	})
	return maps.Clone(counted), err
}

// countByStatus counts the applications matching w (alias a) by status.
func (db *DB) countByStatus(ctx context.Context, w where) (map[string]int, error) {
	rows, err := db.query(ctx, `SELECT a.status, COUNT(*) FROM applications a`+w.sql()+` GROUP BY a.status`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// GetApplication returns an application of an enterprise in the principal's scope, with
// its attachments.
func (h *Applications) Get(ctx context.Context, p auth.Principal, id int64) (application.View, error) {
	s := h.s
	db := s.DB
	var w where
	if err := db.enterpriseScope(ctx, p, &w); err != nil {
		return application.View{}, err
	}
	w.add("a.id = ?", id)
	v, err := scanApp(db.queryRow(ctx, `SELECT `+appCols+appFrom+w.sql(), w.args...))
	if err != nil {
		return v, notFound(err, "申请")
	}
	v.Attachments, err = db.attachments(ctx, id)
	return v, err
}

func (db *DB) attachments(ctx context.Context, appID int64) ([]application.Attachment, error) {
	rows, err := db.query(ctx, `SELECT material, name, sha256, size, content_type FROM attachments WHERE application_id = ? ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []application.Attachment
	for rows.Next() {
		var a application.Attachment
		if err := rows.Scan(&a.Material, &a.Name, &a.SHA256, &a.Size, &a.ContentType); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateApplication starts a draft application for an enterprise in the principal's scope.
// An enterprise has at most one application open at a time.
func (h *Applications) Create(ctx context.Context, p auth.Principal, a application.Application) (application.View, error) {
	s := h.s
	db, pol := s.DB, s.pol
	e, err := db.GetEnterprise(ctx, p, a.EnterpriseID)
	if err != nil {
		if apperr.KindOf(err) == apperr.NotFound {
			return application.View{}, apperr.NewInvalid("enterprise_id", "企业不存在或不在您的管辖范围内", "No such enterprise in your scope")
		}
		return application.View{}, err
	}
	onBehalf, ok := application.MayFile(p, e.ID)
	if !ok {
		return application.View{}, apperr.NewForbidden()
	}
	a.Normalize()
	if err := a.Validate(pol).Err(); err != nil {
		return application.View{}, err
	}
	route := application.RouteFor(pol, e)
	var id int64
	err = db.write(ctx, func(tx *txn) error {
		var open int
		if err := tx.queryRow(`SELECT COUNT(*) FROM applications WHERE enterprise_id = ? AND status NOT IN ('rejected', 'withdrawn', 'revoked')`, e.ID).Scan(&open); err != nil {
			return err
		}
		if err := application.CheckOneOpen(open); err != nil {
			return err
		}
		var err error
		id, err = tx.insertID(`INSERT INTO applications (enterprise_id, status, version, policy_version, planned_at, early_resumption,
			green_channel, on_behalf, filed_by, form, route_unit, first_review_unit, stage_role, created_at, updated_at)
			VALUES (?, 'draft', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'enterprise', ?, ?)`,
			e.ID, pol.Version, nullTime(a.PlannedAt), a.EarlyResumption, a.GreenChannel, onBehalf, nullID(p.UserID), formOf(a),
			route.Unit, route.FirstReview, tx.now(), tx.now())
		if err != nil {
			return err
		}
		return tx.audit(p, "application.create", "application", id, map[string]any{"enterprise_id": e.ID, "on_behalf": onBehalf})
	})
	if err != nil {
		return application.View{}, err
	}
	return s.Applications().Get(ctx, p, id)
}

// UpdateApplication saves changes to a draft or returned application (optimistic lock on
// expectVersion when not zero).
func (h *Applications) Update(ctx context.Context, p auth.Principal, a application.Application, expectVersion int) (application.View, error) {
	s := h.s
	db, pol := s.DB, s.pol
	old, err := s.Applications().Get(ctx, p, a.ID)
	if err != nil {
		return application.View{}, err
	}
	if _, ok := application.MayFile(p, old.EnterpriseID); !ok {
		return application.View{}, apperr.NewForbidden()
	}
	if err := application.CheckEditable(old.Status); err != nil {
		return application.View{}, err
	}
	a.Normalize()
	if err := a.Validate(pol).Err(); err != nil {
		return application.View{}, err
	}
	if expectVersion == 0 {
		expectVersion = old.Version
	}
	err = db.write(ctx, func(tx *txn) error {
		res, err := tx.exec(`UPDATE applications SET planned_at = ?, early_resumption = ?, green_channel = ?, form = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			nullTime(a.PlannedAt), a.EarlyResumption, a.GreenChannel, formOf(a), tx.now(), a.ID, expectVersion)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewConflict("申请已被他人修改,请刷新后重试", "Someone else changed the application meanwhile; reload and try again")
		}
		return tx.audit(p, "application.update", "application", a.ID, map[string]any{"version": expectVersion + 1})
	})
	if err != nil {
		return application.View{}, err
	}
	return s.Applications().Get(ctx, p, a.ID)
}

// AddAttachment records a stored file as a material of an editable application (or, with
// material "inspection:…", as an on-site photo of one under review).
func (h *Applications) AddAttachment(ctx context.Context, p auth.Principal, appID int64, at application.Attachment) error {
	s := h.s
	db := s.DB
	v, err := s.Applications().Get(ctx, p, appID)
	if err != nil {
		return err
	}
	_, mayFile := application.MayFile(p, v.EnterpriseID)
	if err := application.CheckAttachment(p, mayFile, v.Status, at.Material); err != nil {
		return err
	}
	return db.write(ctx, func(tx *txn) error {
		if _, err := tx.exec(`INSERT INTO attachments (application_id, material, name, sha256, size, content_type, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, appID, at.Material, at.Name, at.SHA256, at.Size, at.ContentType, nullID(p.UserID), tx.now()); err != nil {
			return err
		}
		return tx.audit(p, "application.attach", "application", appID, map[string]any{"material": at.Material, "name": at.Name, "sha256": at.SHA256})
	})
}

// AttachmentFile returns the stored file of an attachment of an application in scope.
func (h *Applications) Attachment(ctx context.Context, p auth.Principal, appID int64, sum string) (application.Attachment, error) {
	s := h.s
	db := s.DB
	if _, err := s.Applications().Get(ctx, p, appID); err != nil {
		return application.Attachment{}, err
	}
	var a application.Attachment
	err := db.queryRow(ctx, `SELECT material, name, sha256, size, content_type FROM attachments WHERE application_id = ? AND sha256 = ? LIMIT 1`, appID, sum).
		Scan(&a.Material, &a.Name, &a.SHA256, &a.Size, &a.ContentType)
	return a, notFound(err, "附件")
}

// Events lists an application's transitions, oldest first.
func (h *Applications) Events(ctx context.Context, appID int64) ([]application.Event, error) {
	s := h.s
	db := s.DB
	rows, err := db.query(ctx, `SELECT action, from_status, to_status, actor_name, actor_role, comment, policy_version, at
		FROM application_events WHERE application_id = ? ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []application.Event
	for rows.Next() {
		var e application.Event
		if err := rows.Scan(&e.Action, &e.From, &e.To, &e.ActorName, &e.ActorRole, &e.Comment, &e.PolicyVersion, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Inspections lists an application's on-site acceptance records, newest first.
func (h *Applications) Acceptances(ctx context.Context, appID int64) ([]application.Acceptance, error) {
	s := h.s
	db := s.DB
	rows, err := db.query(ctx, `SELECT id, stage, inspector_name, items, opinion, signature, passed, created_at
		FROM acceptances WHERE application_id = ? ORDER BY id DESC`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []application.Acceptance
	for rows.Next() {
		var in application.Acceptance
		var items string
		if err := rows.Scan(&in.ID, &in.Stage, &in.InspectorName, &items, &in.Opinion, &in.Signature, &in.Passed, &in.CreatedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(items), &in.Items); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// Transition applies an action to an application in one transaction: the state machine of
// the policy decides whether the actor may, the version guards against two actors at once
// (the loser gets a conflict), and the event, the frozen version, the inspection record,
// the notice with its gapless serial number, the notifications and the audit row commit
// with the change.
func (h *Applications) Transition(ctx context.Context, p auth.Principal, id int64, req application.Request) (application.Result, error) {
	s := h.s
	db, pol, signer := s.DB, s.pol, s.signer
	v, err := s.Applications().Get(ctx, p, id)
	if err != nil {
		return application.Result{}, err
	}
	e, err := db.GetEnterprise(ctx, p, v.EnterpriseID)
	if err != nil {
		return application.Result{}, err
	}
	ts, err := application.Transitions(pol, e, v.Application)
	if err != nil {
		return application.Result{}, err
	}
	units, err := s.actorUnits(ctx, p)
	if err != nil {
		return application.Result{}, err
	}
	actor := application.Actor{Role: string(p.Role), UserID: p.UserID}
	for _, t := range ts {
		if t.Action == req.Action {
			actor = application.ActorFor(p, units, t)
		}
	}
	t, err := application.Step(pol, e, v.Application, req.Action, actor)
	if err != nil {
		return application.Result{}, err
	}
	if req.Action == application.Submit {
		if err := application.CheckErr(application.Check(pol, e, v.Application, db.Now())); err != nil {
			return application.Result{}, err
		}
	}
	if t.Checklist && (req.Action == application.Pass || req.Action == application.Fail) {
		if err := application.CheckAcceptance(pol, e, v.Application, req.Action, req.Acceptance); err != nil {
			return application.Result{}, err
		}
	}
	if err := application.CheckPhotos(t, req.Action, v.Attachments); err != nil {
		return application.Result{}, err
	}
	if err := application.CheckComment(req.Action, req.Comment); err != nil {
		return application.Result{}, err
	}
	res := application.Result{From: v.Status, To: t.To}
	err = db.write(ctx, func(tx *txn) error {
		now := tx.now()
		next := v
		next.Status = t.To
		var stageRole, stageUnit string
		if st, ok := application.StageOf(pol, e, next.Application); ok && !application.Terminal(t.To) && t.To != application.StatusApproved {
			stageRole, stageUnit = pol.StageActor(st, application.RouteFor(pol, e))
		}
		set := `status = ?, version = version + 1, updated_at = ?, stage_role = ?, stage_unit = ?, policy_version = ?`
		args := []any{t.To, now, stageRole, stageUnit, pol.Version}
		switch req.Action {
		case application.Submit:
			due := now.AddDate(0, 0, max(pol.Resumption.ReviewDueDays, 1))
			set += `, submitted_at = ?, due_at = ?, priority = ?`
			args = append(args, now, due, application.Priority(pol, e, v.Application))
		case application.Approve, application.Reject, application.Withdraw:
			set += `, decided_at = ?`
			args = append(args, now)
		}
		args = append(args, id, cmp.Or(req.Version, v.Version))
		r, err := tx.exec(`UPDATE applications SET `+set+` WHERE id = ? AND version = ?`, args...)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return apperr.NewConflict("申请已被他人处理,请刷新后查看最新状态", "Someone else acted on the application meanwhile; reload to see where it stands")
		}
		if _, err := tx.exec(`INSERT INTO application_events (application_id, action, from_status, to_status, actor_id, actor_name, actor_role, comment, policy_version, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, req.Action, v.Status, t.To, nullID(p.UserID), p.Label(), p.Role, strings.TrimSpace(req.Comment), pol.Version, now); err != nil {
			return err
		}
		if req.Action == application.Submit {
			if _, err := tx.exec(`INSERT INTO application_versions (application_id, version, form, planned_at, created_at) VALUES (?, ?, ?, ?, ?)`,
				id, v.Version+1, formOf(v.Application), nullTime(v.PlannedAt), now); err != nil {
				return err
			}
		}
		if req.Acceptance != nil && t.Checklist {
			items, _ := json.Marshal(req.Acceptance.Items)
			if _, err := tx.exec(`INSERT INTO acceptances (application_id, stage, inspector_id, inspector_name, items, opinion, signature, passed, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, t.Stage, nullID(p.UserID), p.Label(), string(items), req.Acceptance.Opinion,
				req.Acceptance.Signature, req.Action == application.Pass, now); err != nil {
				return err
			}
		}
		switch {
		case t.Issues == "notice" || (t.To == application.StatusApproved && t.Issues == ""):
			issuer := cmp.Or(t.Unit, v.RouteUnit)
			n, err := tx.issueNotice(pol, signer, p, v, issuer)
			if err != nil {
				return err
			}
			res.Notice = &n
			if _, err := tx.exec(`UPDATE enterprises SET status = 'resumed', version = version + 1, updated_at = ? WHERE id = ?`, now, e.ID); err != nil {
				return err
			}
		case req.Action == application.Revoke:
			if _, err := tx.exec(`UPDATE notices SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE application_id = ? AND revoked_at IS NULL`,
				now, nullID(p.UserID), strings.TrimSpace(req.Comment), id); err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE enterprises SET status = 'suspended', version = version + 1, updated_at = ? WHERE id = ?`, now, e.ID); err != nil {
				return err
			}
			if _, err := tx.raiseAlert(pol, policy.AlertNoticeSuspended, e.ID, alert.Facts{Text: strings.TrimSpace(req.Comment), Link: fmt.Sprintf("/applications/%d", id)}); err != nil {
				return err
			}
		}
		if err := tx.notifyTransition(pol, p, v, e, req, t, stageRole, stageUnit); err != nil {
			return err
		}
		summary := map[string]any{"action": req.Action, "from": v.Status, "to": t.To, "policy_version": pol.Version}
		if req.Comment != "" {
			summary["comment"] = strings.TrimSpace(req.Comment)
		}
		if res.Notice != nil {
			summary["notice"] = res.Notice.Serial
		}
		return tx.audit(p, "application."+string(req.Action), "application", id, summary)
	})
	return res, err
}
