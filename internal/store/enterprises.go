package store

import (
	"context"
	"fmt"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/region"
)

const enterpriseCols = `e.id, e.name, e.uscc, e.category, e.region_code, COALESCE(e.park_id, 0), e.status,
	e.has_canteen, e.has_dormitory, e.has_bus, e.key_enterprise, e.legal_rep, e.prevention_lead,
	e.prevention_phone, e.address, e.headcount, e.version, e.created_at, e.updated_at,
	COALESCE(r.name, ''), COALESCE(p.name, '')`

const enterpriseFrom = ` FROM enterprises e LEFT JOIN regions r ON r.code = e.region_code LEFT JOIN parks p ON p.id = e.park_id`

func scanEnterprise(sc interface{ Scan(...any) error }) (enterprise.Enterprise, error) {
	var e enterprise.Enterprise
	err := sc.Scan(&e.ID, &e.Name, &e.USCC, &e.Category, &e.RegionCode, &e.ParkID, &e.Status,
		&e.HasCanteen, &e.HasDormitory, &e.HasBus, &e.KeyEnterprise, &e.LegalRep, &e.PreventionLead,
		&e.PreventionPhone, &e.Address, &e.Headcount, &e.Version, &e.CreatedAt, &e.UpdatedAt,
		&e.RegionName, &e.ParkName)
	return e, err
}

func (db *DB) enterpriseWhere(ctx context.Context, p auth.Principal, f enterprise.Filter) (where, error) {
	var w where
	if err := db.enterpriseScope(ctx, p, &w); err != nil {
		return w, err
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + likeEscape(q) + "%"
		w.add(`(e.name LIKE ? ESCAPE '\' OR e.uscc LIKE ? ESCAPE '\' OR e.prevention_lead LIKE ? ESCAPE '\' OR e.legal_rep LIKE ? ESCAPE '\')`,
			like, strings.ToUpper(like), like, like)
	}
	if f.Region != "" {
		regionCond(&w, "e.region_code", f.Region)
	}
	if f.ParkID != 0 {
		w.add("e.park_id = ?", f.ParkID)
	}
	if len(f.IDs) > 0 {
		args := make([]any, len(f.IDs))
		for i, id := range f.IDs {
			args[i] = id
		}
		w.add("e.id IN (?"+strings.Repeat(", ?", len(f.IDs)-1)+")", args...)
	}
	if f.Category != "" {
		w.add("e.category = ?", f.Category)
	}
	if f.Status != "" {
		w.add("e.status = ?", f.Status)
	}
	if f.Key {
		w.add("e.key_enterprise = TRUE")
	}
	return w, nil
}

// ListEnterprises returns one page of the enterprises in the principal's scope that match
// the filter, and how many match in all.
func (db *DB) ListEnterprises(ctx context.Context, p auth.Principal, f enterprise.Filter) ([]enterprise.Enterprise, int, error) {
	w, err := db.enterpriseWhere(ctx, p, f)
	if err != nil {
		return nil, 0, err
	}
	// Enterprises change only by a Write, which forgets what is kept; a page's enterprises
	// looked up by id are few and not worth keeping.
	total, err := keep(ctx, db, &db.counts, fmt.Sprint("enterprises|", w.sql(), w.args), countTTL, func(ctx context.Context) (int, bool, error) {
		var n int
		err := db.queryRow(ctx, `SELECT COUNT(*) FROM enterprises e`+w.sql(), w.args...).Scan(&n)
		return n, len(f.IDs) == 0, err
	})
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+enterpriseCols+enterpriseFrom+w.sql()+` ORDER BY e.id DESC`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []enterprise.Enterprise
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// EachEnterprise calls fn for every enterprise in scope matching the filter (ignoring its
// page), streaming rows for exports.
func (db *DB) EachEnterprise(ctx context.Context, p auth.Principal, f enterprise.Filter, fn func(enterprise.Enterprise) error) error {
	w, err := db.enterpriseWhere(ctx, p, f)
	if err != nil {
		return err
	}
	rows, err := db.query(ctx, `SELECT `+enterpriseCols+enterpriseFrom+w.sql()+` ORDER BY e.id`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// GetEnterprise returns an enterprise in the principal's scope; one outside it is not found.
func (db *DB) GetEnterprise(ctx context.Context, p auth.Principal, id int64) (enterprise.Enterprise, error) {
	var w where
	if err := db.enterpriseScope(ctx, p, &w); err != nil {
		return enterprise.Enterprise{}, err
	}
	w.add("e.id = ?", id)
	e, err := scanEnterprise(db.queryRow(ctx, `SELECT `+enterpriseCols+enterpriseFrom+w.sql(), w.args...))
	return e, notFound(err, "企业")
}

// checkPlacement checks, inside tx, that the region exists and is in the actor's scope and
// that the park (if any) lies in that region's subtree.
func (tx *txn) checkPlacement(ctx context.Context, actor auth.Principal, e *enterprise.Enterprise, ps *apperr.Problems) error {
	var level int
	err := tx.queryRow(`SELECT level FROM regions WHERE code = ?`, e.RegionCode).Scan(&level)
	switch {
	case isNoRows(err):
		ps.Add("region_code", "区域不存在:"+e.RegionCode+",请先在区域管理中添加", "No such region "+e.RegionCode+"; add it under Regions first")
		return nil
	case err != nil:
		return err
	}
	if !inScopeRegion(actor, e.RegionCode, tx) {
		ps.Add("region_code", "该区域不在您的管辖范围内", "That region is outside your scope")
	}
	if e.ParkID != 0 {
		var parkRegion string
		err := tx.queryRow(`SELECT region_code FROM parks WHERE id = ?`, e.ParkID).Scan(&parkRegion)
		switch {
		case isNoRows(err):
			ps.Add("park_id", "园区不存在", "No such park")
		case err != nil:
			return err
		case !strings.HasPrefix(e.RegionCode, region.Prefix(parkRegion)) && !strings.HasPrefix(parkRegion, region.Prefix(e.RegionCode)):
			ps.Add("park_id", "园区不在企业所在区域内", "The park is not in the enterprise's region")
		}
		if actor.Scope.Kind == auth.ScopePark && actor.Scope.ID != e.ParkID {
			ps.Add("park_id", "只能登记本园区的企业", "You can only register enterprises of your own park")
		}
	} else if actor.Scope.Kind == auth.ScopePark {
		ps.Add("park_id", "只能登记本园区的企业", "You can only register enterprises of your own park")
	}
	return nil
}

// inScopeRegion reports whether a region code lies in the actor's scope (region scopes;
// other kinds are checked by their own rules).
func inScopeRegion(actor auth.Principal, code string, tx *txn) bool {
	switch actor.Scope.Kind {
	case auth.ScopeAll:
		return true
	case auth.ScopeRegion:
		return strings.HasPrefix(code, region.Prefix(actor.Scope.Region))
	case auth.ScopePark:
		var parkRegion string
		if err := tx.queryRow(`SELECT region_code FROM parks WHERE id = ?`, actor.Scope.ID).Scan(&parkRegion); err != nil {
			return false
		}
		return strings.HasPrefix(code, region.Prefix(parkRegion)) || strings.HasPrefix(parkRegion, region.Prefix(code))
	}
	return false
}

// CreateEnterprise registers an enterprise. knownCategory checks categories against the
// policy in force.
func (db *DB) CreateEnterprise(ctx context.Context, actor auth.Principal, e enterprise.Enterprise, knownCategory func(string) bool) (enterprise.Enterprise, error) {
	if !actor.Can(auth.EnterprisesAdd) {
		return e, apperr.NewForbidden()
	}
	ps := e.Validate(knownCategory)
	err := db.write(ctx, func(tx *txn) error {
		if e.RegionCode != "" {
			if err := tx.checkPlacement(ctx, actor, &e, &ps); err != nil {
				return err
			}
		}
		if e.USCC != "" {
			var n int
			if err := tx.queryRow(`SELECT COUNT(*) FROM enterprises WHERE uscc = ?`, e.USCC).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				ps.Add("uscc", "该统一社会信用代码已登记", "An enterprise with this credit code is already registered")
			}
		}
		if err := ps.Err(); err != nil {
			return err
		}
		e.Version, e.CreatedAt, e.UpdatedAt = 1, tx.now(), tx.now()
		id, err := tx.insertID(`INSERT INTO enterprises (name, uscc, category, region_code, park_id, status, has_canteen, has_dormitory,
			has_bus, key_enterprise, legal_rep, prevention_lead, prevention_phone, address, headcount, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, enterpriseArgs(e, tx)...)
		if err != nil {
			return err
		}
		e.ID = id
		return tx.audit(actor, "enterprise.create", "enterprise", id, enterpriseSummary(e))
	})
	if err != nil {
		return e, err
	}
	return db.GetEnterprise(ctx, actor, e.ID)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func enterpriseArgs(e enterprise.Enterprise, tx *txn) []any {
	return []any{e.Name, e.USCC, e.Category, e.RegionCode, nullID(e.ParkID), e.Status, e.HasCanteen, e.HasDormitory,
		e.HasBus, e.KeyEnterprise, e.LegalRep, e.PreventionLead, e.PreventionPhone, e.Address, e.Headcount, tx.now(), tx.now()}
}

func enterpriseSummary(e enterprise.Enterprise) map[string]any {
	return map[string]any{"name": e.Name, "uscc": e.USCC, "category": e.Category, "region_code": e.RegionCode,
		"park_id": e.ParkID, "status": e.Status, "headcount": e.Headcount}
}

// EnterpriseFields maps each editable field to its value in an enterprise, for diffs and
// for the per-role rules of what may change.
func enterpriseFields(e enterprise.Enterprise) map[string]any {
	return map[string]any{
		"name": e.Name, "uscc": e.USCC, "category": e.Category, "region_code": e.RegionCode, "park_id": e.ParkID,
		"status": e.Status, "has_canteen": e.HasCanteen, "has_dormitory": e.HasDormitory, "has_bus": e.HasBus,
		"key_enterprise": e.KeyEnterprise, "legal_rep": e.LegalRep, "prevention_lead": e.PreventionLead,
		"prevention_phone": e.PreventionPhone, "address": e.Address, "headcount": e.Headcount,
	}
}

// UpdateEnterprise saves changes to an enterprise in the actor's scope. expectVersion,
// when not zero, must match the stored version (optimistic locking): a concurrent edit
// answers a conflict instead of being overwritten.
func (db *DB) UpdateEnterprise(ctx context.Context, actor auth.Principal, e enterprise.Enterprise, expectVersion int, knownCategory func(string) bool) (enterprise.Enterprise, error) {
	if !actor.Can(auth.EnterprisesEdit) {
		return e, apperr.NewForbidden()
	}
	old, err := db.GetEnterprise(ctx, actor, e.ID)
	if err != nil {
		return e, err
	}
	ps := e.Validate(knownCategory)
	before, after := enterpriseFields(old), enterpriseFields(e)
	changes := map[string][2]any{}
	for k, v := range after {
		if fmt.Sprint(before[k]) != fmt.Sprint(v) {
			changes[k] = [2]any{before[k], v}
			if !enterprise.MayChange(actor.Role, k) {
				ps.Add(k, "您的角色不能修改此项", "Your role cannot change this field")
			}
		}
	}
	err = db.write(ctx, func(tx *txn) error {
		_, regionChanged := changes["region_code"]
		_, parkChanged := changes["park_id"]
		if regionChanged || parkChanged {
			if err := tx.checkPlacement(ctx, actor, &e, &ps); err != nil {
				return err
			}
		}
		if _, ok := changes["uscc"]; ok {
			var n int
			if err := tx.queryRow(`SELECT COUNT(*) FROM enterprises WHERE uscc = ? AND id <> ?`, e.USCC, e.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				ps.Add("uscc", "该统一社会信用代码已登记", "An enterprise with this credit code is already registered")
			}
		}
		if err := ps.Err(); err != nil {
			return err
		}
		if len(changes) == 0 {
			e.Version = old.Version
			return nil
		}
		if expectVersion == 0 {
			expectVersion = old.Version
		}
		res, err := tx.exec(`UPDATE enterprises SET name = ?, uscc = ?, category = ?, region_code = ?, park_id = ?, status = ?,
			has_canteen = ?, has_dormitory = ?, has_bus = ?, key_enterprise = ?, legal_rep = ?, prevention_lead = ?,
			prevention_phone = ?, address = ?, headcount = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`,
			e.Name, e.USCC, e.Category, e.RegionCode, nullID(e.ParkID), e.Status, e.HasCanteen, e.HasDormitory, e.HasBus,
			e.KeyEnterprise, e.LegalRep, e.PreventionLead, e.PreventionPhone, e.Address, e.Headcount, tx.now(), e.ID, expectVersion)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NewConflict("该企业信息已被他人修改,请刷新后重新编辑", "Someone else changed this enterprise meanwhile; reload and edit again")
		}
		if err := tx.placeRosterCounts(e.ID, e.RegionCode, e.ParkID); err != nil {
			return err
		}
		return tx.audit(actor, "enterprise.update", "enterprise", e.ID, diff(changes))
	})
	if err != nil {
		return e, err
	}
	return db.GetEnterprise(ctx, actor, e.ID)
}

// CountEnterprises counts the enterprises in scope by status (for home pages).
func (db *DB) CountEnterprises(ctx context.Context, p auth.Principal) (map[enterprise.Status]int, int, error) {
	var w where
	if err := db.enterpriseScope(ctx, p, &w); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT e.status, COUNT(*) FROM enterprises e`+w.sql()+` GROUP BY e.status`, w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := map[enterprise.Status]int{}
	total := 0
	for rows.Next() {
		var s enterprise.Status
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, 0, err
		}
		out[s] = n
		total += n
	}
	return out, total, rows.Err()
}

// bytesOrder is col compared in byte order, as the search indexes of migration 021 keep
// it: a prefix is then the range [prefix, prefix+U+10FFFF) whatever the locale.
func (db *DB) bytesOrder(col string) string {
	if db.Engine == Postgres {
		return col + ` COLLATE "C"`
	}
	return col
}

// prefixEnd is the end of the byte-order range of the strings that begin with prefix.
func prefixEnd(prefix string) string { return prefix + "\U0010FFFF" }

// PickEnterprises is one page of the enterprises in the principal's scope whose name or
// credit code begins with what was typed (the newest when nothing was), ordered by name,
// and whether more follow. Each search is a range of an index (migration 021), so it
// costs the same among 50 or 50,000 enterprises.
func (db *DB) PickEnterprises(ctx context.Context, p auth.Principal, pick enterprise.Pick) ([]enterprise.Choice, bool, error) {
	q, args, err := db.pickQuery(ctx, p, pick)
	if err != nil {
		return nil, false, err
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []enterprise.Choice
	for rows.Next() {
		var c enterprise.Choice
		if err := rows.Scan(&c.ID, &c.Name, &c.USCC, &c.RegionName); err != nil {
			return nil, false, err
		}
		out = append(out, c)
	}
	size := pick.Page.Norm().Size
	more := len(out) > size
	if more {
		out = out[:size]
	}
	return out, more, rows.Err()
}

// pickQuery is the query of PickEnterprises: one more row than the page, to tell whether
// more follow.
func (db *DB) pickQuery(ctx context.Context, p auth.Principal, pick enterprise.Pick) (string, []any, error) {
	scoped := func() (where, error) {
		var w where
		return w, db.enterpriseScope(ctx, p, &w)
	}
	page := pick.Page.Norm()
	tail := fmt.Sprintf(" LIMIT %d OFFSET %d", page.Size+1, page.Offset())
	const from = ` FROM enterprises e LEFT JOIN regions r ON r.code = e.region_code`
	const cols = `SELECT e.id, e.name, e.uscc, COALESCE(r.name, '') AS region_name`
	prefix := func(w *where, col, s string) {
		w.add(db.bytesOrder(col)+" >= ? AND "+db.bytesOrder(col)+" < ?", s, prefixEnd(s))
	}
	nw, err := scoped()
	if err != nil {
		return "", nil, err
	}
	switch {
	case pick.Name == "":
		return cols + from + nw.sql() + ` ORDER BY e.id DESC` + tail, nw.args, nil
	case pick.Code == "":
		prefix(&nw, "e.name", pick.Name)
		return cols + from + nw.sql() + ` ORDER BY ` + db.bytesOrder("e.name") + `, e.id` + tail, nw.args, nil
	}
	// Each branch is a range of its own index; the union is ordered as a whole.
	cw, err := scoped()
	if err != nil {
		return "", nil, err
	}
	prefix(&nw, "e.name", pick.Name)
	prefix(&cw, "e.uscc", pick.Code)
	q := `SELECT id, name, uscc, region_name FROM (` + cols + from + nw.sql() + ` UNION ` + cols + from + cw.sql() +
		`) m ORDER BY ` + db.bytesOrder("name") + `, id` + tail
	return q, append(nw.args, cw.args...), nil
}
