package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fugong/internal/inspection"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/region"
	"fugong/internal/tip"
)

// Tips are the public's tips (举报) about enterprises (tips.go).
type Tips struct{ s *Store }

// Tips returns the tips' handle.
func (s *Store) Tips() *Tips { return &s.tips }

// publicActor is who the trail names for what the public does without an account.
var publicActor = auth.Principal{Username: "public", Name: "公众(匿名)"}

// senderKey is what is kept of a sender's address: the digest of its throttling key (an
// IPv6 address counts by its /64), enough to count its tips and nothing to read.
func senderKey(addr string) string {
	sum := sha256.Sum256([]byte("fugong tip sender\x00" + auth.KeysFor("", addr).Client))
	return hex.EncodeToString(sum[:16])
}

const tipCols = `t.id, t.category, COALESCE(t.enterprise_id, 0), COALESCE(e.name, t.enterprise_name), t.address, t.place, t.happened_at,
	t.description, t.reporter_name, t.reporter_phone, t.region_code, COALESCE(r.name, ''), t.unit_code, t.status, COALESCE(t.group_id, 0),
	(SELECT COUNT(*) FROM tips d WHERE d.group_id = t.id), t.comment, t.result, t.reply, COALESCE(t.inspection_id, 0),
	t.accept_due, t.reply_due, t.replied_at, t.version, t.created_at, t.updated_at`

const tipFrom = ` FROM tips t LEFT JOIN enterprises e ON e.id = t.enterprise_id LEFT JOIN regions r ON r.code = t.region_code`

func scanTip(sc interface{ Scan(...any) error }, now time.Time) (tip.Tip, error) {
	var t tip.Tip
	var happened, replied sql.NullTime
	err := sc.Scan(&t.ID, &t.Category, &t.EnterpriseID, &t.EnterpriseName, &t.Address, &t.Place, &happened, &t.Description,
		&t.ReporterName, &t.ReporterPhone, &t.RegionCode, &t.RegionName, &t.Unit, &t.Status, &t.GroupID, &t.Duplicates,
		&t.Comment, &t.Result, &t.Reply, &t.InspectionID, &t.AcceptDue, &t.ReplyDue, &replied, &t.Version, &t.CreatedAt, &t.UpdatedAt)
	if happened.Valid {
		h := happened.Time.UTC()
		t.HappenedAt = &h
	}
	if replied.Valid {
		r := replied.Time.UTC()
		t.RepliedAt = &r
	}
	t.AcceptDue, t.ReplyDue, t.CreatedAt, t.UpdatedAt = t.AcceptDue.UTC(), t.ReplyDue.UTC(), t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	t.Overdue = tip.Overdue(t.Status, t.AcceptDue, t.ReplyDue, now)
	t.Actions = tip.Allowed(t.Status)
	t.Photos = []tip.Photo{}
	return t, err
}

// tipScope restricts a query over tips (alias t) to those the principal handles: the
// region of its scope; a department, the tips of its own unit in its region. An
// enterprise, a park and their people reach none.
func (db *DB) tipScope(ctx context.Context, p auth.Principal, w *where) error {
	if !tip.MayHandle(p) {
		w.add("1 = 0")
		return nil
	}
	if p.Scope.Kind == auth.ScopeDept {
		code, unit, ok, err := db.deptUnit(ctx, p)
		if !ok || err != nil {
			w.add("1 = 0")
			return err
		}
		regionCond(w, "t.region_code", code)
		if unit != "" {
			w.add("t.unit_code = ?", unit)
		}
		return nil
	}
	return db.regionScope(ctx, p, w, "t.region_code")
}

// Submit records a tip sent from addr, without an account: it is refused while the
// address or everyone has sent as many as the policy hears in an hour; it is routed,
// grouped with its duplicates and given its deadlines. It returns the receipt code, which
// is not kept.
func (h *Tips) Submit(ctx context.Context, in tip.Input, photos []tip.Photo, addr string) (string, error) {
	db, pol := h.s.DB, h.s.pol
	now := db.Now()
	if err := in.Validate(pol, len(photos), now); err != nil {
		return "", err
	}
	key := senderKey(addr)
	code := tip.NewReceipt()
	err := db.write(ctx, func(tx *txn) error {
		now := tx.now()
		r, err := recentTips(tx.queryRow, key, now.Add(-tip.Window))
		if err != nil {
			return err
		}
		if err := tip.Admit(pol, r, now); err != nil {
			return err
		}
		var entRegion, town, supervisor string
		if in.EnterpriseID != 0 {
			e, err := scanEnterprise(tx.queryRow(`SELECT `+enterpriseCols+enterpriseFrom+` WHERE e.id = ?`, in.EnterpriseID))
			if isNoRows(err) {
				return apperr.NewInvalid("enterprise_id", "未找到该登记企业,请重新选择或直接填写名称和地址", "No such registered enterprise; choose again or give its name and address")
			}
			if err != nil {
				return err
			}
			in.EnterpriseName, entRegion = e.Name, e.RegionCode
			supervisor = inspection.SplitFor(pol, e)[0].Unit // the unit that supervises it
		} else {
			var level int
			err := tx.queryRow(`SELECT level FROM regions WHERE code = ?`, in.Town).Scan(&level)
			if isNoRows(err) || err == nil && level < int(region.Town) {
				return apperr.NewInvalid("town", "请从列表中选择乡镇(街道)", "Choose the town or street from the list")
			}
			if err != nil {
				return err
			}
			town = in.Town
		}
		unit, regionCode := tip.Route(pol, in.Category, supervisor, entRegion, town)
		if err := tx.queryRow(`SELECT code FROM regions WHERE code = ?`, regionCode).Scan(&regionCode); err != nil {
			if !isNoRows(err) {
				return err
			}
			// The unit's region is not registered (a county above the towns): the tip stays
			// with the enterprise's or the address's own region.
			regionCode = cmp.Or(entRegion, town)
		}
		// Open tips on the same enterprise (or name, in the same region) and category.
		q := `SELECT id, COALESCE(group_id, 0), COALESCE(enterprise_id, 0), enterprise_name, category, status, created_at FROM tips
			WHERE category = ? AND created_at > ? AND status NOT IN (?, ?) AND `
		args := []any{in.Category, now.AddDate(0, 0, -pol.Tips.DuplicateDays), tip.Declined, tip.Replied}
		if in.EnterpriseID != 0 {
			q += `enterprise_id = ?`
			args = append(args, in.EnterpriseID)
		} else {
			q += `enterprise_id IS NULL AND region_code = ?`
			args = append(args, regionCode)
		}
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		var earlier []tip.Earlier
		for rows.Next() {
			var e tip.Earlier
			if err := rows.Scan(&e.ID, &e.GroupID, &e.EnterpriseID, &e.Name, &e.Category, &e.Status, &e.CreatedAt); err != nil {
				rows.Close()
				return err
			}
			earlier = append(earlier, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		group := tip.GroupOf(pol, in.EnterpriseID, in.EnterpriseName, in.Category, earlier, now)
		var happened any
		if in.HappenedAt != nil {
			happened = in.HappenedAt.UTC()
		}
		id, err := tx.insertID(`INSERT INTO tips (receipt_digest, category, enterprise_id, enterprise_name, address, place, happened_at, description,
			reporter_name, reporter_phone, sender_key, region_code, unit_code, status, group_id, accept_due, reply_due, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tip.ReceiptDigest(code), in.Category, nullID(in.EnterpriseID), in.EnterpriseName, in.Address, in.Place, happened, in.Description,
			in.ReporterName, in.ReporterPhone, key, regionCode, unit, tip.Received, nullID(group),
			tip.AcceptDue(pol, now), tip.ReplyDue(pol, now), now, now)
		if err != nil {
			return err
		}
		for _, ph := range photos {
			if _, err := tx.exec(`INSERT INTO tip_photos (tip_id, sha256, content_type, size) VALUES (?, ?, ?, ?)`, id, ph.SHA256, ph.ContentType, ph.Size); err != nil {
				return err
			}
		}
		// The trail names what was reported and where it went; never who sent it.
		if err := tx.audit(publicActor, "tip.receive", "tip", id, map[string]any{"category": in.Category, "enterprise_id": in.EnterpriseID,
			"region": regionCode, "unit": unit, "group_id": group, "photos": len(photos)}); err != nil {
			return err
		}
		if group != 0 {
			return nil // its group's handlers were told of the first
		}
		// The unit's people are told that a tip waits, and what it is about; never who sent it.
		catName := in.Category
		if c, ok := pol.TipCategory(in.Category); ok {
			catName = c.Name
		}
		return tx.notifyUnit(pol, unit, enterprise.Enterprise{ID: in.EnterpriseID, RegionCode: regionCode}, "tip_received",
			"新的群众举报:"+catName+"("+in.EnterpriseName+")", "/tips/"+itoa(id))
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// countSince counts the tips matching cond and gives the oldest one's time.
func countSince(q func(string, ...any) *sql.Row, cond string, args ...any) (int, time.Time, error) {
	var n int
	if err := q(`SELECT COUNT(*) FROM tips WHERE `+cond, args...).Scan(&n); err != nil || n == 0 {
		return n, time.Time{}, err
	}
	var oldest time.Time
	err := q(`SELECT created_at FROM tips WHERE `+cond+` ORDER BY created_at LIMIT 1`, args...).Scan(&oldest)
	return n, oldest, err
}

// recentTips counts the tips of the window since then, from the sender and from everyone,
// q running the queries (the reader, or the transaction).
func recentTips(q func(string, ...any) *sql.Row, key string, since time.Time) (tip.Recent, error) {
	var r tip.Recent
	var err error
	if r.FromAddress, r.OldestFromAddress, err = countSince(q, `sender_key = ? AND created_at > ?`, key, since); err != nil {
		return r, err
	}
	r.All, r.OldestAll, err = countSince(q, `created_at > ?`, since)
	return r, err
}

// Admit tells, before anything of a tip is kept (its photos), whether one from addr would
// be refused by the limits now; Submit asks again in its transaction.
func (h *Tips) Admit(ctx context.Context, addr string) error {
	db := h.s.DB
	now := db.Now()
	r, err := recentTips(func(q string, args ...any) *sql.Row { return db.queryRow(ctx, q, args...) }, senderKey(addr), now.Add(-tip.Window))
	if err != nil {
		return err
	}
	return tip.Admit(h.s.pol, r, now)
}

// Lookup is what a receipt code shows; a code that names no tip is not found (alike for
// a mistyped and a guessed one).
func (h *Tips) Lookup(ctx context.Context, code string) (tip.Receipt, error) {
	db := h.s.DB
	norm, ok := tip.NormReceipt(code)
	if !ok {
		return tip.Receipt{}, apperr.NewInvalid("receipt", "回执码应为 10 位字母和数字,如 ABCDE-23456", "A receipt code has 10 letters and digits, like ABCDE-23456")
	}
	t, err := scanTip(db.queryRow(ctx, `SELECT `+tipCols+tipFrom+` WHERE t.receipt_digest = ?`, tip.ReceiptDigest(norm)), db.Now())
	if err != nil {
		return tip.Receipt{}, notFound(err, "回执码对应的举报")
	}
	return tip.ReceiptOf(h.s.pol, norm, t), nil
}

// List lists the tips the principal handles, the overdue and the oldest open first.
func (h *Tips) List(ctx context.Context, p auth.Principal, f tip.Filter) ([]tip.Tip, int, error) {
	db := h.s.DB
	var w where
	if err := db.tipScope(ctx, p, &w); err != nil {
		return nil, 0, err
	}
	now := db.Now()
	if f.Status != "" {
		w.add("t.status = ?", f.Status)
	}
	if f.Category != "" {
		w.add("t.category = ?", f.Category)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + likeEscape(q) + "%"
		w.add(`(COALESCE(e.name, t.enterprise_name) LIKE ? ESCAPE '\' OR t.address LIKE ? ESCAPE '\' OR t.place LIKE ? ESCAPE '\' OR t.description LIKE ? ESCAPE '\')`, like, like, like, like)
	}
	if f.Overdue {
		w.add(`t.status NOT IN (?, ?) AND ((t.status = ? AND t.accept_due < ?) OR t.reply_due < ?)`, tip.Declined, tip.Replied, tip.Received, now, now)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*)`+tipFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := ` ORDER BY CASE WHEN t.status IN ('declined', 'replied') THEN 1 ELSE 0 END, t.reply_due, t.id`
	rows, err := db.query(ctx, `SELECT `+tipCols+tipFrom+w.sql()+order+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []tip.Tip{}
	for rows.Next() {
		t, err := scanTip(rows, now)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, t)
	}
	return out, total, rows.Err()
}

// Get is one tip the principal handles, with its photos.
func (h *Tips) Get(ctx context.Context, p auth.Principal, id int64) (tip.Tip, error) {
	db := h.s.DB
	var w where
	if err := db.tipScope(ctx, p, &w); err != nil {
		return tip.Tip{}, err
	}
	w.add("t.id = ?", id)
	t, err := scanTip(db.queryRow(ctx, `SELECT `+tipCols+tipFrom+w.sql(), w.args...), db.Now())
	if err != nil {
		return t, notFound(err, "举报")
	}
	rows, err := db.query(ctx, `SELECT sha256, content_type, size FROM tip_photos WHERE tip_id = ? ORDER BY sha256`, id)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var ph tip.Photo
		if err := rows.Scan(&ph.SHA256, &ph.ContentType, &ph.Size); err != nil {
			return t, err
		}
		t.Photos = append(t.Photos, ph)
	}
	return t, rows.Err()
}

// History is the trail of a tip the principal handles, newest first.
func (h *Tips) History(ctx context.Context, p auth.Principal, id int64) ([]audit.Entry, error) {
	if _, err := h.Get(ctx, p, id); err != nil {
		return nil, err
	}
	es, _, err := h.s.DB.ListAudit(ctx, audit.Filter{ObjectType: "tip", ObjectID: itoa(id)})
	return es, err
}

// Act applies a handler's action to a tip, and to the open tips grouped with it that
// stand where it stands: duplicates are handled together. With inspect, an investigation
// asks for an inspection of the enterprise (openTipInspection).
func (h *Tips) Act(ctx context.Context, p auth.Principal, id int64, action tip.Action, comment string, version int, inspect bool) (tip.Tip, error) {
	db := h.s.DB
	t, err := h.Get(ctx, p, id)
	if err != nil {
		return t, err
	}
	comment = strings.TrimSpace(comment)
	to, err := tip.Next(t.Status, action, comment)
	if err != nil {
		return t, err
	}
	if inspect && (action != tip.Investigate || t.EnterpriseID == 0) {
		return t, apperr.NewInvalid("inspection", "只有针对已登记企业开始调查时才能同时发起检查", "An inspection is opened only when investigating a tip on a registered enterprise")
	}
	err = db.write(ctx, func(tx *txn) error {
		now := tx.now()
		set := `status = ?, handled_by = ?, version = version + 1, updated_at = ?`
		args := []any{to, nullID(p.UserID), now}
		switch action {
		case tip.Decline, tip.Investigate:
			set += `, comment = ?`
			args = append(args, comment)
		case tip.Result:
			set += `, result = ?`
			args = append(args, comment)
		case tip.Reply:
			set += `, reply = ?, replied_at = ?`
			args = append(args, comment, now)
		case tip.Accept:
			if comment != "" {
				set += `, comment = ?`
				args = append(args, comment)
			}
		}
		res, err := tx.exec(`UPDATE tips SET `+set+` WHERE id = ? AND status = ? AND version = ?`, append(args, id, t.Status, cmp.Or(version, t.Version))...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewConflict("举报已被他人处理,请刷新", "Someone else acted on the tip meanwhile; reload")
		}
		summary := map[string]any{"action": string(action), "from": string(t.Status), "to": string(to), "comment": comment}
		if inspect {
			insp, err := tx.openTipInspection(h.s.pol, p, t)
			if err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE tips SET inspection_id = ? WHERE id = ?`, insp, id); err != nil {
				return err
			}
			summary["inspection_id"] = insp
		}
		if err := tx.audit(p, "tip."+string(action), "tip", id, summary); err != nil {
			return err
		}
		// The duplicates grouped with it, where they stand where it stood.
		if t.GroupID != 0 {
			return nil
		}
		rows, err := tx.query(`SELECT id FROM tips WHERE group_id = ? AND status = ?`, id, t.Status)
		if err != nil {
			return err
		}
		var dups []int64
		for rows.Next() {
			var d int64
			if err := rows.Scan(&d); err != nil {
				rows.Close()
				return err
			}
			dups = append(dups, d)
		}
		rows.Close()
		for _, d := range dups {
			if _, err := tx.exec(`UPDATE tips SET `+set+` WHERE id = ?`, append(args, d)...); err != nil {
				return err
			}
			if err := tx.audit(p, "tip."+string(action), "tip", d, map[string]any{"action": string(action), "from": string(t.Status), "to": string(to),
				"comment": comment, "with": id}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return t, err
	}
	return h.Get(ctx, p, id)
}

// openTipInspection opens the supervision inspection (督导检查) an investigation asks for:
// an unannounced visit (明察暗访) to the tip's enterprise by the unit handling the tip,
// planned for today — the enterprise learns of it only once it is recorded.
func (tx *txn) openTipInspection(pol *policy.Policy, p auth.Principal, t tip.Tip) (int64, error) {
	in := inspection.Inspection{EnterpriseID: t.EnterpriseID, Unit: t.Unit, Kind: policy.KindUnannounced,
		PlannedOn: roster.FormatDate(tx.now(), pol.Location()), Inspectors: p.Label()}
	if err := inspection.CheckPlan(pol, &in); err != nil {
		return 0, err
	}
	return tx.planInspection(p, in)
}

// Photo is a photo of a tip the principal handles.
func (h *Tips) Photo(ctx context.Context, p auth.Principal, id int64, sha string) (tip.Photo, error) {
	t, err := h.Get(ctx, p, id)
	if err != nil {
		return tip.Photo{}, err
	}
	for _, ph := range t.Photos {
		if ph.SHA256 == sha {
			return ph, nil
		}
	}
	return tip.Photo{}, apperr.NewNotFound("照片")
}

// Towns lists the registered towns and streets, for the public form.
func (h *Tips) Towns(ctx context.Context) ([]tip.Town, error) {
	rows, err := h.s.DB.query(ctx, `SELECT code, name FROM regions WHERE level = ? ORDER BY code LIMIT 500`, int(region.Town))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []tip.Town{}
	for rows.Next() {
		var t tip.Town
		if err := rows.Scan(&t.Code, &t.Name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FindEnterprises finds registered enterprises by name for the public form: at most ten,
// for at least two characters.
func (h *Tips) FindEnterprises(ctx context.Context, q string) ([]tip.Enterprise, error) {
	q = strings.TrimSpace(q)
	out := []tip.Enterprise{}
	if len([]rune(q)) < 2 {
		return out, nil
	}
	rows, err := h.s.DB.query(ctx, `SELECT e.id, e.name, e.region_code FROM enterprises e WHERE e.name LIKE ? ESCAPE '\' ORDER BY e.name LIMIT 10`,
		"%"+likeEscape(q)+"%")
	if err != nil {
		return nil, err
	}
	type row struct {
		e    tip.Enterprise
		code string
	}
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.e.ID, &r.e.Name, &r.code); err != nil {
			rows.Close()
			return nil, err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range rs {
		town := r.code
		if len(town) > 9 {
			town = town[:9]
		}
		var name string
		if err := h.s.DB.queryRow(ctx, `SELECT name FROM regions WHERE code = ?`, town).Scan(&name); err != nil && !isNoRows(err) {
			return nil, err
		}
		r.e.Town = name
		out = append(out, r.e)
	}
	return out, nil
}
