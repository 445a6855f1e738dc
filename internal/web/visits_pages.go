package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"slices"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/assign"
	"fugong/internal/enterprise"
	"fugong/internal/files"
)

// My enterprises (我的包保企业) and the visit log (走访记录): the 包保 official's phone page.

type mineRow struct {
	assign.Mine
	DutyNames  []string
	StatusName string
	Attention  bool
}

type visitRow struct {
	assign.Visit
	KindName string
}

type mineData struct {
	Items  []mineRow
	Kinds  []codeName
	Visits []visitRow
	Pager  pager
	Form   assign.Visit
	Today  string
}

func (s *Server) minePage(w http.ResponseWriter, r *http.Request) error {
	ent, err := formID(r.URL.Query().Get("enterprise"), "企业")
	if err != nil {
		return err
	}
	return s.mineView(w, r, http.StatusOK, assign.Visit{EnterpriseID: ent}, nil)
}

func (s *Server) mineView(w http.ResponseWriter, r *http.Request, status int, form assign.Visit, err error) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	mine, merr := s.db.Assignments().Mine(ctx, p)
	if merr != nil {
		return merr
	}
	f := assign.VisitFilter{UserID: p.UserID, Page: pageOf(r)}
	visits, total, verr := s.db.Assignments().Visits(ctx, p, f)
	if verr != nil {
		return verr
	}
	d := mineData{Pager: newPager(r, f.Page, total), Form: form, Today: s.today()}
	pick := func(pair [2]string) string {
		if lang == "en" {
			return pair[1]
		}
		return pair[0]
	}
	for _, m := range mine {
		row := mineRow{Mine: m, StatusName: pick(enterprise.StatusNames[enterprise.Status(m.Status)]), Attention: m.Attention()}
		for _, c := range m.Duties {
			row.DutyNames = append(row.DutyNames, dutyName(s.pol, lang, c))
		}
		d.Items = append(d.Items, row)
	}
	for _, k := range assign.VisitKinds {
		d.Kinds = append(d.Kinds, codeName{string(k), pick(assign.VisitKindNames[k])})
	}
	for _, v := range visits {
		d.Visits = append(d.Visits, visitRow{Visit: v, KindName: pick(assign.VisitKindNames[v.Kind])})
	}
	return s.render(w, r, status, "mine", "My enterprises", d, err)
}

// visitCreate logs a visit with its photos (multipart: photo, several).
func (s *Server) visitCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parsePhotoForm(r); err != nil {
		return err
	}
	ent, err := formID(r.FormValue("enterprise_id"), "企业")
	if err != nil {
		return err
	}
	v := assign.Visit{EnterpriseID: ent, Day: r.FormValue("day"), Kind: assign.VisitKind(r.FormValue("kind")), Found: r.FormValue("found"),
		Problems: r.FormValue("problems")}
	ctx, p := r.Context(), principal(r)
	if v.Photos, err = s.keepVisitPhotos(r); err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.mineView(w, r, http.StatusUnprocessableEntity, v, err)
	}
	saved, err := s.db.Assignments().LogVisit(ctx, p, v)
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.mineView(w, r, http.StatusUnprocessableEntity, v, err)
	}
	flash(w, fmt.Sprintf(translate(langOf(r), "Visit to %s logged"), saved.EnterpriseName))
	http.Redirect(w, r, "/mine", http.StatusSeeOther)
	return nil
}

// parsePhotoForm reads a multipart form with photos, saying when they are too large.
func parsePhotoForm(r *http.Request) error {
	err := parseUploadForm(r)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apperr.NewInvalid("photo", fmt.Sprintf("照片过大(上限 %d MB)", tooBig.Limit>>20), fmt.Sprintf("The photos are too large (limit %d MB)", tooBig.Limit>>20))
	}
	return err
}

// keepVisitPhotos keeps the photos of a parsed form (field photo), at most
// assign.MaxVisitPhotos, and answers their digests.
func (s *Server) keepVisitPhotos(r *http.Request) ([]string, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	fhs := r.MultipartForm.File["photo"]
	if len(fhs) > assign.MaxVisitPhotos {
		return nil, apperr.NewInvalid("photo", fmt.Sprintf("照片最多 %d 张", assign.MaxVisitPhotos), fmt.Sprintf("At most %d photos", assign.MaxVisitPhotos))
	}
	var shas []string
	for _, fh := range fhs {
		sum, err := s.storeVisitPhoto(r.Context(), fh)
		if err != nil {
			return nil, err
		}
		shas = append(shas, sum)
	}
	return shas, nil
}

// storeVisitPhoto keeps one photo of a visit and answers its digest.
func (s *Server) storeVisitPhoto(_ context.Context, fh *multipart.FileHeader) (string, error) {
	name := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	if filepath.Ext(name) == "" {
		name += photoExt[fh.Header.Get("Content-Type")]
	}
	if ct := files.Allowed[strings.ToLower(filepath.Ext(name))]; !strings.HasPrefix(ct, "image/") {
		return "", apperr.NewInvalid("photo", "走访照片须为图片(jpg、png、webp)", "Photos of a visit must be images (jpg, png, webp)")
	}
	f, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := s.files.Put(name, f)
	if err != nil {
		return "", err
	}
	return st.SHA256, nil
}

// visitPhoto serves a photo of a visit the caller may see.
func (s *Server) visitPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "走访记录")
	if err != nil {
		return err
	}
	v, err := s.db.Assignments().Visit(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	sha := r.PathValue("sha")
	if !slices.Contains(v.Photos, sha) {
		return apperr.NewNotFound("照片")
	}
	f, err := s.files.Open(sha)
	if err != nil {
		return apperr.NewNotFound("照片")
	}
	defer f.Close()
	w.Header().Set("Content-Type", "image/jpeg")
	if ct, ok := sniff(f); ok {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = io.Copy(w, f)
	return err
}

// sniff guesses the image type of a stored photo from its first bytes and rewinds it.
func sniff(f io.ReadSeeker) (string, bool) {
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", false
	}
	ct := http.DetectContentType(head[:n])
	return ct, strings.HasPrefix(ct, "image/")
}
