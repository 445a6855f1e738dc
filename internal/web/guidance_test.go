package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/guidance"
)

// guidance publishes, as the county command, guidance for a region that its enterprises
// confirm reading (not public), and returns its id.
func (w *world) guidance(t *testing.T, region, title string) int64 {
	t.Helper()
	it, err := w.db.Guidance().Publish(w.ctx, w.users[auth.Command].Principal(), guidance.Item{Kind: guidance.ForFirms, Title: title,
		Body: title + "正文", Regions: []string{region}, AskConfirm: true, PublishAt: w.db.DB.Now().Add(-time.Hour)}, func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	return it.ID
}

// Guidance published for town A is on its enterprise's home page until it confirms
// reading it; its Markdown renders without letting a script through; the public page
// lists what is public and nothing else; town B's enterprise sees none of it.
func TestGuidanceJourney(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		body := "# 企业复工须知\n\n- 每日两次测温\n- **必须**佩戴口罩\n\n<script>alert('x')</script>\n[详见](javascript:alert(1))"
		var it struct {
			ID       int64
			Confirms int
		}
		st := w.api(auth.Town, "POST", "/api/v1/guidance", map[string]any{"kind": "enterprise", "title": "甲镇企业复工须知", "body": body,
			"regions": []string{w.townA}, "public": true, "ask_confirm": true}, &it)
		if st != http.StatusCreated {
			t.Fatalf("publish: %d", st)
		}
		if st := w.api(auth.Town, "POST", "/api/v1/guidance", map[string]any{"kind": "local", "title": "乙街道须知", "body": "x", "regions": []string{w.townB}}, nil); st != http.StatusUnprocessableEntity {
			t.Errorf("town A publishes for town B: %d", st)
		}
		if st := w.api(auth.Enterprise, "POST", "/api/v1/guidance", map[string]any{"kind": "local", "title": "x", "body": "x", "regions": []string{w.townA}}, nil); st != http.StatusForbidden {
			t.Errorf("an enterprise publishes: %d", st)
		}
		ent := w.login(auth.Enterprise)
		if st, b := ent.get("/"); st != http.StatusOK || !strings.Contains(b, "甲镇企业复工须知") || !strings.Contains(b, "data-unconfirmed") {
			t.Fatalf("the enterprise's home page: %d", st)
		}
		st, b := ent.get("/guidance/" + itoa(it.ID))
		if st != http.StatusOK || !strings.Contains(b, "<strong>必须</strong>") || strings.Contains(b, "<script>alert") || strings.Contains(b, `href="javascript`) {
			t.Fatalf("the page: %d %s", st, b)
		}
		if !strings.Contains(b, "&lt;script&gt;") {
			t.Errorf("the script is not shown as text")
		}
		if st, _ := ent.post("/guidance/"+itoa(it.ID)+"/read", url.Values{}); st != http.StatusSeeOther {
			t.Fatalf("confirm: %d", st)
		}
		if _, b := ent.get("/"); strings.Contains(b, "data-unconfirmed") {
			t.Errorf("still unconfirmed on the home page")
		}
		if w.api(auth.Town, "GET", "/api/v1/guidance/"+itoa(it.ID), nil, &it); it.Confirms != 1 {
			t.Errorf("confirmations: %d", it.Confirms)
		}
		if st := w.api(auth.Town, "POST", "/api/v1/guidance/"+itoa(it.ID)+"/read", nil, nil); st != http.StatusForbidden {
			t.Errorf("the town confirms: %d", st)
		}
		// Town B's enterprise, and the public.
		entB := w.scopedUser(t, "enterprise-b", auth.Enterprise, "enterprise:"+itoa(w.entB))
		if st := w.appAPI(entB.token, "GET", "/api/v1/guidance/"+itoa(it.ID), nil, nil); st != http.StatusNotFound {
			t.Errorf("town B's enterprise reads it: %d", st)
		}
		anon := &browser{w: w, c: &http.Client{}}
		if st, b := anon.get("/guidance"); st != http.StatusOK || !strings.Contains(b, "甲镇企业复工须知") || strings.Contains(b, `<span class="tag">公开</span>`) {
			t.Errorf("the public page: %d (every item of it is public: none is marked so)", st)
		}
		if _, b := w.login(auth.Town).get("/guidance"); !strings.Contains(b, `<span class="tag">公开</span>`) {
			t.Errorf("the town's list does not mark the public item")
		}
		private := w.guidance(t, w.townA, "内部须知")
		if st, b := anon.get("/guidance"); st != http.StatusOK || strings.Contains(b, "内部须知") {
			t.Errorf("the public page shows a non-public item")
		}
		if st, _ := anon.get("/guidance/" + itoa(private)); st != http.StatusNotFound {
			t.Errorf("a non-public item publicly: %d", st)
		}
		var pub struct{ Total int }
		if st := w.api("", "GET", "/api/v1/public/guidance", nil, &pub); st != http.StatusOK || pub.Total != 1 {
			t.Errorf("the public API: %d %d", st, pub.Total)
		}
	})
}

// Files published with guidance: the town attaches one on the item's page; its enterprise
// and, for a public item, anyone download it; an enterprise attaches none; a file of an
// item the public may not read stays hidden; the API lists the attachments.
func TestGuidanceFiles(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		var it struct{ ID int64 }
		if st := w.api(auth.Town, "POST", "/api/v1/guidance", map[string]any{"kind": "measures", "title": "甲镇惠企政策", "body": "见附件",
			"regions": []string{w.townA}, "public": true}, &it); st != http.StatusCreated {
			t.Fatalf("publish: %d", st)
		}
		pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
		town := w.login(auth.Town)
		path := "/guidance/" + itoa(it.ID)
		if st, loc := town.postMultipart(path+"/files", url.Values{}, []formFile{{"file", "惠企政策全文.pdf", pdf}}); st != http.StatusSeeOther || loc != path {
			t.Fatalf("attach: %d %s", st, loc)
		}
		var got struct {
			Attachments []struct{ Name, SHA256 string }
		}
		if st := w.api(auth.Enterprise, "GET", "/api/v1/guidance/"+itoa(it.ID), nil, &got); st != http.StatusOK || len(got.Attachments) != 1 || got.Attachments[0].Name != "惠企政策全文.pdf" {
			t.Fatalf("the attachments: %d %+v", st, got)
		}
		file := path + "/files/" + got.Attachments[0].SHA256
		ent := w.login(auth.Enterprise)
		if st, b := ent.get(path); st != http.StatusOK || !strings.Contains(b, file) || strings.Contains(b, `action="`+path+`/files"`) {
			t.Errorf("the enterprise's page: %d", st)
		}
		if st, b := ent.get(file); st != http.StatusOK || b != string(pdf) {
			t.Errorf("the enterprise's download: %d", st)
		}
		anon := &browser{w: w, c: &http.Client{}}
		if st, b := anon.get(file); st != http.StatusOK || b != string(pdf) {
			t.Errorf("the public download: %d", st)
		}
		if st, _ := anon.get(path + "/files/" + strings.Repeat("0", 64)); st != http.StatusNotFound {
			t.Errorf("a file not attached: %d", st)
		}
		if st, _ := ent.postMultipart(path+"/files", url.Values{}, []formFile{{"file", "x.pdf", pdf}}); st != http.StatusForbidden {
			t.Errorf("an enterprise attaches: %d", st)
		}
		private := w.guidance(t, w.townA, "内部须知")
		cmd := w.login(auth.Command)
		if st, _ := cmd.postMultipart("/guidance/"+itoa(private)+"/files", url.Values{}, []formFile{{"file", "内部.pdf", pdf}}); st != http.StatusSeeOther {
			t.Fatalf("attach to the private item: %d", st)
		}
		if st, _ := anon.get("/guidance/" + itoa(private) + "/files/" + got.Attachments[0].SHA256); st != http.StatusNotFound {
			t.Errorf("a private item's file publicly: %d", st)
		}
	})
}
