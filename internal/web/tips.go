package web

import (
	"context"
	"crypto/sha256"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/files"
	"fugong/internal/input"
	"fugong/internal/sign"
	"fugong/internal/tip"
)

// Public tips (举报), shared by the public page, the handlers' pages and the API.

// tipPhotoMax is the largest photo a tip takes: a phone photo, as for the gate's photos
// and home grid certificates.
const tipPhotoMax = 10 << 20

// tipFormKey is the key of the tips' form tokens: derived from the signing key (an
// Ed25519 signature is deterministic), so that every instance of the server shares it
// and it survives a restart, without a secret of its own to keep.
func tipFormKey(signer *sign.Signer) []byte {
	sum := sha256.Sum256(signer.SignDetached("fugong tip form key", nil))
	return sum[:]
}

// tipFromForm reads a tip from a form (the public page, or a multipart API call).
func tipFromForm(r *http.Request, loc *time.Location) (tip.Input, error) {
	ent, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue("enterprise_id")), 10, 64)
	in := tip.Input{Category: r.FormValue("category"), EnterpriseID: ent, EnterpriseName: r.FormValue("enterprise_name"),
		Address: r.FormValue("address"), Town: r.FormValue("town"), Place: r.FormValue("place"), Description: r.FormValue("description"),
		ReporterName: r.FormValue("reporter_name"), ReporterPhone: r.FormValue("reporter_phone"), FormToken: r.FormValue("form_token")}
	if v := strings.TrimSpace(r.FormValue("happened_at")); v != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", v, loc)
		if err != nil {
			if t, err = time.Parse(time.RFC3339, v); err != nil {
				return in, apperr.NewInvalid("happened_at", "时间格式不正确", "The time is not valid")
			}
		}
		in.HappenedAt = &t
	}
	return in, nil
}

// photoHeaders are the photos of a multipart form.
func photoHeaders(r *http.Request) []*multipart.FileHeader {
	if r.MultipartForm == nil {
		return nil
	}
	var out []*multipart.FileHeader
	for _, fh := range r.MultipartForm.File["photos"] {
		if fh.Size > 0 || fh.Filename != "" {
			out = append(out, fh)
		}
	}
	return out
}

// storeTipPhotos keeps the photos of a tip: images only, each at most tipPhotoMax, their
// content matching their kind (files.Put). Every refusal is a problem on photos.
func (s *Server) storeTipPhotos(fhs []*multipart.FileHeader) ([]tip.Photo, error) {
	var ps apperr.Problems
	var out []tip.Photo
	for _, fh := range fhs {
		name := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
		if filepath.Ext(name) == "" {
			name += photoExt[fh.Header.Get("Content-Type")]
		}
		for utf8.RuneCountInString(name) > 200 {
			_, size := utf8.DecodeRuneInString(name)
			name = name[size:]
		}
		if ct := files.Allowed[strings.ToLower(filepath.Ext(name))]; !strings.HasPrefix(ct, "image/") {
			ps.Add("photos", "照片 "+name+":须为图片(jpg、png、webp)", "Photo "+name+": must be an image (jpg, png, webp)")
			continue
		}
		if fh.Size > tipPhotoMax {
			ps.Add("photos", "照片 "+name+":超过 10 MB", "Photo "+name+": larger than 10 MB")
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		st, err := s.files.Put(name, f)
		f.Close()
		if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
			msg, msgEN := e.Message, e.MessageEN
			if len(e.Problems) > 0 {
				msg, msgEN = e.Problems[0].Message, e.Problems[0].MessageEN
			}
			ps.Add("photos", "照片 "+name+":"+msg, "Photo "+name+": "+msgEN)
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, tip.Photo{SHA256: st.SHA256, ContentType: st.ContentType, Size: st.Size})
	}
	return out, ps.Err()
}

// submitTip checks the form token and the input, keeps the photos and records the tip
// from the client's address (behind a trusted proxy, the one it names). It returns the
// receipt code.
func (s *Server) submitTip(ctx context.Context, r *http.Request, in tip.Input, fhs []*multipart.FileHeader) (string, error) {
	now := s.db.Now()
	if err := tip.CheckFormToken(s.tipKey, in.FormToken, now); err != nil {
		return "", err
	}
	if in.EnterpriseID == 0 && in.EnterpriseName != "" {
		// A name typed in full that is registered once is that enterprise.
		found, err := s.db.Tips().FindEnterprises(ctx, in.EnterpriseName)
		if err != nil {
			return "", err
		}
		var match []int64
		for _, e := range found {
			if e.Name == strings.TrimSpace(in.EnterpriseName) {
				match = append(match, e.ID)
			}
		}
		if len(match) == 1 {
			in.EnterpriseID = match[0]
		}
	}
	if err := joinErrors(in.Validate(s.pol, len(fhs), now)); err != nil {
		return "", err
	}
	// Refused by the limits, a tip keeps nothing: its photos are not stored either.
	if err := s.db.Tips().Admit(ctx, clientAddr(r)); err != nil {
		return "", err
	}
	photos, err := s.storeTipPhotos(fhs)
	if err != nil {
		return "", err
	}
	return s.db.Tips().Submit(ctx, in, photos, clientAddr(r))
}

// tipRetryAfter sets Retry-After on a refusal of the tips' limits.
func tipRetryAfter(w http.ResponseWriter, err error) {
	if secs, ok := tip.RetryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
}

// tipFilter reads the handlers' filter from the query, refusing a status, a category or
// a flag that does not exist.
func (s *Server) tipFilter(r *http.Request) (tip.Filter, error) {
	q := r.URL.Query()
	overdue, err := input.Flag("overdue", q.Get("overdue"))
	f := tip.Filter{Status: q.Get("status"), Category: q.Get("category"), Q: q.Get("q"), Overdue: overdue, Page: pageOf(r)}
	var ps apperr.Problems
	if e, ok := apperr.As(err); ok {
		ps = append(ps, e.Problems...)
	}
	if p := input.OneOf("status", f.Status, tip.Statuses); p != nil {
		ps = append(ps, *p)
	}
	if _, ok := s.pol.TipCategory(f.Category); f.Category != "" && !ok {
		ps.Add("category", "未知的举报类别", "Unknown category")
	}
	return f, ps.Err()
}
