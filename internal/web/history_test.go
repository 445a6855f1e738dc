package web

import (
	"testing"
	"time"

	"fugong/internal/audit"
	"fugong/internal/policy"
)

// A history tells each change in words: the action and the statuses by name, the comment
// apart, what else the change says after them; a trail action it does not know keeps its
// code, and an unreadable summary tells nothing more.
func TestHistoryRows(t *testing.T) {
	s := &Server{pol: policy.Default()}
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	entry := func(action, summary string) audit.Entry {
		return audit.Entry{At: at, ActorName: "沈佳怡 (town)", Action: action, Summary: summary}
	}
	cases := []struct {
		names               historyNames
		lang                string
		e                   audit.Entry
		action, change, why string
	}{
		{s.tipHistory(), "zh", entry("tip.accept", `{"action":"accept","comment":"","from":"received","to":"accepted"}`), "受理", "已收到,待受理 → 已受理", ""},
		{s.tipHistory(), "en", entry("tip.reply", `{"action":"reply","comment":"已整改","from":"resulted","to":"replied"}`), "Reply to the reporter", "Result recorded, reply pending → Replied", "已整改"},
		{s.tipHistory(), "zh", entry("tip.receive", `{"category":"dormitory","unit":"park_operator","group_id":0}`), "收到举报", "分派至 园区运营方/物业", ""},
		{s.tipHistory(), "zh", entry("tip.accept", `{"action":"accept","from":"received","to":"accepted","with":3}`), "受理", "已收到,待受理 → 已受理 · 随举报 #3 一并办理", ""},
		{s.requestHistory(), "zh", entry("request.escalate", `{"action":"escalate","comment":"储备不足","from":"open","to":"open","from_unit":"county_health","to_unit":"county_command"}`), "上报", "县卫健局 → 县疫情防控应急指挥部", "储备不足"},
		{s.requestHistory(), "zh", entry("request.confirm", `{"action":"confirm","from":"answered","to":"solved","rating":5}`), "确认已解决并评价", "已答复,待企业确认 → 已解决 · 评价 5 分", ""},
		{s.requestHistory(), "zh", entry("request.attach", `{"name":"清单.pdf","sha256":"ab","size":10}`), "上传附件", "清单.pdf", ""},
		{s.requestHistory(), "zh", entry("request.unheard_of", `not json`), "request.unheard_of", "", ""},
	}
	for _, c := range cases {
		got := c.names.rows(c.lang, []audit.Entry{c.e})
		if len(got) != 1 {
			t.Fatalf("%s: %d rows", c.e.Action, len(got))
		}
		h := got[0]
		if h.Action != c.action || h.Change != c.change || h.Comment != c.why || h.At != at || h.ActorName != "沈佳怡 (town)" {
			t.Errorf("%s %s: %+v, want action %q change %q comment %q", c.e.Action, c.e.Summary, h, c.action, c.change, c.why)
		}
	}
}
