package web

import (
	"errors"
	"fmt"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/input"
)

// The text-hygiene step: guard runs checkRequest on every request before its handler, so
// that no handler sees a path value, query value or form value that breaks the rules of
// package input (valid UTF-8, no control or text-direction characters, a length per
// field); decodeJSON applies the same rules to every string of a JSON body, and the
// upload helpers to the text parts of a multipart form. A value that breaks them is
// refused with a problem naming its field, never repaired.

// checkRequest checks the request's character set, path values (params: the route's
// path parameters), query and — except on upload routes, whose handlers read their
// multipart bodies themselves — its form.
func checkRequest(r *http.Request, rt Route, params []string) error {
	if err := checkCharset(r); err != nil {
		return err
	}
	var ps apperr.Problems
	for _, name := range params {
		addProblem(&ps, input.CheckText(name, r.PathValue(name)))
	}
	if rt.Upload {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return unreadableForm()
		}
		checkValues(&ps, q, nil)
		return ps.Err()
	}
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		err = r.ParseMultipartForm(maxFormBytes)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return formError(err)
	}
	checkValues(&ps, r.Form, r.MultipartForm)
	return ps.Err()
}

// checkForm checks the values and file names of a form its handler has parsed (the
// multipart forms of the upload routes).
func checkForm(r *http.Request) error {
	var ps apperr.Problems
	checkValues(&ps, r.Form, r.MultipartForm)
	return ps.Err()
}

// checkValues adds the problems of form or query values, and of the file names of a
// multipart form: each field's values against the field's rule, a version sent against
// the rule of versions.
func checkValues(ps *apperr.Problems, vals url.Values, mf *multipart.Form) {
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		if p := input.CheckName("form", k); p != nil {
			addProblem(ps, p)
			continue
		}
		for _, v := range vals[k] {
			addProblem(ps, input.CheckText(k, v))
		}
		if k == "version" && len(vals[k]) > 0 {
			if e, ok := apperr.As(input.CheckVersion(strings.TrimSpace(vals[k][0]))); ok {
				*ps = append(*ps, e.Problems...)
			}
		}
	}
	if mf == nil {
		return
	}
	for _, k := range slices.Sorted(maps.Keys(mf.File)) {
		for _, fh := range mf.File[k] {
			if p := input.CheckText(k, fh.Filename); p != nil {
				p.Message, p.MessageEN = "文件名有误:"+p.Message, "The file name is wrong: "+p.MessageEN
				addProblem(ps, p)
			}
		}
	}
}

// joinErrors is one invalid error with the problems of every invalid error of errs (nil
// ones skipped); an error of another kind is answered first, as it is.
func joinErrors(errs ...error) error {
	var ps apperr.Problems
	for _, err := range errs {
		if err == nil {
			continue
		}
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.Invalid {
			return err
		}
		ps = append(ps, e.Problems...)
	}
	return ps.Err()
}

func addProblem(ps *apperr.Problems, p *apperr.Problem) {
	if p != nil && len(*ps) < input.MaxProblems {
		*ps = append(*ps, *p)
	}
}

// checkCharset refuses a body in a character set other than UTF-8: the server would read
// it as UTF-8 and store something else than what was meant.
func checkCharset(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return apperr.NewUnsupported("无法识别请求的 Content-Type:"+ct, "Unreadable Content-Type of the request: "+ct)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return apperr.NewUnsupported("请求体须以 UTF-8 编码(charset="+cs+" 不受支持)",
			"The body must be encoded in UTF-8 (charset="+cs+" is not supported)")
	}
	return nil
}

// formError is the answer to a form or query that cannot be parsed.
func formError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return bodyTooLarge(tooBig)
	}
	return unreadableForm()
}

func unreadableForm() error {
	return apperr.NewInvalid("form", "表单或查询参数无法读取(编码有误)", "The form or the query cannot be read (bad encoding)")
}

func bodyTooLarge(e *http.MaxBytesError) error {
	return apperr.NewInvalid("body", fmt.Sprintf("请求内容过大(上限 %d MB)", e.Limit>>20), fmt.Sprintf("The request is too large (limit %d MB)", e.Limit>>20))
}
