package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fugong/internal/auth"
	"fugong/internal/inspection"
	"fugong/internal/policy"
	"fugong/internal/rectify"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// An inspector on a phone opens the day's inspection, fails an item with a note, a
// severity and a photo, signs and records it: a numbered order opens. The enterprise
// then answers the order on its page with a photo; the order waits for verification.
func TestBrowserInspectorFailsItemEnterpriseAnswers(t *testing.T) {
	ctx := chrome(t)
	w := newWorld(t, storetest.Open(t, store.SQLite))
	park := w.users[auth.Park].Principal()
	in, err := w.db.Inspections().Plan(w.ctx, park, inspection.Inspection{EnterpriseID: w.entA, Unit: "park_operator", Kind: policy.KindSpot,
		PlannedOn: w.db.Today(), Inspectors: "钱园区"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.db.Inspections().Checklist(w.ctx, park, in)
	if err != nil || len(c.Items) < 2 {
		t.Fatalf("checklist: %+v %v", c.Items, err)
	}
	failed := c.Items[1].Code // the supplies in reserve, with the ledger's days of cover next to it
	photo := filepath.Join(t.TempDir(), "supplies.png")
	if err := os.WriteFile(photo, testPNG(t, 9), 0o600); err != nil {
		t.Fatal(err)
	}
	page := "/supervision/" + itoa(in.ID)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, w, page, "park", `form.inspect`)
	var steps []chromedp.Action[chromedp.Void]
	for _, it := range c.Items {
		if it.Code == failed {
			steps = append(steps, chromedp.Click(`#item-`+it.Code+` .tri-fail span`))
		} else {
			steps = append(steps, chromedp.Click(`#item-`+it.Code+` .tri-pass span`))
		}
	}
	steps = append(steps,
		chromedp.SendKeys(`input[name=note_`+failed+`]`, "口罩库存仅够3天"),
		chromedp.SetValue(`select[name=severity_`+failed+`]`, inspection.Serious),
		chromedp.SetUploadFiles(`#item-`+failed+` input[type=file]`, []string{photo}),
		chromedp.SendKeys(`input[name=signature]`, "钱园区"),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("fill the checklist: %v", err)
	}
	if s := text(t, ctx, `#item-`+failed); !strings.Contains(s, "天") {
		t.Errorf("the item shows no facts next to it: %q", s)
	}
	screenshot(t, ctx, "supervision-phone-checklist")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.confirm = function () { return true; }; true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#inspection-submit`), chromedp.WaitVisible(`a[href^="/rectifications/"]`)); err != nil {
		t.Fatalf("record the inspection: %v", err)
	}
	screenshot(t, ctx, "supervision-recorded")
	got, err := w.db.Inspections().Get(w.ctx, park, in.ID)
	if err != nil || got.Result != inspection.Fail || got.Photos != 1 {
		t.Fatalf("recorded: %+v %v", got, err)
	}
	orders, _, err := w.db.Rectifications().List(w.ctx, park, rectify.Filter{EnterpriseID: w.entA})
	if err != nil || len(orders) != 1 || orders[0].Item != failed || orders[0].Severity != inspection.Serious {
		t.Fatalf("orders: %+v %v", orders, err)
	}
	signOut(t, ctx)

	// The enterprise answers on its page, with a photo.
	order := "/rectifications/" + itoa(orders[0].ID)
	signIn(t, ctx, w, order, "enterprise", `#answer-form`)
	if s := text(t, ctx, `h1`); !strings.Contains(s, orders[0].Serial) {
		t.Errorf("the order's page reads %q; want its number %s", s, orders[0].Serial)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(`#answer-form textarea[name=text]`, "已补购口罩2000只,库存可用10天"),
		chromedp.SetUploadFiles(`#answer-form input[type=file]`, []string{photo}),
		chromedp.Click(`#answer-submit`),
	)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		o, err := w.db.Rectifications().Get(w.ctx, auth.System, orders[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.Status == rectify.Answered {
			if o.AnswerPhotos != 1 || !strings.Contains(o.Answer, "2000") {
				t.Errorf("answer: %+v", o)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the order stays %s", o.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`.flash, .notice-flash, body`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "supervision-answered")
}
