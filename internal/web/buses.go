package web

import (
	"net/http"
	"strconv"

	"fugong/internal/store"
)

func busFilter(r *http.Request) store.BusFilter {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	return store.BusFilter{Enterprise: ent, Status: q.Get("status"), Page: pageOf(r)}
}
