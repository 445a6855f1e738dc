package store_test

import (
	"fmt"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/gate"
	"fugong/internal/region"
	"fugong/internal/sign"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// A pass belongs to the scanner's scope, whatever its kind (region subtree, department's
// region, park, enterprise): a pass outside it is refused before its state is looked at
// (so a suspension's fever is not told), is never let in or suspended by a temperature,
// and the scan is logged with the scanner, not in the log of the pass's enterprise.
func TestScanInScannersScope(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 2)
		approveFirst(t, db, w)
		entA, entB := w.enterprises[0], w.enterprises[1] // both in 一村 of 甲镇; A holds a notice
		if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402002", Name: "乙街道"}}); err != nil {
			t.Fatal(err)
		}
		park := func(name, code string) int64 {
			pk, err := db.SavePark(ctx, auth.System, region.Park{Name: name, RegionCode: code, Operator: name + "物业"})
			if err != nil {
				t.Fatal(err)
			}
			return pk.ID
		}
		dept := func(name, code string) int64 {
			d, err := db.SaveDepartment(ctx, auth.System, region.Department{Name: name, RegionCode: code}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return d.ID
		}
		parkA, parkB := park("甲园", "330402001"), park("乙园", "330402002")
		deptA, deptB := dept("甲镇经贸办", "330402001"), dept("乙街道经贸办", "330402002")
		entA.ParkID = parkA
		if _, err := db.UpdateEnterprise(ctx, auth.System, entA, 0, nil); err != nil {
			t.Fatal(err)
		}
		st := store.New(db, store.Config{Policy: w.pol, Signer: w.signer})
		_, issued := issuedPass(t, st, w, "张门岗", 701)
		token := issued.Token

		// Scanners of every kind of scope; the role holds gate.scan, the scope decides.
		scanner := func(role auth.Role, s auth.Scope) auth.Principal {
			return auth.Principal{Username: fmt.Sprint(role, " ", s), Role: role, Scope: s}
		}
		reg := func(code string) auth.Scope { return auth.Scope{Kind: auth.ScopeRegion, Region: code} }
		guardA := scanner(auth.Guard, auth.Scope{Kind: auth.ScopeEnterprise, ID: entA.ID})
		guardB := scanner(auth.Guard, auth.Scope{Kind: auth.ScopeEnterprise, ID: entB.ID})
		inside := []auth.Principal{
			guardA,
			scanner(auth.Admin, auth.Scope{Kind: auth.ScopeAll}),
			scanner(auth.Admin, reg("330402")),
			scanner(auth.Admin, reg("330402001")),
			scanner(auth.Admin, reg("330402001001")),
			scanner(auth.Admin, auth.Scope{Kind: auth.ScopeDept, ID: deptA}),
			scanner(auth.Admin, auth.Scope{Kind: auth.ScopePark, ID: parkA}),
		}
		outside := []auth.Principal{
			guardB, // another enterprise of the same village
			scanner(auth.Admin, reg("330402002")),
			scanner(auth.Admin, auth.Scope{Kind: auth.ScopeDept, ID: deptB}),
			scanner(auth.Admin, auth.Scope{Kind: auth.ScopePark, ID: parkB}),
			scanner(auth.Admin, auth.Scope{Kind: auth.ScopeEnterprise, ID: entB.ID}),
		}
		scan := func(p auth.Principal, temp *float64) gate.Result {
			t.Helper()
			r, err := st.Gate().Scan(ctx, p, token, temp, "")
			if err != nil {
				t.Fatalf("scan by %s: %v", p.Username, err)
			}
			return r
		}
		fever := 39.2
		for _, p := range outside {
			// A fever taken by a scanner the pass does not belong to neither lets the holder
			// in nor suspends the pass.
			if r := scan(p, &fever); r.Allow || r.Code != gate.OtherEnterprise {
				t.Errorf("%s scans a pass outside its scope: %+v, want %s", p.Username, r, gate.OtherEnterprise)
			}
		}
		for _, p := range inside {
			if r := scan(p, nil); !r.Allow || r.Code != gate.OK {
				t.Errorf("%s scans a pass in its scope: %+v, want allowed", p.Username, r)
			}
		}
		// The log of the pass's enterprise holds the scans by its scope only, each with
		// the pass; another enterprise's guard finds its refused scans in its own log.
		logOf := func(p auth.Principal, ent int64) []gate.Entry {
			t.Helper()
			l, err := st.Gate().Entries(ctx, p, ent)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		if l := logOf(guardA, 0); len(l) != len(inside) {
			t.Errorf("enterprise A's log has %d scans, want the %d by its scope: %+v", len(l), len(inside), l)
		} else {
			for _, g := range l {
				if !g.Allow || g.EnterpriseID != entA.ID || g.Temperature != nil {
					t.Errorf("enterprise A's log: %+v", g)
				}
			}
		}
		// B's guard and the administrator scoped to B scanned the pass: two refusals.
		if l := logOf(guardB, 0); len(l) != 2 {
			t.Errorf("enterprise B's log: %+v, want the two refused scans of its scope", l)
		} else {
			for _, g := range l {
				if g.Allow || g.Reason != gate.OtherEnterprise || g.EnterpriseID != entB.ID {
					t.Errorf("enterprise B's log: %+v", g)
				}
			}
		}
		if l := logOf(scanner(auth.Admin, auth.Scope{Kind: auth.ScopeAll}), entA.ID); len(l) != len(inside) {
			t.Errorf("enterprise A's log seen by the administrator: %d scans, want %d", len(l), len(inside))
		}

		// A fever at A's own gate suspends the pass; A's guard is told why, the others
		// only that the pass is not theirs.
		if r := scan(guardA, &fever); r.Allow || r.Code != gate.Fever {
			t.Fatalf("fever at A's gate: %+v", r)
		}
		if r := scan(guardA, nil); r.Code != gate.Suspended || !strings.Contains(r.Reason, "发热") {
			t.Errorf("A's guard scans the suspended pass: %+v", r)
		}
		for _, p := range outside {
			r := scan(p, nil)
			if r.Code != gate.OtherEnterprise || strings.Contains(r.Reason, "发热") || strings.Contains(r.Reason, "暂停") ||
				strings.Contains(strings.ToLower(r.ReasonEN), "fever") || strings.Contains(strings.ToLower(r.ReasonEN), "suspend") {
				t.Errorf("%s scans another scope's suspended pass: %+v", p.Username, r)
			}
		}
		// Public verification: not in force, and neither why nor since when.
		if v, err := st.Notices().Verify(ctx, sign.PassKind, issued.ID); err != nil || !v.Found || !v.NotInForce || v.RevokeReason != "" || v.RevokedAt != nil {
			t.Errorf("verification of the suspended pass: %+v %v", v, err)
		}
		if l := logOf(guardA, 0); len(l) != len(inside)+2 {
			t.Errorf("enterprise A's log after the fever: %d scans, want %d", len(l), len(inside)+2)
		}
		if l := logOf(guardB, 0); len(l) != 4 {
			t.Errorf("enterprise B's log after the fever: %d scans, want the four of its scope", len(l))
		}
	})
}
