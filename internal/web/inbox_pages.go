package web

import (
	"net/http"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/inbox"
)

// --- inbox ---

type inboxView struct {
	Items  []inbox.Message
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
