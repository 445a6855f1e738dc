package web

import (
	"net/http"

	"fugong/internal/guidance"
)

func (s *Server) apiGuidance(w http.ResponseWriter, r *http.Request) error {
	f, err := guidanceFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Guidance().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiPublicGuidance(w http.ResponseWriter, r *http.Request) error {
	f, err := guidanceFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Guidance().PublicList(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

func (s *Server) apiGuidancePublish(w http.ResponseWriter, r *http.Request) error {
	var in guidanceInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	it, err := s.guidanceItem(in)
	if err != nil {
		return err
	}
	if it, err = s.db.Guidance().Publish(r.Context(), principal(r), it, s.knownCategory); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, it)
	return nil
}

func (s *Server) apiGuidanceItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "公告")
	if err != nil {
		return err
	}
	it, err := s.db.Guidance().Get(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

func (s *Server) apiPublicGuidanceItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "公告")
	if err != nil {
		return err
	}
	it, err := s.db.Guidance().PublicGet(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

func (s *Server) apiGuidanceRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "公告")
	if err != nil {
		return err
	}
	if err := noBody(r); err != nil {
		return err
	}
	it, err := s.db.Guidance().Confirm(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

// guidanceSchemas are the OpenAPI schemas of the published guidance.
func guidanceSchemas() obj {
	kinds := make([]string, len(guidance.Kinds))
	for i, k := range guidance.Kinds {
		kinds[i] = string(k)
	}
	regions := array(str(""), "Region codes it concerns: an enterprise in one of them (or below) sees it")
	cats := array(str(""), "Enterprise categories of the policy it concerns; empty: every category")
	return obj{
		"GuidanceInput": object("Guidance to publish, for regions in the publisher's scope", []string{"kind", "title", "body", "regions"}, obj{
			"kind":        enum("measures 惠企政策, faq 十问十答, local 属地须知, enterprise 企业须知, staff 员工须知, rent_relief 园区租金减免, other", kinds...),
			"title":       str("Title (at most 100 characters)"),
			"body":        str("Plain text or Markdown (headings, lists, bold, italic, code, http(s) links); no HTML is ever rendered"),
			"regions":     regions,
			"categories":  cats,
			"park_id":     id64("The park it concerns (rent relief names its park)"),
			"public":      boolean("Shown on the public page to anyone"),
			"ask_confirm": boolean("Enterprises confirm reading it"),
			"publish_at":  str("Publication: a date (2020-02-10, the policy's time zone) or an RFC 3339 time; today when empty"),
			"end_at":      str("End: the same; none when empty"),
		}),
		"Guidance": object("A piece of published guidance", []string{"id", "kind", "title", "body", "regions", "categories", "public", "ask_confirm", "publish_at", "publisher", "confirmed", "confirms", "attachments"}, obj{
			"id":          id64("Id"),
			"kind":        enum("Kind", kinds...),
			"title":       str("Title"),
			"body":        str("Plain text or Markdown, as written (pages render it safely)"),
			"regions":     regions,
			"categories":  cats,
			"park_id":     id64("The park it concerns"),
			"public":      boolean("On the public page"),
			"ask_confirm": boolean("Enterprises confirm reading it"),
			"publish_at":  stamp("Published from"),
			"end_at":      stamp("Until"),
			"publisher":   str("Who published it"),
			"created_at":  timestamp(),
			"confirmed":   boolean("The caller's enterprise confirmed reading it"),
			"confirms":    integer("Enterprises that confirmed reading it"),
			"attachments": array(object("An attachment", []string{"name", "sha256", "content_type", "size"}, obj{
				"name": str("Name"), "sha256": str("Digest"), "content_type": str("Type"), "size": integer("Bytes"),
			}), "Attachments"),
		}),
		"GuidanceList": listSchema("Guidance"),
	}
}
