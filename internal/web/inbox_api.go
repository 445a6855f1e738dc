package web

import (
	"net/http"

	"fugong/internal/store"
)

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
