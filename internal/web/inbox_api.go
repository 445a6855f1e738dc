package web

import (
	"fugong/internal/inbox"
	"net/http"
)

type notificationList struct {
	Items  []inbox.Message `json:"items"`
	Total  int             `json:"total"`
	Unread int             `json:"unread"`
	Page   int             `json:"page"`
	Size   int             `json:"size"`
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

// inboxSchemas are the OpenAPI schemas of the inbox routes.
func inboxSchemas() obj {
	dateTime := func(desc string) obj { return obj{"type": "string", "format": "date-time", "description": desc} }
	notifications := listSchema("Notification")
	notifications["properties"].(obj)["unread"] = integer("Unread notifications of the caller (on all pages)")
	notifications["required"] = []string{"items", "total", "unread", "page", "size"}
	notifications["description"] = "One page of the caller's notifications, newest first"
	return obj{
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
