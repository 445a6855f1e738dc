package zzshot

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// go test ./internal/zzshot -run Shot -args URL USER PATH OUT [WIDTH]
func TestShot(t *testing.T) {
	a := os.Args[len(os.Args)-5:]
	base, user, path, out, width := a[0], a[1], a[2], a[3], a[4]
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("chromium"), chromedp.NoSandbox)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	ctx, cancel3 := context.WithTimeout(ctx, 60*time.Second)
	defer cancel3()
	w := int64(1280)
	if width == "390" {
		w = 390
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(w, 900),
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(`input[name=username]`, user),
		chromedp.SendKeys(`input[name=password]`, "fugong-demo"),
		chromedp.Submit(`input[name=password]`),
		chromedp.Sleep(time.Second),
		chromedp.Navigate(base+path),
		chromedp.Sleep(time.Second),
	)
	if err != nil {
		t.Fatal(err)
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out, ".png") {
		t.Fatal("out")
	}
	os.WriteFile(out, buf, 0o644)
}
