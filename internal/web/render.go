package web

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"reflect"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/input"
	"fugong/internal/list"
	"fugong/internal/pass"
	"fugong/internal/region"
)

type pageTemplate struct{ t *template.Template }

// loadPages parses every page once per language: layout.html and the partials (files
// starting with "_") are shared, every other file is a page defining "content".
func loadPages(fsys fs.FS, st *staticFiles, loc *time.Location) (map[string]map[string]*pageTemplate, error) {
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*pageTemplate{}
	for _, lang := range []string{"zh", "en"} {
		base := template.New("layout.html").Funcs(funcs(lang, st, loc))
		shared := []string{"templates/layout.html"}
		for _, n := range names {
			if strings.HasPrefix(n, "templates/_") {
				shared = append(shared, n)
			}
		}
		if _, err := base.ParseFS(fsys, shared...); err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		out[lang] = map[string]*pageTemplate{}
		for _, n := range names {
			page := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
			if page == "layout" || strings.HasPrefix(page, "_") {
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(fsys, n)
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", n, err)
			}
			if t.Lookup("content") == nil {
				return nil, fmt.Errorf("template %s defines no content", n)
			}
			out[lang][page] = &pageTemplate{t}
		}
	}
	return out, nil
}

func funcs(lang string, st *staticFiles, loc *time.Location) template.FuncMap {
	pick := func(pair [2]string) string {
		if lang == "en" {
			return pair[1]
		}
		return pair[0]
	}
	return template.FuncMap{
		"T":     func(s string) string { return translate(lang, s) },
		"asset": st.url,
		"roleName": func(r auth.Role) string {
			if n, ok := auth.RoleNames[r]; ok {
				return pick(n)
			}
			return string(r)
		},
		"statusName": func(s enterprise.Status) string {
			if n, ok := enterprise.StatusNames[s]; ok {
				return pick(n)
			}
			return string(s)
		},
		"levelName": func(l region.Level) string {
			if n, ok := region.LevelNames[l]; ok {
				return pick(n)
			}
			return strconv.Itoa(int(l))
		},
		"pick": func(zh, en string) string {
			if lang == "en" && en != "" {
				return en
			}
			return zh
		},
		"yesno": func(b bool) string {
			if b {
				return translate(lang, "Yes")
			}
			return translate(lang, "No")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			if lang != "en" {
				return t.In(loc).Format("2006年1月2日 15:04") // the Chinese way
			}
			return t.In(loc).Format("2006-01-02 15:04")
		},
		"clock": func(t time.Time) string { return t.In(loc).Format("15:04") },
		// lastday is the last day a pass expiring at t is valid (pass.LastDay): a pass
		// expiring at midnight is valid through the day before, as the guard reads it.
		"lastday": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			if lang != "en" {
				return pass.LastDay(*t, loc).Format("2006年1月2日")
			}
			return pass.LastDay(*t, loc).Format("2006-01-02")
		},
		"temp": func(t *float64) string {
			if t == nil {
				return ""
			}
			return strconv.FormatFloat(*t, 'f', 1, 64)
		},
		"add":  func(a, b int) int { return a + b },
		"list": func(v ...string) []string { return v },
		"eq2":  func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
	}
}

// view is what every page template gets.
type view struct {
	Lang     string
	User     *auth.User
	Title    string
	Path     string
	Query    string
	Flash    string
	Version  string
	Policy   string // version of the policy in force
	Error    string
	Problems map[string]string // field → message in the page's language
	Unread   int               // the user's unread notifications (the inbox link)
	Data     any
}

// Can lets templates show only what the user may do.
func (v view) Can(p string) bool { return v.User != nil && v.User.Principal().Can(auth.Permission(p)) }

// OneEnterprise reports whether the user sees one enterprise only (its people, its gate):
// lists then leave out the enterprise's name on every row.
func (v view) OneEnterprise() bool { return v.User != nil && v.User.Scope.Kind == auth.ScopeEnterprise }

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any, err error) error {
	lang := langOf(r)
	t, ok := s.pages[lang][page]
	if !ok {
		return fmt.Errorf("no page %q", page)
	}
	v := view{Lang: lang, User: user(r), Title: translate(lang, title), Path: r.URL.Path, Query: r.URL.RawQuery,
		Version: s.version, Policy: s.pol.Version, Data: data}
	if v.User != nil {
		// One indexed count (notifications(user_id, read_at)); a failure only hides it.
		if n, e := s.db.UnreadCount(r.Context(), v.User.ID); e == nil {
			v.Unread = n
		}
	}
	if c, e := r.Cookie("fugong_flash"); e == nil {
		v.Flash, _ = urlUnescape(c.Value)
		http.SetCookie(w, &http.Cookie{Name: "fugong_flash", Path: "/", MaxAge: -1})
	}
	if err != nil {
		v.Error, v.Problems = localize(lang, err)
	}
	var buf bytes.Buffer
	if e := t.t.ExecuteTemplate(&buf, "layout.html", v); e != nil {
		return fmt.Errorf("render %s: %w", page, e)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, e := w.Write(buf.Bytes())
	return e
}

// flash sets a one-time message shown on the next page.
func flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: "fugong_flash", Value: urlEscape(msg), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// localize turns an error into a message and field problems in lang.
func localize(lang string, err error) (string, map[string]string) {
	e, ok := apperr.As(err)
	if !ok || e.Kind == apperr.Internal {
		return translate(lang, "Something went wrong on our side; please try again. If it persists, tell the administrator."), nil
	}
	msg := e.Message
	if lang == "en" {
		msg = e.MessageEN
	}
	var ps map[string]string
	for _, p := range e.Problems {
		if ps == nil {
			ps = map[string]string{}
		}
		m := p.Message
		if lang == "en" {
			m = p.MessageEN
		}
		if old, dup := ps[p.Field]; dup {
			m = old + ";" + m
		}
		ps[p.Field] = m
	}
	return msg, ps
}

var statusOf = map[apperr.Kind]int{
	apperr.Internal:     http.StatusInternalServerError,
	apperr.Invalid:      http.StatusUnprocessableEntity,
	apperr.NotFound:     http.StatusNotFound,
	apperr.Conflict:     http.StatusConflict,
	apperr.Forbidden:    http.StatusForbidden,
	apperr.Unauthorized: http.StatusUnauthorized,
	apperr.TooMany:      http.StatusTooManyRequests,
	apperr.Unsupported:  http.StatusUnsupportedMediaType,
}

var kindName = map[apperr.Kind]string{
	apperr.Internal: "internal", apperr.Invalid: "invalid", apperr.NotFound: "not_found", apperr.Conflict: "conflict",
	apperr.Forbidden: "forbidden", apperr.Unauthorized: "unauthorized", apperr.TooMany: "too_many_requests",
	apperr.Unsupported: "unsupported_media_type",
}

// fail is the one place errors become responses: JSON for the API, a page otherwise.
// Only internal errors are logged in detail; users get a clear, localized message.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if s.hungUp(r, err) {
		return // nothing reaches a client that has gone; observe logs it
	}
	if ex := exchangeOf(r); ex != nil && ex.began {
		// Part of the answer has gone out (a download that streams, broken off by a
		// failing query): an error page would be appended to it and taken for its end.
		// observe drops the connection instead.
		s.log.Error("error after the answer began: connection dropped", "method", r.Method, "path", r.URL.Path, "err", err)
		ex.cut = statusOf[apperr.KindOf(err)]
		return
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = apperr.NewInvalid("file", fmt.Sprintf("上传内容过大(上限 %d MB)", tooBig.Limit>>20), fmt.Sprintf("The upload is too large (limit %d MB)", tooBig.Limit>>20))
	}
	kind := apperr.KindOf(err)
	if kind == apperr.Internal {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	status := statusOf[kind]
	if strings.HasPrefix(r.URL.Path, "/api/") {
		body := map[string]any{"code": kindName[kind]}
		if e, ok := apperr.As(err); ok && kind != apperr.Internal {
			body["message"], body["message_en"] = e.Message, e.MessageEN
			if len(e.Problems) > 0 {
				body["problems"] = e.Problems
			}
		} else {
			body["message"], body["message_en"] = "服务器内部错误,请稍后重试", "Internal error; please try again later"
		}
		writeJSON(w, status, map[string]any{"error": body})
		return
	}
	if e := s.render(w, r, status, "error", "Error", nil, err); e != nil {
		http.Error(w, http.StatusText(status), status)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// decodeJSON reads a JSON body into dst, refusing unknown fields and trailing data. Every
// string of the body (names and values) must pass the text rules of package input, and
// the body as a whole input.CheckBody (a PATCH must change something, a version sent is at
// least 1); a body in another character set than UTF-8 is refused (checkCharset).
func decodeJSON(r *http.Request, dst any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	return decodeJSONBody(r, body, dst)
}

// readBody reads the whole body of r; one over the route's limit is refused with it.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, bodyTooLarge(tooBig)
		}
		return nil, apperr.NewInvalid("body", "请求体读取失败,请重试", "The body could not be read; try again")
	}
	return body, nil
}

// decodeJSONBody is decodeJSON of a body already read (readBody).
func decodeJSONBody(r *http.Request, body []byte, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return apperr.NewInvalid("body", "请求体须为 JSON(Content-Type: application/json)", "The body must be JSON (Content-Type: application/json)")
	}
	if err := checkCharset(r); err != nil {
		return err
	}
	if json.Valid(body) {
		if ps := input.CheckJSON(body); len(ps) > 0 {
			return ps.Err()
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			zh, en := jsonKind(typeErr.Type)
			return apperr.NewInvalid(cmp.Or(typeErr.Field, "body"), "类型不正确,应为"+zh, "Wrong type, expected "+en)
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			f = strings.Trim(f, `"`)
			return apperr.NewInvalid(f, "未知字段 "+f, "Unknown field "+f)
		}
		if errors.Is(err, io.EOF) {
			return apperr.NewInvalid("body", "请求体为空", "The body is empty")
		}
		return apperr.NewInvalid("body", "JSON 格式错误:"+err.Error(), "Malformed JSON: "+err.Error())
	}
	if dec.More() {
		return apperr.NewInvalid("body", "JSON 后面有多余内容", "Extra data after the JSON value")
	}
	return input.CheckBody(body, r.Method == http.MethodPatch)
}

// jsonKind names the kind of JSON value a Go type is decoded from, in Chinese and English.
func jsonKind(t reflect.Type) (string, string) {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "对象", "an object"
	case reflect.Slice, reflect.Array:
		return "数组", "an array"
	case reflect.String:
		return "字符串", "a string"
	case reflect.Bool:
		return "布尔值 true 或 false", "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "整数", "a whole number"
	case reflect.Float32, reflect.Float64:
		return "数字", "a number"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return t.String(), t.String()
}

// noBody reads the body of a route that takes none: nothing, or an empty JSON object;
// anything else is refused, so that a request is never acted on while its body is
// ignored.
func noBody(r *http.Request) error {
	body, err := readBody(r)
	if err != nil || len(bytes.TrimSpace(body)) == 0 {
		return err
	}
	return decodeJSONBody(r, body, &struct{}{})
}

// pathID parses the {id} path value.
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NewNotFound(what)
	}
	return id, nil
}

// formInt parses an optional integer form or query value.
func intValue(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// setIf copies *v into *dst when v is not nil: a field that a PATCH body sent.
func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// pager links the pages of a list, keeping the current filters.
type pager struct {
	Number, Pages, Total, Size int
	path                       string
	query                      url.Values
}

func newPager(r *http.Request, page list.Page, total int) pager {
	if page.Size <= 0 {
		page.Size = 20
	}
	if page.Number <= 0 {
		page.Number = 1
	}
	pages := (total + page.Size - 1) / page.Size
	return pager{Number: page.Number, Pages: pages, Total: total, Size: page.Size, path: r.URL.Path, query: r.URL.Query()}
}

// Link is the address of page n with the same filters.
func (p pager) Link(n int) string {
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return p.path + "?" + q.Encode()
}

// pageOf reads page and size from the query.
func pageOf(r *http.Request) list.Page {
	q := r.URL.Query()
	return list.Page{Number: intValue(q.Get("page")), Size: intValue(q.Get("size"))}
}

// --- JSON API ---

type listResponse[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	Page  int `json:"page"`
	Size  int `json:"size"`
}

func newList[T any](items []T, total int, page list.Page) listResponse[T] {
	if items == nil {
		items = []T{}
	}
	if page.Number <= 0 {
		page.Number = 1
	}
	if page.Size <= 0 {
		page.Size = 20
	}
	return listResponse[T]{Items: items, Total: total, Page: page.Number, Size: min(page.Size, list.MaxSize)}
}

// uploadedFile reads the "file" part of a multipart form into memory, with the file's
// base name (as a Windows browser may send a whole path).
func uploadedFile(r *http.Request) ([]byte, string, error) {
	f, h, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, "", err
		}
		if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) || errors.Is(err, multipart.ErrMessageTooLarge) {
			return nil, "", apperr.NewInvalid("file", "请选择要上传的文件", "Choose a file to upload")
		}
		return nil, "", apperr.NewInvalid("file", "上传失败,请重试", "The upload failed; try again")
	}
	defer f.Close()
	if err := checkForm(r); err != nil {
		return nil, "", err
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, "", err
	}
	name := path.Base(strings.ReplaceAll(h.Filename, `\`, "/"))
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	return b, name, nil
}

func cmpOr(a, b int64) int64 {
	if a != 0 {
		return a
	}
	return b
}
