package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/region"
)

// nearestParent is the closest ancestor of code that exists, or nil for a root.
func (tx *txn) nearestParent(code string) (any, error) {
	for _, a := range region.Ancestors(code) {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM regions WHERE code = ?`, a).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			return a, nil
		}
	}
	return nil, nil
}

// SaveRegions creates or renames regions, all or none. Every region must lie in the
// actor's subtree, so an administrator of one county cannot create or rename regions
// elsewhere. Regions are saved parents first, and children already stored below a new
// region are re-attached to it. Problems name the input as regions[i].field.
func (db *DB) SaveRegions(ctx context.Context, actor auth.Principal, rs []region.Region) (created, updated int, err error) {
	prefix, all, none, err := db.scopeRegionPrefix(ctx, actor)
	if err != nil {
		return 0, 0, err
	}
	var ps apperr.Problems
	for i := range rs {
		if err := rs[i].Validate(); err != nil {
			e, _ := apperr.As(err)
			for _, p := range e.Problems {
				ps.Add(fmt.Sprintf("regions[%d].%s", i, p.Field), p.Message, p.MessageEN)
			}
			continue
		}
		if !all && (none || !strings.HasPrefix(rs[i].Code, prefix)) {
			ps.Add(fmt.Sprintf("regions[%d].code", i), "区域不在您的管辖范围内:"+rs[i].Code, "The region is outside your scope: "+rs[i].Code)
		}
	}
	if err := ps.Err(); err != nil {
		return 0, 0, err
	}
	// Parents first: shorter codes are higher levels.
	sorted := append([]region.Region(nil), rs...)
	sortRegions(sorted)
	err = db.write(ctx, func(tx *txn) error {
		created, updated = 0, 0
		for _, r := range sorted {
			var oldName string
			err := tx.queryRow(`SELECT name FROM regions WHERE code = ?`, r.Code).Scan(&oldName)
			switch {
			case isNoRows(err):
				parent, err := tx.nearestParent(r.Code)
				if err != nil {
					return err
				}
				if _, err := tx.exec(`INSERT INTO regions (code, name, level, parent_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
					r.Code, r.Name, int(r.Level), parent, tx.now(), tx.now()); err != nil {
					return err
				}
				if err := tx.adoptDescendants(r.Code); err != nil {
					return err
				}
				created++
				if err := tx.audit(actor, "region.create", "region", r.Code, map[string]any{"name": r.Name, "level": r.Level}); err != nil {
					return err
				}
			case err != nil:
				return err
			case oldName != r.Name:
				if _, err := tx.exec(`UPDATE regions SET name = ?, updated_at = ? WHERE code = ?`, r.Name, tx.now(), r.Code); err != nil {
					return err
				}
				updated++
				if err := tx.audit(actor, "region.update", "region", r.Code, map[string]any{"name": map[string]any{"from": oldName, "to": r.Name}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return created, updated, err
}

// adoptDescendants re-attaches stored regions below code whose parent was an ancestor
// of code (or none) to code itself.
func (tx *txn) adoptDescendants(code string) error {
	rows, err := tx.query(`SELECT code, COALESCE(parent_code, '') FROM regions WHERE code LIKE ? AND code <> ?`, region.Prefix(code)+"%", code)
	if err != nil {
		return err
	}
	above := map[string]bool{"": true}
	for _, a := range region.Ancestors(code) {
		above[a] = true
	}
	var adopt []string
	for rows.Next() {
		var c, parent string
		if err := rows.Scan(&c, &parent); err != nil {
			rows.Close()
			return err
		}
		if above[parent] {
			adopt = append(adopt, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range adopt {
		if _, err := tx.exec(`UPDATE regions SET parent_code = ? WHERE code = ?`, code, c); err != nil {
			return err
		}
	}
	return nil
}

func sortRegions(rs []region.Region) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].Level < rs[j-1].Level; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

const regionCols = `r.code, r.name, r.level, COALESCE(r.parent_code, ''), r.created_at, r.updated_at,
	(SELECT COUNT(*) FROM regions c WHERE c.parent_code = r.code)`

func scanRegion(sc interface{ Scan(...any) error }) (region.Region, error) {
	var r region.Region
	var level int
	err := sc.Scan(&r.Code, &r.Name, &level, &r.ParentCode, &r.CreatedAt, &r.UpdatedAt, &r.Children)
	r.Level = region.Level(level)
	return r, err
}

// ListRegions lists regions in the principal's scope: the children of f.Parent, the
// matches of f.Q anywhere in scope, or else the topmost regions in scope.
func (db *DB) ListRegions(ctx context.Context, p auth.Principal, f region.Filter) ([]region.Region, int, error) {
	var w where
	if err := db.regionScope(ctx, p, &w, "r.code"); err != nil {
		return nil, 0, err
	}
	switch {
	case strings.TrimSpace(f.Q) != "":
		q := strings.TrimSpace(f.Q)
		w.add(`(r.name LIKE ? ESCAPE '\' OR r.code LIKE ?)`, "%"+likeEscape(q)+"%", likeEscape(q)+"%")
	case f.Parent != "":
		w.add("r.parent_code = ?", f.Parent)
	default:
		// Topmost in scope: no parent, or a parent outside the scope.
		var inner where
		if err := db.regionScope(ctx, p, &inner, "pr.code"); err != nil {
			return nil, 0, err
		}
		cond := "r.parent_code IS NULL"
		if len(inner.conds) > 0 {
			cond = "(r.parent_code IS NULL OR NOT EXISTS (SELECT 1 FROM regions pr" + inner.sql() + " AND pr.code = r.parent_code))"
		}
		w.add(cond, inner.args...)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM regions r`+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+regionCols+` FROM regions r`+w.sql()+` ORDER BY r.code`+limit(f.Page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []region.Region
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// GetRegion returns a region in the principal's scope.
func (db *DB) GetRegion(ctx context.Context, p auth.Principal, code string) (region.Region, error) {
	var w where
	if err := db.regionScope(ctx, p, &w, "r.code"); err != nil {
		return region.Region{}, err
	}
	w.add("r.code = ?", code)
	r, err := scanRegion(db.queryRow(ctx, `SELECT `+regionCols+` FROM regions r`+w.sql(), w.args...))
	return r, notFound(err, "区域")
}

// RegionPath returns the stored ancestors of code and the region itself, root first.
func (db *DB) RegionPath(ctx context.Context, code string) ([]region.Region, error) {
	var path []region.Region
	for c := code; c != ""; {
		r, err := scanRegion(db.queryRow(ctx, `SELECT `+regionCols+` FROM regions r WHERE r.code = ?`, c))
		if err != nil {
			if isNoRows(err) {
				break
			}
			return nil, err
		}
		path = append([]region.Region{r}, path...)
		c = r.ParentCode
	}
	return path, nil
}

// AllRegions returns every region in scope, ordered by code (for pickers and exports).
func (db *DB) AllRegions(ctx context.Context, p auth.Principal) ([]region.Region, error) {
	// A city's thousand regions fill every filter's choices; they change only by a
	// Write, which forgets what is kept.
	rs, err := keep(ctx, db, &db.counts, fmt.Sprint("regions|", p.Scope), countTTL, func(ctx context.Context) ([]region.Region, bool, error) {
		rs, err := db.allRegions(ctx, p)
		return rs, true, err
	})
	return slices.Clone(rs), err
}

// allRegions is AllRegions, read.
func (db *DB) allRegions(ctx context.Context, p auth.Principal) ([]region.Region, error) {
	var w where
	if err := db.regionScope(ctx, p, &w, "r.code"); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+regionCols+` FROM regions r`+w.sql()+` ORDER BY r.code`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []region.Region
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// --- parks ---

const parkCols = `p.id, p.name, p.region_code, COALESCE(r.name, ''), p.operator, p.contact, p.phone, p.created_at, p.updated_at`

func scanPark(sc interface{ Scan(...any) error }) (region.Park, error) {
	var p region.Park
	err := sc.Scan(&p.ID, &p.Name, &p.RegionCode, &p.RegionName, &p.Operator, &p.Contact, &p.Phone, &p.CreatedAt, &p.UpdatedAt)
	return p, err
}

// regionInScope checks that a region exists and lies in the principal's scope.
func (db *DB) regionInScope(ctx context.Context, p auth.Principal, field, code string) error {
	if _, err := db.GetRegion(ctx, p, code); err != nil {
		if apperr.KindOf(err) == apperr.NotFound {
			return apperr.NewInvalid(field, "区域不存在或不在您的管辖范围内:"+code, "The region does not exist or is outside your scope: "+code)
		}
		return err
	}
	return nil
}

// SavePark creates (ID 0) or updates a park.
func (db *DB) SavePark(ctx context.Context, actor auth.Principal, pk region.Park) (region.Park, error) {
	if err := pk.Validate(); err != nil {
		return pk, err
	}
	if err := db.regionInScope(ctx, actor, "region_code", pk.RegionCode); err != nil {
		return pk, err
	}
	err := db.write(ctx, func(tx *txn) error {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM parks WHERE region_code = ? AND name = ? AND id <> ?`, pk.RegionCode, pk.Name, pk.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.NewInvalid("name", "该区域已有同名园区", "A park of that name already exists in the region")
		}
		if pk.ID == 0 {
			id, err := tx.insertID(`INSERT INTO parks (name, region_code, operator, contact, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				pk.Name, pk.RegionCode, pk.Operator, pk.Contact, pk.Phone, tx.now(), tx.now())
			if err != nil {
				return err
			}
			pk.ID = id
			return tx.audit(actor, "park.create", "park", id, map[string]any{"name": pk.Name, "region_code": pk.RegionCode, "operator": pk.Operator})
		}
		old, err := scanPark(tx.queryRow(`SELECT `+parkCols+` FROM parks p LEFT JOIN regions r ON r.code = p.region_code WHERE p.id = ?`, pk.ID))
		if err != nil {
			return notFound(err, "园区")
		}
		if _, err := tx.exec(`UPDATE parks SET name = ?, region_code = ?, operator = ?, contact = ?, phone = ?, updated_at = ? WHERE id = ?`,
			pk.Name, pk.RegionCode, pk.Operator, pk.Contact, pk.Phone, tx.now(), pk.ID); err != nil {
			return err
		}
		return tx.audit(actor, "park.update", "park", pk.ID, diff(map[string][2]any{"name": {old.Name, pk.Name},
			"region_code": {old.RegionCode, pk.RegionCode}, "operator": {old.Operator, pk.Operator},
			"contact": {old.Contact, pk.Contact}, "phone": {old.Phone, pk.Phone}}))
	})
	return pk, err
}

// ListParks lists the parks in the principal's scope, optionally in one region's subtree.
func (db *DB) ListParks(ctx context.Context, p auth.Principal, regionCode, q string, page list.Page) ([]region.Park, int, error) {
	var w where
	if p.Scope.Kind == auth.ScopePark {
		w.add("p.id = ?", p.Scope.ID)
	} else if err := db.regionScope(ctx, p, &w, "p.region_code"); err != nil {
		return nil, 0, err
	}
	if regionCode != "" {
		regionCond(&w, "p.region_code", regionCode)
	}
	if q = strings.TrimSpace(q); q != "" {
		w.add(`(p.name LIKE ? ESCAPE '\' OR p.operator LIKE ? ESCAPE '\')`, "%"+likeEscape(q)+"%", "%"+likeEscape(q)+"%")
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM parks p`+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+parkCols+` FROM parks p LEFT JOIN regions r ON r.code = p.region_code`+w.sql()+` ORDER BY p.region_code, p.name`+limit(page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []region.Park
	for rows.Next() {
		pk, err := scanPark(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, pk)
	}
	return out, total, rows.Err()
}

// GetPark returns a park in the principal's scope.
func (db *DB) GetPark(ctx context.Context, p auth.Principal, id int64) (region.Park, error) {
	var w where
	if p.Scope.Kind == auth.ScopePark {
		w.add("p.id = ?", p.Scope.ID)
	} else if err := db.regionScope(ctx, p, &w, "p.region_code"); err != nil {
		return region.Park{}, err
	}
	w.add("p.id = ?", id)
	pk, err := scanPark(db.queryRow(ctx, `SELECT `+parkCols+` FROM parks p LEFT JOIN regions r ON r.code = p.region_code`+w.sql(), w.args...))
	return pk, notFound(err, "园区")
}

// --- departments ---

const deptCols = `d.id, d.name, d.unit_code, d.region_code, COALESCE(r.name, ''), d.phone, d.created_at, d.updated_at`

func scanDept(sc interface{ Scan(...any) error }) (region.Department, error) {
	var d region.Department
	err := sc.Scan(&d.ID, &d.Name, &d.UnitCode, &d.RegionCode, &d.RegionName, &d.Phone, &d.CreatedAt, &d.UpdatedAt)
	return d, err
}

// SaveDepartment creates (ID 0) or updates a department.
func (db *DB) SaveDepartment(ctx context.Context, actor auth.Principal, d region.Department, knownUnit func(string) bool) (region.Department, error) {
	if err := d.Validate(knownUnit); err != nil {
		return d, err
	}
	if err := db.regionInScope(ctx, actor, "region_code", d.RegionCode); err != nil {
		return d, err
	}
	err := db.write(ctx, func(tx *txn) error {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM departments WHERE region_code = ? AND name = ? AND id <> ?`, d.RegionCode, d.Name, d.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.NewInvalid("name", "该区域已有同名部门", "A department of that name already exists in the region")
		}
		if d.ID == 0 {
			id, err := tx.insertID(`INSERT INTO departments (name, unit_code, region_code, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
				d.Name, d.UnitCode, d.RegionCode, d.Phone, tx.now(), tx.now())
			if err != nil {
				return err
			}
			d.ID = id
			return tx.audit(actor, "department.create", "department", id, map[string]any{"name": d.Name, "unit_code": d.UnitCode, "region_code": d.RegionCode})
		}
		old, err := scanDept(tx.queryRow(`SELECT `+deptCols+` FROM departments d LEFT JOIN regions r ON r.code = d.region_code WHERE d.id = ?`, d.ID))
		if err != nil {
			return notFound(err, "部门")
		}
		if _, err := tx.exec(`UPDATE departments SET name = ?, unit_code = ?, region_code = ?, phone = ?, updated_at = ? WHERE id = ?`,
			d.Name, d.UnitCode, d.RegionCode, d.Phone, tx.now(), d.ID); err != nil {
			return err
		}
		return tx.audit(actor, "department.update", "department", d.ID, diff(map[string][2]any{"name": {old.Name, d.Name},
			"unit_code": {old.UnitCode, d.UnitCode}, "region_code": {old.RegionCode, d.RegionCode}, "phone": {old.Phone, d.Phone}}))
	})
	return d, err
}

// ListDepartments lists departments in the principal's scope.
func (db *DB) ListDepartments(ctx context.Context, p auth.Principal, regionCode, q string, page list.Page) ([]region.Department, int, error) {
	var w where
	if p.Scope.Kind == auth.ScopeDept {
		w.add("d.id = ?", p.Scope.ID)
	} else if err := db.regionScope(ctx, p, &w, "d.region_code"); err != nil {
		return nil, 0, err
	}
	if regionCode != "" {
		regionCond(&w, "d.region_code", regionCode)
	}
	if q = strings.TrimSpace(q); q != "" {
		w.add(`(d.name LIKE ? ESCAPE '\' OR d.unit_code = ?)`, "%"+likeEscape(q)+"%", q)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM departments d`+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+deptCols+` FROM departments d LEFT JOIN regions r ON r.code = d.region_code`+w.sql()+` ORDER BY d.region_code, d.name`+limit(page), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []region.Department
	for rows.Next() {
		d, err := scanDept(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, d)
	}
	return out, total, rows.Err()
}

// GetDepartment returns a department in the principal's scope.
func (db *DB) GetDepartment(ctx context.Context, p auth.Principal, id int64) (region.Department, error) {
	var w where
	if p.Scope.Kind == auth.ScopeDept {
		w.add("d.id = ?", p.Scope.ID)
	} else if err := db.regionScope(ctx, p, &w, "d.region_code"); err != nil {
		return region.Department{}, err
	}
	w.add("d.id = ?", id)
	d, err := scanDept(db.queryRow(ctx, `SELECT `+deptCols+` FROM departments d LEFT JOIN regions r ON r.code = d.region_code`+w.sql(), w.args...))
	return d, notFound(err, "部门")
}
