package web

import (
	"bytes"
	"fmt"
	"net/http"

	"fugong/internal/apperr"
	"fugong/internal/region"
	"fugong/internal/xlsx"
)

type saveResult struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

func (s *Server) apiRegions(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := region.Filter{Parent: normCode(q.Get("parent")), Q: q.Get("q"), Page: pageOf(r)}
	p := principal(r)
	items, total, err := s.db.ListRegions(r.Context(), p, f)
	if err != nil {
		return err
	}
	if err := s.withEnterpriseCounts(r.Context(), p, items); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

type regionBatch struct {
	Regions []struct {
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"regions"`
}

func (s *Server) apiRegionsSave(w http.ResponseWriter, r *http.Request) error {
	var in regionBatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if len(in.Regions) == 0 {
		return apperr.NewInvalid("regions", "请至少提供一个区域", "Send at least one region")
	}
	rs := make([]region.Region, len(in.Regions))
	for i, x := range in.Regions {
		rs[i] = region.Region{Code: x.Code, Name: x.Name}
	}
	created, updated, err := s.db.SaveRegions(r.Context(), principal(r), rs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saveResult{Created: created, Updated: updated})
	return nil
}

// rowsError reports the problems of an import's rows as one Invalid error whose
// problems name the sheet's row: "rows[3].code" is the code cell of row 3.
func rowsError(errs []xlsx.RowError) error {
	ps := make([]apperr.Problem, len(errs))
	for i, e := range errs {
		ps[i] = apperr.Problem{Field: fmt.Sprintf("rows[%d].%s", e.Row, e.Field),
			Message: fmt.Sprintf("第 %d 行:%s", e.Row, e.Message), MessageEN: fmt.Sprintf("Row %d: %s", e.Row, e.MessageEN)}
	}
	return &apperr.Error{Kind: apperr.Invalid, Problems: ps,
		Message:   fmt.Sprintf("表格有 %d 处问题,未写入任何数据", len(errs)),
		MessageEN: fmt.Sprintf("The sheet has %d problems; nothing was written", len(errs))}
}

func (s *Server) apiRegionsImport(w http.ResponseWriter, r *http.Request) error {
	b, _, err := uploadedSheet(r)
	if err != nil {
		return err
	}
	created, updated, rowErrs, err := s.importRegions(r.Context(), principal(r), bytes.NewReader(b))
	if err != nil {
		return err
	}
	if len(rowErrs) > 0 {
		return rowsError(rowErrs)
	}
	writeJSON(w, http.StatusOK, saveResult{Created: created, Updated: updated})
	return nil
}

// regionSchemas are the OpenAPI schemas of the region routes.
func regionSchemas() obj {
	return obj{
		"Region": object("A node of the jurisdiction tree", []string{"code", "name"}, obj{
			"code":        str("Division code: 6 digits for a county, 9 for a town, 12 for a village"),
			"name":        str("At most 64 characters"),
			"level":       readOnly(obj{"type": "integer", "enum": []int{1, 2, 3, 4, 5}, "description": "1 province, 2 city, 3 county, 4 town, 5 village (from the code)"}),
			"parent_code": readOnly(str("The nearest stored region above")),
			"created_at":  timestamp(),
			"updated_at":  timestamp(),
			"children":    readOnly(integer("Regions directly below")),
			"enterprises": readOnly(integer("Enterprises in the region and below")),
		}),
		"RegionBatch": object("Regions to create or rename, all or none; a problem with an item names it as regions[i].field", []string{"regions"}, obj{
			"regions": obj{"type": "array", "minItems": 1, "items": object("", []string{"code", "name"}, obj{
				"code": str("Division code: 6 digits for a county, 9 for a town, 12 for a village"),
				"name": str("At most 64 characters"),
			})},
		}),
		"RegionList": listSchema("Region"),
		"SaveResult": object("How many objects were created and updated", []string{"created", "updated"}, obj{
			"created": integer(""),
			"updated": integer(""),
		}),
	}
}
