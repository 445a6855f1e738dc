package store

import (
	"context"
	"database/sql"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/guidance"
	"fugong/internal/list"
)

// Guidance is the guidance officials publish (guidance.go).
type Guidance struct{ s *Store }

// Guidance returns the guidance's handle.
func (s *Store) Guidance() *Guidance { return &s.guidance }

const guidanceCols = `g.id, g.kind, g.title, g.body, g.regions, g.categories, COALESCE(g.park_id, 0), g.public, g.ask_confirm, g.publish_at, g.end_at,
	g.publisher, g.created_at, (SELECT COUNT(*) FROM guidance_reads x WHERE x.guidance_id = g.id)`

func scanGuidance(sc interface{ Scan(...any) error }) (guidance.Item, error) {
	var it guidance.Item
	var regions, cats string
	var end sql.NullTime
	err := sc.Scan(&it.ID, &it.Kind, &it.Title, &it.Body, &regions, &cats, &it.ParkID, &it.Public, &it.AskConfirm, &it.PublishAt, &end,
		&it.Publisher, &it.CreatedAt, &it.Confirms)
	it.Regions, it.Categories = strings.Fields(regions), strings.Fields(cats)
	if it.Categories == nil {
		it.Categories = []string{}
	}
	if end.Valid {
		e := end.Time.UTC()
		it.EndAt = &e
	}
	it.PublishAt, it.CreatedAt = it.PublishAt.UTC(), it.CreatedAt.UTC()
	it.Attachments = []guidance.File{}
	return it, err
}

// codes writes a list of codes as the column keeps it.
func codes(cs []string) string {
	if len(cs) == 0 {
		return ""
	}
	return " " + strings.Join(cs, " ") + " "
}

// Publish publishes a piece of guidance for regions in the publisher's scope.
func (h *Guidance) Publish(ctx context.Context, p auth.Principal, it guidance.Item, knownCategory func(string) bool) (guidance.Item, error) {
	db := h.s.DB
	if !p.Can(auth.GuidancePublish) {
		return it, apperr.NewForbidden()
	}
	if err := it.Validate(knownCategory); err != nil {
		return it, err
	}
	for _, code := range it.Regions {
		if err := db.regionInScope(ctx, p, "regions", code); err != nil {
			return it, err
		}
	}
	if it.ParkID != 0 {
		if _, err := db.GetPark(ctx, p, it.ParkID); err != nil {
			if apperr.KindOf(err) == apperr.NotFound {
				return it, apperr.NewInvalid("park_id", "园区不存在或不在您的管辖范围内", "The park does not exist or is outside your scope")
			}
			return it, err
		}
	}
	var end any
	if it.EndAt != nil {
		end = it.EndAt.UTC()
	}
	err := db.write(ctx, func(tx *txn) error {
		var err error
		it.ID, err = tx.insertID(`INSERT INTO guidance (kind, title, body, regions, categories, park_id, public, ask_confirm, publish_at, end_at,
			publisher, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			it.Kind, it.Title, it.Body, codes(it.Regions), codes(it.Categories), nullID(it.ParkID), it.Public, it.AskConfirm, it.PublishAt.UTC(), end,
			p.Label(), nullID(p.UserID), tx.now(), tx.now())
		if err != nil {
			return err
		}
		return tx.audit(p, "guidance.publish", "guidance", it.ID, map[string]any{"kind": string(it.Kind), "title": it.Title, "regions": it.Regions,
			"categories": it.Categories, "public": it.Public, "ask_confirm": it.AskConfirm})
	})
	if err != nil {
		return it, err
	}
	return h.Get(ctx, p, it.ID)
}

// reader is what decides which guidance the principal sees: an enterprise's account (or
// its staff and guards) what concerns its enterprise; a park's what concerns its park or
// region; an official's what touches the region of its scope.
type guidanceReader struct {
	enterprise   *guidance.Reader
	enterpriseID int64
	region       string // the region of the scope; "" for everything
	parkID       int64
}

func (db *DB) guidanceReader(ctx context.Context, p auth.Principal) (guidanceReader, error) {
	switch p.Scope.Kind {
	case auth.ScopeAll:
		return guidanceReader{}, nil
	case auth.ScopeRegion:
		return guidanceReader{region: p.Scope.Region}, nil
	case auth.ScopeDept:
		var code string
		err := db.queryRow(ctx, `SELECT region_code FROM departments WHERE id = ?`, p.Scope.ID).Scan(&code)
		return guidanceReader{region: code}, notFound(err, "部门")
	case auth.ScopePark:
		var code string
		err := db.queryRow(ctx, `SELECT region_code FROM parks WHERE id = ?`, p.Scope.ID).Scan(&code)
		return guidanceReader{region: code, parkID: p.Scope.ID}, notFound(err, "园区")
	case auth.ScopeEnterprise:
		var r guidance.Reader
		var park sql.NullInt64
		err := db.queryRow(ctx, `SELECT region_code, category, park_id FROM enterprises WHERE id = ?`, p.Scope.ID).Scan(&r.Region, &r.Category, &park)
		r.ParkID = park.Int64
		return guidanceReader{enterprise: &r, enterpriseID: p.Scope.ID}, notFound(err, "企业")
	}
	return guidanceReader{region: "-"}, nil
}

// sees reports whether the reader sees an item.
func (g guidanceReader) sees(it guidance.Item) bool {
	if g.enterprise != nil {
		return it.Concerns(*g.enterprise)
	}
	if g.parkID != 0 && it.ParkID != 0 && it.ParkID != g.parkID {
		return false
	}
	if g.region == "" {
		return true
	}
	for _, code := range it.Regions {
		// Published for the scope's region or a part of it, or for a region above it.
		if strings.HasPrefix(code, g.region) || strings.HasPrefix(g.region, code) {
			return true
		}
	}
	return false
}

// List lists the guidance the principal sees, newest first. An enterprise sees only what
// is in force.
func (h *Guidance) List(ctx context.Context, p auth.Principal, f guidance.Filter) ([]guidance.Item, int, error) {
	db := h.s.DB
	g, err := db.guidanceReader(ctx, p)
	if err != nil {
		return nil, 0, err
	}
	if g.enterprise != nil {
		f.Current = true
	}
	return h.list(ctx, f, g.sees, g.enterpriseID)
}

// PublicList lists the public guidance in force, newest first.
func (h *Guidance) PublicList(ctx context.Context, f guidance.Filter) ([]guidance.Item, int, error) {
	f.Current = true
	return h.list(ctx, f, func(it guidance.Item) bool { return it.Public }, 0)
}

// list filters the items matching f by sees, and pages them.
func (h *Guidance) list(ctx context.Context, f guidance.Filter, sees func(guidance.Item) bool, enterpriseID int64) ([]guidance.Item, int, error) {
	db := h.s.DB
	var w where
	if f.Kind != "" {
		w.add("g.kind = ?", f.Kind)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + likeEscape(q) + "%"
		w.add(`(g.title LIKE ? ESCAPE '\' OR g.body LIKE ? ESCAPE '\')`, like, like)
	}
	if f.Current {
		now := db.Now()
		w.add("g.publish_at <= ? AND (g.end_at IS NULL OR g.end_at > ?)", now, now)
	}
	rows, err := db.query(ctx, `SELECT `+guidanceCols+` FROM guidance g`+w.sql()+` ORDER BY g.publish_at DESC, g.id DESC LIMIT 2000`, w.args...)
	if err != nil {
		return nil, 0, err
	}
	var all []guidance.Item
	for rows.Next() {
		it, err := scanGuidance(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		if sees(it) {
			all = append(all, it)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Norm()
	from := min(pg.Offset(), len(all))
	out := all[from:min(from+pg.Size, len(all))]
	if enterpriseID != 0 {
		for i := range out {
			if out[i].Confirmed, err = h.confirmed(ctx, out[i].ID, enterpriseID); err != nil {
				return nil, 0, err
			}
		}
	}
	return append([]guidance.Item{}, out...), len(all), nil
}

func (h *Guidance) confirmed(ctx context.Context, id, enterpriseID int64) (bool, error) {
	var n int
	err := h.s.DB.queryRow(ctx, `SELECT COUNT(*) FROM guidance_reads WHERE guidance_id = ? AND enterprise_id = ?`, id, enterpriseID).Scan(&n)
	return n > 0, err
}

func (h *Guidance) get(ctx context.Context, id int64) (guidance.Item, error) {
	db := h.s.DB
	it, err := scanGuidance(db.queryRow(ctx, `SELECT `+guidanceCols+` FROM guidance g WHERE g.id = ?`, id))
	if err != nil {
		return it, notFound(err, "公告")
	}
	rows, err := db.query(ctx, `SELECT name, sha256, content_type, size FROM guidance_files WHERE guidance_id = ? ORDER BY name`, id)
	if err != nil {
		return it, err
	}
	defer rows.Close()
	for rows.Next() {
		var f guidance.File
		if err := rows.Scan(&f.Name, &f.SHA256, &f.ContentType, &f.Size); err != nil {
			return it, err
		}
		it.Attachments = append(it.Attachments, f)
	}
	return it, rows.Err()
}

// Attach adds a stored file to an item the publisher sees, audited; an item holds at most
// guidance.MaxFiles.
func (h *Guidance) Attach(ctx context.Context, p auth.Principal, id int64, f guidance.File) (guidance.Item, error) {
	if !p.Can(auth.GuidancePublish) {
		return guidance.Item{}, apperr.NewForbidden()
	}
	it, err := h.Get(ctx, p, id)
	if err != nil {
		return it, err
	}
	if err := guidance.CheckAttach(it, f); err != nil {
		return it, err
	}
	err = h.s.DB.write(ctx, func(tx *txn) error {
		if _, err := tx.exec(`INSERT INTO guidance_files (guidance_id, name, sha256, content_type, size) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			id, f.Name, f.SHA256, f.ContentType, f.Size); err != nil {
			return err
		}
		return tx.audit(p, "guidance.attach", "guidance", id, map[string]any{"name": f.Name, "sha256": f.SHA256, "size": f.Size})
	})
	if err != nil {
		return it, err
	}
	return h.Get(ctx, p, id)
}

// Get is one item the principal sees (an enterprise: in force).
func (h *Guidance) Get(ctx context.Context, p auth.Principal, id int64) (guidance.Item, error) {
	db := h.s.DB
	g, err := db.guidanceReader(ctx, p)
	if err != nil {
		return guidance.Item{}, err
	}
	it, err := h.get(ctx, id)
	if err != nil {
		return it, err
	}
	if !g.sees(it) || g.enterprise != nil && !it.InForce(db.Now()) {
		return guidance.Item{}, apperr.NewNotFound("公告")
	}
	if g.enterpriseID != 0 {
		if it.Confirmed, err = h.confirmed(ctx, id, g.enterpriseID); err != nil {
			return it, err
		}
	}
	return it, nil
}

// PublicGet is one public item in force.
func (h *Guidance) PublicGet(ctx context.Context, id int64) (guidance.Item, error) {
	it, err := h.get(ctx, id)
	if err != nil {
		return it, err
	}
	if !it.Public || !it.InForce(h.s.DB.Now()) {
		return guidance.Item{}, apperr.NewNotFound("公告")
	}
	return it, nil
}

// Confirm records that the principal's enterprise has read an item that asks it.
func (h *Guidance) Confirm(ctx context.Context, p auth.Principal, id int64) (guidance.Item, error) {
	db := h.s.DB
	if p.Scope.Kind != auth.ScopeEnterprise || p.Role != auth.Enterprise {
		return guidance.Item{}, apperr.NewForbidden()
	}
	it, err := h.Get(ctx, p, id)
	if err != nil {
		return it, err
	}
	if !it.AskConfirm {
		return it, apperr.NewConflict("该公告不需要确认阅读", "This notice does not ask for a confirmation")
	}
	if it.Confirmed {
		return it, nil
	}
	err = db.write(ctx, func(tx *txn) error {
		if _, err := tx.exec(`INSERT INTO guidance_reads (guidance_id, enterprise_id, user_id, read_at) VALUES (?, ?, ?, ?)`, id, p.Scope.ID, nullID(p.UserID), tx.now()); err != nil {
			return err
		}
		return tx.audit(p, "guidance.read", "guidance", id, map[string]any{"enterprise_id": p.Scope.ID})
	})
	if err != nil {
		return it, err
	}
	return h.Get(ctx, p, id)
}

// ForHome is what an enterprise's home page shows: the guidance in force that concerns
// it, the unconfirmed first, at most n.
func (h *Guidance) ForHome(ctx context.Context, p auth.Principal, n int) ([]guidance.Item, error) {
	if p.Scope.Kind != auth.ScopeEnterprise {
		return nil, nil
	}
	items, _, err := h.List(ctx, p, guidance.Filter{Current: true, Page: list.Page{Size: list.MaxSize}})
	if err != nil {
		return nil, err
	}
	var first, rest []guidance.Item
	for _, it := range items {
		if it.AskConfirm && !it.Confirmed {
			first = append(first, it)
		} else {
			rest = append(rest, it)
		}
	}
	out := append(first, rest...)
	return out[:min(n, len(out))], nil
}
