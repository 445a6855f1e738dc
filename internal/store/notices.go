package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/inbox"
	"fugong/internal/list"
	"fugong/internal/notice"
	"fugong/internal/policy"
	"fugong/internal/region"
	"fugong/internal/sign"
)

// nextSerial takes the next number of an issuer's series for a year. The counter row is
// locked by the UPDATE until the transaction ends, so concurrent issues queue and a rolled
// back one gives its number back: the series stays unique and gapless.
func (tx *txn) nextSerial(issuer, kind string, year int) (int, error) {
	if _, err := tx.exec(`INSERT INTO serials (issuer, kind, year, last) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING`, issuer, kind, year); err != nil {
		return 0, err
	}
	var seq int
	err := tx.queryRow(`UPDATE serials SET last = last + 1 WHERE issuer = ? AND kind = ? AND year = ? RETURNING last`, issuer, kind, year).Scan(&seq)
	return seq, err
}

func (tx *txn) issueNotice(pol *policy.Policy, signer *sign.Signer, p auth.Principal, v application.View, issuer string) (notice.Notice, error) {
	now := tx.now()
	year := notice.Year(pol, now)
	seq, err := tx.nextSerial(issuer, notice.SeriesNotice, year)
	if err != nil {
		return notice.Notice{}, err
	}
	n := notice.Notice{ApplicationID: v.ID, EnterpriseID: v.EnterpriseID, EnterpriseName: v.EnterpriseName, IssuerUnit: issuer,
		Year: year, Seq: seq, Serial: pol.NoticeSerial(year, seq), IssuedAt: now}
	// The notice names the enterprise by its credit code too, as it does when read later.
	if err := tx.queryRow(`SELECT uscc FROM enterprises WHERE id = ?`, v.EnterpriseID).Scan(&n.USCC); err != nil {
		return notice.Notice{}, err
	}
	// The id is taken first so that the token can carry it.
	n.ID, err = tx.insertID(`INSERT INTO notices (application_id, enterprise_id, issuer_unit, year, seq, serial, token, issued_at, issued_by)
		VALUES (?, ?, ?, ?, ?, ?, '', ?, ?)`, v.ID, v.EnterpriseID, issuer, year, seq, n.Serial, now, nullID(p.UserID))
	if err != nil {
		return notice.Notice{}, err
	}
	if n.Token, err = signer.SignNotice(n.ID, n.Serial, v.EnterpriseName, v.EnterpriseID, now); err != nil {
		return notice.Notice{}, err
	}
	_, err = tx.exec(`UPDATE notices SET token = ? WHERE id = ?`, n.Token, n.ID)
	return n, err
}

const noticeCols = `n.id, n.application_id, n.enterprise_id, e.name, e.uscc, n.issuer_unit, n.year, n.seq, n.serial, n.token, n.issued_at, n.revoked_at, n.revoke_reason`

func scanNotice(sc interface{ Scan(...any) error }) (notice.Notice, error) {
	var n notice.Notice
	var revoked sql.NullTime
	err := sc.Scan(&n.ID, &n.ApplicationID, &n.EnterpriseID, &n.EnterpriseName, &n.USCC, &n.IssuerUnit, &n.Year, &n.Seq, &n.Serial, &n.Token, &n.IssuedAt, &revoked, &n.RevokeReason)
	if revoked.Valid {
		t := revoked.Time.UTC()
		n.RevokedAt = &t
	}
	return n, err
}

// GetNotice returns a notice of an enterprise in the principal's scope.
func (h *Notices) Get(ctx context.Context, p auth.Principal, id int64) (notice.Notice, error) {
	s := h.s
	db := s.DB
	var w where
	if err := db.enterpriseScope(ctx, p, &w); err != nil {
		return notice.Notice{}, err
	}
	w.add("n.id = ?", id)
	n, err := scanNotice(db.queryRow(ctx, `SELECT `+noticeCols+` FROM notices n JOIN enterprises e ON e.id = n.enterprise_id`+w.sql(), w.args...))
	return n, notFound(err, "通知书")
}

// NoticeOfApplication returns the notice issued on an application, if any.
func (h *Applications) Notice(ctx context.Context, appID int64) (*notice.Notice, error) {
	ns, err := h.Notices(ctx, appID)
	if n, ok := ns[appID]; ok {
		return &n, err
	}
	return nil, err
}

// Notices are the notices issued on the applications given (a page's), by application;
// an application without one is not in the map.
func (h *Applications) Notices(ctx context.Context, appIDs ...int64) (map[int64]notice.Notice, error) {
	out := map[int64]notice.Notice{}
	if len(appIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(appIDs))
	for i, id := range appIDs {
		args[i] = id
	}
	rows, err := h.s.DB.query(ctx, `SELECT `+noticeCols+` FROM notices n JOIN enterprises e ON e.id = n.enterprise_id WHERE n.application_id IN (?`+
		strings.Repeat(", ?", len(appIDs)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, err
		}
		out[n.ApplicationID] = n
	}
	return out, rows.Err()
}

// Verify looks up the standing of a signed document for online verification (public: no
// scope, nothing of any person): a notice, a bus letter or a pass, by the kind and id its
// token names. Found is false for an unknown document (and for a pass never issued).
func (h *Notices) Verify(ctx context.Context, kind sign.Kind, id int64) (notice.Status, error) {
	switch kind {
	case sign.NoticeKind:
		return h.noticeStatus(ctx, id)
	case sign.BusLetterKind:
		return h.letterStatus(ctx, id)
	case sign.PassKind:
		return h.passStatus(ctx, id)
	}
	return notice.Status{}, nil
}

// noticeStatus looks a notice up for online verification.
func (h *Notices) noticeStatus(ctx context.Context, id int64) (notice.Status, error) {
	s := h.s
	db := s.DB
	n, err := scanNotice(db.queryRow(ctx, `SELECT `+noticeCols+` FROM notices n JOIN enterprises e ON e.id = n.enterprise_id WHERE n.id = ?`, id))
	if isNoRows(err) {
		return notice.Status{}, nil
	}
	if err != nil {
		return notice.Status{}, err
	}
	st := notice.Status{Found: true, Serial: n.Serial, Enterprise: n.EnterpriseName, IssuedAt: n.IssuedAt, RevokedAt: n.RevokedAt, RevokeReason: n.RevokeReason}
	// A notice suspended for rectification (停产整顿) is not in force until a re-inspection
	// passes; it is not revoked.
	var suspended int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM notices WHERE id = ? AND suspended_at IS NOT NULL`, id).Scan(&suspended); err != nil {
		return st, err
	}
	st.NotInForce = suspended > 0 && n.RevokedAt == nil
	return st, nil
}

// --- notifications ---

// notify puts a message in the inboxes of the users.
func (tx *txn) notify(users []int64, kind, title, body, link string) error {
	seen := map[int64]bool{}
	for _, u := range users {
		if u == 0 || seen[u] {
			continue
		}
		seen[u] = true
		if _, err := tx.exec(`INSERT INTO notifications (user_id, kind, title, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			u, kind, title, body, link, tx.now()); err != nil {
			return err
		}
	}
	return nil
}

// usersActing finds the enabled users who act as role (and unit) for an enterprise in
// region code: reviewers of departments of that unit above or at the region, officials
// whose region covers it, the park's operator, the enterprise's own admins.
func (tx *txn) usersActing(role, unit string, e enterprise.Enterprise) ([]int64, error) {
	var rows *sql.Rows
	var err error
	switch auth.Role(role) {
	case auth.Reviewer:
		rows, err = tx.query(`SELECT u.id, d.region_code FROM users u JOIN departments d ON u.scope = 'dept:' || d.id
			WHERE u.role = 'reviewer' AND u.disabled = FALSE AND (d.unit_code = ? OR ? = '')`, unit, unit)
	case auth.Park:
		rows, err = tx.query(`SELECT id, '' FROM users WHERE role = 'park' AND disabled = FALSE AND scope = ?`, fmt.Sprintf("park:%d", e.ParkID))
	case auth.Enterprise:
		rows, err = tx.query(`SELECT id, '' FROM users WHERE role = 'enterprise' AND disabled = FALSE AND scope = ?`, fmt.Sprintf("enterprise:%d", e.ID))
	default:
		rows, err = tx.query(`SELECT id, SUBSTR(scope, 8) FROM users WHERE role = ? AND disabled = FALSE AND scope LIKE 'region:%'`, role)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		if code == "" || strings.HasPrefix(e.RegionCode, region.Prefix(code)) {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

var noticeKinds = map[application.Action][2]string{
	application.Submit:   {"submitted", "复工申请已提交"},
	application.Withdraw: {"withdrawn", "复工申请已撤回"},
	application.Accept:   {"accepted", "复工申请审核通过,进入下一环节"},
	application.Return:   {"returned", "复工申请被退回修改"},
	application.Reject:   {"rejected", "复工申请不予通过"},
	application.Pass:     {"inspected", "现场验收合格"},
	application.Fail:     {"returned", "现场验收不合格,请整改"},
	application.Issue:    {"accepted", "已同意并出具"},
	application.Approve:  {"approved", "复工申请已批准,通知书已签发"},
	application.Revoke:   {"revoked", "复工批准已撤销"},
}

// notifyTransition tells the enterprise what happened and the next actors what waits.
func (tx *txn) notifyTransition(pol *policy.Policy, p auth.Principal, v application.View, e enterprise.Enterprise, req application.Request, t application.Transition, nextRole, nextUnit string) error {
	kind, title := noticeKinds[req.Action][0], noticeKinds[req.Action][1]
	after := v.Application
	after.Status = t.To
	stage, waiting := application.StageOf(pol, e, after)
	if waiting && stage.Checklist && t.To != application.StatusReturned {
		kind, title = "inspection_scheduled", "已安排现场验收:"+stage.Name
	}
	link := fmt.Sprintf("/applications/%d", v.ID)
	// The application has moved on: the to-dos it left in inboxes are done, and leave them.
	if _, err := tx.exec(`UPDATE notifications SET kind = 'todo_done', read_at = COALESCE(read_at, ?) WHERE kind = 'todo' AND link = ?`, tx.now(), link); err != nil {
		return err
	}
	body := v.EnterpriseName
	if c := strings.TrimSpace(req.Comment); c != "" {
		body += ":" + c
	}
	owners, err := tx.usersActing(string(auth.Enterprise), "", e)
	if err != nil {
		return err
	}
	if v.FiledBy != 0 {
		owners = append(owners, v.FiledBy)
	}
	var others []int64
	for _, u := range owners {
		if u != p.UserID {
			others = append(others, u)
		}
	}
	if err := tx.notify(others, kind, title, body, link); err != nil {
		return err
	}
	if nextRole == "" || nextRole == string(auth.Enterprise) || !waiting {
		return nil
	}
	next, err := tx.usersActing(nextRole, nextUnit, e)
	if err != nil {
		return err
	}
	return tx.notify(next, "todo", "待办:"+stage.Name, body, link)
}

// ListNotifications returns a user's inbox, newest first, and the unread count.
func (db *DB) ListNotifications(ctx context.Context, userID int64, page list.Page) ([]inbox.Message, int, int, error) {
	var total, unread int
	// Done to-dos (todo_done) are no longer shown.
	if err := db.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) FROM notifications WHERE user_id = ? AND kind <> 'todo_done'`, userID).Scan(&total, &unread); err != nil {
		return nil, 0, 0, err
	}
	rows, err := db.query(ctx, `SELECT id, kind, title, body, link, created_at, read_at FROM notifications WHERE user_id = ? AND kind <> 'todo_done' ORDER BY id DESC`+limit(page), userID)
	if err != nil {
		return nil, 0, 0, err
	}
	defer rows.Close()
	var out []inbox.Message
	for rows.Next() {
		var n inbox.Message
		var read sql.NullTime
		if err := rows.Scan(&n.ID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.CreatedAt, &read); err != nil {
			return nil, 0, 0, err
		}
		if read.Valid {
			t := read.Time
			n.ReadAt = &t
		}
		out = append(out, n)
	}
	return out, total, unread, rows.Err()
}

// UnreadCount is the number of unread notifications of a user.
func (db *DB) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	return n, err
}

// MarkRead marks one notification (id > 0) or all of a user's as read.
func (db *DB) MarkRead(ctx context.Context, userID, id int64) error {
	return db.write(ctx, func(tx *txn) error {
		q, args := `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, []any{tx.now(), userID}
		if id > 0 {
			q += ` AND id = ?`
			args = append(args, id)
		}
		_, err := tx.exec(q, args...)
		return err
	})
}
