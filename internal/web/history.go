package web

import (
	"encoding/json"
	"time"

	"fugong/internal/audit"
)

// The history of an object (a tip, a request), as its page lists it: read from the audit
// trail, told in the clerk's words (the action, the statuses it moved between, what was
// written) rather than as the trail's codes and JSON. Each noun names its own beside its
// pages (tipHistory, requestHistory).

// historyRow is one change of the history.
type historyRow struct {
	At        time.Time
	ActorName string
	Action    string // what was done, in the page's language
	Change    string // the status it moved from and to, and what else changed
	Comment   string
}

// historyNames names what a noun's history holds: its actions and statuses by code, the
// trail's actions that are no workflow action (its arrival, an attachment), and what else
// a change's summary tells.
type historyNames struct {
	action, status func(code string) (zh, en string)
	other          map[string][2]string
	more           func(lang string, sum map[string]any) string
}

// rows tells the audit entries es as the history, in their order.
func (n historyNames) rows(lang string, es []audit.Entry) []historyRow {
	out := make([]historyRow, 0, len(es))
	for _, e := range es {
		var sum map[string]any
		_ = json.Unmarshal([]byte(e.Summary), &sum) // an unreadable summary tells nothing more
		str := func(k string) string { s, _ := sum[k].(string); return s }
		h := historyRow{At: e.At, ActorName: e.ActorName, Action: e.Action, Comment: str("comment")}
		if o, ok := n.other[e.Action]; ok {
			h.Action = pickLang(lang, o[0], o[1])
		} else if zh, en := n.action(str("action")); zh != "" {
			h.Action = pickLang(lang, zh, en)
		}
		if from, to := str("from"), str("to"); from != "" && to != "" && from != to {
			fz, fe := n.status(from)
			tz, te := n.status(to)
			h.Change = pickLang(lang, fz, fe) + " → " + pickLang(lang, tz, te)
		}
		if n.more != nil {
			if m := n.more(lang, sum); m != "" {
				if h.Change != "" {
					h.Change += " · "
				}
				h.Change += m
			}
		}
		out = append(out, h)
	}
	return out
}
