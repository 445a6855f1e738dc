package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/files"
	"fugong/internal/policy"
)

// On-site acceptance (现场验收) with its checklist and photos, and the printable acceptance
// registration form (验收登记表).

// acceptanceMaterial is the attachment material of an on-site photo of a checklist item.

// photoCounts counts the on-site photos of an application by checklist item code.
func photoCounts(atts []application.Attachment) map[string]int {
	n := map[string]int{}
	for _, a := range atts {
		if code, ok := application.PhotoItem(a.Material); ok {
			n[code]++
		}
	}
	return n
}

// inspectCase is an application waiting for the on-site acceptance of the user.
type inspectCase struct {
	app   application.View
	ent   enterprise.Enterprise
	stage policy.Stage
	items []policy.CheckItem
}

// inspectable loads the application of the request and checks that it waits for an
// on-site acceptance (a checklist stage) and that the user is the one to do it: 409 when
// the application is elsewhere in its workflow, 403 (with who acts) when another role or
// unit does the acceptance.
func (s *Server) inspectable(r *http.Request) (inspectCase, error) {
	var c inspectCase
	id, err := pathID(r, "申请")
	if err != nil {
		return c, err
	}
	ctx, p := r.Context(), principal(r)
	if c.app, err = s.db.Applications().Get(ctx, p, id); err != nil {
		return c, err
	}
	if c.ent, err = s.db.GetEnterprise(ctx, p, c.app.EnterpriseID); err != nil {
		return c, err
	}
	ts, err := application.Transitions(s.pol, c.ent, c.app.Application)
	if err != nil {
		return c, err
	}
	var pass *application.Transition
	for i, t := range ts {
		if t.Checklist && (t.Action == application.Pass || t.Action == application.Fail) {
			pass = &ts[i]
			break
		}
	}
	if pass == nil {
		zh, en := application.StatusName(s.pol, c.ent, c.app.Application)
		return c, apperr.NewConflict(
			fmt.Sprintf("该申请当前为「%s」,不在现场验收环节,不能填写验收清单", zh),
			fmt.Sprintf("The application is %q: it is not at the on-site acceptance stage, so the checklist cannot be filled in", en))
	}
	units, err := s.db.Applications().Units(ctx, p)
	if err != nil {
		return c, err
	}
	if _, err := application.Step(s.pol, c.ent, c.app.Application, pass.Action, application.ActorFor(p, units, *pass)); err != nil {
		return c, err
	}
	c.stage, _ = application.StageOf(s.pol, c.ent, c.app.Application)
	c.items = s.pol.ChecklistFor(application.Flags(c.ent, c.app.Application, s.pol))
	return c, nil
}

type inspectRow struct {
	policy.CheckItem
	N      int
	Result string // pass, fail, na or "" (not yet chosen)
	Note   string
	Photos int // photos kept so far
}

type inspectView struct {
	App       application.View
	E         enterprise.Enterprise
	Stage     policy.Stage
	Rows      []inspectRow
	Opinion   string
	Signature string
	Version   int
	Planned   time.Time
	Returning int
}

func (s *Server) inspectForm(w http.ResponseWriter, r *http.Request, status int, c inspectCase, in application.Acceptance, version int, err error) error {
	got := map[string]application.ItemResult{}
	for _, it := range in.Items {
		got[it.Code] = it
	}
	photos := photoCounts(c.app.Attachments)
	d := inspectView{App: c.app, E: c.ent, Stage: c.stage, Opinion: in.Opinion, Signature: in.Signature,
		Version: cmp.Or(version, c.app.Version), Planned: c.app.PlannedAt, Returning: c.app.Returning.Total()}
	for i, item := range c.items {
		d.Rows = append(d.Rows, inspectRow{CheckItem: item, N: i + 1, Result: got[item.Code].Result, Note: got[item.Code].Note, Photos: photos[item.Code]})
	}
	return s.render(w, r, status, "inspect", "On-site acceptance", d, err)
}

func (s *Server) inspectPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.inspectable(r)
	if err != nil {
		return err
	}
	return s.inspectForm(w, r, http.StatusOK, c, application.Acceptance{}, 0, nil)
}

// parseUploadForm reads a multipart form (photos) or, from a client that sends no file,
// a plain one.
func parseUploadForm(r *http.Request) error {
	err := r.ParseMultipartForm(8 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return apperr.NewInvalid("form", "表单无法读取,请重试", "The form could not be read; try again")
	}
	return checkForm(r)
}

// readAcceptance reads the checklist form: result_<code>, note_<code>, opinion, signature.
func readAcceptance(r *http.Request, items []policy.CheckItem) application.Acceptance {
	in := application.Acceptance{Opinion: strings.TrimSpace(r.FormValue("opinion")), Signature: strings.TrimSpace(r.FormValue("signature"))}
	for _, item := range items {
		res := application.ItemResult{Code: item.Code, Result: r.FormValue("result_" + item.Code), Note: strings.TrimSpace(r.FormValue("note_" + item.Code))}
		if res.Result != "" || res.Note != "" {
			in.Items = append(in.Items, res)
		}
	}
	return in
}

// acceptanceComment is what the enterprise reads in its inbox and history: for a failed
// acceptance, every failed item with what to fix.
func acceptanceComment(action application.Action, items []policy.CheckItem, in application.Acceptance) string {
	var b strings.Builder
	if action == application.Fail {
		b.WriteString("现场验收不合格,请整改以下项目后重新提交:")
		n := 0
		for _, item := range items {
			for _, it := range in.Items {
				if it.Code == item.Code && it.Result == "fail" {
					n++
					fmt.Fprintf(&b, "\n%d. %s:%s", n, item.Name, it.Note)
				}
			}
		}
		if in.Opinion != "" {
			b.WriteString("\n初验收意见:" + in.Opinion)
		}
		return b.String()
	}
	return "现场验收合格。初验收意见:" + in.Opinion
}

// photoExt guesses the extension of a photo sent without one (some phone cameras).
var photoExt = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif"}

// storePhoto keeps one uploaded on-site photo and records it on the application.
func (s *Server) storePhoto(ctx context.Context, p auth.Principal, appID int64, code string, fh *multipart.FileHeader) error {
	name := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	if filepath.Ext(name) == "" {
		name += photoExt[fh.Header.Get("Content-Type")]
	}
	for utf8.RuneCountInString(name) > 200 {
		_, size := utf8.DecodeRuneInString(name)
		name = name[size:]
	}
	if ct := files.Allowed[strings.ToLower(filepath.Ext(name))]; !strings.HasPrefix(ct, "image/") {
		return apperr.NewInvalid("file", "现场照片须为图片(jpg、png、webp)", "On-site photos must be images (jpg, png, webp)")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := s.files.Put(name, f)
	if err != nil {
		return err
	}
	return s.db.Applications().AddAttachment(ctx, p, appID, application.Attachment{Material: application.PhotoMaterial(code), Name: name,
		SHA256: st.SHA256, Size: st.Size, ContentType: st.ContentType})
}

// inspectSubmit keeps the photos, then records the acceptance (pass or fail) in one
// transition. Problems re-render the form with each item's message next to it.
func (s *Server) inspectSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseUploadForm(r); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	c, err := s.inspectable(r)
	if err != nil {
		return err
	}
	ctx, p := r.Context(), principal(r)
	in := readAcceptance(r, c.items)
	version, _ := strconv.Atoi(r.FormValue("version"))
	action := application.Action(r.FormValue("action"))

	var ps apperr.Problems
	if action != application.Pass && action != application.Fail {
		ps.Add("action", "请点击「验收合格」或「验收不合格,退回整改」", "Choose pass or fail")
	}
	if r.MultipartForm != nil {
		stored := 0
		for _, item := range c.items {
			for _, fh := range r.MultipartForm.File["photo_"+item.Code] {
				err := s.storePhoto(ctx, p, c.app.ID, item.Code, fh)
				if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
					msg, msgEN := e.Message, e.MessageEN
					if len(e.Problems) > 0 {
						msg, msgEN = e.Problems[0].Message, e.Problems[0].MessageEN
					}
					ps.Add("items."+item.Code, "照片 "+fh.Filename+":"+msg, "Photo "+fh.Filename+": "+msgEN)
					continue
				}
				if err != nil {
					return err
				}
				stored++
			}
		}
		if stored > 0 {
			if c.app, err = s.db.Applications().Get(ctx, p, c.app.ID); err != nil {
				return err
			}
		}
	}
	if err := ps.Err(); err != nil {
		return s.inspectForm(w, r, http.StatusUnprocessableEntity, c, in, version, err)
	}
	_, err = s.db.Applications().Transition(ctx, p, c.app.ID, application.Request{
		Action: action, Comment: acceptanceComment(action, c.items, in), Version: version, Acceptance: &in})
	if apperr.KindOf(err) == apperr.Invalid {
		return s.inspectForm(w, r, http.StatusUnprocessableEntity, c, in, version, err)
	}
	if err != nil {
		return err
	}
	msg := "On-site acceptance passed; the application goes on for approval"
	if action == application.Fail {
		msg = "On-site acceptance failed; the application is returned to the enterprise with the items to fix"
	}
	flash(w, translate(langOf(r), msg))
	http.Redirect(w, r, fmt.Sprintf("/applications/%d", c.app.ID), http.StatusSeeOther)
	return nil
}

// --- acceptance registration form ---

type acceptanceRow struct {
	N            int
	Code         string
	Name, NameEN string
	Result, Note string
	Photos       int
}

type acceptanceView struct {
	App       application.View
	E         enterprise.Enterprise
	In        application.Acceptance
	Rows      []acceptanceRow
	Stage     string
	StageEN   string
	Locality  string
	Returning application.Returning
	Total     int
	Earlier   []application.Acceptance // other inspections of the application, newest first
}

func (s *Server) acceptanceFormPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v, e, err := s.appByPath(r)
	if err != nil {
		return err
	}
	id := v.ID
	ins, err := s.db.Applications().Acceptances(ctx, id)
	if err != nil {
		return err
	}
	if len(ins) == 0 {
		return &apperr.Error{Kind: apperr.NotFound, Message: "该申请尚无现场验收记录,验收登记表在网格现场验收后生成",
			MessageEN: "No on-site acceptance has been recorded for this application yet; the form exists once the grid has inspected"}
	}
	pick := 0
	if want, _ := strconv.ParseInt(r.URL.Query().Get("inspection"), 10, 64); want != 0 {
		pick = -1
		for i, in := range ins {
			if in.ID == want {
				pick = i
			}
		}
		if pick < 0 {
			return apperr.NewNotFound("验收记录")
		}
	}
	in := ins[pick]
	d := acceptanceView{App: v, E: e, In: in, Locality: s.pol.Locality.Name, Returning: v.Returning, Total: v.Returning.Total(), Stage: in.Stage, StageEN: in.Stage}
	for _, st := range s.pol.Stages {
		if st.Code == in.Stage {
			d.Stage, d.StageEN = st.Name, cmp.Or(st.NameEN, st.Name)
		}
	}
	for i, other := range ins {
		if i != pick {
			d.Earlier = append(d.Earlier, other)
		}
	}
	names := map[string]policy.CheckItem{}
	for _, c := range s.pol.Checklist {
		names[c.Code] = c
	}
	photos := photoCounts(v.Attachments)
	for i, it := range in.Items {
		item, ok := names[it.Code]
		if !ok {
			item = policy.CheckItem{Code: it.Code, Name: it.Code, NameEN: it.Code}
		}
		d.Rows = append(d.Rows, acceptanceRow{N: i + 1, Code: it.Code, Name: item.Name, NameEN: cmp.Or(item.NameEN, item.Name),
			Result: it.Result, Note: it.Note, Photos: photos[it.Code]})
	}
	return s.render(w, r, http.StatusOK, "acceptance_form", "Acceptance registration form", d, nil)
}
