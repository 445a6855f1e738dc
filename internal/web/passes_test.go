package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/policy"
)

type passAnswer struct {
	ID         int64  `json:"id"`
	EmployeeID int64  `json:"employee_id"`
	Status     string `json:"status"`
	Reason     string `json:"reason"`
	Token      string `json:"token"`
	Name       string `json:"name"`
}

type passList struct {
	Items []passAnswer `json:"items"`
}

type scanAnswer struct {
	Allow    bool   `json:"allow"`
	Code     string `json:"code"`
	Reason   string `json:"reason"`
	ReasonEN string `json:"reason_en"`
	Person   string `json:"person"`
	Color    string `json:"color"`
}

func (w *world) scan(t *testing.T, token string, temp any) scanAnswer {
	t.Helper()
	var out scanAnswer
	body := map[string]any{"token": token}
	if temp != nil {
		body["temperature"] = temp
	}
	if st := w.api(auth.Guard, "POST", "/api/v1/gate/scan", body, &out); st != http.StatusOK {
		t.Fatalf("scan: %d", st)
	}
	return out
}

func today() string {
	return time.Now().In(policy.Default().Location()).Format("2006-01-02")
}

// issuedPasses walks entA to approval and issues passes to n cleared employees.
func (w *world) issuedPasses(t testing.TB, names ...string) []passAnswer {
	t.Helper()
	var ids []int64
	for i, n := range names {
		ids = append(ids, w.employee(t, n, 40+i))
	}
	var req passList
	if st := w.api(auth.Enterprise, "POST", "/api/v1/passes", map[string]any{"employee_ids": ids}, &req); st != http.StatusCreated || len(req.Items) != len(ids) {
		t.Fatalf("request passes: %d %+v", st, req)
	}
	var pids []int64
	for _, p := range req.Items {
		if p.Status != "requested" || p.Token != "" {
			t.Fatalf("requested pass: %+v", p)
		}
		pids = append(pids, p.ID)
	}
	if st := w.api(auth.Enterprise, "POST", "/api/v1/passes/approve", map[string]any{"ids": pids}, nil); st != http.StatusForbidden {
		t.Fatalf("enterprise approves its own passes: %d", st)
	}
	var ok passList
	if st := w.api(auth.Grid, "POST", "/api/v1/passes/approve", map[string]any{"ids": pids}, &ok); st != http.StatusOK || len(ok.Items) != len(pids) {
		t.Fatalf("grid approves the batch: %d %+v", st, ok)
	}
	for _, p := range ok.Items {
		if p.Status != "active" || !strings.HasPrefix(p.Token, "FG1.") {
			t.Fatalf("approved pass: %+v", p)
		}
	}
	return ok.Items
}

func TestPassRules(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		early := w.employee(t, "早到员工", 30)
		if st := w.api(auth.Enterprise, "POST", "/api/v1/passes", map[string]any{"employee_ids": []int64{early}}, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("pass without a notice: %d, want 422", st)
		}
		// Without a notice the page offers nobody, and says why.
		if _, page := w.login(auth.Enterprise).get("/passes"); strings.Contains(page, `name="employee_id"`) || !strings.Contains(page, "企业尚无有效的复工通知书") {
			t.Errorf("the passes page without a notice offers a request or does not say why")
		}
		walk := w.appApproved(t)
		var iso employeeAnswer
		if st := w.api(auth.Enterprise, "POST", "/api/v1/employees", map[string]any{"name": "隔离员工", "id_number": personID(t, 31),
			"origin": "province_other_city", "return_date": today()}, &iso); st != http.StatusCreated {
			t.Fatalf("add isolating employee: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", "/api/v1/passes", map[string]any{"employee_ids": []int64{iso.ID}}, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("pass for an isolating person: %d, want 422", st)
		}
		// A batch with one refused person writes nothing.
		if st := w.api(auth.Enterprise, "POST", "/api/v1/passes", map[string]any{"employee_ids": []int64{early, iso.ID}}, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("batch with an isolating person: %d, want 422", st)
		}
		var one passList
		if st := w.api(auth.Enterprise, "POST", "/api/v1/passes", map[string]any{"employee_ids": []int64{early}}, &one); st != http.StatusCreated {
			t.Fatalf("pass with a notice: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", "/api/v1/passes", map[string]any{"employee_ids": []int64{early}}, nil); st != http.StatusConflict {
			t.Fatalf("second pass: %d, want 409", st)
		}
		// The page offers to ask a pass only for those a request would not be refused for:
		// not the person holding one, nor the isolating one; the one without is offered.
		waiting := w.employee(t, "待申请员工", 32)
		_, page := w.login(auth.Enterprise).get("/passes")
		pick := func(id int64) bool { return strings.Contains(page, `name="employee_id" value="`+itoa(id)+`"`) }
		if pick(early) || pick(iso.ID) || !pick(waiting) {
			t.Errorf("pick list: holder %t, isolating %t, without a pass %t", pick(early), pick(iso.ID), pick(waiting))
		}
		if strings.Contains(page, "企业尚无有效的复工通知书") {
			t.Errorf("the passes page says the notice is missing when it is in force")
		}
		// A requested pass has no token yet; the grid's single approval issues it.
		var p passAnswer
		if st := w.api(auth.Grid, "POST", "/api/v1/passes/"+itoa(one.Items[0].ID)+"/approve", nil, &p); st != http.StatusOK || p.Status != "active" {
			t.Fatalf("approve one: %d %+v", st, p)
		}
		if st := w.api(auth.Grid, "POST", "/api/v1/passes/"+itoa(one.Items[0].ID)+"/approve", nil, nil); st != http.StatusConflict {
			t.Fatalf("approve twice: %d", st)
		}
		if got := w.scan(t, p.Token, 36.5); !got.Allow || got.Color != "green" || got.Person != "早***" {
			t.Fatalf("scan of a good pass: %+v", got)
		}
		// Tampering with any character of the token denies it.
		bad := []byte(p.Token)
		i := len("FG1.") + 6
		if bad[i] == 'A' {
			bad[i] = 'B'
		} else {
			bad[i] = 'A'
		}
		if got := w.scan(t, string(bad), nil); got.Allow || got.Code != "bad_token" || got.Color != "red" {
			t.Fatalf("tampered token: %+v", got)
		}
		if got := w.scan(t, "not a token", nil); got.Allow || got.Code != "bad_token" {
			t.Fatalf("garbage: %+v", got)
		}
		// Revoking the enterprise's notice stops every pass at scan time: 严禁复工.
		if st := w.appAPI(w.appActors(t).townCmdTok, "POST", "/api/v1/applications/"+itoa(walk.ID)+"/transitions",
			map[string]any{"action": application.Revoke, "comment": "防疫措施落实不到位"}, nil); st != http.StatusOK {
			t.Fatalf("revoke the approval: %d", st)
		}
		if got := w.scan(t, p.Token, nil); got.Allow || got.Code != "no_notice" || !strings.Contains(got.Reason, "严禁复工") {
			t.Fatalf("scan after the notice is revoked: %+v", got)
		}
		var revoked struct {
			IDs []int64 `json:"ids"`
		}
		if st := w.api(auth.Guard, "GET", "/api/v1/passes/revoked", nil, &revoked); st != http.StatusOK || len(revoked.IDs) != 1 || revoked.IDs[0] != p.ID {
			t.Fatalf("revocation list: %d %+v", st, revoked)
		}
		// Unknown values are refused, not guessed.
		if st := w.api(auth.Enterprise, "POST", "/api/v1/passes/"+itoa(p.ID)+"/revoke", map[string]any{"reason": "bored"}, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("revoke for an unknown reason: %d", st)
		}
		if st := w.api(auth.Enterprise, "GET", "/api/v1/passes?status=bogus", nil, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("passes of an unknown status: %d", st)
		}
		// The person leaves: the pass is revoked for good.
		if st := w.api(auth.Enterprise, "POST", "/api/v1/passes/"+itoa(p.ID)+"/revoke", map[string]any{"reason": "left"}, &p); st != http.StatusOK || p.Status != "revoked" {
			t.Fatalf("revoke: %d %+v", st, p)
		}
		if got := w.scan(t, p.Token, nil); got.Allow || got.Code != "revoked" || !strings.Contains(got.Reason, "离职") {
			t.Fatalf("scan of a revoked pass: %+v", got)
		}
	})
}

// A scan answers from what was last read of the pass only until something changes it: a
// fever recorded at a checkpoint stops the next scan of a pass that was just let through.
func TestScanSeesACheckpointFeverAtOnce(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		p := w.issuedPasses(t, "赵体温")[0]
		if got := w.scan(t, p.Token, 36.5); !got.Allow {
			t.Fatalf("first scan: %+v", got)
		}
		if st := w.api(auth.Guard, "POST", "/api/v1/health-checks", map[string]any{"employee_id": p.EmployeeID, "temperature": 38.1, "checkpoint": "车间"}, nil); st != http.StatusCreated {
			t.Fatalf("checkpoint fever: %d", st)
		}
		if got := w.scan(t, p.Token, nil); got.Allow || got.Code != "suspended" {
			t.Fatalf("scan after a checkpoint fever: %+v", got)
		}
	})
}

func TestFeverSuspendsUntilFollowUpClosed(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		ps := w.issuedPasses(t, "王发热", "李正常")
		hot, cool := ps[0], ps[1]
		if got := w.scan(t, hot.Token, 38.4); got.Allow || got.Code != "fever" || got.Color != "red" || !strings.Contains(got.Reason, "38.4") {
			t.Fatalf("fever scan: %+v", got)
		}
		if got := w.scan(t, hot.Token, nil); got.Allow || got.Code != "suspended" || !strings.Contains(got.Reason, "发热") {
			t.Fatalf("scan after the fever: %+v", got)
		}
		// Online verification tells a suspended pass from a valid one.
		for _, c := range []struct {
			token, code string
			valid       bool
		}{{hot.Token, "revoked", false}, {cool.Token, "ok", true}} {
			var v struct {
				Valid bool   `json:"valid"`
				Code  string `json:"code"`
			}
			if st := w.api("", "GET", "/api/v1/verify?token="+url.QueryEscape(c.token), nil, &v); st != http.StatusOK || v.Valid != c.valid || v.Code != c.code {
				t.Fatalf("verify pass: %d %+v, want %s", st, v, c.code)
			}
		}
		var revoked struct {
			IDs []int64 `json:"ids"`
		}
		if st := w.api(auth.Guard, "GET", "/api/v1/passes/revoked", nil, &revoked); st != http.StatusOK || len(revoked.IDs) != 1 || revoked.IDs[0] != hot.ID {
			t.Fatalf("revocation list: %d %+v", st, revoked)
		}
		// The grid leader and the enterprise are told.
		var inbox struct {
			Items []struct{ Kind, Body string } `json:"items"`
		}
		for _, role := range []auth.Role{auth.Grid, auth.Enterprise} {
			if st := w.api(role, "GET", "/api/v1/notifications", nil, &inbox); st != http.StatusOK || len(inbox.Items) == 0 || inbox.Items[0].Kind != "fever" {
				t.Fatalf("%s's inbox: %d %+v", role, st, inbox)
			}
		}
		path := "/api/v1/passes/" + itoa(hot.ID) + "/reactivate"
		if st := w.api(auth.Enterprise, "POST", path, nil, nil); st != http.StatusConflict {
			t.Fatalf("re-activate with the follow-up open: %d, want 409", st)
		}
		var fus struct {
			Items []struct {
				ID         int64 `json:"id"`
				EmployeeID int64 `json:"employee_id"`
			} `json:"items"`
		}
		if st := w.api(auth.Grid, "GET", "/api/v1/health-followups?open=true", nil, &fus); st != http.StatusOK || len(fus.Items) != 1 || fus.Items[0].EmployeeID != hot.EmployeeID {
			t.Fatalf("open follow-ups: %d %+v", st, fus)
		}
		// The town's list of follow-ups names the enterprise, and its export (发热人员跟踪台账)
		// holds the person, masked, with the enterprise.
		ent, err := w.db.GetEnterprise(w.ctx, auth.System, w.entA)
		if err != nil {
			t.Fatal(err)
		}
		town := w.login(auth.Town)
		if st, page := town.get("/followups"); st != http.StatusOK || !strings.Contains(page, ent.Name) || !strings.Contains(page, `href="/followups/export"`) {
			t.Errorf("the town's follow-ups: %d, or without the enterprise or the export", st)
		}
		if rows := exported(t, town, "/followups/export", "企业名称", "姓名"); len(rows) != 1 || rows[0]["企业名称"] != ent.Name || !strings.Contains(rows[0]["姓名"], "*") {
			t.Errorf("the follow-ups' export: %v", rows)
		}
		// The enterprise's register of passes (出入证台账) lists its two, masked, with their state.
		if rows := exported(t, w.login(auth.Enterprise), "/passes/export", "姓名", "状态"); len(rows) != 2 || !strings.Contains(rows[0]["姓名"], "*") || rows[0]["状态"] == "" {
			t.Errorf("the passes' export: %v", rows)
		}
		if st := w.api(auth.Grid, "POST", "/api/v1/health-followups/"+itoa(fus.Items[0].ID)+"/close",
			map[string]any{"isolation": "居家隔离观察", "referral": "县人民医院发热门诊", "outcome": "排除,体温恢复正常"}, nil); st != http.StatusOK {
			t.Fatalf("grid closes the follow-up: %d", st)
		}
		// A token carries its issue time to the second: re-activated a few seconds after
		// it was approved (always so outside a test), the pass gets a token of its own.
		clock := w.db.Now
		w.db.Now = func() time.Time { return clock().Add(2 * time.Second) }
		defer func() { w.db.Now = clock }()
		var back passAnswer
		if st := w.api(auth.Enterprise, "POST", path, nil, &back); st != http.StatusOK || back.Status != "active" {
			t.Fatalf("re-activate: %d %+v", st, back)
		}
		// Re-activation re-issues the pass: the new token opens the gate; online
		// verification says the old one was replaced.
		if back.Token == "" || back.Token == hot.Token {
			t.Fatalf("re-activation kept the token: %+v", back)
		}
		var old struct {
			Valid bool   `json:"valid"`
			Code  string `json:"code"`
		}
		if st := w.api("", "GET", "/api/v1/verify?token="+url.QueryEscape(hot.Token), nil, &old); st != http.StatusOK || old.Valid || old.Code != "revoked" {
			t.Fatalf("verify the token replaced by re-activation: %d %+v", st, old)
		}
		if got := w.scan(t, back.Token, 36.6); !got.Allow {
			t.Fatalf("scan after re-activation: %+v", got)
		}
		// Missed checks: the hot one has two readings today (38.4 and 36.6), the cool
		// one none; one more declaration by pass token, then suspend for today.
		var rec struct {
			Items []struct {
				Fever bool `json:"fever"`
			} `json:"items"`
		}
		if st := w.api(auth.Staff, "POST", "/api/v1/health-checks", []map[string]any{{"pass_token": cool.Token, "temperature": 36.5}}, &rec); st != http.StatusCreated || len(rec.Items) != 1 || rec.Items[0].Fever {
			t.Fatalf("declaration: %d %+v", st, rec)
		}
		var res struct {
			Suspended int `json:"suspended"`
		}
		if st := w.api(auth.Grid, "POST", "/api/v1/passes/suspend-missed", map[string]any{"day": today()}, &res); st != http.StatusOK || res.Suspended != 1 {
			t.Fatalf("suspend for missed checks: %d %+v", st, res)
		}
		if got := w.scan(t, cool.Token, nil); got.Allow || got.Code != "suspended" || !strings.Contains(got.Reason, "体温检测") {
			t.Fatalf("scan after missed checks: %+v", got)
		}
		if got := w.scan(t, back.Token, nil); !got.Allow {
			t.Fatalf("the checked person: %+v", got)
		}
		// Visitors and vehicles are logged with today's entries.
		if st := w.api(auth.Guard, "POST", "/api/v1/gate/entries", map[string]any{"kind": "visitor", "name": "访客甲", "phone": "13800001111",
			"purpose": "送货", "host": "王经理", "temperature": 36.4}, nil); st != http.StatusCreated {
			t.Fatalf("visitor: %d", st)
		}
		f := false
		var veh struct {
			Allow bool `json:"allow"`
		}
		if st := w.api(auth.Guard, "POST", "/api/v1/gate/entries", map[string]any{"kind": "vehicle", "name": "司机乙", "plate": "浙F12345",
			"temperature": 36.5, "freight_disinfected": f}, &veh); st != http.StatusCreated || veh.Allow {
			t.Fatalf("undisinfected freight: %d %+v", st, veh)
		}
		var log struct {
			Items []struct{ Kind string } `json:"items"`
		}
		if st := w.api(auth.Guard, "GET", "/api/v1/gate/entries", nil, &log); st != http.StatusOK || len(log.Items) != 7 {
			t.Fatalf("gate log: %d %d entries", st, len(log.Items))
		}
	})
}

// Recording that a person left revokes their pass: the gate refuses it and online
// verification reports it.
func TestLeavingRevokesThePass(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		p := w.issuedPasses(t, "赵离职")[0]
		if got := w.scan(t, p.Token, 36.5); !got.Allow {
			t.Fatalf("scan before leaving: %+v", got)
		}
		path := "/api/v1/employees/" + itoa(p.EmployeeID) + "/leave"
		if st := w.api(auth.Guard, "POST", path, nil, nil); st != http.StatusForbidden {
			t.Fatalf("guard records leaving: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", path, nil, nil); st != http.StatusOK {
			t.Fatalf("leave: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", path, nil, nil); st != http.StatusConflict {
			t.Fatalf("leave twice: %d", st)
		}
		if got := w.scan(t, p.Token, 36.5); got.Allow {
			t.Fatalf("scan after leaving: %+v", got)
		}
		var v struct {
			Valid bool   `json:"valid"`
			Code  string `json:"code"`
		}
		if st := w.api("", "GET", "/api/v1/verify?token="+url.QueryEscape(p.Token), nil, &v); st != http.StatusOK || v.Valid || v.Code != "revoked" {
			t.Fatalf("verify after leaving: %d %+v", st, v)
		}
		// The page shows the day instead of the button.
		b := w.login(auth.Enterprise)
		if st, body := b.get("/employees/" + itoa(p.EmployeeID)); st != http.StatusOK || !strings.Contains(body, "离职日期") {
			t.Fatalf("employee page after leaving: %d\n%s", st, body)
		}
	})
}
