package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

func TestHealthChecks(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		ps := w.issuedPasses(t, "钱检测", "孙未测")
		// Not yet checked today: both.
		var un struct {
			Items []struct {
				EmployeeID int64 `json:"employee_id"`
				Checks     int   `json:"checks"`
			} `json:"items"`
		}
		if st := w.api(auth.Guard, "GET", "/api/v1/health-checks/unchecked", nil, &un); st != http.StatusOK || len(un.Items) != 2 {
			t.Fatalf("unchecked: %d %+v", st, un)
		}
		// Validation: no person, a wild temperature, an unknown field.
		for _, body := range []any{
			map[string]any{"temperature": 36.5},
			map[string]any{"employee_id": ps[0].EmployeeID, "temperature": 52},
			map[string]any{"employee_id": ps[0].EmployeeID, "temperature": 36.5, "color": "x"},
			[]any{},
		} {
			if st := w.api(auth.Guard, "POST", "/api/v1/health-checks", body, nil); st != http.StatusUnprocessableEntity {
				t.Errorf("bad reading %v: %d, want 422", body, st)
			}
		}
		// Another enterprise's employee is not found.
		var foreign employeeAnswer
		if st := w.api(auth.Admin, "POST", "/api/v1/employees", map[string]any{"enterprise_id": w.entB, "name": "乙店员工", "id_number": personID(t, 60),
			"origin": "local"}, &foreign); st != http.StatusCreated {
			t.Fatalf("admin adds to entB: %d", st)
		}
		if st := w.api(auth.Guard, "POST", "/api/v1/health-checks", map[string]any{"employee_id": foreign.ID, "temperature": 36.5}, nil); st != http.StatusNotFound {
			t.Fatalf("foreign reading: %d, want 404", st)
		}
		// The checkpoint page: record by pass token, then the list shrinks.
		b := w.login(auth.Guard)
		if st, body := b.get("/health"); st != http.StatusOK || !strings.Contains(body, "今日尚未检测") {
			t.Fatalf("checkpoint page: %d", st)
		}
		for range 2 {
			st, body := b.post("/health", url.Values{"person": {ps[0].Token}, "temperature": {"36.4"}, "checkpoint": {"东门"}})
			if st != http.StatusOK || !strings.Contains(body, "已记录") || !strings.Contains(body, "钱**") {
				t.Fatalf("record at the checkpoint: %d", st)
			}
		}
		if st := w.api(auth.Guard, "GET", "/api/v1/health-checks/unchecked", nil, &un); st != http.StatusOK || len(un.Items) != 1 || un.Items[0].EmployeeID != ps[1].EmployeeID {
			t.Fatalf("unchecked after two readings: %d %+v", st, un)
		}
		// Staff declare on their own page with their pass.
		s := w.login(auth.Staff)
		if st, body := s.get("/health/declare?t=" + url.QueryEscape(ps[1].Token)); st != http.StatusOK || !strings.Contains(body, ps[1].Token) {
			t.Fatalf("declare page: %d", st)
		}
		if st, body := s.post("/health/declare", url.Values{"person": {ps[1].Token}, "temperature": {"36.6"}, "symptom": {"咳嗽"}}); st != http.StatusOK || !strings.Contains(body, "出入证已暂停") {
			t.Fatalf("declaration with a symptom: %d", st)
		}
		if got := w.scan(t, ps[1].Token, nil); got.Allow || got.Code != "suspended" || !strings.Contains(got.Reason, "症状") {
			t.Fatalf("scan after a symptom: %+v", got)
		}
		// The pass pages render, with the QR code.
		e := w.login(auth.Enterprise)
		if st, body := e.get("/passes"); st != http.StatusOK || !strings.Contains(body, "钱**") {
			t.Fatalf("passes page: %d", st)
		}
		if st, body := e.get("/passes/" + itoa(ps[0].ID)); st != http.StatusOK || !strings.Contains(body, ps[0].Token) {
			t.Fatalf("pass card: %d", st)
		}
		if st, _ := e.get("/passes/" + itoa(ps[0].ID) + "/qr.png"); st != http.StatusOK {
			t.Fatalf("pass QR: %d", st)
		}
	})
}

// 50 concurrent check-ins through the HTTP stack: every acknowledged reading is stored.
func TestConcurrentCheckIns(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		ps := w.issuedPasses(t, "周并发")
		const n = 50
		var wg sync.WaitGroup
		codes := make(chan int, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes <- w.api(auth.Guard, "POST", "/api/v1/health-checks", map[string]any{"pass_token": ps[0].Token, "temperature": 36.5, "checkpoint": "北门"}, nil)
			}()
		}
		wg.Wait()
		close(codes)
		ok := 0
		for c := range codes {
			if c == http.StatusCreated {
				ok++
			}
		}
		if ok != n {
			t.Fatalf("%d of %d check-ins acknowledged", ok, n)
		}
		if got := w.readingsToday(t); got != n {
			t.Fatalf("%d readings stored, want %d", got, n)
		}
	})
}

// Readings and scans are recorded in the database, so their successes stay out of the
// log at level info; a refused one, and every other change, is logged.
func TestDailyLoopLogging(t *testing.T) {
	w := newWorld(t, storetest.Open(t, store.SQLite))
	w.appApproved(t)
	p := w.issuedPasses(t, "周日志")[0]
	before := strings.Count(w.logs.String(), "path=/api/v1/")
	if st := w.api(auth.Guard, "POST", "/api/v1/health-checks", map[string]any{"employee_id": p.EmployeeID, "temperature": 36.5}, nil); st != http.StatusCreated {
		t.Fatalf("reading: %d", st)
	}
	w.scan(t, p.Token, 36.6)
	if got := strings.Count(w.logs.String(), "path=/api/v1/"); got != before {
		t.Errorf("successful readings and scans logged at info:\n%s", w.logs.String())
	}
	if st := w.api(auth.Guard, "POST", "/api/v1/health-checks", map[string]any{"employee_id": p.EmployeeID, "temperature": 50}, nil); st != http.StatusUnprocessableEntity {
		t.Fatalf("bad reading: %d", st)
	}
	if !strings.Contains(w.logs.String(), "path=/api/v1/health-checks status=422") {
		t.Errorf("a refused reading is not logged:\n%s", w.logs.String())
	}
	// The metrics count requests by route.
	req, _ := http.NewRequest("GET", w.ts.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`fugong_http_requests_total{code="201",route="POST /api/v1/health-checks"} 1`, `fugong_group_commit_changes_total`, "fugong_audit_waiting 0"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
