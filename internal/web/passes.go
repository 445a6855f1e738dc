package web

import (
	"fugong/internal/pass"
	"net/http"
	"strconv"
)

func passFilter(r *http.Request) pass.Filter {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	return pass.Filter{EnterpriseID: ent, Status: q.Get("status"), Page: pageOf(r)}
}
