package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fugong/internal/auth"
	"fugong/internal/notice"
)

func TestBusJourney(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		ent := w.login(auth.Enterprise)
		status, body := ent.post("/buses", url.Values{"enterprise_id": {itoa(w.entA)}, "plate": {"坏牌"}, "route": {"城区—厂区"}, "seats": {"30"}, "driver": {"王师傅"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "车牌号格式不正确") {
			t.Fatalf("bad plate: %d\n%s", status, body)
		}
		if status, loc := ent.post("/buses", url.Values{"enterprise_id": {itoa(w.entA)}, "plate": {"浙F12345"}, "route": {"城区—厂区"}, "seats": {"30"}, "driver": {"王师傅"}}); status != http.StatusSeeOther || loc != "/buses" {
			t.Fatalf("register: %d %s", status, loc)
		}
		var buses struct {
			Items []notice.Bus
			Total int
		}
		if status := w.api(auth.Town, "GET", "/api/v1/buses", nil, &buses); status != 200 || buses.Total != 1 {
			t.Fatalf("town lists buses: %d %+v", status, buses)
		}
		bus := buses.Items[0]
		// The enterprise cannot approve its own bus; the town approves and issues the letter.
		if status := w.api(auth.Enterprise, "POST", "/api/v1/buses/"+itoa(bus.ID)+"/decision", map[string]any{"approve": true}, nil); status != http.StatusForbidden {
			t.Fatalf("enterprise approves: %d", status)
		}
		town := w.login(auth.Town)
		if status, _ := town.post("/buses/"+itoa(bus.ID)+"/decision", url.Values{"approve": {"1"}, "version": {itoa(int64(bus.Version))}}); status != http.StatusSeeOther {
			t.Fatalf("approve: %d", status)
		}
		status, loc := town.post("/buses/"+itoa(bus.ID)+"/letter", nil)
		if status != http.StatusSeeOther {
			t.Fatalf("issue: %d %s", status, loc)
		}
		status, body = ent.get(loc)
		if status != http.StatusOK || !strings.Contains(body, "通勤班车使用意见函") || !strings.Contains(body, "浙F12345") || !strings.Contains(body, "第001号") {
			t.Fatalf("letter page: %d\n%s", status, body)
		}
		status, png := ent.get(loc + "/qr.png")
		if status != http.StatusOK || !strings.HasPrefix(png, "\x89PNG") {
			t.Fatalf("qr: %d", status)
		}
		// The QR code opens the public verify page, which finds the letter valid.
		if u := zbarOrSkip(t, []byte(png)); u != "" {
			if !strings.HasPrefix(u, w.ts.URL+"/verify?t=") {
				t.Fatalf("QR code holds %q", u)
			}
			var v struct {
				Valid bool   `json:"valid"`
				Code  string `json:"code"`
			}
			token := strings.TrimPrefix(u, w.ts.URL+"/verify?t=")
			if status := w.api("", "GET", "/api/v1/verify?token="+url.QueryEscape(token), nil, &v); status != 200 || !v.Valid {
				t.Fatalf("verify the letter: %d %+v", status, v)
			}
		}
		// The traffic control group's list.
		status, body = town.get("/buses/export")
		f, err := excelize.OpenReader(strings.NewReader(body))
		if status != http.StatusOK || err != nil {
			t.Fatalf("export: %d %v", status, err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) != 2 || rows[1][2] != "浙F12345" {
			t.Fatalf("export rows: %v", rows)
		}
		// Another town sees nothing of it.
		if status := w.api(auth.Enterprise, "POST", "/api/v1/buses/"+itoa(bus.ID)+"/letter", nil, nil); status != http.StatusForbidden {
			t.Fatalf("enterprise issues a letter: %d", status)
		}
	})
}
