package guidance

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
)

// No script, attribute or dangerous address gets through: what the author writes as
// markup stays text.
func TestRenderCannotInject(t *testing.T) {
	hostile := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`[点我](javascript:alert(1))`,
		`[点我](JaVaScRiPt:alert(1))`,
		`[点我](data:text/html;base64,PHNjcmlwdD4=)`,
		`[x](http://a.example/" onmouseover="alert(1))`,
		`[x](http://a.example/'onmouseover='alert(1))`,
		`[x](//evil.example/)`,
		"`<script>`",
		`**<b onclick=alert(1)>粗</b>**`,
		"# <iframe src=//evil>",
		"- <svg onload=alert(1)>",
		"> <a href=javascript:alert(1)>q</a>",
		"<style>body{display:none}</style>",
		"a\x00<script>",
	}
	// Every tag in the output is one Render writes itself, with no attribute but a safe
	// link's href and rel; the author's text shows as text.
	tagRE := regexp.MustCompile(`<(/?)([a-zA-Z0-9]+)([^>]*)>`)
	attrRE := regexp.MustCompile(`^ href="(https?://[^"]*|mailto:[^"]*|/[^/"][^"]*)" rel="noopener noreferrer"$`)
	allowed := map[string]bool{"p": true, "h2": true, "h3": true, "h4": true, "ul": true, "ol": true, "li": true, "blockquote": true,
		"strong": true, "em": true, "code": true, "a": true}
	for _, h := range hostile {
		out := string(Render(h))
		for _, m := range tagRE.FindAllStringSubmatch(out, -1) {
			tag, attrs := strings.ToLower(m[2]), m[3]
			switch {
			case !allowed[tag]:
				t.Errorf("Render(%q) = %q: writes a <%s>", h, out, tag)
			case attrs != "" && (tag != "a" || m[1] != "" || !attrRE.MatchString(attrs)):
				t.Errorf("Render(%q) = %q: <%s%s>", h, out, tag, attrs)
			}
		}
	}
}

func TestRender(t *testing.T) {
	cases := []struct{ in, want string }{
		{"一、企业须知", "<p>一、企业须知</p>\n"},
		{"# 十问十答", "<h2>十问十答</h2>\n"},
		{"### 问题一", "<h4>问题一</h4>\n"},
		{"- 测温\n- 戴口罩", "<ul>\n<li>测温</li>\n<li>戴口罩</li>\n</ul>\n"},
		{"1. 申请\n2. 审核", "<ol>\n<li>申请</li>\n<li>审核</li>\n</ol>\n"},
		{"**必须**提前*48*小时", "<p><strong>必须</strong>提前<em>48</em>小时</p>\n"},
		{"见[政策原文](https://example.gov.cn/a?b=1)", `<p>见<a href="https://example.gov.cn/a?b=1" rel="noopener noreferrer">政策原文</a></p>` + "\n"},
		{"见[申请](/applications/new)", `<p>见<a href="/applications/new" rel="noopener noreferrer">申请</a></p>` + "\n"},
		{"用 `fugong` 命令", "<p>用 <code>fugong</code> 命令</p>\n"},
		{"> 引用", "<blockquote>引用</blockquote>\n"},
		{"第一行\n第二行\n\n第二段", "<p>第一行 第二行</p>\n<p>第二段</p>\n"},
		{"1 < 2 & 3 > 2", "<p>1 &lt; 2 &amp; 3 &gt; 2</p>\n"},
	}
	for _, c := range cases {
		if got := string(Render(c.in)); got != c.want {
			t.Errorf("Render(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestConcerns(t *testing.T) {
	it := Item{Regions: []string{"330402001"}, Categories: []string{"industry_above"}}
	cases := []struct {
		it   Item
		r    Reader
		want bool
	}{
		{it, Reader{Region: "330402001001", Category: "industry_above"}, true},
		{it, Reader{Region: "330402002", Category: "industry_above"}, false},
		{it, Reader{Region: "330402001", Category: "retail"}, false},
		{Item{Regions: []string{"330402"}}, Reader{Region: "330402002", Category: "retail"}, true},
		{Item{Regions: []string{"330402"}, ParkID: 3}, Reader{Region: "330402002", ParkID: 4}, false},
		{Item{Regions: []string{"330402"}, ParkID: 3}, Reader{Region: "330402002", ParkID: 3}, true},
	}
	for i, c := range cases {
		if got := c.it.Concerns(c.r); got != c.want {
			t.Errorf("case %d: %v", i, got)
		}
	}
	t0 := time.Date(2020, 2, 10, 0, 0, 0, 0, time.UTC)
	end := t0.AddDate(0, 1, 0)
	in := Item{PublishAt: t0, EndAt: &end}
	if in.InForce(t0.Add(-time.Hour)) || !in.InForce(t0) || in.InForce(end) {
		t.Error("in force")
	}
}

func TestValidate(t *testing.T) {
	known := func(c string) bool { return c == "industry_above" }
	ok := Item{Kind: FAQ, Title: " 十问十答 ", Body: "问:……", Regions: []string{"330402"}, PublishAt: time.Now()}
	if err := ok.Validate(known); err != nil || ok.Title != "十问十答" {
		t.Fatal(err)
	}
	end := time.Now().Add(-time.Hour)
	bad := Item{Kind: RentRelief, Categories: []string{"nope"}, PublishAt: time.Now(), EndAt: &end}
	e, isErr := apperr.As(bad.Validate(known))
	if !isErr {
		t.Fatal("no problems")
	}
	fields := map[string]bool{}
	for _, p := range e.Problems {
		fields[p.Field] = true
	}
	for _, f := range []string{"title", "body", "regions", "categories", "park_id", "end_at"} {
		if !fields[f] {
			t.Errorf("no problem on %s: %v", f, e.Problems)
		}
	}
}
