package guidance

import (
	"html"
	"html/template"
	"regexp"
	"strings"
)

// Render turns a body into HTML safely. Every character of the text is escaped first, so
// that no tag, attribute or entity the author writes reaches the page as markup; then a
// small Markdown subset is recognised on the escaped text: headings (#, ##, ###),
// paragraphs, bulleted (-, *) and numbered (1.) lists, quotes (>), **bold**, *italic*,
// `code` and links [text](https://…) whose address is http, https, mailto or a path on
// this server — anything else (javascript:, data: …) stays text.
func Render(body string) template.HTML {
	var b strings.Builder
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	var para []string
	list := "" // "ul" or "ol" while in a list
	flushPara := func() {
		if len(para) > 0 {
			b.WriteString("<p>" + inline(strings.Join(para, " ")) + "</p>\n")
			para = nil
		}
	}
	closeList := func() {
		if list != "" {
			b.WriteString("</" + list + ">\n")
			list = ""
		}
	}
	for _, raw := range lines {
		line := strings.TrimRight(raw, " \t")
		trim := strings.TrimSpace(line)
		switch {
		case trim == "":
			flushPara()
			closeList()
		case headingRE.MatchString(trim):
			flushPara()
			closeList()
			m := headingRE.FindStringSubmatch(trim)
			level := string(rune('1' + len(m[1]))) // # → h2: the page has its own h1
			b.WriteString("<h" + level + ">" + inline(m[2]) + "</h" + level + ">\n")
		case bulletRE.MatchString(trim), numberRE.MatchString(trim):
			flushPara()
			kind, item := "ul", ""
			if m := bulletRE.FindStringSubmatch(trim); m != nil {
				item = m[1]
			} else {
				kind, item = "ol", numberRE.FindStringSubmatch(trim)[1]
			}
			if list != kind {
				closeList()
				b.WriteString("<" + kind + ">\n")
				list = kind
			}
			b.WriteString("<li>" + inline(item) + "</li>\n")
		case strings.HasPrefix(trim, ">"):
			flushPara()
			closeList()
			b.WriteString("<blockquote>" + inline(strings.TrimSpace(strings.TrimPrefix(trim, ">"))) + "</blockquote>\n")
		default:
			closeList()
			para = append(para, trim)
		}
	}
	flushPara()
	closeList()
	return template.HTML(b.String()) // every piece went through inline or is a fixed tag
}

var (
	headingRE = regexp.MustCompile(`^(#{1,3})\s+(.+)$`)
	bulletRE  = regexp.MustCompile(`^[-*]\s+(.+)$`)
	numberRE  = regexp.MustCompile(`^\d{1,3}[.、)]\s*(.+)$`)
	// On escaped text: the link's text, then its address (no space, no quote: escaping
	// turned " and ' into entities, which [^\s)&] keeps out).
	linkRE   = regexp.MustCompile(`\[([^\]]+)\]\(([^\s)&*]+)\)`)
	boldRE   = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	italicRE = regexp.MustCompile(`\*([^*]+)\*`)
	codeRE   = regexp.MustCompile("`([^`]+)`")
)

// inline escapes a line and marks up its emphasis, code and safe links.
func inline(s string) string {
	s = html.EscapeString(strings.ReplaceAll(s, "\x00", ""))
	var codes []string
	s = codeRE.ReplaceAllStringFunc(s, func(m string) string {
		codes = append(codes, "<code>"+codeRE.FindStringSubmatch(m)[1]+"</code>")
		return "\x00" + string(rune('0'+len(codes)-1)) + "\x00"
	})
	s = linkRE.ReplaceAllStringFunc(s, func(m string) string {
		sm := linkRE.FindStringSubmatch(m)
		if !safeURL(sm[2]) {
			return m
		}
		return `<a href="` + sm[2] + `" rel="noopener noreferrer">` + sm[1] + `</a>`
	})
	s = boldRE.ReplaceAllString(s, "<strong>$1</strong>")
	s = italicRE.ReplaceAllString(s, "<em>$1</em>")
	for i, c := range codes {
		s = strings.Replace(s, "\x00"+string(rune('0'+i))+"\x00", c, 1)
	}
	return s
}

// safeURL accepts http, https and mailto addresses and paths on this server.
func safeURL(u string) bool {
	l := strings.ToLower(u)
	switch {
	case strings.HasPrefix(l, "https://"), strings.HasPrefix(l, "http://"), strings.HasPrefix(l, "mailto:"):
		return true
	case strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//"):
		return true
	}
	return false
}
