package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/roster"
	"fugong/internal/xlsx"
)

// certPDF is the start of a PDF file: enough for the type to be recognised.
var certPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// putCertificate uploads a certificate through the API as role.
func (w *world) putCertificate(role auth.Role, id int64, name string, data []byte) (int, string) {
	w.t.Helper()
	ct, body := appMultipart(w.t, url.Values{}, name, data)
	req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/employees/%d/certificate", w.ts.URL, id), bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+w.tokens[role])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// getRaw fetches an API path with role's token.
func (w *world) getRaw(role auth.Role, path string) (int, http.Header, []byte) {
	w.t.Helper()
	req, _ := http.NewRequest("GET", w.ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+w.tokens[role])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func TestGridCertificateUpload(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		id := w.employee(t, "持证员工", 1)
		other := w.employee(t, "无证员工", 2)
		var foreign employeeAnswer
		if st := w.api(auth.Admin, "POST", "/api/v1/employees", map[string]any{"enterprise_id": w.entB, "name": "乙店员工", "id_number": personID(t, 3),
			"origin": "local"}, &foreign); st != http.StatusCreated {
			t.Fatalf("admin adds to entB: %d", st)
		}
		path := fmt.Sprintf("/api/v1/employees/%d/certificate", id)
		if st, _, _ := w.getRaw(auth.Enterprise, path); st != http.StatusNotFound {
			t.Fatalf("certificate before upload: %d", st)
		}
		// Refusals: not an image or PDF, content that lies about its type, no file, no right.
		for _, c := range []struct {
			name string
			data []byte
		}{{"证明.docx", []byte("PK\x03\x04 not really")}, {"证明.pdf", []byte("just text, not a PDF")}, {"证明.exe", []byte("MZ")}} {
			if st, body := w.putCertificate(auth.Enterprise, id, c.name, c.data); st != http.StatusUnprocessableEntity || !strings.Contains(body, `"field":"file"`) {
				t.Errorf("upload %s: %d %s", c.name, st, body)
			}
		}
		if st, body := w.putCertificate(auth.Enterprise, id, "大.pdf", append(append([]byte{}, certPDF...), make([]byte, 11<<20)...)); st != http.StatusUnprocessableEntity || !strings.Contains(body, "10 MB") {
			t.Errorf("a too large file: %d %s", st, body)
		}
		if st, _ := w.putCertificate(auth.Grid, id, "证明.pdf", certPDF); st != http.StatusForbidden {
			t.Errorf("grid (view only) uploads: %d", st)
		}
		if st, _ := w.putCertificate(auth.Enterprise, foreign.ID, "证明.pdf", certPDF); st != http.StatusNotFound {
			t.Errorf("upload for another enterprise's employee: %d", st)
		}
		// Upload, read back, replace.
		st, body := w.putCertificate(auth.Enterprise, id, "封闭期间情况证明.pdf", certPDF)
		var cert struct {
			SHA256      string `json:"sha256"`
			Name        string `json:"name"`
			ContentType string `json:"content_type"`
		}
		if err := json.Unmarshal([]byte(body), &cert); st != http.StatusOK || err != nil || cert.ContentType != "application/pdf" || cert.Name != "封闭期间情况证明.pdf" {
			t.Fatalf("upload: %d %s", st, body)
		}
		for _, role := range []auth.Role{auth.Enterprise, auth.Grid, auth.Town, auth.Park} {
			st, h, got := w.getRaw(role, path)
			if st != http.StatusOK || !bytes.Equal(got, certPDF) || h.Get("Content-Type") != "application/pdf" {
				t.Errorf("%s downloads: %d %s", role, st, h.Get("Content-Type"))
			}
		}
		if st, _, _ := w.getRaw(auth.Staff, path); st != http.StatusForbidden {
			t.Errorf("staff downloads: %d", st)
		}
		png := appPNG(t)
		b := w.login(auth.Enterprise)
		if st, loc := b.postMultipart(fmt.Sprintf("/employees/%d/certificate", id), url.Values{}, []formFile{{"file", "手机照片.png", png}}); st != http.StatusSeeOther || !strings.Contains(loc, "#certificate") {
			t.Fatalf("page upload (replace): %d %s", st, loc)
		}
		if st, _, got := b.getBytes(fmt.Sprintf("/employees/%d/certificate", id)); st != http.StatusOK || !bytes.Equal(got, png) {
			t.Errorf("page download after replacing: %d", st)
		}
		if st, page := b.postMultipart(fmt.Sprintf("/employees/%d/certificate", id), url.Values{}, []formFile{{"file", "x.docx", []byte("PK\x03\x04")}}); st != http.StatusUnprocessableEntity || !strings.Contains(page, "PDF") {
			t.Errorf("page upload of a document: %d", st)
		}
		_, page := b.get(fmt.Sprintf("/employees/%d", id))
		if !strings.Contains(page, `data-certificate="present"`) || !strings.Contains(page, "手机照片.png") || !strings.Contains(page, `enctype="multipart/form-data"`) {
			t.Error("the employee page does not show the certificate and the upload form")
		}
		_, page = w.login(auth.Grid).get(fmt.Sprintf("/employees/%d", other))
		if !strings.Contains(page, `data-certificate="missing"`) || strings.Contains(page, `enctype="multipart/form-data"`) {
			t.Error("the grid's view of a person without a certificate")
		}
		// The list says who has one, and filters.
		_, page = b.get("/roster?certificate=missing")
		if !strings.Contains(page, "无证员工") || strings.Contains(page, "持证员工") {
			t.Error("filter: no certificate")
		}
		var list struct {
			Items []struct {
				Name           string `json:"name"`
				HasCertificate bool   `json:"has_certificate"`
			} `json:"items"`
		}
		w.api(auth.Enterprise, "GET", "/api/v1/employees?certificate=present", nil, &list)
		if len(list.Items) != 1 || list.Items[0].Name != "持证员工" || !list.Items[0].HasCertificate {
			t.Errorf("API filter: %+v", list)
		}
		// Audited.
		var trail struct {
			Items []struct {
				Action string `json:"action"`
			} `json:"items"`
		}
		w.api(auth.Admin, "GET", fmt.Sprintf("/api/v1/audit?object_type=employee&object_id=%d", id), nil, &trail)
		actions := map[string]int{}
		for _, e := range trail.Items {
			actions[e.Action]++
		}
		if actions["employee.certificate.upload"] != 1 || actions["employee.certificate.replace"] != 1 {
			t.Errorf("audit: %v", actions)
		}
	})
}

func TestRoomsPageAndAPI(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.rosterClock()
		var iso employeeAnswer
		if st := w.api(auth.Enterprise, "POST", "/api/v1/employees", map[string]any{"name": "隔离人员", "id_number": personID(t, 1), "origin": "other_province",
			"return_date": "2020-02-10"}, &iso); st != http.StatusCreated || iso.Status.Phase != "isolating" {
			t.Fatalf("add isolating person: %d %+v", st, iso)
		}
		var ids []int64
		for i := range 5 {
			ids = append(ids, w.employee(t, fmt.Sprint("宿舍员工", i), 10+i))
		}
		for _, id := range ids[:4] {
			if st := w.api(auth.Enterprise, "POST", fmt.Sprintf("/api/v1/employees/%d/room", id), map[string]any{"dorm_room": "A-101"}, nil); st != http.StatusOK {
				t.Fatalf("assign: %d", st)
			}
		}
		var e rosterAPIError
		if st := w.api(auth.Enterprise, "POST", fmt.Sprintf("/api/v1/employees/%d/room", ids[4]), map[string]any{"dorm_room": "A-101"}, &e); st != http.StatusUnprocessableEntity {
			t.Fatalf("fifth bed: %d", st)
		}
		if len(e.Error.Problems) != 1 || !strings.Contains(e.Error.Problems[0].Message, "A-101") || !strings.Contains(e.Error.Problems[0].Message, "宿舍员工0") {
			t.Errorf("fifth bed message: %+v", e.Error.Problems)
		}
		if st := w.api(auth.Enterprise, "POST", fmt.Sprintf("/api/v1/employees/%d/room", ids[4]), map[string]any{"bed": "1"}, nil); st != http.StatusUnprocessableEntity {
			t.Errorf("unknown field: %d", st)
		}
		if st := w.api(auth.Town, "POST", fmt.Sprintf("/api/v1/employees/%d/room", ids[4]), map[string]any{"dorm_room": "B"}, nil); st != http.StatusForbidden {
			t.Errorf("town assigns: %d", st)
		}
		var board struct {
			ToAssign []struct {
				ID int64 `json:"id"`
			} `json:"to_assign"`
			DormRooms []struct {
				Name      string `json:"name"`
				Capacity  int    `json:"capacity"`
				Full      bool   `json:"full"`
				Occupants []struct {
					Name string `json:"name"`
				} `json:"occupants"`
			} `json:"dorm_rooms"`
		}
		if st := w.api(auth.Town, "GET", fmt.Sprintf("/api/v1/rooms?enterprise=%d", w.entA), nil, &board); st != http.StatusOK {
			t.Fatalf("rooms: %d", st)
		}
		if len(board.ToAssign) != 1 || board.ToAssign[0].ID != iso.ID || len(board.DormRooms) != 1 || !board.DormRooms[0].Full || board.DormRooms[0].Capacity != 4 {
			t.Errorf("board: %+v", board)
		}
		if st := w.api(auth.Enterprise, "GET", fmt.Sprintf("/api/v1/rooms?enterprise=%d", w.entB), nil, nil); st != http.StatusNotFound {
			t.Errorf("another enterprise's rooms: %d", st)
		}
		// The page: the person to assign first, then the rooms; the form assigns and refuses.
		b := w.login(auth.Enterprise)
		st, page := b.get("/roster/rooms")
		if st != http.StatusOK || !strings.Contains(page, fmt.Sprintf(`data-to-assign="%d"`, iso.ID)) || !strings.Contains(page, `data-room="A-101"`) ||
			strings.Index(page, "to-assign") > strings.Index(page, `data-room="A-101"`) {
			t.Fatalf("rooms page: %d", st)
		}
		if st, loc := b.post("/roster/rooms", url.Values{"employee_id": {itoa(iso.ID)}, "isolation_room": {"G-1"}}); st != http.StatusSeeOther || loc != "/roster/rooms" {
			t.Fatalf("assign an isolation room: %d %s", st, loc)
		}
		st, page = b.post("/roster/rooms", url.Values{"employee_id": {itoa(ids[4])}, "isolation_room": {"G-1"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(page, "G-1") || !strings.Contains(page, "隔离人员") {
			t.Errorf("second person into G-1: %d", st)
		}
		if st, _ := b.post("/roster/rooms", url.Values{}); st != http.StatusUnprocessableEntity {
			t.Errorf("empty form: %d", st)
		}
		if st, _ := w.login(auth.Grid).post("/roster/rooms", url.Values{"employee_id": {itoa(ids[4])}, "dorm_room": {"X"}}); st != http.StatusForbidden {
			t.Errorf("grid assigns on the page: %d", st)
		}
		_, page = b.get("/roster/rooms")
		if strings.Contains(page, fmt.Sprintf(`data-to-assign="%d"`, iso.ID)) || !strings.Contains(page, `data-room="G-1"`) {
			t.Error("after assigning, the person is still to assign")
		}
	})
}

func TestRosterFullExport(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.employee(t, "导出员工", 1)
		id := personID(t, 1)
		read := func(c *http.Client, path string, token string) (int, []string, string) {
			req, _ := http.NewRequest("GET", w.ts.URL+path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, nil, string(b)
			}
			var ids []string
			if err := xlsx.Read(resp.Body, roster.ExportColumns, func(r xlsx.Row) error { ids = append(ids, r.Values["id_number"]); return nil }, nil); err != nil {
				t.Fatal(err)
			}
			return resp.StatusCode, ids, ""
		}
		ent := w.login(auth.Enterprise)
		if st, ids, _ := read(ent.c, "/roster/export", ""); st != http.StatusOK || len(ids) != 1 || ids[0] == id {
			t.Fatalf("masked export: %d %v", st, ids)
		}
		if st, ids, _ := read(ent.c, "/roster/export?full=1", ""); st != http.StatusOK || len(ids) != 1 || ids[0] != id {
			t.Fatalf("full export: %d %v", st, ids)
		}
		if st, ids, _ := read(http.DefaultClient, "/api/v1/employees/export?full=1", w.tokens[auth.Park]); st != http.StatusOK || len(ids) != 1 || ids[0] != id {
			t.Fatalf("park's full export through the API: %d %v", st, ids)
		}
		st, _, body := read(w.login(auth.Town).c, "/roster/export?full=1", "")
		if st != http.StatusForbidden || !strings.Contains(body, "完整身份证号") {
			t.Errorf("town's full export: %d", st)
		}
		st, _, body = read(http.DefaultClient, "/api/v1/employees/export?full=1", w.tokens[auth.Grid])
		if st != http.StatusForbidden || !strings.Contains(body, "full ID numbers") {
			t.Errorf("grid's full export through the API: %d %s", st, body)
		}
		if st, ids, _ := read(http.DefaultClient, "/api/v1/employees/export", w.tokens[auth.Grid]); st != http.StatusOK || len(ids) != 1 || ids[0] == id {
			t.Errorf("grid's masked export: %d %v", st, ids)
		}
		_, page := ent.get("/roster")
		if !strings.Contains(page, `name="full"`) {
			t.Error("the roster page lacks the full-number option")
		}
		if _, page := w.login(auth.Town).get("/roster"); strings.Contains(page, `name="full"`) {
			t.Error("the town sees the full-number option")
		}
		var trail struct {
			Items []struct {
				ActorName string `json:"actor_name"`
				Summary   string `json:"summary"`
			} `json:"items"`
		}
		w.api(auth.Admin, "GET", "/api/v1/audit?action=roster.export_full", nil, &trail)
		if len(trail.Items) != 2 || !strings.Contains(trail.Items[0].Summary, `"full_id_numbers":1`) {
			t.Errorf("audit of full exports: %+v", trail)
		}
	})
}
