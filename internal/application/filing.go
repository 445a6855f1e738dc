package application

import (
	"slices"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
)

// Who files, who acts, and what an action needs: the one answer the store and the pages
// both ask.

// onBehalfRoles file for an enterprise (帮办代办; seed, variant F: 「专班为企业开办、恢复生产等
// 审批事项开展帮办代办服务,帮助联系企业提交复工复产申请」): the officials and the park operator.
// The system administrator is not one of them: it runs the installation, it does not
// file for enterprises.
var onBehalfRoles = []auth.Role{auth.Park, auth.Town, auth.Reviewer, auth.Command, auth.Grid}

// FilesOnBehalf reports whether the role files applications for enterprises.
func FilesOnBehalf(r auth.Role) bool { return slices.Contains(onBehalfRoles, r) }

// MayFile reports whether the principal may file for the enterprise: its own admin, or
// an official or the park operator on its behalf (onBehalf).
func MayFile(p auth.Principal, enterpriseID int64) (onBehalf, ok bool) {
	if p.Role == auth.Enterprise {
		return false, p.Scope.Kind == auth.ScopeEnterprise && p.Scope.ID == enterpriseID
	}
	return FilesOnBehalf(p.Role), FilesOnBehalf(p.Role)
}

// NeedsComment reports whether an action must give its reason: the enterprise reads why
// it was sent back, refused, failed or revoked.
func NeedsComment(act Action) bool {
	return act == Return || act == Reject || act == Revoke || act == Fail
}

// CheckComment refuses an action that needs a reason and has none.
func CheckComment(act Action, comment string) error {
	if NeedsComment(act) && strings.TrimSpace(comment) == "" {
		return apperr.NewInvalid("comment", "请写明理由,企业将看到这段说明", "Give the reason: the enterprise will read it")
	}
	return nil
}

// ActorFor is the workflow actor of the principal on transition t: its role, the unit of
// t when the principal acts for it (units are the policy units the principal holds), and,
// for submitting or withdrawing, the enterprise itself when the principal files on the
// enterprise's behalf.
func ActorFor(p auth.Principal, units []string, t Transition) Actor {
	a := Actor{Role: string(p.Role), UserID: p.UserID}
	if t.Unit != "" && slices.Contains(units, t.Unit) {
		a.Unit = t.Unit
	}
	if (t.Action == Submit || t.Action == Withdraw) && p.Role != auth.Enterprise && FilesOnBehalf(p.Role) {
		a.Role = string(auth.Enterprise)
	}
	return a
}

// Allowed lists the transitions the principal may make now on the application (none
// when its status is outside the policy's workflow).
func Allowed(pol *policy.Policy, e enterprise.Enterprise, a Application, p auth.Principal, units []string) []Transition {
	ts, err := Transitions(pol, e, a)
	if err != nil {
		return nil
	}
	var out []Transition
	for _, t := range ts {
		if t.Permits(ActorFor(p, units, t)) {
			out = append(out, t)
		}
	}
	return out
}

// Units are the policy units a principal acts for: those of its role at the level of its
// scope (a department's unit comes from the department; see the store).
func Units(pol *policy.Policy, role auth.Role, level string) []string {
	var units []string
	for _, u := range pol.Units {
		if u.Role == string(role) && (level == "*" || u.Level == level) {
			units = append(units, u.Code)
		}
	}
	return units
}
