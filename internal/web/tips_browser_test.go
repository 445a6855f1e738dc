package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fugong/internal/auth"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// Someone with no account reports an enterprise from a phone, with a photo, gets a
// receipt code, and later reads the town's answer with it.
func TestBrowserTipFromPhone(t *testing.T) {
	ctx := chrome(t)
	w := newWorld(t, storetest.Open(t, store.SQLite))
	now := time.Now().UTC()
	w.db.DB.Now = func() time.Time { return now }
	photo := filepath.Join(t.TempDir(), "dorm.png")
	if err := os.WriteFile(photo, appPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(w.ts.URL+"/report"), chromedp.WaitVisible(`#tip-form`),
		chromedp.Click(`input[name=category][value=dormitory]`),
		chromedp.SendKeys(`input[name=enterprise_name]`, "甲镇精密机械有限公司"),
		chromedp.WaitVisible(`[data-tip-found]`),
		chromedp.SendKeys(`input[name=place]`, "三号宿舍楼"),
		chromedp.SendKeys(`textarea[name=description]`, "一间宿舍住了八个人,晚上很挤"),
		chromedp.SetUploadFiles(`input[name=photos]`, []string{photo}),
		chromedp.SendKeys(`input[name=reporter_phone]`, "13900001111"),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "tip-phone-form")
	now = now.Add(time.Minute) // a person takes a while to fill the form
	var code string
	err = chromedp.Do(ctx,
		chromedp.Click(`#tip-form button[type=submit]`),
		chromedp.WaitVisible(`[data-receipt]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	code = text(t, ctx, `[data-receipt]`)
	screenshot(t, ctx, "tip-phone-receipt")
	code = strings.TrimSpace(code)
	if len(code) != 11 {
		t.Fatalf("receipt code %q", code)
	}
	// The town answers it, with the photo and the reporter's phone before it.
	var list struct {
		Items []struct {
			ID            int64
			ReporterPhone string `json:"reporter_phone"`
			EnterpriseID  int64  `json:"enterprise_id"`
		}
	}
	if st := w.api(auth.Town, "GET", "/api/v1/tips", nil, &list); st != http.StatusOK || len(list.Items) != 1 || list.Items[0].ReporterPhone != "13900001111" || list.Items[0].EnterpriseID != w.entA {
		t.Fatalf("the town's tips: %d %+v", st, list)
	}
	var tp struct{ Photos []struct{ SHA256 string } }
	if w.api(auth.Town, "GET", "/api/v1/tips/"+itoa(list.Items[0].ID), nil, &tp); len(tp.Photos) != 1 {
		t.Fatalf("the photo did not arrive: %+v", tp)
	}
	for _, step := range []map[string]any{{"action": "accept"}, {"action": "result", "comment": "属实,已责令调整"}, {"action": "reply", "comment": "经查属实,已责令企业调整宿舍,每间不超过4人。感谢您的监督。"}} {
		if st := w.api(auth.Town, "POST", "/api/v1/tips/"+itoa(list.Items[0].ID)+"/transitions", step, nil); st != http.StatusOK {
			t.Fatalf("%v: %d", step, st)
		}
	}
	// Later, the phone looks the answer up with the code.
	var reply string
	err = chromedp.Do(ctx,
		chromedp.Navigate(w.ts.URL+"/report/receipt"), chromedp.WaitVisible(`input[name=code]`),
		chromedp.SendKeys(`input[name=code]`, strings.ToLower(code)),
		chromedp.Submit(`input[name=code]`),
		chromedp.WaitVisible(`[data-reply]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	reply = text(t, ctx, `[data-reply]`)
	screenshot(t, ctx, "tip-phone-reply")
	if !strings.Contains(reply, "感谢您的监督") {
		t.Errorf("the reply read with the code: %q", reply)
	}
	if body := text(t, ctx, "main"); strings.Contains(body, "13900001111") || strings.Contains(body, "属实,已责令调整") {
		t.Errorf("the receipt page shows more than the status and the reply: %q", body)
	}
}
