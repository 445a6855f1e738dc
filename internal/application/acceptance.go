package application

import (
	"fmt"
	"fugong/internal/apperr"
	"fugong/internal/enterprise"
	"fugong/internal/policy"
	"slices"
	"strings"
	"time"
)

// ItemResult is one item of the on-site acceptance checklist as the inspector found it.
type ItemResult struct {
	Code   string `json:"code"`
	Result string `json:"result"` // pass, fail, na
	Note   string `json:"note,omitempty"`
}

// Acceptance is an on-site acceptance record (验收登记表).
type Acceptance struct {
	ID            int64        `json:"id"`
	Stage         string       `json:"stage"`
	InspectorName string       `json:"inspector_name"`
	Items         []ItemResult `json:"items"`
	Opinion       string       `json:"opinion"`
	Signature     string       `json:"signature"`
	Passed        bool         `json:"passed"`
	CreatedAt     time.Time    `json:"created_at"`
}

// CheckAcceptance checks the on-site acceptance checklist (验收登记表) given for act: every item answered, a failed item has a
// note, pass needs no failed item, fail needs at least one, and the inspector signs.
func CheckAcceptance(pol *policy.Policy, e enterprise.Enterprise, a Application, act Action, in *Acceptance) error {
	var ps apperr.Problems
	if in == nil {
		return apperr.NewInvalid("inspection", "请填写现场验收清单", "Fill in the on-site checklist")
	}
	got := map[string]ItemResult{}
	for _, it := range in.Items {
		got[it.Code] = it
	}
	failed := 0
	for _, item := range pol.ChecklistFor(Flags(e, a, pol)) {
		r, ok := got[item.Code]
		switch {
		case !ok || (r.Result != "pass" && r.Result != "fail" && r.Result != "na"):
			ps.Add("items."+item.Code, "请为「"+item.Name+"」选择 合格 / 不合格 / 不适用", "Choose pass, fail or not applicable for “"+item.NameEN+"”")
		case r.Result == "fail":
			failed++
			if strings.TrimSpace(r.Note) == "" {
				ps.Add("items."+item.Code, "「"+item.Name+"」不合格,请写明需要整改的内容", "“"+item.NameEN+"” failed: say what must be fixed")
			}
		}
	}
	if strings.TrimSpace(in.Signature) == "" {
		ps.Add("signature", "验收人须签名", "The inspector must sign")
	}
	if strings.TrimSpace(in.Opinion) == "" {
		ps.Add("opinion", "请填写初验收意见", "Write the inspector's opinion")
	}
	if act == Pass && failed > 0 {
		ps.Add("items", fmt.Sprintf("有 %d 项不合格,不能验收通过", failed), fmt.Sprintf("%d items failed: the acceptance cannot pass", failed))
	}
	if act == Fail && failed == 0 {
		ps.Add("items", "验收不合格时须至少标出一项不合格", "Mark at least one failed item to fail the acceptance")
	}
	return ps.Err()
}

// photoPrefix marks the material code of an on-site photo of a checklist item; the code
// is stored with the attachment and kept as it was when the acceptance had that name.
const photoPrefix = "inspection:"

// PhotoMaterial is the material code of an on-site photo of checklist item code.
func PhotoMaterial(code string) string { return photoPrefix + code }

// PhotoItem is the checklist item an on-site photo's material is of; ok is false for
// other materials.
func PhotoItem(material string) (code string, ok bool) {
	return strings.CutPrefix(material, photoPrefix)
}

// IsPhoto reports whether an attachment's material is an on-site photo.
func IsPhoto(material string) bool { _, ok := PhotoItem(material); return ok }

// CheckPhotos refuses passing an acceptance stage that must keep photos (乙方案:
// 「对各项内容留有影像资料存档」) while no photo of any item was taken.
func CheckPhotos(t Transition, act Action, atts []Attachment) error {
	if !t.Photos || act != Pass || slices.ContainsFunc(atts, func(a Attachment) bool { return IsPhoto(a.Material) }) {
		return nil
	}
	return apperr.NewInvalid("photos", "验收须留存现场照片:请至少为一项检查内容拍照上传",
		"The acceptance must keep on-site photos: upload at least one photo of a checked item")
}
