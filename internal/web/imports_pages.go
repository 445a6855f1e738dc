package web

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/enterprise"
	"fugong/internal/roster"
	"fugong/internal/xlsx"
)

// startImportJob runs an import in the background, with its progress and report kept
// in the database (so any instance can show them), and sends the browser to the job page.
func (s *Server) startImportJob(w http.ResponseWriter, r *http.Request, kind, fileName string, run func(ctx context.Context, progress func(done, total int)) (*xlsx.Result, error)) error {
	id, err := s.db.StartImportJob(r.Context(), kind, principal(r).UserID, fileName)
	if err != nil {
		return err
	}
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		ctx := context.Background()
		// The import reports its progress from inside its own write transaction, where a
		// write of the progress would wait for the writer it holds (SQLite has one): the
		// progress is kept here and written by a reporter of its own, every 300 ms.
		var mu sync.Mutex
		var done, total int
		progress := func(d, t int) {
			mu.Lock()
			done, total = d, t
			mu.Unlock()
		}
		stop, stopped := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(stopped)
			tick := time.NewTicker(300 * time.Millisecond)
			defer tick.Stop()
			written := [2]int{}
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				mu.Lock()
				now := [2]int{done, total}
				mu.Unlock()
				if now == written {
					continue
				}
				written = now
				if err := s.db.ImportProgress(ctx, id, now[0], now[1]); err != nil {
					s.log.Warn("import progress", "job", id, "err", err)
				}
			}
		}()
		res, err := run(ctx, progress)
		close(stop)
		<-stopped // no progress is written after the outcome
		failure := ""
		if err != nil {
			if e, ok := apperr.As(err); ok && e.Kind != apperr.Internal {
				failure = importFailure(e)
			} else {
				s.log.Error("import failed", "job", id, "err", err)
				failure = "导入失败,请稍后重试 / The import failed; try again later"
			}
		}
		if err := s.db.FinishImportJob(ctx, id, res, failure); err != nil {
			s.log.Error("import job", "job", id, "err", err)
		}
	}()
	http.Redirect(w, r, fmt.Sprintf("/imports/%d", id), http.StatusSeeOther)
	return nil
}

type importJobData struct {
	Job   xlsx.Job
	Field map[string]string // field key → Chinese header
	List  string            // where the imported records are listed
	Again string            // the upload page
}

// importKinds says, per kind of import job, its columns and pages.
var importKinds = map[string]struct {
	columns     []xlsx.Column
	list, again string
}{
	"enterprises": {enterprise.Columns, "/enterprises", "/enterprises/import"},
	"roster":      {roster.Columns, "/roster", "/roster/import"},
}

func (s *Server) importJobPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "导入任务")
	if err != nil {
		return err
	}
	job, err := s.db.GetImportJob(r.Context(), principal(r).UserID, id)
	if err != nil {
		return err
	}
	kind := importKinds[job.Kind]
	headers := map[string]string{"park": "所属园区", "park_id": "所属园区"}
	for _, c := range kind.columns {
		headers[c.Key] = c.Header
	}
	return s.render(w, r, http.StatusOK, "import_job", "Import", importJobData{Job: job, Field: headers, List: kind.list, Again: kind.again}, nil)
}
