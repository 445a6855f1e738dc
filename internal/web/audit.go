package web

import (
	"fugong/internal/audit"
	"net/http"
	"strconv"
)

func auditFilter(r *http.Request) audit.Filter {
	q := r.URL.Query()
	actor, _ := strconv.ParseInt(q.Get("actor"), 10, 64)
	return audit.Filter{ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id"), ActorID: actor,
		Action: q.Get("action"), Page: pageOf(r)}
}
