package web

import (
	"fugong/internal/notice"
	"net/http"
	"strconv"
)

func busFilter(r *http.Request) (notice.BusFilter, error) {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f := notice.BusFilter{Enterprise: ent, Status: q.Get("status"), Page: pageOf(r)}
	return f, f.Check()
}
