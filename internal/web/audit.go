package web

import (
	"net/http"
	"strconv"

	"fugong/internal/store"
)

func auditFilter(r *http.Request) store.AuditFilter {
	q := r.URL.Query()
	actor, _ := strconv.ParseInt(q.Get("actor"), 10, 64)
	return store.AuditFilter{ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id"), ActorID: actor,
		Action: q.Get("action"), Page: pageOf(r)}
}
