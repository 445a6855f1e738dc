package dashboard

import (
	"fmt"
	"html"
	"strings"
)

// Point is one day of a trend.
type Point struct {
	Day  string `json:"day"`
	Rate Rate   `json:"rate"`
}

// Series is one line of a chart: a rate over days.
type Series struct {
	Name   string  `json:"name"`
	Class  string  `json:"-"` // CSS class of the line (colour), e.g. "s1"
	Points []Point `json:"points"`
}

// Chart sizes in the SVG's own units; the SVG scales to its box (viewBox), so it reads on
// a phone and prints on paper.
const (
	chartW, chartH         = 640, 240
	padL, padR, padT, padB = 44, 12, 12, 36
)

// Chart draws rates (0–100 %) over days as a line chart in SVG, with a title, the per-cent
// grid, the first, middle and last days on the axis and a legend; a day with nothing to
// share (d = 0) leaves a gap. The text is escaped; the result is safe to embed in HTML.
func Chart(title string, series []Series) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, chartW, chartH, html.EscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	plotW, plotH := float64(chartW-padL-padR), float64(chartH-padT-padB)
	for _, pct := range []int{0, 25, 50, 75, 100} {
		y := float64(padT) + plotH*(1-float64(pct)/100)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, padL, y, chartW-padR, y)
		fmt.Fprintf(&b, `<text class="axis" x="%d" y="%.1f" text-anchor="end">%d%%</text>`, padL-4, y+4, pct)
	}
	n := 0
	for _, s := range series {
		n = max(n, len(s.Points))
	}
	x := func(i int) float64 {
		if n <= 1 {
			return float64(padL) + plotW/2
		}
		return float64(padL) + plotW*float64(i)/float64(n-1)
	}
	if n > 0 {
		days := series[0].Points
		for _, i := range labelIndexes(len(days)) {
			anchor := "middle"
			if i == 0 && len(days) > 1 {
				anchor = "start"
			} else if i == len(days)-1 && len(days) > 1 {
				anchor = "end"
			}
			fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="%s">%s</text>`, x(i), chartH-padB+16, anchor, html.EscapeString(shortDay(days[i].Day)))
		}
	}
	for k, s := range series {
		class := s.Class
		if class == "" {
			class = fmt.Sprintf("s%d", k+1)
		}
		var path strings.Builder
		pen := false
		for i, p := range s.Points {
			pct := p.Rate.Percent()
			if pct < 0 {
				pen = false
				continue
			}
			y := float64(padT) + plotH*(1-min(pct, 100)/100)
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, x(i), y)
			pen = true
			fmt.Fprintf(&b, `<circle class="%s" cx="%.1f" cy="%.1f" r="2.5"><title>%s %s: %s</title></circle>`, class, x(i), y,
				html.EscapeString(s.Name), html.EscapeString(p.Day), p.Rate.String())
		}
		if path.Len() > 0 {
			fmt.Fprintf(&b, `<path class="%s" d="%s"/>`, class, strings.TrimSpace(path.String()))
		}
		lx := padL + 8 + k*200
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="12" height="4"/>`, class, lx, chartH-10)
		fmt.Fprintf(&b, `<text class="legend" x="%d" y="%d">%s</text>`, lx+16, chartH-5, html.EscapeString(s.Name))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// labelIndexes are the days named on the axis: the first, the middle and the last.
func labelIndexes(n int) []int {
	switch {
	case n <= 0:
		return nil
	case n == 1:
		return []int{0}
	case n == 2:
		return []int{0, 1}
	}
	return []int{0, (n - 1) / 2, n - 1}
}

// shortDay is "02-15" for "2020-02-15".
func shortDay(day string) string {
	if len(day) == 10 {
		return day[5:]
	}
	return day
}

// Days are the n days up to and including last (YYYY-MM-DD), oldest first.
func Days(last string, n int) []string {
	t, err := parseDay(last)
	if err != nil || n <= 0 {
		return nil
	}
	out := make([]string, n)
	for i := range n {
		out[i] = t.AddDate(0, 0, i-n+1).Format("2006-01-02")
	}
	return out
}
