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
	"fugong/internal/sign"
	"fugong/internal/store"
)

// On-site acceptance (现场验收) with its checklist and photos, the printable acceptance
// registration form (验收登记表), the printable resumption notice (复工复产通知书) with its
// QR code, public verification of signed tokens, and the user's inbox.

// inspectionMaterial is the attachment material of an on-site photo of a checklist item.
func inspectionMaterial(code string) string { return "inspection:" + code }

// photoCounts counts the on-site photos of an application by checklist item code.
func photoCounts(atts []application.Attachment) map[string]int {
	n := map[string]int{}
	for _, a := range atts {
		if code, ok := strings.CutPrefix(a.Material, "inspection:"); ok {
			n[code]++
		}
	}
	return n
}

// inspectCase is an application waiting for the on-site acceptance of the user.
type inspectCase struct {
	app   store.AppView
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
	if c.app, err = s.db.GetApplication(ctx, p, id); err != nil {
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
	actor, err := s.db.Actor(ctx, s.pol, p, pass.Unit)
	if err != nil {
		return c, err
	}
	if _, err := application.Step(s.pol, c.ent, c.app.Application, pass.Action, actor); err != nil {
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
	App       store.AppView
	E         enterprise.Enterprise
	Stage     policy.Stage
	Rows      []inspectRow
	Opinion   string
	Signature string
	Version   int
	Planned   time.Time
	Returning int
}

func (s *Server) inspectForm(w http.ResponseWriter, r *http.Request, status int, c inspectCase, in store.Inspection, version int, err error) error {
	got := map[string]store.CheckItemResult{}
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
	return s.inspectForm(w, r, http.StatusOK, c, store.Inspection{}, 0, nil)
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
	return nil
}

// readInspection reads the checklist form: result_<code>, note_<code>, opinion, signature.
func readInspection(r *http.Request, items []policy.CheckItem) store.Inspection {
	in := store.Inspection{Opinion: strings.TrimSpace(r.FormValue("opinion")), Signature: strings.TrimSpace(r.FormValue("signature"))}
	for _, item := range items {
		res := store.CheckItemResult{Code: item.Code, Result: r.FormValue("result_" + item.Code), Note: strings.TrimSpace(r.FormValue("note_" + item.Code))}
		if res.Result != "" || res.Note != "" {
			in.Items = append(in.Items, res)
		}
	}
	return in
}

// inspectionComment is what the enterprise reads in its inbox and history: for a failed
// acceptance, every failed item with what to fix.
func inspectionComment(action application.Action, items []policy.CheckItem, in store.Inspection) string {
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
	return s.db.AddAttachment(ctx, p, appID, application.Attachment{Material: inspectionMaterial(code), Name: name,
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
	in := readInspection(r, c.items)
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
			if c.app, err = s.db.GetApplication(ctx, p, c.app.ID); err != nil {
				return err
			}
		}
	}
	if err := ps.Err(); err != nil {
		return s.inspectForm(w, r, http.StatusUnprocessableEntity, c, in, version, err)
	}
	_, err = s.db.Transition(ctx, s.pol, s.signer, p, c.app.ID, store.TransitionRequest{
		Action: action, Comment: inspectionComment(action, c.items, in), Version: version, Inspection: &in})
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
	App       store.AppView
	E         enterprise.Enterprise
	In        store.Inspection
	Rows      []acceptanceRow
	Stage     string
	StageEN   string
	Locality  string
	Returning application.Returning
	Total     int
	Earlier   []store.Inspection // other inspections of the application, newest first
}

func (s *Server) acceptanceFormPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v, e, err := s.appByPath(r)
	if err != nil {
		return err
	}
	id := v.ID
	ins, err := s.db.Inspections(ctx, id)
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

// --- the resumption notice ---

// verifyBase is the address of the verify page on this server as the client reached it.
func verifyBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/verify"
}

// dateZH and dateEN write a day as a printed document does, in the policy's time zone.
func (s *Server) dateZH(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(s.pol.Location())
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

func (s *Server) dateEN(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.pol.Location()).Format("2 January 2006")
}

type noticeView struct {
	N                    store.Notice
	IssuerName, IssuerEN string
	Locality             string
	PlannedZH, PlannedEN string
	IssuedZH, IssuedEN   string
	RevokedZH, RevokedEN string
	VerifyURL            string
	Revoked              bool
}

func (s *Server) notice(r *http.Request) (store.Notice, error) {
	id, err := pathID(r, "通知书")
	if err != nil {
		return store.Notice{}, err
	}
	return s.db.GetNotice(r.Context(), principal(r), id)
}

func (s *Server) noticePage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.notice(r)
	if err != nil {
		return err
	}
	v, err := s.db.GetApplication(r.Context(), principal(r), n.ApplicationID)
	if err != nil {
		return err
	}
	d := noticeView{N: n, IssuerName: n.IssuerUnit, IssuerEN: n.IssuerUnit, Locality: s.pol.Locality.Name,
		PlannedZH: s.dateZH(v.PlannedAt), PlannedEN: s.dateEN(v.PlannedAt), IssuedZH: s.dateZH(n.IssuedAt), IssuedEN: s.dateEN(n.IssuedAt),
		VerifyURL: sign.VerifyURL(verifyBase(r), n.Token), Revoked: n.RevokedAt != nil}
	if u, ok := s.pol.Unit(n.IssuerUnit); ok {
		d.IssuerName, d.IssuerEN = u.Name, cmp.Or(u.NameEN, u.Name)
	}
	if n.RevokedAt != nil {
		d.RevokedZH, d.RevokedEN = s.dateZH(*n.RevokedAt), s.dateEN(*n.RevokedAt)
	}
	return s.render(w, r, http.StatusOK, "notice", "Resumption notice", d, nil)
}

func (s *Server) noticeQR(w http.ResponseWriter, r *http.Request) error {
	n, err := s.notice(r)
	if err != nil {
		return err
	}
	png, err := sign.QRPNG(sign.VerifyURL(verifyBase(r), n.Token), 300)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	_, err = w.Write(png)
	return err
}

// --- verification ---

// verification is the answer of /api/v1/verify and what the verify page shows.
type verification struct {
	Valid        bool       `json:"valid"`
	Code         string     `json:"code"` // ok, bad_signature, malformed, expired, not_yet_valid, unknown_key, revoked, not_found
	Message      string     `json:"message"`
	MessageEN    string     `json:"message_en"`
	Kind         string     `json:"kind,omitempty"` // notice, bus_letter, pass
	ID           int64      `json:"id,omitempty"`
	Serial       string     `json:"serial,omitempty"`
	Subject      string     `json:"subject,omitempty"`
	IssuedAt     time.Time  `json:"issued_at,omitzero"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokeReason string     `json:"revoke_reason,omitempty"`
}

// verificationCodes lists every code of a verification, for the API document.
var verificationCodes = []string{"ok", "bad_signature", "malformed", "expired", "not_yet_valid", "unknown_key", "revoked", "not_found"}

func kindCode(k sign.Kind) string {
	switch k {
	case sign.NoticeKind:
		return "notice"
	case sign.BusLetterKind:
		return "bus_letter"
	case sign.PassKind:
		return "pass"
	}
	return ""
}

// verifyToken checks the signature with the public key, as an offline gate device does,
// then asks the database whether the document exists and was revoked.
func (s *Server) verifyToken(ctx context.Context, token string) (verification, error) {
	claims, err := s.verify.Verify(token, time.Now())
	var v verification
	if claims.Kind != 0 {
		v.Kind, v.ID, v.Serial, v.Subject, v.IssuedAt = kindCode(claims.Kind), claims.ID, claims.Serial, claims.Subject, claims.IssuedAt
	}
	if err != nil {
		v.Code = "malformed"
		var se *sign.Error
		if errors.As(err, &se) {
			v.Code = se.Code()
		}
		v.Message, v.MessageEN = sign.Message(err)
		return v, nil
	}
	var st store.NoticeStatus
	label, labelEN := claims.Kind.Label(), claims.Kind.String()
	switch claims.Kind {
	case sign.NoticeKind:
		st, err = s.db.NoticeStatusByID(ctx, claims.ID)
	case sign.BusLetterKind:
		st, err = s.db.BusLetterStatusByID(ctx, claims.ID)
	case sign.PassKind:
		st, err = s.db.PassStatusByID(ctx, claims.ID)
	}
	if err != nil {
		return v, err
	}
	switch {
	case !st.Found || st.Serial != claims.Serial:
		v.Code = "not_found"
		v.Message = "无效:签名真实,但本系统中没有这份" + label + ",请向签发单位核实"
		v.MessageEN = "Invalid: the signature is genuine but this system holds no such " + labelEN + "; check with the issuer"
	case st.RevokedAt != nil:
		v.Code, v.RevokedAt, v.RevokeReason = "revoked", st.RevokedAt, st.RevokeReason
		v.Message = "已撤销:这份" + label + "已于 " + s.dateZH(*st.RevokedAt) + " 撤销,不得凭此复工复产或通行"
		v.MessageEN = "Revoked: this " + labelEN + " was revoked on " + s.dateEN(*st.RevokedAt) + " and no longer permits work or passage"
		if st.RevokeReason != "" {
			v.Message += "。撤销理由:" + st.RevokeReason
			v.MessageEN += ". Reason given (in Chinese): " + st.RevokeReason
		}
	default:
		v.Valid, v.Code = true, "ok"
		v.Message = "有效:这份" + label + "由本系统签发,签名真实,且未被撤销"
		v.MessageEN = "Valid: this " + labelEN + " was issued by this system, its signature is genuine and it has not been revoked"
	}
	return v, nil
}

type verifyView struct {
	Token     string
	Checked   bool
	R         verification
	KindLabel string
	IssuedZH  string
	IssuedEN  string
}

func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) error {
	d := verifyView{Token: strings.TrimSpace(r.URL.Query().Get("t"))}
	if d.Token != "" {
		var err error
		if d.R, err = s.verifyToken(r.Context(), d.Token); err != nil {
			return err
		}
		d.Checked = true
		switch d.R.Kind {
		case "notice":
			d.KindLabel = sign.NoticeKind.Label()
		case "bus_letter":
			d.KindLabel = sign.BusLetterKind.Label()
		case "pass":
			d.KindLabel = sign.PassKind.Label()
		}
		d.IssuedZH, d.IssuedEN = s.dateZH(d.R.IssuedAt), s.dateEN(d.R.IssuedAt)
	}
	return s.render(w, r, http.StatusOK, "verify", "Verify a credential", d, nil)
}

func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSpace(r.URL.Query().Get("token"))
	if token == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{
			"code": "invalid", "message": "缺少参数 token(通知书二维码中的凭证文本或核验网址)",
			"message_en": "The token parameter is missing (the credential text of a QR code, or its verification URL)",
			"problems":   []apperr.Problem{{Field: "token", Message: "请提供要核验的凭证", MessageEN: "Give the token to verify"}},
		}})
		return nil
	}
	v, err := s.verifyToken(r.Context(), token)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

type publicKey struct {
	KeyID     string `json:"key_id"`
	PublicKey string `json:"public_key"`
	PEM       string `json:"pem"`
}

func (s *Server) apiPublicKey(w http.ResponseWriter, r *http.Request) error {
	pub := s.signer.PublicKey()
	writeJSON(w, http.StatusOK, publicKey{KeyID: s.signer.KeyID(), PublicKey: sign.PublicKeyText(pub), PEM: sign.PublicKeyPEM(pub)})
	return nil
}

// --- inbox ---

type inboxView struct {
	Items  []store.Notification
	Total  int
	Unread int
	Pager  pager
}

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) error {
	page := pageOf(r)
	items, total, unread, err := s.db.ListNotifications(r.Context(), principal(r).UserID, page)
	if err != nil {
		return err
	}
	d := inboxView{Items: items, Total: total, Unread: unread, Pager: newPager(r, page, total)}
	return s.render(w, r, http.StatusOK, "inbox", "Inbox", d, nil)
}

// inboxRead marks one notification (form field id) or all of the user's as read and goes
// back to the page it came from.
func (s *Server) inboxRead(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.NewInvalid("form", "表单无法读取,请重试", "The form could not be read; try again")
	}
	id, _ := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("id")), 10, 64)
	if err := s.db.MarkRead(r.Context(), principal(r).UserID, max(id, 0)); err != nil {
		return err
	}
	if id <= 0 {
		flash(w, translate(langOf(r), "All notifications marked as read"))
	}
	next := r.PostForm.Get("next")
	if next == "" {
		next = "/inbox"
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}

type notificationList struct {
	Items  []store.Notification `json:"items"`
	Total  int                  `json:"total"`
	Unread int                  `json:"unread"`
	Page   int                  `json:"page"`
	Size   int                  `json:"size"`
}

func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request) error {
	page := pageOf(r)
	items, total, unread, err := s.db.ListNotifications(r.Context(), principal(r).UserID, page)
	if err != nil {
		return err
	}
	l := newList(items, total, page)
	writeJSON(w, http.StatusOK, notificationList{Items: l.Items, Total: l.Total, Unread: unread, Page: l.Page, Size: l.Size})
	return nil
}

// noticeSchemas are the OpenAPI schemas of the notice, verification and inbox routes.
func noticeSchemas() obj {
	dateTime := func(desc string) obj { return obj{"type": "string", "format": "date-time", "description": desc} }
	notifications := list("Notification")
	notifications["properties"].(obj)["unread"] = integer("Unread notifications of the caller (on all pages)")
	notifications["required"] = []string{"items", "total", "unread", "page", "size"}
	notifications["description"] = "One page of the caller's notifications, newest first"
	return obj{
		"Verification": object("The outcome of verifying a signed token: the signature with the public key, then (for notices and bus letters) whether this server holds the document and whether it was revoked. The claims (kind … issued_at) are given whenever the signature is genuine.",
			[]string{"valid", "code", "message", "message_en"}, obj{
				"valid":         boolean("The token is genuine, in force and not revoked"),
				"code":          obj{"type": "string", "enum": verificationCodes, "description": "ok when valid; otherwise why not"},
				"message":       str("Outcome for a person, in Chinese"),
				"message_en":    str("Outcome for a person, in English"),
				"kind":          obj{"type": "string", "enum": []string{"notice", "bus_letter", "pass"}, "description": "The document the token stands for"},
				"id":            id64("The document's id"),
				"serial":        str("The document's serial number, e.g. 复工〔2020〕第0001号"),
				"subject":       str("The enterprise (or bus, or person) the document is about"),
				"issued_at":     dateTime("When the document was issued"),
				"revoked_at":    dateTime("When the document was revoked (code revoked)"),
				"revoke_reason": str("Why it was revoked, in the words of the official who revoked it"),
			}),
		"PublicKey": object("The Ed25519 public key that verifies tokens offline (gate devices, fugong verify --key)", []string{"key_id", "public_key", "pem"}, obj{
			"key_id":     str("First 8 hex digits of the SHA-256 of the key; every token names the key that signed it"),
			"public_key": str("The 32-byte key in unpadded base64url (43 characters)"),
			"pem":        str("The key as a PEM \"PUBLIC KEY\" block"),
		}),
		"Notification": object("A message in a user's inbox", []string{"id", "kind", "title", "body", "link", "created_at"}, obj{
			"id":         id64(""),
			"kind":       str("submitted, accepted, returned, rejected, inspected, approved, revoked, withdrawn or todo (something waits for the user)"),
			"title":      str("In Chinese"),
			"body":       str("The enterprise and the comment of the step"),
			"link":       str("Path of the object on this site, e.g. /applications/12"),
			"created_at": timestamp(),
			"read_at":    readOnly(dateTime("When the user marked it read; absent while unread")),
		}),
		"NotificationList": notifications,
	}
}
