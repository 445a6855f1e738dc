package store

import (
	"context"
	"database/sql"
	"slices"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/grid"
	"fugong/internal/pass"
	"fugong/internal/policy"
)

// The grid chain: where the policy has one for an enterprise, its requested passes are
// approved level by level (pass_approvals), the pass issued at the last level.

// querier is a transaction, or the database outside one (dbq).
type querier interface {
	query(q string, args ...any) (*sql.Rows, error)
	queryRow(q string, args ...any) *sql.Row
}

// dbq reads the database outside a transaction.
type dbq struct {
	db  *DB
	ctx context.Context
}

func (d dbq) query(q string, args ...any) (*sql.Rows, error) { return d.db.query(d.ctx, q, args...) }
func (d dbq) queryRow(q string, args ...any) *sql.Row        { return d.db.queryRow(d.ctx, q, args...) }

// chainOf is the grid chain of an enterprise under the policy, if any.
func chainOf(tx querier, pol *policy.Policy, entID int64) (policy.GridChain, bool, error) {
	if len(pol.GridChains) == 0 {
		return policy.GridChain{}, false, nil
	}
	var e enterprise.Enterprise
	if err := tx.queryRow(`SELECT category FROM enterprises WHERE id = ?`, entID).Scan(&e.Category); err != nil {
		return policy.GridChain{}, false, err
	}
	c, ok := grid.ChainFor(pol.GridChains, application.AboveScale(e))
	return c, ok, nil
}

func gridDecisions(tx querier, passID int64) ([]grid.Decision, error) {
	rows, err := tx.query(`SELECT a.step, a.unit, a.approve, a.reason, COALESCE(NULLIF(u.display_name, ''), u.username, ''), a.decided_at
		FROM pass_approvals a LEFT JOIN users u ON u.id = a.decided_by WHERE a.pass_id = ? ORDER BY a.step`, passID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []grid.Decision{}
	for rows.Next() {
		var d grid.Decision
		if err := rows.Scan(&d.Step, &d.Unit, &d.Approve, &d.Reason, &d.By, &d.DecidedAt); err != nil {
			return nil, err
		}
		d.DecidedAt = d.DecidedAt.UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// unitName names a unit of the policy in Chinese.
func (s *Store) unitName(code string) string {
	if u, ok := s.pol.Unit(code); ok {
		return u.Name
	}
	return code
}

// GridDecide records the decision of the caller's grid level on a requested pass of an
// enterprise in scope: a level decides only when the levels below have approved and never
// for another level; a refusal names the level and the reason and stops the pass; the
// last level's approval issues it.
func (h *Passes) GridDecide(ctx context.Context, actor auth.Principal, id int64, approve bool, reason string) (grid.Pass, error) {
	s := h.s
	units, err := s.actorUnits(ctx, actor)
	if err != nil {
		return grid.Pass{}, err
	}
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return grid.Pass{}, err
	}
	w.add("p.id = ?", id)
	err = s.DB.write(ctx, func(tx *txn) error {
		p, err := scanPass(tx.queryRow(`SELECT `+passCols+passFrom+w.sql(), w.args...))
		if err != nil {
			return notFound(err, "出入证")
		}
		return s.gridDecideTx(ctx, tx, actor, units, p, approve, reason)
	})
	if err != nil {
		return grid.Pass{}, err
	}
	return h.gridPass(ctx, actor, id)
}

// GridDecideList records the decision of the caller's grid level on an enterprise's
// returning staff list (返岗人员名单): every requested pass of the enterprise that waits
// for that level, approved or refused together in one transaction — all of them or none.
// It answers the passes as they stand afterwards.
func (h *Passes) GridDecideList(ctx context.Context, actor auth.Principal, enterpriseID int64, approve bool, reason string) ([]grid.Pass, error) {
	s := h.s
	units, err := s.actorUnits(ctx, actor)
	if err != nil {
		return nil, err
	}
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return nil, err
	}
	if err := s.enterpriseInScope(ctx, actor, enterpriseID); err != nil {
		return nil, err
	}
	w.add("p.enterprise_id = ?", enterpriseID)
	w.add("p.status = ?", pass.Requested)
	var ids []int64
	err = s.DB.write(ctx, func(tx *txn) error {
		ids = ids[:0]
		ps, err := scanPasses(tx.query(`SELECT `+passCols+passFrom+w.sql()+` ORDER BY p.id`, w.args...))
		if err != nil {
			return err
		}
		for _, p := range ps {
			g, err := s.gridPlace(tx, p)
			if err != nil {
				return err
			}
			if g.Next == "" || !slices.Contains(units, g.Next) {
				continue
			}
			if err := s.gridDecideTx(ctx, tx, actor, units, p, approve, reason); err != nil {
				return err
			}
			ids = append(ids, p.ID)
		}
		if len(ids) == 0 {
			return apperr.NewConflict("该企业没有等待本级审批的返岗人员名单", "No returning staff list of this enterprise waits for your level")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]grid.Pass, 0, len(ids))
	for _, id := range ids {
		g, err := h.gridPass(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// gridDecideTx records, inside tx, the decision of the caller's level (one of units) on
// the requested pass p and writes its outcome: the pass stops, moves up or is issued.
func (s *Store) gridDecideTx(ctx context.Context, tx *txn, actor auth.Principal, units []string, p pass.Pass, approve bool, reason string) error {
	id := p.ID
	if err := pass.CanApprove(id, p.Status); err != nil {
		return err
	}
	chain, ok, err := chainOf(tx, s.pol, p.EnterpriseID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.NewConflict("当前政策对该企业没有逐级审批,请直接批准出入证", "The policy has no grid chain for this enterprise: approve the pass directly")
	}
	decided, err := gridDecisions(tx, id)
	if err != nil {
		return err
	}
	d, last, err := grid.Decide(grid.Steps(chain), decided, units, approve, reason, s.unitName)
	if err != nil {
		return err
	}
	now := tx.now()
	if _, err := tx.exec(`INSERT INTO pass_approvals (pass_id, step, unit, approve, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, d.Step, d.Unit, d.Approve, d.Reason, nullID(actor.UserID), now); err != nil {
		return err
	}
	sum := map[string]any{"chain": chain.Code, "step": d.Step, "unit": d.Unit, "approve": d.Approve}
	switch {
	case !d.Approve:
		sum["reason"] = grid.Refusal(d, s.unitName)
		if _, err := tx.exec(`UPDATE passes SET status = ?, reason = ?, updated_at = ? WHERE id = ?`, pass.Revoked, pass.ReasonGridRefused, now, id); err != nil {
			return err
		}
		return tx.audit(actor, "pass.grid_refuse", "pass", id, sum)
	case last:
		_, expires, err := s.issuePass(ctx, tx, actor, p)
		if err != nil {
			return err
		}
		sum["expires_at"] = expires
		return tx.audit(actor, "pass.approve", "pass", id, sum)
	}
	return tx.audit(actor, "pass.grid_approve", "pass", id, sum)
}

// gridPass is a pass in scope with its place in its chain.
func (h *Passes) gridPass(ctx context.Context, actor auth.Principal, id int64) (grid.Pass, error) {
	s := h.s
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return grid.Pass{}, err
	}
	w.add("p.id = ?", id)
	p, err := scanPass(s.DB.queryRow(ctx, `SELECT `+passCols+passFrom+w.sql(), w.args...))
	if err != nil {
		return grid.Pass{}, notFound(err, "出入证")
	}
	return s.gridPlace(dbq{s.DB, ctx}, p)
}

func (s *Store) gridPlace(tx querier, p pass.Pass) (grid.Pass, error) {
	out := grid.Pass{Pass: p, Steps: []string{}, Decisions: []grid.Decision{}}
	chain, ok, err := chainOf(tx, s.pol, p.EnterpriseID)
	if err != nil || !ok {
		return out, err
	}
	out.Chain, out.Steps = chain.Code, grid.Steps(chain)
	if out.Decisions, err = gridDecisions(tx, p.ID); err != nil {
		return out, err
	}
	if p.Status == pass.Requested {
		if n := grid.Next(out.Steps, out.Decisions); n >= 0 {
			out.Next = out.Steps[n]
		}
	}
	return out, nil
}

// GridWaiting lists the requested passes of enterprises in scope that wait for a level
// the caller holds, and the units the caller acts for.
func (h *Passes) GridWaiting(ctx context.Context, actor auth.Principal) ([]grid.Pass, []string, error) {
	s := h.s
	units, err := s.actorUnits(ctx, actor)
	if err != nil || len(units) == 0 || len(s.pol.GridChains) == 0 {
		return []grid.Pass{}, units, err
	}
	w, err := s.passWhere(ctx, actor)
	if err != nil {
		return nil, nil, err
	}
	w.add("p.status = ?", pass.Requested)
	out := []grid.Pass{}
	tx := dbq{s.DB, ctx}
	err = func() error {
		ps, err := scanPasses(tx.query(`SELECT `+passCols+passFrom+w.sql()+` ORDER BY p.id LIMIT 500`, w.args...))
		if err != nil {
			return err
		}
		for _, p := range ps {
			g, err := s.gridPlace(tx, p)
			if err != nil {
				return err
			}
			if g.Next != "" && slices.Contains(units, g.Next) {
				out = append(out, g)
			}
		}
		return nil
	}()
	return out, units, err
}

// inGridChain reports, inside tx, whether the policy approves the enterprise's passes
// level by level; then the one-step approval is refused.
func (tx *txn) inGridChain(pol *policy.Policy, entID int64) error {
	c, ok, err := chainOf(tx, pol, entID)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	if ok {
		return apperr.NewConflict("当前政策规定该企业的出入证由各级网格长逐级审批("+c.Name+"),请在网格审批中处理",
			"The policy has this enterprise's passes approved level by level by the grid ("+c.NameEN+"): decide them in the grid's queue")
	}
	return nil
}

// scanPasses reads every pass of rows (the answer of a query) and closes them.
func scanPasses(rows *sql.Rows, err error) ([]pass.Pass, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []pass.Pass
	for rows.Next() {
		p, err := scanPass(rows)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, rows.Err()
}
