package application

import (
	"testing"

	"fugong/internal/apperr"
	"fugong/internal/auth"
)

func TestMayFile(t *testing.T) {
	own := auth.Principal{Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: 7}}
	for _, tc := range []struct {
		p                 auth.Principal
		ent               int64
		onBehalf, mayFile bool
	}{
		{own, 7, false, true},
		{own, 8, false, false},
		{auth.Principal{Role: auth.Park}, 7, true, true},
		{auth.Principal{Role: auth.Town}, 7, true, true},
		{auth.Principal{Role: auth.Reviewer}, 7, true, true},
		{auth.Principal{Role: auth.Command}, 7, true, true},
		{auth.Principal{Role: auth.Grid}, 7, true, true},
		{auth.Principal{Role: auth.Admin}, 7, false, false},
		{auth.Principal{Role: auth.Staff, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: 7}}, 7, false, false},
		{auth.Principal{Role: auth.Guard, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: 7}}, 7, false, false},
	} {
		onBehalf, ok := MayFile(tc.p, tc.ent)
		if onBehalf != tc.onBehalf || ok != tc.mayFile {
			t.Errorf("MayFile(%s, %d) = %v %v, want %v %v", tc.p.Role, tc.ent, onBehalf, ok, tc.onBehalf, tc.mayFile)
		}
		if FilesOnBehalf(tc.p.Role) != tc.onBehalf {
			t.Errorf("FilesOnBehalf(%s) disagrees with MayFile", tc.p.Role)
		}
	}
}

func TestComments(t *testing.T) {
	for _, act := range Actions {
		want := act == Return || act == Reject || act == Revoke || act == Fail
		if NeedsComment(act) != want {
			t.Errorf("NeedsComment(%s) = %v", act, !want)
		}
		err := CheckComment(act, "  ")
		if want != (apperr.KindOf(err) == apperr.Invalid) {
			t.Errorf("CheckComment(%s, blank) = %v", act, err)
		}
		if CheckComment(act, "材料不全") != nil {
			t.Errorf("CheckComment(%s) with a reason refused", act)
		}
	}
}

// The actor of a transition: the unit only when the principal holds it; filing on the
// enterprise's behalf acts as the enterprise.
func TestActorFor(t *testing.T) {
	town := auth.Principal{Role: auth.Town, UserID: 3}
	review := Transition{Action: Accept, Unit: "town_gov"}
	if a := ActorFor(town, []string{"town_gov"}, review); a != (Actor{Role: "town", Unit: "town_gov", UserID: 3}) {
		t.Errorf("town on its unit: %+v", a)
	}
	if a := ActorFor(town, []string{"other"}, review); a.Unit != "" {
		t.Errorf("town without the unit: %+v", a)
	}
	if a := ActorFor(town, nil, Transition{Action: Submit}); a.Role != "enterprise" {
		t.Errorf("town submits as the enterprise: %+v", a)
	}
	if a := ActorFor(auth.Principal{Role: auth.Admin}, nil, Transition{Action: Submit}); a.Role != "admin" {
		t.Errorf("the administrator does not file for enterprises: %+v", a)
	}
}

// Allowed lists what each role may do on a draft and a submitted application under
// variant D (the park operator reviews park enterprises first).
func TestAllowed(t *testing.T) {
	pol := load(t, "variant-d-street.toml")
	e := ent("hq_park", inPark)
	a := good(pol, e)
	names := func(ts []Transition) (out []Action) {
		for _, t := range ts {
			out = append(out, t.Action)
		}
		return out
	}
	own := auth.Principal{Role: auth.Enterprise, Scope: auth.Scope{Kind: auth.ScopeEnterprise, ID: e.ID}}
	if got := names(Allowed(pol, e, a, own, nil)); len(got) != 2 || got[0] != Submit || got[1] != Withdraw {
		t.Errorf("the enterprise on its draft: %v", got)
	}
	park := auth.Principal{Role: auth.Park}
	if got := Allowed(pol, e, a, park, []string{"park_operator"}); len(got) != 2 {
		t.Errorf("the park operator files for its tenant: %v", names(got))
	}
	if got := Allowed(pol, e, a, auth.Principal{Role: auth.Staff}, nil); len(got) != 0 {
		t.Errorf("staff: %v", names(got))
	}
	a.Status = "submitted"
	got := names(Allowed(pol, e, a, park, []string{"park_operator"}))
	if len(got) == 0 || got[0] != Accept {
		t.Errorf("the park operator reviews: %v", got)
	}
	if got := Allowed(pol, e, a, park, nil); len(got) != 1 || got[0].Action != Withdraw {
		t.Errorf("without the unit the park may only withdraw (as it files for its tenants): %v", names(got))
	}
	a.Status = "no_such_status"
	if got := Allowed(pol, e, a, own, nil); got != nil {
		t.Errorf("a status outside the workflow: %v", names(got))
	}
}
