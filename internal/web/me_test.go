package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/sign"
)

type meAnswer struct {
	Linked bool   `json:"linked"`
	Name   string `json:"name"`
	State  string `json:"state"`
	Allow  bool   `json:"allow"`
	Pass   *struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
		Reason string `json:"reason"`
		Token  string `json:"token"`
	} `json:"pass"`
	Status *struct {
		Phase string `json:"phase"`
	} `json:"status"`
	Today []struct {
		Temperature float64 `json:"temperature"`
		Source      string  `json:"source"`
		Fever       bool    `json:"fever"`
	} `json:"today"`
}

type accountAnswer struct {
	EmployeeID int64 `json:"employee_id"`
	Account    *struct {
		UserID     int64  `json:"user_id"`
		Username   string `json:"username"`
		EmployeeID int64  `json:"employee_id"`
	} `json:"account"`
	Candidates []struct {
		UserID int64 `json:"user_id"`
	} `json:"candidates"`
}

// A staff account linked to its own employee record sees its own pass (and nobody
// else's) on /me, declares there without the token, and a declared fever suspends the
// pass; only the enterprise links, only its own staff accounts.
func TestMyPass(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		ps := w.issuedPasses(t, "郑自己", "冯同事")
		mine, other := ps[0], ps[1]
		staff := w.users[auth.Staff]
		account := fmt.Sprintf("/api/v1/employees/%d/account", mine.EmployeeID)

		// Not linked yet: the page says so, in both languages; no QR; declaring by token still works.
		s := w.login(auth.Staff)
		st, body := s.get("/me")
		if st != http.StatusOK || !strings.Contains(body, "本账号尚未关联您的员工档案") || !strings.Contains(body, "This account is not linked to your employee record") {
			t.Fatalf("unlinked /me: %d %s", st, body)
		}
		if !strings.Contains(body, `href="/me"`) || strings.Contains(body, "/me/pass.png") {
			t.Fatalf("unlinked /me: the nav should show My pass and the page no QR")
		}
		if st, _ := s.get("/me/pass.png"); st != http.StatusNotFound {
			t.Fatalf("unlinked QR: %d, want 404", st)
		}
		if st, _ := s.get("/health/declare"); st != http.StatusOK {
			t.Fatalf("unlinked /health/declare: %d, want 200", st)
		}
		var me meAnswer
		if st := w.api(auth.Staff, "GET", "/api/v1/me/pass", nil, &me); st != http.StatusOK || me.Linked || me.Pass != nil {
			t.Fatalf("unlinked API: %d %+v", st, me)
		}
		if st := w.api(auth.Staff, "POST", "/api/v1/me/health-checks", map[string]any{"temperature": 36.5}, nil); st != http.StatusConflict {
			t.Fatalf("unlinked declaration: %d, want 409", st)
		}
		// Only staff have the page; others' navigation does not show it.
		if _, body := w.login(auth.Enterprise).get("/"); strings.Contains(body, `href="/me"`) {
			t.Fatal("the enterprise admin's nav shows My pass")
		}

		// Linking: refused to those without roster.edit, for a non-staff account, across
		// enterprises, and for bad input.
		var bad rosterAPIError
		for _, c := range []struct {
			role auth.Role
			body any
			want int
		}{
			{auth.Staff, map[string]any{"user_id": staff.ID}, http.StatusForbidden},
			{auth.Grid, map[string]any{"user_id": staff.ID}, http.StatusForbidden},
			{auth.Enterprise, map[string]any{}, http.StatusUnprocessableEntity},
			{auth.Enterprise, map[string]any{"user_id": "staff"}, http.StatusUnprocessableEntity},
			{auth.Enterprise, map[string]any{"user_id": -3}, http.StatusUnprocessableEntity},
			{auth.Enterprise, map[string]any{"user_id": w.users[auth.Guard].ID}, http.StatusUnprocessableEntity},
			{auth.Enterprise, map[string]any{"user_id": w.users[auth.Enterprise].ID}, http.StatusUnprocessableEntity},
		} {
			bad = rosterAPIError{}
			if st := w.api(c.role, "POST", account, c.body, &bad); st != c.want {
				t.Errorf("link %v as %s: %d, want %d", c.body, c.role, st, c.want)
			}
			if c.want == http.StatusUnprocessableEntity && (len(bad.Error.Problems) == 0 || bad.Error.Problems[0].Field != "user_id") {
				t.Errorf("link %v: problems %+v, want one on user_id", c.body, bad.Error.Problems)
			}
		}
		staffB, err := w.db.CreateUser(w.ctx, auth.System, auth.User{Username: "staff-b", Role: auth.Staff, ScopeText: fmt.Sprintf("enterprise:%d", w.entB)}, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if st := w.api(auth.Enterprise, "POST", account, map[string]any{"user_id": staffB.ID}, &bad); st != http.StatusUnprocessableEntity {
			t.Fatalf("link another enterprise's staff account: %d, want 422", st)
		}
		if st := w.api(auth.Admin, "POST", account, map[string]any{"user_id": staffB.ID}, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("admin links across enterprises: %d, want 422", st)
		}
		var foreign employeeAnswer
		if st := w.api(auth.Admin, "POST", "/api/v1/employees", map[string]any{"enterprise_id": w.entB, "name": "乙店员工", "id_number": personID(t, 61),
			"origin": "local", "return_date": "2020-02-10"}, &foreign); st != http.StatusCreated {
			t.Fatalf("admin adds to entB: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", fmt.Sprintf("/api/v1/employees/%d/account", foreign.ID), map[string]any{"user_id": staff.ID}, nil); st != http.StatusNotFound {
			t.Fatalf("link to an employee of another enterprise: %d, want 404", st)
		}
		if st := w.api(auth.Admin, "POST", fmt.Sprintf("/api/v1/employees/%d/account", foreign.ID), map[string]any{"user_id": staff.ID}, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("admin links entA's staff to entB's employee: %d, want 422", st)
		}

		// The enterprise links on the employee's page.
		e := w.login(auth.Enterprise)
		page := fmt.Sprintf("/employees/%d", mine.EmployeeID)
		st, body = e.get(page)
		if st != http.StatusOK || !strings.Contains(body, "该员工尚未关联账号") || !strings.Contains(body, fmt.Sprintf(`<option value="%d">staff`, staff.ID)) {
			t.Fatalf("employee page before the link: %d", st)
		}
		if st, body := e.post(page+"/account", url.Values{"user_id": {""}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "请选择要关联的员工账号") {
			t.Fatalf("link without an account: %d", st)
		}
		if st, loc := e.post(page+"/account", url.Values{"user_id": {itoa(staff.ID)}}); st != http.StatusSeeOther || loc != page {
			t.Fatalf("link: %d %s", st, loc)
		}
		st, body = e.get(page)
		if st != http.StatusOK || !strings.Contains(body, "已关联账号") || !strings.Contains(body, "解除关联") || !strings.Contains(body, "data-confirm") {
			t.Fatalf("employee page after the link: %d", st)
		}
		var acc accountAnswer
		if st := w.api(auth.Town, "GET", account, nil, &acc); st != http.StatusOK || acc.Account == nil || acc.Account.UserID != staff.ID || len(acc.Candidates) != 0 {
			t.Fatalf("the town reads the link: %d %+v", st, acc)
		}
		if st, body := w.login(auth.Town).get(page); st != http.StatusOK || !strings.Contains(body, "已关联账号") || strings.Contains(body, "解除关联") {
			t.Fatalf("the town's view of the employee page: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", fmt.Sprintf("/api/v1/employees/%d/account", other.EmployeeID), map[string]any{"user_id": staff.ID}, nil); st != http.StatusConflict {
			t.Fatalf("one account for two people: %d, want 409", st)
		}

		// The staff account sees its own pass, green, with its QR code.
		if got := w.callPage(t, s.c, http.MethodGet, "/health/declare", nil); got.status != http.StatusSeeOther || got.location != "/me" {
			t.Fatalf("linked /health/declare: %s, want a redirect to /me", got)
		}
		if st, body := s.get("/health/declare?t=" + url.QueryEscape(other.Token)); st != http.StatusOK || !strings.Contains(body, other.Token) {
			t.Fatalf("/health/declare by token: %d", st)
		}
		st, body = s.get("/me")
		if st != http.StatusOK || !strings.Contains(body, "郑自己") || !strings.Contains(body, `data-state="ok"`) || !strings.Contains(body, "准予通行") ||
			!strings.Contains(body, `src="/me/pass.png"`) || !strings.Contains(body, "可正常上岗") {
			t.Fatalf("linked /me: %d %s", st, body)
		}
		if strings.Contains(body, other.Token) || strings.Contains(body, "冯同事") || strings.Contains(body, "冯**") {
			t.Fatal("/me shows the colleague")
		}
		st, ct, png := s.getBytes("/me/pass.png")
		want, err := sign.QRPNG(sign.VerifyURL(w.ts.URL+"/verify", mine.Token), 300)
		if err != nil {
			t.Fatal(err)
		}
		if st != http.StatusOK || ct != "image/png" || !bytes.Equal(png, want) {
			t.Fatalf("own QR: %d %s (%d bytes, want the QR of the own pass)", st, ct, len(png))
		}
		if st := w.api(auth.Staff, "GET", "/api/v1/me/pass", nil, &me); st != http.StatusOK || !me.Linked || me.Name != "郑自己" || me.State != "ok" || !me.Allow ||
			me.Pass == nil || me.Pass.ID != mine.ID || me.Pass.Token != mine.Token || me.Status == nil || me.Status.Phase != "cleared" {
			t.Fatalf("linked API: %d %+v", st, me)
		}
		// … and nobody else's.
		for _, p := range []string{"/passes/" + itoa(other.ID), "/passes/" + itoa(other.ID) + "/qr.png", "/passes/" + itoa(mine.ID), "/employees/" + itoa(other.EmployeeID)} {
			if st, _ := s.get(p); st != http.StatusForbidden {
				t.Errorf("staff GET %s: %d, want 403", p, st)
			}
		}
		if st := w.api(auth.Staff, "GET", "/api/v1/passes", nil, nil); st != http.StatusForbidden {
			t.Errorf("staff lists passes: %d, want 403", st)
		}

		// Declaring from /me: bad input is a field error; a normal reading is recorded as
		// declared; a fever suspends the own pass only.
		if st, body := s.post("/me", url.Values{"temperature": {"warm"}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "体温应为数字") {
			t.Fatalf("declare a word: %d", st)
		}
		if st, body := s.post("/me", url.Values{"temperature": {"51"}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "30.0 到 45.0") {
			t.Fatalf("declare 51 °C: %d", st)
		}
		if st, loc := s.post("/me", url.Values{"temperature": {"36.5"}}); st != http.StatusSeeOther || loc != "/me" {
			t.Fatalf("declare 36.5: %d %s", st, loc)
		}
		if st, body := s.get("/me"); st != http.StatusOK || !strings.Contains(body, "36.5") || !strings.Contains(body, "自主申报") || !strings.Contains(body, `data-state="ok"`) {
			t.Fatalf("/me after a normal declaration: %d", st)
		}
		if st := w.api(auth.Staff, "POST", "/api/v1/me/health-checks", map[string]any{"temperature": 36.6, "employee_id": other.EmployeeID}, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("declare for somebody else through the API: %d, want 422", st)
		}
		var res struct {
			EmployeeID int64  `json:"employee_id"`
			Source     string `json:"source"`
			Fever      bool   `json:"fever"`
		}
		if st := w.api(auth.Staff, "POST", "/api/v1/me/health-checks", map[string]any{"temperature": 36.6}, &res); st != http.StatusCreated ||
			res.EmployeeID != mine.EmployeeID || res.Source != "declared" || res.Fever {
			t.Fatalf("API declaration: %d %+v", st, res)
		}
		if st, loc := s.post("/me", url.Values{"temperature": {"38.6"}}); st != http.StatusSeeOther || loc != "/me" {
			t.Fatalf("declare a fever: %d %s", st, loc)
		}
		st, body = s.get("/me")
		if st != http.StatusOK || !strings.Contains(body, `data-state="suspended"`) || !strings.Contains(body, "禁止通行") || !strings.Contains(body, "出入证已暂停") {
			t.Fatalf("/me after the fever: %d %s", st, body)
		}
		if got := w.scan(t, mine.Token, nil); got.Allow || got.Code != "suspended" || !strings.Contains(got.Reason, "发热") {
			t.Fatalf("scan after the declared fever: %+v", got)
		}
		if got := w.scan(t, other.Token, nil); !got.Allow {
			t.Fatalf("the colleague's pass after my fever: %+v", got)
		}
		var fus struct {
			Items []struct {
				EmployeeID int64 `json:"employee_id"`
			} `json:"items"`
		}
		if st := w.api(auth.Enterprise, "GET", "/api/v1/health-followups?open=true", nil, &fus); st != http.StatusOK || len(fus.Items) != 1 || fus.Items[0].EmployeeID != mine.EmployeeID {
			t.Fatalf("follow-ups after the declared fever: %d %+v", st, fus)
		}
		if st := w.api(auth.Staff, "GET", "/api/v1/me/pass", nil, &me); st != http.StatusOK || me.State != "suspended" || me.Allow || me.Pass.Reason != "fever" || len(me.Today) != 3 || !me.Today[2].Fever {
			t.Fatalf("API after the fever: %d %+v", st, me)
		}

		// Unlinking through the API: the page goes back to asking for the link; both
		// changes are in the audit trail.
		acc = accountAnswer{}
		if st := w.api(auth.Enterprise, "POST", account, map[string]any{"user_id": nil}, &acc); st != http.StatusOK || acc.Account != nil || len(acc.Candidates) != 1 {
			t.Fatalf("unlink: %d %+v", st, acc)
		}
		if st, body := s.get("/me?lang=en"); st != http.StatusOK || !strings.Contains(body, "This account is not linked to your employee record") || !strings.Contains(body, "本账号尚未关联") {
			t.Fatalf("/me in English after the unlink: %d", st)
		}
		for _, action := range []string{"employee.account_link", "employee.account_unlink"} {
			var audit struct {
				Total int `json:"total"`
			}
			if st := w.api(auth.Admin, "GET", "/api/v1/audit?action="+action, nil, &audit); st != http.StatusOK || audit.Total != 1 {
				t.Errorf("audit %s: %d %+v, want one entry", action, st, audit)
			}
		}
		if st, loc := e.post(page+"/account", url.Values{"user_id": {itoa(staff.ID)}}); st != http.StatusSeeOther || loc != page {
			t.Fatalf("link again from the page: %d %s", st, loc)
		}
		if st, loc := e.post(page+"/account", url.Values{"action": {"unlink"}}); st != http.StatusSeeOther || loc != page {
			t.Fatalf("unlink from the page: %d %s", st, loc)
		}
		if st := w.api(auth.Staff, "GET", "/api/v1/me/pass", nil, &me); st != http.StatusOK || me.Linked {
			t.Fatalf("after the page's unlink: %d %+v", st, me)
		}
	})
}

// The enterprise opens an account for a person from the employee page: the password is
// shown once, and the person signs in to their own My pass page.
func TestOpenStaffAccountFromTheEmployeePage(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		id := w.employee(t, "开户人", 61)
		b := w.login(auth.Enterprise)
		_, page := b.get("/employees/" + itoa(id))
		if !strings.Contains(page, `name="action" value="create"`) {
			t.Fatal("the employee page offers no way to open an account")
		}
		st, page := b.post("/employees/"+itoa(id)+"/account", url.Values{"action": {"create"}, "username": {"kaihu-61"}})
		i := strings.Index(page, `<code class="secret">`)
		if st != http.StatusCreated || i < 0 || !strings.Contains(page, `href="/employees/`+itoa(id)+`"`) {
			t.Fatalf("open an account: %d", st)
		}
		password := page[i+len(`<code class="secret">`):]
		password = password[:strings.Index(password, "<")]
		staff := w.loginAs("kaihu-61", password)
		if st, page := staff.get("/me"); st != http.StatusOK || !strings.Contains(page, "开户人") {
			t.Fatalf("the new account's My pass page: %d", st)
		}
		// A second account for the same person is refused on the page, with the reason.
		if st, page := b.post("/employees/"+itoa(id)+"/account", url.Values{"action": {"create"}, "username": {"kaihu-62"}}); st != http.StatusConflict || !strings.Contains(page, "已关联账号") {
			t.Fatalf("a second account: %d", st)
		}
		var acc struct {
			User struct {
				Username string `json:"username"`
			} `json:"user"`
			Password string `json:"password"`
		}
		other := w.employee(t, "开户二", 62)
		if st := w.api(auth.Enterprise, "POST", "/api/v1/employees/"+itoa(other)+"/account/new", map[string]any{"username": "kaihu-api"}, &acc); st != http.StatusCreated || acc.Password == "" || acc.User.Username != "kaihu-api" {
			t.Fatalf("API: %d %+v", st, acc)
		}
	})
}
