package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fugong/internal/auth"
	"fugong/internal/sign"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// A guard scans a good pass (green), records a fever at the checkpoint page, and the
// next scan of the same pass is red with the reason.
func TestBrowserGateFeverTurnsRed(t *testing.T) {
	ctx := chrome(t)
	w := newWorld(t, storetest.Open(t, store.SQLite))
	w.appApproved(t)
	pass := w.issuedPasses(t, "赵门岗")[0]
	if err := chromedp.Do(ctx, chromedp.Navigate(w.ts.URL+"/gate"), chromedp.WaitVisible(`input[name=username]`)); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		chromedp.SendKeys(`input[name=username]`, "guard"),
		chromedp.SendKeys(`input[name=password]`, testPassword),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(`#gate-token`),
	)
	if err != nil {
		t.Fatal(err)
	}
	scan := func(temp string) (class, panel string) {
		t.Helper()
		acts := []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(`#gate-token`), chromedp.SetValue(`#gate-token`, pass.Token)}
		if temp != "" {
			acts = append(acts, chromedp.SendKeys(`#gate-temp`, temp))
		}
		acts = append(acts, chromedp.Click(`#gate-submit`), chromedp.WaitVisible(`#gate-panel.green, #gate-panel.red`))
		if err := chromedp.Do(ctx, acts...); err != nil {
			t.Fatal(err)
		}
		attr, err := chromedp.Run(ctx, chromedp.AttributeValue(`#gate-panel`, "class"))
		if err != nil {
			t.Fatal(err)
		}
		return attr.Value, text(t, ctx, `#gate-panel`)
	}
	if class, panel := scan("36.5"); !strings.Contains(class, "green") || !strings.Contains(panel, "准予通行") {
		t.Fatalf("first scan: %q %q", class, panel)
	}
	screenshot(t, ctx, "gate-green")
	// The camera button: without a live barcode detector, a photo of the pass is read by
	// the server, fills the token and submits the scan.
	qr, err := sign.QRPNG(sign.VerifyURL(w.ts.URL+"/verify", pass.Token), 300)
	if err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "pass.png")
	if err := os.WriteFile(photo, qr, 0o600); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(w.ts.URL+"/gate"), chromedp.WaitVisible(`#gate-camera`),
		chromedp.SetUploadFiles(`#gate-photo`, []string{photo}, chromedp.NodeReady), chromedp.WaitVisible(`#gate-panel.green`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// A fever reading at the checkpoint page.
	err = chromedp.Do(ctx,
		chromedp.Navigate(w.ts.URL+"/health"), chromedp.WaitVisible(`input[name=person]`),
		chromedp.SetValue(`input[name=person]`, pass.Token), chromedp.SendKeys(`input[name=temperature]`, "38.6"),
		chromedp.Submit(`input[name=temperature]`), chromedp.WaitVisible(`#health-last.red`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(w.ts.URL+"/gate")); err != nil {
		t.Fatal(err)
	}
	class, panel := scan("")
	if !strings.Contains(class, "red") || !strings.Contains(panel, "禁止") || !strings.Contains(panel, "发热") {
		t.Fatalf("scan after the fever: %q %q", class, panel)
	}
	screenshot(t, ctx, "gate-red")
}

// A staff member on a phone: the My pass page is green with the pass's QR code; a
// declared fever turns it red, and the pass is suspended.
func TestBrowserMyPassFeverTurnsRed(t *testing.T) {
	ctx := chrome(t)
	w := newWorld(t, storetest.Open(t, store.SQLite))
	w.appApproved(t)
	pass := w.issuedPasses(t, "孙手机")[0]
	var acc accountAnswer
	if st := w.api(auth.Enterprise, "GET", "/api/v1/employees/"+itoa(pass.EmployeeID)+"/account", nil, &acc); st != http.StatusOK || len(acc.Candidates) == 0 {
		t.Fatalf("staff accounts to link: %d %+v", st, acc)
	}
	if st := w.api(auth.Enterprise, "POST", "/api/v1/employees/"+itoa(pass.EmployeeID)+"/account", map[string]any{"user_id": acc.Candidates[0].UserID}, nil); st != http.StatusOK {
		t.Fatalf("link: %d", st)
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(w.ts.URL+"/me"), chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "staff"),
		chromedp.SendKeys(`input[name=password]`, testPassword),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(`#me-state.green`), chromedp.WaitVisible(`#me-pass img.pass-qr`),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "me-green")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(`#me-declare input[name=temperature]`, "38.4"),
		chromedp.Submit(`#me-declare input[name=temperature]`),
		chromedp.WaitVisible(`#me-state.red`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if s := text(t, ctx, `#me-state`); !strings.Contains(s, "暂停") {
		t.Errorf("after a declared fever the page says %q", s)
	}
	screenshot(t, ctx, "me-red")
	if got := w.scan(t, pass.Token, nil); got.Allow || got.Code != "suspended" {
		t.Errorf("the gate after the declared fever: %+v", got)
	}
}
