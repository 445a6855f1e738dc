package store

import (
	"context"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/gate"
)

// The single entrance: the rule is in package gate (entrance.go).

// Entrance returns the registered entrance of an enterprise in scope (0: the actor's own).
func (h *Gate) Entrance(ctx context.Context, actor auth.Principal, enterpriseID int64) (gate.Entrance, error) {
	s := h.s
	if !actor.Can(auth.GateScan) && !actor.Can(auth.EnterprisesView) {
		return gate.Entrance{}, apperr.NewForbidden()
	}
	enterpriseID = ownEnterprise(actor, enterpriseID)
	if err := s.enterpriseInScope(ctx, actor, enterpriseID); err != nil {
		return gate.Entrance{}, err
	}
	var name string
	if err := s.DB.queryRow(ctx, `SELECT entrance FROM enterprises WHERE id = ?`, enterpriseID).Scan(&name); err != nil {
		return gate.Entrance{}, notFound(err, "企业")
	}
	return gate.Entrance{EnterpriseID: enterpriseID, Name: name, SingleEntrance: s.pol.Gate.SingleEntrance}, nil
}

// SetEntrance registers (or, with "", clears) the entrance of an enterprise in scope
// (0: the actor's own), audited in the same transaction.
func (h *Gate) SetEntrance(ctx context.Context, actor auth.Principal, enterpriseID int64, name string) (gate.Entrance, error) {
	s := h.s
	if !actor.Can(auth.EnterprisesEdit) {
		return gate.Entrance{}, apperr.NewForbidden()
	}
	enterpriseID = ownEnterprise(actor, enterpriseID)
	name, err := gate.CheckEntranceName(name)
	if err != nil {
		return gate.Entrance{}, err
	}
	if err := s.enterpriseInScope(ctx, actor, enterpriseID); err != nil {
		return gate.Entrance{}, err
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		var old string
		if err := tx.queryRow(`SELECT entrance FROM enterprises WHERE id = ?`, enterpriseID).Scan(&old); err != nil {
			return notFound(err, "企业")
		}
		if old == name {
			return nil
		}
		if _, err := tx.exec(`UPDATE enterprises SET entrance = ?, updated_at = ? WHERE id = ?`, name, tx.now(), enterpriseID); err != nil {
			return err
		}
		return tx.audit(actor, "enterprise.entrance", "enterprise", enterpriseID, diff(map[string][2]any{"entrance": {old, name}}))
	})
	if err != nil {
		return gate.Entrance{}, err
	}
	return gate.Entrance{EnterpriseID: enterpriseID, Name: name, SingleEntrance: s.pol.Gate.SingleEntrance}, nil
}

// ownEnterprise is id, or the actor's enterprise when id is 0.
func ownEnterprise(actor auth.Principal, id int64) int64 {
	if id == 0 && actor.Scope.Kind == auth.ScopeEnterprise {
		return actor.Scope.ID
	}
	return id
}
