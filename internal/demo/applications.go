package demo

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/files"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/store"
)

// CompleteApplication is an application of e that meets every check of the policy, planned
// three days from now, for staff people (the demo's, and the generated city's).
func CompleteApplication(pol *policy.Policy, e enterprise.Enterprise, now time.Time, staff int) application.Application {
	planned := now.Add(72 * time.Hour).Truncate(time.Hour)
	a := application.Application{EnterpriseID: e.ID, PlannedAt: planned,
		Returning: application.Returning{Local: staff * 7 / 10, CityOtherDistrict: staff * 2 / 10, ProvinceOtherCity: staff - staff*7/10 - staff*2/10},
		Supplies: []application.SupplyItem{
			{Item: application.ItemMasks, Quantity: staff * 20}, {Item: application.ItemGloves, Quantity: staff * 5},
			{Item: application.ItemSuits, Quantity: 10}, {Item: application.ItemThermometers, Quantity: 4},
			{Item: application.ItemAlcohol, Quantity: 20}, {Item: application.ItemDisinfectant, Quantity: 40}},
		IsolationRooms: 2, Parts: map[string]bool{}, SelfCheck: map[string]bool{},
		Commitment: application.Commitment{SignedBy: cmp.Or(e.LegalRep, e.PreventionLead), SignedAt: now},
	}
	if e.HasDormitory {
		a.Dormitory = []application.DormRoom{{Name: "1号楼101", Beds: 4, Assigned: 4}, {Name: "1号楼102", Beds: 4, Assigned: 3}}
	}
	for _, m := range pol.MaterialsFor(e.Category, application.Flags(e, a, pol)) {
		a.Parts[m.Code] = true
	}
	for _, c := range pol.Checklist {
		a.SelfCheck[c.Code] = true
	}
	return a
}

// walk moves an application forward steps times, each step taken by the first demo user
// the policy lets act, as a clerk would click through it.
func walk(ctx context.Context, db *store.Store, pol *policy.Policy, fs *files.Store, people []auth.Principal, id int64, steps int) error {
	prefer := []application.Action{application.Submit, application.Accept, application.Pass, application.Issue, application.Approve}
	for ; steps > 0; steps-- {
		moved := false
		for _, act := range prefer {
			for _, p := range people {
				req := application.Request{Action: act, Comment: "同意"}
				if act == application.Pass {
					in := &application.Acceptance{Opinion: "防控措施落实到位,同意复工", Signature: p.Name}
					for _, c := range pol.Checklist {
						in.Items = append(in.Items, application.ItemResult{Code: c.Code, Result: "pass"})
					}
					req.Acceptance = in
				}
				_, err := db.Applications().Transition(ctx, p, id, req)
				if act == application.Pass && apperr.KindOf(err) == apperr.Invalid {
					// The inspector whose acceptance it is keeps an on-site photo, then passes.
					if err := sitePhoto(ctx, db, pol, fs, p, id); err != nil {
						return err
					}
					_, err = db.Applications().Transition(ctx, p, id, req)
				}
				if err == nil {
					moved = true
					break
				}
				switch apperr.KindOf(err) {
				case apperr.Forbidden, apperr.NotFound, apperr.Conflict:
					continue
				}
				return err
			}
			if moved {
				break
			}
		}
		if !moved {
			return nil // nobody among the demo users acts next: leave it waiting
		}
	}
	return nil
}

// clerks are the people who act on the demo's applications besides the demo accounts:
// a reviewer for every department, a grid leader for every village, the command of every
// town, the operator of every park. They have no accounts; the audit trail names them.
func clerks(ctx context.Context, db *store.Store) ([]auth.Principal, error) {
	var out []auth.Principal
	depts, _, err := db.ListDepartments(ctx, auth.System, "", "", list.Page{Size: list.MaxSize})
	if err != nil {
		return nil, err
	}
	for _, d := range depts {
		out = append(out, auth.Principal{Username: "demo", Name: d.Name + "审核员(演示)", Role: auth.Reviewer, Scope: auth.Scope{Kind: auth.ScopeDept, ID: d.ID}})
	}
	for _, v := range villages {
		out = append(out, auth.Principal{Username: "demo", Name: v.name + "网格长(演示)", Role: auth.Grid, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: v.code}})
	}
	for _, t := range towns {
		out = append(out, auth.Principal{Username: "demo", Name: t.name + "指挥部(演示)", Role: auth.Command, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: t.code}})
		out = append(out, auth.Principal{Username: "demo", Name: t.name + "干部(演示)", Role: auth.Town, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: t.code}})
	}
	out = append(out, auth.Principal{Username: "demo", Name: county.name + "指挥部(演示)", Role: auth.Command, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: county.code}})
	parks, _, err := db.ListParks(ctx, auth.System, "", "", list.Page{Size: list.MaxSize})
	if err != nil {
		return nil, err
	}
	for _, p := range parks {
		out = append(out, auth.Principal{Username: "demo", Name: p.Name + "运营方(演示)", Role: auth.Park, Scope: auth.Scope{Kind: auth.ScopePark, ID: p.ID}})
	}
	return out, nil
}

// seedApplications files applications at every stage: a draft of the demo enterprise for
// its account to submit, others waiting for review, accepted and waiting for on-site
// acceptance, approved with a notice, and one returned with a comment. Officials file on
// the enterprises' behalf (帮办代办).
func seedApplications(ctx context.Context, db *store.Store, pol *policy.Policy, fs *files.Store, people []auth.Principal, own int64) error {
	more, err := clerks(ctx, db)
	if err != nil {
		return err
	}
	people = append(people, more...)
	ents, _, err := db.ListEnterprises(ctx, auth.System, enterprise.Filter{Page: list.Page{Size: list.MaxSize}})
	if err != nil {
		return err
	}
	// The demo enterprise first, then the others from the oldest.
	slices.SortFunc(ents, func(a, b enterprise.Enterprise) int {
		switch {
		case a.ID == own:
			return -1
		case b.ID == own:
			return 1
		}
		return cmp.Compare(a.ID, b.ID)
	})
	steps := []int{0, 9, 9, 9, 1, 1, 2, 2, 3, 3, 9, 9, 9, 9, 1, 0}
	// The enterprises file one a day over the last weeks, each walked as far as it got on
	// its day, so that the command's trend shows the county resuming day by day.
	real := db.DB.Now
	defer func() { db.DB.Now = real }()
	n := 0
	for _, e := range ents {
		if e.Status == enterprise.Closed || e.Status == enterprise.Suspended || n >= len(steps) {
			continue
		}
		s := steps[n]
		day := real().AddDate(0, 0, -(len(steps) - n))
		if s == 0 {
			day = real() // a draft, for the demo's user to submit today
		}
		db.DB.Now = func() time.Time { return day }
		now := day
		n++
		// Most enterprises file themselves (网上办); one in three without an account of the
		// demo is helped by its town, or the county command, filing on its behalf (帮办代办).
		var filer auth.Principal
		if n%3 != 0 {
			filer = enterpriseActor(people, e.ID, e.Name)
		}
		rank := func(p auth.Principal) int {
			switch {
			case p.Role == auth.Enterprise && p.Scope.ID == e.ID:
				return 3
			case p.Role == auth.Town && strings.HasPrefix(e.RegionCode, p.Scope.Region):
				return 2
			case p.Role == auth.Command && strings.HasPrefix(e.RegionCode, p.Scope.Region):
				return 1
			}
			return 0
		}
		for _, p := range people {
			if rank(p) > rank(filer) && filer.Role != auth.Enterprise {
				filer = p
			}
		}
		if filer.Role != auth.Enterprise && rank(filer) == 0 {
			return fmt.Errorf("demo application of %s: nobody to file it", e.Name)
		}
		v, err := db.Applications().Create(ctx, filer, CompleteApplication(pol, e, now, max(e.Headcount/2, 4)))
		if err != nil {
			return fmt.Errorf("demo application of %s: %w", e.Name, err)
		}
		if err := walk(ctx, db, pol, fs, people, v.ID, s); err != nil {
			return fmt.Errorf("demo application of %s: %w", e.Name, err)
		}
		if n == len(steps)-1 {
			// One is sent back with a comment, as a reviewer would.
			for _, p := range people {
				if _, err := db.Applications().Transition(ctx, p, v.ID, application.Request{Action: application.Return,
					Comment: "口罩储备不足 7 天用量,请补充后重新提交"}); err == nil {
					break
				}
			}
		}
	}
	return nil
}

// sitePhoto stores a small picture as the on-site photo of the first checklist item, as an
// inspector's phone would upload it.
func sitePhoto(ctx context.Context, db *store.Store, pol *policy.Policy, fs *files.Store, p auth.Principal, id int64) error {
	if p.Role == auth.Enterprise || len(pol.Checklist) == 0 {
		return apperr.NewForbidden()
	}
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := 0; x < 64; x++ {
		for y := 0; y < 48; y++ {
			img.Set(x, y, color.RGBA{R: uint8(90 + x), G: uint8(140 + y), B: 120, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	st, err := fs.Put("现场照片.png", &buf)
	if err != nil {
		return err
	}
	return db.Applications().AddAttachment(ctx, p, id, application.Attachment{Material: application.PhotoMaterial(pol.Checklist[0].Code),
		Name: "现场照片.png", SHA256: st.SHA256, Size: st.Size, ContentType: st.ContentType})
}
