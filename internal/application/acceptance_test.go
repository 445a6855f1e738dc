package application

import (
	"testing"

	"fugong/internal/apperr"
	"fugong/internal/auth"
)

func TestCheckAcceptance(t *testing.T) {
	pol := load(t, "default")
	e := ent("industry_above")
	a := good(pol, e)
	items := func(result, note string) []ItemResult {
		var out []ItemResult
		for _, c := range pol.ChecklistFor(Flags(e, a, pol)) {
			out = append(out, ItemResult{Code: c.Code, Result: result, Note: note})
		}
		return out
	}
	all := func(result, note string) *Acceptance {
		return &Acceptance{Items: items(result, note), Opinion: "同意复工", Signature: "李四"}
	}
	failOne := all("pass", "")
	failOne.Items[0] = ItemResult{Code: failOne.Items[0].Code, Result: "fail", Note: "口罩不足"}
	for _, tc := range []struct {
		name   string
		act    Action
		in     *Acceptance
		fields []string // the problems, in order; none when it passes
	}{
		{"all passed", Pass, all("pass", ""), nil},
		{"not applicable counts as answered", Pass, all("na", ""), nil},
		{"no checklist", Pass, nil, []string{"inspection"}},
		{"an item unanswered", Pass, &Acceptance{Items: items("pass", "")[1:], Opinion: "x", Signature: "x"}, []string{"items." + items("", "")[0].Code}},
		{"a failed item needs a note", Fail, all("fail", ""), nil}, // checked below: one problem per item
		{"pass with a failed item", Pass, failOne, []string{"items"}},
		{"fail with none failed", Fail, all("pass", ""), []string{"items"}},
		{"fail with one failed", Fail, failOne, nil},
		{"unsigned, no opinion", Pass, &Acceptance{Items: items("pass", "")}, []string{"signature", "opinion"}},
	} {
		err := CheckAcceptance(pol, e, a, tc.act, tc.in)
		if tc.name == "a failed item needs a note" {
			if e, ok := apperr.As(err); !ok || len(e.Problems) != len(tc.in.Items) {
				t.Errorf("%s: %v", tc.name, err)
			} else if first := pol.ChecklistFor(Flags(ent("industry_above"), a, pol))[0]; e.Problems[0].MessageEN != "“"+first.NameEN+"” failed: say what must be fixed" {
				// The item is named whole, not glued into the sentence.
				t.Errorf("%s: %q", tc.name, e.Problems[0].MessageEN)
			}
			continue
		}
		if len(tc.fields) == 0 {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		e, ok := apperr.As(err)
		if !ok || len(e.Problems) != len(tc.fields) {
			t.Errorf("%s: %v, want problems on %v", tc.name, err, tc.fields)
			continue
		}
		for i, f := range tc.fields {
			if e.Problems[i].Field != f {
				t.Errorf("%s: problem %d on %s, want %s", tc.name, i, e.Problems[i].Field, f)
			}
		}
	}
}

func TestPhotos(t *testing.T) {
	if m := PhotoMaterial("supplies"); !IsPhoto(m) {
		t.Errorf("%q is not a photo", m)
	}
	if code, ok := PhotoItem(PhotoMaterial("supplies")); !ok || code != "supplies" {
		t.Errorf("PhotoItem = %q %v", code, ok)
	}
	if IsPhoto("plan") {
		t.Error("a material is not a photo")
	}
	photos := Transition{Action: Pass, Photos: true}
	photo := []Attachment{{Material: PhotoMaterial("supplies")}}
	for _, tc := range []struct {
		t    Transition
		act  Action
		atts []Attachment
		ok   bool
	}{
		{photos, Pass, photo, true},
		{photos, Pass, []Attachment{{Material: "plan"}}, false},
		{photos, Fail, nil, true},                   // failing needs no photo
		{Transition{Action: Pass}, Pass, nil, true}, // a stage that keeps none
	} {
		if err := CheckPhotos(tc.t, tc.act, tc.atts); (err == nil) != tc.ok {
			t.Errorf("CheckPhotos(%+v, %s, %v) = %v", tc.t, tc.act, tc.atts, err)
		}
	}
}

func TestCheckAttachment(t *testing.T) {
	own := auth.Principal{Role: auth.Enterprise}
	grid := auth.Principal{Role: auth.Grid}
	photo := PhotoMaterial("supplies")
	for _, tc := range []struct {
		name    string
		p       auth.Principal
		mayFile bool
		status  string
		mat     string
		kind    apperr.Kind
	}{
		{"the filer adds a material to a draft", own, true, StatusDraft, "plan", 0},
		{"and to a returned one", own, true, StatusReturned, "plan", 0},
		{"not once submitted", own, true, "submitted", "plan", apperr.Conflict},
		{"not someone who does not file", grid, false, StatusDraft, "plan", apperr.Forbidden},
		{"the inspector photographs under review", grid, false, "submitted", photo, 0},
		{"not a draft", grid, false, StatusDraft, photo, apperr.Conflict},
		{"not the enterprise itself", own, true, "submitted", photo, apperr.Forbidden},
	} {
		err := CheckAttachment(tc.p, tc.mayFile, tc.status, tc.mat)
		if tc.kind == 0 && err != nil || tc.kind != 0 && apperr.KindOf(err) != tc.kind {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if CheckOneOpen(0) != nil || apperr.KindOf(CheckOneOpen(1)) != apperr.Conflict {
		t.Error("CheckOneOpen")
	}
	if CheckEditable(StatusDraft) != nil || CheckEditable(StatusReturned) != nil || apperr.KindOf(CheckEditable(StatusApproved)) != apperr.Conflict {
		t.Error("CheckEditable")
	}
}
