package web

import (
	"encoding/json"
	"fmt"
	"time"

	"fugong/internal/audit"
	"fugong/internal/request"
	"fugong/internal/tip"
)

// The history of a tip or a request, as its page lists it: read from the audit trail,
// told in the clerk's words (the action, the statuses it moved between, what was
// written) rather than as the trail's codes and JSON.

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

// tipHistory names a tip's history.
func (s *Server) tipHistory() historyNames {
	return historyNames{
		action: func(c string) (string, string) { return tip.Action(c).Name() },
		status: func(c string) (string, string) { return tip.Status(c).Name() },
		other:  map[string][2]string{"tip.receive": {"收到举报", "Tip received"}},
		more: func(lang string, sum map[string]any) string {
			if u, ok := sum["unit"].(string); ok && u != "" {
				return pickLang(lang, "分派至 ", "sent to ") + s.unitName(lang, u)
			}
			if with, ok := sum["with"].(float64); ok {
				return fmt.Sprintf(pickLang(lang, "随举报 #%d 一并办理", "handled with tip #%d"), int64(with))
			}
			if insp, ok := sum["inspection_id"].(float64); ok {
				return fmt.Sprintf(pickLang(lang, "已发起检查 #%d", "inspection #%d opened"), int64(insp))
			}
			return ""
		},
	}
}

// requestHistory names a request's history.
func (s *Server) requestHistory() historyNames {
	return historyNames{
		action: func(c string) (string, string) { return request.Action(c).Name() },
		status: func(c string) (string, string) { return request.Status(c).Name() },
		other:  map[string][2]string{"request.raise": {"提出诉求", "Request raised"}, "request.attach": {"上传附件", "File attached"}},
		more: func(lang string, sum map[string]any) string {
			from, _ := sum["from_unit"].(string)
			to, _ := sum["to_unit"].(string)
			switch {
			case to != "":
				return s.unitName(lang, from) + " → " + s.unitName(lang, to)
			case sum["rating"] != nil:
				return fmt.Sprintf(pickLang(lang, "评价 %v 分", "rated %v"), sum["rating"])
			}
			if u, ok := sum["unit"].(string); ok && u != "" {
				return pickLang(lang, "分派至 ", "sent to ") + s.unitName(lang, u)
			}
			if name, ok := sum["name"].(string); ok {
				return name
			}
			return ""
		},
	}
}
