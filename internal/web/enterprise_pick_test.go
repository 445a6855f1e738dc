package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/store/storetest"
)

// TestEnterprisePicker: among 2,000 more enterprises, a town official finds one of the
// town by the start of its name or credit code — through the JSON API and, without
// JavaScript, through the page's GET form — and never one of another town; the park's
// roster import finds its own enterprise with ?q=.
func TestEnterprisePicker(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		const n = 2000
		rows := make([]enterprise.ImportRow, n)
		for i := range rows {
			town := w.townA
			if i%2 == 1 {
				town = w.townB
			}
			rows[i] = enterprise.ImportRow{Num: i + 2, E: enterprise.Enterprise{Name: fmt.Sprintf("城市企业%04d", i), USCC: uscc(t, 100+i), Category: "other", RegionCode: town}}
		}
		if res, err := w.db.ImportEnterpriseRows(w.ctx, auth.System, storetest.Rows(rows), len(rows), func(string) bool { return true }, false, nil); err != nil || res.Created != n {
			t.Fatalf("seed: %+v %v", res, err)
		}

		type pickList struct {
			Items []enterprise.Choice `json:"items"`
			More  bool                `json:"more"`
		}
		pick := func(role auth.Role, q string) pickList {
			t.Helper()
			var out pickList
			if st := w.api(role, "GET", "/api/v1/enterprises/pick?q="+url.QueryEscape(q), nil, &out); st != http.StatusOK {
				t.Fatalf("pick %q as %s: %d", q, role, st)
			}
			return out
		}
		// 1998 is in town A (even), 1999 in town B.
		if got := pick(auth.Town, "城市企业1998"); len(got.Items) != 1 || got.Items[0].Name != "城市企业1998" || got.Items[0].USCC != uscc(t, 2098) {
			t.Fatalf("town A by name: %+v", got)
		}
		if got := pick(auth.Town, "城市企业1999"); len(got.Items) != 0 {
			t.Fatalf("town A sees town B's enterprise: %+v", got)
		}
		if got := pick(auth.Command, "城市企业1999"); len(got.Items) != 1 {
			t.Fatalf("the county finds town B's enterprise: %+v", got)
		}
		if got := pick(auth.Town, strings.ToLower(uscc(t, 2098)[:17])); len(got.Items) != 1 || got.Items[0].Name != "城市企业1998" {
			t.Fatalf("town A by code: %+v", got)
		}
		if got := pick(auth.Town, uscc(t, 2099)); len(got.Items) != 0 {
			t.Fatalf("town A by town B's code: %+v", got)
		}
		if got := pick(auth.Town, "城市企业"); len(got.Items) != enterprise.PickSize || !got.More {
			t.Fatalf("a wide prefix: %d items, more %v", len(got.Items), got.More)
		}
		// Town A holds 1,000 of them: 20 pages of 50, the last ending with 城市企业1998.
		var last, past pickList
		if st := w.api(auth.Town, "GET", "/api/v1/enterprises/pick?q="+url.QueryEscape("城市企业")+"&page=20", nil, &last); st != http.StatusOK ||
			len(last.Items) != enterprise.PickSize || last.More || last.Items[len(last.Items)-1].Name != "城市企业1998" {
			t.Fatalf("the last page: %d, %d items, more %v", st, len(last.Items), last.More)
		}
		if st := w.api(auth.Town, "GET", "/api/v1/enterprises/pick?q="+url.QueryEscape("城市企业")+"&page=21", nil, &past); st != http.StatusOK || len(past.Items) != 0 || past.More {
			t.Fatalf("past the last page: %d %+v", st, past)
		}

		// Without JavaScript: the roster's filter searches with ?eq= and lists what it found.
		town := w.login(auth.Town)
		st, body := town.get("/roster?eq=" + url.QueryEscape("城市企业1998"))
		if st != http.StatusOK || !strings.Contains(body, ">城市企业1998 · ") || strings.Contains(body, ">城市企业1999 · ") {
			t.Fatalf("roster picker, town A: %d %v", st, strings.Contains(body, ">城市企业1998 · "))
		}
		if _, body := town.get("/roster?eq=" + url.QueryEscape("城市企业1999")); strings.Contains(body, ">城市企业1999 · ") {
			t.Fatal("the roster's picker offers town B's enterprise to town A")
		}
		// The roster import (park: its own enterprises only) with ?q=.
		park := w.login(auth.Park)
		st, body = park.get("/roster/import?q=" + url.QueryEscape("甲镇精密"))
		if st != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`<option value="%d"`, w.entA)) || !strings.Contains(body, `form="entpick"`) {
			t.Fatalf("roster import picker: %d", st)
		}
		if _, body := park.get("/roster/import?q=" + url.QueryEscape("城市企业1998")); strings.Contains(body, ">城市企业1998 · ") {
			t.Fatal("the park's import offers an enterprise outside the park")
		}
	})
}
