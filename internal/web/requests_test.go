package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/request"
)

// request records a request of an enterprise about logistics, raised on its behalf by the
// county command, and returns its id.
func (w *world) request(t *testing.T, enterprise int64, description string) int64 {
	t.Helper()
	r, err := w.db.Requests().Raise(w.ctx, w.users[auth.Command].Principal(), request.Input{EnterpriseID: enterprise, Kind: "logistics", Description: description})
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// An enterprise asks for help with logistics: the unit the policy names answers within
// the deadline, the enterprise confirms and rates; its grid official (包保) sees it; an
// overdue request shows on the command's page.
func TestRequestJourney(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		now := time.Date(2020, 2, 12, 9, 0, 0, 0, time.UTC)
		w.db.DB.Now = func() time.Time { return now }
		var r struct {
			ID      int64
			Unit    string
			Status  string
			Due     time.Time
			Actions []string
			Version int
			Rating  int
		}
		if st := w.api(auth.Enterprise, "POST", "/api/v1/requests", map[string]any{"kind": "logistics", "description": "原材料货车在高速口进不来"}, &r); st != http.StatusCreated || r.Unit != "town_command" || len(r.Actions) != 0 {
			t.Fatalf("raise: %d %+v", st, r)
		}
		id := itoa(r.ID)
		if st := w.api(auth.Enterprise, "POST", "/api/v1/requests/"+id+"/transitions", map[string]any{"action": "answer", "comment": "自己答"}, nil); st != http.StatusForbidden {
			t.Errorf("the enterprise answers: %d", st)
		}
		var list struct{ Total int }
		if w.api(auth.Grid, "GET", "/api/v1/requests", nil, &list); list.Total != 1 {
			t.Errorf("the grid official sees %d", list.Total)
		}
		if st := w.api(auth.Staff, "GET", "/api/v1/requests", nil, nil); st != http.StatusForbidden {
			t.Errorf("staff list requests: %d", st)
		}
		now = now.Add(5 * time.Hour)
		if st := w.api(auth.Command, "POST", "/api/v1/requests/"+id+"/transitions", map[string]any{"action": "answer", "comment": "已协调交警开通绿色通道"}, &r); st != http.StatusOK || r.Status != "answered" {
			t.Fatalf("answer: %d %+v", st, r)
		}
		if st := w.api(auth.Enterprise, "POST", "/api/v1/requests/"+id+"/transitions", map[string]any{"action": "confirm", "rating": 5, "comment": "很及时"}, &r); st != http.StatusOK || r.Status != "solved" || r.Rating != 5 {
			t.Fatalf("confirm: %d %+v", st, r)
		}
		// Attachments, and an overdue one on the command's page.
		if st := w.api(auth.Town, "POST", "/api/v1/requests", map[string]any{"enterprise_id": w.entA, "kind": "supplies", "description": "口罩只够两天", "urgent": true}, &r); st != http.StatusCreated {
			t.Fatalf("raise on its behalf: %d", st)
		}
		ent := w.login(auth.Enterprise)
		if st, b := ent.get("/requests/" + itoa(r.ID)); st != http.StatusOK || !strings.Contains(b, "口罩只够两天") {
			t.Errorf("the enterprise's page: %d", st)
		}
		now = now.Add(2 * 24 * time.Hour)
		cmd := w.login(auth.Command)
		if st, b := cmd.get("/requests"); st != http.StatusOK || !strings.Contains(b, `data-overdue="1"`) {
			t.Errorf("the command's page shows no overdue request: %d", st)
		}
		if st, _ := cmd.get("/requests/export?overdue=1"); st != http.StatusOK {
			t.Errorf("export: %d", st)
		}
	})
}
