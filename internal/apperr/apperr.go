// Package apperr holds the few kinds of error Fugong's layers pass upward. The web layer
// maps each kind to one HTTP status and one localized message in a single place.
package apperr

import (
	"errors"
	"strings"
)

// Kind classifies an error for the caller.
type Kind int

const (
	Internal Kind = iota
	Invalid
	NotFound
	Conflict
	Forbidden
	Unauthorized
	TooMany
	Unsupported // a body in a media type or character set the server does not read
)

// Problem is one thing wrong with one field of the input. A problem found by a rule of
// the local policy names the rule and the clause it enforces.
type Problem struct {
	Field     string `json:"field"`
	Message   string `json:"message"`    // Chinese
	MessageEN string `json:"message_en"` // English
	Rule      string `json:"rule,omitempty"`
	Clause    string `json:"clause,omitempty"`
}

// Error is an error of a known kind with a message for the user in both languages.
type Error struct {
	Kind      Kind
	Message   string
	MessageEN string
	Problems  []Problem
	Err       error // underlying cause, never shown to users
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.MessageEN)
	for _, p := range e.Problems {
		b.WriteString("; ")
		b.WriteString(p.Field)
		b.WriteString(": ")
		b.WriteString(p.MessageEN)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err; errors of no known kind are Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns err as an *Error when it is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Problems collects field problems during validation.
type Problems []Problem

// Add records a problem with field.
func (ps *Problems) Add(field, zh, en string) {
	*ps = append(*ps, Problem{Field: field, Message: zh, MessageEN: en})
}

// Err returns nil when nothing was recorded, otherwise an Invalid error listing all problems.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Message: "输入有误,请按提示修改后重试", MessageEN: "The input has problems; correct them and try again", Problems: ps}
}

// NewInvalid is an Invalid error with a single problem.
func NewInvalid(field, zh, en string) error {
	return Problems{{Field: field, Message: zh, MessageEN: en}}.Err()
}

// NewNotFound is the error for an object that does not exist or lies outside the caller's scope.
func NewNotFound(what string) error {
	return &Error{Kind: NotFound, Message: "未找到该" + what + ",或您无权查看", MessageEN: "Not found, or outside your scope"}
}

// NewConflict is the error for a change that clashes with the current state.
func NewConflict(zh, en string) error { return &Error{Kind: Conflict, Message: zh, MessageEN: en} }

// NewForbidden is the error for an action the caller's role does not allow.
func NewForbidden() error {
	return &Error{Kind: Forbidden, Message: "您的角色无权执行此操作", MessageEN: "Your role does not allow this action"}
}

// NewUnsupported is the error for a body the server does not read: a media type or a
// character set other than those it takes.
func NewUnsupported(zh, en string) error {
	return &Error{Kind: Unsupported, Message: zh, MessageEN: en}
}

// NewUnauthorized is the error for a request without a valid login.
func NewUnauthorized() error {
	return &Error{Kind: Unauthorized, Message: "请先登录", MessageEN: "Please sign in"}
}
