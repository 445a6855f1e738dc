package gate

import (
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/pass"
	"fugong/internal/policy"
	"fugong/internal/sign"
)

func temp(t float64) *float64 { return &t }

// valid are the facts of a good scan by a guard of enterprise 7.
func valid() Facts {
	return Facts{
		Claims:       sign.Claims{Kind: sign.PassKind, ID: 11, Subject: "张*", SubjectID: 5},
		Found:        true,
		Status:       pass.Active,
		Enterprise:   7,
		ScannerScope: auth.Scope{Kind: auth.ScopeEnterprise, ID: 7},
		InScope:      true,
		NoticeValid:  true,
	}
}

// entrance is the default policy, asking for a single entrance (variant D) or not.
func entrance(single bool) *policy.Policy {
	p := *policy.Default()
	p.Gate.SingleEntrance = single
	return &p
}

func TestDecide(t *testing.T) {
	def, single := entrance(false), entrance(true)
	town := auth.Scope{Kind: auth.ScopeRegion, Region: "330402001"}
	with := func(f func(*Facts)) Facts { v := valid(); f(&v); return v }
	for _, tc := range []struct {
		name   string
		pol    *policy.Policy
		f      Facts
		code   string
		reason string
	}{
		{"valid", def, valid(), OK, "准予通行"},
		{"valid with a normal temperature", def, with(func(f *Facts) { f.Temperature = temp(36.6) }), OK, "准予通行"},
		{"bad signature", def, with(func(f *Facts) { f.TokenErr = sign.ErrBadSignature }), BadToken, "无效出入证:"},
		{"a notice's token", def, with(func(f *Facts) { f.Claims.Kind = sign.NoticeKind }), BadToken, "这不是出入证,请出示本人出入证"},
		// A pass that expired at midnight (Shanghai) starting 24 February was valid up to the 23rd.
		{"expired", def, with(func(f *Facts) {
			f.TokenErr, f.Claims.ExpiresAt = sign.ErrExpired, time.Date(2020, 2, 23, 16, 0, 0, 0, time.UTC)
		}), Expired,
			"出入证已过期(有效期至2020年2月23日),禁止入内"},
		{"an expired notice's token is no pass", def, with(func(f *Facts) { f.TokenErr, f.Claims.Kind = sign.ErrExpired, sign.NoticeKind }), BadToken, "无效出入证:凭证已过期"},
		{"unknown pass", def, with(func(f *Facts) { f.Found = false }), NotFound, "查无此出入证,禁止入内"},
		{"requested", def, with(func(f *Facts) { f.Status = pass.Requested }), NotApproved, "出入证尚未批准,禁止入内"},
		{"suspended for fever", def, with(func(f *Facts) { f.Status, f.Reason = pass.Suspended, pass.ReasonFever }), Suspended, "出入证已暂停(体温异常(发热)),禁止入内"},
		{"revoked", def, with(func(f *Facts) { f.Status, f.Reason = pass.Revoked, pass.ReasonManual }), Revoked, "出入证已撤销(人工撤销),禁止入内"},
		{"holder left", def, with(func(f *Facts) { f.Left = true }), Revoked, "持证人已离职,出入证作废"},
		{"other enterprise", def, with(func(f *Facts) { f.Enterprise = 8 }), OtherEnterprise, "非本企业出入证,禁止入内"},
		{"town official scans any pass in scope", def, with(func(f *Facts) { f.Enterprise, f.ScannerScope = 8, auth.Scope{Kind: auth.ScopeRegion} }), OK, "准予通行"},
		{"outside the guard's scope", def, with(func(f *Facts) { f.InScope = false }), OtherEnterprise, "非本企业出入证,禁止入内"},
		{"town official scans a pass of another town", def, with(func(f *Facts) { f.Enterprise, f.ScannerScope, f.InScope = 8, town, false }), OtherEnterprise, "非本辖区企业的出入证,禁止入内"},
		{"department's region", def, with(func(f *Facts) {
			f.Enterprise, f.ScannerScope, f.InScope = 8, auth.Scope{Kind: auth.ScopeDept, ID: 3}, false
		}), OtherEnterprise, "非本辖区企业的出入证,禁止入内"},
		{"park", def, with(func(f *Facts) {
			f.Enterprise, f.ScannerScope, f.InScope = 8, auth.Scope{Kind: auth.ScopePark, ID: 2}, false
		}), OtherEnterprise, "非本辖区企业的出入证,禁止入内"},
		{"park official scans a pass of its park", def, with(func(f *Facts) { f.Enterprise, f.ScannerScope = 8, auth.Scope{Kind: auth.ScopePark, ID: 2} }), OK, "准予通行"},
		{"the whole installation", def, with(func(f *Facts) { f.Enterprise, f.ScannerScope = 8, auth.Scope{Kind: auth.ScopeAll} }), OK, "准予通行"},
		{"no notice", def, with(func(f *Facts) { f.NoticeValid = false }), NoNotice, "企业复工通知书已撤销,严禁复工"},
		{"notice suspended", def, with(func(f *Facts) { f.NoticeValid, f.NoticeSuspended = false, true }), NoNotice, "企业停产整顿中,不得生产,禁止入内"},
		{"fever", def, with(func(f *Facts) { f.Temperature = temp(37.3) }), Fever, "体温 37.3℃ 异常,禁止入内,出入证已暂停"},
		{"wrong entrance", single, with(func(f *Facts) { f.Entrance, f.Checkpoint = "东门", "西门" }), WrongEntrance, "「西门」非本企业唯一进出通道,禁止入内;请从「东门」进出"},
		{"right entrance, spaces and case aside", single, with(func(f *Facts) { f.Entrance, f.Checkpoint = "East Gate", "east  gate" }), OK, "准予通行"},
		{"no entrance registered yet", single, with(func(f *Facts) { f.Checkpoint = "西门" }), OK, "准予通行"},
		{"entrance not asked by the policy", def, with(func(f *Facts) { f.Entrance, f.Checkpoint = "东门", "西门" }), OK, "准予通行"},
		// The order: each earlier check wins over every later one. Whether the pass belongs
		// here comes before its state, so that another scope learns nothing of it.
		{"other enterprise beats suspended", def, with(func(f *Facts) { f.Status, f.Reason, f.Enterprise = pass.Suspended, pass.ReasonFever, 8 }), OtherEnterprise, "非本企业出入证,禁止入内"},
		{"not found beats other enterprise", def, with(func(f *Facts) { f.Found, f.Enterprise, f.InScope = false, 8, false }), NotFound, ""},
		{"bad token beats other enterprise", def, with(func(f *Facts) { f.TokenErr, f.Enterprise, f.InScope = sign.ErrBadSignature, 8, false }), BadToken, ""},
		{"other enterprise beats requested", def, with(func(f *Facts) { f.Status, f.Enterprise = pass.Requested, 8 }), OtherEnterprise, ""},
		{"other enterprise beats revoked", def, with(func(f *Facts) { f.Status, f.Reason, f.Enterprise = pass.Revoked, pass.ReasonManual, 8 }), OtherEnterprise, ""},
		{"other enterprise beats holder left", def, with(func(f *Facts) { f.Left, f.Enterprise = true, 8 }), OtherEnterprise, ""},
		{"other town beats suspended", def, with(func(f *Facts) {
			f.Status, f.Reason, f.ScannerScope, f.InScope = pass.Suspended, pass.ReasonFever, town, false
		}), OtherEnterprise, "非本辖区企业的出入证,禁止入内"},
		{"other town beats symptoms", def, with(func(f *Facts) {
			f.Status, f.Reason, f.ScannerScope, f.InScope = pass.Suspended, pass.ReasonSymptom, town, false
		}), OtherEnterprise, ""},
		{"requested beats no notice", def, with(func(f *Facts) { f.Status, f.NoticeValid = pass.Requested, false }), NotApproved, ""},
		{"suspended beats no notice", def, with(func(f *Facts) { f.Status, f.Reason, f.NoticeValid = pass.Suspended, pass.ReasonFever, false }), Suspended, ""},
		{"revoked beats holder left", def, with(func(f *Facts) { f.Status, f.Reason, f.Left = pass.Revoked, pass.ReasonManual, true }), Revoked, "出入证已撤销(人工撤销)"},
		{"holder left beats no notice", def, with(func(f *Facts) { f.Left, f.NoticeValid = true, false }), Revoked, "持证人已离职"},
		{"expired beats suspended", def, with(func(f *Facts) {
			f.TokenErr, f.Claims.ExpiresAt, f.Status, f.Reason = sign.ErrExpired, time.Date(2020, 2, 23, 16, 0, 0, 0, time.UTC), pass.Suspended, pass.ReasonFever
		}), Expired, ""},
		{"other enterprise beats no notice", def, with(func(f *Facts) { f.Enterprise, f.NoticeValid = 8, false }), OtherEnterprise, ""},
		{"no notice beats wrong entrance", single, with(func(f *Facts) { f.NoticeValid, f.Entrance, f.Checkpoint = false, "东门", "西门" }), NoNotice, ""},
		{"wrong entrance beats fever", single, with(func(f *Facts) { f.Entrance, f.Checkpoint, f.Temperature = "东门", "西门", temp(39) }), WrongEntrance, ""},
	} {
		r := Decide(tc.pol, tc.f)
		if r.Code != tc.code || !strings.HasPrefix(r.Reason, tc.reason) || r.ReasonEN == "" {
			t.Errorf("%s: %+v, want %s %q", tc.name, r, tc.code, tc.reason)
		}
		if r.Allow != (tc.code == OK) || (r.Color == "green") != r.Allow {
			t.Errorf("%s: allow %v color %s", tc.name, r.Allow, r.Color)
		}
		if tc.code != BadToken && tc.code != NotFound && (r.Person != "张*" || r.PassID != 11) {
			t.Errorf("%s: person %q pass %d", tc.name, r.Person, r.PassID)
		}
		// A pass that is not the scanner's to check says nothing of its state.
		if tc.code == OtherEnterprise && (tc.f.Status != pass.Active || tc.f.Left) {
			for _, word := range []string{"暂停", "撤销", "发热", "体温", "症状", "离职", "批准"} {
				if strings.Contains(r.Reason, word) {
					t.Errorf("%s: %q tells %q of another scope's pass", tc.name, r.Reason, word)
				}
			}
			for _, word := range []string{"suspend", "revoke", "fever", "symptom", "left", "approved"} {
				if strings.Contains(strings.ToLower(r.ReasonEN), word) {
					t.Errorf("%s: %q tells %q of another scope's pass", tc.name, r.ReasonEN, word)
				}
			}
		}
	}
}

// Belongs: the pass's enterprise in the scanner's scope, and the guard's own enterprise.
func TestBelongs(t *testing.T) {
	ent := auth.Scope{Kind: auth.ScopeEnterprise, ID: 7}
	for _, tc := range []struct {
		name    string
		scope   auth.Scope
		ent     int64
		inScope bool
		want    bool
	}{
		{"the guard's own enterprise", ent, 7, true, true},
		{"another enterprise, though the store found it in scope", ent, 8, true, false},
		{"another enterprise", ent, 8, false, false},
		{"in the region", auth.Scope{Kind: auth.ScopeRegion, Region: "330402001"}, 8, true, true},
		{"outside the region", auth.Scope{Kind: auth.ScopeRegion, Region: "330402001"}, 8, false, false},
		{"in the department's region", auth.Scope{Kind: auth.ScopeDept, ID: 3}, 8, true, true},
		{"outside the department's region", auth.Scope{Kind: auth.ScopeDept, ID: 3}, 8, false, false},
		{"in the park", auth.Scope{Kind: auth.ScopePark, ID: 2}, 8, true, true},
		{"outside the park", auth.Scope{Kind: auth.ScopePark, ID: 2}, 8, false, false},
		{"everything", auth.Scope{Kind: auth.ScopeAll}, 8, true, true},
		{"no scope at all", auth.Scope{}, 8, false, false},
	} {
		if got := Belongs(Facts{ScannerScope: tc.scope, Enterprise: tc.ent, InScope: tc.inScope}); got != tc.want {
			t.Errorf("%s: Belongs = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestReads(t *testing.T) {
	ok := Result{Allow: true, Code: OK}
	for _, tc := range []struct {
		r    Result
		t    *float64
		want bool
	}{
		{ok, temp(36.5), true},
		{ok, nil, false},
		{Result{Code: Fever}, temp(38), true},
		{Result{Code: Suspended}, temp(36.5), false},
	} {
		if got := Reads(tc.r, tc.t); got != tc.want {
			t.Errorf("Reads(%s, %v) = %v", tc.r.Code, tc.t, got)
		}
	}
}

func TestEntries(t *testing.T) {
	def, single := entrance(false), entrance(true)
	no := false
	for _, tc := range []struct {
		name     string
		pol      *policy.Policy
		e        Entry
		id       string
		entrance string
		field    string // a problem on it, or ""
		reason   string
	}{
		{"visitor", def, Entry{Kind: KindVisitor, Name: " 王五 ", Temperature: temp(36.55)}, "", "", "", OK},
		{"visitor without a name", def, Entry{Kind: KindVisitor, Temperature: temp(36.5)}, "", "", "name", ""},
		{"visitor with a bad ID number", def, Entry{Kind: KindVisitor, Name: "王五", Temperature: temp(36.5)}, "330402199001011234", "", "id_number", ""},
		{"no temperature", def, Entry{Kind: KindVisitor, Name: "王五"}, "", "", "temperature", ""},
		{"temperature out of range", def, Entry{Kind: KindVisitor, Name: "王五", Temperature: temp(50)}, "", "", "temperature", ""},
		{"no kind", def, Entry{Name: "王五", Temperature: temp(36.5)}, "", "", "kind", ""},
		{"vehicle", def, Entry{Kind: KindVehicle, Plate: "浙f·12345", Temperature: temp(36.5)}, "", "", "", OK},
		{"vehicle with a bad plate", def, Entry{Kind: KindVehicle, Plate: "12345", Temperature: temp(36.5)}, "", "", "plate", ""},
		{"feverish visitor", def, Entry{Kind: KindVisitor, Name: "王五", Temperature: temp(37.5)}, "", "", "", Fever},
		{"freight not disinfected", def, Entry{Kind: KindVehicle, Plate: "浙F12345", Temperature: temp(36.5), FreightDisinfected: &no}, "", "", "", NotDisinfected},
		{"wrong entrance", single, Entry{Kind: KindVisitor, Name: "王五", Temperature: temp(36.5), Checkpoint: "西门"}, "", "东门", "", WrongEntrance},
		{"fever before entrance", single, Entry{Kind: KindVisitor, Name: "王五", Temperature: temp(38), Checkpoint: "西门"}, "", "东门", "", Fever},
	} {
		e := tc.e
		err := CheckEntry(&e, tc.id)
		if tc.field != "" {
			ae, ok := apperr.As(err)
			if !ok || ae.Problems[0].Field != tc.field {
				t.Errorf("%s: %v, want a problem on %s", tc.name, err, tc.field)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		DecideEntry(tc.pol, &e, tc.entrance, false)
		if e.Reason != tc.reason || e.Allow != (tc.reason == OK) {
			t.Errorf("%s: %s allow %v, want %s", tc.name, e.Reason, e.Allow, tc.reason)
		}
	}
	e := Entry{Kind: KindVisitor, Name: "王五", Temperature: temp(36.5), Checkpoint: "东门"}
	if err := CheckEntry(&e, ""); err != nil {
		t.Fatal(err)
	}
	if DecideEntry(single, &e, "", true); e.Reason != EntranceError || e.Allow {
		t.Errorf("an unreadable entrance refuses: %+v", e)
	}
}

func TestEntranceName(t *testing.T) {
	if n, err := CheckEntranceName("  东   门 "); err != nil || n != "东 门" {
		t.Errorf("CheckEntranceName = %q, %v", n, err)
	}
	for _, bad := range []string{strings.Repeat("门", MaxEntranceLen+1), "东\x07门"} {
		if _, err := CheckEntranceName(bad); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("CheckEntranceName(%q) accepted", bad)
		}
	}
}
