package store

import (
	"context"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/gate"
)

// The single entrance: the rule is in package gate (entrance.go).

// Entrance returns the registered entrance of an enterprise in scope (0: the actor's own).
func (s *Employees) Entrance(ctx context.Context, actor auth.Principal, enterpriseID int64) (Entrance, error) {
	if !actor.Can(auth.GateScan) && !actor.Can(auth.EnterprisesView) {
		return Entrance{}, apperr.NewForbidden()
	}
	enterpriseID = ownEnterprise(actor, enterpriseID)
	if err := s.enterpriseInScope(ctx, actor, enterpriseID); err != nil {
		return Entrance{}, err
	}
	var name string
	if err := s.db.queryRow(ctx, `SELECT entrance FROM enterprises WHERE id = ?`, enterpriseID).Scan(&name); err != nil {
		return Entrance{}, notFound(err, "企业")
	}
	return Entrance{EnterpriseID: enterpriseID, Name: name, SingleEntrance: s.pol.Gate.SingleEntrance}, nil
}

// SetEntrance registers (or, with "", clears) the entrance of an enterprise in scope
// (0: the actor's own), audited in the same transaction.
func (s *Employees) SetEntrance(ctx context.Context, actor auth.Principal, enterpriseID int64, name string) (Entrance, error) {
	if !actor.Can(auth.EnterprisesEdit) {
		return Entrance{}, apperr.NewForbidden()
	}
	enterpriseID = ownEnterprise(actor, enterpriseID)
	name, err := gate.CheckEntranceName(name)
	if err != nil {
		return Entrance{}, err
	}
	if err := s.enterpriseInScope(ctx, actor, enterpriseID); err != nil {
		return Entrance{}, err
	}
	err = s.db.Write(ctx, func(tx *Tx) error {
		var old string
		if err := tx.QueryRow(`SELECT entrance FROM enterprises WHERE id = ?`, enterpriseID).Scan(&old); err != nil {
			return notFound(err, "企业")
		}
		if old == name {
			return nil
		}
		if _, err := tx.Exec(`UPDATE enterprises SET entrance = ?, updated_at = ? WHERE id = ?`, name, tx.Now(), enterpriseID); err != nil {
			return err
		}
		return tx.Audit(actor, "enterprise.entrance", "enterprise", enterpriseID, diff(map[string][2]any{"entrance": {old, name}}))
	})
	if err != nil {
		return Entrance{}, err
	}
	return Entrance{EnterpriseID: enterpriseID, Name: name, SingleEntrance: s.pol.Gate.SingleEntrance}, nil
}

// ownEnterprise is id, or the actor's enterprise when id is 0.
func ownEnterprise(actor auth.Principal, id int64) int64 {
	if id == 0 && actor.Scope.Kind == auth.ScopeEnterprise {
		return actor.Scope.ID
	}
	return id
}
