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

// A 包保 leader on a phone opens "my enterprises", sees the enterprise they answer for
// with what to know today, and logs a visit with a photo.
func TestBrowserBaobaoLogsAVisit(t *testing.T) {
	ctx := chrome(t)
	w := newWorld(t, storetest.Open(t, store.SQLite))
	if st := w.api(auth.Admin, "POST", "/api/v1/assignments", map[string]any{"assignments": []any{
		map[string]any{"enterprise_id": w.entA, "duty": "town_leader", "user_id": w.users[auth.Town].ID},
		map[string]any{"enterprise_id": w.entA, "duty": "liaison", "user_id": w.users[auth.Town].ID},
	}}, nil); st != http.StatusCreated {
		t.Fatalf("assign: %d", st)
	}
	photo := filepath.Join(t.TempDir(), "现场.png")
	if err := os.WriteFile(photo, appPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(w.ts.URL+"/mine"), chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "town"),
		chromedp.SendKeys(`input[name=password]`, testPassword),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(`#my-enterprises section.card`),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "mine")
	card := text(t, ctx, `#my-enterprises`)
	for _, want := range []string{"甲镇精密机械有限公司", "包保镇级领导", "驻企联络员", "今日发热", "从未走访"} {
		if !strings.Contains(card, want) {
			t.Errorf("the card lacks %q: %q", want, card)
		}
	}
	// The card's button opens the form with its enterprise chosen.
	if err := chromedp.Do(ctx, chromedp.Click(`#my-enterprises a.button`)); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil && strings.Contains(loc, "enterprise="+itoa(w.entA)) {
			break
		}
		if i > 100 {
			t.Fatalf("the card's button led to %q (%v)", loc, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	err = chromedp.Do(ctx,
		chromedp.WaitVisible(`#visit-form`),
		chromedp.SetValue(`select[name=kind]`, "spot"),
		chromedp.SendKeys(`textarea[name=found]`, "抽查门岗测温记录,登记完整"),
		chromedp.SendKeys(`textarea[name=problems]`, "消毒台账缺两日记录"),
		chromedp.SetUploadFiles(`input[name=photo]`, []string{photo}),
		chromedp.Submit(`textarea[name=found]`),
		chromedp.WaitVisible(`#my-visits a[href*="/photos/"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "mine-visited")
	if s := text(t, ctx, `#my-visits`); !strings.Contains(s, "抽查门岗测温记录") || !strings.Contains(s, "抽查检查") {
		t.Errorf("the visit log: %q", s)
	}
	if s := text(t, ctx, `#my-enterprises`); strings.Contains(s, "从未走访") {
		t.Errorf("the card still says never visited: %q", s)
	}
	// The photo is served to the leader.
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(`#my-visits a[href*="/photos/"]`, "href"))
	if err != nil || attr.Value == "" {
		t.Fatalf("photo link: %v", err)
	}
	href := attr.Value
	c := w.login(auth.Town)
	if st, body := c.get(href); st != http.StatusOK || len(body) == 0 {
		t.Errorf("photo: %d", st)
	}
}
