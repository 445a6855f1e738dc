package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
)

func TestEnterprisePagesScope(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		b := w.login(auth.Town)
		status, body := b.get("/enterprises")
		if status != http.StatusOK || !strings.Contains(body, "甲镇精密机械有限公司") || strings.Contains(body, "乙街道便民超市") {
			t.Fatalf("town list: %d\n%s", status, body)
		}
		if status, _ := b.get("/enterprises/" + itoa(w.entB)); status != http.StatusNotFound {
			t.Fatalf("foreign enterprise page: %d", status)
		}
		// Register with a bad credit code: field error, nothing written.
		form := url.Values{"name": {"新企业"}, "uscc": {"91330402MA00000019"}, "category": {"industry_above"}, "region_code": {w.townA}, "flags": {"1"}}
		status, body = b.post("/enterprises", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "校验码") {
			t.Fatalf("bad uscc: %d\n%s", status, body)
		}
		form.Set("uscc", uscc(t, 77))
		status, loc := b.post("/enterprises", form)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/enterprises/") {
			t.Fatalf("register: %d %s", status, loc)
		}
		status, body = b.get(loc)
		if status != http.StatusOK || !strings.Contains(body, "新企业") || !strings.Contains(body, "企业已登记") {
			t.Fatalf("detail: %d\n%s", status, body)
		}
	})
}

func TestEnterpriseAPI(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		var created enterprise.Enterprise
		status := w.api(auth.Town, "POST", "/api/v1/enterprises", map[string]any{"name": "接口企业", "uscc": uscc(t, 9), "category": "industry_above", "region_code": w.townA, "headcount": 30}, &created)
		if status != http.StatusCreated || created.ID == 0 || created.Headcount != 30 {
			t.Fatalf("create: %d %+v", status, created)
		}
		var problems struct {
			Error struct {
				Code     string `json:"code"`
				Problems []struct{ Field, Message string }
			} `json:"error"`
		}
		status = w.api(auth.Town, "POST", "/api/v1/enterprises", map[string]any{"name": "", "uscc": "bad", "category": "nope", "region_code": w.townB}, &problems)
		if status != http.StatusUnprocessableEntity || problems.Error.Code != "invalid" || len(problems.Error.Problems) < 4 {
			t.Fatalf("invalid create: %d %+v", status, problems)
		}
		var list struct {
			Items []enterprise.Enterprise
			Total int
		}
		if status := w.api(auth.Town, "GET", "/api/v1/enterprises?q="+url.QueryEscape("接口"), nil, &list); status != 200 || list.Total != 1 {
			t.Fatalf("search: %d %+v", status, list)
		}
		var patched enterprise.Enterprise
		status = w.api(auth.Town, "PATCH", "/api/v1/enterprises/"+itoa(created.ID), map[string]any{"headcount": 45, "version": created.Version}, &patched)
		if status != 200 || patched.Headcount != 45 || patched.Version != created.Version+1 {
			t.Fatalf("patch: %d %+v", status, patched)
		}
		if status := w.api(auth.Town, "PATCH", "/api/v1/enterprises/"+itoa(created.ID), map[string]any{"headcount": 46, "version": created.Version}, nil); status != http.StatusConflict {
			t.Fatalf("stale patch: %d", status)
		}
		if status := w.api(auth.Town, "GET", "/api/v1/enterprises/"+itoa(w.entB), nil, nil); status != http.StatusNotFound {
			t.Fatalf("foreign get: %d", status)
		}
		if status := w.api(auth.Town, "PATCH", "/api/v1/enterprises/"+itoa(created.ID), map[string]any{"bogus": 1}, nil); status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown field: %d", status)
		}
		if status := w.api("", "GET", "/api/v1/enterprises", nil, nil); status != http.StatusUnauthorized {
			t.Fatalf("no token: %d", status)
		}
		if status := w.api(auth.Guard, "POST", "/api/v1/enterprises", map[string]any{}, nil); status != http.StatusForbidden {
			t.Fatalf("guard create: %d", status)
		}
	})
}
