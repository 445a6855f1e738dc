package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/region"
	"fugong/internal/xlsx"
)

// regionVisible reports whether the region lies in the principal's scope.
func (s *Server) regionVisible(ctx context.Context, p auth.Principal, code string) (bool, error) {
	if _, err := s.db.GetRegion(ctx, p, code); err != nil {
		if apperr.KindOf(err) == apperr.NotFound {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// regionProblems renames SaveRegions' problems of the single region saved
// ("regions[0].code") to the form's fields ("code").
func regionProblems(err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		return err
	}
	out := *e
	out.Problems = make([]apperr.Problem, len(e.Problems))
	for i, p := range e.Problems {
		p.Field = regionFieldRE.ReplaceAllString(p.Field, "")
		out.Problems[i] = p
	}
	return &out
}

var regionFieldRE = regexp.MustCompile(`^regions\[\d+\]\.`)

type regionsData struct {
	Parent   *region.Region  // the region whose children are listed; nil at the top
	Path     []region.Region // breadcrumb to Parent, root first, regions in scope only
	Q        string
	Items    []region.Region
	Pager    pager
	Form     region.Region // the add-or-rename form
	Renaming bool          // the form holds an existing region
	Counts   bool          // enterprise counts are shown
}

func (s *Server) regionsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var form region.Region
	renaming := false
	if code := q.Get("code"); code != "" && principal(r).Can(auth.RegionsManage) {
		reg, err := s.db.GetRegion(r.Context(), principal(r), normCode(code))
		if err != nil {
			return err
		}
		form, renaming = reg, true
	}
	return s.regionsView(w, r, http.StatusOK, normCode(q.Get("parent")), form, renaming, nil)
}

// regionsView renders the regions page listing the children of parent, with the form
// holding form and the problems of err.
func (s *Server) regionsView(w http.ResponseWriter, r *http.Request, status int, parent string, form region.Region, renaming bool, err error) error {
	ctx, p := r.Context(), principal(r)
	d := regionsData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Form: form, Renaming: renaming, Counts: p.Can(auth.EnterprisesView)}
	if parent != "" {
		par, gerr := s.db.GetRegion(ctx, p, parent)
		if gerr != nil {
			return gerr
		}
		d.Parent = &par
		path, gerr := s.db.RegionPath(ctx, parent)
		if gerr != nil {
			return gerr
		}
		for _, a := range path {
			ok, gerr := s.regionVisible(ctx, p, a.Code)
			if gerr != nil {
				return gerr
			}
			if ok {
				d.Path = append(d.Path, a)
			}
		}
	}
	page := pageOf(r)
	items, total, lerr := s.db.ListRegions(ctx, p, region.Filter{Parent: parent, Q: d.Q, Page: page})
	if lerr != nil {
		return lerr
	}
	if cerr := s.withEnterpriseCounts(ctx, p, items); cerr != nil {
		return cerr
	}
	d.Items, d.Pager = items, newPager(r, page, total)
	title := "Regions"
	if d.Parent != nil {
		title = d.Parent.Name
	}
	return s.render(w, r, status, "regions", title, d, err)
}

// regionSave adds a region or renames one (the same code).
func (s *Server) regionSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取", "The form could not be read")
	}
	ctx, p := r.Context(), principal(r)
	f := r.PostForm
	reg := region.Region{Code: strings.TrimSpace(f.Get("code")), Name: f.Get("name")}
	back := normCode(f.Get("parent"))
	if back != "" {
		// Only return to a list the user may see.
		if ok, err := s.regionVisible(ctx, p, back); err != nil {
			return err
		} else if !ok {
			back = ""
		}
	}
	created, updated, err := s.db.SaveRegions(ctx, p, []region.Region{reg})
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.regionsView(w, r, http.StatusUnprocessableEntity, back, reg, f.Get("renaming") == "1", regionProblems(err))
	}
	lang := langOf(r)
	code := normCode(reg.Code)
	switch {
	case created > 0:
		flash(w, fmt.Sprintf(translate(lang, "Region %s added"), code))
	case updated > 0:
		flash(w, fmt.Sprintf(translate(lang, "Region %s renamed"), code))
	default:
		flash(w, translate(lang, "Nothing changed"))
	}
	// Show the list the region is in.
	to := "/regions"
	if saved, err := s.db.GetRegion(ctx, p, code); err == nil && saved.ParentCode != "" {
		if ok, err := s.regionVisible(ctx, p, saved.ParentCode); err != nil {
			return err
		} else if ok {
			to = "/regions?parent=" + url.QueryEscape(saved.ParentCode)
		}
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// --- import and export ---

type regionImportData struct {
	Columns []xlsx.Column
	Errors  []xlsx.RowError
	Header  map[string]string // field key → header of the sheet
}

func newRegionImportData(errs []xlsx.RowError) regionImportData {
	h := map[string]string{}
	for _, c := range regionColumns {
		h[c.Key] = c.Header
	}
	return regionImportData{Columns: regionColumns, Errors: errs, Header: h}
}

func (s *Server) regionImportPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "region_import", "Import regions", newRegionImportData(nil), nil)
}

func (s *Server) regionImport(w http.ResponseWriter, r *http.Request) error {
	page := func(err error, rowErrs []xlsx.RowError) error {
		return s.render(w, r, http.StatusUnprocessableEntity, "region_import", "Import regions", newRegionImportData(rowErrs), err)
	}
	b, _, err := uploadedSheet(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = apperr.NewInvalid("file", fmt.Sprintf("上传内容过大(上限 %d MB)", tooBig.Limit>>20), fmt.Sprintf("The upload is too large (limit %d MB)", tooBig.Limit>>20))
		}
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return page(err, nil)
	}
	created, updated, rowErrs, err := s.importRegions(r.Context(), principal(r), bytes.NewReader(b))
	switch {
	case err != nil && apperr.KindOf(err) == apperr.Invalid:
		return page(err, nil)
	case err != nil:
		return err
	case len(rowErrs) > 0:
		return page(&apperr.Error{Kind: apperr.Invalid,
			Message:   fmt.Sprintf("表格有 %d 处问题,未写入任何数据。请按下表修改后重新上传。", len(rowErrs)),
			MessageEN: fmt.Sprintf("The sheet has %d problems; nothing was written. Correct them as listed below and upload it again.", len(rowErrs))}, rowErrs)
	}
	flash(w, fmt.Sprintf(translate(langOf(r), "Regions imported: %d new, %d renamed"), created, updated))
	http.Redirect(w, r, "/regions", http.StatusSeeOther)
	return nil
}

func (s *Server) regionExport(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.db.AllRegions(r.Context(), principal(r))
	if err != nil {
		return err
	}
	name := fmt.Sprintf("区域-%s.xlsx", time.Now().In(s.pol.Location()).Format("20060102-1504"))
	xlsxDownload(w, "regions.xlsx", name)
	return xlsx.Write(w, "区域", regionColumns, func(yield func([]any) error) error {
		for _, reg := range rs {
			if err := yield([]any{reg.Code, reg.Name, reg.ParentCode}); err != nil {
				return err
			}
		}
		return nil
	})
}
