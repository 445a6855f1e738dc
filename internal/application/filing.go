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

// CheckOneOpen refuses a second application while the enterprise has one open or
// approved (open counts them): an enterprise continues the one it has.
func CheckOneOpen(open int) error {
	if open > 0 {
		return apperr.NewConflict("该企业已有一份未办结或已批准的申请,请在原申请上修改", "The enterprise already has an open or approved application; continue with that one")
	}
	return nil
}

// CheckEditable refuses changing an application that is neither a draft nor returned.
func CheckEditable(status string) error {
	if !Editable(status) {
		return apperr.NewConflict("申请已提交,不能再修改;如需修改请撤回或等待退回", "The application has been submitted and cannot be changed; withdraw it or wait for it to be returned")
	}
	return nil
}

// CheckAttachment says whether the principal may add an attachment of material to an
// application in status: the filer adds materials while it may edit; on-site photos are
// taken by the inspectors (not the enterprise's own people) while it is under review.
// mayFile is MayFile's answer for the principal.
func CheckAttachment(p auth.Principal, mayFile bool, status, material string) error {
	if !IsPhoto(material) {
		if !mayFile {
			return apperr.NewForbidden()
		}
		if !Editable(status) {
			return apperr.NewConflict("申请已提交,不能再补充材料", "The application has been submitted; materials can no longer be added")
		}
		return nil
	}
	if p.Role == auth.Enterprise || p.Role == auth.Staff || p.Role == auth.Guard {
		return &apperr.Error{Kind: apperr.Forbidden, Message: "现场照片由验收人员上传", MessageEN: "On-site photos are uploaded by the inspectors"}
	}
	if !InReview(status) {
		return apperr.NewConflict("只有审核中的申请可以上传现场照片", "On-site photos can only be added while the application is under review")
	}
	return nil
}
