package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/idnum"
	"fugong/internal/roster"
	"fugong/internal/xlsx"
)

// personID makes a valid identity number from a serial number.
func personID(t testing.TB, n int) string {
	t.Helper()
	birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)
	first := fmt.Sprintf("330402%s%03d", birth.Format("20060102"), n%1000)
	c, err := idnum.CheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

// badCheck is a number whose check character is wrong.
func badCheck(t testing.TB, n int) string {
	id := personID(t, n)
	if id[17] == '0' {
		return id[:17] + "1"
	}
	return id[:17] + "0"
}

type employeeAnswer struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	IDNumber   string `json:"id_number"`
	IDMasked   string `json:"id_masked"`
	ReturnDate string `json:"return_date"`
	Version    int    `json:"version"`
	Status     struct {
		Phase    string `json:"phase"`
		Until    string `json:"until"`
		DaysLeft int    `json:"days_left"`
		Reason   string `json:"reason"`
	} `json:"status"`
}

type rosterAPIError struct {
	Error struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		Problems []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"problems"`
	} `json:"error"`
}

// employee adds a local employee to entA's roster through the API and returns its id.
func (w *world) employee(t testing.TB, name string, n int) int64 {
	t.Helper()
	var out employeeAnswer
	if st := w.api(auth.Enterprise, "POST", "/api/v1/employees", map[string]any{"name": name, "id_number": personID(t, n), "origin": "local",
		"return_date": "2020-02-10"}, &out); st != http.StatusCreated {
		t.Fatalf("add employee: %d", st)
	}
	return out.ID
}

// rosterClock fixes the server's clock at 13 February 2020, 10:00 in Shanghai.
func (w *world) rosterClock() {
	w.db.Now = func() time.Time { return time.Date(2020, 2, 13, 2, 0, 0, 0, time.UTC) }
}

func TestRosterScope(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		own := w.employee(t, "甲厂员工", 1)
		var foreign employeeAnswer
		if st := w.api(auth.Admin, "POST", "/api/v1/employees", map[string]any{"enterprise_id": w.entB, "name": "乙店员工", "id_number": personID(t, 2),
			"origin": "local"}, &foreign); st != http.StatusCreated {
			t.Fatalf("admin adds to entB: %d", st)
		}
		path := "/api/v1/employees/" + itoa(foreign.ID)
		for _, role := range []auth.Role{auth.Enterprise, auth.Park, auth.Town, auth.Grid} {
			if st := w.api(role, "GET", path, nil, nil); st != http.StatusNotFound {
				t.Errorf("%s reads entB's employee: %d, want 404", role, st)
			}
		}
		if st := w.api(auth.Enterprise, "PATCH", path, map[string]any{"name": "改"}, nil); st != http.StatusNotFound {
			t.Errorf("enterprise patches entB's employee: %d", st)
		}
		if st, _ := w.login(auth.Enterprise).get("/employees/" + itoa(foreign.ID)); st != http.StatusNotFound {
			t.Errorf("enterprise opens entB's employee page: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", "/api/v1/employees", map[string]any{"enterprise_id": w.entB, "name": "x", "id_number": personID(t, 3),
			"origin": "local"}, nil); st != http.StatusNotFound {
			t.Errorf("enterprise adds to entB: %d, want 404", st)
		}
		if st := w.api(auth.Command, "GET", path, nil, nil); st != http.StatusOK {
			t.Errorf("county command reads entB's employee: %d", st)
		}
		var list struct {
			Items []employeeAnswer `json:"items"`
			Total int              `json:"total"`
		}
		w.api(auth.Enterprise, "GET", "/api/v1/employees", nil, &list)
		if list.Total != 1 || list.Items[0].ID != own {
			t.Errorf("enterprise lists %+v", list)
		}
		if st := w.api(auth.Staff, "GET", "/api/v1/employees", nil, nil); st != http.StatusForbidden {
			t.Errorf("staff lists the roster: %d", st)
		}
		if st := w.api(auth.Town, "POST", "/api/v1/employees", map[string]any{"enterprise_id": w.entA, "name": "x", "id_number": personID(t, 4), "origin": "local"}, nil); st != http.StatusForbidden {
			t.Errorf("town adds: %d", st)
		}
	})
}

func TestRosterIDValidationAndMasking(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		var e rosterAPIError
		if st := w.api(auth.Enterprise, "POST", "/api/v1/employees", map[string]any{"name": "错号", "id_number": badCheck(t, 5), "origin": "local"}, &e); st != http.StatusUnprocessableEntity {
			t.Fatalf("bad check digit: %d", st)
		}
		if len(e.Error.Problems) != 1 || e.Error.Problems[0].Field != "id_number" || !strings.Contains(e.Error.Problems[0].Message, "校验码") {
			t.Fatalf("problems %+v", e.Error.Problems)
		}
		b := w.login(auth.Enterprise)
		st, body := b.post("/roster", url.Values{"name": {"错号"}, "id_number": {badCheck(t, 5)}, "origin": {"local"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "校验码") {
			t.Fatalf("form with a bad number: %d", st)
		}
		id := personID(t, 6)
		st, loc := b.post("/roster", url.Values{"name": {"王五"}, "id_number": {strings.ToLower(id)}, "origin": {"local"}, "return_date": {"2020-02-10"}})
		if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/employees/") {
			t.Fatalf("form: %d %s", st, loc)
		}
		masked := idnum.Mask(id)
		// Lists and exports: masked for everyone.
		for _, role := range []auth.Role{auth.Enterprise, auth.Town, auth.Admin} {
			c := w.login(role)
			_, page := c.get("/roster")
			if strings.Contains(page, id) || !strings.Contains(page, masked) {
				t.Errorf("%s's roster page: full number shown or masked one missing", role)
			}
			resp, err := c.c.Get(w.ts.URL + "/roster/export")
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			err = xlsx.Read(resp.Body, roster.ExportColumns, func(r xlsx.Row) error { ids = append(ids, r.Values["id_number"]); return nil }, nil)
			resp.Body.Close()
			if err != nil || len(ids) != 1 || ids[0] != masked {
				t.Errorf("%s's export: %v %v", role, ids, err)
			}
		}
		// The edit form shows the number to those who may edit; others see a masked detail.
		_, page := b.get(loc)
		if !strings.Contains(page, id) {
			t.Error("the edit form lacks the full number")
		}
		// A local person is cleared: no end date or days left to show.
		if strings.Contains(page, "剩余天数") {
			t.Error("the edit form shows days left for a cleared person")
		}
		_, page = w.login(auth.Grid).get(loc)
		if strings.Contains(page, id) || !strings.Contains(page, masked) || strings.Contains(page, `name="id_number"`) {
			t.Error("the grid leader's detail page shows the full number or a form")
		}
		var got employeeAnswer
		w.api(auth.Grid, "GET", "/api/v1"+loc, nil, &got)
		if got.IDNumber != "" || got.IDMasked != masked {
			t.Errorf("grid API: %+v", got)
		}
		w.api(auth.Enterprise, "GET", "/api/v1"+loc, nil, &got)
		if got.IDNumber != id {
			t.Errorf("enterprise API: %+v", got)
		}
		// An edit through the form keeps what it does not post, and saves.
		if st, _ := b.post(loc, url.Values{"phone": {"13700000000"}, "version": {itoa(int64(got.Version))}}); st != http.StatusSeeOther {
			t.Fatalf("edit: %d", st)
		}
		w.api(auth.Enterprise, "GET", "/api/v1"+loc, nil, &got)
		if got.IDNumber != id || got.Name != "王五" {
			t.Errorf("after edit: %+v", got)
		}
		if st, _ := b.post(loc, url.Values{"phone": {"13600000000"}, "version": {"1"}}); st != http.StatusConflict {
			t.Errorf("stale edit: %d", st)
		}
	})
}

// rosterSheet builds a roster file from rows of cells in roster.Columns order.
func rosterSheet(t testing.TB, rows [][]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := xlsx.Write(&buf, "花名册", roster.Columns, func(yield func([]any) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRosterImport(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.rosterClock()
		r := func(name, id, origin, back string) []any {
			return []any{name, id, "13800000000", "生产部", origin, "某路 1 号", back, "自驾", 2, "无", "无", "健康"}
		}
		file := rosterSheet(t, [][]any{
			r("甲", personID(t, 10), "本地", "2020-02-10"),   // row 2
			r("乙", badCheck(t, 11), "省内市外", "2020-02-01"), // row 3: bad check character
			r("丙", personID(t, 10), "市内区外", "2020-02-05"), // row 4: same number as row 2
			r("丁", personID(t, 12), "省外", ""),             // row 5
			r("戊", personID(t, 13), "火星", "2020-02-05"),   // row 6: unknown origin
			r("己", personID(t, 14), "省内市外", "2020-01-30"), // row 7
		})
		st, body, _ := upload(t, http.DefaultClient, w.ts.URL+"/api/v1/employees/import", w.tokens[auth.Enterprise], file, nil)
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("import with errors: %d %s", st, body)
		}
		for _, want := range []string{`"row":3,"field":"id_number"`, `"row":4,"field":"id_number","message":"与第 2 行`, `"row":6,"field":"origin"`} {
			if !strings.Contains(body, want) {
				t.Errorf("report lacks %s: %s", want, body)
			}
		}
		if strings.Contains(body, personID(t, 10)) {
			t.Error("the report repeats an ID number")
		}
		// The page: valid rows only.
		b := w.login(auth.Enterprise)
		st, _, loc := upload(t, b.c, w.ts.URL+"/roster/import", "", file, map[string]string{"valid_only": "1"})
		if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/imports/") {
			t.Fatalf("page import: %d %s", st, loc)
		}
		// The job page shows progress, then the report, with a link back to the roster.
		var page string
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if _, page = b.get(loc); !strings.Contains(page, "data-job") {
				break
			}
		}
		if !strings.Contains(page, "导入完成") || !strings.Contains(page, `href="/roster"`) {
			t.Fatalf("job page:\n%s", page)
		}
		// Importing again: every number is already on the roster.
		st, body, _ = upload(t, http.DefaultClient, w.ts.URL+"/api/v1/employees/import", w.tokens[auth.Enterprise], file, nil)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "已在本企业花名册中") {
			t.Fatalf("second import: %d %s", st, body)
		}

		// The clock in the list, on 13 February.
		var list struct {
			Items  []employeeAnswer `json:"items"`
			Total  int              `json:"total"`
			Counts roster.Counts    `json:"counts"`
		}
		w.api(auth.Town, "GET", "/api/v1/employees", nil, &list)
		want := roster.Counts{Total: 3, Isolating: 1, AdvisedNotReturn: 1, Cleared: 1, ClearedTomorrow: 1}
		if list.Total != 3 || list.Counts != want {
			t.Fatalf("list %d, counts %+v, want %+v", list.Total, list.Counts, want)
		}
		phases := map[string]employeeAnswer{}
		for _, it := range list.Items {
			phases[it.Name] = it
		}
		if ji := phases["己"]; ji.Status.Phase != "isolating" || !strings.HasPrefix(ji.Status.Until, "2020-02-13") || ji.Status.DaysLeft != 0 || ji.ReturnDate != "2020-01-30" {
			t.Errorf("己: %+v", ji)
		}
		if phases["丁"].Status.Phase != "advised_not_return" || phases["甲"].Status.Phase != "cleared" {
			t.Errorf("phases: %+v", phases)
		}
		_, page = b.get("/roster")
		for _, want := range []string{`data-count="isolating">1<`, `data-count="cleared_tomorrow">1<`, `data-count="cleared">1<`, `data-phase="advised_not_return"`} {
			if !strings.Contains(page, want) {
				t.Errorf("roster page lacks %s", want)
			}
		}
		w.api(auth.Town, "GET", "/api/v1/employees?phase=isolating", nil, &list)
		if list.Total != 1 || list.Items[0].Name != "己" {
			t.Errorf("isolating filter: %+v", list.Items)
		}
	})
}
