package web

import (
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/policy"
	"fugong/internal/tip"
)

// tipForm is what a client needs to send a tip: the form token, the categories, the towns
// and the photo limits.
type tipForm struct {
	FormToken     string               `json:"form_token"`
	MinSeconds    int                  `json:"min_seconds"`
	Categories    []policy.TipCategory `json:"categories"`
	Towns         []tip.Town           `json:"towns"`
	MaxPhotos     int                  `json:"max_photos"`
	PhotoMaxBytes int                  `json:"photo_max_bytes"`
}

func (s *Server) tipFormData(r *http.Request) (tipForm, error) {
	towns, err := s.db.Tips().Towns(r.Context())
	if err != nil {
		return tipForm{}, err
	}
	cats := make([]policy.TipCategory, 0, len(s.pol.TipCategories))
	for _, c := range s.pol.TipCategories {
		c.Unit = "" // who handles what is the officials' business
		cats = append(cats, c)
	}
	return tipForm{FormToken: tip.FormToken(s.tipKey, s.db.Now()), MinSeconds: int(tip.FormMinAge.Seconds()), Categories: cats, Towns: towns,
		MaxPhotos: s.pol.Tips.MaxPhotos, PhotoMaxBytes: tipPhotoMax}, nil
}

func (s *Server) apiTipForm(w http.ResponseWriter, r *http.Request) error {
	f, err := s.tipFormData(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

func (s *Server) apiPublicEnterprises(w http.ResponseWriter, r *http.Request) error {
	items, err := s.db.Tips().FindEnterprises(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// apiTipSubmit takes a tip as JSON, or as a multipart form with its photos.
func (s *Server) apiTipSubmit(w http.ResponseWriter, r *http.Request) error {
	var in tip.Input
	var err error
	var fhs []*multipart.FileHeader
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		if err := parseUploadForm(r); err != nil {
			return err
		}
		defer r.MultipartForm.RemoveAll()
		if in, err = tipFromForm(r, s.pol.Location()); err != nil {
			return err
		}
		fhs = photoHeaders(r)
	} else if err := decodeJSON(r, &in); err != nil {
		return err
	}
	code, err := s.submitTip(r.Context(), r, in, fhs)
	if err != nil {
		tipRetryAfter(w, err)
		return err
	}
	rc, err := s.db.Tips().Lookup(r.Context(), code)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rc)
	return nil
}

func (s *Server) apiTipReceipt(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.db.Tips().Lookup(r.Context(), r.PathValue("receipt"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rc)
	return nil
}

func (s *Server) apiTips(w http.ResponseWriter, r *http.Request) error {
	f, err := s.tipFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Tips().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiTip(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "举报")
	if err != nil {
		return err
	}
	t, err := s.db.Tips().Get(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// tipTransition is the body of POST /api/v1/tips/{id}/transitions.
type tipTransition struct {
	Action     tip.Action `json:"action"`
	Comment    string     `json:"comment"`
	Version    int        `json:"version"`
	Inspection bool       `json:"inspection"`
}

func (s *Server) apiTipTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "举报")
	if err != nil {
		return err
	}
	var req tipTransition
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	// A well-formed body names no action yet: a tip outside the caller's scope is not
	// found, whatever the action.
	if _, err := s.db.Tips().Get(r.Context(), principal(r), id); err != nil {
		return err
	}
	if req.Action == "" {
		return apperr.NewInvalid("action", "请给出操作:accept、decline、investigate、result 或 reply", "Give the action: accept, decline, investigate, result or reply")
	}
	t, err := s.db.Tips().Act(r.Context(), principal(r), id, req.Action, req.Comment, req.Version, req.Inspection)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) tipPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "举报")
	if err != nil {
		return err
	}
	ph, err := s.db.Tips().Photo(r.Context(), principal(r), id, strings.ToLower(r.PathValue("sha")))
	if err != nil {
		return err
	}
	return s.serveStored(w, r, "photo", ph.SHA256, ph.ContentType)
}

// tipSchemas are the OpenAPI schemas of the tips.
func tipSchemas() obj {
	statuses := make([]string, len(tip.Statuses))
	for i, st := range tip.Statuses {
		statuses[i] = string(st)
	}
	actions := make([]string, len(tip.Actions))
	for i, a := range tip.Actions {
		actions[i] = string(a)
	}
	nullableStamp := func(desc string) obj {
		return obj{"type": []string{"string", "null"}, "format": "date-time", "description": desc}
	}
	return obj{
		"TipForm": object("What a client needs to send a tip: the form token (valid from min_seconds after it is served, for two hours), the categories, the towns to name when the enterprise is not registered, and the photo limits",
			[]string{"form_token", "min_seconds", "categories", "towns", "max_photos", "photo_max_bytes"}, obj{
				"form_token":  str("Send it back with the tip: a tip sent sooner than min_seconds after the form, or two hours later, is refused"),
				"min_seconds": integer("Seconds a person takes at least to fill the form"),
				"categories": array(object("A category of the policy", []string{"code", "name", "name_en"}, obj{
					"code": str("Category code"), "name": str("Name in Chinese"), "name_en": str("Name in English"),
					"unit": str("Never given here"), "clause": str("The clause of the seed the category refers to"),
				}), "What a tip may report"),
				"towns":           array(object("A town or street", []string{"code", "name"}, obj{"code": str("Region code"), "name": str("Name")}), "The towns and streets"),
				"max_photos":      integer("Photos a tip may carry"),
				"photo_max_bytes": integer("The largest photo, in bytes (jpg, png, webp or gif)"),
			}),
		"PublicEnterpriseList": object("Registered enterprises whose name holds the search text (at most ten, for at least two characters): the name and the town, nothing else",
			[]string{"items"}, obj{"items": array(object("A registered enterprise", []string{"id", "name", "town"}, obj{
				"id": id64("Send it as enterprise_id"), "name": str("Registered name"), "town": str("Its town or street"),
			}), "")}),
		"TipInput": object("A tip from the public, without an account. Either enterprise_id (a registered enterprise, from /api/v1/public/enterprises) or enterprise_name, address and town. As multipart/form-data the same fields are form fields and photos are files named photos.",
			[]string{"category", "description", "form_token"}, obj{
				"category":        str("Category code (TipForm.categories)"),
				"enterprise_id":   id64("A registered enterprise, or 0"),
				"enterprise_name": str("The enterprise's name, when not registered"),
				"address":         str("Its address, when not registered"),
				"town":            str("The region code of its town or street, when not registered (TipForm.towns)"),
				"place":           str("Where it happens: workshop, dormitory, gate …"),
				"happened_at":     nullableStamp("When it was seen"),
				"description":     str("What was seen (5–2000 characters)"),
				"reporter_name":   str("Optional; only the handling official sees it, never the enterprise"),
				"reporter_phone":  str("Optional; only the handling official sees it, never the enterprise"),
				"form_token":      str("The token of TipForm"),
			}),
		"TipReceipt": object("What a receipt code shows: the category, the status, the reason of a decline and the reply; nothing of the enterprise, the reporter, the handler or the investigation",
			[]string{"receipt", "category", "category_name", "status", "status_name", "status_name_en", "received_at", "reply_due"}, obj{
				"receipt":        str("The receipt code, XXXXX-XXXXX: keep it, it is not shown again"),
				"category":       str("Category code"),
				"category_name":  str("Category name"),
				"status":         enum("Status", statuses...),
				"status_name":    str("Status in Chinese"),
				"status_name_en": str("Status in English"),
				"received_at":    stamp("When the tip was received"),
				"reply_due":      stamp("When the reply is due"),
				"reason":         str("Why the tip was not accepted (declined)"),
				"reply":          str("The reply (replied)"),
				"replied_at":     stamp("When it was replied"),
			}),
		"Tip": object("A tip as its handler sees it, with the reporter's contact (never shown to the enterprise)",
			[]string{"id", "category", "enterprise_name", "description", "region_code", "unit", "status", "accept_due", "reply_due", "overdue", "version", "actions", "photos"}, obj{
				"id":              id64("Tip id"),
				"category":        str("Category code"),
				"enterprise_id":   id64("The registered enterprise, absent when none"),
				"enterprise_name": str("The registered name, or the one the reporter gave"),
				"address":         str("The address the reporter gave"),
				"place":           str("Where it happens"),
				"happened_at":     stamp("When it was seen"),
				"description":     str("What was seen"),
				"reporter_name":   str("The reporter's name, when given"),
				"reporter_phone":  str("The reporter's phone, when given"),
				"region_code":     str("The region that handles it"),
				"region_name":     str("Its name"),
				"unit":            str("The policy's unit that handles it"),
				"status":          enum("Status", statuses...),
				"group_id":        id64("The first tip of its group of duplicates (same enterprise and category within the policy's days); absent for the first"),
				"duplicates":      integer("Further tips grouped with this one, handled with it"),
				"comment":         str("The reason of a decline, or the note of the investigation"),
				"result":          str("The result of the investigation (for the handlers)"),
				"reply":           str("The reply the reporter reads"),
				"inspection_id":   id64("The inspection opened on it, when supervision opened one"),
				"photos": array(object("A photo", []string{"sha256", "content_type", "size"}, obj{
					"sha256": str("Its digest: GET /api/v1/tips/{id}/photos/{sha}"), "content_type": str("Image type"), "size": integer("Bytes"),
				}), "Photos sent with it"),
				"accept_due": stamp("Accept or decline by then"),
				"reply_due":  stamp("Reply by then"),
				"overdue":    boolean("Past its deadline and not done"),
				"created_at": timestamp(),
				"updated_at": timestamp(),
				"replied_at": stamp("When it was replied"),
				"version":    integer("Send it back to guard against concurrent handling"),
				"actions":    array(enum("", actions...), "What may be done now"),
			}),
		"TipList": listSchema("Tip"),
		"TipTransition": object("Handle a tip: accept; decline (comment: the reason, which the reporter reads); investigate (comment: a note; inspection: ask for an inspection of the registered enterprise); result (comment: the result); reply (comment: the reply the reporter reads). The tips grouped with it that stand where it stands follow it.",
			[]string{"action"}, obj{
				"action":     enum("The action", actions...),
				"comment":    str("The reason, note, result or reply"),
				"version":    integer("The version read, to guard against concurrent handling"),
				"inspection": boolean("With investigate: open an inspection of the enterprise"),
			}),
	}
}
