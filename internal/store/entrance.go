package store

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/auth"
)

// The single entrance (丁方案: 「企业只设1个进出通道,在通道设置检测卡口,配备门禁设施和检测仪器,
// 落实24小时人员值守」). When the policy asks for it ([gate] single_entrance), an enterprise
// registers the name of its one entrance; from then on a pass scan or a visitor or vehicle
// registration at any other checkpoint is refused (wrong_entrance) and logged like every
// scan. A scan or registration that names no checkpoint is taken to be at the entrance.

// MaxEntranceLen is the longest entrance name, in characters.
const MaxEntranceLen = 50

// Entrance is an enterprise's registered entrance.
type Entrance struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"entrance"` // "" until registered
	// SingleEntrance: the policy asks for a single entrance; scans elsewhere are refused
	// once Name is registered.
	SingleEntrance bool `json:"single_entrance"`
}

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
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case utf8.RuneCountInString(name) > MaxEntranceLen:
		return Entrance{}, apperr.NewInvalid("entrance", "通道名称最多50个字", "The entrance name is at most 50 characters")
	case strings.ContainsFunc(name, unicode.IsControl):
		return Entrance{}, apperr.NewInvalid("entrance", "通道名称含有无效字符", "The entrance name holds invalid characters")
	}
	if err := s.enterpriseInScope(ctx, actor, enterpriseID); err != nil {
		return Entrance{}, err
	}
	err := s.db.Write(ctx, func(tx *Tx) error {
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

// AtEntrance reports whether checkpoint is the registered entrance: always when no
// entrance is registered or no checkpoint is named; names compare ignoring case and spaces.
func AtEntrance(entrance, checkpoint string) bool {
	e, c := strings.Join(strings.Fields(entrance), ""), strings.Join(strings.Fields(checkpoint), "")
	return e == "" || c == "" || strings.EqualFold(e, c)
}

func wrongEntrance(entrance, checkpoint string) ScanResult {
	return deny("wrong_entrance",
		"「"+strings.TrimSpace(checkpoint)+"」非本企业唯一进出通道,禁止入内;请从「"+entrance+"」进出",
		"“"+strings.TrimSpace(checkpoint)+"” is not the enterprise's single entrance: entry refused; use “"+entrance+"”")
}

// entranceCheck refuses, when the policy asks for a single entrance, a scan that passed
// the pass checks (res.Code == "") at a checkpoint other than entrance, the registered
// entrance of the pass's enterprise (read with the pass).
func (s *Employees) entranceCheck(res ScanResult, entrance, checkpoint string) ScanResult {
	if res.Code != "" || !s.pol.Gate.SingleEntrance || AtEntrance(entrance, checkpoint) {
		return res
	}
	r := wrongEntrance(entrance, checkpoint)
	r.Person, r.PassID = res.Person, res.PassID
	return r
}

// entranceRegister refuses, when the policy asks for a single entrance, a visitor or
// vehicle registered at a checkpoint other than the enterprise's registered entrance.
func (s *Employees) entranceRegister(ctx context.Context, e *GateEntry) {
	if !e.Allow || !s.pol.Gate.SingleEntrance || strings.TrimSpace(e.Checkpoint) == "" {
		return
	}
	var name string
	err := s.db.queryRow(ctx, `SELECT entrance FROM enterprises WHERE id = ?`, e.EnterpriseID).Scan(&name)
	switch {
	case err != nil && !isNoRows(err):
		e.Allow, e.Reason = false, "entrance_error"
	case !AtEntrance(name, e.Checkpoint):
		e.Allow, e.Reason = false, "wrong_entrance"
	}
}
