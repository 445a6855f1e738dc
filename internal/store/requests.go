package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
	"fugong/internal/request"
)

// Requests are the enterprises' requests for help (诉求) (requests.go).
type Requests struct{ s *Store }

// Requests returns the requests' handle.
func (s *Store) Requests() *Requests { return &s.requests }

const requestCols = `r.id, r.enterprise_id, e.name, r.kind, r.description, r.urgent, r.status, r.unit_code, r.region_code, r.escalated,
	r.answer, r.rating, r.feedback, r.due_at, r.raised_by_name, r.answered_at, r.solved_at, r.version, r.created_at, r.updated_at`

const requestFrom = ` FROM enterprise_requests r JOIN enterprises e ON e.id = r.enterprise_id`

func scanRequest(sc interface{ Scan(...any) error }) (request.Request, error) {
	var r request.Request
	var answered, solved sql.NullTime
	err := sc.Scan(&r.ID, &r.EnterpriseID, &r.EnterpriseName, &r.Kind, &r.Description, &r.Urgent, &r.Status, &r.Unit, &r.RegionCode, &r.Escalated,
		&r.Answer, &r.Rating, &r.Feedback, &r.Due, &r.RaisedBy, &answered, &solved, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	if answered.Valid {
		t := answered.Time.UTC()
		r.AnsweredAt = &t
	}
	if solved.Valid {
		t := solved.Time.UTC()
		r.SolvedAt = &t
	}
	r.Due, r.CreatedAt, r.UpdatedAt = r.Due.UTC(), r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.Attachments = []request.File{}
	return r, err
}

// handlerScope restricts requests (alias r) to those routed to the principal's unit: a
// department's in its region and, when it acts as a unit of the policy, of that unit; the
// officials' in their region.
func (db *DB) requestHandlerScope(ctx context.Context, p auth.Principal, w *where) error {
	if !request.MayHandle(p) {
		w.add("1 = 0")
		return nil
	}
	if p.Scope.Kind == auth.ScopeDept {
		code, unit, ok, err := db.deptUnit(ctx, p)
		if !ok || err != nil {
			w.add("1 = 0")
			return err
		}
		if unit == "" {
			regionCond(w, "r.region_code", code)
			return nil
		}
		// A department acting as a unit handles that unit's requests in its region, and
		// those of the region above it that the unit handles as a whole.
		w.add("(r.region_code LIKE ? OR ? LIKE r.region_code || '%')", code+"%", code)
		w.add("r.unit_code = ?", unit)
		return nil
	}
	return db.regionScope(ctx, p, w, "r.region_code")
}

// askerScope restricts requests to those of the enterprises the principal raises them
// for: its own, its park's, its region's.
func (db *DB) requestAskerScope(ctx context.Context, p auth.Principal, w *where) error {
	if !p.Can(auth.RequestsRaise) {
		w.add("1 = 0")
		return nil
	}
	return db.enterpriseScope(ctx, p, w)
}

// requestScope is either side's scope.
func (db *DB) requestScope(ctx context.Context, p auth.Principal, w *where) error {
	var h, a where
	if err := db.requestHandlerScope(ctx, p, &h); err != nil {
		return err
	}
	if err := db.requestAskerScope(ctx, p, &a); err != nil {
		return err
	}
	cond := func(x where) string {
		if len(x.conds) == 0 {
			return "1 = 1"
		}
		return strings.Join(x.conds, " AND ")
	}
	w.add("(("+cond(h)+") OR ("+cond(a)+"))", append(h.args, a.args...)...)
	return nil
}

// sides says on which side the principal stands for request id: the handling unit's, the
// enterprise's, both or neither.
func (db *DB) requestSides(ctx context.Context, p auth.Principal, id, enterpriseID int64) (handler, asker bool, err error) {
	for i, scope := range []func(context.Context, auth.Principal, *where) error{db.requestHandlerScope, db.requestAskerScope} {
		var w where
		if err := scope(ctx, p, &w); err != nil {
			return false, false, err
		}
		w.add("r.id = ?", id)
		var n int
		if err := db.queryRow(ctx, `SELECT COUNT(*)`+requestFrom+w.sql(), w.args...).Scan(&n); err != nil {
			return false, false, err
		}
		if i == 0 {
			handler = n > 0
		} else {
			_, may := application.MayFile(p, enterpriseID)
			asker = n > 0 && may
		}
	}
	return handler, asker, nil
}

// Raise records a request of an enterprise in scope, its own or on its behalf, routes it
// and tells the unit.
func (h *Requests) Raise(ctx context.Context, p auth.Principal, in request.Input) (request.Request, error) {
	db, pol := h.s.DB, h.s.pol
	if err := in.Validate(pol); err != nil {
		return request.Request{}, err
	}
	if !p.Can(auth.RequestsRaise) {
		return request.Request{}, apperr.NewForbidden()
	}
	e, err := db.GetEnterprise(ctx, p, in.EnterpriseID)
	if err != nil {
		return request.Request{}, err
	}
	if _, ok := application.MayFile(p, e.ID); !ok {
		return request.Request{}, apperr.NewForbidden()
	}
	unit, region := request.Route(pol, in.Kind, e.RegionCode)
	var id int64
	err = db.write(ctx, func(tx *txn) error {
		now := tx.now()
		var err error
		id, err = tx.insertID(`INSERT INTO enterprise_requests (enterprise_id, kind, description, urgent, status, unit_code, region_code, due_at,
			raised_by, raised_by_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, in.Kind, in.Description, in.Urgent, request.Open, unit, region, request.Due(pol, now, in.Urgent), nullID(p.UserID), p.Label(), now, now)
		if err != nil {
			return err
		}
		if err := tx.audit(p, "request.raise", "request", id, map[string]any{"enterprise_id": e.ID, "kind": in.Kind, "urgent": in.Urgent, "unit": unit, "region": region}); err != nil {
			return err
		}
		return tx.notifyUnit(pol, unit, e, "request_raised", "新的企业诉求:"+e.Name, "/requests/"+itoa(id))
	})
	if err != nil {
		return request.Request{}, err
	}
	return h.Get(ctx, p, id)
}

// notifyUnit tells the people acting for unit about an enterprise.
func (tx *txn) notifyUnit(pol *policy.Policy, unit string, e enterprise.Enterprise, kind, title, link string) error {
	users, err := tx.unitUsers(pol, []string{unit}, e)
	if err != nil {
		return err
	}
	return tx.notify(users, kind, title, "", link)
}

// List lists the requests on either side of the principal, the open and late first.
func (h *Requests) List(ctx context.Context, p auth.Principal, f request.Filter) ([]request.Request, int, error) {
	db := h.s.DB
	var w where
	if err := db.requestScope(ctx, p, &w); err != nil {
		return nil, 0, err
	}
	now := db.Now()
	if f.Status != "" {
		w.add("r.status = ?", f.Status)
	}
	if f.Kind != "" {
		w.add("r.kind = ?", f.Kind)
	}
	if f.Enterprise != 0 {
		w.add("r.enterprise_id = ?", f.Enterprise)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + likeEscape(q) + "%"
		w.add(`(e.name LIKE ? ESCAPE '\' OR r.description LIKE ? ESCAPE '\')`, like, like)
	}
	if f.Overdue {
		w.add("r.status = ? AND r.due_at < ?", request.Open, now)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*)`+requestFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+requestCols+requestFrom+w.sql()+` ORDER BY CASE WHEN r.status = 'solved' THEN 1 ELSE 0 END, r.due_at, r.id`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []request.Request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, 0, err
		}
		r.Overdue = request.Overdue(r.Status, r.Due, now)
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// Get is one request on either side of the principal, with its attachments and what the
// principal may do now.
func (h *Requests) Get(ctx context.Context, p auth.Principal, id int64) (request.Request, error) {
	db := h.s.DB
	var w where
	if err := db.requestScope(ctx, p, &w); err != nil {
		return request.Request{}, err
	}
	w.add("r.id = ?", id)
	r, err := scanRequest(db.queryRow(ctx, `SELECT `+requestCols+requestFrom+w.sql(), w.args...))
	if err != nil {
		return r, notFound(err, "诉求")
	}
	r.Overdue = request.Overdue(r.Status, r.Due, db.Now())
	handler, asker, err := db.requestSides(ctx, p, id, r.EnterpriseID)
	if err != nil {
		return r, err
	}
	r.Actions = []request.Action{}
	if handler {
		r.Actions = append(r.Actions, request.Allowed(r, request.Handler)...)
	}
	if asker {
		r.Actions = append(r.Actions, request.Allowed(r, request.Asker)...)
	}
	rows, err := db.query(ctx, `SELECT name, sha256, content_type, size FROM enterprise_request_files WHERE request_id = ? ORDER BY name`, id)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var f request.File
		if err := rows.Scan(&f.Name, &f.SHA256, &f.ContentType, &f.Size); err != nil {
			return r, err
		}
		r.Attachments = append(r.Attachments, f)
	}
	return r, rows.Err()
}

// Attach adds a stored file to a request on the enterprise's side.
func (h *Requests) Attach(ctx context.Context, p auth.Principal, id int64, f request.File) (request.Request, error) {
	db := h.s.DB
	r, err := h.Get(ctx, p, id)
	if err != nil {
		return r, err
	}
	if _, asker, err := db.requestSides(ctx, p, id, r.EnterpriseID); err != nil || !asker {
		return r, cmp.Or(err, apperr.NewForbidden())
	}
	if len(r.Attachments) >= 10 {
		return r, apperr.NewInvalid("file", "每条诉求最多 10 个附件", "At most 10 attachments per request")
	}
	err = db.write(ctx, func(tx *txn) error {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM enterprise_request_files WHERE request_id = ? AND sha256 = ?`, id, f.SHA256).Scan(&n); err != nil || n > 0 {
			return err
		}
		if _, err := tx.exec(`INSERT INTO enterprise_request_files (request_id, name, sha256, content_type, size) VALUES (?, ?, ?, ?, ?)`,
			id, f.Name, f.SHA256, f.ContentType, f.Size); err != nil {
			return err
		}
		return tx.audit(p, "request.attach", "request", id, map[string]any{"name": f.Name, "sha256": f.SHA256, "size": f.Size})
	})
	if err != nil {
		return r, err
	}
	return h.Get(ctx, p, id)
}

// File is an attachment of a request on either side of the principal.
func (h *Requests) File(ctx context.Context, p auth.Principal, id int64, sha string) (request.File, error) {
	r, err := h.Get(ctx, p, id)
	if err != nil {
		return request.File{}, err
	}
	for _, f := range r.Attachments {
		if f.SHA256 == sha {
			return f, nil
		}
	}
	return request.File{}, apperr.NewNotFound("附件")
}

// Act applies an action: the unit answers, transfers or escalates; the enterprise's side
// confirms and rates, or reopens. Each is audited and told to the other side.
func (h *Requests) Act(ctx context.Context, p auth.Principal, id int64, c request.Change, version int) (request.Request, error) {
	db, pol := h.s.DB, h.s.pol
	r, err := h.Get(ctx, p, id)
	if err != nil {
		return r, err
	}
	handler, asker, err := db.requestSides(ctx, p, id, r.EnterpriseID)
	if err != nil {
		return r, err
	}
	if !slices.Contains(request.Actions, c.Action) {
		return r, apperr.NewInvalid("action", "请给出操作:answer、transfer、escalate、confirm 或 reopen", "Give the action: answer, transfer, escalate, confirm or reopen")
	}
	side := request.Handler
	if c.Action == request.Confirm || c.Action == request.Reopen {
		side = request.Asker
	}
	if side == request.Handler && !handler || side == request.Asker && !asker {
		return r, apperr.NewForbidden()
	}
	out, err := request.Apply(pol, r, side, c)
	if err != nil {
		return r, err
	}
	e, err := db.GetEnterprise(ctx, auth.System, r.EnterpriseID)
	if err != nil {
		return r, err
	}
	text := strings.TrimSpace(c.Text)
	err = db.write(ctx, func(tx *txn) error {
		now := tx.now()
		set := `status = ?, unit_code = ?, region_code = ?, escalated = ?, version = version + 1, updated_at = ?`
		args := []any{out.Status, out.Unit, request.RegionFor(pol, out.Unit, e.RegionCode), out.Escalated, now}
		switch c.Action {
		case request.Answer:
			set += `, answer = ?, answered_at = ?`
			args = append(args, text, now)
		case request.Confirm:
			set += `, rating = ?, feedback = ?, solved_at = ?`
			args = append(args, c.Rating, text, now)
		case request.Reopen:
			set += `, feedback = ?`
			args = append(args, text)
		}
		res, err := tx.exec(`UPDATE enterprise_requests SET `+set+` WHERE id = ? AND version = ?`, append(args, id, cmp.Or(version, r.Version))...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewConflict("诉求已被他人处理,请刷新", "Someone else acted on the request meanwhile; reload")
		}
		summary := map[string]any{"action": string(c.Action), "from": string(r.Status), "to": string(out.Status), "comment": text}
		if out.Unit != r.Unit {
			summary["from_unit"], summary["to_unit"] = r.Unit, out.Unit
		}
		if c.Action == request.Confirm {
			summary["rating"] = c.Rating
		}
		if err := tx.audit(p, "request."+string(c.Action), "request", id, summary); err != nil {
			return err
		}
		link := "/requests/" + itoa(id)
		switch c.Action {
		case request.Answer:
			users, err := tx.usersActing(string(auth.Enterprise), "", e)
			if err != nil {
				return err
			}
			return tx.notify(users, "request_answered", "诉求已答复,请确认是否解决", text, link)
		case request.Transfer, request.Escalate, request.Reopen:
			return tx.notifyUnit(pol, out.Unit, e, "request_raised", "企业诉求待办理:"+e.Name, link)
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	got, err := h.Get(ctx, p, id)
	if apperr.KindOf(err) == apperr.NotFound {
		// Transferred or escalated out of the actor's reach: what it did, and no more.
		got, err = h.Get(ctx, auth.System, id)
		got.Actions = []request.Action{}
	}
	return got, err
}

// History is the trail of a request on either side of the principal, newest first.
func (h *Requests) History(ctx context.Context, p auth.Principal, id int64) ([]audit.Entry, error) {
	if _, err := h.Get(ctx, p, id); err != nil {
		return nil, err
	}
	es, _, err := h.s.DB.ListAudit(ctx, audit.Filter{ObjectType: "request", ObjectID: itoa(id)})
	return es, err
}
