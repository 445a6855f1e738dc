package web

import (
	"net/http"

	"fugong/internal/region"
)

func (s *Server) apiDepartments(w http.ResponseWriter, r *http.Request) error {
	f := listFilterOf(r)
	items, total, err := s.db.ListDepartments(r.Context(), principal(r), f.Region, f.Q, f.Page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// departmentInput is the API's body for departments: pointers tell which fields were sent.
type departmentInput struct {
	Name       *string `json:"name"`
	UnitCode   *string `json:"unit_code"`
	RegionCode *string `json:"region_code"`
	Phone      *string `json:"phone"`
}

func (in departmentInput) apply(d *region.Department) {
	setStr(&d.Name, in.Name)
	setStr(&d.UnitCode, in.UnitCode)
	setStr(&d.Phone, in.Phone)
	if in.RegionCode != nil {
		d.RegionCode = normCode(*in.RegionCode)
	}
}

func (s *Server) apiDepartmentCreate(w http.ResponseWriter, r *http.Request) error {
	var in departmentInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var d region.Department
	in.apply(&d)
	saved, err := s.saveDepartment(r.Context(), principal(r), d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, saved)
	return nil
}

func (s *Server) apiDepartmentUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "部门")
	if err != nil {
		return err
	}
	ctx, p := r.Context(), principal(r)
	d, err := s.db.GetDepartment(ctx, p, id)
	if err != nil {
		return err
	}
	var in departmentInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	in.apply(&d)
	saved, err := s.saveDepartment(ctx, p, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

// departmentSchemas are the OpenAPI schemas of the department routes.
func departmentSchemas() obj {
	return obj{
		"Department": object("A government unit 主管部门", []string{"id", "name", "region_code"}, obj{
			"id":          readOnly(id64("")),
			"name":        str("At most 100 characters"),
			"unit_code":   str("Unit code of the policy in force"),
			"region_code": str(""),
			"region_name": readOnly(str("")),
			"phone":       str(""),
			"created_at":  timestamp(),
			"updated_at":  timestamp(),
		}),
		"DepartmentList": listSchema("Department"),
	}
}
