package web_test

import (
	"testing"

	"fugong/internal/auth"
)

// The My pass, account and entrance routes answer what the document says, and read the
// bodies it describes.
func TestOpenAPIMeConform(t *testing.T) {
	w, doc := openAPIWorld(t)
	d := &schemaDoc{t: t, w: w, doc: doc, called: map[string]bool{}}
	d.call(auth.Staff, "GET", "/api/v1/me/pass", "/api/v1/me/pass", nil, 200, nil) // linked to nobody yet
	w.appApproved(t)
	p := w.issuedPasses(t, "文档甲")[0]
	account := "/api/v1/employees/" + itoa(p.EmployeeID) + "/account"
	var acc accountAnswer
	d.call(auth.Enterprise, "GET", account, "/api/v1/employees/{id}/account", nil, 200, &acc)
	if len(acc.Candidates) == 0 {
		t.Fatal("no staff account to link")
	}
	d.call(auth.Enterprise, "POST", account, "/api/v1/employees/{id}/account", map[string]any{"user_id": acc.Candidates[0].UserID}, 200, &acc)
	d.call(auth.Staff, "GET", "/api/v1/me/pass", "/api/v1/me/pass", nil, 200, nil)
	d.call(auth.Staff, "POST", "/api/v1/me/health-checks", "/api/v1/me/health-checks", map[string]any{"temperature": 36.5, "symptoms": []string{}}, 201, nil)
	d.call(auth.Staff, "GET", "/api/v1/me/pass", "/api/v1/me/pass", nil, 200, nil) // with today's reading
	d.call(auth.Enterprise, "POST", account, "/api/v1/employees/{id}/account", map[string]any{"user_id": nil}, 200, nil)
	d.call(auth.Enterprise, "POST", account+"/new", "/api/v1/employees/{id}/account/new", map[string]any{"username": "doc-new"}, 201, nil)
	entrance := "/api/v1/enterprises/" + itoa(w.entA) + "/entrance"
	d.call(auth.Enterprise, "POST", entrance, "/api/v1/enterprises/{id}/entrance", map[string]any{"entrance": "东门"}, 200, nil)
	d.call(auth.Guard, "GET", entrance, "/api/v1/enterprises/{id}/entrance", nil, 200, nil)
}
