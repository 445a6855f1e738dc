package web_test

import (
	"encoding/json"
	"net/http"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/web"
	"fugong/internal/xlsx"
	"fugong/internal/xlsx/xlsxtest"
)

// The sweep of the hardening issue: hostile uploads to every import route of the route
// table, each answered at once with the one answer of a bad file — 422 with a problem
// on "file", in Chinese and English — while the heap stays under a ceiling.

// uploadHeapCeiling is the most the heap may grow during the sweep, over what the
// process held before it (other tests leave their own).
const uploadHeapCeiling = 256 << 20

// hostileAnswerTime bounds one answer; a few milliseconds is expected, the bound allows
// for a slow shared machine.
const hostileAnswerTime = 10 * time.Second

// importRoutes are the routes of the table that take an uploaded sheet to import.
func importRoutes(srv *web.Server) []web.Route {
	var rs []web.Route
	for _, rt := range srv.Routes() {
		if rt.Upload && strings.HasSuffix(rt.Path, "/import") {
			rs = append(rs, rt)
		}
	}
	return rs
}

// uploader is the least powerful role of the test world allowed on rt: an enterprise
// account when it may, as in the issue.
func uploader(rt web.Route) auth.Role {
	for _, role := range []auth.Role{auth.Enterprise, auth.Park, auth.Town, auth.Admin} {
		if auth.Can(role, rt.Perm) {
			return role
		}
	}
	return ""
}

// heapWatch samples the heap in use until stopped, keeping the highest figure. While
// it watches, the collector runs when the heap has grown by a tenth rather than
// doubled, so that the figure is what the calls hold, not garbage awaiting collection.
type heapWatch struct {
	mu   sync.Mutex
	base uint64 // the heap when the watch began
	peak uint64
	gc   int // the collector's setting before
	stop chan struct{}
	done chan struct{}
}

func watchHeap() *heapWatch {
	h := &heapWatch{stop: make(chan struct{}), done: make(chan struct{}), gc: debug.SetGCPercent(10)}
	runtime.GC()
	h.sample()
	h.base = h.peak
	go func() {
		defer close(h.done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-tick.C:
				h.sample()
			}
		}
	}()
	return h
}

func (h *heapWatch) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.mu.Lock()
	h.peak = max(h.peak, ms.HeapAlloc)
	h.mu.Unlock()
}

// end stops the watch and returns by how much the heap grew at most.
func (h *heapWatch) end() uint64 {
	close(h.stop)
	<-h.done
	h.sample()
	debug.SetGCPercent(h.gc)
	return h.peak - h.base
}

func TestHostileUploads(t *testing.T) {
	// What each file is told: too large or malformed, with the limits, or not a workbook.
	const (
		tooLarge    = "表格过大或格式异常"
		tooLargeEN  = "The sheet is too large or malformed"
		notSheet    = "文件不是有效的 .xlsx 表格"
		notSheetEN  = "The file is not a valid .xlsx workbook"
		limitsShown = "120,000"
	)
	says := map[string][2]string{
		"whitespace bomb":         {tooLarge, tooLargeEN},
		"zip of death":            {tooLarge, tooLargeEN},
		"zip that is no workbook": {notSheet, notSheetEN},
		"truncated workbook":      {notSheet, notSheetEN},
		"random bytes":            {notSheet, notSheetEN},
		"stored white space":      {tooLarge, tooLargeEN},
	}
	sweep := xlsxtest.Sweep()
	for _, h := range sweep {
		if _, ok := says[h.Name]; !ok {
			t.Fatalf("the test does not know the hostile file %q", h.Name)
		}
	}
	worlds(t, func(t *testing.T, w *world) {
		routes := importRoutes(w.srv)
		var paths []string
		for _, rt := range routes {
			paths = append(paths, rt.Path)
		}
		// The three imports, each as a page and in the API.
		for _, p := range []string{"/regions/import", "/api/v1/regions/import", "/enterprises/import", "/api/v1/enterprises/import", "/roster/import", "/api/v1/employees/import"} {
			if !slices.Contains(paths, p) {
				t.Fatalf("the route table has no upload route %s among %v", p, paths)
			}
		}
		// Sign in first: hashing a password takes memory of its own.
		browsers := map[auth.Role]*browser{}
		for _, rt := range routes {
			if role := uploader(rt); !rt.API() && role != "" && browsers[role] == nil {
				browsers[role] = w.login(role)
			}
		}
		watch := watchHeap()
		for _, rt := range routes {
			role := uploader(rt)
			if role == "" {
				t.Fatalf("%s: no role of the test world may use it", rt.Path)
			}
			for _, h := range sweep {
				want := says[h.Name]
				var status int
				var body string
				start := time.Now()
				if rt.API() {
					status, body, _ = upload(t, http.DefaultClient, w.ts.URL+rt.Path, w.tokens[role], h.Data, nil)
				} else {
					status, body, _ = upload(t, browsers[role].c, w.ts.URL+rt.Path, "", h.Data, nil)
				}
				took := time.Since(start)
				if took > hostileAnswerTime {
					t.Errorf("%s %s as %s: answered after %v", h.Name, rt.Path, role, took)
				}
				if status != http.StatusUnprocessableEntity {
					t.Errorf("%s %s as %s: %d, want 422: %.300s", h.Name, rt.Path, role, status, body)
					continue
				}
				if !rt.API() {
					if !strings.Contains(body, want[0]) {
						t.Errorf("%s %s: the page does not say %q: %.2000s", h.Name, rt.Path, want[0], body)
					}
					continue
				}
				var e struct {
					Error struct {
						Code      string `json:"code"`
						Message   string `json:"message"`
						MessageEN string `json:"message_en"`
						Problems  []struct {
							Field     string `json:"field"`
							Message   string `json:"message"`
							MessageEN string `json:"message_en"`
						} `json:"problems"`
					} `json:"error"`
				}
				if err := json.Unmarshal([]byte(body), &e); err != nil {
					t.Errorf("%s %s: not the error shape: %v: %.300s", h.Name, rt.Path, err, body)
					continue
				}
				if e.Error.Code != "invalid" || e.Error.Message == "" || e.Error.MessageEN == "" || len(e.Error.Problems) != 1 {
					t.Errorf("%s %s: error %+v", h.Name, rt.Path, e.Error)
					continue
				}
				p := e.Error.Problems[0]
				if p.Field != "file" || !strings.HasPrefix(p.Message, want[0]) || !strings.HasPrefix(p.MessageEN, want[1]) {
					t.Errorf("%s %s: problem %+v, want one on file saying %q / %q", h.Name, rt.Path, p, want[0], want[1])
				}
				if want[0] == tooLarge && (!strings.Contains(p.Message, limitsShown) || !strings.Contains(p.MessageEN, limitsShown)) {
					t.Errorf("%s %s: the problem does not give the limits: %+v", h.Name, rt.Path, p)
				}
			}
		}
		grew := watch.end()
		t.Logf("%d hostile files to %d routes: the heap grew by at most %d MB, from %d MB", len(sweep), len(routes), grew>>20, watch.base>>20)
		if grew > uploadHeapCeiling {
			t.Errorf("the heap grew by %d MB, over %d MB", grew>>20, uploadHeapCeiling>>20)
		}
	})
}

// TestImportFileTooLarge sends a file over the limit on the .xlsx file: it is refused
// from its declared size, before it is read.
func TestImportFileTooLarge(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		big := xlsxtest.Random(xlsx.MaxFileBytes+1, 7)
		status, body, _ := upload(t, http.DefaultClient, w.ts.URL+"/api/v1/enterprises/import", w.tokens[auth.Town], big, nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `"field":"file"`) || !strings.Contains(body, "the file is 33 MB") {
			t.Errorf("API: %d %.400s", status, body)
		}
		status, body, _ = upload(t, w.login(auth.Town).c, w.ts.URL+"/enterprises/import", "", big, nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "文件有 33 MB") {
			t.Errorf("page: %d %.400s", status, body)
		}
	})
}

// TestImportJobSaysWhy imports from the page a sheet that passes the checks of the file
// but lacks a required column: the job fails and says which.
func TestImportJobSaysWhy(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		b := w.login(auth.Town)
		file := xlsxtest.File(xlsxtest.Row(1, "企业名称"), xlsxtest.Row(2, "某公司"))
		status, _, loc := upload(t, b.c, w.ts.URL+"/enterprises/import", "", file, nil)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/imports/") {
			t.Fatalf("upload: %d %s", status, loc)
		}
		var page string
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if _, page = b.get(loc); !strings.Contains(page, "data-job") {
				break
			}
		}
		if !strings.Contains(page, "第1行表头缺少必填列") || !strings.Contains(page, "统一社会信用代码") {
			t.Errorf("job page:\n%s", page)
		}
	})
}
