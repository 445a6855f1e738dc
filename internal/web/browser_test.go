package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// chrome starts headless Debian Chromium for a browser test. Without a browser the test
// is skipped on a laptop and fails in CI.
func chrome(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("FUGONG_CHROMIUM")
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path != "" {
			break
		}
		path, _ = exec.LookPath(p)
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium found: install Debian's chromium package (CI must run the browser tests)")
		}
		t.Skip("no Chromium found: install Debian's chromium package or set FUGONG_CHROMIUM")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelC := chromedp.NewContext(actx)
	// The first run starts the browser and must not carry a timeout of its own.
	if _, err := chromedp.Run(bctx, chromedp.Location()); err != nil {
		cancelC()
		cancelA()
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	ctx, cancelT := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// screenshot saves a full-page PNG when FUGONG_SCREENSHOTS names a directory.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("FUGONG_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// text returns the visible text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// A town official signs in through the login form and sees only the town's enterprises.
func TestBrowserTownSeesOwnEnterprises(t *testing.T) {
	ctx := chrome(t)
	w := newWorld(t, storetest.Open(t, store.SQLite))
	if err := chromedp.Do(ctx, chromedp.Navigate(w.ts.URL+"/enterprises"), chromedp.WaitVisible(`input[name=username]`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "login")
	err := chromedp.Do(ctx,
		chromedp.SendKeys(`input[name=username]`, "town"),
		chromedp.SendKeys(`input[name=password]`, testPassword),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(`table`),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "enterprises-town")
	heading, list := text(t, ctx, "h1"), text(t, ctx, "table tbody")
	if !strings.Contains(heading, "企业") {
		t.Errorf("heading %q is not the Chinese enterprise list", heading)
	}
	if !strings.Contains(list, "甲镇精密机械有限公司") {
		t.Errorf("town A's enterprise missing from the list: %q", list)
	}
	if strings.Contains(list, "乙街道便民超市") {
		t.Errorf("town B's enterprise shown to town A: %q", list)
	}
	// Opening the other town's enterprise directly is refused.
	if err := chromedp.Do(ctx, chromedp.Navigate(w.ts.URL+"/enterprises/"+itoa(w.entB))); err != nil {
		t.Fatal(err)
	}
	if body := text(t, ctx, "main"); strings.Contains(body, "乙街道便民超市") || !strings.Contains(body, "未找到") {
		t.Errorf("foreign enterprise page: %q", body)
	}
}
