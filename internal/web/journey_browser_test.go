package web_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// signIn signs in through the login form the protected page path redirects to, and waits
// until sel shows on the page it lands on.
func signIn(t *testing.T, ctx context.Context, w *world, path, username, sel string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(w.ts.URL+path),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, username),
		chromedp.SendKeys(`input[name=password]`, testPassword),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(sel),
	)
	if err != nil {
		t.Fatalf("sign in as %s to %s: %v", username, path, err)
	}
}

// signOut presses the header's sign-out button.
func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`input[name=username]`)); err != nil {
		t.Fatalf("sign out: %v", err)
	}
}

// waitStatus polls the application until it reaches status (a browser's form post
// navigates; the store tells when it has been handled).
func waitStatus(t *testing.T, w *world, id int64, status string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		v, err := w.db.Applications().Get(w.ctx, auth.System, id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status == status {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("application %d is %q, want %q", id, v.Status, status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The journey from filing to the verified notice: the enterprise submits in the browser,
// the reviewers accept, the grid fills the on-site checklist on the page (with a photo),
// the town command approves, and the printed notice's QR code verifies as valid.
func TestBrowserJourneyToVerifiedNotice(t *testing.T) {
	ctx := chrome(t)
	w := newWorld(t, storetest.Open(t, store.SQLite))
	nw := newNoticeWorld(t, w)
	id := nw.draft(t)
	app := "/applications/" + itoa(id)

	// The application page must offer the enterprise its submit action (提交申请): a form
	// posting action=submit to the transitions route.
	if status, body := w.login(auth.Enterprise).get(app); status != http.StatusOK || !strings.Contains(body, `value="submit"`) {
		t.Fatalf("GET %s as the enterprise: %d; the journey needs the application page with the submit action (提交申请)", app, status)
	}

	// The enterprise submits.
	submit := `form[action$="/transitions"]:has(input[name=action][value=submit]) button[type=submit], button[name=action][value=submit]`
	signIn(t, ctx, w, app, "enterprise", submit)
	screenshot(t, ctx, "journey-draft")
	if label := text(t, ctx, submit); !strings.Contains(label, "提交申请") {
		t.Errorf("submit button reads %q", label)
	}
	if err := chromedp.Do(ctx, chromedp.Click(submit)); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, w, id, "submitted")
	signOut(t, ctx)

	// The park operator and the county bureau of industry accept.
	nw.step(t, w.users[auth.Park], id, application.Accept, "园区初审通过")
	nw.step(t, nw.industry, id, application.Accept, "材料齐全")

	// The grid leader opens the application, follows its link to the on-site checklist and
	// fills it in at the gate.
	signIn(t, ctx, w, app, "grid", `a[href*="/inspect"]`)
	if err := chromedp.Do(ctx, chromedp.Click(`a[href*="/inspect"]`), chromedp.WaitVisible(`form.inspect`)); err != nil {
		t.Fatalf("open the checklist: %v", err)
	}
	photo := filepath.Join(t.TempDir(), "checkpoint.png")
	if err := os.WriteFile(photo, testPNG(t, 7), 0o600); err != nil {
		t.Fatal(err)
	}
	var steps []chromedp.Action[chromedp.Void]
	for _, c := range nw.pol.Checklist {
		steps = append(steps, chromedp.Click(`#item-`+c.Code+` .tri-pass span`))
	}
	steps = append(steps,
		chromedp.SetUploadFiles(`#item-checkpoint input[type=file]`, []string{photo}),
		chromedp.SendKeys(`textarea[name=opinion]`, "各项防控措施落实到位,同意复工"),
		chromedp.SendKeys(`input[name=signature]`, "赵网格"),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("fill the checklist: %v", err)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.tri-pass input:checked').length`))
	if err != nil || checked != len(nw.pol.Checklist) {
		t.Fatalf("%d items marked 合格 (%v), want %d", checked, err, len(nw.pol.Checklist))
	}
	screenshot(t, ctx, "journey-inspect")
	if err := chromedp.Do(ctx, chromedp.Click(`button[name=action][value=pass]`)); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, w, id, "grid_acceptance")
	v, _ := w.db.Applications().Get(w.ctx, auth.System, id)
	if n := photoCountOf(v.Attachments, "inspection:checkpoint"); n != 1 {
		t.Errorf("photos of the checkpoint: %d", n)
	}
	signOut(t, ctx)

	// The town command approves: the notice is issued.
	res := nw.step(t, nw.command, id, application.Approve, "")
	if res.Notice == nil {
		t.Fatal("no notice issued")
	}
	n := res.Notice

	// The enterprise opens its notice.
	page := "/notices/" + itoa(n.ID)
	signIn(t, ctx, w, page, "enterprise", `img[src$="qr.png"]`)
	// Wait until the QR image has loaded before the screenshot.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('img[src$="qr.png"]').complete`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("QR image: %v", err)
	}
	screenshot(t, ctx, "notice")
	if title := text(t, ctx, "h1"); !strings.Contains(title, "复工复产通知书") {
		t.Errorf("notice title %q", title)
	}
	if body := text(t, ctx, "article.notice"); !strings.Contains(body, n.Serial) || !strings.Contains(body, "甲镇精密机械有限公司") {
		t.Errorf("notice text lacks the serial or the enterprise: %q", body)
	}

	// Its QR code, decoded, opens the verify page, which says it is valid.
	status, ct, img := w.login(auth.Enterprise).getBytes(page + "/qr.png")
	if status != http.StatusOK || ct != "image/png" {
		t.Fatalf("qr.png: %d %s", status, ct)
	}
	target := zbar(t, img)
	if !strings.HasPrefix(target, w.ts.URL+"/verify?t=") {
		t.Fatalf("the QR code holds %q", target)
	}
	signOut(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(target), chromedp.WaitVisible(`.verdict`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "verify-valid")
	if verdict := text(t, ctx, ".verdict"); !strings.Contains(verdict, "有效") || strings.Contains(verdict, "无效") {
		t.Errorf("verify page says %q", verdict)
	}
}

func photoCountOf(atts []application.Attachment, material string) int {
	n := 0
	for _, a := range atts {
		if a.Material == material {
			n++
		}
	}
	return n
}
