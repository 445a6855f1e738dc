package web

import (
	"net/http"
	"strconv"

	"fugong/internal/store"
)

func passFilter(r *http.Request) store.PassFilter {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	return store.PassFilter{EnterpriseID: ent, Status: q.Get("status"), Page: pageOf(r)}
}
