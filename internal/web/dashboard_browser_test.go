package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// The command's dashboard on a phone: the headline figures, the trend chart drawn by the
// server (no script), the breakdown tables scrolling inside their boxes — the page itself
// no wider than the phone — and a drill-down into a town by a tap.
func TestBrowserDashboardOnPhone(t *testing.T) {
	ctx := chrome(t)
	w := newWorld(t, storetest.Open(t, store.SQLite))
	w.appApproved(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(w.ts.URL+"/dashboard"), chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "command"),
		chromedp.SendKeys(`input[name=password]`, testPassword),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(`svg.chart`),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "dashboard-phone")
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > 390 {
		t.Errorf("the page is %d px wide on a 390 px phone (%v)", width, err)
	}
	chart, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.round(document.querySelector('svg.chart').getBoundingClientRect().width)`))
	if err != nil || chart < 300 || chart > 390 {
		t.Errorf("the chart is %d px wide (%v)", chart, err)
	}
	// Two series in the legend; the line of the enterprises is drawn (nobody has passed a
	// gate yet, so the workers' line has no point).
	legend, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg.chart rect').length`))
	if err != nil || legend != 2 {
		t.Errorf("the chart's legend has %d series (%v)", legend, err)
	}
	lines, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg.chart path.s1').length`))
	if err != nil || lines != 1 {
		t.Errorf("the chart draws %d lines of the enterprises' rate (%v)", lines, err)
	}
	if s := text(t, ctx, `.dash-cards`); !strings.Contains(s, "复工率(按企业)") || !strings.Contains(s, "50%") {
		t.Errorf("headline: %q", s)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`section[data-by=region] tbody tr[data-key="`+w.townA+`"] td a`),
		chromedp.WaitVisible(`nav.crumbs`),
		chromedp.WaitVisible(`section[data-by=region] tbody tr[data-key="330402001001"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if s := text(t, ctx, `nav.crumbs`); !strings.Contains(s, "甲镇") {
		t.Errorf("crumbs after the drill-down: %q", s)
	}
	screenshot(t, ctx, "dashboard-phone-town")
}

// On a laptop (1280 px) the top navigation of the busiest roles keeps to one line.
func TestBrowserNavOneLine(t *testing.T) {
	ctx := chrome(t)
	w := newWorld(t, storetest.Open(t, store.SQLite))
	for i, user := range []string{"admin", "enterprise", "command"} {
		steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(1280, 800)}
		if i > 0 {
			steps = append(steps, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`input[name=username]`))
		} else {
			steps = append(steps, chromedp.Navigate(w.ts.URL+"/"), chromedp.WaitVisible(`input[name=username]`))
		}
		steps = append(steps,
			chromedp.SendKeys(`input[name=username]`, user), chromedp.SendKeys(`input[name=password]`, testPassword),
			chromedp.Submit(`input[name=password]`), chromedp.WaitVisible(`nav.nav`))
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
		h, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.round(document.querySelector('header.top').getBoundingClientRect().height)`))
		if err != nil || h > 60 {
			t.Errorf("%s: the header is %d px high: the navigation wraps (%v)", user, h, err)
		}
		// Nothing of it lies past the edge of the screen.
		hidden, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(function () { var n = document.querySelector('nav.nav');
			return n.scrollWidth - n.clientWidth + Math.max(0, Math.round(n.getBoundingClientRect().right) - window.innerWidth); })()`))
		if err != nil || hidden > 1 {
			t.Errorf("%s: %d px of the navigation are out of sight (%v)", user, hidden, err)
		}
		screenshot(t, ctx, "home-"+user)
	}
	// The command opens the menu of the public's and enterprises' pages and follows a link;
	// opening another menu closes the first.
	shown := func(sel string) bool {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('`+sel+`').checkVisibility()`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	requests, regions := `.nav a[href="/requests"]`, `.nav a[href="/regions"]`
	if shown(requests) || shown(regions) {
		t.Fatal("a menu is open before it is clicked")
	}
	if err := chromedp.Do(ctx, chromedp.Click(`.nav details.menu:has(a[href="/requests"]) > summary`)); err != nil {
		t.Fatal(err)
	}
	if !shown(requests) {
		t.Fatal("the menu's links are hidden after a click on it")
	}
	screenshot(t, ctx, "nav-menu-command")
	if err := chromedp.Do(ctx, chromedp.Click(`.nav details.menu:has(a[href="/regions"]) > summary`)); err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); !shown(regions) || shown(requests); time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 3*time.Second {
			t.Fatalf("after opening a second menu: its links shown %t, the first's %t", shown(regions), shown(requests))
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(`.nav details.menu:has(a[href="/requests"]) > summary`), chromedp.Click(requests),
		chromedp.WaitVisible(`.nav summary.on`)); err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(loc, "/requests") {
		t.Errorf("after the menu's link: at %s (%v)", loc, err)
	}
	// On a tablet (820 px) the bar wraps onto a second line rather than run under the
	// user's name.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(820, 1000), chromedp.Reload(), chromedp.WaitVisible(`nav.nav`)); err != nil {
		t.Fatal(err)
	}
	gap, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.round(document.querySelector('header.top .who').getBoundingClientRect().left -
		Math.max.apply(null, Array.from(document.querySelectorAll('nav.nav > *')).map(function (e) { return e.getBoundingClientRect().right; })))`))
	if err != nil || gap < 0 {
		t.Errorf("at 820 px the navigation runs %d px under the user's name (%v)", -gap, err)
	}
	screenshot(t, ctx, "nav-tablet-command")
}
